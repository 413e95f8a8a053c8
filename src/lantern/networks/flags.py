"""The organised-crime flag: it follows the evidence, and says which.

C182 monitoring asks for "links with organized crime"; the Palermo Protocol's parent
convention (UNTOC art. 2(a)) calls a group organised when three or more persons act in concert
over time to commit serious crimes. Evidence that a network is such a group: several victims,
several roles (a division of labour: recruiter, transporter, exploiter...), borders crossed,
officials corrupted. The flag is raised when the group has three or more members and at least
:attr:`OrganisedCrimeRule.min_signs` of these signs; every sign found, and every one missing,
is a :class:`Reason` with a stable code and parameters (counts, never names), as screening
gives its reasons, so the pages can translate them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from lantern.screening.reasons import TemplateReason

TEMPLATES: dict[str, str] = {
    "structured_group": "{members} perpetrators act together: a group of three or more "
    "persons (UNTOC art. 2(a)).",
    "small_group": "Only {members} perpetrator(s) known: fewer than the three persons of an "
    "organised group (UNTOC art. 2(a)).",
    "several_victims": "{victims} children's cases: several victims.",
    "few_victims": "{victims} child's case(s): fewer than {needed} victims.",
    "several_roles": "{count} roles ({roles}): a division of labour.",
    "few_roles": "{count} role(s) ({roles}): fewer than {needed}.",
    "crosses_borders": "Borders crossed in {cases} case(s).",
    "no_border": "No border crossing recorded.",
    "corrupt_officials": "{officials} corrupt official(s) involved.",
    "no_official": "No corrupt official recorded.",
    "organised": "Organised crime: a group of three or more with {signs} of the {total} signs "
    "(at least {needed}).",
    "not_organised": "Not flagged as organised crime: {signs} of the {total} signs (at least "
    "{needed} with a group of three or more).",
}
#: The signs counted toward the flag, in the order reasons are given.
SIGNS: tuple[str, ...] = (
    "several_victims",
    "several_roles",
    "crosses_borders",
    "corrupt_officials",
)
CORRUPT_OFFICIAL = "corrupt_official"


@dataclass(frozen=True, slots=True)
class Reason(TemplateReason):
    """One explained step of the flag: screening's template reason over these templates."""

    templates: ClassVar[Mapping[str, str]] = TEMPLATES


@dataclass(frozen=True, slots=True)
class OrganisedCrimeRule:
    """Thresholds of the flag; a setting an installation may tune, not a patch."""

    min_members: int = 3
    several_victims: int = 5
    several_roles: int = 3
    min_signs: int = 3


@dataclass(frozen=True, slots=True)
class OrganisedCrimeFlag:
    """Whether a network is flagged, the signs found, and the reasons in order."""

    flagged: bool
    signs: tuple[str, ...]
    reasons: tuple[Reason, ...]


def organised_crime(
    members: int,
    victims: int,
    roles: frozenset[str],
    border_cases: int,
    officials: int,
    rule: OrganisedCrimeRule | None = None,
) -> OrganisedCrimeFlag:
    """The flag for one network from its counts (members, victims' cases, roles played,
    cases with a border crossed, corrupt officials among its members)."""
    rule = rule or OrganisedCrimeRule()
    reasons: list[Reason] = []
    group = members >= rule.min_members
    reasons.append(Reason("structured_group" if group else "small_group", {"members": members}))
    found: list[str] = []
    if victims >= rule.several_victims:
        found.append("several_victims")
        reasons.append(Reason("several_victims", {"victims": victims}))
    else:
        reasons.append(Reason("few_victims", {"victims": victims, "needed": rule.several_victims}))
    named = ", ".join(sorted(roles)) or "none"
    if len(roles) >= rule.several_roles:
        found.append("several_roles")
        reasons.append(Reason("several_roles", {"count": len(roles), "roles": named}))
    else:
        reasons.append(
            Reason("few_roles", {"count": len(roles), "roles": named, "needed": rule.several_roles})
        )
    if border_cases:
        found.append("crosses_borders")
        reasons.append(Reason("crosses_borders", {"cases": border_cases}))
    else:
        reasons.append(Reason("no_border"))
    if officials:
        found.append("corrupt_officials")
        reasons.append(Reason("corrupt_officials", {"officials": officials}))
    else:
        reasons.append(Reason("no_official"))
    flagged = group and len(found) >= rule.min_signs
    summary = {"signs": len(found), "total": len(SIGNS), "needed": rule.min_signs}
    reasons.append(Reason("organised" if flagged else "not_organised", summary))
    return OrganisedCrimeFlag(flagged, tuple(found), tuple(reasons))
