"""Labour inspection visits: the workplace, its sector, the children found and the referrals
made, so that the places where children work are watched and each visit counted.

Visits are the inspecting agency's (``RULES`` inspection record / view); the coordinator sees
every agency's. A child found is referred through intake like any other child: the visit
records how many were found and referred, never who.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.accounts.policy import Tier
from lantern.audit import services as audit
from lantern.cases.services.common import codes, require, text
from lantern.edges import areas
from lantern.edges.bounds import NAME_MAX
from lantern.errors import Invalid
from lantern.response.community.common import NOTES_MAX, agency_of, count, past_date
from lantern.response.community.models import Inspection


@dataclass(frozen=True)
class Visit:
    """An inspection visit as the page and the API give it."""

    visited_on: dt.date | None = None
    workplace: str = ""
    sector: str = ""
    area_code: str = ""  # lantern.taxonomy.areas: NPL or NPL/Bagmati
    area: str = ""  # the town or the industrial zone, in words
    children_found: int | None = None
    referrals_made: int | None = None
    notes: str = ""


def record(user: Any, v: Visit, source: str = "") -> Inspection:
    require(user, "inspection", "record", _("record labour inspections"))
    agency = agency_of(user)
    found = count(v.children_found, "children_found", maximum=100_000)
    referred = count(v.referrals_made, "referrals_made", maximum=100_000)
    if referred > found:
        raise Invalid(_("referrals_made: more than the children found"), "referrals_made")
    if not v.sector:
        raise Invalid(_("sector: required"), "sector")
    row = Inspection.objects.create(
        agency_id=agency,
        visited_on=past_date(v.visited_on, "visited_on"),
        workplace=text(v.workplace, "workplace", required=True, max_length=NAME_MAX),
        sector=codes("isic_sections", [v.sector], "sector")[0],
        area=text(v.area, "area", max_length=NAME_MAX),
        area_code=areas.clean(v.area_code, "area_code"),
        children_found=found,
        referrals_made=referred,
        notes=text(v.notes, "notes", max_length=NOTES_MAX),
        inspector=user,
    )
    audit.record(user, "create", "inspection", row.pk, source=source)
    return row


def inspections(user: Any) -> QuerySet[Inspection]:
    require(user, "inspection", "view", _("see labour inspections"))
    return policy.scoped(user, "inspection", "view").select_related("agency")


def totals(rows: QuerySet[Inspection]) -> dict[str, int]:
    """Visits, children found and referrals made over ``rows``."""
    sums = rows.aggregate(found=Sum("children_found"), referred=Sum("referrals_made"))
    return {
        "visits": rows.count(),
        "children_found": sums["found"] or 0,
        "referrals_made": sums["referred"] or 0,
    }


def view(user: Any, i: Inspection) -> dict[str, Any]:
    """A visit as shown; the inspector's notes for readers of the highly sensitive tier."""
    return {
        "id": i.pk,
        "agency": i.agency.name,
        "visited_on": i.visited_on,
        "workplace": i.workplace,
        "sector": i.sector,
        "area_code": i.area_code,
        "area": i.area,
        "children_found": i.children_found,
        "referrals_made": i.referrals_made,
        "notes": i.notes if policy.may_read(user, Tier.HIGHLY_SENSITIVE) else None,
    }


def listed(user: Any, rows: list[Inspection], source: str = "") -> list[dict[str, Any]]:
    """Visits as shown; when the inspectors' notes are shown, their read is audited."""
    if rows and policy.may_read(user, Tier.HIGHLY_SENSITIVE):
        audit.record(
            user,
            "read",
            "inspection",
            "",
            ["notes"],
            reason=f"{len(rows)} inspection visits",
            source=source,
        )
    return [view(user, i) for i in rows]
