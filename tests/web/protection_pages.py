"""What the protection page tests share: the protection tests' world, a signed-in client per
user, a transit-reception case made through the page, and posting a case-page form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from lantern.cases.models import Case
from tests import factories
from tests.protection.conftest import World

TODAY = dt.date.today()
WB = {"safety": 1, "health": 2, "schooling_or_work": 0, "family_relations": 1}


def as_user(world: World, name: str) -> Client:
    return factories.verified_login(Client(), world.users[name])


def page_text(res: Any) -> str:
    return str(res.content.decode()).replace("&#x27;", "'").replace("&quot;", '"')


def transit(**extra: Any) -> dict[str, Any]:
    data = {
        "channel": "transit_reception",
        "given_name": "Maya",
        "family_name": "Tamang",
        "birthdate": "2011-03-04",
        "gender": "Feminine",
        "citizenship": "NPL",
        "place": "Birgunj bus terminal",
        "expected_contact": "uncle",
        "met_by_expected_contact": "no",
        "return_passage_offered": "yes",
        "return_passage_provider": "partner bus line",
        "rights_information_given": "yes",
    }
    return {**data, **extra}


def new_case(world: World, **extra: Any) -> Case:
    res = as_user(world, "cw").post("/cases/new/", transit(**extra))
    assert res.status_code == 302, page_text(res)[:2000]
    return Case.objects.get(pk=int(res["Location"].strip("/").split("/")[-1]))


def post(c: Client, case: Case, form: str, **data: Any) -> Any:
    return c.post(f"/cases/{case.pk}/protection/", {"form": form, **data})


def assess_risk(c: Client, case: Case) -> None:
    res = post(
        c,
        case,
        "risk",
        **{
            "risk-immediate_needs": ["accommodation", "medical"],
            "risk-risk_to_child": "high",
            "risk-risk_to_family": "medium",
            "risk-risk_to_helpers": "low",
            "risk-family_involved": "no",
        },
    )
    assert res.status_code == 302, page_text(res)[:2000]


def baseline_then_visit(
    c: Client, case: Case, before: dict[str, int], after: dict[str, int]
) -> Any:
    """Record the wellbeing baseline, schedule a visit for today and record it (low risk)."""
    from lantern.protection.followup.models import FollowUpVisit

    post(c, case, "baseline", **{f"baseline-wb_{k}": str(v) for k, v in before.items()})
    post(c, case, "schedule", **{"schedule-scheduled_for": TODAY.isoformat()})
    visit = FollowUpVisit.objects.get(case=case, kind="visit")
    return post(
        c,
        case,
        "visit",
        row=str(visit.pk),
        **{f"visit{visit.pk}-wb_{k}": str(v) for k, v in after.items()},
        **{f"visit{visit.pk}-retrafficking_risk": "low"},
    )
