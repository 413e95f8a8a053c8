"""Search before create at intake, by record linkage instead of exact matches only.

The protection workflow's intake asks the matcher ``settings.LANTERN_INTAKE_MATCHER`` names for
likely existing records of a child (DESIGN: "the linkage issue provides the matching"). This one
keeps the exact matches (an identity number's blind index is certain) and adds the records the
linkage model scores at or above ``BLOCKING_PROBABILITY`` among the cases the user may see.

That floor is the review band's (``recordlinkage.DEFAULT_REVIEW_FLOOR``, 0.3), not the link
threshold: measured on the demo country (9,304 records), the same child entered twice with name,
age, sex and citizenship but no birth date scores 0.61-0.96 (0.45-0.92 before the intake stopped
sending a lone home country), because an age gives only a birth-year estimate, which the model
can place "within a year" at best (+0.4 bits) and a common name is worth less (term
frequencies). With a birth date the same child scores 1.00. A caseworker decides the review
band, as reviewers decide the batch run's: every candidate in it is shown (#15, item 5).
"""

from __future__ import annotations

from typing import Any

from lantern.accounts import policy
from lantern.protection.intake.service import Child, Match, exact_matches, match_of
from lantern.recordlinkage import DEFAULT_REVIEW_FLOOR

#: A candidate this likely to be the same child stops a new case until the user confirms.
BLOCKING_PROBABILITY = DEFAULT_REVIEW_FLOOR


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
        limit=50,  # every candidate in the band, as far as a page can show them
        source="intake",
    )
    likely = {c.case_id: c for c in answer.candidates if c.probability >= BLOCKING_PROBABILITY}
    cases = policy.scope_cases(user, "view").select_related("agency", "person")
    for case in cases.filter(pk__in=[k for k in likely if k not in found]):
        p = round(likely[case.pk].probability, 2)
        found[case.pk] = match_of(case, f"record linkage, probability {p:.2f}", p)
    latest_first = sorted(found.values(), key=lambda m: m.registration_date, reverse=True)
    return sorted(latest_first, key=lambda m: -1.0 if m.probability is None else -m.probability)
