"""The care plan form: needs with their due dates, goals, the child's views, who is responsible."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.edges.fields import checks, codes, date_input, set_choices, text
from lantern.protection.formfields import directory


class CarePlanForm(forms.Form):
    """Needs (each with an optional due date), goals in the child's words, who is responsible."""

    needs = checks(_("Needs"))
    goals = text(_("Goals"), area=True, max_length=8000)
    child_views = text(_("The child's views"), area=True, max_length=4000)
    responsible = forms.ChoiceField(label=_("Responsible organisation"), required=False)
    review_due = forms.DateField(label=_("Review due"), required=False, widget=date_input())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needs = codes("support_types")
        set_choices(self, "needs", needs)
        set_choices(self, "responsible", directory(user))
        for code, label in needs:
            self.fields["due_" + code] = forms.DateField(
                label=label, required=False, widget=date_input()
            )

    def need_rows(self) -> list[tuple[Any, forms.BoundField]]:
        """Each need's checkbox beside its due date, one row per need (thumb-sized)."""
        return [(box, self["due_" + box.data["value"]]) for box in self["needs"]]

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        due = {n: d["due_" + n] for n in d["needs"] if d.get("due_" + n)}
        return {
            "needs": d["needs"],
            "goals": d["goals"],
            "child_views": d["child_views"],
            "responsible": int(d["responsible"]) if d["responsible"] else None,
            "due_dates": due,
            "review_due": d["review_due"],
        }
