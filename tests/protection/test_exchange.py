"""Cross-border referral packets: the crypto (HPKE, RFC 9180, signed), the partner keys pinned
on the agreement, the agreement's limits, and two installations."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hpke
from typer.testing import CliRunner

from lantern import taxonomy
from lantern.audit.models import AuditEntry
from lantern.cases.models import Case, Consent, TraffickingEvent
from lantern.errors import Invalid, Refused
from lantern.exchange import htcds, packets
from lantern.exchange.keys import installation_keys
from lantern.exchange.packets import InstallationKeys, PacketError, open_packet, seal
from lantern.protection.intake import service as intake
from lantern.protection.transfers import service as transfers
from lantern.protection.transfers.cli import exchange_app
from lantern.protection.transfers.models import Agreement, Transfer
from lantern.protection.transfers.record import case_record

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
AGREEMENT = "NPL-IND-2026-01"
ALLOWED = [
    "prs_FirstName",
    "prs_SecondName",
    "prs_Birthdate",
    "prs_IdentityNumber",
    "prs_Gender",
    "prs_Citizenship",
    "vic_TraffickingStatus",
    "spl_Type",
]


# --- the packet construction (pure) --------------------------------------------------------


def test_a_packet_opens_only_for_its_recipient_and_from_its_sender():
    a, b, c = (InstallationKeys.generate(n) for n in ("npl", "ind", "other"))
    blob = seal({"prs_FirstName": "Maya"}, agreement="X-1", sender=a, recipient=b.public())
    opened = open_packet(blob, recipient=b, sender=a.public())
    assert opened.payload == {"prs_FirstName": "Maya"} and opened.header["agreement"] == "X-1"
    assert b"Maya" not in blob
    with pytest.raises(PacketError, match="addressed to another installation"):
        open_packet(blob, recipient=c, sender=a.public())
    with pytest.raises(PacketError, match="not signed by the partner installation"):
        open_packet(blob, recipient=b, sender=c.public())


def test_the_sealed_part_is_rfc_9180_hpke_bound_to_the_header():
    """Any HPKE implementation (here cryptography's own suite object) opens the sealed part
    with the recipient's key and the header as info; another header does not open it."""
    a, b = InstallationKeys.generate("npl"), InstallationKeys.generate("ind")
    blob = seal({"prs_FirstName": "Maya"}, agreement="X-1", sender=a, recipient=b.public())
    envelope = json.loads(blob)
    assert envelope["header"]["version"] == 2 == packets.VERSION
    suite = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
    sealed = base64.b64decode(envelope["sealed"])
    info = b"lantern referral packet v2\n" + packets._canonical(envelope["header"])
    assert json.loads(suite.decrypt(sealed, b.box_private, info=info)) == {"prs_FirstName": "Maya"}
    other = packets._canonical(envelope["header"] | {"agreement": "X-2"})
    with pytest.raises(Exception):  # noqa: B017 - InvalidTag: the header is bound
        suite.decrypt(sealed, b.box_private, info=b"lantern referral packet v2\n" + other)


def test_a_tampered_packet_is_refused():
    a, b = InstallationKeys.generate("npl"), InstallationKeys.generate("ind")
    blob = seal({"prs_FirstName": "Maya"}, agreement="X-1", sender=a, recipient=b.public())
    envelope = json.loads(blob)
    envelope["header"]["agreement"] = "X-2"  # relabelled under another agreement
    with pytest.raises(PacketError, match="signature does not verify"):
        open_packet(json.dumps(envelope).encode(), recipient=b, sender=a.public())
    envelope = json.loads(blob)
    ct = bytearray(envelope["sealed"].encode())
    ct[5] = ord("A") if ct[5] != ord("A") else ord("B")
    envelope["sealed"] = ct.decode()
    with pytest.raises(PacketError):
        open_packet(json.dumps(envelope).encode(), recipient=b, sender=a.public())
    with pytest.raises(PacketError, match="not a Lantern referral packet"):
        open_packet(b"hello", recipient=b, sender=a.public())


def test_a_version_1_packet_is_refused_with_a_clear_reason():
    a, b = InstallationKeys.generate("npl"), InstallationKeys.generate("ind")
    envelope = json.loads(seal({}, agreement="X-1", sender=a, recipient=b.public()))
    envelope["header"]["version"] = 1  # the old hand-built sealed box
    old = json.dumps(envelope).encode()
    with pytest.raises(PacketError, match="version 1 is no longer accepted"):
        open_packet(old, recipient=b, sender=a.public())
    envelope["header"]["version"] = 3
    with pytest.raises(PacketError, match="version is not supported"):
        packets.read_header(json.dumps(envelope).encode())


def test_a_signature_by_another_key_is_refused_even_naming_the_pinned_sender():
    """An attacker copies the pinned partner's fingerprint into the header and signs with its
    own key: the pinned key does not verify the signature."""
    partner, attacker, us = (InstallationKeys.generate(n) for n in ("ind", "evil", "npl"))
    blob = seal({"prs_FirstName": "A"}, agreement="X-1", sender=attacker, recipient=us.public())
    envelope = json.loads(blob)
    envelope["header"]["sender"] = partner.public().fingerprint
    with pytest.raises(PacketError, match="signature does not verify"):
        open_packet(json.dumps(envelope).encode(), recipient=us, sender=partner.public())


def test_keys_round_trip_through_their_files():
    keys = InstallationKeys.generate("npl")
    again = InstallationKeys.from_json(keys.to_json())
    assert again.public() == keys.public()
    pub = keys.public()
    assert type(pub).from_json(pub.to_json()) == pub
    assert type(pub).from_b64(pub.name, *pub.b64()) == pub
    broken = json.loads(pub.to_json()) | {"fingerprint": "0" * 32}
    with pytest.raises(PacketError, match="fingerprint"):
        type(pub).from_json(json.dumps(broken))
    short = json.loads(pub.to_json()) | {"box": base64.b64encode(b"x" * 31).decode()}
    with pytest.raises(PacketError, match="32 bytes"):
        type(pub).from_json(json.dumps(short))
    low_order = json.loads(pub.to_json()) | {"box": base64.b64encode(bytes(32)).decode()}
    del low_order["fingerprint"]
    with pytest.raises(PacketError, match="not a valid"):  # nothing could be sealed to it
        type(pub).from_json(json.dumps(low_order))


def test_every_packet_reason_is_in_the_catalogues():
    reasons = [v for k, v in vars(packets).items() if k.isupper() and k not in {"FORMAT"}]
    reasons = [r for r in reasons if isinstance(r, str) and " " in r and r != packets.SUITE_NAME]
    assert len(reasons) == 8 and set(reasons) <= set(transfers.PACKET_REASONS)


# --- the agreement's limits and its pinned partner, in one installation --------------------


def _from(sender: InstallationKeys, **payload) -> bytes:
    body = {"ext_Agreement": AGREEMENT, "ext_SourceCaseReference": "C-X", **payload}
    return seal(body, agreement=AGREEMENT, sender=sender, recipient=installation_keys().public())


@pytest.fixture
def case(world):
    c = intake.open_case(
        world.users["cw"],
        "transit_reception",
        intake.Child(
            "Maya",
            "Tamang",
            birthdate=dt.date(2011, 3, 4),
            gender="Feminine",
            citizenship=("NPL",),
            identity_number="NP-55-1234",
        ),
        {
            "place": "Birgunj bus terminal",
            "expected_contact": "uncle",
            "met_by_expected_contact": False,
            "return_passage_offered": True,
        },
    )
    c.person.nickname, c.person.home_city = "Little bird", "Sindhupalchok"
    c.person.save()
    c.forms_of_exploitation = ["sexual_exploitation"]
    c.save()
    TraffickingEvent.objects.create(case=c, seq=0, type="recruitment", country="NPL")
    Consent.objects.create(case=c, item="referral_sharing", value=True, given_by="child")
    return c


@pytest.mark.django_db
def test_a_case_record_fills_exactly_the_packet_child_fields(case):
    """The transfer reads a case into the fields the packet format names, no more, no fewer."""
    record = case_record(case)
    assert list(record) == list(htcds.CHILD_FIELDS)
    assert record["prs_FirstName"] == "Maya" and record["prs_MailingCity"] == "Sindhupalchok"
    assert record["vic_TypeOfExploitation"] == ["sexual_exploitation"]
    assert record["hte_Events"][0]["type"] == "recruitment"


@pytest.mark.django_db
def test_a_packet_carrying_fields_outside_the_agreement_is_refused(world, case, partner):
    blob = _from(partner, prs_FirstName="Maya", prs_MailingCity="Sindhupalchok")
    with pytest.raises(Refused, match="does not allow: prs_MailingCity"):
        transfers.import_packet(world.users["liaison"], blob)
    with pytest.raises(Invalid, match="no bilateral agreement"):
        transfers.export_packet(world.users["sup"], case, agreement="NONE", reason="home")
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_an_export_is_sealed_to_the_pinned_partner_only(world, case, partner):
    blob = transfers.export_packet(
        world.users["sup"], case, agreement=AGREEMENT, reason="return home"
    )
    opened = open_packet(blob, recipient=partner, sender=installation_keys().public())
    assert opened.header["recipient"] == partner.public().fingerprint
    assert opened.payload["prs_FirstName"] == "Maya"
    other = InstallationKeys.generate("phished")
    with pytest.raises(PacketError, match="addressed to another installation"):
        open_packet(blob, recipient=other, sender=installation_keys().public())
    assert Transfer.objects.get(case=case).installation == partner.public().fingerprint


@pytest.mark.django_db
def test_an_agreement_with_no_pinned_key_refuses_export_and_import(world, case):
    """The world's agreement predates pinning: nothing is sealed or opened under it."""
    assert Agreement.objects.get(reference=AGREEMENT).partner_fingerprint == ""
    with pytest.raises(Refused, match=r"has no partner key pinned.*agreement pin"):
        transfers.export_packet(world.users["sup"], case, agreement=AGREEMENT, reason="home")
    with pytest.raises(Refused, match="has no partner key pinned"):
        transfers.import_packet(world.users["liaison"], _from(InstallationKeys.generate("ind")))
    case.refresh_from_db()
    assert case.state != "closed" and not Transfer.objects.exists()
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_a_packet_signed_by_an_unpinned_key_is_refused_naming_the_right_agreement(world, partner):
    impostor = InstallationKeys.generate("ind")  # same name, another key
    with pytest.raises(Invalid, match="not signed by the partner installation whose key is"):
        transfers.import_packet(world.users["liaison"], _from(impostor, prs_FirstName="A"))
    assert not Case.objects.filter(intake_channel="referral").exists()
    case = transfers.import_packet(world.users["liaison"], _from(partner, prs_FirstName="A"))
    assert case.transfers.get().installation == partner.public().fingerprint


@pytest.mark.django_db
def test_a_packet_sealed_for_another_recipient_is_refused(world, partner):
    elsewhere = InstallationKeys.generate("elsewhere").public()
    body = {"ext_Agreement": AGREEMENT, "ext_SourceCaseReference": "C-X", "prs_FirstName": "A"}
    blob = seal(body, agreement=AGREEMENT, sender=partner, recipient=elsewhere)
    with pytest.raises(Invalid, match="addressed to another installation"):
        transfers.import_packet(world.users["liaison"], blob)
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_re_pinning_is_explicit_and_audited(world, partner):
    rotated = InstallationKeys.generate("ind")
    old_fp, new_fp = partner.public().fingerprint, rotated.public().fingerprint
    with pytest.raises(Invalid, match="not the key file's fingerprint"):
        transfers.pin_partner(AGREEMENT, rotated.public(), confirm=old_fp)
    with pytest.raises(Invalid, match="this installation's own key"):
        own = installation_keys().public()
        transfers.pin_partner(AGREEMENT, own, confirm=own.fingerprint)
    assert Agreement.objects.get(reference=AGREEMENT).partner_fingerprint == old_fp
    spoken = rotated.public().spoken_fingerprint.upper()  # as read aloud, in groups
    ag, before = transfers.pin_partner(AGREEMENT, rotated.public(), confirm=spoken)
    assert (before, ag.partner_fingerprint) == (old_fp, new_fp)
    entry = AuditEntry.objects.filter(action="pin", record_id=AGREEMENT).latest("seq")
    assert old_fp in entry.reason and new_fp in entry.reason
    assert "partner_fingerprint" in entry.fields
    # the old key no longer vouches for a packet; the new one does
    with pytest.raises(Invalid, match="not signed by the partner installation"):
        transfers.import_packet(world.users["liaison"], _from(partner, prs_FirstName="A"))
    transfers.import_packet(world.users["liaison"], _from(rotated, prs_FirstName="A"))


@pytest.mark.django_db
def test_audit_entries_name_the_transfer_not_its_free_text_reason(world, case, partner):
    secret = "uncle in Kathmandu says the recruiter visited"  # synthetic, but free text
    transfers.export_packet(world.users["sup"], case, agreement=AGREEMENT, reason=secret)
    row = Transfer.objects.get(case=case)
    reasons = list(AuditEntry.objects.values_list("reason", flat=True))
    assert any(f"transfer {row.pk}" in r for r in reasons)
    assert not any("Kathmandu" in r for r in reasons)
    other = intake.open_case(
        world.users["cw"],
        "self_referral",
        intake.Child("Asha", "Rai", birthdate=dt.date(2012, 1, 1)),
        {},
        confirm_new=True,
    )
    transfers.transfer_to_agency(world.users["sup"], other, agency="police-two", reason=secret)
    assert not AuditEntry.objects.filter(reason__contains="Kathmandu").exists()


@pytest.mark.django_db
def test_an_export_without_consent_is_refused(world, case, partner):
    Consent.objects.filter(case=case).delete()
    with pytest.raises(Exception, match="transfer refused"):
        transfers.export_packet(world.users["sup"], case, agreement=AGREEMENT, reason="home")
    case.refresh_from_db()
    assert case.state != "closed" and not Transfer.objects.exists()


# --- two installations ---------------------------------------------------------------------


def _b(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PY, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False
    )


def _cli_b(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _b(["-m", "lantern.protection.transfers.cli", *args], env)


@pytest.mark.slow
@pytest.mark.django_db
def test_a_packet_exported_here_is_imported_by_another_installation(world, case, tmp_path):
    # installation B: its own directory, database, vault key and installation key
    b_dir = tmp_path / "b"
    b_dir.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"LANTERN_KEYS", "LANTERN_KEY_FILE", "DATABASE_URL"}
    }
    env |= {"LANTERN_VAR": str(b_dir), "AGREEMENT_FIELDS": json.dumps(ALLOWED)}
    b_pub, a_pub = tmp_path / "b.pub", tmp_path / "a.pub"

    # the two installations swap public key files and each pins the other's on the agreement
    runner = CliRunner()
    shown = runner.invoke(exchange_app, ["keys", "show", "--out", str(a_pub)])
    assert shown.exit_code == 0 and "fingerprint" in shown.output
    setup = _b(["tests/protection/installation_b.py", "setup", str(b_pub), str(a_pub)], env)
    assert setup.returncode == 0, setup.stderr[-2000:]
    b_public = packets.PublicKeys.from_json(b_pub.read_text())
    pin = ["agreement", "pin", AGREEMENT, "--partner-key", str(b_pub)]
    pinned = runner.invoke(exchange_app, [*pin, "--fingerprint", b_public.spoken_fingerprint])
    assert pinned.exit_code == 0, pinned.output
    assert b_public.spoken_fingerprint in pinned.output

    # installation A (this process) exports with the CLI: no key is given, the pinned one is used
    packet = tmp_path / "case.packet"
    args = ["export", str(case.pk), "--agreement", AGREEMENT, "--out", str(packet)]
    args += ["--user", "sup", "--reason", "return home to Nepal"]
    out = runner.invoke(exchange_app, args)
    assert out.exit_code == 0, out.output
    case.refresh_from_db()
    assert case.state == "closed" and case.status == "ClosedReferred"
    assert case.outcome == "transferred"
    assert AuditEntry.objects.filter(action="export", record_id=case.reference).exists()

    # nothing extra disclosed: the decrypted packet holds the agreement's fields only
    b_keys = InstallationKeys.from_json((b_dir / "installation.json").read_text())
    a_keys = installation_keys()
    opened = open_packet(packet.read_bytes(), recipient=b_keys, sender=a_keys.public())
    assert set(opened.payload) == set(ALLOWED) | set(htcds.METADATA)
    text = packet.read_text() + json.dumps(opened.payload)
    for secret in ("Little bird", "Sindhupalchok", "sexual_exploitation", "Birgunj"):
        assert secret not in text

    # installation B imports with its CLI, from its own process, verifying with A's pinned key
    imported = _cli_b("import", str(packet), "--user", "receiver", env=env)
    assert imported.returncode == 0, imported.stderr[-2000:]
    again = _cli_b("import", str(packet), "--user", "receiver", env=env)
    assert again.returncode == 2 and "already imported" in again.stderr
    dumped = _b(["tests/protection/installation_b.py", "dump"], env)
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    got = json.loads(dumped.stdout)

    # nothing identifying lost
    p = case.person
    assert (got["given_name"], got["family_name"]) == (p.given_name, p.family_name)
    assert got["birthdate"] == str(p.birthdate) and got["identity_number"] == p.identity_number
    assert got["citizenship"] == ["NPL"] and got["gender"] == "Feminine"
    assert got["trafficking_status"] == "PossibleVictimOfTrafficking"
    # and nothing outside the agreement arrived
    assert got["nickname"] == "" and got["home_city"] == ""
    assert got["forms_of_exploitation"] == [] and got["events"] == 0
    assert got["agency"] == "ind-shelter" and got["transfers"] == [["incoming", "imported"]]
    assert got["partner_fingerprint"] == a_keys.public().fingerprint


