"""The demo's #18 seeders on a small world: each page of the national response has something
on it for the role that uses it, and the seeders run in the demo's order without failing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts.models import Role
from lantern.demo.community import seed_community
from lantern.demo.directory import seed_directory
from lantern.demo.readmissions import seed_readmissions
from lantern.demo.response import seed_response
from lantern.directory.models import EntryStatus, Organisation
from lantern.monitoring import mart
from lantern.response.agreements.models import ReadmissionRequest, ReadmissionStatus
from lantern.response.programmes.models import NationalPlan, Programme
from tests import factories
from tests.response.conftest import bagmati_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(tmp_path, settings, fast_passwords):
    settings.VAR_DIR = tmp_path / "var"
    users = {
        "coordinator": factories.user(
            "demo-coordinator", Role.NATIONAL_COORDINATOR, agency_code=None, team=None
        ),
        "admin": factories.user("demo-agency-admin", Role.AGENCY_ADMIN, agency_code="ngo-one"),
        "supervisor": factories.user("demo-supervisor", Role.SUPERVISOR),
        "caseworker": factories.user("demo-caseworker", Role.CASEWORKER),
        "facilitator": factories.user("demo-facilitator", Role.FACILITATOR),
        "liaison": factories.user("demo-liaison", Role.LIAISON),
        "analyst": factories.user("demo-analyst", Role.ANALYST, agency_code=None, team=None),
    }
    # the workflow histories' organisations come first in the demo, approved, with no agency
    # (one sorts before the agency's own entry: the directory seeder once tripped on it)
    Organisation.objects.create(name="Child Legal Aid", type="NGO", status="approved")
    bagmati_records(1, 3, 2025, tmp_path)  # three children from Bagmati, in the statistics
    mart.build()
    seed_community()
    seed_directory()
    seed_response()
    seed_readmissions()
    return users


def _sees(client: Client, user, url: str, *marks: str) -> None:
    """``user`` (past the second factor, for the roles that need one) reads ``marks`` there."""
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="phone", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    got = client.get(url)
    assert got.status_code == 200, (user.username, url, got.status_code)
    body = got.content.decode()
    for mark in marks:
        assert mark in body, (user.username, url, mark)


def test_every_national_response_page_has_something_on_it(demo_world):
    u, c = demo_world, Client()
    programme = Programme.objects.get(title="Safe villages: Bagmati")
    _sees(c, u["coordinator"], "/directory/", "Maison Arc-en-ciel")
    _sees(c, u["coordinator"], "/directory/coverage/", "Hébergement sécurisé")
    _sees(c, u["coordinator"], "/programmes/", "Safe villages: Bagmati", "Back to school")
    _sees(c, u["analyst"], f"/programmes/{programme.pk}/", "Reduce the children", "year-2025")
    _sees(c, u["coordinator"], "/agreements/", "NPL-IND-MOU-2019 (demo)")
    _sees(c, u["liaison"], "/readmissions/", "Birgunj - Raxaul", "Bhairahawa - Sunauli")
    _sees(c, u["coordinator"], "/readmissions/", "Kakarbhitta - Panitanki")
    _sees(c, u["facilitator"], "/committees/", "Ward 4 vigilance committee")
    _sees(c, u["supervisor"], "/prevention/at-risk/", "Sindhupalchok")
    _sees(c, u["facilitator"], "/prevention/campaigns/", "Safe migration on the radio")
    _sees(c, u["supervisor"], "/prevention/inspections/", "Brick kiln")


def test_the_plan_names_approved_bodies_and_the_requests_travel_both_ways(demo_world):
    plan = NationalPlan.objects.get()
    named = [plan.responsible, *plan.partners.all()]
    assert {o.status for o in named} == {EntryStatus.APPROVED}
    got = {(r.direction, r.status) for r in ReadmissionRequest.objects.all()}
    assert got == {
        ("outgoing", ReadmissionStatus.SENT),
        ("incoming", ReadmissionStatus.ACCEPTED),
        ("incoming", ReadmissionStatus.RECEIVED),
    }
    assert seed_readmissions() == 0 and seed_response()["plans"] == 0  # once only
    assert dt.date.today() <= ReadmissionRequest.objects.get(direction="outgoing").proposed_date
