"""A case imported into ngo-one (team casework), and the people who may or may not touch it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from lantern.accounts.models import Role, Team, User
from lantern.cases.models import Case
from tests import factories


@dataclass
class Cast:
    case: Case
    cw: User  # a caseworker of the case's team
    sup: User  # the agency's supervisor
    admin: User  # the agency's administrator: views the case, may not change it
    other_team: User  # a caseworker of the same agency, another team
    other_agency: User  # a caseworker of another agency
    auditor: User
    analyst: User


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cast(db: Any, tmp_path: Any) -> Cast:
    factories.agency("ngo-one")
    factories.agency("police-two", "police")
    Team.objects.get_or_create(agency=factories.agency("ngo-one"), name="outreach")
    factories.import_records([factories.record(1, "ngo-one")], tmp_path)
    return Cast(
        case=Case.objects.get(agency__code="ngo-one"),
        cw=factories.user("cw", Role.CASEWORKER),
        sup=factories.user("sup", Role.SUPERVISOR),
        admin=factories.user("admin", Role.AGENCY_ADMIN),
        other_team=factories.user("cw_outreach", Role.CASEWORKER, team="outreach"),
        other_agency=factories.user("cw_police", Role.CASEWORKER, agency_code="police-two"),
        auditor=factories.user("aud", Role.AUDITOR, agency_code=None, team=None),
        analyst=factories.user("ana", Role.ANALYST, agency_code=None, team=None),
    )
