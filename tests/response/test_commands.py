"""`lantern readmission` and `lantern committees`: every role against the permission table
(the same rows as the pages), and what the commands do: packets that the partner can open,
reports that reach the triage queue, refusals that name the option, each step audited."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from lantern.audit.models import AuditEntry
from lantern.exchange.keys import installation_keys
from lantern.exchange.packets import InstallationKeys, open_packet, seal
from lantern.protection.transfers.models import Agreement
from lantern.protection.triage.models import TriageItem
from lantern.response.agreements import readmission
from lantern.response.agreements.models import ReadmissionRequest, ReadmissionStatus
from tests.security.permission_table import COLUMNS, IDS, outcome

pytestmark = pytest.mark.django_db
EXCHANGE = "NPL-IND-CLI"
SOON = (dt.date.today() + dt.timedelta(days=7)).isoformat()
REPORT = {
    "seen": "A girl of about 14 was taken towards the border by a man offering work.",
    "seen_on": dt.date.today().isoformat(),
    "place": "Bus park",
    "severity": "intervene",
    "concerns": ["suspected_trafficking"],
    "child_age": 14,
}


@pytest.fixture
def partner(settings, tmp_path) -> InstallationKeys:
    """India's installation: its keys pinned on the exchange agreement; ours in VAR_DIR."""
    settings.VAR_DIR = tmp_path / "var"
    ind = InstallationKeys.generate("ind")
    public = ind.public()
    sign, box = public.b64()
    Agreement.objects.create(
        reference=EXCHANGE,
        title="Return of child victims",
        partner_country="IND",
        allowed_fields=["prs_Gender"],
        valid_from=dt.date(2020, 1, 1),
        partner_name=public.name,
        partner_sign_key=sign,
        partner_box_key=box,
        partner_fingerprint=public.fingerprint,
    )
    return ind


def _request_from(partner: InstallationKeys, reference: str) -> bytes:
    """A request packet India seals for this installation."""
    payload = {
        "kind": readmission.REQUEST,
        "reference": reference,
        "case_reference": "",
        "proposed_date": SOON,
        "crossing_point": "Raxaul - Birgunj",
        "escort": "Officer Test Escort",
        "requesting_agency": "CWC Bihar",
    }
    return seal(payload, agreement=EXCHANGE, sender=partner, recipient=installation_keys().public())


def _received(agency_id: int, reference: str) -> ReadmissionRequest:
    return ReadmissionRequest.objects.create(
        direction="incoming",
        reference=reference,
        agency_id=agency_id,
        exchange=Agreement.objects.get(reference=EXCHANGE),
        proposed_date=dt.date.today() + dt.timedelta(days=7),
        crossing_point="Raxaul - Birgunj",
        escort="Officer Test Escort",
        status=ReadmissionStatus.RECEIVED,
        request_digest="1" * 64,
        at=dt.datetime.now(dt.UTC),
    )


def _got(result) -> str:
    assert result.exit_code in (0, 2), result.output
    return "allowed" if result.exit_code == 0 else "denied"


def test_every_role_on_the_readmission_and_committee_commands(store, cli, partner, tmp_path):
    escort = tmp_path / "escort.txt"
    escort.write_text("Officer Test Escort, +977 1 000000")
    report = tmp_path / "report.json"
    report.write_text(json.dumps(REPORT))
    committees = {
        w: IDS["committee_id"](c) for w, c in (("in", store.case_in), ("out", store.case_out))
    }
    problems = []
    for i, column in enumerate(COLUMNS):
        user = store.users[column].username
        requests = {
            "in": _received(store.case_in.agency_id, f"RA-IN-{i}").pk,
            "out": _received(store.case_out.agency_id, f"RA-OUT-{i}").pk,
        }
        got: dict[str, dict[str, str]] = {
            "readmission list": {"all": _got(cli("readmission", "list", "-u", user))},
            "readmission send": {
                "all": _got(
                    cli(
                        "readmission", "send", "-u", user, "--exchange", EXCHANGE,
                        "--date", SOON, "--crossing-point", "Raxaul - Birgunj",
                        "--escort-file", str(escort), "--out", str(tmp_path / f"s{i}.json"),
                    )
                )
            },
            "readmission receive": {
                "all": _got(
                    cli(
                        "readmission", "receive", str(_packet(tmp_path, partner, f"RA-P-{i}")),
                        "-u", user,
                    )
                )
            },
            "readmission answer": {
                w: _got(
                    cli(
                        "readmission", "answer", str(pk), "--accept", "-u", user,
                        "--out", str(tmp_path / f"a{i}{w}.json"),
                    )
                )
                for w, pk in requests.items()
            },
            "committees list": {"all": _got(cli("committees", "list", "-u", user))},
            "committees report": {
                w: _got(cli("committees", "report", str(pk), str(report), "-u", user))
                for w, pk in committees.items()
            },
        }  # fmt: skip
        for key, results in got.items():
            expected = outcome(key, column)
            want = {
                "yes": {"all": "allowed"},
                "no": {"all": "denied", "in": "denied", "out": "denied"},
                "scoped": {"in": "allowed", "out": "denied"},
            }[expected]
            for which, result in results.items():
                if result != want[which]:
                    problems.append(f"{column} on {key} ({which}): {result}, table: {expected}")
    assert not problems, "\n".join(problems)


