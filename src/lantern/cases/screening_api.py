"""Screening endpoints: a case's screenings, a new screening, and the caseworker's checklist.

POST takes the same JSON as ``lantern screen`` (the age is pre-filled from the case when left
out). Errors follow the one contract (``lantern.api``): a body that is not JSON answers 400,
bad input 422 naming the field, a case outside the caller's scope 404.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, cast

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from lantern.audit.services import request_source
from lantern.cases import queries, screening_i18n, screening_services
from lantern.cases.models import ScreeningResult
from lantern.edges.bounds import Code, Id
from lantern.edges.schemas import ERRORS, Out, out_of
from lantern.errors import Invalid, Unreadable
from lantern.screening.vocabulary import PROFILES, Profile

router = Router(tags=["screening"])


class ScreeningOut(Out):
    id: int
    case: int
    screened_at: str
    screened_by: str
    previous: int | None
    #: the screening this one corrects (an edited field form), if any
    corrects: int | None
    ruleset_version: str
    provisional: bool
    trafficking: str
    status: str
    status_change: str
    trafficking_status: str
    decided_by: str
    input: dict[str, Any]
    result: dict[str, Any]


ChecklistItemOut = out_of(screening_i18n.LocalChecklistItem, "ChecklistItemOut")


class LangParams(Schema):
    lang: Code = "en"


class ChecklistParams(Schema):
    profile: Code = "child_labour"
    lang: Code = "en"


def screening_out(row: ScreeningResult, lang: str = "en") -> dict[str, Any]:
    """One stored screening as the API (and the page's history) shows it."""
    return {
        "id": row.pk,
        "case": row.case_id,
        "screened_at": row.screened_at.isoformat(),
        "screened_by": row.screened_by.username,
        "previous": row.previous_id,
        "corrects": row.corrects_id,
        "ruleset_version": row.ruleset_version,
        "provisional": row.provisional,
        "trafficking": row.trafficking,
        "status": row.status,
        "status_change": row.status_change,
        "trafficking_status": row.trafficking_status,
        "decided_by": row.decided_by_org,
        "input": row.input,
        "result": screening_i18n.localise(row.result, lang),
    }


_INPUT_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "The `lantern screen` input: age, acts, means, purposes, "
                    "profile, indicators {id: yes|no|unknown}, knowingly_bought_entry. A key "
                    "left out is unknown; an empty list means none.",
                    "example": {
                        "age": {"years": 14, "basis": "stated"},
                        "acts": ["transfer"],
                        "indicators": {"D4.excessive_hours": "yes", "D4.no_education": "yes"},
                    },
                }
            }
        },
    }
}


@router.get(
    "/cases/{case_id}/screenings",
    response={200: list[ScreeningOut], **ERRORS},
    summary="A case's screenings, oldest first",
)
def list_screenings(
    request: HttpRequest, case_id: Id, params: Query[LangParams]
) -> list[dict[str, Any]]:
    case = queries.get_case(request.user, case_id, "view")
    rows = screening_services.screenings(request.user, case)
    return [screening_out(r, params.lang) for r in rows]


@router.post(
    "/cases/{case_id}/screenings",
    response={201: ScreeningOut, **ERRORS},
    summary="Screen the case (adds a screening; earlier ones are kept)",
    openapi_extra=_INPUT_DOC,
)
def create_screening(
    request: HttpRequest, case_id: Id, params: Query[LangParams]
) -> Status[dict[str, Any]]:
    case = queries.get_case(request.user, case_id, "screen")
    try:
        answers = json.loads(request.body or b"")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise Unreadable(f"(body): not valid JSON: {exc}", "(body)") from None
    except RecursionError:  # the decoder's own limit: nested thousands deep
        raise Unreadable("(body): nested too deeply", "(body)") from None
    row = screening_services.screen_case(
        request.user, case, answers, source=request_source(request)
    )
    return Status(201, screening_out(row, params.lang))


@router.get(
    "/screening/checklist",
    response={200: list[ChecklistItemOut], **ERRORS},  # type: ignore[valid-type]
    summary="The indicator checklist of one ILO/EC list, with plain-language help",
)
def get_checklist(request: HttpRequest, params: Query[ChecklistParams]) -> list[dict[str, Any]]:
    if params.profile not in PROFILES:
        raise Invalid(f"profile: must be one of {', '.join(PROFILES)}", "profile")
    items = screening_i18n.local_checklist(cast(Profile, params.profile), params.lang)
    return [dataclasses.asdict(i) for i in items]
