"""The demo gives its open cases owners: every demo caseworker starts with work."""

from __future__ import annotations

import pytest

from lantern.accounts.models import Role, User
from lantern.audit.models import AuditEntry
from lantern.cases.models import Case, CaseAssignment
from lantern.demo import cli as demo
from lantern.demo.caseloads import assign_caseloads
from lantern.demo.histories import seed_workflows
from lantern.protection import worklists
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_demo_caseworker_has_work_and_some_cases_wait(tmp_path):
    agencies = [factories.agency("ngo-one"), factories.agency("police-two")]
    rows = [factories.record(i, "ngo-one") for i in range(30)]
    rows += [factories.record(100 + i, "police-two") for i in range(5)]
    factories.import_records(rows, tmp_path)
    demo._create_users(agencies)
    seed_workflows(seed=3, fraction=0.6)
    given = assign_caseloads(seed=3, share=0.8)
    caseworkers = User.objects.filter(role=Role.CASEWORKER)
    assert set(given) == {u.username for u in caseworkers}
    for u in caseworkers:
        assert worklists.my_tasks(u), f"{u.username} has an empty work list"
    owned = Case.objects.filter(owner__isnull=False)
    assert all(c.owner.team_id == c.team_id for c in owned.select_related("owner"))
    assert Case.objects.filter(owner__isnull=True).exclude(state="closed").exists()
    assert CaseAssignment.objects.count() == owned.count()
    assert AuditEntry.objects.filter(action="assign").count() == owned.count()


def test_a_demo_built_before_assignment_gets_owners_when_reused(tmp_path):
    agencies = [factories.agency("ngo-one")]
    factories.import_records([factories.record(i, "ngo-one") for i in range(10)], tmp_path)
    demo._create_users(agencies)
    demo.build()  # reuses the database: its open cases had no owner
    worker = User.objects.get(username="demo-caseworker")
    assert Case.objects.filter(owner=worker).exists()
    assert worklists.my_tasks(worker)


def test_the_demos_arrivals_wait_in_triage_and_a_closure_awaits_the_supervisor(tmp_path):
    from lantern.demo.arrivals import seed_arrivals
    from lantern.protection.closure import service as closure
    from lantern.protection.triage.models import TriageItem

    agencies = [factories.agency("ngo-one"), factories.agency("police-two")]
    factories.import_records([factories.record(i, "ngo-one") for i in range(12)], tmp_path)
    demo._create_users(agencies)
    seed_workflows(seed=3, fraction=0.6)
    assign_caseloads(seed=3, share=1.0)
    made = seed_arrivals()
    assert made == {"reports": 3, "closure_requests": 1}
    urgencies = sorted(TriageItem.objects.values_list("urgency", flat=True))
    assert urgencies == ["high", "immediate", "immediate"]  # exploitation: high at least
    supervisor = User.objects.get(username="demo-supervisor")
    assert closure.pending(supervisor).count() == 1
    kinds = {t.kind for t in worklists.my_tasks(supervisor)}
    assert "closure_awaiting_approval" in kinds
