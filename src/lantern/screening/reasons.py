"""Reasons and recommendations as message templates with stable ids.

Each sentence is built from a template id and its parameters (codes, counts; never anything
that identifies a person), so a later step can translate the template with Django's gettext and
re-render the same parameters in another language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

TEMPLATES: dict[str, str] = {
    # age
    "age_child_evidence": "The person is a child: age {years} ({basis}), under 18.",
    "age_adult_evidence": "The person is an adult: age {years} ({basis}), 18 or over.",
    "age_presumed_minor": (
        "Age is uncertain and there are reasons to believe the person is a child, so the person "
        "is presumed a child until the age is verified (CETS 197 art. 10(3))."
    ),
    "age_undetermined": (
        "Age is unknown and nothing yet says the person is a child; whether the child or the "
        "adult rules apply is undetermined."
    ),
    "document_age_conflict": (
        "A document states {documented_years} but the person's age is {years}: the person is "
        "treated as a child and the document should be checked as possibly false."
    ),
    "age_evidence_conflict": (
        "The age evidence disagrees ({years} and a documented {documented_years}); at least one "
        "figure is under 18, so the person is treated as a child."
    ),
    # elements
    "act_established": "An act is established: {acts}.",
    "act_from_recruitment_dimension": (
        "Recruitment took place: a recruitment dimension ({dimensions}) is positive."
    ),
    "act_none": "It is established that no act (recruitment, transport, transfer, harbouring, "
    "receipt) took place.",
    "act_unknown": "Whether an act (recruitment, transport, transfer, harbouring, receipt) took "
    "place is not yet known.",
    "purpose_established": "An exploitative purpose is established: {purposes}. Purpose is "
    "intent; exploitation need not have happened yet.",
    "purpose_from_d4": "Exploitative conditions were found (D4 positive), which establishes the "
    "exploitative purpose.",
    "purpose_none": "It is established that there was no exploitative purpose.",
    "purpose_unknown": "Whether there was an exploitative purpose is not yet known.",
    "means_not_required": "For a child the means are not required (Palermo art. 3(c)); any "
    "means found are kept as evidence against the perpetrators.",
    "means_established": "Means are established: {means}.",
    "means_from_dimensions": "Means are shown by positive dimensions ({dimensions}).",
    "means_none": "It is established that no means (threat, force, deception, abuse, "
    "payments) were used.",
    "means_unknown": "Whether means (threat, force, deception, abuse, payments) were used is not "
    "yet known.",
    # outcome
    "child_trafficking": "A child, an act and an exploitative purpose: this is child "
    "trafficking under Palermo art. 3(c), whatever the child's or family's consent.",
    "adult_trafficking": "An act, means and an exploitative purpose: this is trafficking under "
    "Palermo art. 3(a); consent is irrelevant once means are used (art. 3(b)).",
    "not_trafficking": "On the present facts this is not trafficking: {missing} established "
    "as absent.",
    "trafficking_undetermined": "Trafficking cannot be decided yet; still unknown: {missing}.",
    # dimensions
    "dimension_positive": "{dimension} ({label}) is positive: {strong} strong, {medium} "
    "medium, {weak} weak indicator(s) present.",
    "dimension_insufficient": "{dimension} ({label}) could still turn positive: {unknown} "
    "relevant indicator(s) are unknown.",
    "indicator_not_in_profile": "Indicator {indicator} is not in the {profile} list and is "
    "not counted.",
    "ilo_child_victim": "ILO/EC child rule (act and D4): {value}.",
    "ilo_child_victim_strict": "ILO/EC stricter child reading ((D1 or D2 or D3) and D4): {value}.",
    "ilo_adult_victim": "ILO/EC adult rule ((D1 or D2 or D3) and D4 and (D5 or D6)): {value}.",
    "profile_derived": "Indicator list {profile} was chosen from the age and purposes.",
    "profile_age_mismatch": "The indicator list {profile} does not match the person's age "
    "group; its weights are used as given.",
    # smuggling, non-punishment, provenance
    "smuggling": "The passage was knowingly bought and no exploitation is established: this "
    "is smuggling for now. Re-screen when new facts arrive; a smuggled person who is exploited "
    "is a trafficking victim.",
    "smuggling_became_trafficking": "The passage was knowingly bought, but exploitation is "
    "established: this is trafficking, not only smuggling.",
    "non_punishment": "{grounds}: this never makes the {person} an offender; do not detain, "
    "fine or prosecute for it (non-punishment principle).",
    "provisional": "Provisional: the indicator weights ({source}) are not yet verified against "
    "the published brochure.",
    "provisional_profile": "Provisional weights for {profile}: {note}.",
}

RECOMMENDATIONS: dict[str, str] = {
    "child_victim": "Treat as a child victim of trafficking: refer to child protection "
    "services now and remove the child from the situation without delay; do not detain or "
    "prosecute the child. The child's or family's consent does not change this.",
    "child_possible_victim": "Treat as a possible child victim: protect the child now (safe "
    "place, guardian, child protection referral) and gather the missing facts ({missing}); "
    "do not detain or prosecute the child.",
    "child_smuggled": "Protect the child as a separated child in need of care and refer to "
    "child protection services; re-screen as soon as new facts arrive, because a smuggled "
    "child who is exploited is a trafficking victim. Do not detain or prosecute the child.",
    "child_not_trafficked": "Not child trafficking on the present facts: assess the child's "
    "other protection needs (child labour, abuse, separation from family) and re-screen if "
    "new facts arrive.",
    "adult_victim": "Treat as a presumed victim of trafficking: offer referral to victim "
    "assistance (safe shelter, health care, legal advice, a recovery and reflection period) "
    "with informed consent; do not prosecute for offences the person was compelled to commit.",
    "adult_possible_victim": "Treat as a possible victim: offer assistance and referral with "
    "informed consent, and gather the missing facts ({missing}).",
    "adult_smuggled": "Handle as a smuggled migrant with access to protection and legal "
    "advice; re-screen if signs of deception, coercion or exploitation appear.",
    "adult_not_trafficked": "Not trafficking on the present facts: refer to other services "
    "the person asks for and re-screen if new facts arrive.",
    "age_first": "Establish the age first: if there is any reason to believe the person is "
    "under 18, presume a child and follow the child procedure. Meanwhile: {then}",
}


@dataclass(frozen=True, slots=True)
class TemplateReason:
    """One explained step: a template id, its parameters and the English text, read from the
    subclass's ``templates`` (screening's here; the organised-crime flag's in networks)."""

    templates: ClassVar[Mapping[str, str]] = {}
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.templates[self.code].format(**self.params)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "text": self.text, "params": dict(self.params)}


@dataclass(frozen=True, slots=True)
class Reason(TemplateReason):
    """One explained step of a screening decision."""

    templates: ClassVar[Mapping[str, str]] = TEMPLATES


@dataclass(frozen=True, slots=True)
class Recommendation:
    """The action proposed to the caseworker, as a template id with parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    then: Recommendation | None = None  # the action to take meanwhile (used by "age_first")

    @property
    def text(self) -> str:
        params = dict(self.params)
        if self.then is not None:
            params["then"] = self.then.text
        return RECOMMENDATIONS[self.code].format(**params)

    @property
    def codes(self) -> list[str]:
        return [self.code, *(self.then.codes if self.then else [])]
