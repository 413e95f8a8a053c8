"""Directory endpoints: organisations and the services, projects and lessons under them, their
review, the search box, the services that fit a child, and the coverage of areas of origin."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from lantern.audit.services import request_source
from lantern.directory import coverage as coverage_service
from lantern.directory import service
from lantern.directory.present import entry_view
from lantern.directory.schemas import (
    CoverageOut,
    EntryOut,
    LessonIn,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    ProjectIn,
    ReviewIn,
    ServiceIn,
)
from lantern.edges.bounds import Age, Code, Codes, Id, Name
from lantern.edges.schemas import ERRORS
from lantern.errors import Invalid

router = Router(tags=["directory"])
ENTRY = {200: EntryOut, **ERRORS}
CREATED = {201: EntryOut, **ERRORS}


def _organisation(request: HttpRequest, org: Any) -> dict[str, Any]:
    entries = [
        entry_view(kind, row)
        for kind in service.CHILD_KINDS
        for row in service.listed(request.user, kind).filter(organisation=org)
    ]
    return {**entry_view("organisation", org), "entries": entries}


@router.get("/organisations", response={200: list[EntryOut], **ERRORS})
def organisations(
    request: HttpRequest,
    type: Code = "",
    area: Code = "",
    support: Code = "",
    sex: Code = "",
    form: Code = "",
    age: Age | None = None,
) -> list[dict[str, Any]]:
    """Organisations the caller sees (approved ones, the agency's own), filtered by whom they
    serve."""
    rows = service.organisations(
        request.user, kind=type, area=area, support=support, sex=sex, form=form, age=age
    )
    return [entry_view("organisation", o) for o in rows]


@router.post("/organisations", response=CREATED)
def create_organisation(request: HttpRequest, body: OrganisationIn) -> Status[Any]:
    data = body.model_dump()
    agency = data.pop("agency")
    org = service.create_organisation(request.user, data, agency, request_source(request))
    return Status(201, entry_view("organisation", org))


@router.get("/organisations/{organisation_id}", response={200: OrganisationOut, **ERRORS})
def organisation(request: HttpRequest, organisation_id: Id) -> dict[str, Any]:
    return _organisation(request, service.get(request.user, "organisation", organisation_id))


@router.patch("/organisations/{organisation_id}", response=ENTRY)
def update_organisation(
    request: HttpRequest, organisation_id: Id, body: OrganisationPatch
) -> dict[str, Any]:
    data = body.model_dump(exclude_unset=True)
    row = service.update(
        request.user, "organisation", organisation_id, data, request_source(request)
    )
    return entry_view("organisation", row)


def _add(request: HttpRequest, kind: str, organisation_id: int, data: dict[str, Any]) -> Any:
    row = service.add(request.user, kind, organisation_id, data, request_source(request))
    return Status(201, entry_view(kind, row))


@router.post("/organisations/{organisation_id}/services", response=CREATED)
def add_service(request: HttpRequest, organisation_id: Id, body: ServiceIn) -> Status[Any]:
    return _add(request, "service", organisation_id, body.model_dump())  # type: ignore[no-any-return]


@router.post("/organisations/{organisation_id}/projects", response=CREATED)
def add_project(request: HttpRequest, organisation_id: Id, body: ProjectIn) -> Status[Any]:
    return _add(request, "project", organisation_id, body.model_dump())  # type: ignore[no-any-return]


@router.post("/organisations/{organisation_id}/lessons", response=CREATED)
def add_lesson(request: HttpRequest, organisation_id: Id, body: LessonIn) -> Status[Any]:
    return _add(request, "lesson", organisation_id, body.model_dump())  # type: ignore[no-any-return]


def _patch(request: HttpRequest, kind: str, pk: int, body: Any) -> dict[str, Any]:
    data = body.model_dump(exclude_unset=True)
    return entry_view(kind, service.update(request.user, kind, pk, data, request_source(request)))


@router.patch("/services/{service_id}", response=ENTRY)
def update_service(request: HttpRequest, service_id: Id, body: ServiceIn) -> dict[str, Any]:
    return _patch(request, "service", service_id, body)


@router.patch("/projects/{project_id}", response=ENTRY)
def update_project(request: HttpRequest, project_id: Id, body: ProjectIn) -> dict[str, Any]:
    return _patch(request, "project", project_id, body)


@router.patch("/lessons/{lesson_id}", response=ENTRY)
def update_lesson(request: HttpRequest, lesson_id: Id, body: LessonIn) -> dict[str, Any]:
    return _patch(request, "lesson", lesson_id, body)


def _review(request: HttpRequest, organisation_id: int, body: ReviewIn, step: Any) -> Any:
    """One review step on the organisation, or on one of its entries named in the body."""
    kind = body.kind
    if kind == "organisation":
        if body.id not in (None, organisation_id):
            raise Invalid(_("id: the organisation is named by the path"), "id")
        pk = organisation_id
    elif body.id is None:
        raise Invalid(_("id: required for a service, project or lesson"), "id")
    else:
        pk = body.id
        row = service.get(request.user, kind, pk)
        if row.organisation_id != organisation_id:
            raise Invalid(_("id: not an entry of this organisation"), "id")
    return entry_view(kind, step(request.user, kind, pk, request_source(request)))


@router.post("/organisations/{organisation_id}/submit", response=ENTRY)
def submit(request: HttpRequest, organisation_id: Id, body: ReviewIn) -> Any:
    """The agency sends a draft for approval."""
    return _review(request, organisation_id, body, service.submit)


@router.post("/organisations/{organisation_id}/approve", response=ENTRY)
def approve(request: HttpRequest, organisation_id: Id, body: ReviewIn) -> Any:
    """A coordinator approves a submitted entry: from then on others list it."""
    return _review(request, organisation_id, body, service.approve)


@router.post("/organisations/{organisation_id}/send-back", response=ENTRY)
def send_back(request: HttpRequest, organisation_id: Id, body: ReviewIn) -> Any:
    """A coordinator returns an entry to its agency's draft."""
    return _review(request, organisation_id, body, service.send_back)


@router.get("/review", response={200: list[EntryOut], **ERRORS})
def review(request: HttpRequest) -> list[dict[str, Any]]:
    """Every entry waiting for approval, oldest first (coordinators)."""
    return [entry_view(kind, row) for kind, row in service.review_queue(request.user)]


@router.get("/search", response={200: list[EntryOut], **ERRORS})
def search(request: HttpRequest, q: Name = "") -> list[dict[str, Any]]:
    """Organisations, services, projects and lessons whose text holds every word of ``q``,
    in any language the entries are written in, accents or not."""
    rows = service.find(request.user, q, request_source(request))
    return [entry_view(kind, row) for kind, row in rows]


class ChildQuery(Schema):
    """What a child needs and is: the services' filter."""

    needs: Codes = []
    sex: Code = ""
    age: Age | None = None
    forms: Codes = []
    area: Code = ""


@router.get("/services", response={200: list[EntryOut], **ERRORS})
def services(request: HttpRequest, child: Query[ChildQuery]) -> list[dict[str, Any]]:
    """Approved services that fit a child: one of its needs, its sex, age, forms and area."""
    rows = service.services_for(request.user, **child.model_dump())
    return [entry_view("service", s) for s in rows]


@router.get("/coverage", response={200: list[CoverageOut], **ERRORS})
def coverage(request: HttpRequest) -> list[dict[str, Any]]:
    """Areas of origin by children identified, with the approved services covering each
    (gaps first)."""
    return [
        {
            **r.__dict__,
            "service_names": list(r.service_names),
            "campaign_names": list(r.campaign_names),
            "committee_names": list(r.committee_names),
        }
        for r in coverage_service.coverage(request.user)
    ]
