"""Number formatting for statistics pages (whole numbers with separators, percentages)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def round0(value: object) -> str:
    try:
        return number_format(round(float(value)), force_grouping=True)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""


@register.filter
def percent(value: object) -> str:
    try:
        return f"{float(value) * 100:g}%"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
