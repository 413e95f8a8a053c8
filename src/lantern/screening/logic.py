"""Kleene three-valued logic (True / False / None = unknown) for the decision rules.

Needed because "unknown" must never be read as "no": an AND with an unknown term is unknown
unless another term is already false.
"""

from __future__ import annotations

Tri = bool | None


def tri_and(*values: Tri) -> Tri:
    if any(v is False for v in values):
        return False
    if all(v is True for v in values):
        return True
    return None


def tri_or(*values: Tri) -> Tri:
    if any(v is True for v in values):
        return True
    if all(v is False for v in values):
        return False
    return None
