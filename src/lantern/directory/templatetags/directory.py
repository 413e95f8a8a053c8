"""``{{ entry.areas|areas }}``: areas as a reader names them (``Népal / Bagmati``), not codes."""

from __future__ import annotations

from django import template

from lantern.edges.fields import taxonomy_label

register = template.Library()


@register.filter
def areas(values: object) -> str:
    if isinstance(values, str):
        values = [values] if values else []
    if not isinstance(values, list | tuple):
        return ""
    named = []
    for value in values:
        country, _sep, province = str(value).partition("/")
        name = taxonomy_label(country, "countries")
        named.append(f"{name} / {province}" if province else name)
    return ", ".join(named)
