"""A referral picks its receiving service from the directory: the approved services that fit
the child, by the API and on the case page; a draft or unknown service is refused alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import Role
from lantern.cases.models import Case
from lantern.directory import service
from lantern.protection.referrals import service as referrals
from lantern.protection.referrals.models import Referral
from tests import factories
from tests.protection.conftest import World, post, transit_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(world: World) -> dict[str, Any]:
    admin = world.users["admin"]
    coord = factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)
    org = service.create_organisation(
        admin, {"name": "Girls' Refuge", "type": "NGO", "sexes": ["Feminine"], "areas": ["NPL"]}
    )
    rows = {"org": org}
    for name, support in (
        ("Counselling", "psychosocial"),
        ("Legal aid", "legal"),
        ("Boys' hostel", "accommodation"),
    ):
        extra = {"sexes": ["Masculine"]} if "Boys" in name else {}
        rows[name] = service.add(
            admin, "service", org.pk, {"name": name, "support_type": support, **extra}
        )
    for kind, row in (
        ("organisation", org),
        ("service", rows["Counselling"]),
        ("service", rows["Boys' hostel"]),
    ):
        service.submit(admin, kind, row.pk)
        service.approve(coord, kind, row.pk)
    return rows


def _case(client: Client, world: World) -> Case:
    opened = post(client, "/intake/transit-reception", transit_body(), world.h("cw")).json()
    case = Case.objects.get(pk=opened["id"])
    assent = {"item": "referral_sharing", "value": True, "given_by": "child"}
    post(client, f"/cases/{case.pk}/consents", assent, world.h("cw"))
    return case


def _refer(client: Client, world: World, case: Case, **target: Any) -> Any:
    body = {
        "services": [],
        "fields_shared": ["given_name"],
        "consent_basis": "child_assent",
        "due_date": (dt.date.today() + dt.timedelta(days=7)).isoformat(),
        **target,
    }
    return post(client, f"/cases/{case.pk}/referrals", body, world.h("cw"))


def test_the_choice_is_the_approved_services_that_fit_the_child(
    client: Client,
    world: World,
    offers: dict[str, Any],
) -> None:
    case = _case(client, world)  # a girl from Nepal
    fitting = referrals.services_for_case(world.users["cw"], case)
    assert fitting == [offers["Counselling"]]  # not the draft, not the boys' hostel


def test_a_referral_to_a_directory_service_goes_to_its_organisation(
    client: Client,
    world: World,
    offers: dict[str, Any],
) -> None:
    case = _case(client, world)
    r = _refer(client, world, case, service=offers["Counselling"].pk)
    assert r.status_code == 201, r.content
    assert r.json()["organisation"] == "Girls' Refuge"
    assert r.json()["service"] == "Counselling"
    ref = Referral.objects.get(pk=r.json()["id"])
    assert ref.services == ["psychosocial"]  # the service's own kind when none is named
    wrong = _refer(
        client,
        world,
        case,
        service=offers["Counselling"].pk,
        organisation=world.clinic.pk,
        services=["medical"],
    )
    assert wrong.status_code == 422 and wrong.json()["field"] == "service"


def test_a_draft_service_answers_as_a_missing_one(
    client: Client,
    world: World,
    offers: dict[str, Any],
) -> None:
    case = _case(client, world)
    before = Referral.objects.count()
    draft = _refer(client, world, case, service=offers["Legal aid"].pk)
    missing = _refer(client, world, case, service=987654321)
    assert draft.status_code == missing.status_code == 422
    assert draft.json()["detail"].replace(str(offers["Legal aid"].pk), "ID") == missing.json()[
        "detail"
    ].replace("987654321", "ID")
    assert Referral.objects.count() == before
    neither = _refer(client, world, case, services=["legal"])
    assert neither.status_code == 422 and neither.json()["field"] == "organisation"


def test_the_case_page_offers_the_fitting_service_and_refers_to_it(
    client: Client,
    world: World,
    offers: dict[str, Any],
) -> None:
    case = _case(client, world)
    web = factories.verified_login(Client(), world.users["cw"])
    page = web.get(f"/cases/{case.pk}/protection/").content.decode()
    assert "Girls&#x27; Refuge: Counselling" in page and "Boys&#x27; hostel" not in page
    due = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    r = web.post(
        f"/cases/{case.pk}/protection/",
        {
            "form": "refer",
            "refer-service": str(offers["Counselling"].pk),
            "refer-fields_shared": "given_name",
            "refer-consent_basis": "child_assent",
            "refer-due_date": due,
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    ref = Referral.objects.get(case=case)
    assert (ref.service, ref.organisation) == (offers["Counselling"], offers["org"])
    page = web.get(f"/cases/{case.pk}/protection/").content.decode()
    assert f'id="referral-{ref.pk}"' in page and "Girls&#x27; Refuge: Counselling ·" in page
