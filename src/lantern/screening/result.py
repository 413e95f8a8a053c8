"""The screening result: a frozen value whose every decision carries its reasons.

JSON shape (``to_dict``): `is_child` and the `ilo_*` rules are true / false / null, where null
means undetermined on the present facts or, for `ilo_child_*` / `ilo_adult_victim`, that the
rule is for the other age group. `reasons` is a list of ``{code, text, params}`` so that text
can be re-rendered in another language from `code` and `params`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from lantern.screening.dimensions import DimensionFinding
from lantern.screening.reasons import Reason, Recommendation
from lantern.screening.vocabulary import Element, Profile, Trafficking

Status = Literal["trafficking", "smuggling", "not_trafficking", "undetermined"]


@dataclass(frozen=True, slots=True)
class Elements:
    """Palermo art. 3 elements; means is `not_required` for a child."""

    act: Element
    means: Element
    purpose: Element


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """Outcome of one screening. Not a legal determination: it says what to do next."""

    ruleset_version: str
    provisional: bool
    is_child: bool | None
    age_basis: str
    trafficking: Trafficking
    elements: Elements
    dimensions: tuple[DimensionFinding, ...]
    ilo_child_victim: bool | None
    ilo_child_victim_strict: bool | None
    ilo_adult_victim: bool | None
    smuggling: bool
    flags: tuple[str, ...]
    profile: Profile
    profile_source: Literal["given", "derived"]
    reasons: tuple[Reason, ...]
    recommendation: Recommendation

    @property
    def status(self) -> Status:
        """One word for the history of a case (smuggled -> trafficked, and so on)."""
        if self.trafficking == "yes":
            return "trafficking"
        if self.smuggling:
            return "smuggling"
        return "not_trafficking" if self.trafficking == "no" else "undetermined"

    def to_dict(self) -> dict[str, Any]:
        return {
            "ruleset_version": self.ruleset_version,
            "provisional": self.provisional,
            "is_child": self.is_child,
            "age_basis": self.age_basis,
            "trafficking": self.trafficking,
            "status": self.status,
            "elements": {
                "act": self.elements.act,
                "means": self.elements.means,
                "purpose": self.elements.purpose,
            },
            "dimensions": {d.dimension: d.result for d in self.dimensions},
            "ilo_child_victim": self.ilo_child_victim,
            "ilo_child_victim_strict": self.ilo_child_victim_strict,
            "ilo_adult_victim": self.ilo_adult_victim,
            "smuggling": self.smuggling,
            "flags": list(self.flags),
            "profile": self.profile,
            "profile_source": self.profile_source,
            "reasons": [r.to_dict() for r in self.reasons],
            "recommendation": self.recommendation.text,
            "recommendation_codes": self.recommendation.codes,
        }
