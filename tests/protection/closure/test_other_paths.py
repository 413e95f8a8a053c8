"""Paths other than the closure request: a transfer abroad closes without one (the work goes on
with the partner) and keeps a child's status only with its formal determination; an import
never closes a case that is open here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from lantern.audit.models import AuditEntry
from lantern.cases.models import Case, ClosureRequest, Consent, TraffickingStatus
from lantern.exchange.keys import installation_keys
from lantern.exchange.packets import InstallationKeys, open_packet, seal
from lantern.protection.closure import service
from lantern.protection.intake import service as intake
from lantern.protection.transfers import service as transfers
from lantern.protection.transfers.models import Agreement
from tests import factories
from tests.protection.conftest import AGREEMENT, World

pytestmark = pytest.mark.django_db

ACTUAL, POSSIBLE = TraffickingStatus.ACTUAL, TraffickingStatus.POSSIBLE
DECIDED = dt.date(2025, 6, 2)


def _allow_the_determination() -> None:
    ag = Agreement.objects.get(reference=AGREEMENT)
    ag.allowed_fields = [
        *ag.allowed_fields,
        "vic_TraffickingStatusDecisionMakingOrg",
        "ext_TraffickingDeterminedOn",
    ]
    ag.save(update_fields=["allowed_fields"])


def _packet(partner: InstallationKeys, ref: str, **payload: str) -> bytes:
    body = {"ext_Agreement": AGREEMENT, "ext_SourceCaseReference": ref, **payload}
    return seal(body, agreement=AGREEMENT, sender=partner, recipient=installation_keys().public())


def test_a_formal_determination_travels_with_its_body_and_date(
    world: World, partner: InstallationKeys
) -> None:
    _allow_the_determination()
    case = intake.open_case(
        world.users["cw"], "self_referral", intake.Child("Maya"), {}, confirm_new=True
    )
    Case.objects.filter(pk=case.pk).update(
        trafficking_status=ACTUAL,
        trafficking_status_decided_by="CourtOrProsecution",
        trafficking_determined_on=DECIDED,
        trafficking_determination_source="recorded",
    )
    case.refresh_from_db()
    Consent.objects.create(case=case, item="referral_sharing", value=True, given_by="child")
    pending = service.request_closure(world.users["cw"], case, outcome="ran_away", reason="not yet")
    blob = transfers.export_packet(world.users["sup"], case, agreement=AGREEMENT, reason="home")
    sent = open_packet(blob, recipient=partner, sender=installation_keys().public()).payload
    assert sent["vic_TraffickingStatus"] == ACTUAL
    assert sent["ext_TraffickingDeterminedOn"] == DECIDED.isoformat()
    case.refresh_from_db()
    assert (case.state, case.outcome) == ("closed", "transferred")  # no request needed
    assert ClosureRequest.objects.get(pk=pending.pk).status == "withdrawn"
    export = AuditEntry.objects.get(action="export", record_id=case.reference)
    assert "left open here: none" in export.reason


def test_the_receiving_side_keeps_actual_only_with_its_determination(
    world: World, partner: InstallationKeys
) -> None:
    _allow_the_determination()
    liaison = world.users["liaison"]
    formal = transfers.import_packet(
        liaison,
        _packet(
            partner,
            "C-1",
            vic_TraffickingStatus=ACTUAL,
            vic_TraffickingStatusDecisionMakingOrg="Police",
            ext_TraffickingDeterminedOn=DECIDED.isoformat(),
        ),
    )
    assert formal.trafficking_status == ACTUAL
    assert formal.trafficking_status_decided_by == "Police"
    assert formal.trafficking_determined_on == DECIDED
    assert formal.trafficking_determination_source == "import"

    for ref, payload in {
        "C-2": {"vic_TraffickingStatus": ACTUAL},  # what packets carried before
        "C-3": {
            "vic_TraffickingStatus": ACTUAL,
            "vic_TraffickingStatusDecisionMakingOrg": "NGO",  # no formal body
            "ext_TraffickingDeterminedOn": DECIDED.isoformat(),
        },
        "C-4": {
            "vic_TraffickingStatus": ACTUAL,
            "vic_TraffickingStatusDecisionMakingOrg": "CourtOrProsecution",
            "ext_TraffickingDeterminedOn": (
                timezone.localdate() + dt.timedelta(days=9)
            ).isoformat(),  # not decided yet
        },
    }.items():
        got = transfers.import_packet(liaison, _packet(partner, ref, **payload))
        assert got.trafficking_status == POSSIBLE, ref
        assert got.trafficking_determined_on is None and got.trafficking_determination_source == ""
        entry = AuditEntry.objects.get(action="import", record_id=got.reference)
        assert "kept as Possible" in entry.reason


def test_an_import_never_closes_a_case_open_here(tmp_path: Path) -> None:
    factories.agency("ngo-one")
    row = factories.record(1, "ngo-one")
    factories.import_records([{**row, "cas_Status": "Active"}], tmp_path)
    case = Case.objects.get(source_record_id=row["source_record_id"])
    (tmp_path / "again").mkdir()
    factories.import_records(
        [{**row, "cas_Status": "Closed", "cas_Outcome": "ran_away"}], tmp_path / "again"
    )
    case.refresh_from_db()
    assert (case.state, case.status, case.outcome) == ("identified", "Active", "")
