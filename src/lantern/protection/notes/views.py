"""The case's Notes page (narrative, case notes, attachments) and the attachment download.

One page, three sections; each form posts here naming itself, calls one service, and comes
back to its section with a confirmation -- or the page again with what was typed (a file has
to be chosen again: browsers never refill a file input) and the service's reason beside it.
A role that may not read the notes gets 404 on both pages, as if they did not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.cases import queries
from lantern.cases.models import Case
from lantern.edges.decorators import allowed
from lantern.edges.errors import show_error
from lantern.edges.fields import label_of
from lantern.edges.typing import AuthedRequest
from lantern.errors import NotAllowed, ProtectionError, Refused
from lantern.protection.notes import attachments, service
from lantern.protection.notes.download import file_response
from lantern.protection.notes.forms import DeletionForm, NarrativeForm, NoteForm, UploadForm
from lantern.protection.notes.models import FileType, NoteKind


@dataclass(frozen=True)
class PageForm:
    """One form of the page: its section, and the one service call it stands for, which
    answers the confirmation to show."""

    form: type[forms.Form]
    section: str
    act: Callable[[AuthedRequest, Case, dict[str, Any]], str]


def _note(request: AuthedRequest, case: Case, d: dict[str, Any]) -> str:
    service.add_note(
        request.user,
        case,
        kind=d["kind"],
        body=d["body"],
        follow_up_on=d["follow_up_on"],
        source=request_source(request),
    )
    return _("Note saved.")


def _narrative(request: AuthedRequest, case: Case, d: dict[str, Any]) -> str:
    row = service.write_narrative(
        request.user, case, d["text"], d["base_version"], request_source(request)
    )
    return _("Narrative saved as version %(n)s.") % {"n": row.version}


def _upload(request: AuthedRequest, case: Case, d: dict[str, Any]) -> str:
    attachments.attach(
        request.user, case, d["file"], description=d["description"], source=request_source(request)
    )
    return _("File attached.")


def _delete(request: AuthedRequest, case: Case, d: dict[str, Any]) -> str:
    attachments.delete(
        request.user, case, d["attachment"], reason=d["reason"], source=request_source(request)
    )
    return _("Attachment deleted.")


FORMS: dict[str, PageForm] = {
    "note": PageForm(NoteForm, "notes", _note),
    "narrative": PageForm(NarrativeForm, "narrative", _narrative),
    "upload": PageForm(UploadForm, "attachments", _upload),
    "delete": PageForm(DeletionForm, "attachments", _delete),
}


def _readable_case(request: AuthedRequest, case_id: int) -> Case:
    case = queries.get_case(request.user, case_id)
    if not service.may_read(request.user, case):
        raise Http404
    return case


def _context(
    request: AuthedRequest, case: Case, bound: tuple[str, forms.Form] | None
) -> dict[str, Any]:
    user, source = request.user, request_source(request)
    versions = service.narrative(user, case, source)
    current = versions[0] if versions else None
    shown: dict[str, forms.Form] = {
        "note": NoteForm(),
        "narrative": NarrativeForm(
            initial={
                "text": current.text if current else "",
                "base_version": current.version if current else 0,
            }
        ),
        "upload": UploadForm(),
    }
    if bound is not None and bound[0] in shown:
        shown[bound[0]] = bound[1]
    rows = attachments.listed(user, case, source)
    deletion = bound[1] if bound is not None and bound[0] == "delete" else None
    return {
        "case": case,
        "notes": [
            {"n": n, "kind": label_of(NoteKind, n.kind)} for n in service.notes(user, case, source)
        ],
        "current": current,
        "earlier": versions[1:],
        "attachments": [
            {
                "a": a,
                "type": label_of(FileType, a.media_type),
                "form": deletion
                if deletion is not None and deletion.data.get("attachment") == a.id
                else DeletionForm(initial={"attachment": a.id}),
            }
            for a in rows
        ],
        "f": shown,
        "can_write": policy.case_allows(user, "update", case),
        "error_section": FORMS[bound[0]].section if bound is not None else "",
    }


def _refused_narrative(form: forms.Form, case: Case) -> forms.Form:
    """The narrative form again after someone else saved a version: the text as typed, now
    over the current version, so that saving it again (after comparing) goes through."""
    data = QueryDict(mutable=True)
    data.update(form.data)
    data["base_version"] = str(service.current_version(case))
    again = NarrativeForm(data)
    again.is_valid()
    return again


@allowed("case", "view")
@require_http_methods(["GET", "POST"])
def case_notes(request: AuthedRequest, case_id: int) -> HttpResponse:
    """GET: the Notes page. POST: one named form -> one service -> back to its section."""
    case = _readable_case(request, case_id)
    bound, status = None, 200
    if request.method == "POST":
        name = str(request.POST.get("form", ""))
        if name not in FORMS:
            raise Http404
        declared = FORMS[name]
        form = declared.form(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                message = declared.act(request, case, form.cleaned_data)
            except ProtectionError as exc:
                if isinstance(exc, Refused) and name == "narrative":
                    form = _refused_narrative(form, case)
                status = show_error(form, exc)
            else:
                messages.success(request, message)
                url = reverse("web:case_notes", args=[case.pk])
                return redirect(f"{url}#{declared.section}")
        bound = (name, form)
    return render(request, "web/notes/page.html", _context(request, case, bound), status=status)


@allowed("case", "view")
@require_GET
def attachment_download(request: AuthedRequest, case_id: int, attachment_id: Any) -> HttpResponse:
    """The file, for a reader of the case's notes, checked on every request and audited."""
    case = queries.get_case(request.user, case_id)
    try:
        found = attachments.download(request.user, case, attachment_id, request_source(request))
    except NotAllowed as exc:
        raise Http404 from exc
    except ProtectionError as exc:  # the file is missing or altered: say so on the page
        messages.error(request, exc.reason)
        return redirect(reverse("web:case_notes", args=[case.pk]) + "#attachments")
    return file_response(found)
