"""The shell's pages: home, and sign-in with a second factor. Each domain's pages are in its
package (``lantern.<domain>.views``), routed from ``lantern.web.urls``.
"""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts import policy
from lantern.edges.decorators import verified_required
from lantern.edges.typing import AuthedRequest
from lantern.web import forms
from lantern.web.otp import device_for, qr_svg


@verified_required
def home(request: AuthedRequest) -> HttpResponse:
    if policy.allows(request.user, "case", "list"):
        return redirect("web:case_list")
    if policy.allows(request.user, "statistics", "view"):
        return redirect("monitoring:dashboard")
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
