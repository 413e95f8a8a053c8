"""Each denial path: consent, the shelter's location, and the state machine's refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from lantern.audit.models import AuditEntry
from lantern.cases.models import Case, CaseTransition, Consent
from lantern.protection.referrals.models import Referral
from lantern.protection.safety import service as safety
from lantern.protection.safety.models import Placement
from tests.protection.conftest import P, post, transit_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(client, world):
    res = post(client, "/intake/transit-reception", transit_body(), world.h("cw"))
    assert res.status_code == 201, res.content
    return Case.objects.get(pk=res.json()["id"])


def _referral(world, basis, reason=""):
    return {
        "organisation": world.clinic.pk,
        "services": ["medical"],
        "fields_shared": ["given_name", "birthdate"],
        "consent_basis": basis,
        "due_date": (dt.date.today() + dt.timedelta(days=7)).isoformat(),
        "override_reason": reason,
    }


# --- consent -------------------------------------------------------------------------------

LONG_REASON = "life-threatening infection; the child is unconscious and has no guardian"


def test_a_caseworker_claiming_an_override_is_refused(client, world, case):
    res = post(
        client,
        f"/cases/{case.pk}/referrals",
        _referral(world, "override", LONG_REASON),
        world.h("cw"),
    )
    assert res.status_code == 403
    assert "may not override consent" in res.json()["detail"]
    assert not Referral.objects.exists()


def test_a_referral_without_recorded_consent_is_refused(client, world, case):
    for basis in ("child_assent", "guardian_consent"):
        res = post(client, f"/cases/{case.pk}/referrals", _referral(world, basis), world.h("cw"))
        assert res.status_code == 403 and "no " in res.json()["detail"], res.content
    # a guardian's yes does not stand in for the child's assent
    Consent.objects.create(case=case, item="referral_sharing", value=True, given_by="guardian")
    res = post(
        client, f"/cases/{case.pk}/referrals", _referral(world, "child_assent"), world.h("cw")
    )
    assert res.status_code == 403
    assert not Referral.objects.exists()


def test_a_recorded_refusal_outweighs_a_yes(client, world, case):
    Consent.objects.create(case=case, item="referral_sharing", value=True, given_by="guardian")
    Consent.objects.create(case=case, item="referral_sharing", value=False, given_by="child")
    res = post(
        client, f"/cases/{case.pk}/referrals", _referral(world, "guardian_consent"), world.h("cw")
    )
    assert res.status_code == 403 and "refused" in res.json()["detail"]


def test_a_supervisor_overrides_only_with_a_reason(client, world, case):
    short = post(
        client,
        f"/cases/{case.pk}/referrals",
        _referral(world, "override", "urgent"),
        world.h("sup"),
    )
    assert short.status_code == 403 and "reason" in short.json()["detail"]
    ok = post(
        client,
        f"/cases/{case.pk}/referrals",
        _referral(world, "override", LONG_REASON),
        world.h("sup"),
    )
    assert ok.status_code == 201, ok.content
    ref = Referral.objects.get()
    assert ref.override_by == world.users["sup"] and ref.override_reason == LONG_REASON
    entry = AuditEntry.objects.get(action="create", resource="referral")
    # The trail names the override and the referral that keeps its (encrypted) reason; it never
    # copies the reason, which auditors would read and export.
    assert LONG_REASON not in entry.reason and entry.fields == ["given_name", "birthdate"]
    assert entry.reason.startswith(f"referral {ref.pk}:") and "overridden" in entry.reason


def test_the_receiving_organisation_sees_only_the_shared_fields(client, world, case):
    Consent.objects.create(case=case, item="referral_sharing", value=True, given_by="child")
    body = _referral(world, "child_assent") | {
        "organisation": world.partner.pk,
        "fields_shared": ["age", "gender"],
    }
    ref = post(client, f"/cases/{case.pk}/referrals", body, world.h("cw")).json()
    packet = client.get(f"{P}/referrals/{ref['id']}/packet", **world.h("partner")).json()
    assert set(packet["child"]) == {"age", "gender"}
    assert "Maya" not in str(packet) and "NP-55-1234" not in str(packet)
    # the partner cannot open the case itself, nor answer a referral to another organisation
    assert client.get(f"{P}/cases/{case.pk}/protection", **world.h("partner")).status_code == 404
    assert client.get(f"{P}/referrals/{ref['id']}/packet", **world.h("outsider")).status_code == 404


# --- the shelter's location ----------------------------------------------------------------


def _placed(client, world, case):
    risk = {"risk_to_child": "high", "risk_to_family": "low", "risk_to_helpers": "low"}
    assert (
        post(client, f"/cases/{case.pk}/risk-assessments", risk, world.h("cw")).status_code == 201
    )
    res = post(client, f"/cases/{case.pk}/placements", {"place": world.shelter.pk}, world.h("cw"))
    assert res.status_code == 201, res.content


def test_outside_the_case_scope_the_shelter_location_is_not_shown(client, world, case):
    _placed(client, world, case)
    address = "12 Hidden Lane, Ward 4"
    inside = client.get(f"{P}/safe-places/{world.shelter.pk}", **world.h("cw")).json()
    assert inside["address"] == address
    # another agency's shelter is not even named to an outsider: it answers as missing
    outside = client.get(f"{P}/safe-places/{world.shelter.pk}", **world.h("outsider_sup"))
    assert outside.status_code == 404 and address not in outside.content.decode()
    # nor through the case: outside the scope it does not exist
    res = client.get(f"{P}/cases/{case.pk}/placements", **world.h("outsider_sup"))
    assert res.status_code == 404
    # an agency administrator in scope, without the highly sensitive tier, is not told either
    admin = client.get(f"{P}/safe-places/{world.shelter.pk}", **world.h("admin")).json()
    assert admin["address"] is None
    # the service answers the same, and each read that showed the address was audited
    assert safety.may_see_location(world.users["outsider"], world.shelter) is False
    assert safety.may_see_location(world.users["cw"], world.shelter) is True
    reads = AuditEntry.objects.filter(action="read", resource="safe_place")
    assert {e.username for e in reads} == {"cw"}


def test_the_address_is_encrypted_at_rest(world):
    with connection.cursor() as cur:
        cur.execute("SELECT address FROM cases_safeplace WHERE id = %s", [world.shelter.pk])
        raw = cur.fetchone()[0]
    assert "Hidden Lane" not in raw


def test_a_placement_needs_a_risk_assessment_first(client, world, case):
    res = post(client, f"/cases/{case.pk}/placements", {"place": world.shelter.pk}, world.h("cw"))
    assert res.status_code == 409 and "risk assessment" in res.json()["detail"]
    assert not Placement.objects.exists()


# --- the state machine ---------------------------------------------------------------------


def test_an_illegal_transition_is_refused_with_its_reason(client, world, case):
    res = post(
        client,
        f"/cases/{case.pk}/transitions",
        {"to": "follow_up", "reason": "skip"},
        world.h("cw"),
    )
    assert res.status_code == 409
    detail = res.json()["detail"]
    assert "cannot move from identified to follow_up" in detail and "assessed" in detail
    case.refresh_from_db()
    assert case.state == "identified" and not CaseTransition.objects.exists()


def test_an_unmet_precondition_is_named(client, world, case):
    res = post(
        client, f"/cases/{case.pk}/transitions", {"to": "assessed", "reason": "ok"}, world.h("cw")
    )
    assert res.status_code == 409 and "no risk assessment" in res.json()["detail"]
    _placed(client, world, case)
    post(client, f"/cases/{case.pk}/transitions", {"to": "assessed", "reason": "ok"}, world.h("cw"))
    post(client, f"/cases/{case.pk}/transitions", {"to": "in_care", "reason": "ok"}, world.h("cw"))
    res = post(
        client, f"/cases/{case.pk}/transitions", {"to": "services", "reason": "go"}, world.h("cw")
    )
    assert res.status_code == 409 and "no care plan is approved" in res.json()["detail"]


def test_closing_needs_a_valid_outcome_and_closed_is_final(client, world, case):
    cw = world.h("cw")
    res = post(client, f"/cases/{case.pk}/transitions", {"to": "closed", "reason": "x"}, cw)
    assert res.status_code == 409 and "closure request" in res.json()["detail"]
    bad = post(client, f"/cases/{case.pk}/closure", {"outcome": "happy", "reason": "x"}, cw)
    assert bad.status_code == 422 and "outcome" in bad.json()["detail"]
    body = {"outcome": "ran_away", "reason": "left"}
    asked = post(client, f"/cases/{case.pk}/closure", body, cw)
    assert asked.status_code == 201, asked.content
    ok = post(client, f"/closures/{asked.json()['id']}/approve", {}, world.h("sup"))
    assert ok.status_code == 200 and Case.objects.get(pk=case.pk).status == "Closed"
    again = post(client, f"/cases/{case.pk}/transitions", {"to": "services", "reason": "back"}, cw)
    assert again.status_code == 409 and "none (closed)" in again.json()["detail"]


def test_transitions_are_asked_of_the_policy_layer(client, world, case):
    res = post(
        client,
        f"/cases/{case.pk}/transitions",
        {"to": "assessed", "reason": "x"},
        world.h("outsider"),
    )
    assert res.status_code == 404  # outside the scope the case does not exist
    res = post(
        client, f"/cases/{case.pk}/transitions", {"to": "assessed", "reason": "x"}, world.h("admin")
    )
    assert res.status_code == 403 and "may not move" in res.json()["detail"]
    empty = post(
        client, f"/cases/{case.pk}/transitions", {"to": "assessed", "reason": " "}, world.h("cw")
    )
    assert empty.status_code == 422 and "reason" in empty.json()["detail"]


def test_reunification_is_refused_when_the_family_took_part(client, world, case):
    family = {
        "safe": True,
        "family_involved": True,
        "retrafficking_risk": "medium",
        "decision": "reunify",
    }
    res = post(client, f"/cases/{case.pk}/family-assessments", family, world.h("cw"))
    assert res.status_code == 409 and "took part in the trafficking" in res.json()["detail"]
    family["decision"] = "alternative_care"
    assert (
        post(client, f"/cases/{case.pk}/family-assessments", family, world.h("cw")).status_code
        == 201
    )


def test_a_plan_is_not_approved_by_its_author_nor_by_a_caseworker(client, world, case):
    plan = {"needs": ["medical"], "goals": "Recover"}
    p = post(client, f"/cases/{case.pk}/care-plans", plan, world.h("sup")).json()
    post(client, f"/care-plans/{p['id']}/submit", {}, world.h("sup"))
    own = post(client, f"/care-plans/{p['id']}/approve", {}, world.h("sup"))
    assert own.status_code == 409 and "other than its author" in own.json()["detail"]
    cw = post(client, f"/care-plans/{p['id']}/approve", {}, world.h("cw"))
    assert cw.status_code == 403
