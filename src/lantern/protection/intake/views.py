"""New case, per intake channel: choose the channel, fill its form, search before create.

The form is built from the channel's declaration (``declaration.CHANNELS``), the one the API
body and the service's checks come from too. A refused or invalid form is shown again with what
the user typed and the service's own reason.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.edges.decorators import verified_required
from lantern.edges.errors import show_error
from lantern.edges.typing import AuthedRequest
from lantern.errors import ProtectionError
from lantern.protection.intake import compare, duplicates
from lantern.protection.intake import service as intake
from lantern.protection.intake.declaration import CHANNELS
from lantern.protection.intake.forms import form_class

FORMS = {name: form_class(channel) for name, channel in CHANNELS.items()}


def _channels_for(user: Any) -> list[str]:
    """Which intake forms to offer (convenience: the service checks again)."""
    if policy.allows(user, "case", "create"):
        return list(CHANNELS)
    if policy.allows(user, "report", "submit"):
        return ["community_report"]
    return []


@verified_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    """Choose the intake channel, then fill that channel's form; search before create."""
    user: Any = request.user
    allowed = _channels_for(user)
    if not allowed:
        raise Http404
    channel = str(request.POST.get("channel") or request.GET.get("channel") or "")
    if not channel:
        options = [(c, CHANNELS[c]) for c in allowed]
        return render(request, "web/protection/intake_choose.html", {"options": options})
    if channel not in allowed:
        raise Http404
    form = FORMS[channel](request.POST or None, user=user)
    context: dict[str, Any] = {"channel": channel, "info": CHANNELS[channel], "form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        child = form.child()
        try:
            case = intake.open_case(
                user,
                channel,
                child,
                form.facts(),
                confirm_new=request.POST.get("confirm_new") == "1",
                source=request_source(request),
            )
        except intake.PossibleDuplicates as exc:
            context["matches"] = [
                {"match": m, "why": compare.why(m), "rows": compare.compare(child, m)}
                for m in exc.matches
            ]
            context["candidates"] = [m.case_id for m in exc.matches]
            context["duplicates_reason"] = exc.reason
            status = 409
        except ProtectionError as exc:
            show_error(form, exc)
        else:
            if policy.case_allows(user, "view", case):
                return redirect("web:case_detail", case.pk)
            return render(request, "web/protection/intake_received.html", {"case": case})
    if form.errors:
        status = 400
    return render(request, "web/protection/intake_form.html", context, status=status)


@verified_required
@require_http_methods(["GET", "POST"])
def open_existing(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The caseworker says the child is an existing record's: the choice is kept, the case
    opens. A GET (a reload) only opens the case, recording nothing."""
    if not policy.allows(request.user, "case", "create"):
        raise Http404
    if request.method == "GET":
        policy.get_or_404(request.user, "case", "view", case_id)
        return redirect("web:case_detail", case_id)
    raw = request.POST.getlist("candidates")
    try:
        case = duplicates.choose_existing(
            request.user,
            str(request.POST.get("channel") or ""),
            case_id,
            [int(c) for c in raw if c.isdigit() and len(c) < 19],
            source=request_source(request),
        )
    except ProtectionError as exc:
        messages.error(request, exc.reason)
        return redirect("web:case_new")
    messages.success(request, _("The existing case is open; no new case was created."))
    return redirect("web:case_detail", case.pk)
