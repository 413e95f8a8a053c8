"""Awareness campaigns: who they speak to, where, with what, and how many they reached.

Campaigns are seen nationally (``RULES`` campaign view) so that an agency about to run one sees
the others in the same area first: the report warns against repeating the same message to the
same villages while others hear nothing. Areas are compared by their code in the one area
vocabulary (``lantern.taxonomy.areas``); a campaign recorded before it, whose text named no
area, is compared by that text, normalised (``common.place_key``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.cases.services.common import now, require, text
from lantern.edges import areas
from lantern.edges.bounds import NAME_MAX
from lantern.errors import Invalid
from lantern.response.community.common import choices, count, place_key
from lantern.response.community.models import Audience, Campaign, Material
from lantern.taxonomy import areas as vocabulary


@dataclass(frozen=True)
class Plan:
    """A campaign as the page and the API give it."""

    title: str = ""
    audiences: Sequence[str] = ()
    area_code: str = ""  # lantern.taxonomy.areas: NPL or NPL/Bagmati
    area: str = ""  # the villages, the district or the route, in words
    materials: Sequence[str] = ()
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    reach: int | None = None


def create(user: Any, p: Plan, source: str = "") -> Campaign:
    """Record a campaign of the user's agency (RULES campaign manage)."""
    require(user, "campaign", "manage", _("record campaigns"))
    agency = user.agency_id  # None: the national coordinating authority's own campaign
    if p.starts_on is None:
        raise Invalid(_("starts_on: required"), "starts_on")
    if p.ends_on is not None and p.ends_on < p.starts_on:
        raise Invalid(_("ends_on: before the campaign starts"), "ends_on")
    code = areas.clean(p.area_code, "area_code")
    area = text(p.area, "area", max_length=NAME_MAX)
    row = Campaign.objects.create(
        agency_id=agency,
        title=text(p.title, "title", required=True, max_length=NAME_MAX),
        audiences=choices(p.audiences, Audience, "audiences", required=True),
        area=area,
        area_key=place_key(area),
        area_code=code,
        materials=choices(p.materials, Material, "materials", required=True),
        starts_on=p.starts_on,
        ends_on=p.ends_on,
        reach=count(p.reach, "reach", required=False),
        created_by=user,
        created_at=now(),
    )
    audit.record(user, "create", "campaign", row.pk, source=source)
    return row


def record_reach(user: Any, campaign_id: int, reach: int, source: str = "") -> Campaign:
    """How many people the campaign reached, once it is known."""
    require(user, "campaign", "manage", _("record campaigns"))
    row: Campaign = policy.get_or_404(user, "campaign", "manage", campaign_id)
    row.reach = count(reach, "reach")
    row.save(update_fields=["reach"])
    audit.record(user, "update", "campaign", row.pk, ["reach"], source=source)
    return row


def campaigns(user: Any, area: str = "") -> QuerySet[Campaign]:
    """Campaigns the user may see, newest first; only one area's when ``area`` is given."""
    require(user, "campaign", "view", _("see campaigns"))
    rows = policy.scoped(user, "campaign", "view").select_related("agency")
    if area.strip():
        known = vocabulary.match(area)
        rows = rows.filter(area_code=known.code) if known else rows.filter(area_key=place_key(area))
    return rows.order_by("-starts_on", "-pk")


def campaign_for(user: Any, campaign_id: int) -> Campaign:
    require(user, "campaign", "view", _("see campaigns"))
    return policy.get_or_404(user, "campaign", "view", campaign_id)  # type: ignore[no-any-return]


def same_area(user: Any, campaign: Campaign) -> list[tuple[Campaign, bool]]:
    """The other campaigns in the same area, each with whether its dates overlap this one's."""
    rows = campaigns(user)
    if campaign.area_code:
        rows = rows.filter(area_code=campaign.area_code)
    else:
        rows = rows.filter(area_code="", area_key=campaign.area_key)
    others = rows.exclude(pk=campaign.pk)
    end = campaign.ends_on or dt.date.max
    overlapping = Q(starts_on__lte=end) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=campaign.starts_on)
    )
    close = set(others.filter(overlapping).values_list("pk", flat=True))
    return [(c, c.pk in close) for c in others]


def view(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.pk,
        "agency": c.agency.name if c.agency else _("National coordination"),
        "title": c.title,
        "audiences": list(c.audiences),
        "area_code": c.area_code,
        "area": c.area,
        "materials": list(c.materials),
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "reach": c.reach,
    }
