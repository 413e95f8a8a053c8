"""Attachments: checked (type by content, size), sealed at rest, served through the policy.

Uploading and deleting ask for ``("case", "update")``; listing and downloading for the case's
view and the highly sensitive tier, like the notes (``service.check_read``). A download is
found by the case *and* the attachment's random key through the policy's scoped records, so
another case's key answers "no such attachment". Every download is audited; a deletion keeps
the row with who, when and why, and removes the file and its key.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.cases.models import Case
from lantern.cases.services.common import guard, now
from lantern.edges.uploads import max_upload_bytes, too_large
from lantern.errors import Invalid, NotFound, Refused
from lantern.protection.notes import files, filetypes
from lantern.protection.notes.models import Attachment, FileType
from lantern.protection.notes.service import changed, check_read, recorded, written
from lantern.vault.keys import UnreadableValue

log = logging.getLogger("lantern.notes")

NAME_MAX = 200
DESCRIPTION_MAX = 500


@dataclass(frozen=True)
class AttachmentView:
    """An attachment as the page and the API list it (its bytes only through a download)."""

    id: str  # the random key: the one way to name it
    filename: str
    description: str
    media_type: str
    size: int
    uploaded_by: str
    uploaded_at: dt.datetime
    deleted_at: dt.datetime | None = None
    deleted_by: str = ""
    deletion_reason: str = ""


def attachment_view(a: Attachment) -> AttachmentView:
    return AttachmentView(
        id=str(a.key),
        filename=str(a.filename),
        description=str(a.description),
        media_type=a.media_type,
        size=a.size,
        uploaded_by=a.uploaded_by.username if a.uploaded_by else "",
        uploaded_at=a.uploaded_at,
        deleted_at=a.deleted_at,
        deleted_by=a.deleted_by.username if a.deleted_by else "",
        deletion_reason=str(a.deletion_reason),
    )


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}"


def listed(user: Any, case: Case, source: str = "") -> list[AttachmentView]:
    """The case's attachments, newest first, deleted ones with who deleted them and why."""
    check_read(user, case)
    rows = [
        attachment_view(a) for a in case.attachments.select_related("uploaded_by", "deleted_by")
    ]
    recorded(user, case, "read", ["attachment.filename"], f"{len(rows)} attachments", source)
    return rows


def _content(upload: Any) -> tuple[bytes, FileType]:
    """The upload's bytes and what they are; Invalid in the user's words otherwise."""
    if upload is None:
        raise Invalid(_("Choose a file to attach."), "file")
    limit = max_upload_bytes()
    if too_large(upload):
        raise Invalid(
            _("The file is %(size)s MB; files of at most %(limit)s MB are accepted.")
            % {"size": megabytes(int(upload.size)), "limit": megabytes(limit)},
            "file",
        )
    data = upload.read()
    if not data:
        raise Invalid(_("The file is empty."), "file")
    kind = filetypes.detect(data)
    if kind is None:
        raise Invalid(
            _(
                "This file is not a PDF, a JPEG or PNG image, or plain text: only these can be "
                "attached (the content is checked, not the name)."
            ),
            "file",
        )
    return data, kind


def _name(upload: Any) -> str:
    name = str(getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:NAME_MAX]
    return name or "attachment"


@transaction.atomic
def attach(
    user: Any, case: Case, upload: Any, *, description: str = "", source: str = ""
) -> Attachment:
    """Check ``upload`` (an uploaded file), seal it under var/ and record it on the case."""
    guard(user, case, "update")
    data, kind = _content(upload)
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise Invalid(
            _("The description is too long: at most %(n)s characters.") % {"n": DESCRIPTION_MAX},
            "description",
        )
    key = uuid.uuid4()
    # The file is written first; if its row is not saved it is removed here. (A rollback
    # after this returns leaves a file whose key went with the row: unreadable, inert.)
    data_key = files.store(key, data)
    try:
        row = Attachment.objects.create(
            key=key,
            case=case,
            filename=_name(upload),
            description=description,
            media_type=kind.value,
            size=len(data),
            data_key=data_key,
            uploaded_by=user,
            uploaded_at=now(),
        )
        changed(user, case, "attachment.add", key, ["filename", "media_type"], "", source)
    except Exception:
        files.remove(key)
        raise
    return row


def find(user: Any, case: Case, key: Any, action: str = "view") -> Attachment:
    """The case's attachment ``key`` through the policy's scoped records; NotFound when the
    key is malformed, another case's, or deleted."""
    try:
        parsed = key if isinstance(key, uuid.UUID) else uuid.UUID(str(key))
    except ValueError:
        raise NotFound(_("No such attachment")) from None
    row: Attachment | None = (
        policy.scoped(user, "attachment", action)
        .filter(case=case, key=parsed, deleted_at__isnull=True)
        .first()
    )
    if row is None:
        raise NotFound(_("No such attachment"))
    return row


@dataclass(frozen=True)
class Download:
    """What a download answers: the bytes, their type, the name to save them under."""

    data: bytes
    media_type: str
    filename: str


def download(user: Any, case: Case, key: Any, source: str = "") -> Download:
    """The attachment's clear bytes, for a reader of the case's notes; audited."""
    check_read(user, case)
    row = find(user, case, key)
    try:
        data = files.load(row.key, str(row.data_key))
    except (FileNotFoundError, UnreadableValue) as exc:
        log.error("attachment %s: its stored file is missing or fails its check", row.key)
        raise Refused(
            _(
                "This attachment's file is missing from the store or fails its integrity "
                "check; ask the system administrator to restore it."
            )
        ) from exc
    recorded(user, case, "download", ["attachment.content"], f"attachment {row.key}", source)
    kind = FileType(row.media_type)
    return Download(data, kind.value, filetypes.download_name(str(row.filename), kind))


@transaction.atomic
def delete(user: Any, case: Case, key: Any, *, reason: str, source: str = "") -> Attachment:
    """Delete an attachment: its file and key go, its row keeps who, when and why."""
    guard(user, case, "update")
    row = find(user, case, key, "update")
    reason = written(reason, "reason", _("Say why the attachment is deleted."))
    row.deleted_at, row.deleted_by, row.deletion_reason = now(), user, reason
    row.data_key = ""
    row.save(update_fields=["deleted_at", "deleted_by", "deletion_reason", "data_key"])
    changed(user, case, "attachment.remove", row.key, ["content"], reason, source)
    stored = row.key
    transaction.on_commit(lambda: files.remove(stored))
    return row
