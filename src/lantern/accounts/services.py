"""Creating users and personal API tokens."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from lantern.accounts.auth import token_digest
from lantern.accounts.models import Agency, ApiToken, Area, Role, Team, User
from lantern.audit import services as audit


class AccountError(ValueError):
    """A user or token request that cannot be carried out; the message says why."""


def add_user(username: str, role: str, agency_code: str | None, team: str | None = None,
             area: str | None = None, password: str | None = None,
             by: Any = None) -> tuple[User, str]:
    """Create a user; returns the user and the password (generated when not given)."""
    if role not in Role.values:
        raise AccountError(f"unknown role {role!r}; roles: {', '.join(Role.values)}")
    if User.objects.filter(username=username).exists():
        raise AccountError(f"a user {username!r} already exists")
    agency = None
    if agency_code:
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is None:
            raise AccountError(f"no agency {agency_code!r}")
    elif role not in (Role.NATIONAL_COORDINATOR, Role.ANALYST, Role.AUDITOR, Role.SYSADMIN):
        raise AccountError(f"a {role} must belong to an agency (--agency)")
    team_obj = None
    if team:
        if agency is None:
            raise AccountError("--team needs --agency")
        team_obj, _ = Team.objects.get_or_create(agency=agency, name=team)
    area_obj = None
    if area:
        area_obj = Area.objects.filter(code=area).first()
        if area_obj is None:
            raise AccountError(f"no area {area!r}")
    password = password or secrets.token_urlsafe(12)
    user = User(username=username, role=role, agency=agency, team=team_obj, area=area_obj)
    try:
        validate_password(password, user)
    except Exception as exc:  # ValidationError carries a list of messages
        raise AccountError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
    with transaction.atomic():
        user.set_password(password)
        user.save()
        audit.record(by, "create", "user", user.pk, ("role", "agency"), source="cli")
    return user, password


def create_token(username: str, name: str = "cli", days: int = 90,
                 by: Any = None) -> tuple[ApiToken, str]:
    """A new personal token; the raw value is returned once and only its hash is stored."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise AccountError(f"no active user {username!r}")
    if not 1 <= days <= 366:
        raise AccountError("--days must be from 1 to 366")
    raw = "lnt_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:10], digest=token_digest(raw),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit.record(by, "create", "api_token", token.pk, source="cli")
    return token, raw


def revoke_token(prefix: str, by: Any = None) -> int:
    n = ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    if n:
        audit.record(by, "revoke", "api_token", prefix, source="cli")
    return n