@pytest.mark.django_db
def test_the_cli_records_an_agreement_pinning_the_partner_key_and_prints_its_fingerprint(
    world, tmp_path
):
    partner = InstallationKeys.generate("ind").public()
    pub = tmp_path / "ind.pub"
    pub.write_text(partner.to_json())
    runner = CliRunner()
    base = ["agreement", "add", "NPL-IND-2027-01", "--title", "Return", "--partner-country"]
    base += ["IND", "--fields", "prs_FirstName", "--from", "2026-01-01"]
    unpinned = runner.invoke(exchange_app, base)
    assert unpinned.exit_code == 2 and "--partner-key" in unpinned.output
    wrong = runner.invoke(exchange_app, [*base, "--partner-key", str(pub), "--fingerprint", "ab"])
    assert wrong.exit_code == 2 and "--fingerprint" in wrong.output
    added = runner.invoke(exchange_app, [*base, "--partner-key", str(pub)])
    assert added.exit_code == 0, added.output
    assert partner.spoken_fingerprint in added.output
    ag = Agreement.objects.get(reference="NPL-IND-2027-01")
    assert transfers.pinned_partner(ag) == partner
    entry = AuditEntry.objects.get(action="create", record_id="NPL-IND-2027-01")
    assert partner.fingerprint in entry.reason
    listed = runner.invoke(exchange_app, ["agreement", "list"])
    assert partner.fingerprint in listed.output and "NONE PINNED" in listed.output
    pin = ["agreement", "pin", "NPL-IND-2027-01", "--partner-key", str(pub)]
    unconfirmed = runner.invoke(exchange_app, pin)
    assert unconfirmed.exit_code == 2 and "--fingerprint" in unconfirmed.output
    same = runner.invoke(exchange_app, [*pin, "--fingerprint", partner.fingerprint])
    assert same.exit_code == 2 and "already pins that key" in same.output


