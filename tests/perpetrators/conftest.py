"""A small world for the register: two agencies, three children's cases, traffickers named in
them (one person known to both agencies under different references), and one user per role
the register concerns."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from lantern.accounts.models import Role, User
from lantern.cases.models import Actor, Case
from lantern.perpetrators.enrol import enrol_unlinked
from lantern.perpetrators.models import Perpetrator
from tests import factories


@dataclass
class World:
    shelter_cases: list[Case]  # ngo-one's (Kathmandu shelter)
    police_case: Case  # police-two's (Mumbai police)
    users: dict[str, User]

    def record_of(self, agency: str, ref: str) -> Perpetrator:
        actor = Actor.objects.get(agency__code=agency, ref=ref)
        return actor.register_link.perpetrator


def _actors(*items: tuple[str, str, str]) -> str:
    return json.dumps(
        [
            {"ref": ref, "role": role, "relationship": rel, "network_ref": ""}
            for ref, role, rel in items
        ]
    )


@pytest.fixture
def world(tmp_path: Path, fast_passwords: None) -> World:
    factories.agency("ngo-one")
    factories.agency("police-two", "police")
    rows = [factories.record(i, "ngo-one") for i in (1, 2)] + [factories.record(3, "police-two")]
    rows[0]["per_Actors"] = _actors(("UNCLE", "recruiter", "Familial"))
    rows[1]["per_Actors"] = _actors(("UNCLE", "transporter", "Acquainted"))
    rows[2]["per_Actors"] = _actors(
        ("BROKER-9", "broker", "Unaquainted"), ("OFFICER-2", "corrupt_official", "")
    )
    factories.import_records(rows, tmp_path)
    enrol_unlinked()  # what the import's records_imported receiver does after its commit
    users: dict[str, Any] = {
        "caseworker": factories.user("cw", Role.CASEWORKER),
        "supervisor": factories.user("sup", Role.SUPERVISOR),
        "liaison": factories.user("lia", Role.LIAISON, agency_code="police-two"),
        "coordinator": factories.user("nc", Role.NATIONAL_COORDINATOR, agency_code=None, team=None),
    }
    shelter = list(Case.objects.filter(agency__code="ngo-one").order_by("source_record_id"))
    for case in shelter:  # the shelter's caseworker's team holds its cases
        case.team = users["caseworker"].team
        case.save(update_fields=["team"])
    return World(shelter, Case.objects.get(agency__code="police-two"), users)
