"""Notes endpoints: the narrative and its versions, case notes, and attachments (uploaded as
multipart form data, downloaded as a file with no caching)."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from lantern.audit.services import request_source
from lantern.edges.bounds import Id
from lantern.edges.schemas import ERRORS
from lantern.protection.api_common import case_of, user_of
from lantern.protection.notes import attachments, service
from lantern.protection.notes.download import file_response
from lantern.protection.notes.schemas import (
    AttachmentOut,
    DeletionIn,
    NarrativeIn,
    NoteIn,
    NoteOut,
    VersionOut,
)

router = Router(tags=["notes"])
# The upload's parts: the file is optional here so that the service, after the policy, says
# "choose a file" (a caller without the right learns nothing from the form's shape).
FILE = File(None)
DESCRIPTION = Form("", max_length=attachments.DESCRIPTION_MAX)


@router.get(
    "/cases/{case_id}/notes",
    response={200: list[NoteOut], **ERRORS},  # type: ignore[valid-type]
    summary="The case's notes, newest first (highly sensitive: audited)",
)
def list_notes(request: HttpRequest, case_id: Id) -> list[dict[str, Any]]:
    case = case_of(request, case_id)
    rows = service.notes(user_of(request), case, request_source(request))
    return [asdict(n) for n in rows]


@router.post("/cases/{case_id}/notes", response={201: NoteOut, **ERRORS})
def add_note(request: HttpRequest, case_id: Id, body: NoteIn) -> Status[Any]:
    """A note of a visit, call, meeting or observation; 422 naming the field to fix."""
    case = case_of(request, case_id)
    row = service.add_note(
        user_of(request), case, source=request_source(request), **body.model_dump()
    )
    return Status(201, asdict(service.note_view(row)))


@router.get(
    "/cases/{case_id}/narrative",
    response={200: list[VersionOut], **ERRORS},  # type: ignore[valid-type]
    summary="Every version of the narrative, the current one first (audited)",
)
def narrative(request: HttpRequest, case_id: Id) -> list[dict[str, Any]]:
    case = case_of(request, case_id)
    return [asdict(v) for v in service.narrative(user_of(request), case, request_source(request))]


@router.post("/cases/{case_id}/narrative", response={201: VersionOut, **ERRORS})
def write_narrative(request: HttpRequest, case_id: Id, body: NarrativeIn) -> Status[Any]:
    """A new version; 409 when someone saved one since ``base_version``."""
    case = case_of(request, case_id)
    row = service.write_narrative(
        user_of(request), case, body.text, body.base_version, request_source(request)
    )
    return Status(201, asdict(service.version_view(row)))


@router.get(
    "/cases/{case_id}/attachments",
    response={200: list[AttachmentOut], **ERRORS},  # type: ignore[valid-type]
    summary="The case's attachments, deleted ones with who, when and why (audited)",
)
def list_attachments(request: HttpRequest, case_id: Id) -> list[dict[str, Any]]:
    case = case_of(request, case_id)
    rows = attachments.listed(user_of(request), case, request_source(request))
    return [asdict(a) for a in rows]


@router.post("/cases/{case_id}/attachments", response={201: AttachmentOut, **ERRORS})
def upload(
    request: HttpRequest,
    case_id: Id,
    file: UploadedFile | None = FILE,  # type: ignore[assignment]
    description: str = DESCRIPTION,
) -> Status[Any]:
    """Multipart form data: ``file`` (a PDF, JPEG, PNG or plain text, checked by its content,
    at most ``LANTERN_UPLOAD_MAX_BYTES``) and an optional ``description``; 422 with the reason
    otherwise."""
    case = case_of(request, case_id)
    row = attachments.attach(
        user_of(request), case, file, description=description, source=request_source(request)
    )
    return Status(201, asdict(attachments.attachment_view(row)))


@router.get(
    "/cases/{case_id}/attachments/{attachment_id}",
    response=ERRORS,
    summary="Download an attachment (audited; never cached)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file, as an attachment",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def download(request: HttpRequest, case_id: Id, attachment_id: uuid.UUID) -> HttpResponse:
    case = case_of(request, case_id)
    return file_response(
        attachments.download(user_of(request), case, attachment_id, request_source(request))
    )


@router.post(
    "/cases/{case_id}/attachments/{attachment_id}/delete",
    response={200: AttachmentOut, **ERRORS},
    summary="Delete an attachment, saying why (its row stays, its file goes)",
)
def delete(
    request: HttpRequest, case_id: Id, attachment_id: uuid.UUID, body: DeletionIn
) -> dict[str, Any]:
    case = case_of(request, case_id)
    row = attachments.delete(
        user_of(request), case, attachment_id, reason=body.reason, source=request_source(request)
    )
    return asdict(attachments.attachment_view(row))
