"""Who is counted: children screened as possible or actual victims, decided per linked child.

A count of "children no agency recorded" must count children, and victims. Agencies disagree
about one child (a forged passport says 19 for a 15-year-old; one agency screens a child
"possible", another "actual"), so the decision is made per linked child from all its records:

- a **child** when at least one record puts them under 18 at identification (a stated age, a
  birth date before the registration date, an age band below 18, "minor") or as a presumed
  minor; an **adult** when records give an age and none is under 18; **age unknown** when no
  record gives one;
- **screened a victim** when at least one record says possible or actual victim of
  trafficking, or none says anything (a record without a screening is not a "not a victim").

Every record of a counted child counts in its capture history, whatever age that record wrote:
the agency did find the child. Pure: record-format columns in, NumPy flags out.

This is the one definition: ``lantern count`` sets the flags from records, the estimate page
(``lantern.monitoring.estimates``) from the mart's age category and screening, and both ask
:func:`counted`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

ADULT_AGE = 18
#: Record-format columns the population reads (docs/record-format.md).
POPULATION_COLUMNS: tuple[str, ...] = (
    "cas_RegistrationDate",
    "prs_Birthdate",
    "ext_StatedAge",
    "ext_AgeMin",
    "ext_AgeMax",
    "ext_IsMinor",
    "ext_AgeEvidence",
    "vic_TraffickingStatus",
)
VICTIM_STATUSES = frozenset({"PossibleVictimOfTrafficking", "ActualVictimOfTrafficking"})
NOT_A_VICTIM = "NotAVictimOfTrafficking"

#: Record flags (bits), OR-ed over a child's records.
SAYS_MINOR, SAYS_ADULT, SAYS_VICTIM, SAYS_NOT_VICTIM = 1, 2, 4, 8


@dataclass(frozen=True, slots=True)
class Population:
    """Who was counted among the linked people, and who was left out and why."""

    definition: str
    people: int  # linked people (clusters)
    counted: int
    adults: int  # every known age 18 or over: left out unless everyone is counted
    not_victims: int  # screened "not a victim", and a possible or actual victim by no agency
    age_unknown: int  # counted: no record of theirs says adult

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _integer(values: pd.Series) -> npt.NDArray[np.float64]:
    return pd.to_numeric(values.astype("string").str.strip(), errors="coerce").to_numpy(float)


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.astype("string").str.strip(), errors="coerce", format="%Y-%m-%d")


def record_flags(records: pd.DataFrame) -> npt.NDArray[np.int64]:
    """One bit set per record (see ``SAYS_*``) from the record-format columns present."""
    n = len(records)

    def column(name: str) -> pd.Series:
        if name in records.columns:
            return records[name].fillna("").astype(str).str.strip()
        return pd.Series([""] * n, index=records.index)

    ages = np.full(n, np.nan)
    stated = _integer(column("ext_StatedAge"))
    ages = np.where(np.isnan(ages), stated, ages)
    born, registered = _dates(column("prs_Birthdate")), _dates(column("cas_RegistrationDate"))
    years = ((registered - born).dt.days / 365.2425).to_numpy(float)
    ages = np.where(np.isnan(ages), np.floor(years), ages)
    low, high = _integer(column("ext_AgeMin")), _integer(column("ext_AgeMax"))
    minor_word = column("ext_IsMinor").str.lower()
    presumed = column("ext_AgeEvidence") == "presumed_minor"
    minor = (
        (ages < ADULT_AGE)
        | (high < ADULT_AGE)
        | minor_word.isin(["yes", "true", "1"]).to_numpy()
        | presumed.to_numpy()
    )
    adult = (
        (ages >= ADULT_AGE) | (low >= ADULT_AGE) | minor_word.isin(["no", "false", "0"]).to_numpy()
    ) & ~minor
    status = column("vic_TraffickingStatus")
    flags = np.zeros(n, dtype=np.int64)
    flags |= np.where(minor, SAYS_MINOR, 0)
    flags |= np.where(adult, SAYS_ADULT, 0)
    flags |= np.where(status.isin(VICTIM_STATUSES).to_numpy(), SAYS_VICTIM, 0)
    flags |= np.where((status == NOT_A_VICTIM).to_numpy(), SAYS_NOT_VICTIM, 0)
    return flags


def child_flags(
    labels: npt.NDArray[np.int64], flags: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """The flags of each cluster (dense labels 0..C-1): the OR of its records' flags."""
    out = np.zeros(int(labels.max()) + 1 if len(labels) else 0, dtype=np.int64)
    np.bitwise_or.at(out, labels, flags)
    return out


Flags = npt.NDArray[np.bool_]


def _reading(per_child: npt.NDArray[np.int64]) -> tuple[Flags, Flags, Flags]:
    """Per cluster: some record says minor; no record gives an age; screened a possible or
    actual victim by some record, or "not a victim" by none."""
    minor = (per_child & SAYS_MINOR) > 0
    no_age = (per_child & (SAYS_MINOR | SAYS_ADULT)) == 0
    victim = ((per_child & SAYS_VICTIM) > 0) | ((per_child & SAYS_NOT_VICTIM) == 0)
    return minor, no_age, victim


def counted(per_child: npt.NDArray[np.int64]) -> Flags:
    """Which clusters are in the population: children or of unknown age, screened possible or
    actual victims, or never screened."""
    minor, no_age, victim = _reading(per_child)
    return (minor | no_age) & victim


#: Who a count counts: ``children`` (:func:`counted`), or ``all`` linked people (how the
#: simulator counts its truth: every trafficked child, whatever age the records give).
POPULATIONS = ("children", "all")


def kept(per_child: npt.NDArray[np.int64], population: str) -> Flags:
    """Which clusters ``population`` (one of :data:`POPULATIONS`) counts."""
    if population not in POPULATIONS:
        raise ValueError(f"population must be one of {', '.join(POPULATIONS)}, not {population!r}")
    return np.ones(len(per_child), bool) if population == "all" else counted(per_child)


def describe(per_child: npt.NDArray[np.int64], everyone: bool = False) -> Population:
    """Counts of who is in and who is out, for the report (``everyone``: no one left out)."""
    keep = np.ones(len(per_child), bool) if everyone else counted(per_child)
    minor, no_age, victim = _reading(per_child)
    return Population(
        definition=EVERYONE if everyone else DEFINITION,
        people=len(per_child),
        counted=int(keep.sum()),
        adults=int((~minor & ~no_age).sum()),
        not_victims=int(((minor | no_age) & ~victim).sum()),
        age_unknown=int(no_age.sum()),
    )


DEFINITION = (
    "children: under 18 at identification or presumed minors by at least one agency, "
    "screened possible or actual victims of trafficking (or not screened) by at least one; "
    "people whose age no agency recorded are counted too (none of their records says adult)"
)

EVERYONE = "every linked person, whatever the records say of their age and screening"
