"""The case page through Django's test client: each section renders what the services say,
forms keep what was typed and show the service's refusal, shelter locations stay need-to-know,
and only supervisors are offered (and granted) care-plan approval."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from lantern.accounts import policy
from lantern.cases.models import Case, CaseTransition
from lantern.cases.services import consent
from lantern.protection.careplan.models import CarePlan
from lantern.protection.followup import service as followup
from lantern.protection.followup.models import FollowUpVisit
from lantern.protection.referrals.models import Referral
from lantern.protection.safety import service as safety
from lantern.protection.tracing.models import TracingRequest
from lantern.web.navigation import navigation
from tests import factories
from tests.web.protection_pages import (
    TODAY,
    WB,
    World,
    as_user,
    assess_risk,
    baseline_then_visit,
    new_case,
    page_text,
    post,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

# --- the case page ----------------------------------------------------------------------------


def test_the_case_page_draws_the_protection_sections_in_place(world: World) -> None:
    case = new_case(world)
    c = as_user(world, "cw")
    detail = page_text(c.get(f"/cases/{case.pk}/"))
    assert "hx-get" not in detail and 'id="protection-sections"' in detail
    for kept in ('id="journey"', 'id="exploitation"', 'id="actors"', 'id="screen-link"'):
        assert kept in detail
    fragment = page_text(c.get(f"/cases/{case.pk}/protection/", HTTP_HX_REQUEST="true"))
    assert "<html" not in fragment
    for section in (
        "lifecycle",
        "intake",
        "risk",
        "placement",
        "consent",
        "care-plan",
        "referrals",
        "tracing",
        "family",
        "legal",
        "follow-up",
        "close",
    ):
        assert f'id="{section}"' in fragment, section
        assert f'id="{section}"' in detail and f'href="#{section}"' in detail, section
    assert re.search(r'id="state">Identified<', fragment)
    assert re.search(r'id="htcds-status">Active<', fragment)


def test_an_illegal_move_shows_the_reason_and_keeps_the_typed_reason(world: World) -> None:
    case = new_case(world)
    c = as_user(world, "cw")
    res = post(c, case, "move", to="assessed", **{"move-reason": "needs checked"})
    assert res.status_code == 409
    html = page_text(res)
    assert "no risk assessment is recorded (safety first)" in html
    assert 'value="needs checked"' in html
    assert not CaseTransition.objects.exists()
    assess_risk(c, case)
    res = post(c, case, "move", to="assessed", **{"move-reason": "needs checked"})
    assert res.status_code == 302 and res["Location"].endswith(f"/cases/{case.pk}/#lifecycle")
    page = page_text(c.get(f"/cases/{case.pk}/protection/"))
    assert re.search(r'id="state">Assessed<', page) and "needs checked" in page
    assert re.search(r'id="risk-level">High<', page)


def test_a_reason_is_required_for_every_move(world: World) -> None:
    case = new_case(world)
    c = as_user(world, "cw")
    assess_risk(c, case)
    res = post(c, case, "move", to="assessed", **{"move-reason": ""})
    assert res.status_code == 400 and "This field is required." in page_text(res)


def test_the_shelter_location_is_shown_only_on_a_need_to_know(world: World) -> None:
    case = new_case(world)
    cw = as_user(world, "cw")
    assess_risk(cw, case)
    res = post(cw, case, "place", **{"place-place": str(world.shelter.pk)})
    assert res.status_code == 302
    assert "12 Hidden Lane" in page_text(cw.get(f"/cases/{case.pk}/protection/"))
    for outsider in ("liaison", "admin"):  # may view the case, not highly sensitive data
        assert policy.case_allows(world.users[outsider], "view", case)
        html = page_text(as_user(world, outsider).get(f"/cases/{case.pk}/protection/"))
        assert "House 7" in html and "location restricted" in html
        assert "Hidden Lane" not in html
    assert as_user(world, "outsider").get(f"/cases/{case.pk}/protection/").status_code == 404


def test_placing_before_a_risk_assessment_is_refused_with_the_reason(world: World) -> None:
    case = new_case(world)
    res = post(as_user(world, "cw"), case, "place", **{"place-place": str(world.shelter.pk)})
    assert res.status_code == 409
    assert "a risk assessment must be recorded before the child is placed" in page_text(res)


def _submitted_plan(world: World, case: Case) -> CarePlan:
    c = as_user(world, "cw")
    res = post(
        c,
        case,
        "plan",
        **{
            "plan-needs": ["medical", "psychosocial"],
            "plan-due_medical": (TODAY + dt.timedelta(days=14)).isoformat(),
            "plan-goals": "Recover health",
            "plan-responsible": str(world.clinic.pk),
        },
    )
    assert res.status_code == 302, page_text(res)[:3000]
    plan = CarePlan.objects.get(case=case)
    assert plan.due_dates == {"medical": (TODAY + dt.timedelta(days=14)).isoformat()}
    res = post(c, case, "plan_action", row=str(plan.pk), action="submit")
    assert res.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "submitted"
    return plan


def test_only_a_supervisor_is_offered_approval_and_the_service_refuses_others(
    world: World,
) -> None:
    case = new_case(world)
    plan = _submitted_plan(world, case)
    button = f'id="plan-approve-{plan.version}"'
    other_cw = as_user(world, "cw_b")
    assert button not in page_text(other_cw.get(f"/cases/{case.pk}/protection/"))
    res = post(other_cw, case, "plan_action", row=str(plan.pk), action="approve")
    assert res.status_code == 403 and "your role may not approve care plans" in page_text(res)
    plan.refresh_from_db()
    assert plan.status == "submitted"
    sup = as_user(world, "sup")
    assert button in page_text(sup.get(f"/cases/{case.pk}/protection/"))
    assert post(sup, case, "plan_action", row=str(plan.pk), action="approve").status_code == 302
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.approved_by == world.users["sup"]


def test_a_plan_cannot_be_approved_by_its_author(world: World) -> None:
    case = new_case(world)
    plan = CarePlan.objects.create(
        case=case,
        version=1,
        needs=["medical"],
        goals="g",
        status="submitted",
        created_by=world.users["sup"],
        created_at=dt.datetime.now(dt.UTC),
    )
    res = post(as_user(world, "sup"), case, "plan_action", row=str(plan.pk), action="approve")
    assert res.status_code == 409
    assert "a plan is approved by someone other than its author" in page_text(res)


def test_a_referral_without_consent_is_refused_and_the_form_keeps_its_input(
    world: World,
) -> None:
    case = new_case(world)
    due = (TODAY + dt.timedelta(days=10)).isoformat()
    data = {
        "refer-organisation": str(world.clinic.pk),
        "refer-services": ["medical"],
        "refer-fields_shared": ["given_name", "age"],
        "refer-consent_basis": "child_assent",
        "refer-due_date": due,
    }
    c = as_user(world, "cw")
    res = post(c, case, "refer", **data)
    assert res.status_code == 403
    html = page_text(res)
    assert "referral refused: no child assent to referral sharing is recorded" in html
    assert f'value="{due}"' in html
    assert re.search(r'value="given_name"[^>]*checked', html)
    assert not Referral.objects.exists()
    consent.record(world.users["cw"], case, item="referral_sharing", value=True, given_by="child")
    assert post(c, case, "refer", **data).status_code == 302
    assert Referral.objects.get().fields_shared == ["given_name", "age"]


def test_an_overdue_referral_carries_a_badge(world: World) -> None:
    case = new_case(world)
    Referral.objects.create(
        case=case,
        organisation=world.clinic,
        services=["medical"],
        consent_basis="child_assent",
        requested_at=dt.datetime.now(dt.UTC),
        due_date=TODAY - dt.timedelta(days=2),
    )
    html = page_text(as_user(world, "cw").get(f"/cases/{case.pk}/protection/"))
    assert re.search(r"Requested</span> <span class=\"badge overdue\">overdue", html)


def test_the_receiving_agency_sees_only_the_shared_fields_and_answers(world: World) -> None:
    case = new_case(world)
    consent.record(world.users["cw"], case, item="referral_sharing", value=True, given_by="child")
    post(
        as_user(world, "cw"),
        case,
        "refer",
        **{
            "refer-organisation": str(world.partner.pk),
            "refer-services": ["vocational_training"],
            "refer-fields_shared": ["given_name", "age"],
            "refer-consent_basis": "child_assent",
            "refer-due_date": (TODAY + dt.timedelta(days=5)).isoformat(),
        },
    )
    ref = Referral.objects.get()
    partner = as_user(world, "partner")
    work = page_text(partner.get("/work/"))
    assert f'href="/referrals/{ref.pk}/"' in work
    assert re.search(r"incoming-referral\">[^<]*</a> · Requested ", work)  # the label, no code
    page = page_text(partner.get(f"/referrals/{ref.pk}/"))
    assert "Maya" in page and "Tamang" not in page and "2011-03-04" not in page
    res = partner.post(f"/referrals/{ref.pk}/", {"action": "decline", "reason": ""})
    assert res.status_code == 400 and "This field is required." in page_text(res)
    partner.post(f"/referrals/{ref.pk}/", {"action": "accept", "reason": "place available"})
    partner.post(f"/referrals/{ref.pk}/", {"action": "complete", "reason": "course done"})
    ref.refresh_from_db()
    assert ref.status == "completed" and ref.completion_note == "course done"
    assert as_user(world, "outsider").get(f"/referrals/{ref.pk}/").status_code == 404


def test_tracing_shows_the_candidate_side_by_side_and_confirms(world: World) -> None:
    case = new_case(world)
    consent.record(world.users["cw"], case, item="family_tracing", value=True, given_by="child")
    c = as_user(world, "cw")
    res = c.post(
        "/tracing/",
        {
            "requester_relation": "mother",
            "requester_name": "Sunita Tamang",
            "sought_given_name": "maya",
            "sought_family_name": "TAMANG",
            "sought_birth_year": "2011",
        },
    )
    req = TracingRequest.objects.get()
    assert res.status_code == 302 and res["Location"] == f"/tracing/{req.pk}/"
    html = page_text(c.get(f"/tracing/{req.pk}/"))
    assert f'id="candidate-{case.pk}"' in html
    assert re.search(r'<tr class="agree"><th>Family name</th><td>TAMANG</td><td>Tamang</td>', html)
    res = c.post(f"/tracing/{req.pk}/", {"case_id": case.pk, "action": "confirm", "reason": ""})
    assert res.status_code == 400 and "This field is required." in page_text(res)
    c.post(f"/tracing/{req.pk}/", {"case_id": case.pk, "action": "confirm", "reason": "photo"})
    req.refresh_from_db()
    assert req.status == "matched" and req.matched_case == case
    assert f"/tracing/{req.pk}/" in page_text(c.get(f"/cases/{case.pk}/protection/"))


def test_a_child_who_refused_tracing_is_never_a_candidate(world: World) -> None:
    case = new_case(world)
    consent.record(world.users["cw"], case, item="family_tracing", value=False, given_by="child")
    c = as_user(world, "cw")
    c.post(
        "/tracing/",
        {"requester_relation": "father", "requester_name": "X", "sought_family_name": "Tamang"},
    )
    req = TracingRequest.objects.get()
    assert f'id="candidate-{case.pk}"' not in page_text(c.get(f"/tracing/{req.pk}/"))


def test_an_unsafe_family_cannot_be_chosen_for_reunification(world: World) -> None:
    case = new_case(world)
    res = post(
        as_user(world, "cw"),
        case,
        "family",
        **{
            "family-safe": "yes",
            "family-family_rejects_child": "no",
            "family-family_involved": "yes",
            "family-retrafficking_risk": "medium",
            "family-decision": "reunify",
            "family-findings": "uncle arranged the job",
        },
    )
    assert res.status_code == 409
    html = page_text(res)
    assert "reunification refused: the family took part in the trafficking" in html
    assert "uncle arranged the job" in html  # kept


def test_visits_fill_the_before_and_after_table(world: World) -> None:
    case = new_case(world)
    c = as_user(world, "cw")
    res = post(c, case, "baseline", **{f"baseline-wb_{k}": str(v) for k, v in WB.items()})
    assert res.status_code == 400  # one item left blank: the service names what is missing
    assert "missing emotional_wellbeing" in page_text(res)
    before = {**WB, "emotional_wellbeing": 1}
    after = {k: v + 2 for k, v in before.items()}
    res = baseline_then_visit(c, case, before, after)
    assert res.status_code == 302
    html = page_text(c.get(f"/cases/{case.pk}/protection/"))
    table = html[
        html.index('id="wellbeing"') : html.index("</table>", html.index('id="wellbeing"'))
    ]
    assert re.search(
        r"<th>Schooling or work</th><td>0</td><td>2</td><td class=\"change\">\+2</td>", table
    )
    assert re.search(r'id="total-change">\+10<', table)
    assert "latest visit minus the baseline" in html


def test_a_visit_in_the_past_is_refused(world: World) -> None:
    case = new_case(world)
    res = post(
        as_user(world, "cw"),
        case,
        "schedule",
        **{"schedule-scheduled_for": (TODAY - dt.timedelta(days=1)).isoformat()},
    )
    assert res.status_code == 400 and "cannot be in the past" in page_text(res)


def test_the_case_page_sends_closing_to_the_closure_page(world: World) -> None:
    case = new_case(world)
    c = as_user(world, "cw")
    res = post(c, case, "close", **{"close-outcome": "ran_away", "close-reason": "left"})
    assert res.status_code == 404  # no form closes a case any more
    html = page_text(c.get(f"/cases/{case.pk}/protection/"))
    assert 'id="close-form"' not in html
    assert f'href="/cases/{case.pk}/closure/"' in html
    assert Case.objects.get(pk=case.pk).state == "identified"


def test_legal_track_records_measures_and_escalates_a_detained_child(world: World) -> None:
    case = new_case(world)
    c = as_user(world, "cw")
    post(
        c,
        case,
        "legal",
        **{
            "legal-kind": "prosecution",
            "legal-lawyer_name": "Adv. Rana",
            "legal-testimony_measures": ["video_recorded", "single_interview"],
            "legal-non_punishment_invoked": "on",
        },
    )
    lp = case.legal_proceedings.get()
    post(
        c,
        case,
        "legal_update",
        row=str(lp.pk),
        **{f"legal_update{lp.pk}-child_detained_or_charged": "yes"},
    )
    html = page_text(c.get(f"/cases/{case.pk}/protection/"))
    assert "Video-recorded testimony, Single interview" in html and "Adv. Rana" in html
    assert "child detained or charged" in html
    sup_work = page_text(as_user(world, "sup").get("/work/"))
    assert "Child detained or charged" in sup_work and case.reference in sup_work


# --- work lists and navigation -------------------------------------------------------------------


def test_my_work_lists_tasks_from_the_cases(world: World) -> None:
    case = new_case(world)
    html = page_text(as_user(world, "cw").get("/work/"))
    assert "Risk assessment missing" in html and case.reference in html
    assert "Nothing waiting" in page_text(as_user(world, "cw_b").get("/work/"))


def test_the_team_caseload_is_for_supervisors(world: World) -> None:
    case = new_case(world)
    safety.assess_risk(
        world.users["cw"],
        case,
        immediate_needs=[],
        risk_to_child="low",
        risk_to_family="low",
        risk_to_helpers="low",
        family_involved=False,
    )
    followup.schedule(world.users["cw"], case, on=TODAY)
    FollowUpVisit.objects.update(scheduled_for=TODAY - dt.timedelta(days=3))
    html = page_text(as_user(world, "sup").get("/caseload/"))
    row = re.search(r"<tr><td data-label=\"Caseworker\">cw</td>.*?</tr>", html, re.S)
    assert row and 'data-label="Open">1<' in row.group(0)
    assert 'class="alert">1<' in row.group(0)  # the overdue visit
    assert as_user(world, "cw").get("/caseload/").status_code == 404


def test_navigation_offers_the_new_pages_by_role(world: World) -> None:
    labels = {n: [i["label"] for i in navigation(u)] for n, u in world.users.items()}
    assert {"New case", "My work", "Family tracing"} <= set(labels["cw"])
    assert "Team caseload" not in labels["cw"] and "Team caseload" in labels["sup"]
    assert labels["reporter"] == ["New case"]
    assert "My work" not in labels["liaison"] and "New case" not in labels["admin"]


def test_demo_histories_show_on_the_case_page(world: World, tmp_path: Any) -> None:
    from lantern.demo.histories import seed_workflows

    rows = [factories.record(i) for i in range(6)]
    for r in rows:
        r["cas_Status"], r["cas_Outcome"] = "Closed", "reunited_with_family"
    factories.import_records(rows, tmp_path)
    seed_workflows(fraction=1.0)
    case = Case.objects.filter(state="closed").first()
    assert case is not None
    html = page_text(as_user(world, "sup").get(f"/cases/{case.pk}/protection/"))
    assert "Reunited with family" in html and "Follow-up" in html
    assert re.search(r'<table class="wellbeing"', html)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", ["Cycle de vie", "adresse protégée"]),
        ("es", ["Ciclo de vida", "ubicación restringida"]),
    ],
)
def test_the_protection_sections_are_translated(world: World, lang: str, words: list[str]) -> None:
    case = new_case(world)
    assess_risk(as_user(world, "cw"), case)
    safety.place(world.users["cw"], case, world.shelter.pk)
    html = page_text(
        as_user(world, "liaison").get(f"/cases/{case.pk}/protection/", HTTP_ACCEPT_LANGUAGE=lang)
    )
    assert f'<html lang="{lang}">' in html
    for word in words:
        assert word in html
    assert "Lifecycle" not in html and "location restricted" not in html
