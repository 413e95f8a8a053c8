"""API authentication: the signed-in session (with its CSRF check) or a personal token."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyHeader, SessionAuth


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class _Token(APIKeyHeader):
    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        from lantern.accounts.models import ApiToken

        if not key or not key.startswith("Bearer "):
            return None
        raw = key.removeprefix("Bearer ").strip()
        token = (
            ApiToken.objects.select_related("user", "user__agency", "user__team")
            .filter(
                digest=token_digest(raw), revoked_at__isnull=True, expires_at__gt=timezone.now()
            )
            .first()
        )
        if token is None or not token.user.is_active:
            return None
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        request.user = token.user
        return token.user


class _Session(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        from lantern.accounts import policy

        user = super().authenticate(request, key)
        if user is None:
            return None
        # A role that can see identifying data needs its second factor on the session too.
        if policy.requires_second_factor(user) and not user.is_verified():
            return None
        return user


def SessionOrToken() -> list[Any]:
    return [_Token(), _Session()]
