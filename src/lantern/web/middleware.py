"""Session and response hardening for devices that are shared, lost or left unattended."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse


class SessionIdleTimeoutMiddleware:
    """Idle session expiry: a caseworker's unattended phone must not stay signed in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_seen")
            if last is not None and now - int(last) > settings.SESSION_IDLE_SECONDS:
                logout(request)
            else:
                request.session["last_seen"] = now
        return self.get_response(request)


# Features no Lantern page uses; denied so an injected script could not turn them on.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class PrivatePagesMiddleware:
    """Signed-in pages are never cached (a shared phone's back button or a proxy would keep a
    child's details), and browser features Lantern does not use are switched off."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
