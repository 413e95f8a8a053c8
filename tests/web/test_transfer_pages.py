"""The transfer pages through Django's test client: a case moves to another agency here, or
leaves as a referral packet that a second installation (its own process) imports; a packet
received opens a case, and an altered, misaddressed or unvouched packet is refused with the
reason; no form takes a key (the partner keys pinned on the agreement are the only ones
used); only supervisors and liaisons are offered (and served) any of it."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from lantern.accounts.models import Agency
from lantern.cases.models import Case, Consent
from lantern.exchange import packets
from lantern.exchange.keys import installation_keys
from lantern.exchange.packets import InstallationKeys, PublicKeys, seal
from lantern.protection.intake import service as intake
from lantern.protection.transfers import service as transfers
from lantern.protection.transfers.models import Agreement, Transfer
from tests import factories
from tests.protection import conftest as protection
from tests.protection.conftest import World

pytestmark = pytest.mark.django_db

world = protection.world  # the protection tests' synthetic world: agencies, roles, agreement

ROOT = Path(__file__).resolve().parents[2]
AGREEMENT = "NPL-IND-2026-01"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    """A request in French leaves French active in this thread: restore the default."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


def _as(world: World, name: str) -> Client:
    return factories.verified_login(Client(), world.users[name])


def _html(res: Any) -> str:
    return str(res.content.decode()).replace("&#x27;", "'").replace("&quot;", '"')


@pytest.fixture
def case(world: World) -> Case:
    c = intake.open_case(
        world.users["cw"],
        "transit_reception",
        intake.Child(
            "Maya",
            "Tamang",
            birthdate=dt.date(2011, 3, 4),
            gender="Feminine",
            citizenship=("NPL",),
        ),
        {
            "place": "Birgunj bus terminal",
            "expected_contact": "uncle",
            "met_by_expected_contact": False,
            "return_passage_offered": True,
        },
    )
    Consent.objects.create(case=c, item="referral_sharing", value=True, given_by="child")
    return c


partner = protection.partner  # the partner installation, pinned on the world's agreement


