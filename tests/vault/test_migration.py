"""The migrations that encrypt free text: clear values already in the store (empty ones too)
become ciphertexts bound to their columns, and unapplying them gives the clear text back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from lantern.cases.models import Case, CaseTransition
from lantern.directory.models import Organisation
from lantern.linkage.models import ReviewDecision
from lantern.protection.intake.models import Intake
from lantern.protection.referrals.models import Referral
from lantern.protection.tracing.models import TracingRequest
from lantern.protection.transfers.models import Transfer
from lantern.vault import keys
from tests import factories
from tests.migrating import back_to_latest, migrate, migrate_to_latest
from tests.vault.conftest import raw

__all__ = ["back_to_latest"]  # the fixture, used by name

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("cases", "0005_agreement_partner_keys"),
    ("linkage", "0002_linkrun_model_linkrun_review_linkrun_scored_pairs"),
]
MEDICAL = "medical emergency: taken to the district hospital at night"


@pytest.fixture
def records(tmp_path: Path) -> dict[str, Any]:
    factories.agency("ngo-one")
    rows = [factories.record(1, "ngo-one"), factories.record(2, "ngo-one")]
    factories.import_records(rows, tmp_path)
    case = Case.objects.order_by("pk").first()
    assert case is not None
    now = dt.datetime.now(dt.UTC)
    org = Organisation.objects.create(name="Clinic", type="HealthServiceOrganisation")
    a, b = sorted(Case.objects.values_list("person_id", flat=True))
    return {
        ("cases_casetransition", "reason"): (
            CaseTransition.objects.create(
                case=case, from_state="identified", to_state="assessed", reason=MEDICAL, at=now
            ).pk,
            MEDICAL,
        ),
        ("cases_intake", "referral_reason"): (
            Intake.objects.create(
                case=case, channel="referral", referral_reason="found at a spa"
            ).pk,
            "found at a spa",
        ),
        ("cases_referral", "response_reason"): (
            Referral.objects.create(
                case=case,
                organisation=org,
                services=["medical"],
                fields_shared=[],
                consent_basis="child_assent",
                response_reason="no neurologist this month",
                requested_at=now,
                due_date=dt.date.today(),
            ).pk,
            "no neurologist this month",
        ),
        ("cases_tracingrequest", "decision_reason"): (
            TracingRequest.objects.create(
                agency=case.agency,
                requester_relation="mother",
                decision_reason="",  # empty: encrypted as well
                created_at=now,
            ).pk,
            "",
        ),
        ("cases_transfer", "reason"): (
            Transfer.objects.create(
                case=case,
                direction="outgoing",
                reason="moved to her aunt",
                status="completed",
                at=now,
            ).pk,
            "moved to her aunt",
        ),
        ("linkage_reviewdecision", "reason"): (
            ReviewDecision.objects.create(
                person_a_id=a, person_b_id=b, same=True, reason="same birthmark"
            ).pk,
            "same birthmark",
        ),
    }


def test_unapplying_decrypts_and_applying_encrypts_what_is_stored(
    records: dict[tuple[str, str], tuple[int, str]], back_to_latest: None
) -> None:
    for (table, column), (pk, _) in records.items():
        assert keys.KeyRing.version(raw(table, column, pk)) == "v2", (table, column)

    migrate(BEFORE)  # as an installation was before: clear columns
    for (table, column), (pk, text) in records.items():
        assert raw(table, column, pk) == text, (table, column)

    migrate_to_latest()
    for (table, column), (pk, text) in records.items():
        stored = raw(table, column, pk)
        assert stored and keys.KeyRing.version(stored) == "v2", (table, column)
        assert text == "" or text not in stored
        assert keys.decrypt(stored, f"{table.replace('_', '.', 1)}.{column}") == text
    assert CaseTransition.objects.get().reason == MEDICAL