def _packet(tmp_path: Path, partner: InstallationKeys, reference: str) -> Path:
    path = tmp_path / f"{reference}.json"
    path.write_bytes(_request_from(partner, reference))
    return path


def test_a_request_sent_received_and_answered_from_the_shell(store, cli, partner, tmp_path):
    liaison = store.users["cross_border_liaison"].username
    escort = tmp_path / "escort.txt"
    escort.write_text("Officer Test Escort, +977 1 000000")
    out = tmp_path / "request.json"
    r = cli(
        "readmission", "send", "-u", liaison, "--exchange", EXCHANGE, "--date", SOON,
        "--crossing-point", "Raxaul - Birgunj", "--escort-file", str(escort), "--out", str(out),
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    opened = open_packet(out.read_bytes(), recipient=partner, sender=installation_keys().public())
    assert opened.payload["escort"] == "Officer Test Escort, +977 1 000000"
    sent = ReadmissionRequest.objects.get(direction="outgoing")
    assert sent.status == ReadmissionStatus.SENT and "Test Escort" not in r.output

    r = cli("readmission", "receive", str(_packet(tmp_path, partner, "RA-IND-1")), "-u", liaison)
    assert r.exit_code == 0, r.output
    got = ReadmissionRequest.objects.get(reference="RA-IND-1")
    assert got.status == ReadmissionStatus.RECEIVED
    answer = tmp_path / "answer.json"
    r = cli(
        "readmission", "answer", str(got.pk), "--refuse", "--note", "No reception available",
        "-u", liaison, "--out", str(answer),
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    back = open_packet(answer.read_bytes(), recipient=partner, sender=installation_keys().public())
    assert back.payload["accepted"] is False
    r = cli("readmission", "list", "-u", liaison)
    assert "RA-IND-1" in r.output and "refused" in r.output and "Escort" not in r.output
    sources = set(
        AuditEntry.objects.filter(resource="readmission").values_list("source", flat=True)
    )
    for command in ("send", "receive", "answer", "list"):
        assert any(s.endswith(f"readmission {command}") for s in sources), command

    # refusals name the option, and change nothing
    r = cli(
        "readmission", "send", "-u", liaison, "--exchange", "NOPE", "--date", SOON,
        "--crossing-point", "x", "--escort-file", str(escort), "--out", str(tmp_path / "x"),
    )  # fmt: skip
    assert r.exit_code == 2 and "--exchange: no bilateral exchange agreement" in r.output
    r = cli(
        "readmission", "send", "-u", liaison, "--exchange", EXCHANGE, "--date", "tomorrow",
        "--crossing-point", "x", "--escort-file", str(escort), "--out", str(tmp_path / "x"),
    )  # fmt: skip
    assert r.exit_code == 2 and "--date: 'tomorrow' is not a date" in r.output
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"not a packet")
    r = cli("readmission", "receive", str(bad), "-u", liaison)
    assert r.exit_code == 2 and "PACKET:" in r.output
    assert ReadmissionRequest.objects.count() == 2 and not (tmp_path / "x").exists()


def test_a_committee_report_from_a_file_reaches_the_triage_queue(store, cli, tmp_path):
    facilitator = store.users["committee_facilitator"].username
    committee = IDS["committee_id"](store.case_in)
    report = tmp_path / "report.json"
    report.write_text(json.dumps(REPORT))
    before = TriageItem.objects.count()
    r = cli("committees", "report", str(committee), str(report), "-u", facilitator)
    assert r.exit_code == 0, r.output
    assert "received" in r.output and "Bus park" not in r.output
    assert TriageItem.objects.count() == before + 1
    assert AuditEntry.objects.filter(
        resource="committee_report", source__endswith="committees report"
    ).exists()
    r = cli("committees", "list", "-u", facilitator)
    assert "Matrix group" in r.output and "1 report(s)" in r.output

    # a bad file is refused naming the field, and nothing is recorded
    for body, wanted in [
        ({**REPORT, "seen_on": "2999-01-01"}, "seen_on: cannot be in the future"),
        ({**REPORT, "severity": 5}, "FILE: severity"),
        ({k: v for k, v in REPORT.items() if k != "seen"}, "FILE: seen"),
    ]:
        report.write_text(json.dumps(body))
        r = cli("committees", "report", str(committee), str(report), "-u", facilitator)
        assert r.exit_code == 2 and wanted in r.output, (wanted, r.output)
    report.write_text("{not json")
    r = cli("committees", "report", str(committee), str(report), "-u", facilitator)
    assert r.exit_code == 2 and "FILE: not a JSON object" in r.output
    assert TriageItem.objects.count() == before + 1
