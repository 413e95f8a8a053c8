"""One ODK or Kobo submission's answers, whatever shape the export gave it.

The same submission arrives as flat columns with group paths joined by ``/`` (Kobo, ODK's JSON)
or ``-`` (ODK's CSV), as nested objects (ODK's OData), with its repeat groups as lists of
objects (the JSON exports, and the linked tables ``linked`` joins), or as Kobo's legacy
``journey[2]/step_type`` columns. Here it becomes answers by question name (the last part of a
path), each with the path it came by, so that an error names what the file holds.

A key the form does not ask is an error naming its full path with the nearest question the
form has ("child/favourite_colour: unknown question; did you mean …?"), unless the import is
told to ignore unknown columns: nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lantern.cases.importing.reasons import nearest
from lantern.cases.importing.rows import RowError

INSTANCE_ID = ("instanceID", "KEY", "__id", "_uuid")
#: The instance id an edited version replaces (OpenRosa's ``meta/deprecatedID``).
DEPRECATED_ID = "deprecatedID"
#: The submission's first instance id, kept by the tool across edits: Kobo's
#: ``meta/rootUuid``, ODK Central's ``KEY`` (CSV) and ``__id`` (OData), which name the
#: submission while ``meta/instanceID`` names its current version.
ROOT_ID = ("rootUuid", "KEY", "__id")
SUBMITTED = ("SubmissionDate", "submissionDate", "_submission_time")
#: What the tools add to every submission and no form question answers.
TOOL_FIELDS = frozenset(
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
        "rootUuid",
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
        "PARENT_KEY",
        *INSTANCE_ID,
        *SUBMITTED,
    }
)
_LEGACY_REPEAT = re.compile(r"^(?P<name>[A-Za-z_][\w.]*)\[(?P<index>\d+)\]$")


@dataclass
class Answers:
    """A submission's answers by question name, the path each came by, its repeat groups'
    entries (each an ``Answers``), and what could not be read."""

    values: dict[str, Any] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    repeats: dict[str, list[Answers]] = field(default_factory=dict)
    #: Keys given as a repeat but not as a list of entries (an export without its repeats).
    unreadable: dict[str, str] = field(default_factory=dict)

    def put(self, path: str, value: Any) -> None:
        name = path.rsplit("/", 1)[-1]
        self.values[name], self.paths[name] = value, path


def question(key: str) -> str:
    """A column or key's question name: the last part of its group path."""
    return key.replace("-", "/").rsplit("/", 1)[-1]


def read(data: dict[str, Any], repeats: Collection[str], multiple: Collection[str]) -> Answers:
    """``data`` (one submission, or one repeat entry) as answers; ``repeats`` names the form's
    repeat groups, ``multiple`` its select_multiple questions (Kobo adds a 0/1 column per
    choice beside the answer: ``group/citizenship/NPL``, which is not an answer of its own)."""
    out = Answers()
    legacy: dict[str, dict[int, dict[str, Any]]] = {}
    for key, value in _flat(data):
        if key.startswith("SET-OF-") or "@odata" in key:
            if "@odata" in key:
                out.unreadable[key.partition("@")[0]] = "odata"
            continue
        parts = key.replace("-", "/").split("/") if not key.startswith("_") else [key]
        found = next((i for i, p in enumerate(parts) if _LEGACY_REPEAT.match(p)), None)
        match = _LEGACY_REPEAT.match(parts[found]) if found is not None else None
        if found is not None and match is not None:  # Kobo's legacy CSV: journey[2]/step_type
            entry = legacy.setdefault(match["name"], {}).setdefault(int(match["index"]), {})
            entry["/".join(parts[found + 1 :])] = value
            continue
        name = parts[-1]
        if len(parts) >= 2 and parts[-2] in multiple:
            continue
        if name in repeats and isinstance(value, list):
            out.repeats[name] = [
                read(item, repeats, multiple) if isinstance(item, dict) else _not_an_entry(item)
                for item in value
            ]
        elif name in repeats and _given(value):
            out.unreadable[name] = "not_a_list"
        else:
            out.put("/".join(parts), value)
    for name, entries in legacy.items():
        out.repeats[name] = [read(entries[i], repeats, multiple) for i in sorted(entries)]
    return out


def unknown(
    n: int,
    answers: Answers,
    known: Collection[str],
    repeat_known: Mapping[str, Collection[str]],
    dropped: dict[str, str] | None = None,
) -> list[RowError]:
    """Each answer the form does not ask, by its full path, with the nearest question; none
    when ``dropped`` collects them instead (``--ignore-unknown-columns``: path -> nearest)."""
    errors = [
        _unknown(n, answers.paths[name], name, known)
        for name in answers.values
        if name not in known and not ignored(name)
    ]
    for repeat, entries in answers.repeats.items():
        keys = repeat_known.get(repeat, ())
        for i, entry in enumerate(entries, start=1):
            errors += [
                _unknown(n, f"{repeat}[{i}].{_within(repeat, entry.paths[name])}", name, keys)
                for name in entry.values
                if name not in keys and not ignored(name)
            ]
    if dropped is None:
        return errors
    for e in errors:
        path = re.sub(r"\[\d+\]", "[]", e.field)
        dropped.setdefault(path, e.reason.partition("did you mean ")[2].rstrip("?"))
    return []


def ignored(name: str) -> bool:
    """What the tools add to every submission (``_id``, ``meta/instanceID``, ``deviceid``…)."""
    return name.startswith("_") or name in TOOL_FIELDS


def instance_id(answers: Answers) -> str:
    """The submission's instance id, without the ``uuid:`` scheme Kobo's ``_uuid`` lacks: one
    submission, one id, from whichever export."""
    found = next((str(answers.values[k]).strip() for k in INSTANCE_ID if _has(answers, k)), "")
    return found.removeprefix("uuid:")


def deprecated_id(answers: Answers) -> str:
    """The instance id this version replaces (an edit), without ``uuid:``; '' for none."""
    return _id(answers, (DEPRECATED_ID,))


def root_id(answers: Answers) -> str:
    """The submission's first instance id when this version is not it (an edit), else ''."""
    found = _id(answers, ROOT_ID)
    return "" if found == instance_id(answers) else found


def _id(answers: Answers, keys: Iterable[str]) -> str:
    found = next((str(answers.values[k]).strip() for k in keys if _has(answers, k)), "")
    return found.removeprefix("uuid:")


def submitted(answers: Answers) -> str:
    """When the server received the submission (ISO text), or ''."""
    return next((str(answers.values[k]) for k in SUBMITTED if _has(answers, k)), "")


def given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


_given = given


def _has(answers: Answers, key: str) -> bool:
    return given(answers.values.get(key))


def _unknown(n: int, path: str, name: str, known: Iterable[str]) -> RowError:
    return RowError(n, path, "unknown question" + nearest(name, list(known)))


def _within(repeat: str, path: str) -> str:
    """An entry's key without its repeat's own path (Kobo repeats it: ``journey/step_type``)."""
    return path.rsplit(f"{repeat}/", 1)[-1]


def _not_an_entry(item: Any) -> Answers:
    out = Answers()
    out.put("(entry)", item)
    return out


def _flat(data: dict[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    """Keys and values with nested objects (OData's groups) opened into paths; ODK's
    ``__system`` gives only its submission date."""
    for key, value in data.items():
        if key == "__system" and isinstance(value, dict):
            yield from ((k, v) for k, v in value.items() if k in SUBMITTED)
        elif isinstance(value, dict):
            yield from _flat(value, f"{prefix}{key}/")
        else:
            yield f"{prefix}{key}", value
