"""The closure page's forms: the request (with a reason field per open item) and the answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.edges.fields import codes, set_choices, text
from lantern.protection.closure.checklist import Item
from lantern.protection.closure.service import JUSTIFICATION_MAX

PREFIX = "justify-"


class RequestForm(forms.Form):
    """Outcome, reason, and one reason field per item still open (named by its key)."""

    outcome = forms.ChoiceField(label=_("Outcome"))
    reason = text(_("Why the case can close"), area=True)

    def __init__(self, *args: Any, items: list[Item], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "outcome", codes("case_outcomes", blank=True))
        self.fields["reason"].required = True
        self.items = items
        for item in items:
            self.fields[PREFIX + item.key] = text(
                _("Why it may stay open"), area=True, max_length=JUSTIFICATION_MAX
            )

    def rows(self) -> list[tuple[Item, forms.BoundField]]:
        """Each open item beside its reason field, for the page."""
        return [(i, self[PREFIX + i.key]) for i in self.items]

    def justifications(self) -> dict[str, str]:
        data = self.cleaned_data
        return {i.key: data.get(PREFIX + i.key) or "" for i in self.items}


class ApproveForm(forms.Form):
    note = text(_("Note (optional)"), area=True, max_length=JUSTIFICATION_MAX)


class ReturnForm(forms.Form):
    reason = text(_("Why it goes back"), area=True, max_length=JUSTIFICATION_MAX)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
