"""The prevention work the directory's coverage sets beside its services, area by area:
campaigns and committees the user may see, each with its area code (blank when its record
names no area yet). Named by the setting ``LANTERN_COVERAGE_ACTIVITIES``: the directory sits
below the response and never imports it."""

from __future__ import annotations

from typing import Any

from lantern.accounts import policy
from lantern.directory.coverage import CAMPAIGN, COMMITTEE, Activity


def activities(user: Any) -> list[Activity]:
    """Campaigns and committees ``user`` may see (none of a kind its role does not see)."""
    out: list[Activity] = []
    if policy.allows(user, "campaign", "view"):
        rows = policy.scoped(user, "campaign", "view").values_list("area_code", "title", "area")
        out += [Activity(CAMPAIGN, code, title, text) for code, title, text in rows]
    if policy.allows(user, "committee", "view"):
        rows = policy.scoped(user, "committee", "view").values_list("area_code", "name", "area")
        out += [Activity(COMMITTEE, code, name, text) for code, name, text in rows]
    return out
