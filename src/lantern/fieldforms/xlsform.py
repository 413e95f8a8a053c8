"""An XLSForm being built: its survey rows, its choice lists and its settings, written as .xlsx.

Every label is a mapping of language to text; a column ``label::English (en)`` is written for
each language of ``LANGUAGES`` (ODK and Kobo show the device's language when it is one of them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lantern import taxonomy
from lantern.taxonomy import LANGUAGES

Text = Mapping[str, str]
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}


def column(kind: str, lang: str) -> str:
    return f"{kind}::{LANGUAGE_NAMES[lang]} ({lang})"


def same(text: str) -> dict[str, str]:
    """A text that reads the same in every language (a code, a number)."""
    return dict.fromkeys(LANGUAGES, text)


@dataclass
class Form:
    form_id: str
    title: Text
    version: str
    survey: list[dict[str, Any]] = field(default_factory=list)
    choices: dict[str, list[tuple[str, Text]]] = field(default_factory=dict)

    def add(self, kind: str, name: str, label: Text | None = None, **extra: Any) -> None:
        self.survey.append({"type": kind, "name": name, "label": label, **extra})

    def begin(self, kind: str, name: str, label: Text, **extra: Any) -> None:
        self.add(f"begin_{kind}", name, label, **extra)

    def end(self, kind: str, name: str) -> None:
        self.add(f"end_{kind}", name)

    def choice_list(self, name: str, items: Iterable[tuple[str, Text]]) -> str:
        if name not in self.choices:
            self.choices[name] = list(items)
        return name

    def code_list(self, list_name: str) -> str:
        """A taxonomy code list as a choice list of the same name, labelled in each language."""
        codes = taxonomy.code_list(list_name)
        return self.choice_list(
            list_name, ((c.id, {lang: c.label(lang) for lang in LANGUAGES}) for c in codes)
        )

    def countries(self) -> str:
        return self.choice_list(
            "countries",
            (
                (c.alpha3, {lang: c.name(lang) for lang in LANGUAGES})
                for c in taxonomy.all_countries()
            ),
        )

    def write(self, path: Path) -> Path:
        from openpyxl import Workbook

        wb = Workbook()
        survey = wb.active
        survey.title = "survey"
        header = ["type", "name"]
        header += [column(k, lang) for k in ("label", "hint") for lang in LANGUAGES]
        header += ["required", "relevant", "constraint", "calculation", "default", "appearance"]
        header += [column("constraint_message", lang) for lang in LANGUAGES]
        header += ["repeat_count"]
        survey.append(header)
        for row in self.survey:
            survey.append([_cell(row, h) for h in header])
        choices = wb.create_sheet("choices")
        choices.append(["list_name", "name", *(column("label", lang) for lang in LANGUAGES)])
        for list_name, items in self.choices.items():
            for name, label in items:
                choices.append([list_name, name, *(label[lang] for lang in LANGUAGES)])
        settings = wb.create_sheet("settings")
        settings.append(["form_title", "form_id", "version", "default_language"])
        settings.append([self.title["en"], self.form_id, self.version, column("label", "en")[7:]])
        wb.save(path)
        return path


def _cell(row: Mapping[str, Any], header: str) -> Any:
    kind, _sep, lang = header.partition("::")
    if lang:
        text = row.get(kind)
        return text[lang[-3:-1]] if text else None
    value = row.get(header)
    return "yes" if value is True else value
