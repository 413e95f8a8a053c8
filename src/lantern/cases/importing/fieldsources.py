"""ODK Central and KoboToolbox submissions of Lantern's intake form, as the import path's rows.

The intake XLSForm (``lantern forms export``) names its questions as ``FIELDS`` and its repeat
groups as ``REPEATS`` say, so that a submission exported by either tool translates back here
without a mapping file. Both tools export the same submission in a few shapes, all read here:

- group paths joined by ``/`` (Kobo, ODK JSON) or ``-`` (ODK CSV), or nested objects (ODK's
  OData JSON): a question is known by its own name, the path's last part;
- repeat groups as lists of objects (JSON exports): the journey's steps and the exploitation
  episodes become ``hte_Events`` and ``ext_Exploitations``;
- select_multiple answers space-separated (both tools) or as lists;
- the submission's instance id (``meta/instanceID``, ODK's ``KEY`` or ``__id``, Kobo's
  ``_uuid``) is the source record id; the registration date, when the form left it blank, is
  the submission's date (``SubmissionDate``, ``_submission_time``).

A row's errors name the form's questions (``journey[1].step_country``), not Lantern's columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lantern.cases.importing.rows import Record, RowError, parse_row
from lantern.cases.importing.sources import Numbered, SourceContext, Translated

#: The intake form's questions and the record column each fills.
FIELDS: dict[str, str] = {
    "registration_date": "cas_RegistrationDate",
    "intake_channel": "cas_IntakeChannel",
    "given_name": "prs_FirstName",
    "family_name": "prs_SecondName",
    "nickname": "ext_Nickname",
    "birthdate": "prs_Birthdate",
    "birthdate_estimated": "ext_BirthdateEstimated",
    "age": "ext_StatedAge",
    "age_evidence": "ext_AgeEvidence",
    "documented_age": "ext_DocumentedAge",
    "gender": "prs_Gender",
    "citizenship": "prs_Citizenship",
    "identity_number": "prs_IdentityNumber",
    "primary_language": "prs_PrimaryLanguage",
    "home_country": "prs_MailingCountry",
    "home_state": "prs_MailingState",
    "home_city": "prs_MailingCity",
    "exploitation_forms": "vic_TypeOfExploitation",
    "age_when_trafficked": "vic_AgeWhenTrafficked",
    "recruitment_method": "vic_MethodOfRecruitment",
    "relationship_to_trafficker": "vic_RelationshipToTrafficker",
    "control_methods": "vic_MethodsOfControl",
    "vulnerabilities": "ext_Vulnerabilities",
    "smuggled": "ext_Smuggled",
    "consent": "con_Consent",
    "tracing_consent": "con_TracingConsent",
}
#: The longest text each column takes (``rows.parse_row``): the form refuses longer answers on
#: the device, where the field worker can still correct them.
TEXT_LIMITS: dict[str, int] = {
    "given_name": 200,
    "family_name": 200,
    "nickname": 200,
    "identity_number": 64,
    "primary_language": 8,
    "home_state": 100,
    "home_city": 100,
    "step_state": 100,
    "step_city": 100,
}
#: Questions answered by select_multiple: space-separated in the exports, ``;`` in the record.
MULTIPLE = frozenset({"citizenship", "exploitation_forms", "control_methods", "vulnerabilities"})
#: Repeat groups: (record column, {question in the repeat: key of the record's JSON item}).
REPEATS: dict[str, tuple[str, dict[str, str]]] = {
    "journey": (
        "hte_Events",
        {
            "step_type": "type",
            "step_date": "date",
            "step_country": "country",
            "step_state": "state",
            "step_city": "city",
            "step_transport": "transport",
            "step_crossing": "crossing",
        },
    ),
    "episodes": (
        "ext_Exploitations",
        {
            "episode_form": "form",
            "episode_isic": "isic",
            "episode_start": "start",
            "episode_end": "end",
            "episode_country": "country",
        },
    ),
}
INSTANCE_ID = ("instanceID", "KEY", "__id", "_uuid")
SUBMITTED = ("SubmissionDate", "submissionDate", "_submission_time")
#: What the tools add to every submission and a record has no place for.
_TOOL_FIELDS = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "username",
        "phonenumber",
        "audit",
        "instanceName",
        "deprecatedID",
        "formhub",
        "uuid",
        "__system",
        "SubmitterID",
        "SubmitterName",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Status",
        "ReviewState",
        "DeviceID",
        "Edits",
        "FormVersion",
    }
)
_COLUMN_TO_FIELD = {column: name for name, column in FIELDS.items()}


def submissions(rows: Iterator[Numbered], context: SourceContext) -> Iterator[Translated]:
    """ODK Central's submission exports (CSV, or JSON with repeats inline) and KoboToolbox's
    (CSV, or the JSON API's ``results``): one form, one reading (sources ``odk`` and ``kobo``)."""
    for n, data in rows:
        yield n, translate(n, data, context)


def question(key: str) -> str:
    """A column or key's question name: the last part of its group path."""
    return key.replace("-", "/").rsplit("/", 1)[-1]


def flatten(data: dict[str, Any]) -> dict[str, Any]:
    """The submission's answers by question name; nested groups (OData) are opened."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and key != "__system":
            out.update(flatten(value))
        elif key == "__system" and isinstance(value, dict):
            out.update({k: v for k, v in value.items() if k in SUBMITTED})
        elif not _choice_column(key):
            out[question(key) if not key.startswith("_") else key] = value
    return out


def _choice_column(key: str) -> bool:
    """Kobo's one column per choice of a select_multiple (``group/citizenship/NPL``)."""
    parts = key.replace("-", "/").split("/")
    return len(parts) >= 2 and parts[-2] in MULTIPLE


def translate(n: int, data: dict[str, Any], context: SourceContext) -> Record | list[RowError]:
    """One submission as a parsed record, or its errors in the form's terms."""
    answers = flatten(data)
    errors: list[RowError] = []
    row: dict[str, Any] = {"agency": context.agency or context.user_agency or ""}
    instance = next((str(answers[k]).strip() for k in INSTANCE_ID if _given(answers.get(k))), "")
    # Kobo's ``_uuid`` is ``meta/instanceID`` without its scheme: one submission, one id.
    row["source_record_id"] = instance.removeprefix("uuid:")
    for name, value in answers.items():
        if name in FIELDS:
            if name in MULTIPLE and isinstance(value, str):
                value = ";".join(value.split())
            row[FIELDS[name]] = value
        elif name in REPEATS:
            column, keys = REPEATS[name]
            items = _repeat(n, name, value, keys, errors)
            row[column] = items
        elif "@odata" in name:
            errors.append(
                RowError(
                    n,
                    name.partition("@")[0],
                    "the repeat's answers are not in the file; "
                    "export the submissions with their repeats ($expand=*)",
                )
            )
        elif not _ignored(name):
            errors.append(RowError(n, name, "unknown question; not one of Lantern's intake form"))
    if not _given(row.get("cas_RegistrationDate")):
        submitted = next((answers[k] for k in SUBMITTED if _given(answers.get(k))), "")
        row["cas_RegistrationDate"] = str(submitted)[:10]
    parsed = parse_row(n, row)
    if isinstance(parsed, list):
        return errors + [RowError(e.row, _in_form_terms(e.field), e.reason) for e in parsed]
    return errors or parsed


def _repeat(
    n: int, name: str, value: Any, keys: dict[str, str], errors: list[RowError]
) -> list[dict[str, Any]]:
    if not _given(value):
        return []
    if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
        errors.append(RowError(n, name, "expected the repeat's answers (a JSON export)"))
        return []
    items = []
    for i, item in enumerate(value, start=1):
        entry: dict[str, Any] = {}
        for key, answer in flatten(item).items():
            if key in keys:
                entry[keys[key]] = answer
            elif not key.startswith("_"):
                errors.append(RowError(n, f"{name}[{i}].{key}", "unknown question in the repeat"))
        items.append(entry)
    return items


def _ignored(name: str) -> bool:
    """What the tools add to every submission."""
    if name.startswith("_") or name in _TOOL_FIELDS or name in INSTANCE_ID or name in SUBMITTED:
        return True
    return name == "PARENT_KEY" or name.endswith("_count")


def _in_form_terms(column: str) -> str:
    """A record column (``hte_Events[2].date``) named as the form asks it."""
    if column in _COLUMN_TO_FIELD:
        return _COLUMN_TO_FIELD[column]
    if column == "source_record_id":
        return "meta/instanceID"
    if column == "agency":
        return "agency (--agency)"
    for repeat, (record_column, keys) in REPEATS.items():
        if column.startswith(record_column + "["):
            head, _sep, key = column.partition("].")
            index = head[len(record_column) :]
            back = {v: k for k, v in keys.items()}
            return f"{repeat}{index}].{back.get(key, key)}"
    return column


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())
