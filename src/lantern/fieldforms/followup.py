"""The follow-up visit form: the wellbeing instrument's five scores and the re-trafficking risk,
as a follow-up visit records them (``protection.followup``)."""

from __future__ import annotations

from lantern.cases.models import Level
from lantern.fieldforms.wording import text, translated
from lantern.fieldforms.xlsform import Form
from lantern.protection.followup.models import WellbeingItem


def build(version: str) -> Form:
    form = Form("lantern_followup", text("followup"), version)
    risks = form.choice_list("risk_levels", ((lv.value, translated(lv.label)) for lv in Level))
    form.add("end", "end")  # when the form was finished: the visit's time, that day
    form.add("text", "case_reference", text("case_reference"), required=True)
    form.add(
        "date",
        "visit_date",
        text("visit_date"),
        required=True,
        default="today()",
        constraint=". <= today()",
        constraint_message=text("not_future"),
    )
    form.begin("group", "wellbeing", text("wellbeing"))
    for item in WellbeingItem:
        form.add(
            "integer",
            item.value,
            translated(item.label),
            constraint=". >= 0 and . <= 4",
            constraint_message=text("score"),
        )
    form.end("group", "wellbeing")
    form.add(f"select_one {risks}", "retrafficking_risk", text("retrafficking_risk"))
    form.add("text", "notes", text("notes"), appearance="multiline")
    return form
