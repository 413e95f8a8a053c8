"""Search before create at intake, by record linkage instead of exact matches only.

The protection workflow's intake asks the matcher ``settings.LANTERN_INTAKE_MATCHER`` names for
likely existing records of a child (DESIGN: "the linkage issue provides the matching"). This one
keeps the exact matches (an identity number's blind index is certain) and adds the records the
linkage model scores at or above ``BLOCKING_PROBABILITY`` among the cases the user may see.
"""

from __future__ import annotations

from typing import Any

from lantern.accounts import policy
from lantern.protection.intake.service import Child, Match, exact_matches

#: A candidate this likely to be the same child stops a new case until the user confirms.
BLOCKING_PROBABILITY = 0.8


def probabilistic_matches(user: Any, child: Child) -> list[Match]:
    from lantern.linkage.services import search_before_create

    found = {m.case_id: m for m in exact_matches(user, child)}
    if not policy.allows(user, "person", "search") or not (child.given_name or child.family_name):
        return list(found.values())
    answer = search_before_create(
        user,
        child.given_name,
        child.family_name,
        child.birthdate,
        child.gender,
        list(child.citizenship),
        nickname=child.nickname,
        stated_age=child.age,
        identity_number=child.identity_number,
        home_country=child.home_country,
        source="intake",
    )
    likely = {c.case_id: c for c in answer.candidates if c.probability >= BLOCKING_PROBABILITY}
    cases = policy.scope_cases(user, "view").select_related("agency", "person")
    for case in cases.filter(pk__in=[k for k in likely if k not in found]):
        p = case.person
        found[case.pk] = Match(
            case.pk,
            case.reference,
            case.agency.code,
            case.registration_date.isoformat(),
            case.state,
            f"record linkage, probability {likely[case.pk].probability:.2f}",
            p.given_name,
            p.family_name,
            str(p.birthdate) if p.birthdate else "",
        )
    return sorted(found.values(), key=lambda m: m.registration_date, reverse=True)
