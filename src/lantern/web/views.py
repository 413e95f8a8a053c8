"""Server-rendered pages: sign-in with a second factor, the case list and a case's journey.

Views parse, ask the policy layer / a service, and render; they decide nothing themselves.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.audit.forms import TrailFilterForm
from lantern.audit.services import request_source
from lantern.cases import queries
from lantern.paging import BoundedPaginator
from lantern.web import forms
from lantern.web.otp import device_for, qr_svg
from lantern.web.typing import AuthedRequest


def verified_required(view: Any) -> Any:
    """Signed in, and past the second factor when the role can see identifying data."""

    @wraps(view)
    @login_required
    def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        verified = getattr(request.user, "is_verified", lambda: False)()  # set by OTPMiddleware
        if policy.requires_second_factor(request.user) and not verified:
            return redirect("web:second_factor")
        return view(request, *args, **kwargs)  # type: ignore[no-any-return]

    return wrapper


def allowed(resource: str, action: str) -> Callable[[Any], Any]:
    """A page for those the policy grants ``(resource, action)`` at some scope, past sign-in and
    the second factor (``verified_required``); anyone else gets 404, as if it did not exist.
    Which records the page then shows is the policy's scoped getters' answer, not this one's."""

    def decorate(view: Any) -> Any:
        @wraps(view)
        def guarded(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not policy.allows(request.user, resource, action):
                raise Http404
            return view(request, *args, **kwargs)  # type: ignore[no-any-return]

        return verified_required(guarded)

    return decorate


@verified_required
def home(request: AuthedRequest) -> HttpResponse:
    if policy.allows(request.user, "case", "list"):
        return redirect("web:case_list")
    if policy.allows(request.user, "statistics", "view"):
        return redirect("monitoring:estimate")
    if policy.allows(request.user, "audit", "view"):
        return redirect("web:audit_list")
    if policy.allows(request.user, "report", "submit"):
        return redirect("web:case_new")  # a community reporter's only page: the report form
    return render(request, "web/home.html")


def _local_next(request: HttpRequest) -> str:
    """The ``next`` page when it is on this site (over HTTPS when the request is), else ""."""
    wanted = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return ""  # a phishing link's off-site next is dropped, not carried into the form


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    form = forms.SignInForm(request.POST or None)
    next_url = _local_next(request)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if user is None:
            form.add_error(None, _("Wrong username or password."))
        else:
            login(request, user)
            if next_url:
                request.session["after_second_factor"] = next_url
            if policy.requires_second_factor(user):
                if device_for(user, confirmed=True) is None:
                    return redirect("web:enrol")
                return redirect("web:second_factor")
            return redirect(next_url or "web:home")
    return render(request, "web/signin.html", {"form": form, "next": next_url}, status=200)


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    device = device_for(request.user, confirmed=True)
    if device is None:
        return redirect("web:enrol")
    form = forms.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(request.session.pop("after_second_factor", "") or "web:home")
        form.add_error("token", _("That code is not right. Codes change every 30 seconds."))
    return render(request, "web/second_factor.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    if device_for(request.user, confirmed=True) is not None:
        return redirect("web:second_factor")
    device = device_for(request.user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = forms.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(request.session.pop("after_second_factor", "") or "web:home")
        form.add_error("token", _("That code is not right. Check the time on your phone."))
    return render(
        request,
        "web/enrol.html",
        {
            "form": form,
            "qr": qr_svg(device.config_url),
            "secret": device.bin_key.hex(),
        },
    )


@require_http_methods(["POST"])  # a GET would let any page sign the user out (logout CSRF)
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")


@allowed("case", "list")
def case_list(request: AuthedRequest) -> HttpResponse:
    form = forms.CaseFilterForm(request.GET or None)
    filters = queries.CaseFilters()
    if form.is_valid():
        filters = queries.CaseFilters.from_mapping(
            {
                k: (v.isoformat() if hasattr(v, "isoformat") else v)
                for k, v in form.cleaned_data.items()
            }
        )
    qs = queries.case_list(request.user, filters)
    paginator = BoundedPaginator(qs, 25, request.GET.get("page"))
    page = paginator.get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "web/case_list.html",
        {
            "form": form,
            "page": page,
            "total": paginator.total,
            "rows": [queries.case_summary(c) for c in page],
            "query": urlencode(query),
        },
    )


@verified_required
def case_detail(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = queries.get_case(request.user, case_id)
    data = queries.case_detail(request.user, case, source=request_source(request))
    return render(request, "web/case_detail.html", {"case": case, "c": data})


@allowed("audit", "view")
def audit_list(request: AuthedRequest) -> HttpResponse:
    form = TrailFilterForm(request.GET or None)
    page = Paginator(audit.filtered(form.filters()), 50).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "web/audit_list.html",
        {
            "page": page,
            "form": form,
            "query": urlencode(query),
            "may_export": policy.allows(request.user, "audit", "export"),
        },
    )


@allowed("audit", "export")
def audit_export(request: AuthedRequest) -> HttpResponse:
    """The (filtered) trail as CSV for auditors; the export is itself written to the trail."""
    form = TrailFilterForm(request.GET or None)
    buffer = io.StringIO()
    n = audit.write_csv(audit.filtered(form.filters()).order_by("seq").iterator(), buffer)
    audit.record(
        request.user, "export", "audit", "", reason=f"{n} entries", source=request_source(request)
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lantern-audit.csv"'
    return response


@verified_required
def case_access_log(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Who viewed, imported or changed a case: for supervisors (asked of the policy layer)."""
    case = queries.get_case(request.user, case_id, action="view_access_log")
    page = Paginator(audit.for_case(case), 50).get_page(request.GET.get("page"))
    audit.record(request.user, "view", "access_log", case.reference, source=request_source(request))
    return render(request, "web/access_log.html", {"case": case, "page": page})
