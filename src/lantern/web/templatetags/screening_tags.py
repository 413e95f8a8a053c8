"""Template tags for the screening link: the page asks the policy layer, never the role name."""

from __future__ import annotations

from typing import Any

from django import template

from lantern.accounts import policy

register = template.Library()


@register.simple_tag
def may_screen(user: Any, case: Any) -> bool:
    """Whether ``user`` may screen ``case`` (hiding the link is convenience; the view checks)."""
    return bool(getattr(user, "is_authenticated", False)) and policy.case_allows(
        user, "screen", case
    )
