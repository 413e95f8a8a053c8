"""One child's whole journey through the API, as the browser test will walk it in pages.

Intercepted at a port, screened, placed in a shelter, care plan approved, referral accepted
and completed, family traced and assessed, reunified, three follow-up visits with wellbeing
measures, closed with an outcome. Every change must leave an audit entry.
"""

from __future__ import annotations

import datetime as dt

import pytest

from lantern.audit.models import AuditEntry
from lantern.cases.models import Case, CaseTransition
from tests.protection.conftest import P, post, transit_body

pytestmark = pytest.mark.django_db

WB_BEFORE = {
    "safety": 1,
    "health": 2,
    "schooling_or_work": 0,
    "family_relations": 1,
    "emotional_wellbeing": 1,
}


def _ok(res, code=200):  # type: ignore[no-untyped-def]
    assert res.status_code == code, res.content
    return res.json()


def test_a_child_from_port_interception_to_closure(client, world):
    cw, sup, partner = world.h("cw"), world.h("sup"), world.h("partner")
    today = dt.date.today()

    # 1. intercepted at a port: not met by the expected uncle, return passage offered
    opened = _ok(post(client, "/intake/transit-reception", transit_body(), cw), 201)
    cid = opened["id"]
    assert opened["state"] == "identified" and opened["status"] == "Active"

    # 2. screened (the screening helper's endpoint on the main API)
    answers = {
        "acts": ["transportation"],
        "purposes": ["sexual_exploitation"],
        "indicators": {},
    }
    res = client.post(
        f"/api/cases/{cid}/screenings", answers, content_type="application/json", **cw
    )
    assert res.status_code == 201, res.content

    # 3. safety first: risk assessment, then assessed; placed in a shelter; in care
    risk = {
        "immediate_needs": ["accommodation", "medical"],
        "risk_to_child": "high",
        "risk_to_family": "medium",
        "risk_to_helpers": "low",
        "family_involved": False,
    }
    assert _ok(post(client, f"/cases/{cid}/risk-assessments", risk, cw), 201)["level"] == "high"
    step = {"to": "assessed", "reason": "immediate needs and risks assessed"}
    _ok(post(client, f"/cases/{cid}/transitions", step, cw), 201)
    _ok(post(client, f"/cases/{cid}/placements", {"place": world.shelter.pk}, cw), 201)
    _ok(post(client, f"/cases/{cid}/transitions", {"to": "in_care", "reason": "placed"}, cw), 201)
    baseline = {"wellbeing": WB_BEFORE, "notes": "withdrawn, sleeps badly"}
    _ok(post(client, f"/cases/{cid}/baseline", baseline, cw), 201)

    # 4. care plan made with the child, submitted, approved by the supervisor
    plan = {
        "needs": ["medical", "psychosocial", "vocational_training", "family_tracing"],
        "goals": "Recover health; trace family; start tailoring course",
        "child_views": "Wants to go home and learn tailoring",
        "responsible": world.clinic.pk,
        "due_dates": {"medical": (today + dt.timedelta(days=14)).isoformat()},
    }
    p = _ok(post(client, f"/cases/{cid}/care-plans", plan, cw), 201)
    _ok(post(client, f"/care-plans/{p['id']}/submit", {}, cw))
    assert _ok(post(client, f"/care-plans/{p['id']}/approve", {}, sup))["status"] == "approved"
    _ok(post(client, f"/cases/{cid}/transitions", {"to": "services", "reason": "plan on"}, cw), 201)

    # 5. referral with the child's assent, accepted and completed by the partner's staff
    assent = {"item": "referral_sharing", "value": True, "given_by": "child"}
    _ok(post(client, f"/cases/{cid}/consents", assent, cw), 201)
    ref = {
        "organisation": world.partner.pk,
        "services": ["vocational_training"],
        "fields_shared": ["given_name", "age", "care_needs"],
        "consent_basis": "child_assent",
        "due_date": (today + dt.timedelta(days=10)).isoformat(),
    }
    r = _ok(post(client, f"/cases/{cid}/referrals", ref, cw), 201)
    packet = _ok(client.get(f"{P}/referrals/{r['id']}/packet", **partner))
    assert set(packet["child"]) == {"given_name", "age", "care_needs"}
    assert packet["child"]["given_name"] == "Maya"
    _ok(post(client, f"/referrals/{r['id']}/accept", {"reason": "place available"}, partner))
    done = _ok(post(client, f"/referrals/{r['id']}/complete", {"note": "course done"}, partner))
    assert done["status"] == "completed"

    # 6. family traced (the child consented to tracing), then assessed: safe, reunify
    tracing_yes = {"item": "family_tracing", "value": True, "given_by": "child"}
    _ok(post(client, f"/cases/{cid}/consents", tracing_yes, cw), 201)
    request = {
        "requester_relation": "mother",
        "requester_name": "Sunita Tamang",
        "sought_given_name": "maya",
        "sought_family_name": "TAMANG",
        "sought_birth_year": 2011,
    }
    tr = _ok(post(client, "/tracing-requests", request, cw), 201)
    candidates = _ok(client.get(f"{P}/tracing-requests/{tr['id']}/candidates", **cw))
    mine = [c for c in candidates if c["case_id"] == cid]
    assert mine and mine[0]["agreement"] == {
        "family_name": True,
        "given_name": True,
        "birth_year": True,
    }
    confirm = {"case_id": cid, "reason": "mother identified the child's photo and birthmark"}
    assert (
        _ok(post(client, f"/tracing-requests/{tr['id']}/confirm", confirm, cw))["matched_case"]
        == cid
    )
    family = {
        "safe": True,
        "family_rejects_child": False,
        "family_involved": False,
        "retrafficking_risk": "low",
        "decision": "reunify",
    }
    _ok(post(client, f"/cases/{cid}/family-assessments", family, cw), 201)
    reunified = {"to": "removal_verified", "reason": "reunified with mother"}
    _ok(post(client, f"/cases/{cid}/transitions", reunified, cw), 201)
    follow = {"to": "follow_up", "reason": "home; follow-up starts"}
    assert _ok(post(client, f"/cases/{cid}/transitions", follow, cw), 201)["status"] == "FollowUp"

    # 7. three follow-up visits with wellbeing measures
    for i in range(3):
        v = _ok(post(client, f"/cases/{cid}/visits", {"scheduled_for": today.isoformat()}, cw), 201)
        scores = {k: min(4, x + i + 1) for k, x in WB_BEFORE.items()}
        visit = {"wellbeing": scores, "retrafficking_risk": "low"}
        _ok(post(client, f"/visits/{v['id']}/record", visit, cw))
    change = _ok(client.get(f"{P}/cases/{cid}/wellbeing", **cw))
    assert change["visits"] == 3 and change["baseline"] == WB_BEFORE
    assert change["change"]["schooling_or_work"] == 3 and change["total_change"] > 0

    # 8. closed with an outcome from the taxonomy: the caseworker asks, with the checklist,
    # and the supervisor approves. The shelter placement was never ended and the plan's
    # actions run on, so each needs its reason.
    checklist = _ok(client.get(f"{P}/cases/{cid}/closure", **cw))["checklist"]
    left = [i["key"] for a in checklist for i in a["items"]]
    assert {k.split(":")[0] for k in left} == {"placement", "care_plan_action"}
    closing = {"outcome": "reunited_with_family", "reason": "safe and progressing"}
    refused = post(client, f"/cases/{cid}/closure", closing, cw)
    assert refused.status_code == 409 and "House 7" in refused.json()["detail"]
    closing["justifications"] = {k: "home now; the school follows her up" for k in left}
    asked = _ok(post(client, f"/cases/{cid}/closure", closing, cw), 201)
    approved = _ok(post(client, f"/closures/{asked['id']}/approve", {}, sup))
    assert approved["status"] == "approved"
    assert Case.objects.get(pk=cid).outcome == "reunited_with_family"
    assert Case.objects.get(pk=cid).status == "Closed"

    case = Case.objects.get(pk=cid)
    path = list(CaseTransition.objects.filter(case=case).values_list("to_state", flat=True))
    assert path == [
        "assessed",
        "in_care",
        "services",
        "removal_verified",
        "follow_up",
        "closed",
    ]
    summary = _ok(client.get(f"{P}/cases/{cid}/protection", **cw))
    assert summary["next"] == [] and len(summary["visits"]) == 4  # baseline + 3 visits
    assert summary["intake"]["met_by_expected_contact"] is False
    assert summary["intake"]["return_passage_offered"] is True

    # every change was audited, each with its kind of record
    audited = set(AuditEntry.objects.values_list("action", "resource"))
    for expected in [
        ("create", "case"),
        ("create", "risk_assessment"),
        ("transition", "case"),
        ("create", "placement"),
        ("create", "care_plan"),
        ("submit", "care_plan"),
        ("approve", "care_plan"),
        ("update", "consent"),
        ("create", "referral"),
        ("read", "referral"),
        ("update", "referral"),
        ("create", "tracing_request"),
        ("confirm", "tracing_request"),
        ("create", "family_assessment"),
        ("create", "visit"),
        ("update", "visit"),
    ]:
        assert expected in audited, expected
    steps = AuditEntry.objects.filter(action="transition", record_id=case.reference)
    assert steps.count() == 6
