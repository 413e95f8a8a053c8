"""Case endpoints: a filtered, paginated list and a case's detail."""

from __future__ import annotations

from typing import Any

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.cases import queries
from lantern.web.bounds import Code, Id, Page, PageSize
from lantern.web.typing import AuthedRequest

router = Router(tags=["cases"])


class CaseListParams(Schema):
    status: Code | None = None
    agency: Code | None = None
    registered_from: Code | None = None
    registered_to: Code | None = None
    form: Code | None = None
    citizenship: Code | None = None
    gender: Code | None = None
    age_group: Code | None = None
    page: Page = 1
    page_size: PageSize = 50


class CaseSummary(Schema):
    id: int
    reference: str
    agency: str
    registration_date: str
    status: str
    state: str
    trafficking_status: str
    gender: str
    age_at_identification: int | None
    age_group: str
    age_evidence: str
    citizenship: str
    primary_form: str


class CasePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[CaseSummary]


@router.get("/", response=CasePage, summary="List cases in your scope")
def list_cases(request: AuthedRequest, params: Query[CaseListParams]) -> dict[str, Any]:
    if not policy.allows(request.user, "case", "list"):
        raise HttpError(403, "your role may not list cases")
    if not 1 <= params.page_size <= 500:
        raise HttpError(400, "page_size must be between 1 and 500")
    if params.page < 1:
        raise HttpError(400, "page must be 1 or more")
    try:
        filters = queries.CaseFilters.from_mapping(params.dict())
    except ValueError as exc:
        raise HttpError(400, str(exc)) from exc
    qs = queries.case_list(request.user, filters)
    start = (params.page - 1) * params.page_size
    rows = [queries.case_summary(c) for c in qs[start : start + params.page_size]]
    return {
        "count": qs.count(),
        "page": params.page,
        "page_size": params.page_size,
        "results": rows,
    }


@router.get("/{case_id}", summary="A case's detail (fields by your access tier)")
def case_detail(request: AuthedRequest, case_id: Id) -> dict[str, Any]:
    case = queries.get_case(request.user, case_id)
    return queries.case_detail(request.user, case, source=request_source(request))
