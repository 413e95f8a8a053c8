"""Free text about a child (a transition's reason, a referral's override, answer and completion,
a tracing decision, why an agency referred the child) is encrypted at rest, shown only to roles
reading its tier, and never copied into the audit trail, which refers to it by id instead.

The finding: a national coordinator, with no second factor, read a medical emergency in
``GET /api/cases/{id}/protection``; the same texts sat in clear columns and audit reasons.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from lantern.cases.models import CaseTransition
from lantern.protection.referrals.models import Referral
from lantern.protection.tracing.models import TracingRequest
from lantern.vault import keys
from tests import factories
from tests.protection.conftest import World, child, post, world  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

MEDICAL = "medical emergency: seizures in the night, taken to the district hospital"
REFERRED = "police found her working in a spa; fears her aunt's husband"
DECLINED = "cannot treat epilepsy this month; no neurologist on staff"
OVERRIDE = "the father sold her twice; her safety cannot wait for his consent"
TRACED = "mother recognised the burn scar on her left forearm"
TEXTS = (MEDICAL, REFERRED, DECLINED, OVERRIDE, TRACED)


def _ok(res: Any, code: int = 200) -> Any:
    assert res.status_code == code, res.content
    return res.json()


@pytest.fixture
def free_text(client: Client, world: World) -> dict[str, int]:  # noqa: F811 - the fixture
    """One child's record with each kind of free text, written through the API."""
    cw, sup = world.h("cw"), world.h("sup")
    body = {
        "child": child(),
        "referring_organisation": "District Police",
        "referral_reason": REFERRED,
    }
    cid = _ok(post(client, "/intake/referral", body, cw), 201)["id"]
    risk = {"risk_to_child": "high", "risk_to_family": "low", "risk_to_helpers": "low"}
    _ok(post(client, f"/cases/{cid}/risk-assessments", risk, cw), 201)
    _ok(post(client, f"/cases/{cid}/transitions", {"to": "assessed", "reason": MEDICAL}, cw), 201)
    for item in ("referral_sharing", "family_tracing"):
        yes = {"item": item, "value": True, "given_by": "child"}
        _ok(post(client, f"/cases/{cid}/consents", yes, cw), 201)
    due = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    refer = {
        "organisation": world.clinic.pk,
        "services": ["medical"],
        "consent_basis": "child_assent",
        "due_date": due,
    }
    declined = _ok(post(client, f"/cases/{cid}/referrals", refer, cw), 201)["id"]
    _ok(post(client, f"/referrals/{declined}/decline", {"reason": DECLINED}, cw))
    override = {**refer, "consent_basis": "override", "override_reason": OVERRIDE}
    overridden = _ok(post(client, f"/cases/{cid}/referrals", override, sup), 201)["id"]
    request = {
        "requester_relation": "mother",
        "requester_name": "Sita Tamang",
        "sought_given_name": "Maya",
    }
    tr = _ok(post(client, "/tracing-requests", request, cw), 201)["id"]
    confirm = {"case_id": cid, "reason": TRACED}
    _ok(post(client, f"/tracing-requests/{tr}/confirm", confirm, cw))
    return {"case": cid, "declined": declined, "overridden": overridden, "tracing": tr}


def _dump() -> str:
    """Every text column of the tables holding these records, as stored."""
    out: list[str] = []
    with connection.cursor() as cur:
        for table in (
            "cases_casetransition",
            "cases_intake",
            "cases_referral",
            "cases_tracingrequest",
            "audit_auditentry",
        ):
            cur.execute(f"SELECT * FROM {table}")
            out.extend(str(v) for row in cur.fetchall() for v in row)
    return "\n".join(out)


def test_free_text_reasons_are_encrypted_at_rest(free_text: dict[str, int]) -> None:
    stored = _dump()
    for text in TEXTS:
        assert text not in stored and text.split(":")[0][:20] not in stored, text
    step = CaseTransition.objects.get(case_id=free_text["case"], to_state="assessed")
    assert step.reason == MEDICAL  # clear in Python, for those who may read it
    assert Referral.objects.get(pk=free_text["declined"]).response_reason == DECLINED
    assert Referral.objects.get(pk=free_text["overridden"]).override_reason == OVERRIDE
    assert TracingRequest.objects.get(pk=free_text["tracing"]).decision_reason == TRACED
    with connection.cursor() as cur:
        cur.execute("SELECT reason FROM cases_casetransition WHERE id = %s", [step.pk])
        assert keys.KeyRing.version(cur.fetchone()[0]) == "v2"


@pytest.mark.parametrize("role", [Role.NATIONAL_COORDINATOR, Role.AGENCY_ADMIN])
def test_roles_without_the_tier_see_free_text_withheld(
    free_text: dict[str, int], role: str
) -> None:
    national = role == Role.NATIONAL_COORDINATOR
    reader = factories.user("reader", role, agency_code=None if national else "ngo-one", team=None)
    client = factories.verified_login(Client(), reader)
    cid = free_text["case"]

    res = client.get(f"/api/cases/{cid}/protection")
    record = _ok(res)
    body = res.content.decode()
    for text in TEXTS:
        assert text not in body, text
    step = next(t for t in record["transitions"] if t["to"] == "assessed")
    assert step["reason"] is None and step["withheld"] == ["reason"]
    assert record["intake"]["referral_reason"] is None
    assert "referral_reason" in record["intake"]["withheld"]
    for ref in record["referrals"]:
        assert ref["override_reason"] is None and ref["response_reason"] is None
        assert {"override_reason", "response_reason", "completion_note"} <= set(ref["withheld"])

    page = client.get(reverse("web:case_protection", args=[cid]))
    assert page.status_code == 200
    html = page.content.decode()
    for text in TEXTS:
        assert text not in html, text
    assert "withheld" in html and ">None<" not in html and "· None" not in html


def test_the_childs_own_team_reads_the_free_text(free_text: dict[str, int]) -> None:
    from tests.protection.conftest import P

    cw = factories.user("cw2", Role.CASEWORKER)
    web = factories.verified_login(Client(), cw)
    record = _ok(web.get(f"{P}/cases/{free_text['case']}/protection"))
    step = next(t for t in record["transitions"] if t["to"] == "assessed")
    assert step["reason"] == MEDICAL and step["withheld"] == []
    assert record["intake"]["referral_reason"] == REFERRED
    page = web.get(reverse("web:case_protection", args=[free_text["case"]])).content.decode()
    assert "seizures in the night" in page


def test_audit_entries_refer_to_free_text_and_never_copy_it(free_text: dict[str, int]) -> None:
    reasons = "\n".join(AuditEntry.objects.values_list("reason", flat=True))
    for text in TEXTS:
        assert text not in reasons, text
    step = CaseTransition.objects.get(case_id=free_text["case"], to_state="assessed")
    assert AuditEntry.objects.filter(reason__endswith=f"transition {step.pk}").exists()
    assert AuditEntry.objects.filter(reason=f"referral {free_text['declined']} declined").exists()
    assert AuditEntry.objects.filter(
        resource="tracing_request", reason__contains=f"tracing request {free_text['tracing']}"
    ).exists()

    auditor = factories.user("aud", Role.AUDITOR, agency_code=None, team=None)
    web = factories.verified_login(Client(), auditor)
    export = web.get(reverse("web:audit_export"))
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert len(rows) >= 8
    exported = export.content.decode()
    for text in TEXTS:
        assert text not in exported, text
