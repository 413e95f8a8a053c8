"""The screening form: the age, the Palermo elements and the ILO/EC indicators.

Its answers are the screening core's input (``lantern.screening``: acts, means, purposes,
indicators yes / no / unknown). The means, and the indicators of coercion and abuse at the
destination (D5, D6), are asked only of a known adult: the child rule needs act and purpose.
"""

from __future__ import annotations

from lantern import taxonomy
from lantern.edges.bounds import AGE_MAX
from lantern.fieldforms.wording import text
from lantern.fieldforms.xlsform import Form, same
from lantern.screening import checklist
from lantern.screening.vocabulary import AGE_BASES, DESTINATION_MEANS_DIMENSIONS
from lantern.taxonomy import LANGUAGES

ADULT = "${age} != '' and ${age} >= 18"


def build(version: str) -> Form:
    form = Form("lantern_screening", text("screening"), version)
    answers = form.choice_list("answers", ((k, text(k)) for k in ("yes", "no", "unknown")))
    bases = form.choice_list(
        "age_bases",
        ((b, text("unknown") if b == "unknown" else _basis(b)) for b in AGE_BASES),
    )
    form.add("end", "end")  # when the form was finished: the screening's time
    form.add("text", "case_reference", text("case_reference"), required=True)
    form.add(
        "integer",
        "age",
        text("age"),
        constraint=f". >= 0 and . <= {AGE_MAX}",
        constraint_message=text("age_range"),
    )
    form.add(f"select_one {bases}", "age_basis", text("age_basis"))
    form.add(
        f"select_one {answers}",
        "reasons_to_believe_child",
        text("reasons_to_believe_child"),
        relevant="${age} = '' or ${age_basis} = 'unknown'",
    )
    form.add("calculate", "adult", calculation=f"if({ADULT}, 'yes', 'no')")
    form.add(f"select_multiple {form.code_list('palermo_acts')}", "acts", text("acts"))
    form.begin(
        "group", "means_group", text("means"), relevant="${adult} = 'yes'", hint=text("means_hint")
    )
    form.add(f"select_multiple {form.code_list('palermo_means')}", "means", text("means"))
    form.end("group", "means_group")
    form.add(f"select_multiple {form.code_list('palermo_purposes')}", "purposes", text("purposes"))
    form.begin("group", "indicators", text("indicators"))
    seen: set[str] = set()
    for profile in ("child_labour", "adult_labour"):
        for item in checklist(profile):
            if item.indicator_id in seen:
                continue
            seen.add(item.indicator_id)
            adults_only = (
                item.dimension in DESTINATION_MEANS_DIMENSIONS or profile != "child_labour"
            )
            form.add(
                f"select_one {answers}",
                item.indicator_id.replace(".", "_"),
                same(item.question),
                relevant="${adult} = 'yes'" if adults_only else None,
            )
    form.end("group", "indicators")
    return form


def _basis(basis: str) -> dict[str, str]:
    """An age basis in the words of the age evidence list (the same ids)."""
    code = taxonomy.code_list("age_evidence").get(basis)
    return {lang: code.label(lang) for lang in LANGUAGES}
