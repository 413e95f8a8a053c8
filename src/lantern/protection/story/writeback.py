"""What a screening established, written back to the case with its provenance.

The screening (``lantern.cases.screening_services``) sends ``case_screened`` inside its
transaction; the exploitative purposes it was given become the case's forms of exploitation
and its acts the case's acts, kept in the history with the source "screening <id>". A
screening only adds: what a caseworker recorded stays, and the history row says so.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from lantern.cases.models import Case, Exploitation, ScreeningResult
from lantern.cases.screening_services import case_screened
from lantern.protection.story.history import record_change
from lantern.screening import ScreeningInput
from lantern.taxonomy import code_list

# Palermo purposes (lantern.screening) -> the case's forms of exploitation (exploitation_forms).
# Forced services have no form of their own: "forced labour or services" is one HTCDS value.
PURPOSE_FORMS = {
    "sexual_exploitation": "sexual_exploitation",
    "forced_labour": "forced_labour",
    "forced_services": "forced_labour",
    "slavery": "slavery_like_practices",
    "slavery_like_practices": "slavery_like_practices",
    "servitude": "servitude",
    "organ_removal": "organ_removal",
    "forced_begging": "forced_begging",
    "forced_criminality": "forced_criminality",
    "forced_marriage": "forced_marriage",
    "illegal_adoption": "illegal_adoption",
    "armed_conflict": "armed_conflict",
}


def _in_list_order(list_name: str, found: set[str]) -> list[str]:
    return [c for c in code_list(list_name).ids() if c in found]


def established(facts: ScreeningInput) -> tuple[list[str], list[str]]:
    """The forms of exploitation and the acts a screening's facts establish."""
    forms = {PURPOSE_FORMS[p] for p in facts.purposes or () if p in PURPOSE_FORMS}
    acts = set(facts.acts or ())
    return _in_list_order("exploitation_forms", forms), _in_list_order("palermo_acts", acts)


@receiver(case_screened)
def write_back(
    sender: Any,
    *,
    user: Any,
    case: Case,
    screening: ScreeningResult,
    facts: ScreeningInput,
    source: str = "",
    **kwargs: Any,
) -> None:
    """Add what the screening established to the case (never removing what is listed)."""
    forms, acts = established(facts)
    if not forms and not acts:
        return
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    before: dict[str, Any] = {
        "forms_of_exploitation": list(case.forms_of_exploitation or []),
        "primary_form": case.primary_form,
        "acts": list(case.acts or []),
    }
    new_forms = before["forms_of_exploitation"] + [
        f for f in forms if f not in before["forms_of_exploitation"]
    ]
    first = Exploitation.objects.filter(case=case).order_by("seq", "pk").first()
    after = {
        "forms_of_exploitation": new_forms,
        "primary_form": first.form if first else (new_forms[0] if new_forms else ""),
        "acts": before["acts"] + [a for a in acts if a not in before["acts"]],
    }
    if after == before:
        return
    case.forms_of_exploitation, case.primary_form = new_forms, after["primary_form"]
    case.acts = after["acts"]
    case.save(update_fields=["forms_of_exploitation", "primary_form", "acts", "updated_at"])
    record_change(
        user,
        case,
        "case.edit",
        "",
        before,
        after,
        source=source,
        note="screening_adds",
        via=f"screening {screening.pk}",
    )
