"""Sharing a case: the role's scope first, then the child's recorded consent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from lantern.accounts.policy.rules import case_allows, model, scope_for

if TYPE_CHECKING:
    from lantern.accounts.models import User
    from lantern.cases.models import Case


# Sharing purpose -> the consent item (lantern.taxonomy consent_items) that must be "yes".
SHARING_CONSENT: dict[str, str] = {
    "referral": "referral_sharing",
    "cross_border_referral": "referral_sharing",
    "family_tracing": "family_tracing",
    "research": "research_use",
}


@dataclass(frozen=True)
class ShareDecision:
    """Whether a case may be shared for a purpose, and why (shown to the caseworker)."""

    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def may_share(user: User, case: Case, purpose: str) -> ShareDecision:
    """May ``user`` share ``case`` for ``purpose``? Scope first, then the child's consent.

    Consent is never presumed: unknown is no, and any recorded refusal (child or guardian)
    outweighs a yes, because a guardian may be the one who sold the child.
    """
    item = SHARING_CONSENT.get(purpose)
    if item is None:
        return ShareDecision(
            False,
            f"unknown sharing purpose {purpose!r}; purposes: {', '.join(sorted(SHARING_CONSENT))}",
        )
    if not case_allows(user, "refer", case):
        return ShareDecision(False, "the case is not in your scope for referral")
    consents = model("cases.Consent").objects
    values = set(consents.filter(case=case, item=item).values_list("value", flat=True))
    if False in values:
        return ShareDecision(False, f"consent to {item} was refused")
    if True not in values:
        return ShareDecision(False, f"no consent to {item} is recorded")
    return ShareDecision(True, f"consent to {item} is recorded")


# Who may vouch for a referral: the consent basis -> who must have said yes (Consent.given_by).
REFERRAL_BASES: dict[str, str] = {"child_assent": "child", "guardian_consent": "guardian"}
MIN_OVERRIDE_REASON = 20  # characters: an override is explained, not waved through


def may_refer(user: User, case: Case, basis: str, reason: str = "") -> ShareDecision:
    """May ``user`` refer ``case`` on ``basis`` (child_assent, guardian_consent or override)?

    The basis is checked against what is recorded, never against what the request claims:
    assent or consent must be a recorded yes from that person, and any recorded refusal of
    referral sharing blocks it. Only a role the table allows ("referral", "override_consent")
    may override a refusal or a missing consent, and only with a written reason.
    """
    if not case_allows(user, "refer", case):
        return ShareDecision(False, "the case is not in your scope for referral")
    if basis == "override":
        if scope_for(user, "referral", "override_consent") is None:
            return ShareDecision(False, "your role may not override consent")
        if len(reason.strip()) < MIN_OVERRIDE_REASON:
            return ShareDecision(
                False, f"an override needs a reason of at least {MIN_OVERRIDE_REASON} characters"
            )
        return ShareDecision(True, "consent overridden by an authorised role, with a reason")
    who = REFERRAL_BASES.get(basis)
    if who is None:
        bases = ", ".join([*REFERRAL_BASES, "override"])
        return ShareDecision(False, f"unknown consent basis {basis!r}; bases: {bases}")
    consents = model("cases.Consent").objects
    rows = consents.filter(case=case, item=SHARING_CONSENT["referral"])
    if rows.filter(value=False).exists():
        return ShareDecision(False, "referral sharing was refused")
    if not rows.filter(value=True, given_by=who).exists():
        return ShareDecision(False, f"no {basis.replace('_', ' ')} to referral sharing is recorded")
    return ShareDecision(True, f"{basis.replace('_', ' ')} to referral sharing is recorded")


def consented(qs: QuerySet[Case], purpose: str) -> QuerySet[Case]:
    """The cases of ``qs`` with a recorded yes and no refusal for ``purpose`` (e.g. tracing)."""
    consents = model("cases.Consent").objects
    item = SHARING_CONSENT[purpose]
    yes = consents.filter(item=item, value=True).values("case_id")
    no = consents.filter(item=item, value=False).values("case_id")
    return qs.filter(pk__in=yes).exclude(pk__in=no)
