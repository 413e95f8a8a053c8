"""The fields of a referral packet, and which of them an agreement lets travel.

Field names are those of docs/record-format.md (HTCDS 2.0 prefixes, ``ext_`` extensions), so
the receiving side reads a packet with the same vocabulary as an agency file. ``METADATA`` says
where the packet comes from and travels with every packet; every other field travels only if
the bilateral agreement lists it. Plain names and dicts only: reading a case into these fields
is the transfer's (``lantern.protection.transfers.record``), as is opening one back into a case.
"""

from __future__ import annotations

from typing import Any

METADATA = (
    "ext_SourceCaseReference",
    "ext_Agreement",
    "cas_ReferringOrganisation",
    "cas_OutgoingReferralDate",
    "cas_ReasonForOutgoingReferral",
)

# The child fields a packet may carry (identifying ones come from the encrypted Person).
CHILD_FIELDS = (
    "prs_FirstName",
    "prs_SecondName",
    "ext_Nickname",
    "prs_Birthdate",
    "ext_BirthdateEstimated",
    "prs_IdentityNumber",
    "prs_Gender",
    "prs_Citizenship",
    "prs_PrimaryLanguage",
    "prs_MailingCountry",
    "prs_MailingState",
    "prs_MailingCity",
    "ext_StatedAge",
    # the age as given when no exact age is known (#16): a band, either end open
    "ext_AgeMin",
    "ext_AgeMax",
    "ext_AgeEvidence",
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    # the date of a formal determination ("Actual"): without it (and a formal deciding body)
    # the receiving side keeps the child as a possible victim
    "ext_TraffickingDeterminedOn",
    "vic_TypeOfExploitation",
    "cas_RegistrationDate",
    "cas_IntakeChannel",
    "spl_Type",
    "con_Consent",
    "con_TracingConsent",
    "hte_Events",
)


#: An agreement that lets the exact age travel lets the band travel too: it says less.
AGE_BAND = ("ext_AgeMin", "ext_AgeMax")


def _allowed(allowed: list[str]) -> set[str]:
    return set(allowed) | (set(AGE_BAND) if "ext_StatedAge" in allowed else set())


def restrict(record: dict[str, Any], allowed: list[str]) -> dict[str, Any]:
    """Only the fields the agreement allows (unknown names in ``allowed`` are ignored)."""
    fields = _allowed(allowed)
    return {k: v for k, v in record.items() if k in fields}


def outside(payload: dict[str, Any], allowed: list[str]) -> list[str]:
    """Fields of a received packet that its agreement does not allow (to refuse it)."""
    fields = _allowed(allowed)
    return sorted(k for k in payload if k not in fields and k not in METADATA)
