"""Template filters that show code ids as labels in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Choices

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
