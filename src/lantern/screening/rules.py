"""Palermo art. 3 and the ILO/EC operational indicators as one explained decision.

Child: act and exploitative purpose (art. 3(c), means not required). Adult: act, means and
purpose (art. 3(a)). Purpose is intent, so a child intercepted before exploitation is still
trafficked; exploitative conditions found (D4 positive) establish the purpose. The ILO/EC
combinations are reported beside the legal test: child = act and D4 (also the stricter
(D1 or D2 or D3) and D4); adult = (D1 or D2 or D3) and D4 and (D5 or D6).
"""

from __future__ import annotations

from typing import Any, Literal, cast

from lantern.screening.age import AgeFinding, assess_age
from lantern.screening.catalogue import Catalogue, load_catalogue
from lantern.screening.dimensions import DimensionFinding, assess_dimensions
from lantern.screening.inputs import ScreeningInput
from lantern.screening.logic import Tri, tri_and, tri_or
from lantern.screening.reasons import Reason, Recommendation
from lantern.screening.result import Elements, ScreeningResult
from lantern.screening.vocabulary import (
    RECRUITMENT_DIMENSIONS,
    RULESET_VERSION,
    Answer,
    Dimension,
    Profile,
    Trafficking,
)

_MEANS_DIMENSIONS: tuple[Dimension, ...] = ("D1", "D2", "D3", "D5", "D6")
_ELEMENT_TRI: dict[Answer, Tri] = {"yes": True, "no": False, "unknown": None}
_DIMENSION_TRI: dict[str, Tri] = {"positive": True, "not_positive": False}
_TRAFFICKING: dict[Tri, Trafficking] = {True: "yes", False: "no", None: "undetermined"}


def _choose_profile(
    given: Profile | None, is_child: bool | None, purposes: frozenset[str] | None
) -> tuple[Profile, Literal["given", "derived"]]:
    if given is not None:
        return given, "given"
    group = "adult" if is_child is False else "child"  # undetermined age: protective default
    form = "sexual" if purposes and "sexual_exploitation" in purposes else "labour"
    return cast(Profile, f"{group}_{form}"), "derived"


def _element(
    stated: frozenset[str] | None,
    shown_by: list[Dimension],
    codes: tuple[str, str, str, str],
    reasons: list[Reason],
    key: str,
) -> Answer:
    """yes if stated or shown by a positive dimension; no only if stated as none."""
    yes, from_dims, none, unknown = codes
    if stated:
        reasons.append(Reason(yes, {key: ", ".join(sorted(stated))}))
        return "yes"
    if shown_by:
        reasons.append(Reason(from_dims, {"dimensions": ", ".join(shown_by)}))
        return "yes"
    if stated is not None:
        reasons.append(Reason(none))
        return "no"
    reasons.append(Reason(unknown))
    return "unknown"


def _non_punishment_grounds(facts: ScreeningInput, profile: Profile, age: AgeFinding) -> list[str]:
    purposes = facts.purposes or frozenset()
    yes = {k for k, v in facts.indicators.items() if v == "yes"}
    grounds = []
    if "forced_criminality" in purposes or "D5.illicit_activities" in yes:
        grounds.append("forced criminality")
    if "forced_begging" in purposes:
        grounds.append("forced begging")
    if "sexual_exploitation" in purposes or profile.endswith("_sexual"):
        grounds.append("prostitution")
    if (
        facts.knowingly_bought_entry
        or "D3.illegal_status" in yes
        or "document_age_conflict" in age.flags
    ):
        grounds.append("illegal entry, stay or documents")
    return grounds


def _recommend(
    is_child: bool | None, trafficking: Trafficking, smuggling: bool, missing: list[str]
) -> Recommendation:
    group = "adult" if is_child is False else "child"
    if trafficking == "yes":
        action = Recommendation(f"{group}_victim")
    elif smuggling:
        action = Recommendation(f"{group}_smuggled")
    elif trafficking == "undetermined":
        action = Recommendation(f"{group}_possible_victim", {"missing": ", ".join(missing)})
    else:
        action = Recommendation(f"{group}_not_trafficked")
    if is_child is None:
        return Recommendation("age_first", then=action)
    return action