def _key_file(public: PublicKeys, name: str = "partner.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, public.to_json().encode(), "application/json")


def _export(c: Client, case: Case, **extra: Any) -> Any:
    data = {
        "form": "export",
        "export-agreement": AGREEMENT,
        "export-consent_basis": "child_assent",
        "export-reason": "return home to Nepal",
        **extra,
    }
    return c.post(f"/cases/{case.pk}/transfer/", data)


def _packet_from(sender: InstallationKeys, **payload: Any) -> bytes:
    """A packet a partner installation made for this one, under the shared agreement."""
    body = {
        "ext_Agreement": AGREEMENT,
        "ext_SourceCaseReference": "IND-C-7",
        "prs_FirstName": "Asha",
        "prs_SecondName": "Gurung",
        "prs_Birthdate": "2010-06-01",
        **payload,
    }
    return seal(body, agreement=AGREEMENT, sender=sender, recipient=installation_keys().public())


def _import(c: Client, packet: bytes, **headers: Any) -> Any:
    return c.post(
        "/exchange/import/", {"packet": SimpleUploadedFile("case.packet", packet)}, **headers
    )


# --- who is offered what ------------------------------------------------------------------


def test_only_supervisors_and_liaisons_are_offered_and_served_the_transfer_page(
    world: World, case: Case
) -> None:
    url = f"/cases/{case.pk}/transfer/"
    assert 'id="transfer-link"' in _html(_as(world, "sup").get(f"/cases/{case.pk}/protection/"))
    assert 'id="transfer-link"' not in _html(_as(world, "cw").get(f"/cases/{case.pk}/protection/"))
    page = _html(_as(world, "liaison").get(url))
    assert 'id="domestic-form"' in page and 'id="export-form"' in page
    assert AGREEMENT in page and "Maya" not in page  # the reference, never the child's name
    for name in ("cw", "outsider_sup", "admin", "reporter"):
        assert _as(world, name).get(url).status_code == 404, name
        assert _as(world, name).post(url, {"form": "domestic"}).status_code == 404, name
    assert case.transfers.count() == 0


def test_roles_without_the_exchange_grant_get_404_on_the_import_and_keys_pages(
    world: World,
) -> None:
    blob = _packet_from(InstallationKeys.generate("ind"))
    for name in ("cw", "admin", "reporter"):
        c = _as(world, name)
        assert c.get("/exchange/import/").status_code == 404, name
        assert c.get("/exchange/keys/").status_code == 404, name
        assert _import(c, blob).status_code == 404
    assert not Case.objects.exists()


# --- domestic ------------------------------------------------------------------------------


def test_a_domestic_transfer_moves_the_case_to_the_chosen_agency(world: World, case: Case) -> None:
    c = _as(world, "sup")
    choices = _html(c.get(f"/cases/{case.pk}/transfer/"))
    assert 'value="police-two"' in choices and 'value="ngo-one"' not in choices  # not to itself
    res = c.post(
        f"/cases/{case.pk}/transfer/",
        {"form": "domestic", "domestic-agency": "police-two", "domestic-reason": "their district"},
    )
    assert res.status_code == 200 and "no longer in your scope" in _html(res)
    case.refresh_from_db()
    assert case.agency.code == "police-two" and case.owner is None and case.state != "closed"
    row = Transfer.objects.get(case=case)
    assert (row.direction, row.status, row.to_agency) == (
        "outgoing",
        "completed",
        Agency.objects.get(code="police-two"),
    )
    assert c.get(f"/cases/{case.pk}/transfer/").status_code == 404  # now outside sup's scope
    assert _as(world, "outsider_sup").get(f"/cases/{case.pk}/transfer/").status_code == 200


def test_a_domestic_transfer_without_a_reason_keeps_the_choice_and_says_why(
    world: World, case: Case
) -> None:
    res = _as(world, "sup").post(
        f"/cases/{case.pk}/transfer/", {"form": "domestic", "domestic-agency": "police-two"}
    )
    assert res.status_code == 400
    html = _html(res)
    assert 'id="form-error"' in html and "This field is required" in html
    assert '<option value="police-two" selected>' in html
    case.refresh_from_db()
    assert case.agency.code == "ngo-one" and not Transfer.objects.exists()


# --- cross-border export ---------------------------------------------------------------------


def test_an_export_without_consent_is_refused_with_the_policys_reason(
    world: World, case: Case, partner: InstallationKeys
) -> None:
    Consent.objects.filter(case=case).delete()
    res = _export(_as(world, "sup"), case)
    assert res.status_code == 403 and "transfer refused" in _html(res)
    case.refresh_from_db()
    assert case.state != "closed" and not Transfer.objects.exists()


def test_the_export_form_takes_no_key_and_seals_to_the_pinned_partner(
    world: World, case: Case, partner: InstallationKeys
) -> None:
    c = _as(world, "sup")
    page = _html(c.get(f"/cases/{case.pk}/transfer/"))
    assert "recipient_key" not in page and 'type="file"' not in page
    assert partner.public().fingerprint[:12] in page  # the pinned partner, beside the agreement
    attacker = InstallationKeys.generate("ind").public()
    res = _export(c, case, **{"export-recipient_key": _key_file(attacker)})  # ignored
    assert res.status_code == 200
    opened = packets.open_packet(
        res.content, recipient=partner, sender=installation_keys().public()
    )
    assert opened.header["recipient"] == partner.public().fingerprint != attacker.fingerprint


def test_an_agreement_with_no_pinned_key_refuses_the_export_with_the_reason(
    world: World, case: Case
) -> None:
    c = _as(world, "sup")
    assert "no partner key pinned" in _html(c.get(f"/cases/{case.pk}/transfer/"))
    res = _export(c, case)
    assert res.status_code == 409 and "has no partner key pinned" in _html(res)
    case.refresh_from_db()
    assert case.state != "closed" and not Transfer.objects.exists()


def _b(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.mark.slow
def test_the_exported_packet_downloads_and_installation_b_imports_it(
    world: World, case: Case, tmp_path: Path
) -> None:
    b_dir = tmp_path / "b"
    b_dir.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"LANTERN_KEYS", "LANTERN_KEY_FILE", "DATABASE_URL"}
    }
    allowed = Agreement.objects.get(reference=AGREEMENT).allowed_fields  # B records the same
    env |= {"LANTERN_VAR": str(b_dir), "AGREEMENT_FIELDS": json.dumps(allowed)}
    b_pub = tmp_path / "b.pub"

    # A's public keys, downloaded from the keys page as the partner would receive them
    c = _as(world, "sup")
    keys = c.get("/exchange/keys/?download=1")
    assert keys.status_code == 200 and "attachment" in keys["Content-Disposition"]
    a_pub = tmp_path / "a.pub"
    a_pub.write_bytes(keys.content)
    assert PublicKeys.from_json(a_pub.read_text()) == installation_keys().public()

    # B records the agreement pinning A's keys; A's operator pins B's
    setup = _b(["tests/protection/installation_b.py", "setup", str(b_pub), str(a_pub)], env)
    assert setup.returncode == 0, setup.stderr[-2000:]
    b_public = PublicKeys.from_json(b_pub.read_text())
    transfers.pin_partner(AGREEMENT, b_public, confirm=b_public.spoken_fingerprint)

    res = _export(c, case)
    assert res.status_code == 200, _html(res)[:2000]
    assert res["Content-Type"] == "application/octet-stream"
    assert res["Content-Disposition"].startswith("attachment;")
    assert "no-store" in res["Cache-Control"]
    assert b"Maya" not in res.content  # encrypted
    case.refresh_from_db()
    assert case.state == "closed" and case.status == "ClosedReferred"
    assert 'id="htcds-status">Closed (referred)<' in _html(c.get(f"/cases/{case.pk}/protection/"))

    packet = tmp_path / "case.packet"
    packet.write_bytes(res.content)
    cli = ["-m", "lantern.protection.transfers.cli", "import", str(packet)]
    imported = _b([*cli, "--user", "receiver"], env)
    assert imported.returncode == 0, imported.stderr[-2000:]
    dumped = _b(["tests/protection/installation_b.py", "dump"], env)
    got = json.loads(dumped.stdout)
    assert (got["given_name"], got["family_name"], got["birthdate"]) == (
        "Maya",
        "Tamang",
        "2011-03-04",
    )
    assert got["agency"] == "ind-shelter" and got["transfers"] == [["incoming", "imported"]]


