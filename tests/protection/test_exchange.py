"""Cross-border referral packets: the crypto, the agreement's limits, and two installations."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lantern.audit.models import AuditEntry
from lantern.cases.models import Case, Consent, TraffickingEvent, Transfer
from lantern.cases.services import intake, transfers
from lantern.cases.services.errors import Invalid, Refused
from lantern.exchange import htcds
from lantern.exchange.cli import exchange_app
from lantern.exchange.keys import installation_keys
from lantern.exchange.packets import InstallationKeys, PacketError, open_packet, seal

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
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
    with pytest.raises(PacketError, match="not sent by the installation"):
        open_packet(blob, recipient=b, sender=c.public())


def test_a_tampered_packet_is_refused():
    a, b = InstallationKeys.generate("npl"), InstallationKeys.generate("ind")
    blob = seal({"prs_FirstName": "Maya"}, agreement="X-1", sender=a, recipient=b.public())
    envelope = json.loads(blob)
    envelope["header"]["agreement"] = "X-2"  # relabelled under another agreement
    with pytest.raises(PacketError, match="signature does not verify"):
        open_packet(json.dumps(envelope).encode(), recipient=b, sender=a.public())
    envelope = json.loads(blob)
    ct = bytearray(envelope["ciphertext"].encode())
    ct[5] = ord("A") if ct[5] != ord("A") else ord("B")
    envelope["ciphertext"] = ct.decode()
    with pytest.raises(PacketError):
        open_packet(json.dumps(envelope).encode(), recipient=b, sender=a.public())
    with pytest.raises(PacketError, match="not a Lantern referral packet"):
        open_packet(b"hello", recipient=b, sender=a.public())


def test_keys_round_trip_through_their_files():
    keys = InstallationKeys.generate("npl")
    again = InstallationKeys.from_json(keys.to_json())
    assert again.public() == keys.public()
    pub = keys.public()
    assert type(pub).from_json(pub.to_json()) == pub
    broken = json.loads(pub.to_json()) | {"fingerprint": "0" * 32}
    with pytest.raises(PacketError, match="fingerprint"):
        type(pub).from_json(json.dumps(broken))


# --- the agreement's limits, in one installation -------------------------------------------


@pytest.fixture
def case(world):
    c = intake.transit_reception(
        world.users["cw"],
        intake.Child(
            "Maya",
            "Tamang",
            birthdate=dt.date(2011, 3, 4),
            gender="Feminine",
            citizenship=("NPL",),
            identity_number="NP-55-1234",
        ),
        place="Birgunj bus terminal",
        expected_contact="uncle",
        met_by_expected_contact=False,
        return_passage_offered=True,
    )
    c.person.nickname, c.person.home_city = "Little bird", "Sindhupalchok"
    c.person.save()
    c.forms_of_exploitation = ["sexual_exploitation"]
    c.save()
    TraffickingEvent.objects.create(case=c, seq=0, type="recruitment", country="NPL")
    Consent.objects.create(case=c, item="referral_sharing", value=True, given_by="child")
    return c


@pytest.mark.django_db
def test_a_packet_carrying_fields_outside_the_agreement_is_refused(world, case):
    foreign = InstallationKeys.generate("ind")
    payload = {
        "ext_Agreement": "NPL-IND-2026-01",
        "ext_SourceCaseReference": "C-X",
        "prs_FirstName": "Maya",
        "prs_MailingCity": "Sindhupalchok",  # not in the agreement
    }
    blob = seal(
        payload, agreement="NPL-IND-2026-01", sender=foreign, recipient=installation_keys().public()
    )
    with pytest.raises(Refused, match="does not allow: prs_MailingCity"):
        transfers.import_packet(world.users["liaison"], blob, sender=foreign.public())
    with pytest.raises(Invalid, match="no bilateral agreement"):
        transfers.export_packet(
            world.users["sup"], case, recipient=foreign.public(), agreement="NONE", reason="home"
        )
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_an_export_without_consent_is_refused(world, case):
    Consent.objects.filter(case=case).delete()
    with pytest.raises(Exception, match="transfer refused"):
        transfers.export_packet(
            world.users["sup"],
            case,
            recipient=InstallationKeys.generate("ind").public(),
            agreement="NPL-IND-2026-01",
            reason="home",
        )
    case.refresh_from_db()
    assert case.state != "closed" and not Transfer.objects.exists()


# --- two installations ---------------------------------------------------------------------


def _b(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PY, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False
    )


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
    setup = _b(["tests/protection/installation_b.py", "setup", str(b_pub)], env)
    assert setup.returncode == 0, setup.stderr[-2000:]

    # installation A (this process) exports with the CLI
    runner = CliRunner()
    shown = runner.invoke(exchange_app, ["keys", "show", "--out", str(a_pub)])
    assert shown.exit_code == 0 and "fingerprint" in shown.output
    packet = tmp_path / "case.packet"
    args = ["export", str(case.pk), "--to", str(b_pub), "--agreement", "NPL-IND-2026-01"]
    args += ["--out", str(packet), "--user", "sup", "--reason", "return home to Nepal"]
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

    # installation B imports with its CLI, from its own process
    imported = _b(
        [
            "-m",
            "lantern.exchange.cli",
            "import",
            str(packet),
            "--from",
            str(a_pub),
            "--user",
            "receiver",
        ],
        env,
    )
    assert imported.returncode == 0, imported.stderr[-2000:]
    again = _b(
        [
            "-m",
            "lantern.exchange.cli",
            "import",
            str(packet),
            "--from",
            str(a_pub),
            "--user",
            "receiver",
        ],
        env,
    )
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


@pytest.mark.django_db
def test_the_cli_answers_bad_input_with_exit_2(world, tmp_path):
    runner = CliRunner()
    missing = runner.invoke(
        exchange_app,
        ["import", str(tmp_path / "none"), "--from", str(tmp_path / "none.pub"), "--user", "sup"],
    )
    assert missing.exit_code == 2 and "--from" in missing.output
    pub = tmp_path / "a.pub"
    pub.write_text(installation_keys().public().to_json())
    bad = tmp_path / "bad.packet"
    bad.write_bytes(b"not a packet")
    res = runner.invoke(exchange_app, ["import", str(bad), "--from", str(pub), "--user", "sup"])
    assert res.exit_code == 2 and "not a Lantern referral packet" in res.output
    nobody = runner.invoke(exchange_app, ["import", str(bad), "--from", str(pub), "--user", "x"])
    assert nobody.exit_code == 2 and "no active user" in nobody.output
    export = runner.invoke(
        exchange_app,
        [
            "export",
            "99999",
            "--to",
            str(pub),
            "--agreement",
            "NPL-IND-2026-01",
            "--out",
            str(tmp_path / "p"),
            "--user",
            "sup",
        ],
    )
    assert export.exit_code == 2 and "CASE_ID" in export.output