@pytest.mark.django_db
def test_the_cli_answers_bad_input_with_exit_2(world, tmp_path):
    runner = CliRunner()
    missing = runner.invoke(exchange_app, ["import", str(tmp_path / "none"), "--user", "sup"])
    assert missing.exit_code == 2 and "FILE" in missing.output
    bad = tmp_path / "bad.packet"
    bad.write_bytes(b"not a packet")
    res = runner.invoke(exchange_app, ["import", str(bad), "--user", "sup"])
    assert res.exit_code == 2 and "not a Lantern referral packet" in res.output
    nobody = runner.invoke(exchange_app, ["import", str(bad), "--user", "x"])
    assert nobody.exit_code == 2 and "no active user" in nobody.output
    pub = tmp_path / "a.pub"
    pub.write_text(InstallationKeys.generate("x").public().to_json())
    keyed = runner.invoke(exchange_app, ["import", str(bad), "--from", str(pub), "--user", "sup"])
    assert keyed.exit_code == 2 and "No such option" in keyed.output  # keys are never given
    export = runner.invoke(
        exchange_app,
        [
            "export",
            "99999",
            "--agreement",
            AGREEMENT,
            "--out",
            str(tmp_path / "p"),
            "--user",
            "sup",
        ],
    )
    assert export.exit_code == 2 and "CASE_ID" in export.output
    to = ["export", "1", "--to", str(pub), "--agreement", AGREEMENT, "--out", str(tmp_path / "p")]
    assert runner.invoke(exchange_app, [*to, "--user", "sup"]).exit_code == 2
    assert not (tmp_path / "p").exists()


