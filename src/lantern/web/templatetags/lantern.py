"""Template filters that show code ids as labels in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Choices
from django.utils.translation import gettext as _

from lantern import taxonomy
from lantern.accounts import policy
from lantern.accounts.models import Agency, Role
from lantern.cases.models import LifecycleState
from lantern.edges.fields import label_of
from lantern.edges.language import reader_language
from lantern.taxonomy.errors import UnknownCode
from lantern.web.case_sections import CASE_SECTIONS

register = template.Library()

# Codes that are a model's choices rather than a taxonomy list, by the name a template gives.
CHOICES: dict[str, type[Choices]] = {"lifecycle_states": LifecycleState, "roles": Role}


@register.filter
def code_label(value: object, list_name: str) -> str:
    """``{{ case.intake_channel|code_label:"intake_channels" }}``; unknown ids show as given.
    Besides the taxonomy's lists: ``countries``, ``agencies`` (an agency's code: its name) and
    the model choices of ``CHOICES``."""
    if value in (None, ""):
        return ""
    if list_name in CHOICES:
        return str(label_of(CHOICES[list_name], value))
    if list_name == "agencies":  # an agency's code: its name, as the directory knows it
        name = Agency.objects.filter(code=str(value)).values_list("name", flat=True).first()
        return name or str(value)
    try:
        if list_name == "countries":
            return taxonomy.countries.country(str(value)).name(reader_language())
        code = taxonomy.code_list(list_name).resolve(str(value))
        return code.label(reader_language())
    except (UnknownCode, LookupError, ValueError):
        return str(value)


@register.filter
def code_labels(values: object, list_name: str) -> str:
    if not values:
        return ""
    items = values if isinstance(values, list | tuple) else [values]
    return ", ".join(code_label(v, list_name) for v in items)


_PRECISION_CHARS = {"year": 4, "month": 7, "day": 10}


@register.filter
def date_as_given(value: object, precision: str = "day") -> str:
    """``{{ c.registration_date|date_as_given:c.registration_date_precision }}``: an ISO date
    no more precise than the source gave it ("2019", "2019-03", "2019-03-05"): a year-only
    date is stored as 1 January and must never read as a January date."""
    if value in (None, ""):
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text[: _PRECISION_CHARS.get(str(precision), 10)]


@register.filter
def age_as_given(record: Any) -> str:
    """``{{ c|age_as_given }}``: the age at identification as known (``age_min``/``age_max``
    of a case or its summary): "15", "9-17", "under 18", "18 or over", "48 or over"."""
    get = record.get if isinstance(record, dict) else lambda k: getattr(record, k, None)
    low, high = get("age_min"), get("age_max")
    if low is None and high is None:
        return ""
    if low == high:
        return str(low)
    if high is None:
        return _("%(age)s or over") % {"age": low}
    if not low:
        return _("under %(age)s") % {"age": high + 1}
    return f"{low}-{high}"


@register.simple_tag
def case_allows(user: Any, action: str, case: Any) -> bool:
    """``{% case_allows user "screen" case as can %}``: ask the policy layer whether to show a
    link (the view asks again: hiding a link is never the check)."""
    return bool(getattr(user, "is_authenticated", False)) and policy.case_allows(user, action, case)


@register.simple_tag
def may_read_field(user: Any, field: str) -> bool:
    """``{% may_read_field user "casenote.body" as can %}``: whether the user's tiers read
    ``field`` on a record it views (to show a link; the view asks again)."""
    return bool(getattr(user, "is_authenticated", False)) and policy.may_read_field(user, field)


@register.simple_tag
def case_sections() -> tuple[tuple[str, Any], ...]:
    """``{% case_sections as sections %}``: the case page's index, (anchor, label) each."""
    return CASE_SECTIONS
