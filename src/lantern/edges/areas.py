"""The area vocabulary at the edge (``lantern.taxonomy.areas``): the list a form offers, an
area's label in the reader's language, and the one check every service makes of an area.

The form lists the provinces of the installation's countries (``LANTERN_AREA_COUNTRIES``,
where the children come from and the services work) and every other country whole; the
service accepts any area of the vocabulary, so an import or the API may name another
country's province.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.edges.fields import country_choices
from lantern.edges.language import reader_language
from lantern.errors import Invalid
from lantern.taxonomy import UnknownCode
from lantern.taxonomy import areas as vocabulary


def installation_countries() -> tuple[str, ...]:
    """The countries whose provinces the forms list (alpha-3), from the setting."""
    return tuple(getattr(settings, "LANTERN_AREA_COUNTRIES", ()))


def label(code: Any) -> str:
    """An area's name in the reader's language (``Népal / Bagmati``); an unknown value as
    it is, blank as blank."""
    if not code:
        return ""
    try:
        return vocabulary.area(str(code)).label(reader_language())
    except (UnknownCode, ValueError):
        return str(code)


def choices(blank: bool = False) -> list[Any]:
    """Areas grouped by country: each installation country whole, then its provinces; then
    every other country whole. Labels in the reader's language."""
    lang = reader_language()
    groups: list[Any] = [("", "—")] if blank else []
    home = installation_countries()
    for alpha3 in home:
        whole = vocabulary.whole(alpha3)
        entries = [(whole.code, _("%(country)s (whole country)") % {"country": whole.label(lang)})]
        entries += [(p.code, p.label(lang)) for p in vocabulary.provinces(alpha3)]
        groups.append((whole.label(lang), entries))
    others = [(c, name) for c, name in country_choices()[1:] if c not in home]
    groups.append((str(gettext_lazy("Other countries")), others))
    return groups


def clean(value: Any, field: str, *, required: bool = True) -> str:
    """The canonical code of the area ``value`` names; Invalid naming ``field`` otherwise."""
    raw = str(value or "").strip()
    if not raw:
        if required:
            raise Invalid(_("%(field)s: choose an area from the list") % {"field": field}, field)
        return ""
    try:
        return vocabulary.area(raw).code
    except UnknownCode:
        raise Invalid(
            _("%(field)s: %(value)s is not a country or province of the list")
            % {"field": field, "value": raw[:100]},
            field,
        ) from None


def clean_many(values: Iterable[Any], field: str) -> list[str]:
    """Each area once, canonical, in the order given."""
    return list(dict.fromkeys(clean(v, field) for v in values if str(v or "").strip()))


class AreaField(forms.ChoiceField):
    """One area chosen from the list (grouped by country)."""

    def __init__(self, label: Any, *, required: bool = True, **kwargs: Any) -> None:
        super().__init__(
            label=label, required=required, choices=lambda: choices(blank=True), **kwargs
        )


class AreasField(forms.MultipleChoiceField):
    """Areas chosen from the list (a multiple select, grouped by country)."""

    def __init__(self, label: Any, *, required: bool = False, **kwargs: Any) -> None:
        super().__init__(
            label=label,
            required=required,
            choices=choices,
            widget=forms.SelectMultiple(attrs={"size": 8, "class": "areas"}),
            **kwargs,
        )
