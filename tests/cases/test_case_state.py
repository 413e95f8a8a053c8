"""A case's state has one writer (``workflow._apply``, and ``workflow.imported`` for a record's
first arrival): its HTCDS status is derived from the state, imports never move a case worked
here, and a transition is checked against the state the database holds, under a row lock."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.accounts.models import Role, User
from lantern.cases import workflow
from lantern.cases.models import Case, CaseTransition
from lantern.errors import Refused
from lantern.protection.safety.models import RiskAssessment
from tests import closing, factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseworker() -> User:
    factories.agency("ngo-one")
    return factories.user("state-cw", Role.CASEWORKER, agency_code="ngo-one", team="casework")


def _import(tmp_path: Path, **fields: str) -> Case:
    row = factories.record(1, "ngo-one")
    row.update(fields)
    factories.import_records([row], tmp_path)
    return Case.objects.get(source_record_id=row["source_record_id"])


@pytest.mark.parametrize(
    ("status", "outcome", "state", "derived", "kept"),
    [
        ("Active", "", "identified", "Active", ""),
        ("FollowUp", "", "follow_up", "FollowUp", ""),
        ("Closed", "reunited_with_family", "closed", "Closed", "reunited_with_family"),
        ("ClosedReferred", "", "closed", "ClosedReferred", "transferred"),
    ],
)
def test_an_imported_record_arrives_in_the_state_its_status_reports(
    tmp_path: Path, status: str, outcome: str, state: str, derived: str, kept: str
) -> None:
    # Before: an imported "Closed" case was stored as state "identified" with status "Closed",
    # and the next derivation called it Active.
    case = _import(tmp_path, cas_Status=status, cas_Outcome=outcome)
    assert (case.state, case.status, case.outcome) == (state, derived, kept)
    assert workflow.htcds_status(case) == case.status


def test_an_import_never_moves_a_case_worked_here(tmp_path: Path, caseworker: User) -> None:
    case = _import(tmp_path, cas_Status="Active")
    closing.close(caseworker, case, "ran_away", "left the shelter at night")
    (tmp_path / "again").mkdir()
    again = _import(tmp_path / "again", cas_Status="Active", cas_RegistrationDate="2024-02-02")
    assert again.pk == case.pk and str(again.registration_date) == "2024-02-02"  # updated
    assert (again.state, again.status, again.outcome) == ("closed", "Closed", "ran_away")


def test_a_stale_copy_cannot_move_a_case_the_database_has_moved_on(
    tmp_path: Path, caseworker: User
) -> None:
    case = _import(tmp_path, cas_Status="Active")
    RiskAssessment.objects.create(case=case, level="low", assessed_at=workflow.now())
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)  # two requests
    closing.close(caseworker, first, "died", "recorded by the first request")
    assert second.state == "identified"  # what the second request still believes
    with pytest.raises(Refused, match="from closed"):
        workflow.transition(caseworker, second, "assessed", "recorded by the second request")
    assert Case.objects.get(pk=case.pk).state == "closed"
    assert list(CaseTransition.objects.filter(case=case).values_list("to_state", flat=True)) == [
        "closed"
    ]
