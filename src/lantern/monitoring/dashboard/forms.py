"""The table builder's form: rows, columns, filters and unit, all by their labels."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.monitoring.dashboard.categories import BUILDER_DIMENSIONS, present
from lantern.monitoring.dashboard.publishing import label
from lantern.monitoring.statistics.dimensions import dimension
from lantern.monitoring.statistics.table import TableSpec

UNITS = [("children", gettext_lazy("Distinct children")), ("cases", gettext_lazy("Cases"))]
FILTERS = ("f1", "f2", "f3")


def _dimension_choices(blank: Any) -> list[tuple[str, Any]]:
    return [("", blank), *((n, dimension(n).title) for n in BUILDER_DIMENSIONS)]


def _category_choices() -> list[tuple[Any, Any]]:
    """One group per dimension, its categories by label; a value is ``dimension:code``."""
    groups: list[tuple[Any, Any]] = [("", _("Everyone"))]
    for name, codes in present().items():
        groups.append(
            (str(dimension(name).title), [(f"{name}:{code}", label(name, code)) for code in codes])
        )
    return groups


class TableForm(forms.Form):
    row = forms.ChoiceField(label=gettext_lazy("Rows"), initial="year")
    row2 = forms.ChoiceField(label=gettext_lazy("Rows, then by"), required=False)
    col = forms.ChoiceField(label=gettext_lazy("Columns"), required=False)
    unit = forms.ChoiceField(
        label=gettext_lazy("Count"), choices=UNITS, initial="children", required=False
    )
    f1 = forms.ChoiceField(label=gettext_lazy("Keep only"), required=False)
    f2 = forms.ChoiceField(label=gettext_lazy("and only"), required=False)
    f3 = forms.ChoiceField(label=gettext_lazy("and only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["row"].choices = _dimension_choices(_("Choose…"))  # type: ignore[attr-defined]
        for name in ("row2", "col"):
            self.fields[name].choices = _dimension_choices(_("None"))  # type: ignore[attr-defined]
        categories = _category_choices()
        for name in FILTERS:
            self.fields[name].choices = categories  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        picked = [data.get(n) for n in ("row", "row2", "col") if data.get(n)]
        if len(picked) != len(set(picked)):
            self.add_error("col", _("Each dimension can be used once: choose different ones."))
        kept = [str(data[n]).partition(":")[0] for n in FILTERS if data.get(n)]
        if len(kept) != len(set(kept)):
            self.add_error("f2", _("Keep at most one category of each dimension."))
        return data

    def spec(self) -> TableSpec:
        d = self.cleaned_data
        rows = tuple(n for n in (d["row"], d.get("row2")) if n)
        cols = (d["col"],) if d.get("col") else ()
        where = tuple(
            tuple(str(d[n]).split(":", 1)) for n in FILTERS if d.get(n) and ":" in str(d[n])
        )
        return TableSpec(rows, cols, where, d.get("unit") or "children")  # type: ignore[arg-type]


PERIODS = [
    ("year", gettext_lazy("Year")),
    ("quarter", gettext_lazy("Quarter")),
    ("month", gettext_lazy("Month")),
]


class TrendForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("By"), choices=PERIODS, initial="year", required=False
    )
    unit = forms.ChoiceField(
        label=gettext_lazy("Count"), choices=UNITS, initial="children", required=False
    )
    f1 = forms.ChoiceField(label=gettext_lazy("Keep only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["f1"].choices = _category_choices()  # type: ignore[attr-defined]

    def where(self) -> tuple[tuple[str, str], ...]:
        kept = str(self.cleaned_data.get("f1") or "")
        return (tuple(kept.split(":", 1)),) if ":" in kept else ()  # type: ignore[return-value]


LEVEL_CHOICES = [
    ("countries", gettext_lazy("Countries")),
    ("provinces", gettext_lazy("Provinces")),
]


class RouteForm(TrendForm):
    period = None  # type: ignore[assignment]
    level = forms.ChoiceField(
        label=gettext_lazy("Places"), choices=LEVEL_CHOICES, initial="countries", required=False
    )
    field_order = ("level", "unit", "f1")
