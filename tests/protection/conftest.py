"""A small synthetic world: two agencies, users in the roles the workflow needs, a directory."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from lantern.accounts.models import Role, User
from lantern.directory.models import Organisation
from lantern.exchange.packets import InstallationKeys
from lantern.protection.safety.models import SafePlace
from lantern.protection.transfers.models import Agreement
from tests import factories

P = "/api"  # the production API (lantern.urls)
AGREEMENT = "NPL-IND-2026-01"  # the world's bilateral agreement (Nepal and India)


@dataclass
class World:
    users: dict[str, User]
    headers: dict[str, dict[str, str]]
    clinic: Organisation
    partner: Organisation
    shelter: SafePlace

    def h(self, name: str) -> dict[str, str]:
        return self.headers[name]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """Tokens, not passwords, sign these users in: skip the slow production hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: Any) -> World:
    factories.agency("ngo-one")
    factories.agency("police-two", "police")
    factories.agency("ngo-partner")
    spec = {
        "cw": (Role.CASEWORKER, "ngo-one"),
        "cw_b": (Role.CASEWORKER, "ngo-one"),
        "sup": (Role.SUPERVISOR, "ngo-one"),
        "admin": (Role.AGENCY_ADMIN, "ngo-one"),
        "outsider": (Role.CASEWORKER, "police-two"),
        "outsider_sup": (Role.SUPERVISOR, "police-two"),
        "partner": (Role.CASEWORKER, "ngo-partner"),
        "reporter": (Role.REPORTER, "ngo-one"),
        "liaison": (Role.LIAISON, "ngo-one"),
    }
    users, headers = {}, {}
    for name, (role, agency) in spec.items():
        users[name] = factories.user(name, role, agency_code=agency)
        raw = factories.api_token(name)
        headers[name] = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    clinic = Organisation.objects.create(
        name="District Health Clinic",
        type="HealthServiceOrganisation",
        country="NPL",
        services=["medical", "psychosocial"],
    )
    partner = Organisation.objects.create(
        name="Partner Training Centre",
        type="NGO",
        country="NPL",
        services=["vocational_training", "education"],
        agency=users["partner"].agency,
    )
    shelter = SafePlace.objects.create(
        name="House 7", kind="shelter", agency=users["cw"].agency, address="12 Hidden Lane, Ward 4"
    )
    Agreement.objects.create(
        reference=AGREEMENT,
        title="Return of child victims",
        partner_country="IND",
        allowed_fields=[
            "prs_FirstName",
            "prs_SecondName",
            "prs_Birthdate",
            "prs_IdentityNumber",
            "prs_Gender",
            "prs_Citizenship",
            "vic_TraffickingStatus",
            "spl_Type",
        ],
        valid_from=dt.date(2020, 1, 1),
    )
    return World(users, headers, clinic, partner, shelter)


def child(**extra: Any) -> dict[str, Any]:
    base = {
        "given_name": "Maya",
        "family_name": "Tamang",
        "birthdate": "2011-03-04",
        "gender": "Feminine",
        "citizenship": ["NPL"],
        "identity_number": "NP-55-1234",
    }
    return {**base, **extra}


def transit_body(**extra: Any) -> dict[str, Any]:
    return {
        "child": child(),
        "place": "Birgunj bus terminal",
        "expected_contact": "uncle",
        "met_by_expected_contact": False,
        "return_passage_offered": True,
        "return_passage_provider": "partner bus line",
        **extra,
    }


def post(client: Any, url: str, body: dict[str, Any], who: dict[str, str]) -> Any:
    return client.post(P + url, body, content_type="application/json", **who)


@pytest.fixture
def partner(world: World) -> InstallationKeys:
    """The partner installation, its public keys pinned on the world's agreement (written
    straight to the agreement's fields, so that the exchange attacks also run on a tree without
    pinning and fail there)."""
    keys = InstallationKeys.generate("ind")
    pub = keys.public()
    Agreement.objects.filter(reference=AGREEMENT).update(
        partner_name=pub.name,
        partner_sign_key=base64.b64encode(pub.sign).decode(),
        partner_box_key=base64.b64encode(pub.box).decode(),
        partner_fingerprint=pub.fingerprint,
    )
    return keys
