"""Assignment: who may give a case an owner, to whom, and what is kept."""

from __future__ import annotations

import pytest

from lantern.accounts.models import Role, Team
from lantern.audit.models import AuditEntry
from lantern.cases import assignment
from lantern.cases.models import Case, CaseAssignment
from lantern.errors import Invalid, NotAllowed, NotFound, Refused
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(tmp_path):
    rows = [factories.record(i, "ngo-one") for i in range(4)]
    rows += [factories.record(100 + i, "police-two") for i in range(2)]
    factories.agency("ngo-one")
    factories.agency("police-two")
    factories.import_records(rows, tmp_path)
    return {
        "sup": factories.user("sup", Role.SUPERVISOR),
        "cw": factories.user("cw"),
        "cw2": factories.user("cw2"),
        "other": factories.user("other-cw", agency_code="police-two"),
        "own": list(Case.objects.filter(agency__code="ngo-one").order_by("pk")),
        "foreign": Case.objects.filter(agency__code="police-two").first(),
    }


def test_a_supervisor_assigns_and_the_audit_keeps_before_and_after(store):
    case = store["own"][0]
    done = assignment.assign(store["sup"], case.pk, store["cw"].pk, source="test")
    case.refresh_from_db()
    assert case.owner == store["cw"] and done.from_owner == "" and done.to_owner == "cw"
    entry = AuditEntry.objects.filter(action="assign", record_id=case.reference).get()
    assert entry.reason == f"- -> cw: assignment {done.assignment_id}"
    assert entry.fields == ["owner"]


def test_reassigning_needs_a_reason_kept_encrypted_not_in_the_audit(store):
    case, sup = store["own"][0], store["sup"]
    assignment.assign(sup, case.pk, store["cw"].pk)
    with pytest.raises(Invalid) as err:
        assignment.assign(sup, case.pk, store["cw2"].pk)
    assert err.value.field == "reason"
    done = assignment.assign(sup, case.pk, store["cw2"].pk, "cw is on leave until May")
    step = CaseAssignment.objects.get(pk=done.assignment_id)
    assert step.reason == "cw is on leave until May" and step.from_owner == store["cw"]
    assert not AuditEntry.objects.filter(reason__contains="leave").exists()
    with pytest.raises(Refused):
        assignment.assign(sup, case.pk, store["cw2"].pk, "again")


def test_cannot_assign_to_another_agencys_worker(store):
    case = store["own"][0]
    with pytest.raises(Invalid) as err:
        assignment.assign(store["sup"], case.pk, store["other"].pk)
    assert err.value.field == "owner"
    case.refresh_from_db()
    assert case.owner is None
    assert not AuditEntry.objects.filter(action="assign").exists()


def test_cannot_assign_to_a_worker_outside_the_cases_team(store):
    other_team = Team.objects.create(agency=store["cw"].agency, name="night shift")
    night = factories.user("night", team=None)
    night.team = other_team
    night.save()
    with pytest.raises(Invalid):
        assignment.assign(store["sup"], store["own"][0].pk, night.pk)


def test_cannot_assign_a_case_out_of_scope_or_without_the_right(store):
    with pytest.raises(NotFound):
        assignment.assign(store["sup"], store["foreign"].pk, store["cw"].pk)
    with pytest.raises(NotAllowed):  # a caseworker sees the case but does not assign
        assignment.assign(store["cw"], store["own"][0].pk, store["cw"].pk)


def test_bulk_is_all_or_nothing_and_names_the_failing_case(store):
    sup, own = store["sup"], store["own"]
    assignment.assign(sup, own[2].pk, store["cw"].pk)
    ids = [own[0].pk, own[1].pk, own[2].pk]  # the third already has an owner: no reason given
    with pytest.raises(Invalid) as err:
        assignment.assign_many(sup, ids, store["cw2"].pk)
    assert own[2].reference in err.value.reason
    assert not Case.objects.filter(pk__in=ids[:2], owner__isnull=False).exists()
    with pytest.raises(NotFound) as missing:
        assignment.assign_many(sup, [own[0].pk, store["foreign"].pk], store["cw2"].pk)
    assert f"#{store['foreign'].pk}" in missing.value.reason
    done = assignment.assign_many(sup, ids, store["cw2"].pk, "balancing the caseload")
    assert [d.to_owner for d in done] == ["cw2"] * 3
    assert Case.objects.filter(pk__in=ids, owner=store["cw2"]).count() == 3


def test_workers_are_the_agencys_casework_staff(store):
    names = [w.username for w in assignment.workers(store["sup"])]
    assert names == ["cw", "cw2", "sup"]
