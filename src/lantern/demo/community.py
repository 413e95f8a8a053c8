"""Community prevention in the demo country: a vigilance committee and a watch group with their
members and reports (one already taken by the duty officer), campaigns two agencies run in the
same district, a child at risk kept with a guardian's consent, at school, and labour inspection
visits. Everything goes through the services, as staff would record it; all of it is synthetic.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lantern.accounts.models import User
from lantern.protection.triage import service as triage
from lantern.protection.triage.models import TriageItem
from lantern.response.community import atrisk, campaigns, committees, education, inspections


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def seed_community() -> dict[str, int]:
    """Committees, reports, campaigns, an at-risk child and inspections; how many of each."""
    made = {"committees": 0, "reports": 0, "campaigns": 0, "at_risk": 0, "inspections": 0}
    sup, fac = _user("demo-supervisor"), _user("demo-facilitator")
    cw, nc = _user("demo-caseworker"), _user("demo-coordinator")
    if sup is None or fac is None or cw is None:
        return made
    today = timezone.localdate()
    ago = lambda days: today - dt.timedelta(days=days)  # noqa: E731
    ward = committees.create(
        sup,
        name="Ward 4 vigilance committee",
        kind="vigilance_committee",
        area_code="NPL/Bagmati",
        area="Sindhupalchok, wards 3 to 5",
        facilitators=[fac.pk],
    )
    bus = committees.create(
        sup,
        name="Bus park watch group",
        kind="watch_group",
        area_code="NPL/Bagmati",
        area="Kathmandu, Gongabu bus park",
        facilitators=[fac.pk],
    )
    made["committees"] = 2
    for c, name, role in (
        (ward, "Sarita Lama", "chair"),
        (ward, "Bikash Tamang", "teacher"),
        (bus, "Ram Thapa", "transport_worker"),
    ):
        committees.add_member(sup, c.pk, name=name, role=role, joined_on=ago(200))
    seen = (
        (ward, "intervene", ["suspected_trafficking"], 13, "A girl left with a man offering work"),
        (bus, "report", ["unaccompanied"], 15, "A boy alone at the bus park since morning"),
        (ward, "monitor", ["at_risk"], 11, "Two sisters out of school, working at the kiln"),
    )
    for c, severity, concerns, age, what in seen:
        committees.record_report(
            fac,
            c.pk,
            committees.Seen(
                seen=what,
                seen_on=ago(1),
                place=c.area,
                severity=severity,
                concerns=concerns,
                child_age=age,
            ),
            source="demo",
        )
        made["reports"] += 1
    first = ward.reports.order_by("pk").first()
    item = TriageItem.objects.filter(case__committee_report=first).first() if first else None
    if item is not None:
        triage.take(cw, item.pk, "demo")  # the group sees it triaged
    for who, title, audiences, materials, start in (
        (sup, "Safe migration on the radio", ["parents"], ["radio"], ago(20)),
        (
            nc or sup,
            "Know your rights at school",
            ["children", "teachers"],
            ["school_sessions"],
            ago(10),
        ),
    ):
        campaigns.create(
            who,
            campaigns.Plan(
                title=title,
                audiences=audiences,
                area_code="NPL/Bagmati",
                area="Sindhupalchok",
                materials=materials,
                starts_on=start,
                ends_on=today + dt.timedelta(days=30),
                reach=1200,
            ),
            source="demo",
        )
        made["campaigns"] += 1
    child = atrisk.register(
        sup,
        atrisk.Referral(
            given_name="Mina",
            family_name="Tamang",
            community="Ward 4",
            district="Sindhupalchok",
            age=12,
            gender="Feminine",
            risk_factors=["out_of_school", "family_debt", "recruiter_contact"],
            services=["school", "livelihood"],
            consent_by="guardian",
            consent_on=ago(60),
        ),
        source="demo",
    )
    atrisk.record_visit(sup, child.pk, visited_on=ago(30), outcome="in_school", source="demo")
    school = education.enrol(
        sup,
        child_id=child.pk,
        kind="school",
        institution="Ward 4 primary school",
        course="Grade 5",
        started_on=ago(55),
        source="demo",
    )
    education.record_attendance(
        sup, school.pk, month=ago(30), days_attended=19, days_open=22, source="demo"
    )
    made["at_risk"] = 1
    for workplace, sector, found, referred in (
        ("Brick kiln, Bhaktapur road", "C", 6, 4),
        ("Carpet workshop, Boudha", "C", 2, 2),
        ("Roadside restaurant, Kalanki", "I", 1, 1),
    ):
        inspections.record(
            cw,
            inspections.Visit(
                visited_on=ago(15),
                workplace=workplace,
                sector=sector,
                area_code="NPL/Bagmati",
                area="Kathmandu valley",
                children_found=found,
                referrals_made=referred,
            ),
            source="demo",
        )
        made["inspections"] += 1
    return made
