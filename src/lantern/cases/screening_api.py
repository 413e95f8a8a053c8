"""Screening endpoints: a case's screenings, a new screening, and the caseworker's checklist.

POST takes the same JSON as ``lantern screen`` (the age is pre-filled from the case when left
out). Bad input answers 422 naming the field; a case outside the caller's scope answers 404.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from lantern.audit.services import request_source
from lantern.cases import queries, screening_i18n, screening_services
from lantern.cases.models import ScreeningResult
from lantern.screening import ScreeningInputError
from lantern.screening.vocabulary import PROFILES, Profile
from lantern.web.bounds import Code, Id

router = Router(tags=["screening"])


class ErrorOut(Schema):
    detail: str
    field: str


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


@router.get("/cases/{case_id}/screenings", summary="A case's screenings, oldest first")
def list_screenings(
    request: HttpRequest, case_id: Id, params: Query[LangParams]
) -> list[dict[str, Any]]:
    case = queries.get_case(request.user, case_id, "view")
    rows = screening_services.screenings(request.user, case)
    return [screening_out(r, params.lang) for r in rows]


@router.post(
    "/cases/{case_id}/screenings",
    response={201: dict[str, Any], 400: ErrorOut, 422: ErrorOut},
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
        return Status(400, {"detail": f"(body): not valid JSON: {exc}", "field": "(body)"})
    except RecursionError:  # the decoder's own limit: nested thousands deep
        return Status(400, {"detail": "(body): nested too deeply", "field": "(body)"})
    try:
        row = screening_services.screen_case(
            request.user, case, answers, source=request_source(request)
        )
    except ScreeningInputError as exc:
        return Status(422, {"detail": str(exc), "field": exc.field})
    return Status(201, screening_out(row, params.lang))


@router.get(
    "/screening/checklist",
    response={200: list[dict[str, Any]], 422: ErrorOut},
    summary="The indicator checklist of one ILO/EC list, with plain-language help",
)
def get_checklist(request: HttpRequest, params: Query[ChecklistParams]) -> Status[Any]:
    if params.profile not in PROFILES:
        detail = f"profile: must be one of {', '.join(PROFILES)}"
        return Status(422, {"detail": detail, "field": "profile"})
    items = screening_i18n.local_checklist(cast(Profile, params.profile), params.lang)
    return Status(200, [i.to_dict() for i in items])
