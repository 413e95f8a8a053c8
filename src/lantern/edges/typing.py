"""Request types for views behind ``verified_required`` (the user is signed in)."""

from __future__ import annotations

from django.http import HttpRequest

from lantern.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
