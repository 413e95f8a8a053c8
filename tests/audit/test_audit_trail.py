"""The audit trail: tampering of every kind is caught by `lantern audit verify`, every change is
written, supervisors see who viewed a case and auditors browse and export the trail."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lantern.accounts.models import Role, User
from lantern.audit import services as audit
from lantern.audit.models import AuditEntry, AuditHead
from tests import factories
from tests.conftest import Store

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail() -> list[AuditEntry]:
    return [
        audit.record(None, "read", "person", f"p{i}", ("given_name",), source="test")
        for i in range(1, 7)
    ]


def _verify(cli: Any, *extra: str) -> tuple[int, str]:
    res = cli("audit", "verify", *extra)
    return res.exit_code, res.output


def test_an_intact_trail_verifies(trail: list[AuditEntry], cli: Any) -> None:
    code, out = _verify(cli)
    assert code == 0 and "intact: 6 entries" in out
    assert f"anchor 6:{trail[-1].hash}" in out


def test_an_edited_entry_is_named(trail: list[AuditEntry], cli: Any) -> None:
    AuditEntry.objects.filter(seq=3).update(username="someone-else")
    code, out = _verify(cli)
    assert code == 1 and "seq=3" in out and "edited" in out


def test_a_deleted_entry_is_named(trail: list[AuditEntry], cli: Any) -> None:
    AuditEntry.objects.filter(seq=4).delete()
    code, out = _verify(cli)
    assert code == 1 and "seq=4" in out


def test_reordered_entries_are_named(trail: list[AuditEntry], cli: Any) -> None:
    a, b = AuditEntry.objects.get(seq=2), AuditEntry.objects.get(seq=5)
    fields = ["seq", "record_id", "prev_hash", "hash"]
    swapped = {f: getattr(a, f) for f in fields}, {f: getattr(b, f) for f in fields}
    AuditEntry.objects.filter(pk=a.pk).update(seq=10_000)  # free the unique seq
    AuditEntry.objects.filter(pk=b.pk).update(**swapped[0])
    AuditEntry.objects.filter(pk=a.pk).update(**swapped[1])
    code, out = _verify(cli)
    assert code == 1 and "seq=2" in out and "reordered" in out


def test_the_last_entries_removed_are_caught(trail: list[AuditEntry], cli: Any) -> None:
    AuditEntry.objects.filter(seq__gte=5).delete()
    code, out = _verify(cli)
    assert code == 1 and "seq=5" in out and "removed" in out


def test_a_head_moved_back_to_hide_a_removal_is_caught(trail: list[AuditEntry], cli: Any) -> None:
    AuditEntry.objects.filter(seq=6).delete()
    AuditHead.objects.filter(id=1).update(seq=5, hash=trail[4].hash)  # without the MAC key
    code, out = _verify(cli)
    assert code == 1 and "head" in out and "edited" in out


def test_a_deleted_head_is_caught(trail: list[AuditEntry], cli: Any) -> None:
    AuditHead.objects.all().delete()
    code, out = _verify(cli)
    assert code == 1 and "head" in out and "missing" in out


def test_entries_written_behind_lanterns_back_are_caught(trail: list[AuditEntry], cli: Any) -> None:
    """Even a well-formed entry (made with the key) is caught when the head was not moved."""
    e = audit._entry(None, 7, trail[-1].at, trail[-1].hash, "read", "person", "p7", (), "", "x")
    e.hash = audit._digest(e.prev_hash, audit._content(e))
    e.save()
    code, out = _verify(cli)
    assert code == 1 and "seq=7" in out and "appended" in out


def test_a_chain_recomputed_without_the_key_is_caught(trail: list[AuditEntry], cli: Any) -> None:
    """Someone holding only the database rewrites entry 2 and re-hashes the chain onwards."""
    prev = trail[0].hash
    for e in AuditEntry.objects.filter(seq__gte=2).order_by("seq"):
        if e.seq == 2:
            e.username = "nobody"
        body = json.dumps(audit._content(e), sort_keys=True, separators=(",", ":"))
        e.prev_hash, e.hash = prev, hashlib.sha256(f"{prev}\n{body}".encode()).hexdigest()
        e.save()
        prev = e.hash
    AuditHead.objects.filter(id=1).update(hash=prev)
    code, out = _verify(cli)
    assert code == 1 and "seq=2" in out


def test_an_anchor_catches_a_trail_cut_back_by_someone_with_the_key(
    trail: list[AuditEntry], cli: Any
) -> None:
    anchor = f"6:{trail[-1].hash}"
    AuditEntry.objects.filter(seq=6).delete()
    AuditHead.objects.filter(id=1).update(
        seq=5, hash=trail[4].hash, mac=audit._head_mac(5, trail[4].hash)
    )
    assert _verify(cli)[0] == 0  # consistent again: only the anchor kept off the server knows
    code, out = _verify(cli, "--anchor", anchor)
    assert code == 1 and "seq=6" in out and "cut back" in out
    assert _verify(cli, "--anchor", "not-an-anchor")[0] == 2


def test_auditors_export_the_trail_and_the_export_is_audited(
    trail: list[AuditEntry], cli: Any, tmp_path: Any, fast_passwords: None
) -> None:
    factories.user("aud", Role.AUDITOR, agency_code=None, team=None)
    factories.user("cw", Role.CASEWORKER)
    out = tmp_path / "trail.csv"
    res = cli("audit", "export", "--user", "aud", "--out", str(out))
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open()))
    assert [r["record_id"] for r in rows if r["action"] == "read"] == [f"p{i}" for i in range(1, 7)]
    assert rows[0]["hash"] == trail[0].hash
    assert AuditEntry.objects.filter(action="export", username="aud").count() == 1
    refused = cli("audit", "export", "--user", "cw")
    assert refused.exit_code == 2 and "may not export" in refused.output
    assert cli("audit", "export", "--user", "aud", "--since", "yesterday").exit_code == 2
    assert audit.verify() is None


def test_csv_cells_cannot_run_as_spreadsheet_formulas() -> None:
    e = audit.record(None, "read", "person", "=HYPERLINK(1)", reason="+cmd", source="test")
    buf = io.StringIO()
    audit.write_csv([e], buf)
    row = next(csv.DictReader(io.StringIO(buf.getvalue())))
    assert row["record_id"] == "'=HYPERLINK(1)" and row["reason"] == "'+cmd"


def test_auditors_filter_and_export_from_the_web(store: Store) -> None:
    reader = factories.verified_login(Client(), store.users["caseworker"])
    assert reader.get(reverse("web:case_detail", args=[store.case_in.pk])).status_code == 200
    auditor = factories.verified_login(Client(), store.users["auditor"])
    page = auditor.get(reverse("web:audit_list"), {"action": "read"}).content.decode()
    assert str(store.case_in.person.key) in page and "user0" in page
    assert "create case" not in page  # the import entries are filtered out
    export = auditor.get(reverse("web:audit_export"), {"username": "user0"})
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert rows and {r["username"] for r in rows} == {"user0"}
    assert AuditEntry.objects.filter(action="export", username="user7").exists()


def test_supervisors_see_who_viewed_a_case(store: Store) -> None:
    worker = factories.verified_login(Client(), store.users["caseworker"])
    worker.get(reverse("web:case_detail", args=[store.case_in.pk]))
    sup = factories.verified_login(Client(), store.users["case_supervisor"])
    page = sup.get(reverse("web:case_access_log", args=[store.case_in.pk])).content.decode()
    assert "user0 (Caseworker" in page and "read person" in page  # the role by its label
    assert "create case" in page  # the import that created it
    assert store.case_in.person.given_name not in page
    # The caseworker may not see the log; another agency's case answers as if it did not exist.
    assert worker.get(reverse("web:case_access_log", args=[store.case_in.pk])).status_code == 404
    assert sup.get(reverse("web:case_access_log", args=[store.case_out.pk])).status_code == 404
    assert AuditEntry.objects.filter(action="view", resource="access_log").count() == 1


def test_every_change_is_written_to_the_trail(
    cli: Any, tmp_path: Any, fast_passwords: None
) -> None:
    assert cli("area", "add", "NPL", "Nepal").exit_code == 0
    assert (
        cli("agency", "add", "ngo-one", "NGO One", "--type", "ngo", "--area", "NPL").exit_code == 0
    )
    assert cli("user", "add", "sys", "--role", "system_admin").exit_code == 0
    assert (
        cli(
            "user", "add", "cw", "--role", "caseworker", "--agency", "ngo-one", "--team", "casework"
        ).exit_code
        == 0
    )
    code = factories.authenticator_code(User.objects.get(username="cw"))
    created = cli("token", "create", "cw", "--code", code)
    prefix = created.output.strip().splitlines()[-1][:10]
    assert cli("token", "revoke", prefix).exit_code == 0
    assert cli("user", "grant-case-content", "sys", "--reason", "fix import").exit_code == 0
    path = factories.write_csv(tmp_path / "r.csv", [factories.record(1)])
    assert cli("import", str(path), "--user", "cw", "-q").exit_code == 0
    assert cli("keys", "rotate").exit_code == 0
    seen = set(AuditEntry.objects.values_list("action", "resource"))
    assert seen >= {
        ("create", "area"),
        ("create", "agency"),
        ("create", "user"),
        ("create", "api_token"),
        ("revoke", "api_token"),
        ("grant", "user"),
        ("create", "case"),
        ("rotate", "encryption_key"),
    }
    grant = AuditEntry.objects.get(action="grant")
    assert grant.reason == "fix import" and grant.source.startswith("cli")
    assert audit.verify() is None
