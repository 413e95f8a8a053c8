"""`lantern cases review-actual`: old "Actual" statuses without a formal determination are
listed, and with --apply set back to "Possible", audited; formal ones are left alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from lantern.cases.models import Case, TraffickingStatus
from tests import factories

pytestmark = pytest.mark.django_db

ACTUAL, POSSIBLE = TraffickingStatus.ACTUAL, TraffickingStatus.POSSIBLE


@pytest.fixture
def cases(tmp_path: Path) -> dict[str, Case]:
    factories.agency("ngo-one")
    factories.agency("police-two", "police")
    rows = [factories.record(i, "ngo-one") for i in range(1, 6)]
    rows.append(factories.record(50, "police-two"))
    factories.import_records(rows, tmp_path)
    own = list(Case.objects.filter(agency__code="ngo-one").order_by("pk"))
    other = Case.objects.get(agency__code="police-two")
    status = {"trafficking_status": ACTUAL, "trafficking_determination_source": ""}
    # screened "Actual" before determinations existed: by a police caseworker, by an NGO
    Case.objects.filter(pk=own[0].pk).update(**status, trafficking_status_decided_by="Police")
    Case.objects.filter(pk=own[1].pk).update(**status, trafficking_status_decided_by="NGO")
    # a court's decision recorded with its date; an agency's own imported "Actual"
    Case.objects.filter(pk=own[2].pk).update(
        trafficking_status=ACTUAL,
        trafficking_status_decided_by="CourtOrProsecution",
        trafficking_determined_on=dt.date(2025, 5, 1),
        trafficking_determination_source="recorded",
    )
    Case.objects.filter(pk=own[3].pk).update(
        trafficking_status=ACTUAL,
        trafficking_status_decided_by="Police",
        trafficking_determination_source="import",
    )
    Case.objects.filter(pk=own[4].pk).update(trafficking_status=POSSIBLE)
    Case.objects.filter(pk=other.pk).update(**status, trafficking_status_decided_by="Police")
    return {"police": own[0], "ngo": own[1], "court": own[2], "import": own[3], "other": other}


def _status(case: Case) -> str:
    return Case.objects.get(pk=case.pk).trafficking_status


def test_the_dry_run_lists_and_changes_nothing_then_apply_sets_possible(
    cases: dict[str, Case], cli: Any
) -> None:
    factories.user("sup", Role.SUPERVISOR, agency_code="ngo-one")
    dry = cli("cases", "review-actual", "--user", "sup")
    assert dry.exit_code == 0, dry.output
    listed = {line.split("\t")[0] for line in dry.output.splitlines() if "\t" in line}
    assert listed == {cases["police"].reference, cases["ngo"].reference}
    assert "2 case(s)" in dry.output and "dry run" in dry.output
    assert all(_status(c) == ACTUAL for k, c in cases.items())
    assert AuditEntry.objects.filter(action="review", resource="case").count() == 1

    done = cli("cases", "review-actual", "--user", "sup", "--apply")
    assert done.exit_code == 0, done.output
    assert _status(cases["police"]) == _status(cases["ngo"]) == POSSIBLE
    assert Case.objects.get(pk=cases["police"].pk).trafficking_status_decided_by == "Police"
    # a formal determination, an agency's own record and another agency's case are left alone
    assert _status(cases["court"]) == _status(cases["import"]) == ACTUAL
    assert _status(cases["other"]) == ACTUAL
    entries = AuditEntry.objects.filter(action="update", record_id=cases["police"].reference)
    [entry] = [e for e in entries if e.fields == ["trafficking_status"]]
    assert "formal determination" in entry.reason and "Actual (Police) -> Possible" in entry.reason
    assert entry.username == "sup" and entry.source.startswith("cli ")
    again = cli("cases", "review-actual", "--user", "sup")
    assert "0 case(s)" in again.output


def test_only_a_supervisor_reviews(cases: dict[str, Case], cli: Any) -> None:
    factories.user("cw", Role.CASEWORKER, agency_code="ngo-one")
    res = cli("cases", "review-actual", "--user", "cw", "--apply")
    assert res.exit_code == 2 and "may not" in res.output
    assert cli("cases", "review-actual", "--user", "nobody").exit_code == 2
    assert _status(cases["police"]) == ACTUAL
