"""The intake form: the child, what happened, the journey and the episodes as repeats.

The child's questions are the intake declaration's (``intake.declaration.CHILD``: names, kinds,
bounds, labels); every question is named as ``fieldsources.FIELDS`` reads it back. Means are
asked only of a known adult: a child's age unknown presumes a child, and the child rule
(Palermo art. 3(c)) needs no means.
"""

from __future__ import annotations

from lantern.cases.importing.fieldsources import FIELDS, TEXT_LIMITS
from lantern.edges.bounds import AGE_MAX
from lantern.fieldforms.wording import text, translated
from lantern.fieldforms.xlsform import Form
from lantern.protection.intake.declaration import CHILD, Field, Kind

NOT_FUTURE = ". <= today()"
#: Known to be 18 or over, from the age or the date of birth; unknown is not an adult.
ADULT = (
    "if((${age} != '' and ${age} >= 18) or (${birthdate} != '' and "
    "decimal-date-time(${registration_date}) - decimal-date-time(${birthdate}) >= 6574.5), "
    "'yes', 'no')"
)


def yes_no(form: Form) -> str:
    return form.choice_list("yes_no", ((k, text(k)) for k in ("yes", "no")))


def _child_question(form: Form, f: Field) -> None:
    label = translated(f.label)
    if f.kind is Kind.DATE:
        form.add(
            "date", f.name, label, constraint=NOT_FUTURE, constraint_message=text("not_future")
        )
    elif f.kind is Kind.INT:
        form.add(
            "integer",
            f.name,
            label,
            constraint=f". >= {f.minimum or 0} and . <= {f.maximum or AGE_MAX}",
            constraint_message=text("age_range"),
        )
    elif f.kind is Kind.CODE and isinstance(f.choices, str):
        form.add(f"select_one {form.code_list(f.choices)}", f.name, label)
    elif f.kind is Kind.COUNTRY:
        form.add(f"select_one {form.countries()}", f.name, label, appearance="autocomplete")
    elif f.kind is Kind.COUNTRIES:
        form.add(f"select_multiple {form.countries()}", f.name, label, appearance="autocomplete")
    else:
        _text(form, f.name, label)


def _text(form: Form, name: str, label: dict[str, str]) -> None:
    limit = TEXT_LIMITS[name]
    form.add(
        "text",
        name,
        label,
        constraint=f"string-length(.) <= {limit}",
        constraint_message={lang: f"{msg} ({limit})" for lang, msg in text("too_long").items()},
    )


def build(version: str) -> Form:
    form = Form("lantern_intake", text("intake"), version)
    yn = yes_no(form)
    form.add(
        "date",
        "registration_date",
        text("registration_date"),
        required=True,
        default="today()",
        constraint=NOT_FUTURE,
        constraint_message=text("not_future"),
    )
    form.add(
        f"select_one {form.code_list('intake_channels')}", "intake_channel", text("intake_channel")
    )
    form.begin("group", "child", text("child"))
    for f in CHILD:
        if f.name in FIELDS:
            _child_question(form, f)
            if f.name == "birthdate":
                form.add(
                    f"select_one {yn}",
                    "birthdate_estimated",
                    text("birthdate_estimated"),
                    relevant="${birthdate} != ''",
                )
    form.add(
        "integer",
        "documented_age",
        text("documented_age"),
        constraint=f". >= 0 and . <= {AGE_MAX}",
        constraint_message=text("age_range"),
    )
    for name in ("home_state", "home_city"):
        _text(form, name, text(name))
    form.end("group", "child")
    form.add("calculate", "adult", calculation=ADULT)

    form.begin("group", "what_happened", text("what_happened"))
    form.add(
        f"select_multiple {form.code_list('exploitation_forms')}",
        "exploitation_forms",
        text("exploitation_forms"),
    )
    form.add(
        "integer",
        "age_when_trafficked",
        text("age_when_trafficked"),
        constraint=f". >= 0 and . <= {AGE_MAX} and (${{age}} = '' or . <= ${{age}})",
        constraint_message=text("not_older"),
    )
    for name, codes in (
        ("recruitment_method", "recruitment_methods"),
        ("relationship_to_trafficker", "relationship_to_trafficker"),
    ):
        form.add(f"select_one {form.code_list(codes)}", name, text(name))
    form.add(
        f"select_multiple {form.code_list('vulnerability_factors')}",
        "vulnerabilities",
        text("vulnerabilities"),
    )
    form.add(f"select_one {yn}", "smuggled", text("smuggled"))
    form.end("group", "what_happened")

    form.begin(
        "group", "means", text("means"), relevant="${adult} = 'yes'", hint=text("means_hint")
    )
    form.add(
        f"select_multiple {form.code_list('control_methods')}",
        "control_methods",
        text("control_methods"),
    )
    form.end("group", "means")

    _journey(form)
    _episodes(form)
    # Exported beside the submission, so that an export without the repeats is caught.
    for repeat in ("journey", "episodes"):
        form.add("calculate", f"{repeat}_count", calculation=f"count(${{{repeat}}})")
    for name in ("consent", "tracing_consent"):
        form.add(f"select_one {yn}", name, text(name))
    return form


def _journey(form: Form) -> None:
    crossings = form.choice_list("crossings", ((k, text(k)) for k in ("legal", "illegal")))
    form.begin("repeat", "journey", text("journey"))
    form.add(
        f"select_one {form.code_list('event_types')}", "step_type", text("step_type"), required=True
    )
    form.add(
        "date",
        "step_date",
        text("step_date"),
        constraint=f"{NOT_FUTURE} and (${{birthdate}} = '' or . >= ${{birthdate}})",
        constraint_message=text("after_birth"),
    )
    form.add(
        f"select_one {form.countries()}",
        "step_country",
        text("step_country"),
        appearance="autocomplete",
    )
    _text(form, "step_state", text("step_state"))
    _text(form, "step_city", text("step_city"))
    form.add(
        f"select_one {form.code_list('transport_modes')}", "step_transport", text("step_transport")
    )
    form.add(f"select_one {crossings}", "step_crossing", text("step_crossing"))
    form.end("repeat", "journey")


def _episodes(form: Form) -> None:
    form.begin("repeat", "episodes", text("episodes"))
    form.add(
        f"select_one {form.code_list('exploitation_forms')}",
        "episode_form",
        text("episode_form"),
        required=True,
    )
    form.add(f"select_one {form.code_list('isic_sections')}", "episode_isic", text("episode_isic"))
    form.add(
        "date",
        "episode_start",
        text("episode_start"),
        constraint=NOT_FUTURE,
        constraint_message=text("not_future"),
    )
    form.add(
        "date",
        "episode_end",
        text("episode_end"),
        constraint=f"{NOT_FUTURE} and (${{episode_start}} = '' or . >= ${{episode_start}})",
        constraint_message=text("end_after_start"),
    )
    form.add(
        f"select_one {form.countries()}",
        "episode_country",
        text("episode_country"),
        appearance="autocomplete",
    )
    form.end("repeat", "episodes")
