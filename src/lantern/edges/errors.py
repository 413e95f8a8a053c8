"""The page side of the error contract (``lantern.errors``); the API side is in ``lantern.api``.

Views call a service and let ``NotFound`` pass: :class:`NotFoundMiddleware` answers Django's 404
page, as for a record outside the caller's scope. The other domain errors belong beside the
form that caused them: ``status = show_error(form, exc)`` puts the reason on the field it names
(else above the form) and gives the page's status — 400 for ``Invalid``/``Unreadable`` (the
form is shown again), 403 for ``NotAllowed``, 409 for ``Refused``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext

from lantern.errors import NotAllowed, NotFound, ProtectionError, Refused


def page_status(exc: ProtectionError) -> int:
    """The status of a page that shows ``exc``'s reason beside its form."""
    return 403 if isinstance(exc, NotAllowed) else 409 if isinstance(exc, Refused) else 400


def show_error(form: forms.Form, exc: ProtectionError) -> int:
    """Attach the service's reason to the field it names (``child.age`` -> ``age``), else to
    the form, in the reader's words; return the page's status."""
    name = exc.field.removeprefix("child.").split(".")[0]
    field = name if name in form.fields else None
    form.add_error(field, in_words(form, exc, field))
    return page_status(exc)


def submit(form: forms.Form, call: Callable[[dict[str, Any]], Any]) -> tuple[Any, int]:
    """Run ``call`` with a bound form's data: (its result, 200), or (None, the page's status)
    with the reason beside the field it names; the form keeps what was typed."""
    if not form.is_valid():
        return None, 400
    try:
        return call(form.cleaned_data), 200
    except ProtectionError as exc:
        return None, show_error(form, exc)


def in_words(form: forms.Form, exc: ProtectionError, field: str | None) -> str:
    """The service's reason as the page shows it: the API's ``name: reason`` names a field
    for a program; beside that field, under its label, the page drops the internal name
    (``return_passage_offered: required`` -> "This field is required.")."""
    reason = str(exc.reason)
    if field is None:
        return reason
    for name in dict.fromkeys((exc.field, field)):
        if reason == gettext("%(field)s: required") % {"field": name}:
            return str(form.fields[field].error_messages["required"])
        named = re.match(rf"\s*{re.escape(name)}\s*:\s*", reason)
        if named and reason[named.end() :]:
            return reason[named.end() :]
    return reason


class NotFoundMiddleware:
    """A ``NotFound`` from any service, in any view, answers Django's 404 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, NotFound):
            return response_for_exception(request, Http404(exc.reason))
        return None
