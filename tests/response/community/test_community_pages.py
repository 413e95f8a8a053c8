"""The community pages with the demo's world in them: every page has something to show to the
roles it is for; a refused form keeps what was typed; the facilitator's menu."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import User
from lantern.demo import cli as demo
from lantern.demo.community import seed_community
from lantern.response.community.models import (
    AtRiskChild,
    Attendance,
    Committee,
    CommitteeReport,
    Enrolment,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(tmp_path: Any, fast_passwords: None) -> dict[str, int]:
    agencies = [factories.agency("ngo-one"), factories.agency("police-two")]
    demo._create_users(agencies)
    return seed_community()


def _as(username: str) -> Client:
    return factories.verified_login(Client(), User.objects.get(username=username))


def test_the_demo_world_has_committees_reports_campaigns_a_child_at_risk_and_inspections(
    demo_world,
):
    assert demo_world == {
        "committees": 2,
        "reports": 3,
        "campaigns": 2,
        "at_risk": 1,
        "inspections": 3,
    }
    child = AtRiskChild.objects.get()
    assert child.consent_by == "guardian" and child.visits.count() == 1
    sup = _as("demo-supervisor")
    page = sup.get(f"/prevention/at-risk/{child.pk}/").content.decode()
    assert "Mina Tamang" in page and "Attending school" in page and "Grade 5" in page
    assert "Mina" in sup.get("/prevention/at-risk/").content.decode()
    campaigns = _as("demo-caseworker").get("/prevention/campaigns/?area=NPL/Bagmati")
    assert campaigns.content.decode().count('class="card" id="campaign-') == 2
    assert "Brick kiln" in _as("demo-coordinator").get("/prevention/inspections/").content.decode()


def test_the_facilitator_sees_their_groups_and_each_reports_status(demo_world):
    fac = factories.verified_login(Client(), User.objects.get(username="demo-facilitator"))
    home = fac.get("/", follow=True).content.decode()
    assert "/committees/" in home and "/prevention/at-risk/" not in home
    ward = Committee.objects.get(name="Ward 4 vigilance committee")
    page = fac.get(f"/committees/{ward.pk}/").content.decode()
    assert "Triaged: a duty officer has taken it" in page
    assert "Received: waiting for a duty officer" in page
    assert "Sarita" not in page  # members' names are not the facilitator's to read
    sup_page = _as("demo-supervisor").get(f"/committees/{ward.pk}/").content.decode()
    assert "Sarita Lama" in sup_page


def test_a_refused_referral_keeps_what_was_typed_and_says_why(demo_world):
    sup = _as("demo-supervisor")
    before = AtRiskChild.objects.count()
    r = sup.post(
        "/prevention/at-risk/new/",
        {"given_name": "Nima", "district": "Dolakha", "services": ["school"], "age": "9"},
    )
    assert r.status_code == 409
    html = r.content.decode()
    assert "only with recorded consent" in html
    assert 'value="Nima"' in html and 'value="Dolakha"' in html
    assert AtRiskChild.objects.count() == before
    r = sup.post(
        "/prevention/at-risk/new/",
        {
            "given_name": "Nima",
            "district": "Dolakha",
            "services": ["school"],
            "consent_by": "child",
            "consent_on": "2026-01-02",
        },
    )
    assert r.status_code == 302 and AtRiskChild.objects.count() == before + 1


def test_a_facilitators_report_form_refuses_a_bad_report_and_keeps_it(demo_world):
    fac = factories.verified_login(Client(), User.objects.get(username="demo-facilitator"))
    ward = Committee.objects.get(name="Ward 4 vigilance committee")
    before = CommitteeReport.objects.count()
    r = fac.post(
        f"/committees/{ward.pk}/report/",
        {"seen": "A boy selling at night", "place": "Market", "severity": "report"},
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "A boy selling at night" in html and 'value="Market"' in html
    assert CommitteeReport.objects.count() == before
    other = Committee.objects.create(
        agency=ward.agency,
        name="Not theirs",
        kind="watch_group",
        area="x",
        created_at=ward.created_at,
    )
    assert fac.get(f"/committees/{other.pk}/report/").status_code == 404


def test_the_case_page_says_which_committee_reported_and_what_it_saw_by_tier(demo_world):
    report = CommitteeReport.objects.order_by("pk").first()
    assert report is not None and report.case_id is not None
    sup = _as("demo-supervisor").get(f"/cases/{report.case_id}/").content.decode()
    assert "Reported by Ward 4 vigilance committee" in sup and str(report.seen) in sup
    assert f"/cases/{report.case_id}/education/" in sup
    admin = _as("demo-agency-admin").get(f"/cases/{report.case_id}/").content.decode()
    assert "Reported by Ward 4 vigilance committee" in admin and str(report.seen) not in admin


def test_schooling_forms_enrol_then_record_attendance_and_keep_a_refused_month(demo_world):
    """The case's and the at-risk child's pages carry the same two schooling forms."""
    report = CommitteeReport.objects.order_by("pk").first()
    assert report is not None and report.case_id is not None
    child = AtRiskChild.objects.get()
    sup = _as("demo-supervisor")
    today = dt.date.today().isoformat()
    for url, owner in (
        (f"/cases/{report.case_id}/education/", {"case_id": report.case_id}),
        (f"/prevention/at-risk/{child.pk}/", {"child_id": child.pk}),
    ):
        enrol = {"form": "enrol", "kind": "school", "institution": "Hill School"}
        r = sup.post(url, {**enrol, "course": "Grade 6", "started_on": today})
        assert r.status_code == 302, r.content.decode()[:2000]
        row = Enrolment.objects.filter(**owner).order_by("-pk").first()
        assert row is not None and row.course == "Grade 6"
        month = {"form": "attendance", "enrolment": str(row.pk), "month": today}
        r = sup.post(url, {**month, "days_attended": "25", "days_open": "20"})
        assert r.status_code == 400 and 'value="25"' in r.content.decode()
        assert not Attendance.objects.filter(enrolment=row).exists()
        r = sup.post(url, {**month, "days_attended": "18", "days_open": "20"})
        assert r.status_code == 302
        assert Attendance.objects.get(enrolment=row).days_attended == 18
