"""The permission decorators every page uses: signed in, past the second factor, and granted
the page's ``(resource, action)`` by the policy (``lantern.accounts.policy``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from lantern.accounts import policy
from lantern.edges.typing import AuthedRequest


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
