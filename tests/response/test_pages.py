"""The coordinator's pages: the programme with its chart and table, forms that keep what the
user typed, agreements with the expiring ones flagged, readmission for the liaison."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lantern.accounts.models import Role
from lantern.monitoring import mart
from lantern.response.agreements import service as agreements
from lantern.response.programmes import service
from lantern.response.programmes.models import Target
from tests import factories
from tests.response.conftest import bagmati_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(coordinator):
    return factories.verified_login(Client(), coordinator)


@pytest.fixture
def plan(coordinator, ministry):
    return service.save_plan(
        coordinator,
        title="National Plan of Action 2024-2028",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        responsible=ministry.pk,
    )


def test_a_refused_programme_form_keeps_what_was_typed(web, plan, ministry):
    r = web.post(
        reverse("web:programme_new"),
        {
            "plan": plan.pk,
            "title": "Safe villages",
            "goal": "Fewer children leave Bagmati with recruiters",
            "areas": ["NPL/Bagmati", "NPL/Madhesh"],
            "starts_on": "2026-01-01",
            "deadline": "2025-01-01",  # before the start
            "responsible": ministry.pk,
            "review_dates": "2026-06-30",
        },
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "before the start" in body
    assert "Fewer children leave Bagmati with recruiters" in body
    assert 'value="NPL/Bagmati" selected' in body and 'value="NPL/Madhesh" selected' in body
    r = web.post(
        reverse("web:programme_new"),
        {
            "plan": plan.pk,
            "title": "Safe villages",
            "areas": ["NPL/Bagmati"],
            "starts_on": "2024-01-01",
            "deadline": "2027-12-31",
            "responsible": ministry.pk,
            "review_dates": "not a date",
        },
    )
    assert r.status_code == 400 and "not a date (YYYY-MM-DD)" in r.content.decode()


def test_the_programme_page_draws_progress_and_its_table(
    web, coordinator, plan, ministry, tmp_path, settings
):
    settings.VAR_DIR = tmp_path / "var"
    bagmati_records(1, 3, 2024, tmp_path)
    mart.build()
    programme = service.save_programme(
        coordinator,
        plan=plan.pk,
        title="Safe villages in Bagmati",
        starts_on=dt.date(2024, 1, 1),
        deadline=dt.date(2027, 12, 31),
        responsible=ministry.pk,
    )
    r = web.post(
        reverse("web:target_new", args=[programme.pk]),
        {
            "statement": "Halve the children trafficked from Bagmati by 2027",
            "direction": "decrease",
            "baseline_value": "6",
            "baseline_year": "2023",
            "target_value": "2",
            "target_date": "2027-12-31",
            "indicator_kind": "computed",
            "unit": "children",
            "origin_province": "Bagmati",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Target.objects.get().indicator.filters == [["origin_province", "Bagmati"]]
    page = web.get(reverse("web:programme_detail", args=[programme.pk])).content.decode()
    assert "<svg" in page and "progress-chart" in page
    assert "straight line from the baseline" in page  # the rule, stated
    assert 'class="year-2024"' in page and ">3</td>" in page
    assert "Province of origin: Bagmati" in page
    assert "On track" in page  # 3 in 2024: better than the line's 5, not yet the target's 2


def test_a_refused_target_keeps_the_filters_typed(web, coordinator, plan, ministry):
    programme = service.save_programme(
        coordinator,
        plan=plan.pk,
        title="P",
        starts_on=dt.date(2024, 1, 1),
        deadline=dt.date(2027, 12, 31),
        responsible=ministry.pk,
    )
    r = web.post(
        reverse("web:target_new", args=[programme.pk]),
        {
            "statement": "Fewer children from Bagmati",
            "direction": "decrease",
            "baseline_value": "6",
            "baseline_year": "2023",
            "target_value": "9",
            "target_date": "2027-12-31",
            "indicator_kind": "computed",
            "unit": "children",
            "origin_province": "Bagmati",
        },
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "below the baseline" in body and 'value="Bagmati"' in body


def test_expiring_agreements_are_flagged(web, coordinator):
    soon = dt.date.today() + dt.timedelta(days=30)
    agreements.save_agreement(
        coordinator,
        reference="MOU-1",
        title="Police cooperation MoU",
        type="police_cooperation",
        countries=["NPL", "IND"],
        valid_from=dt.date(2020, 1, 1),
        valid_until=soon,
    )
    page = web.get(reverse("web:agreement_list")).content.decode()
    assert 'id="expiring"' in page and "Expiring within 90 days" in page
    assert "Police cooperation" in page


def test_the_coordinator_does_not_read_the_escort_and_cannot_send(coordinator):
    liaison = factories.user("lia", Role.LIAISON)
    client = factories.verified_login(Client(), liaison)
    assert client.get(reverse("web:readmissions")).status_code == 200
    coord = factories.verified_login(Client(), coordinator)
    r = coord.post(reverse("web:readmissions"), {"form": "send"})
    assert r.status_code == 404


def test_a_refused_agreement_keeps_what_was_typed(web):
    r = web.post(
        reverse("web:agreement_new"),
        {
            "reference": "MOU-9",
            "title": "Labour inspection cooperation",
            "type": "police_cooperation",
            "countries": ["NPL"],
            "valid_from": "2024-01-01",
        },
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "at least two countries" in body and 'value="Labour inspection cooperation"' in body


def test_a_liaison_sends_a_request_and_the_packet_downloads(two_sides_web):
    client, exchange = two_sides_web
    r = client.post(
        reverse("web:readmissions"),
        {
            "form": "send",
            "exchange": exchange,
            "proposed_date": (dt.date.today() + dt.timedelta(days=5)).isoformat(),
            "crossing_point": "Birgunj border post",
            "escort": "Officer Test Escort",
        },
    )
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    assert b"Officer Test Escort" not in r.content  # sealed
    page = client.get(reverse("web:readmissions")).content.decode()
    assert "Birgunj border post" in page and "Request sent" in page


@pytest.fixture
def two_sides_web(settings, tmp_path):
    from lantern.exchange.packets import InstallationKeys
    from lantern.protection.transfers.models import Agreement

    settings.VAR_DIR = tmp_path / "var"
    partner = InstallationKeys.generate("ind").public()
    sign, box = partner.b64()
    Agreement.objects.create(
        reference="NPL-IND-X",
        title="Return",
        partner_country="IND",
        allowed_fields=["prs_Gender"],
        valid_from=dt.date(2020, 1, 1),
        partner_name="ind",
        partner_sign_key=sign,
        partner_box_key=box,
        partner_fingerprint=partner.fingerprint,
    )
    liaison = factories.user("lia2", Role.LIAISON)
    return factories.verified_login(Client(), liaison), "NPL-IND-X"