@pytest.mark.django_db
def test_an_age_known_only_as_a_band_travels_as_the_band(world, case, partner):
    """A child whose age is known as 12 to 15 is not given an exact age on the way: the band
    travels under an agreement that lets the age travel, and the receiving case keeps it."""
    case.age_at_identification, case.age_min, case.age_max = None, 12, 15
    case.save()
    record = case_record(case)
    assert (record["ext_StatedAge"], record["ext_AgeMin"], record["ext_AgeMax"]) == (None, 12, 15)
    assert "ext_AgeMin" not in htcds.restrict(record, ALLOWED)  # the age is not allowed
    assert htcds.restrict(record, [*ALLOWED, "ext_StatedAge"])["ext_AgeMax"] == 15
    Agreement.objects.filter(reference=AGREEMENT).update(allowed_fields=[*ALLOWED, "ext_StatedAge"])
    received = transfers.import_packet(
        world.users["liaison"], _from(partner, prs_FirstName="Maya", ext_AgeMin=12, ext_AgeMax=15)
    )
    assert (received.age_at_identification, received.age_min, received.age_max) == (None, 12, 15)
    assert received.age_group == taxonomy.age_group_of_range(12, 15) == "minor_unknown"
    with pytest.raises(Invalid, match="ends below where it starts"):
        transfers.import_packet(
            world.users["liaison"],
            _from(partner, ext_SourceCaseReference="C-Y", ext_AgeMin=15, ext_AgeMax=12),
        )
