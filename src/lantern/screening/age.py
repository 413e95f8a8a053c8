"""Is the person a child (under 18)? With the presumption of minority.

Where age is uncertain and there are reasons to believe the person is a child, the person is
presumed a child pending verification (CETS 197 art. 10(3); EU Directive 2011/36 art. 13(2)).
Any age figure under 18 counts: the report shows 15-year-olds carrying passports that say they
are over 18 (seed report L95), so an adult document never outweighs a child assessment.
Age should be the age at the time of the act (DEF-01 leaves the reference date open).
"""

from __future__ import annotations

from dataclasses import dataclass

from lantern.screening.inputs import AgeEvidence
from lantern.screening.reasons import Reason

ADULT_AGE = 18


@dataclass(frozen=True, slots=True)
class AgeFinding:
    """`is_child` is None when undetermined; `basis` is the evidence the finding rests on."""

    is_child: bool | None
    basis: str  # documented | assessed | stated | unknown | presumed_minor
    flags: tuple[str, ...]
    reasons: tuple[Reason, ...]


def assess_age(age: AgeEvidence) -> AgeFinding:
    """Apply the under-18 test and the presumption of minority to the age evidence."""
    years, documented = age.years, age.documented_years
    if (
        years is not None
        and documented is not None
        and (years < ADULT_AGE) != (documented < ADULT_AGE)
    ):
        params = {"years": years, "documented_years": documented}
        if documented >= ADULT_AGE:
            return AgeFinding(
                True,
                age.basis,
                ("document_age_conflict",),
                (Reason("document_age_conflict", params),),
            )
        return AgeFinding(
            True,
            "documented",
            ("age_evidence_conflict",),
            (Reason("age_evidence_conflict", params),),
        )
    basis: str = age.basis
    if years is None and documented is not None:
        years, basis = documented, "documented"
    if years is not None and years < ADULT_AGE:
        return AgeFinding(
            True, basis, (), (Reason("age_child_evidence", {"basis": basis, "years": years}),)
        )
    if age.reasons_to_believe_child:
        return AgeFinding(
            True, "presumed_minor", ("presumed_minor",), (Reason("age_presumed_minor"),)
        )
    if years is not None:
        return AgeFinding(
            False, basis, (), (Reason("age_adult_evidence", {"basis": basis, "years": years}),)
        )
    return AgeFinding(None, "unknown", (), (Reason("age_undetermined"),))
