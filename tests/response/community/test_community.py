"""Community prevention: the register keeps a child only with consent and only for the roles
the policy names; a committee's report reaches the triage queue by severity and its status comes
back to the group; campaigns show the others in their area; schooling and inspections count."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from lantern.accounts import policy
from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from lantern.cases.models import Case, LifecycleState
from lantern.errors import Invalid, NotAllowed, NotFound, Refused
from lantern.protection.triage import service as triage
from lantern.protection.triage.models import TriageItem
from lantern.response.community import atrisk, campaigns, committees, education, inspections
from lantern.response.community.models import AtRiskChild, Committee, CommitteeReport, Enrolment
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture
def people(fast_passwords: None) -> dict[str, Any]:
    factories.agency("ngo-one")
    factories.agency("police-two")
    return {
        "sup": factories.user("sup", Role.SUPERVISOR),
        "cw": factories.user("cw", Role.CASEWORKER),
        "fac": factories.user("fac", Role.FACILITATOR),
        "other_fac": factories.user("fac2", Role.FACILITATOR),
        "nc": factories.user("nc", Role.NATIONAL_COORDINATOR, agency_code=None, team=None),
        "sup_two": factories.user("sup2", Role.SUPERVISOR, agency_code="police-two"),
    }


def _child(**extra: Any) -> atrisk.Referral:
    base: dict[str, Any] = {
        "given_name": "Mina",
        "family_name": "Tamang",
        "community": "Upper Ward 4",
        "district": "Sindhupalchok",
        "age": 12,
        "gender": "Feminine",
        "risk_factors": ["out_of_school", "family_debt"],
        "services": ["school", "livelihood"],
        "consent_by": "guardian",
        "consent_on": TODAY,
    }
    return atrisk.Referral(**(base | extra))


# --- the at-risk register ---------------------------------------------------------------------


def test_the_register_refuses_a_child_without_recorded_consent_and_keeps_nothing(people):
    with pytest.raises(Refused) as err:
        atrisk.register(people["sup"], _child(consent_by="", consent_on=None))
    assert err.value.field == "consent_by"
    assert "only with recorded consent" in err.value.reason
    assert not AtRiskChild.objects.exists()


def test_a_child_on_the_register_is_encrypted_and_read_only_by_the_named_roles(people):
    row = atrisk.register(people["sup"], _child())
    with connection.cursor() as cur:
        cur.execute("SELECT given_name, family_name, community FROM cases_atriskchild")
        stored = " ".join(cur.fetchone())
    assert "Mina" not in stored and "Tamang" not in stored and "Ward" not in stored
    shown = atrisk.detail(people["sup"], row)
    assert (shown["given_name"], shown["community"]) == ("Mina", "Upper Ward 4")
    read = AuditEntry.objects.filter(resource="atrisk", action="read", record_id=str(row.pk))
    assert read.count() == 1 and "given_name" in read.get().fields
    # a caseworker (no rule), the coordinator and another agency's supervisor: nothing
    for who in ("cw", "fac", "nc"):
        with pytest.raises(NotAllowed):
            atrisk.register_rows(people[who])
    with pytest.raises(NotFound):
        atrisk.child_for(people["sup_two"], row.pk)
    assert list(atrisk.register_rows(people["sup_two"])) == []


def test_follow_up_visits_record_outcomes_and_withdrawal_erases_the_child(people):
    row = atrisk.register(people["sup"], _child())
    atrisk.record_visit(people["sup"], row.pk, visited_on=TODAY, outcome="in_school", notes="ok")
    with pytest.raises(Invalid) as err:
        atrisk.record_visit(people["sup"], row.pk, visited_on=TODAY, outcome="teleported")
    assert err.value.field == "outcome"
    assert [v["outcome"] for v in atrisk.detail(people["sup"], row)["visits"]] == ["in_school"]
    education.enrol(
        people["sup"],
        child_id=row.pk,
        kind="school",
        institution="Hill School",
        started_on=TODAY,
    )
    atrisk.withdraw(people["sup"], row.pk)
    assert not AtRiskChild.objects.exists() and not Enrolment.objects.exists()
    assert AuditEntry.objects.filter(resource="atrisk", action="delete").exists()


def test_a_caseworker_cannot_read_the_register_over_the_api(people):
    row = atrisk.register(people["sup"], _child())
    for who, api, page in (("cw", 403, 404), ("sup", 200, 200)):
        c = factories.verified_login(Client(), people[who])
        r = c.get(f"/api/at-risk/{row.pk}")
        assert r.status_code == api and ("Mina" in r.content.decode()) == (api == 200)
        r = c.get(f"/prevention/at-risk/{row.pk}/")
        assert r.status_code == page and ("Mina" in r.content.decode()) == (page == 200)
        assert c.get("/prevention/at-risk/").status_code == page
    body = Client().get("/api/at-risk", HTTP_AUTHORIZATION=f"Bearer {factories.api_token('cw')}")
    assert body.status_code == 403 and "Mina" not in body.content.decode()


# --- committees and their reports -------------------------------------------------------------


def _committee(people: dict[str, Any]) -> Committee:
    c = committees.create(
        people["sup"],
        name="Ward 4 vigilance committee",
        kind="vigilance_committee",
        area_code="NPL/Bagmati",
        area="Sindhupalchok, wards 3-5",
        facilitators=[people["fac"].pk],
    )
    committees.add_member(
        people["sup"], c.pk, name="Hari Shrestha", contact="98-000", joined_on=TODAY
    )
    return c


SEEN = committees.Seen(
    seen="A girl of about 13 left with a man promising work in the city.",
    seen_on=TODAY,
    place="Bus park, gate 2",
    severity="intervene",
    concerns=["suspected_trafficking"],
    child_name="Asha",
    child_age=13,
    child_gender="Feminine",
)


def test_a_committee_report_enters_the_triage_queue_by_severity_and_its_status_comes_back(people):
    c = _committee(people)
    report = committees.record_report(people["fac"], c.pk, SEEN)
    item = TriageItem.objects.get(case=report.case)
    assert item.urgency == "immediate"  # intervene, under 15: the queue's own rule
    assert [r.case_id for r in triage.queue(people["cw"])] == [report.case_id]
    status = lambda: committees.reports(people["fac"], c)[0]["status"]  # noqa: E731
    assert status() == "received"
    triage.take(people["cw"], item.pk)
    assert status() == "triaged"
    triage.handle(people["cw"], item.pk, "Child met with her mother; case opened.")
    assert status() == "case_opened"
    Case.objects.filter(pk=report.case_id).update(state=LifecycleState.CLOSED)
    assert status() == "closed"
    # what comes back names no case and no child
    shown = committees.reports(people["fac"], c)[0]
    assert "Asha" not in json.dumps(shown, default=str) and "case" not in shown


def test_a_low_severity_report_waits_as_normal_and_a_bad_one_saves_nothing(people):
    c = _committee(people)
    low = committees.record_report(
        people["fac"],
        c.pk,
        committees.Seen(
            **{**SEEN.__dict__, "severity": "monitor", "concerns": ["at_risk"], "child_age": 16}
        ),
    )
    assert TriageItem.objects.get(case=low.case).urgency == "normal"
    for field, value in (("severity", "panic"), ("place", ""), ("seen", " ")):
        with pytest.raises(Invalid) as err:
            committees.record_report(
                people["fac"], c.pk, committees.Seen(**{**SEEN.__dict__, field: value})
            )
        assert err.value.field == field
    assert CommitteeReport.objects.count() == 1 and Case.objects.count() == 1


def test_only_the_committees_own_facilitator_records_its_reports_and_members_stay_hidden(people):
    c = _committee(people)
    with pytest.raises(NotFound):
        committees.record_report(people["other_fac"], c.pk, SEEN)
    with pytest.raises(NotAllowed):
        committees.record_report(people["cw"], c.pk, SEEN)
    assert [m["name"] for m in committees.members(people["fac"], c)] == [None]
    assert [m["name"] for m in committees.members(people["sup"], c)] == ["Hari Shrestha"]
    with connection.cursor() as cur:
        cur.execute("SELECT name, contact FROM cases_committeemember")
        assert "Hari" not in " ".join(cur.fetchone())
    # the facilitator cannot read the case the report opened
    report = committees.record_report(people["fac"], c.pk, SEEN)
    assert not policy.scope_cases(people["fac"], "view").filter(pk=report.case_id).exists()


def test_only_a_role_that_records_reports_facilitates_and_only_its_own_committee(people):
    c = _committee(people)
    assert [u.username for u in committees.facilitators_of(people["sup"].agency_id)] == [
        "fac",
        "fac2",
    ]
    with pytest.raises(Invalid) as err:
        committees.create(
            people["sup"],
            name="Ward 5",
            kind="watch_group",
            area_code="NPL/Bagmati",
            area="Ward 5",
            facilitators=[people["cw"].pk],
        )
    assert err.value.field == "facilitators"
    may = {who: committees.may_report(people[who], c) for who in ("fac", "other_fac", "sup")}
    assert may == {"fac": True, "other_fac": False, "sup": False}


def test_a_facilitator_records_a_report_over_the_api(people):
    c = _committee(people)
    token = factories.api_token("fac")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = {
        "seen": "Boys loaded on a truck at night",
        "seen_on": TODAY.isoformat(),
        "place": "Brick kiln road",
        "severity": "report",
        "concerns": ["possible_exploitation"],
    }
    url = f"/api/committees/{c.pk}/reports"
    r = Client().post(url, body, content_type="application/json", **auth)
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "received" and r.json()["urgency"] == "high"
    r = Client().post(url, {**body, "severity": "x"}, content_type="application/json", **auth)
    assert r.status_code == 422 and r.json()["field"] == "severity"
    r = Client().get(url, **auth)
    assert [x["status"] for x in r.json()["reports"]] == ["received"]


# --- campaigns, education, inspections --------------------------------------------------------


def test_a_campaign_shows_the_others_in_the_same_area(people):
    plan = campaigns.Plan(
        title="Safe migration radio",
        audiences=["parents"],
        area_code="NPL/Bagmati",
        area="Sindhupalchok",
        materials=["radio"],
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=30),
    )
    first = campaigns.create(people["sup"], plan)
    other = campaigns.create(
        people["sup_two"],
        campaigns.Plan(**{**plan.__dict__, "area_code": "npl/bagmati", "area": "Dolakha"}),
    )
    later = campaigns.create(
        people["nc"],
        campaigns.Plan(
            **{**plan.__dict__, "starts_on": TODAY + dt.timedelta(days=90), "ends_on": None}
        ),
    )
    campaigns.create(
        people["sup"], campaigns.Plan(**{**plan.__dict__, "area_code": "NPL/Koshi", "area": "x"})
    )
    assert other.area_code == "NPL/Bagmati"  # one spelling, whatever the case typed
    same = {c.pk: overlaps for c, overlaps in campaigns.same_area(people["cw"], first)}
    assert same == {other.pk: True, later.pk: False}
    with pytest.raises(NotAllowed):
        campaigns.create(people["cw"], plan)
    with pytest.raises(Invalid) as err:
        campaigns.create(people["sup"], campaigns.Plan(**{**plan.__dict__, "materials": []}))
    assert err.value.field == "materials"
    for code in ("", "Sindhupalchok", "NPL/Atlantis"):  # an area of the list, or refused
        with pytest.raises(Invalid) as err:
            campaigns.create(people["sup"], campaigns.Plan(**{**plan.__dict__, "area_code": code}))
        assert err.value.field == "area_code"


def test_a_rescued_childs_schooling_and_attendance(people, tmp_path):
    factories.import_records([factories.record(1, "ngo-one")], tmp_path)
    case = Case.objects.get()
    row = education.enrol(
        people["cw"],
        case=case,
        kind="vocational",
        institution="Tailoring centre",
        course="Tailoring",
        started_on=TODAY.replace(day=1),
    )
    education.record_attendance(people["cw"], row.pk, month=TODAY, days_attended=18, days_open=20)
    with pytest.raises(Invalid) as err:
        education.record_attendance(
            people["cw"], row.pk, month=TODAY, days_attended=21, days_open=20
        )
    assert err.value.field == "days_attended"
    (shown,) = education.enrolments(people["cw"], case=case)
    assert shown["attendance_rate"] == 0.9 and shown["institution"] == "Tailoring centre"
    with pytest.raises(NotFound):
        education.enrolment_for(people["sup_two"], row.pk)


def test_inspections_count_children_found_and_referred(people):
    visit = inspections.Visit(
        visited_on=TODAY,
        workplace="Brick kiln 7",
        sector="C",
        area_code="NPL/Bagmati",
        area="Bhaktapur",
        children_found=4,
        referrals_made=3,
    )
    inspections.record(people["cw"], visit)
    with pytest.raises(Invalid) as err:
        inspections.record(
            people["cw"], inspections.Visit(**{**visit.__dict__, "referrals_made": 5})
        )
    assert err.value.field == "referrals_made"
    assert inspections.totals(inspections.inspections(people["nc"])) == {
        "visits": 1,
        "children_found": 4,
        "referrals_made": 3,
    }
    assert inspections.totals(inspections.inspections(people["sup_two"]))["visits"] == 0
