"""Free text as the reader's tiers allow: each field shown or withheld by its own tier.

The protection record gathers views from several services; this is the one last pass that
makes every free text in it obey ``policy.may_read_field``. A withheld field is ``None`` and
named under ``"withheld"``, so a page or an API client can tell "withheld" from "empty". A field
is withheld whether or not it holds text: otherwise the marker would tell that it does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lantern.accounts import policy

MARKER = "withheld"


def redact(user: Any, model: str, view: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """``view`` with each of ``fields`` (tiered as ``model.field``) kept only for a reader of
    its tier; for others it is ``None`` and listed under ``"withheld"``."""
    hidden = [f for f in fields if not policy.may_read_field(user, f"{model}.{f}")]
    out = {**view, **dict.fromkeys(hidden)}
    out[MARKER] = sorted({*view.get(MARKER, ()), *hidden})
    return out


def redact_all(
    user: Any, model: str, views: Iterable[dict[str, Any]], fields: Iterable[str]
) -> list[dict[str, Any]]:
    names = tuple(fields)
    return [redact(user, model, v, names) for v in views]


# The protection record's free text: its key (the page's or the API's name) -> the model and
# the free-text fields of each item under it. Coded values stay: they are standard.
PROTECTION_FREE_TEXT: dict[str, tuple[str, tuple[str, ...]]] = {
    "transitions": ("casetransition", ("reason",)),
    "intake": ("intake", ("referral_reason", "notes")),
    "risks": ("riskassessment", ("notes",)),
    "care_plans": ("careplan", ("goals", "child_views")),
    "referrals": ("referral", ("override_reason", "response_reason", "completion_note")),
    "family_assessments": ("familyassessment", ("findings",)),
    "legal": ("legalproceeding", ("lawyer_name", "accompaniment")),
    "visits": ("followupvisit", ("notes",)),
}
_EVENTS = ("proceedingevent", ("accompanied_by", "outcome"))


def protection_record(user: Any, record: dict[str, Any]) -> dict[str, Any]:
    """The case's protection record (page or API) with every free text its tier allows."""
    out = dict(record)
    for key, (model, fields) in PROTECTION_FREE_TEXT.items():
        value = out.get(key)
        if isinstance(value, dict):
            out[key] = redact(user, model, value, fields)
        elif isinstance(value, list):
            out[key] = redact_all(user, model, value, fields)
    out["legal"] = [
        {**lp, "events": redact_all(user, _EVENTS[0], lp.get("events", ()), _EVENTS[1])}
        for lp in out.get("legal", ())
    ]
    return out
