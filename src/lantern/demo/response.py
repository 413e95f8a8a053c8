"""The demo's national response: a plan of action, its programmes and targets (one computed
from the statistics, one entered with its source), and cross-border agreements, one of them
about to expire. Recorded through the services as the demo coordinator, so each is audited.
Everything is synthetic; the sources name the demo, never a real publication."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lantern.accounts.models import User
from lantern.directory import service as directory
from lantern.directory.models import EntryStatus, Organisation
from lantern.errors import Invalid
from lantern.response.agreements import service as agreements
from lantern.response.programmes import indicators, service
from lantern.response.programmes.models import NationalPlan

BODIES = [
    ("National Committee for Children (demo)", "CentralGovernmentOrganisation"),
    ("Ministry of Education (demo)", "CentralGovernmentOrganisation"),
    ("Women's Rehabilitation Network (demo)", "NGO"),
    ("Central Police Unit for Children (demo)", "LawEnforcement"),
]


def _org(user: User, name: str, kind: str) -> Organisation:
    """An approved organisation of the directory (a programme is led by one), written,
    submitted and approved through the directory's service as the coordinator."""
    org = Organisation.objects.filter(name=name).first()
    if org is None:
        org = directory.create_organisation(
            user, {"name": name, "type": kind, "country": "NPL"}, source="demo"
        )
    if org.status == EntryStatus.DRAFT:
        org = directory.submit(user, "organisation", org.pk, source="demo")
    if org.status != EntryStatus.APPROVED:
        org = directory.approve(user, "organisation", org.pk, source="demo")
    return org


def _baseline(target_id: int) -> tuple[int, float] | None:
    """The earliest complete year the statistics count for the computed target, if any."""
    from lantern.response.programmes.models import Target

    target = Target.objects.select_related("indicator").get(pk=target_id)
    try:
        points = [p for p in indicators.series(target.indicator) if not p.partial]
    except Invalid:
        return None
    counted = [p for p in points if p.value > 0]
    return (counted[0].year, counted[0].value) if counted else None


def seed_response(username: str = "demo-coordinator") -> dict[str, int]:
    """The plan, two programmes and three agreements; nothing when a plan is recorded."""
    if NationalPlan.objects.exists():
        return {"plans": 0, "programmes": 0, "agreements": 0}
    user = User.objects.get(username=username)
    lead, education, ngo, police = (_org(user, n, k) for n, k in BODIES)
    plan = service.save_plan(
        user,
        title="National Plan of Action against Child Trafficking 2024–2028 (demo)",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        responsible=lead.pk,
        partners=[education.pk, ngo.pk, police.pk],
        next_review=dt.date(2027, 3, 31),
        source="demo",
    )
    villages = service.save_programme(
        user,
        plan=plan.pk,
        title="Safe villages: Bagmati",
        goal="Fewer children recruited from Bagmati's hill districts for sexual exploitation "
        "in Indian cities: village watch groups, school retention, safe migration desks.",
        areas=["NPL/Bagmati"],
        starts_on=dt.date(2024, 1, 1),
        deadline=dt.date(2027, 12, 31),
        responsible=lead.pk,
        partners=[ngo.pk, police.pk],
        review_dates=[dt.date(2025, 6, 30), dt.date(2026, 6, 30), dt.date(2027, 6, 30)],
        source="demo",
    )
    target = service.add_target(
        user,
        villages,
        statement="Reduce the children trafficked from Bagmati for sexual exploitation by 50% "
        "by 2027",
        direction="decrease",
        baseline_value=100,
        baseline_year=2023,
        target_value=50,
        target_date=dt.date(2027, 12, 31),
        indicator_kind="computed",
        indicator_name="Children identified, recruited in Bagmati, sexual exploitation",
        unit="children",
        filters=[("origin_province", "Bagmati"), ("form", "sexual_exploitation")],
        source="demo",
    )
    found = _baseline(target.pk)
    if found is not None:  # the baseline is the statistics' own first year
        year, value = found
        target.baseline_year, target.baseline_value = year, value
        target.target_value = round(value / 2, 1)
        target.target_date = max(target.target_date, dt.date(year + 1, 12, 31))
        target.save()
    school = service.save_programme(
        user,
        plan=plan.pk,
        title="Back to school",
        goal="Children who come home go back to school or into vocational training.",
        areas=["NPL/Bagmati", "NPL/Madhesh", "NPL/Koshi"],
        starts_on=dt.date(2024, 1, 1),
        deadline=dt.date(2027, 6, 30),
        responsible=education.pk,
        partners=[ngo.pk],
        review_dates=[dt.date(2025, 12, 31), dt.date(2026, 12, 31)],
        source="demo",
    )
    enrolled = service.add_target(
        user,
        school,
        statement="Three in four returned children enrolled in school or training by mid-2027",
        direction="increase",
        baseline_value=35,
        baseline_year=2023,
        target_value=75,
        target_date=dt.date(2027, 6, 30),
        indicator_kind="entered",
        indicator_name="Returned children enrolled in school or training (%)",
        source="demo",
    )
    service.enter_value(
        user, enrolled, year=2024, value=44, source_text="School census 2024 (demo)", source="demo"
    )
    service.enter_value(
        user,
        enrolled,
        year=2025,
        value=52,
        low=47,
        high=57,
        source_text="Household follow-up survey 2025, table 3 (demo)",
        source="demo",
    )
    today = timezone.localdate()
    parties = [lead.pk, police.pk]
    agreements.save_agreement(
        user,
        reference="NPL-IND-MOU-2019 (demo)",
        title="MoU on the rescue, return and reintegration of child victims",
        type="readmission",
        is_mou=True,
        countries=["NPL", "IND"],
        forms=["sexual_exploitation", "forced_labour"],
        min_age=0,
        max_age=17,
        signed_on=dt.date(2019, 3, 12),
        valid_from=dt.date(2019, 4, 1),
        valid_until=dt.date(2029, 3, 31),
        parties=parties,
        source="demo",
    )
    agreements.save_agreement(
        user,
        reference="NPL-IND-POL-2021 (demo)",
        title="Police cooperation on cross-border trafficking cases",
        type="police_cooperation",
        countries=["NPL", "IND"],
        signed_on=dt.date(2021, 5, 1),
        valid_from=dt.date(2021, 5, 1),
        valid_until=today + dt.timedelta(days=45),  # flagged: expiring
        parties=parties,
        source="demo",
    )
    agreements.save_agreement(
        user,
        reference="NPL-BGD-DATA-2020 (demo)",
        title="Data sharing on identified children",
        type="data_sharing",
        countries=["NPL", "BGD"],
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2024, 12, 31),
        parties=parties,
        source="demo",
    )
    return {"plans": 1, "programmes": 2, "agreements": 3}