# --- import --------------------------------------------------------------------------------


def test_a_good_packet_opens_a_case_in_the_importers_agency(
    world: World, partner: InstallationKeys
) -> None:
    page = _html(_as(world, "liaison").get("/exchange/import/"))
    assert 'name="packet"' in page and "sender_key" not in page
    res = _import(_as(world, "liaison"), _packet_from(partner))
    assert res.status_code == 302
    case = Case.objects.get()
    assert res["Location"] == f"/cases/{case.pk}/"
    assert case.agency.code == "ngo-one" and case.owner == world.users["liaison"]
    assert (case.person.given_name, case.person.family_name) == ("Asha", "Gurung")
    assert case.transfers.get().direction == "incoming"


@pytest.mark.parametrize(
    "damage, reason",
    [
        ("tampered", "the signature does not verify: the packet was altered"),
        ("wrong_recipient", "the packet is addressed to another installation"),
        (
            "unpinned_sender",
            "the packet was not signed by the partner installation whose key is pinned",
        ),
        ("version_1", "packet version 1 is no longer accepted"),
        ("not_allowed_field", "does not allow: prs_MailingCity"),
    ],
)
def test_a_packet_that_must_not_be_trusted_is_refused_with_the_reason(
    world: World, partner: InstallationKeys, damage: str, reason: str
) -> None:
    packet = _packet_from(partner)
    if damage == "tampered":
        envelope = json.loads(packet)
        envelope["header"]["created"] = "2020-01-01T00:00:00+00:00"  # altered in transit
        packet = json.dumps(envelope).encode()
    elif damage == "wrong_recipient":
        other = InstallationKeys.generate("elsewhere").public()
        packet = seal({"prs_FirstName": "A"}, agreement=AGREEMENT, sender=partner, recipient=other)
    elif damage == "unpinned_sender":
        packet = _packet_from(InstallationKeys.generate("ind"))  # names the right agreement
    elif damage == "version_1":
        envelope = json.loads(packet)
        envelope["header"]["version"] = 1
        packet = json.dumps(envelope).encode()
    else:
        packet = _packet_from(partner, prs_MailingCity="Pokhara")
    res = _import(_as(world, "sup"), packet)
    assert res.status_code in (400, 409)
    html = _html(res)
    assert reason in html and 'id="import-form"' in html
    assert not Case.objects.exists()


def test_a_refusal_reason_is_shown_in_the_users_language(
    world: World, partner: InstallationKeys
) -> None:
    envelope = json.loads(_packet_from(partner))
    envelope["header"]["created"] = "2020-01-01T00:00:00+00:00"  # altered in transit
    packet = json.dumps(envelope).encode()
    c = _as(world, "sup")
    fr = _html(_import(c, packet, HTTP_ACCEPT_LANGUAGE="fr"))
    es = _html(_import(c, packet, HTTP_ACCEPT_LANGUAGE="es"))
    english = "the signature does not verify"
    assert english not in fr and english not in es
    assert "signature" in fr and "firma" in es  # the catalogue's own words


def test_the_keys_page_shows_the_fingerprint_and_the_agreements(world: World) -> None:
    c = _as(world, "liaison")
    html = _html(c.get("/exchange/keys/"))
    assert installation_keys().public().fingerprint in html
    assert AGREEMENT in html and "prs_FirstName" in html
    assert "no partner key pinned" in html
    partner = InstallationKeys.generate("ind").public()
    transfers.pin_partner(AGREEMENT, partner, confirm=partner.fingerprint)
    html = _html(c.get("/exchange/keys/"))
    assert partner.fingerprint in html and "no partner key pinned" not in html
