"""The facts a caseworker gives the screening, and their validation.

A key left out means unknown; an empty list means it was established that there was none
(record-format convention: blank is never "no"). Unknown keys are refused so that a misspelt
field cannot silently turn into "unknown".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from lantern.screening.catalogue import Catalogue, load_catalogue
from lantern.screening.vocabulary import (
    ACTS,
    AGE_BASES,
    ANSWERS,
    MEANS,
    PROFILES,
    PURPOSES,
    AgeBasis,
    Answer,
    Profile,
)

MAX_AGE = 130


class ScreeningInputError(ValueError):
    """Bad screening input; `field` names the offending field (dotted path)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class AgeEvidence:
    """Age in years and where it comes from; `documented_years` is what a document says."""

    years: int | None = None
    basis: AgeBasis = "unknown"
    reasons_to_believe_child: bool | None = None
    documented_years: int | None = None


@dataclass(frozen=True, slots=True)
class ScreeningInput:
    """One screening's facts. None means unknown; an empty frozenset means "none"."""

    age: AgeEvidence = field(default_factory=AgeEvidence)
    acts: frozenset[str] | None = None
    means: frozenset[str] | None = None
    purposes: frozenset[str] | None = None
    profile: Profile | None = None
    indicators: dict[str, Answer] = field(default_factory=dict)
    knowingly_bought_entry: bool | None = None


_TOP_KEYS = {
    "age",
    "acts",
    "means",
    "purposes",
    "profile",
    "indicators",
    "knowingly_bought_entry",
}
_AGE_KEYS = {"years", "basis", "reasons_to_believe_child", "documented_years"}


def _optional_bool(value: Any, name: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise ScreeningInputError(name, f"must be true, false or null, not {value!r}")


def _optional_age(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AGE:
        raise ScreeningInputError(name, f"must be a whole number of years 0-{MAX_AGE} or null")
    return value


def _code_set(value: Any, name: str, allowed: frozenset[str]) -> frozenset[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ScreeningInputError(name, "must be a list of codes (or left out when unknown)")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise ScreeningInputError(
            name, f"unknown code {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}"
        )
    return frozenset(value)


def _age(value: Any) -> AgeEvidence:
    if value is None:
        return AgeEvidence()
    if not isinstance(value, dict):
        raise ScreeningInputError("age", "must be an object")
    extra = sorted(set(value) - _AGE_KEYS)
    if extra:
        raise ScreeningInputError(f"age.{extra[0]}", "is not a known field")
    basis = value.get("basis") or "unknown"
    if basis not in AGE_BASES:
        raise ScreeningInputError("age.basis", f"must be one of {', '.join(AGE_BASES)}")
    return AgeEvidence(
        years=_optional_age(value.get("years"), "age.years"),
        basis=cast(AgeBasis, basis),
        reasons_to_believe_child=_optional_bool(
            value.get("reasons_to_believe_child"), "age.reasons_to_believe_child"
        ),
        documented_years=_optional_age(value.get("documented_years"), "age.documented_years"),
    )


def _indicators(value: Any, catalogue: Catalogue) -> dict[str, Answer]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ScreeningInputError("indicators", "must be an object of indicator id to answer")
    answers: dict[str, Answer] = {}
    for key, answer in value.items():
        if key not in catalogue.indicators:
            raise ScreeningInputError(f"indicators.{key}", "is not an indicator id")
        answer = "unknown" if answer is None else answer
        if answer not in ANSWERS:
            raise ScreeningInputError(f"indicators.{key}", "must be yes, no or unknown")
        answers[key] = cast(Answer, answer)
    return answers


def parse_input(data: Any, catalogue: Catalogue | None = None) -> ScreeningInput:
    """Validate a JSON-like mapping into a ScreeningInput, naming the first bad field."""
    catalogue = catalogue or load_catalogue()
    if not isinstance(data, dict):
        raise ScreeningInputError("(top level)", "must be a JSON object")
    extra = sorted(set(data) - _TOP_KEYS)
    if extra:
        raise ScreeningInputError(extra[0], "is not a known field")
    profile = data.get("profile")
    if profile is not None and profile not in PROFILES:
        raise ScreeningInputError("profile", f"must be one of {', '.join(PROFILES)}")
    return ScreeningInput(
        age=_age(data.get("age")),
        acts=_code_set(data.get("acts"), "acts", ACTS),
        means=_code_set(data.get("means"), "means", MEANS),
        purposes=_code_set(data.get("purposes"), "purposes", PURPOSES),
        profile=cast("Profile | None", profile),
        indicators=_indicators(data.get("indicators"), catalogue),
        knowingly_bought_entry=_optional_bool(
            data.get("knowingly_bought_entry"), "knowingly_bought_entry"
        ),
    )
