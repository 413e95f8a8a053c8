"""Creating areas, agencies, users and personal API tokens; every change is audited."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from lantern.accounts.auth import token_digest
from lantern.accounts.models import Agency, ApiToken, Area, Role, Team, User
from lantern.audit import services as audit
from lantern.taxonomy import code_list


class AccountError(ValueError):
    """A user or token request that cannot be carried out; the message says why."""


def add_area(
    code: str,
    name: str,
    parent: str | None = None,
    level: int | None = None,
    by: Any = None,
    source: str = "cli",
) -> Area:
    """An administrative area; its level defaults to one below its parent (0 = country)."""
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise AccountError("an area needs a CODE and a NAME")
    if Area.objects.filter(code=code).exists():
        raise AccountError(f"an area {code!r} already exists")
    parent_obj = None
    if parent:
        parent_obj = Area.objects.filter(code=parent).first()
        if parent_obj is None:
            raise AccountError(f"no parent area {parent!r}")
    if level is None:
        level = parent_obj.level + 1 if parent_obj else 0
    if level < 0 or (parent_obj is not None and level <= parent_obj.level):
        raise AccountError(
            f"--level {level} must be deeper than the parent's level "
            f"{parent_obj.level if parent_obj else 0}"
        )
    with transaction.atomic():
        area = Area.objects.create(code=code, name=name, parent=parent_obj, level=level)
        audit.record(
            by, "create", "area", area.code, ("code", "name", "parent", "level"), source=source
        )
    return area


def add_agency(
    code: str,
    name: str,
    type_: str,
    area: str | None = None,
    country: str | None = None,
    by: Any = None,
    source: str = "cli",
) -> Agency:
    """An agency: its code is the ``agency`` column of imported records."""
    if not code or slugify(code) != code:
        raise AccountError(f"agency code {code!r} must be lower-case letters, digits and dashes")
    kinds = code_list("agency_types")
    if type_ not in kinds:
        raise AccountError(f"unknown agency type {type_!r}; types: {', '.join(kinds.ids())}")
    if Agency.objects.filter(code=code).exists():
        raise AccountError(f"an agency {code!r} already exists")
    area_obj = None
    if area:
        area_obj = Area.objects.filter(code=area).first()
        if area_obj is None:
            raise AccountError(f"no area {area!r} (create it with `lantern area add`)")
    country = (country or "").upper()
    if country:
        import pycountry

        if len(country) != 3 or pycountry.countries.get(alpha_3=country) is None:
            raise AccountError(f"--country {country!r} is not an ISO 3166-1 alpha-3 code")
    with transaction.atomic():
        agency = Agency.objects.create(
            code=code, name=name.strip() or code, type=type_, area=area_obj, country=country
        )
        audit.record(
            by, "create", "agency", agency.code, ("code", "name", "type", "area"), source=source
        )
    return agency


def grant_case_content(
    username: str, granted: bool, reason: str, by: Any = None, source: str = "cli"
) -> User:
    """Give (or take back) a system administrator's read-only access to case content."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise AccountError(f"no user {username!r}")
    if user.role != Role.SYSADMIN:
        raise AccountError(f"{username!r} is a {user.role}; only a system_admin takes this grant")
    if not reason.strip():
        raise AccountError("a grant needs a --reason (it is written to the audit trail)")
    with transaction.atomic():
        user.can_see_case_content = granted
        user.save(update_fields=["can_see_case_content"])
        audit.record(
            by,
            "grant" if granted else "revoke",
            "user",
            user.pk,
            ("can_see_case_content",),
            reason=reason.strip(),
            source=source,
        )
    return user


def add_user(
    username: str,
    role: str,
    agency_code: str | None,
    team: str | None = None,
    area: str | None = None,
    password: str | None = None,
    by: Any = None,
    source: str = "cli",
) -> tuple[User, str]:
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
        audit.record(
            by, "create", "user", user.pk, ("role", "agency", "team", "area"), source=source
        )
    return user, password


# A token is a password that needs no second factor each time it is used, so one that can read
# identities is issued only against a current code from its holder's authenticator and lasts
# one working day at most; other roles' tokens (statistics, audit exports) may live for months.
IDENTITY_TOKEN_HOURS = 12
TOKEN_DAYS = 90


def _second_factor_checked(user: User, code: str) -> None:
    """The holder's confirmed authenticator accepts ``code`` now (each code is used once)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise AccountError(
            f"{user.username} reads identities and has no second factor yet: "
            "enrol an authenticator by signing in once, then create the token"
        )
    if not code.strip():
        raise AccountError(
            f"{user.username} reads identities: give a current code from their "
            "authenticator (--code)"
        )
    if not device.verify_token(code.strip()):
        raise AccountError("that code is not right (codes change every 30 seconds)")


def create_token(
    username: str,
    name: str = "cli",
    days: int | None = None,
    by: Any = None,
    source: str = "cli",
    *,
    code: str = "",
    hours: int | None = None,
) -> tuple[ApiToken, str]:
    """A new personal token; the raw value is returned once and only its hash is stored.

    For a role that reads identities (``policy.requires_second_factor``) the holder's second
    factor is checked (``code``) and the token lasts ``hours`` (at most
    :data:`IDENTITY_TOKEN_HOURS`); for other roles it lasts ``days`` (1 to 366, 90 by default).
    """
    from lantern.accounts import policy

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise AccountError(f"no active user {username!r}")
    if policy.requires_second_factor(user):
        if days is not None:
            raise AccountError(
                f"{username} reads identities: a token lasts at most {IDENTITY_TOKEN_HOURS} "
                "hours (--hours), not days"
            )
        hours = IDENTITY_TOKEN_HOURS if hours is None else hours
        if not 1 <= hours <= IDENTITY_TOKEN_HOURS:
            raise AccountError(f"--hours must be from 1 to {IDENTITY_TOKEN_HOURS}")
        _second_factor_checked(user, code)
        life = dt.timedelta(hours=hours)
    else:
        if hours is not None:
            life = dt.timedelta(hours=hours)
            if not 1 <= hours <= 366 * 24:
                raise AccountError("--hours must be from 1 to 8784")
        else:
            days = TOKEN_DAYS if days is None else days
            if not 1 <= days <= 366:
                raise AccountError("--days must be from 1 to 366")
            life = dt.timedelta(days=days)
    raw = "lnt_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:10],
        digest=token_digest(raw),
        expires_at=timezone.now() + life,
    )
    audit.record(
        by, "create", "api_token", token.prefix, reason=f"for user {user.pk}", source=source
    )
    return token, raw


def revoke_token(prefix: str, by: Any = None, source: str = "cli") -> int:
    """Revoke the active token(s) starting with ``prefix``; returns how many."""
    if len(prefix) < 10:
        raise AccountError("give the token's first 10 characters (as `token list` shows them)")
    with transaction.atomic():
        n = ApiToken.objects.filter(prefix=prefix[:10], revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if n:
            audit.record(by, "revoke", "api_token", prefix[:10], source=source)
    return n


def tokens_of(username: str) -> list[ApiToken]:
    """A user's tokens, newest first (prefixes and dates only: the raw value is never kept)."""
    return list(ApiToken.objects.filter(user__username=username).order_by("-created_at"))