def screen(facts: ScreeningInput, catalogue: Catalogue | None = None) -> ScreeningResult:
    """Screen one situation; pure and deterministic, every step recorded as a Reason."""
    catalogue = catalogue or load_catalogue()
    age = assess_age(facts.age)
    is_child = age.is_child
    reasons: list[Reason] = list(age.reasons)
    flags: list[str] = list(age.flags)

    profile, profile_source = _choose_profile(facts.profile, is_child, facts.purposes)
    provisional = not catalogue.verified or profile in catalogue.provisional_profiles
    if not catalogue.verified:
        reasons.append(Reason("provisional", {"source": catalogue.source}))
    if profile in catalogue.provisional_profiles:
        note = catalogue.provisional_profiles[profile]
        reasons.append(Reason("provisional_profile", {"profile": profile, "note": note}))
    if profile_source == "derived":
        reasons.append(Reason("profile_derived", {"profile": profile}))
    elif is_child is not None and profile.startswith("child") != is_child:
        flags.append("profile_age_mismatch")
        reasons.append(Reason("profile_age_mismatch", {"profile": profile}))
    for indicator_id, answer in sorted(facts.indicators.items()):
        if answer == "yes" and catalogue.indicators[indicator_id].strength(profile) is None:
            reasons.append(
                Reason("indicator_not_in_profile", {"indicator": indicator_id, "profile": profile})
            )

    dims = assess_dimensions(facts.indicators, catalogue, profile)
    positive = [d for d, f in dims.items() if f.result == "positive"]
    act = _element(
        facts.acts,
        [d for d in positive if d in RECRUITMENT_DIMENSIONS],
        ("act_established", "act_from_recruitment_dimension", "act_none", "act_unknown"),
        reasons,
        "acts",
    )
    purpose = _element(
        facts.purposes,
        [d for d in positive if d == "D4"],
        ("purpose_established", "purpose_from_d4", "purpose_none", "purpose_unknown"),
        reasons,
        "purposes",
    )
    means_reasons: list[Reason] = []
    means = _element(
        facts.means,
        [d for d in positive if d in _MEANS_DIMENSIONS],
        ("means_established", "means_from_dimensions", "means_none", "means_unknown"),
        means_reasons,
        "means",
    )
    if is_child is True:
        reasons.append(Reason("means_not_required"))
    reasons.extend(means_reasons)  # kept for a child too: it decides the perpetrator's charge

    reasons.extend(_dimension_reasons(dims))
    d = {k: _DIMENSION_TRI.get(f.result) for k, f in dims.items()}
    act_t, means_t, purpose_t = _ELEMENT_TRI[act], _ELEMENT_TRI[means], _ELEMENT_TRI[purpose]
    recruitment = tri_or(d["D1"], d["D2"], d["D3"])
    ilo_child: Tri = tri_and(act_t, d["D4"])
    ilo_child_strict: Tri = tri_and(recruitment, d["D4"])
    ilo_adult: Tri = tri_and(recruitment, d["D4"], tri_or(d["D5"], d["D6"]))
    if is_child is True:
        ilo_adult = None
    elif is_child is False:
        ilo_child = ilo_child_strict = None
    for code, value, applies in (
        ("ilo_child_victim", ilo_child, is_child is not False),
        ("ilo_child_victim_strict", ilo_child_strict, is_child is not False),
        ("ilo_adult_victim", ilo_adult, is_child is not True),
    ):
        if applies:
            reasons.append(Reason(code, {"value": _tri_word(value)}))

    child_rule = tri_and(act_t, purpose_t)
    adult_rule = tri_and(act_t, means_t, purpose_t)
    if is_child is True:
        decided = child_rule
    elif is_child is False:
        decided = adult_rule
    else:
        decided = child_rule if child_rule == adult_rule else None
    trafficking = _TRAFFICKING[decided]

    needed = {"act": act, "purpose": purpose}
    if is_child is not True:
        needed["means"] = means
    missing = [k for k, v in needed.items() if v == "unknown"]
    if is_child is None and trafficking == "undetermined" and child_rule != adult_rule:
        missing.append("age")
    if trafficking == "yes":
        reasons.append(Reason("child_trafficking" if is_child else "adult_trafficking"))
    elif trafficking == "no":
        absent = [k for k, v in needed.items() if v == "no"]
        reasons.append(Reason("not_trafficking", {"missing": ", ".join(absent)}))
    else:
        reasons.append(Reason("trafficking_undetermined", {"missing": ", ".join(missing)}))

    smuggling = bool(facts.knowingly_bought_entry) and trafficking != "yes" and purpose != "yes"
    if smuggling:
        reasons.append(Reason("smuggling"))
    elif facts.knowingly_bought_entry and trafficking == "yes":
        reasons.append(Reason("smuggling_became_trafficking"))
    if smuggling or trafficking == "undetermined":
        flags.append("rescreen")

    if is_child is True or trafficking == "yes":
        grounds = _non_punishment_grounds(facts, profile, age)
        if grounds:
            flags.append("non_punishment")
            person = "child" if is_child else "person"
            text = "; ".join(grounds).capitalize()
            reasons.append(Reason("non_punishment", {"grounds": text, "person": person}))

    return ScreeningResult(
        ruleset_version=RULESET_VERSION,
        provisional=provisional,
        is_child=is_child,
        age_basis=age.basis,
        trafficking=trafficking,
        elements=Elements(
            act=act, means="not_required" if is_child is True else means, purpose=purpose
        ),
        dimensions=tuple(dims.values()),
        ilo_child_victim=ilo_child,
        ilo_child_victim_strict=ilo_child_strict,
        ilo_adult_victim=ilo_adult,
        smuggling=smuggling,
        flags=tuple(flags),
        profile=profile,
        profile_source=profile_source,
        reasons=tuple(reasons),
        recommendation=_recommend(is_child, trafficking, smuggling, missing),
    )


def _tri_word(value: Tri) -> str:
    return _TRAFFICKING[value]


def _dimension_reasons(dims: dict[Dimension, DimensionFinding]) -> list[Reason]:
    out = []
    params: dict[str, Any]
    for f in dims.values():
        if f.result == "positive":
            params = {"dimension": f.dimension, "label": f.label}
            counts = {"strong": f.strong, "medium": f.medium, "weak": f.weak}
            out.append(Reason("dimension_positive", params | counts))
        elif f.result == "insufficient_data":
            params = {"dimension": f.dimension, "label": f.label, "unknown": f.unknown}
            out.append(Reason("dimension_insufficient", params))
    return out
