"""Cross-border packets over the API: the export answers the packet itself (never cached) and
closes the case; the import opens a case; no call carries a key (the agreement's pinned keys
are the only ones used); every refusal is a 4xx carrying its reason."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation

from lantern.audit.models import AuditEntry
from lantern.cases.models import Case, Consent
from lantern.exchange import htcds
from lantern.exchange.keys import installation_keys
from lantern.exchange.packets import InstallationKeys, open_packet, seal
from lantern.protection.intake import service as intake
from lantern.protection.transfers.models import Agreement, Transfer
from tests.protection.conftest import World

pytestmark = pytest.mark.django_db

AGREEMENT = "NPL-IND-2026-01"


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    """A request in French leaves French active in this thread: restore the default."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


def _b64(data: bytes | str) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


def _post(client: Client, url: str, body: dict[str, Any], who: dict[str, str], **h: str) -> Any:
    extra: dict[str, Any] = {**who, **h}
    return client.post("/api" + url, json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def case(world: World) -> Case:
    c = intake.open_case(
        world.users["cw"],
        "self_referral",
        intake.Child("Maya", "Tamang", birthdate=dt.date(2011, 3, 4), citizenship=("NPL",)),
        {},
        confirm_new=True,
    )
    Consent.objects.create(case=c, item="referral_sharing", value=True, given_by="child")
    return c


def _export_body(**extra: Any) -> dict[str, Any]:
    return {"agreement": AGREEMENT, "reason": "return home", **extra}


def world_fields() -> list[str]:
    return list(Agreement.objects.get(reference=AGREEMENT).allowed_fields)


def test_the_export_answers_the_packet_and_closes_the_case(
    client: Client, world: World, case: Case, partner: InstallationKeys
) -> None:
    res = _post(client, f"/cases/{case.pk}/export-packet", _export_body(), world.h("liaison"))
    assert res.status_code == 200, res.content[:500]
    assert res["Content-Type"] == "application/octet-stream"
    assert "no-store" in res["Cache-Control"] and "attachment" in res["Content-Disposition"]
    opened = open_packet(res.content, recipient=partner, sender=installation_keys().public())
    assert opened.payload["prs_FirstName"] == "Maya" and opened.header["agreement"] == AGREEMENT
    assert "prs_MailingCity" not in opened.payload  # outside the agreement
    assert set(opened.payload) <= set(world_fields()) | set(htcds.METADATA)
    case.refresh_from_db()
    assert case.status == "ClosedReferred"
    assert Transfer.objects.get(case=case).status == "exported"


def test_an_export_cannot_be_sealed_to_a_key_the_request_brings(
    client: Client, world: World, case: Case, partner: InstallationKeys
) -> None:
    """A phished liaison's request names an attacker's key: the schema refuses the field."""
    attacker = InstallationKeys.generate("ind").public()
    url = f"/cases/{case.pk}/export-packet"
    body = _export_body(recipient_key=_b64(attacker.to_json()))
    res = _post(client, url, body, world.h("liaison"))
    assert res.status_code == 422 and "recipient_key" in json.dumps(res.json())
    case.refresh_from_db()
    assert case.state != "closed" and not Transfer.objects.exists()
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert not any("recipient_key" in s.get("properties", {}) for s in schema.values())
    assert not any("sender_key" in s.get("properties", {}) for s in schema.values())


def test_export_refusals_carry_their_reason_and_change_nothing(
    client: Client, world: World, case: Case
) -> None:
    url = f"/cases/{case.pk}/export-packet"
    res = _post(client, url, _export_body(), world.h("cw"))
    assert res.status_code == 403 and "may not transfer" in res.json()["detail"]
    assert _post(client, url, _export_body(), world.h("outsider_sup")).status_code == 404
    res = _post(client, url, _export_body(agreement="NONE"), world.h("sup"))
    assert res.status_code == 422 and "no bilateral agreement 'NONE'" in res.json()["detail"]
    res = _post(client, url, _export_body(), world.h("sup"))  # nothing pinned yet
    assert res.status_code == 409 and "has no partner key pinned" in res.json()["detail"]
    Consent.objects.filter(case=case).delete()
    res = _post(client, url, _export_body(), world.h("sup"))
    assert res.status_code == 403 and "transfer refused" in res.json()["detail"]
    case.refresh_from_db()
    assert case.state != "closed" and not Transfer.objects.exists()


def _packet(sender: InstallationKeys, **extra: Any) -> bytes:
    payload = {
        "ext_Agreement": AGREEMENT,
        "ext_SourceCaseReference": "IND-C-9",
        "prs_FirstName": "Asha",
        "prs_SecondName": "Gurung",
        **extra,
    }
    return seal(payload, agreement=AGREEMENT, sender=sender, recipient=installation_keys().public())


def test_the_import_opens_a_case_once(
    client: Client, world: World, partner: InstallationKeys
) -> None:
    body = {"packet": _b64(_packet(partner))}
    res = _post(client, "/exchange/import", body, world.h("sup"))
    assert res.status_code == 201, res.content
    got = res.json()
    case = Case.objects.get(pk=got["id"])
    assert got["reference"] == case.reference and got["agency"] == "ngo-one"
    assert case.person.given_name == "Asha" and case.transfers.get().direction == "incoming"
    entry = AuditEntry.objects.get(action="import", record_id=case.reference)
    assert f"transfer {case.transfers.get().pk}" in entry.reason
    again = _post(client, "/exchange/import", body, world.h("sup"))
    assert again.status_code == 409 and "already imported" in again.json()["detail"]
    assert Case.objects.count() == 1


def test_a_packet_signed_by_an_unpinned_key_is_refused_even_with_its_key_in_the_body(
    client: Client, world: World, partner: InstallationKeys
) -> None:
    """The header names the right agreement; the signer is not the pinned partner. Sending the
    impostor's key with the packet changes nothing: the body may not carry a key."""
    impostor = InstallationKeys.generate("ind")
    blob = _b64(_packet(impostor))
    keyed = {"packet": blob, "sender_key": _b64(impostor.public().to_json())}
    assert _post(client, "/exchange/import", keyed, world.h("sup")).status_code == 422
    assert not Case.objects.exists()
    res = _post(client, "/exchange/import", {"packet": blob}, world.h("sup"))
    assert res.status_code == 422
    assert "not signed by the partner installation whose key is pinned" in res.json()["detail"]
    assert not Case.objects.exists()


def test_import_refusals_carry_their_reason(
    client: Client, world: World, partner: InstallationKeys
) -> None:
    good = {"packet": _b64(_packet(partner))}
    res = _post(client, "/exchange/import", good, world.h("cw"))
    assert res.status_code == 403 and "import referral packets" in res.json()["detail"]
    res = _post(client, "/exchange/import", {"packet": "not base64!"}, world.h("sup"))
    assert res.status_code == 422 and res.json()["detail"] == "packet: not base64"
    elsewhere = InstallationKeys.generate("elsewhere").public()
    misaddressed = seal({}, agreement=AGREEMENT, sender=partner, recipient=elsewhere)
    res = _post(client, "/exchange/import", {"packet": _b64(misaddressed)}, world.h("sup"))
    assert res.status_code == 422 and "addressed to another installation" in res.json()["detail"]
    extra = {"packet": _b64(_packet(partner, prs_MailingCity="Pokhara"))}
    res = _post(client, "/exchange/import", extra, world.h("liaison"))
    assert res.status_code == 409 and "does not allow: prs_MailingCity" in res.json()["detail"]
    envelope = json.loads(_packet(partner))
    envelope["header"]["version"] = 1
    old = {"packet": _b64(json.dumps(envelope))}
    res = _post(client, "/exchange/import", old, world.h("sup"))
    assert res.status_code == 422 and "version 1 is no longer accepted" in res.json()["detail"]
    assert not Case.objects.exists()


def test_a_refusal_is_given_in_the_callers_language(
    client: Client, world: World, partner: InstallationKeys
) -> None:
    body = {"packet": _b64(_packet(InstallationKeys.generate("impostor")))}
    fr = _post(client, "/exchange/import", body, world.h("sup"), HTTP_ACCEPT_LANGUAGE="fr")
    assert fr.status_code == 422
    assert "not signed by" not in fr.json()["detail"] and "installation" in fr.json()["detail"]
