"""Cross-border packets over the API: the export answers the packet itself (never cached) and
closes the case; the import opens a case; every refusal is a 4xx carrying its reason."""

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

from lantern.cases.models import Case, Consent, Transfer
from lantern.cases.services import intake
from lantern.exchange import htcds
from lantern.exchange.keys import installation_keys
from lantern.exchange.packets import InstallationKeys, PublicKeys, open_packet, seal
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
    c = intake.self_referral(
        world.users["cw"],
        intake.Child("Maya", "Tamang", birthdate=dt.date(2011, 3, 4), citizenship=("NPL",)),
        confirm_new=True,
    )
    Consent.objects.create(case=c, item="referral_sharing", value=True, given_by="child")
    return c


def _export_body(recipient: PublicKeys, **extra: Any) -> dict[str, Any]:
    return {
        "recipient_key": _b64(recipient.to_json()),
        "agreement": AGREEMENT,
        "reason": "return home",
        **extra,
    }


def world_fields() -> list[str]:
    from lantern.cases.models import Agreement

    return list(Agreement.objects.get(reference=AGREEMENT).allowed_fields)


def test_the_export_answers_the_packet_and_closes_the_case(
    client: Client, world: World, case: Case
) -> None:
    partner = InstallationKeys.generate("ind")
    res = _post(
        client,
        f"/cases/{case.pk}/export-packet",
        _export_body(partner.public()),
        world.h("liaison"),
    )
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


def test_export_refusals_carry_their_reason_and_change_nothing(
    client: Client, world: World, case: Case
) -> None:
    key = InstallationKeys.generate("ind").public()
    url = f"/cases/{case.pk}/export-packet"
    res = _post(client, url, _export_body(key), world.h("cw"))
    assert res.status_code == 403 and "may not transfer" in res.json()["detail"]
    assert _post(client, url, _export_body(key), world.h("outsider_sup")).status_code == 404
    res = _post(client, url, _export_body(key, recipient_key="@@"), world.h("sup"))
    assert res.status_code == 422 and "recipient_key" in res.json()["detail"]
    res = _post(client, url, _export_body(key, recipient_key=_b64("{}")), world.h("sup"))
    assert res.status_code == 422 and "not a Lantern public key file" in res.json()["detail"]
    res = _post(client, url, _export_body(key, agreement="NONE"), world.h("sup"))
    assert res.status_code == 422 and "no bilateral agreement 'NONE'" in res.json()["detail"]
    Consent.objects.filter(case=case).delete()
    res = _post(client, url, _export_body(key), world.h("sup"))
    assert res.status_code == 403 and "transfer refused" in res.json()["detail"]
    case.refresh_from_db()
    assert case.state != "closed" and not Transfer.objects.exists()


def _packet(partner: InstallationKeys, **extra: Any) -> bytes:
    payload = {
        "ext_Agreement": AGREEMENT,
        "ext_SourceCaseReference": "IND-C-9",
        "prs_FirstName": "Asha",
        "prs_SecondName": "Gurung",
        **extra,
    }
    return seal(
        payload, agreement=AGREEMENT, sender=partner, recipient=installation_keys().public()
    )


def test_the_import_opens_a_case_once(client: Client, world: World) -> None:
    partner = InstallationKeys.generate("ind")
    body = {"packet": _b64(_packet(partner)), "sender_key": _b64(partner.public().to_json())}
    res = _post(client, "/exchange/import", body, world.h("sup"))
    assert res.status_code == 201, res.content
    got = res.json()
    case = Case.objects.get(pk=got["id"])
    assert got["reference"] == case.reference and got["agency"] == "ngo-one"
    assert case.person.given_name == "Asha" and case.transfers.get().direction == "incoming"
    again = _post(client, "/exchange/import", body, world.h("sup"))
    assert again.status_code == 409 and "already imported" in again.json()["detail"]
    assert Case.objects.count() == 1


def test_import_refusals_carry_their_reason(client: Client, world: World) -> None:
    partner = InstallationKeys.generate("ind")
    good = {"packet": _b64(_packet(partner)), "sender_key": _b64(partner.public().to_json())}
    res = _post(client, "/exchange/import", good, world.h("cw"))
    assert res.status_code == 403 and "import referral packets" in res.json()["detail"]
    res = _post(client, "/exchange/import", {**good, "packet": "not base64!"}, world.h("sup"))
    assert res.status_code == 422 and res.json()["detail"] == "packet: not base64"
    impostor = _b64(InstallationKeys.generate("impostor").public().to_json())
    res = _post(client, "/exchange/import", {**good, "sender_key": impostor}, world.h("sup"))
    assert res.status_code == 422 and "not sent by the installation" in res.json()["detail"]
    extra = {**good, "packet": _b64(_packet(partner, prs_MailingCity="Pokhara"))}
    res = _post(client, "/exchange/import", extra, world.h("liaison"))
    assert res.status_code == 409 and "does not allow: prs_MailingCity" in res.json()["detail"]
    assert not Case.objects.exists()


def test_a_refusal_is_given_in_the_callers_language(client: Client, world: World) -> None:
    partner = InstallationKeys.generate("ind")
    impostor = _b64(InstallationKeys.generate("impostor").public().to_json())
    body = {"packet": _b64(_packet(partner)), "sender_key": impostor}
    fr = _post(client, "/exchange/import", body, world.h("sup"), HTTP_ACCEPT_LANGUAGE="fr")
    assert fr.status_code == 422
    assert "not sent by" not in fr.json()["detail"] and "installation" in fr.json()["detail"]
