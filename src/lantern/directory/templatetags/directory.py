"""``{{ entry.areas|areas }}``: areas as a reader names them (``Népal / Bagmati``), not codes."""

from __future__ import annotations

from django import template

from lantern.edges.areas import label

register = template.Library()


@register.filter
def areas(values: object) -> str:
    if isinstance(values, str):
        values = [values] if values else []
    if not isinstance(values, list | tuple):
        return ""
    return ", ".join(label(v) for v in values)


@register.filter
def area(value: object) -> str:
    """One area's name in the reader's language."""
    return label(value)
