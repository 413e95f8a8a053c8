"""One area vocabulary across the response: the free text of earlier records read into it (and
what it cannot read kept), areas chosen from a list, and the coverage that sets the children's
areas of origin against services, campaigns and committees."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from lantern.directory import service as directory
from lantern.directory.coverage import coverage
from lantern.directory.models import Organisation, OrganisationService
from lantern.response.community import campaigns, committees
from lantern.response.community.models import Campaign, Committee, Inspection
from lantern.response.programmes.models import NationalPlan, Programme
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
MIGRATION = importlib.import_module("lantern.cases.migrations.0026_response2")


@pytest.fixture
def people(fast_passwords: None) -> dict[str, Any]:
    factories.agency("ngo-one")
    return {
        "sup": factories.user("sup", Role.SUPERVISOR),
        "admin": factories.user("aadm", Role.AGENCY_ADMIN),
        "nc": factories.user("nc", Role.NATIONAL_COORDINATOR, agency_code=None, team=None),
    }


def test_the_migration_reads_free_text_into_areas_and_loses_nothing(people):
    org = Organisation.objects.create(
        name="Hill Refuge", type="NGO", areas=["NPL/Bagmati Province", "NPL/Nowhere", "Koshi"]
    )
    service = OrganisationService.objects.create(
        organisation=org, name="Beds", support_type="accommodation", areas=["Far hills"]
    )
    plan = NationalPlan.objects.create(
        title="Plan",
        starts_on=TODAY,
        ends_on=TODAY,
        responsible=org,
        created_at=timezone.now(),
    )
    programme = Programme.objects.create(
        plan=plan,
        title="Safe villages",
        areas=["Bagmati", "Madhesh", "the hill districts"],
        starts_on=TODAY,
        deadline=TODAY,
        responsible=org,
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    agency = people["sup"].agency
    Committee.objects.create(
        agency=agency, name="Ward 4", kind="watch_group", area="Sindhupalchok, Bagmati",
        created_at=timezone.now(),
    )  # fmt: skip
    Committee.objects.create(
        agency=agency, name="Bus park", kind="watch_group", area="Gongabu bus park",
        created_at=timezone.now(),
    )  # fmt: skip
    radio = Campaign.objects.create(
        agency=agency, title="Radio", audiences=["parents"], area="Madhesh Province",
        area_key="madhesh province", materials=["radio"], starts_on=TODAY,
        created_at=timezone.now(),
    )  # fmt: skip
    kiln = Inspection.objects.create(
        agency=agency, visited_on=TODAY, workplace="Kiln", sector="C", area="Kathmandu valley",
        children_found=1, referrals_made=1,
    )  # fmt: skip

    MIGRATION.place_areas(apps, None)

    org.refresh_from_db()
    assert org.areas == ["NPL/Bagmati", "NPL/Koshi"] and org.unmatched_areas == ["NPL/Nowhere"]
    service.refresh_from_db()
    assert service.areas == [] and service.unmatched_areas == ["Far hills"]
    programme.refresh_from_db()
    assert programme.areas == ["NPL/Bagmati", "NPL/Madhesh"]
    assert programme.unmatched_areas == ["the hill districts"]
    got = {c.name: (c.area_code, c.area) for c in Committee.objects.all()}
    assert got == {
        "Ward 4": ("NPL/Bagmati", "Sindhupalchok, Bagmati"),
        "Bus park": ("", "Gongabu bus park"),  # kept as written, for its keeper to place
    }
    radio.refresh_from_db()
    kiln.refresh_from_db()
    assert radio.area_code == "NPL/Madhesh" and (kiln.area_code, kiln.area) == (
        "",
        "Kathmandu valley",
    )

    MIGRATION.place_areas(apps, None)  # twice changes nothing
    org.refresh_from_db()
    assert org.unmatched_areas == ["NPL/Nowhere"]
    MIGRATION.unplace_areas(apps, None)  # and backwards, the text returns beside the codes
    org.refresh_from_db()
    assert org.areas == ["NPL/Bagmati", "NPL/Koshi", "NPL/Nowhere"]


def test_a_changed_entry_replaces_the_text_with_areas_chosen(people):
    org = directory.create_organisation(people["nc"], {"name": "Refuge", "type": "NGO"})
    Organisation.objects.filter(pk=org.pk).update(unmatched_areas=["the hill districts"])
    page = factories.verified_login(Client(), people["nc"])
    body = page.get(reverse("web:directory_organisation", args=[org.pk])).content.decode()
    assert "the hill districts" in body and "Areas to choose again" in body
    form = page.get(reverse("web:directory_edit", args=[org.pk])).content.decode()
    assert "not recognised: the hill districts" in form
    assert '<option value="NPL/Karnali">Nepal / Karnali</option>' in form  # a list, not text
    directory.update(people["nc"], "organisation", org.pk, {"areas": ["NPL/Karnali"]})
    org.refresh_from_db()
    assert org.areas == ["NPL/Karnali"] and org.unmatched_areas == []


def test_a_record_with_no_area_is_shown_as_written_and_its_keeper_places_it(people):
    sup, nc = people["sup"], people["nc"]
    ward = Committee.objects.create(
        agency=sup.agency, name="Ward 4", kind="watch_group", area="Gongabu bus park",
        created_at=timezone.now(),
    )  # fmt: skip
    web = factories.verified_login(Client(), sup)
    body = web.get(reverse("web:committee", args=[ward.pk])).content.decode()
    assert "Area to choose" in body and "Gongabu bus park" in body
    url = reverse("web:committee_area", args=[ward.pk])
    assert url in body
    r = web.post(url, {"area_code": "NPL/Atlantis"})
    assert r.status_code == 400 and "Gongabu bus park" in r.content.decode()
    r = web.post(url, {"area_code": "NPL/Bagmati"})
    assert r.status_code == 302
    ward.refresh_from_db()
    assert ward.area_code == "NPL/Bagmati" and ward.area == "Gongabu bus park"
    assert AuditEntry.objects.filter(resource="committee", fields=["area_code"]).exists()
    # the coordinator sees committees, but a committee is its agency's to keep
    coordinator = factories.verified_login(Client(), nc)
    assert coordinator.get(url).status_code == 404


def test_new_records_take_their_area_from_the_list(people):
    web = factories.verified_login(Client(), people["sup"])
    page = web.get(reverse("web:committees")).content.decode()
    assert '<select name="area_code"' in page and "Nepal (whole country)" in page
    r = web.post(
        reverse("web:committees"),
        {"form": "committee", "name": "Ward 6", "kind": "watch_group", "area": "Ward 6"},
    )
    assert r.status_code == 400 and 'value="Ward 6"' in r.content.decode()
    assert not Committee.objects.filter(name="Ward 6").exists()
    r = web.post(
        reverse("web:committees"),
        {
            "form": "committee",
            "name": "Ward 6",
            "kind": "watch_group",
            "area_code": "NPL/Koshi",
            "area": "Ward 6",
        },
    )
    assert r.status_code == 302
    assert Committee.objects.get(name="Ward 6").area_code == "NPL/Koshi"


def test_coverage_sets_children_against_services_campaigns_and_committees(people, tmp_path):
    rows = [factories.record(i, "ngo-one") for i in range(6)]
    for r, state in zip(
        rows,
        ["Bagmati", "Bagmati Province", "Koshi", "Lumbini", "Lumbini", "the hills"],
        strict=True,
    ):
        r["prs_MailingState"] = state
    rows.append(factories.record(6, "ngo-one"))
    rows[6]["prs_MailingCountry"], rows[6]["prs_MailingState"] = "IND", "Bihar"
    factories.import_records(rows, tmp_path)
    sup, nc, admin = people["sup"], people["nc"], people["admin"]
    org = directory.create_organisation(
        admin, {"name": "Hill Refuge", "type": "NGO", "areas": ["NPL/Bagmati", "NPL/Koshi"]}
    )
    directory.submit(admin, "organisation", org.pk)
    directory.approve(nc, "organisation", org.pk)
    beds = directory.add(
        admin, "service", org.pk, {"name": "Beds", "support_type": "accommodation"}
    )
    directory.submit(admin, "service", beds.pk)
    directory.approve(nc, "service", beds.pk)
    campaigns.create(
        sup,
        campaigns.Plan(
            title="Safe migration radio", audiences=["parents"], area_code="NPL/Bagmati",
            materials=["radio"], starts_on=TODAY,
        ),
    )  # fmt: skip
    committees.create(sup, name="Koshi watch", kind="watch_group", area_code="NPL")
    Campaign.objects.create(
        agency=sup.agency, title="Old leaflets", audiences=["parents"], area="the hills",
        area_key="the hills", materials=["leaflets"], starts_on=TODAY, created_at=timezone.now(),
    )  # fmt: skip

    got = {r.area + ("?" if r.unplaced else ""): r for r in coverage(nc)}
    assert set(got) == {"NPL/Bagmati", "NPL/Koshi", "NPL/Lumbini", "NPL?", "IND/Bihār"}
    bagmati, koshi, lumbini = got["NPL/Bagmati"], got["NPL/Koshi"], got["NPL/Lumbini"]
    assert bagmati.children == 2  # "Bagmati Province" is Bagmati
    assert bagmati.services == 1 and bagmati.campaign_names == ("Safe migration radio",)
    assert bagmati.committee_names == ("Koshi watch",)  # a whole-country committee
    assert koshi.services == 1 and koshi.campaigns == 0 and not koshi.prevention_gap
    assert lumbini.children == 2 and lumbini.gap and lumbini.campaigns == 0
    assert lumbini.committees == 1 and not lumbini.prevention_gap
    assert got["NPL?"].children == 1 and got["NPL?"].gap  # a province Lantern cannot place
    assert coverage(nc)[0].area == "NPL/Lumbini"  # the largest gap first

    web = factories.verified_login(Client(), nc)
    page = web.get(reverse("web:directory_coverage")).content.decode()
    assert "Safe migration radio" in page and "Koshi watch" in page
    assert "province unknown or not recognised" in page
    assert 'id="coverage-map-NPL"' in page and '<svg role="img"' in page  # Nepal's provinces
    assert "No province boundaries are installed for India" in page  # India: bars and table
    assert "Old leaflets" in page and "the hills" in page  # a campaign with no area yet
    token = factories.api_token(nc.username)
    api = Client().get("/api/directory/coverage", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    by_area = {r["area"]: r for r in api if not r["unplaced"]}
    assert by_area["NPL/Bagmati"]["campaign_names"] == ["Safe migration radio"]
    assert by_area["NPL/Lumbini"]["services"] == 0
