"""Write every field form to a directory: one .xlsx per form, named by its form id."""

from __future__ import annotations

from pathlib import Path

from lantern.fieldforms import followup, intake, screening
from lantern.fieldforms.xlsform import Form

FORMS = {"intake": intake.build, "screening": screening.build, "followup": followup.build}


def forms(version: str) -> dict[str, Form]:
    return {name: build(version) for name, build in FORMS.items()}


def export(out: Path, version: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    return [form.write(out / f"{form.form_id}.xlsx") for form in forms(version).values()]
