"""Where the parts of #18 meet: a plan, programme or agreement names only organisations the
coordinator has approved in the directory (a draft entry is no one's vetted body yet); a
committee's report comes back to the group as closed once its case is closed."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from lantern.accounts.models import Role
from lantern.cases.models import Case
from lantern.directory.models import Organisation
from lantern.errors import Invalid
from lantern.protection.closure import service as closure
from lantern.protection.closure.checklist import checklist, open_items
from lantern.protection.triage import service as triage
from lantern.protection.triage.models import TriageItem
from lantern.response.agreements import service as agreements
from lantern.response.agreements.forms import AgreementForm
from lantern.response.community import committees
from lantern.response.programmes import service
from lantern.response.programmes.forms import ProgrammeForm
from lantern.response.programmes.models import NationalPlan, Programme
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(db):
    return Organisation.objects.create(name="Unvetted Shelter", type="NGO", status="draft")


def _plan(user, lead, partners=()):
    return service.save_plan(
        user,
        title="National Plan of Action 2024-2028",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        responsible=lead.pk,
        partners=[p.pk for p in partners],
    )


def test_a_plan_or_programme_is_led_only_by_an_approved_organisation(coordinator, ministry, draft):
    with pytest.raises(Invalid) as exc:
        _plan(coordinator, draft)
    assert exc.value.field == "responsible" and "not approved" in str(exc.value)
    with pytest.raises(Invalid) as exc:
        _plan(coordinator, ministry, partners=[draft])
    assert exc.value.field == "partners"
    assert not NationalPlan.objects.exists()
    plan = _plan(coordinator, ministry)
    with pytest.raises(Invalid) as exc:
        service.save_programme(
            coordinator,
            plan=plan.pk,
            title="Safe villages",
            goal="Fewer children recruited",
            areas=["NPL/Bagmati"],
            starts_on=dt.date(2024, 1, 1),
            deadline=dt.date(2027, 12, 31),
            responsible=draft.pk,
        )
    assert exc.value.field == "responsible"
    assert not Programme.objects.exists()
    # the form offers only the approved ones
    offered = dict(ProgrammeForm().fields["responsible"].choices)
    assert str(ministry.pk) in offered and str(draft.pk) not in offered


def test_an_agreement_is_signed_only_by_approved_organisations(coordinator, ministry, draft):
    values = dict(
        reference="MOU-NPL-IND-2023",
        title="MoU on return",
        type="readmission",
        countries=["NPL", "IND"],
        valid_from=dt.date(2023, 1, 1),
    )
    with pytest.raises(Invalid) as exc:
        agreements.save_agreement(coordinator, **values, parties=[ministry.pk, draft.pk])
    assert exc.value.field == "parties" and "Unvetted Shelter" in str(exc.value)
    row = agreements.save_agreement(coordinator, **values, parties=[ministry.pk])
    assert list(row.parties.all()) == [ministry]
    offered = dict(AgreementForm().fields["parties"].choices)
    assert str(ministry.pk) in offered and str(draft.pk) not in offered


def test_the_group_sees_its_report_closed_when_the_case_closes_through_the_workflow(
    fast_passwords,
):
    """From the committee's report to the case's approved closure, through the real services
    (no state set by hand): the group's view follows each step and never names the case."""
    factories.agency("ngo-one")
    sup, cw = factories.user("sup", Role.SUPERVISOR), factories.user("cw", Role.CASEWORKER)
    fac = factories.user("fac", Role.FACILITATOR)
    group = committees.create(
        sup,
        name="Ward 4",
        kind="vigilance_committee",
        area_code="NPL/Bagmati",
        area="Ward 4",
        facilitators=[fac.pk],
    )
    seen = committees.Seen(
        seen="A boy alone at the bus park since morning.",
        seen_on=dt.date.today(),
        place="Bus park",
        severity="report",
        concerns=["unaccompanied"],
        child_age=12,
    )
    report = committees.record_report(fac, group.pk, seen)
    status = lambda: committees.reports(fac, group)[0]["status"]  # noqa: E731
    item = TriageItem.objects.get(case=report.case)
    triage.take(cw, item.pk)
    triage.handle(cw, item.pk, "Met the boy with his uncle; case opened.")
    assert status() == "case_opened"
    case = Case.objects.get(pk=report.case_id)
    why = {i.key: "not needed: back with his family" for i in open_items(checklist(case))}
    request = closure.request_closure(
        cw, case, outcome="ran_away", reason="left at night", justifications=why
    )
    assert status() == "case_opened"  # a request is not a closure
    closure.approve(sup, request.pk)
    assert status() == "closed"
    assert case.reference not in json.dumps(committees.reports(fac, group), default=str)
