"""Submissions shaped as ODK Central and KoboToolbox export them, built from the forms
`lantern forms export` writes (each question under its group path), and the import command.

The shapes followed (docs/field-forms.md): ODK Central's CSV (group paths joined by ``-``,
``KEY``, ``SubmissionDate``), its CSV zip (``<form>-<repeat>.csv`` with ``PARENT_KEY``/``KEY``),
its OData JSON (groups nested, repeats inline with ``$expand=*``); KoboToolbox's CSV (``;``,
paths joined by ``/``, a 0/1 column per choice), its XLSX (a sheet per repeat, ``_index``,
``_parent_table_name``, ``_parent_index``, ``_submission__uuid``) and its data API JSON.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner, Result

from lantern import cli

Paths = dict[str, tuple[str, ...]]


def export_forms(out: Path) -> dict[str, Paths]:
    """Run `lantern forms export`; each form's questions with their group paths."""
    cli._register()
    res = CliRunner().invoke(cli.app, ["forms", "export", "--out", str(out)])
    assert res.exit_code == 0, (res.output, res.exception)
    return {p.stem: _paths(p) for p in out.glob("*.xlsx")}


def _paths(path: Path) -> Paths:
    rows = load_workbook(path)["survey"].iter_rows(values_only=True)
    next(rows)
    stack: list[str] = []
    found: Paths = {}
    for kind, name, *_ in rows:
        if str(kind).startswith("begin_"):
            stack.append(str(name))
        elif str(kind).startswith("end_"):
            stack.pop()
        else:
            found[str(name)] = tuple(stack)
    return found


def key(paths: Paths, name: str, sep: str) -> str:
    return sep.join((*paths[name], name))


def flat(paths: Paths, answers: dict[str, Any], sep: str) -> dict[str, Any]:
    return {key(paths, k, sep): v for k, v in answers.items()}


def nested(paths: Paths, answers: dict[str, Any]) -> dict[str, Any]:
    """OData's shape: each group an object of its own."""
    out: dict[str, Any] = {}
    for k, v in answers.items():
        node = out
        for group in paths[k]:
            node = node.setdefault(group, {})
        node[k] = v or None
    return out


def write_csv(path: Path, rows: list[dict[str, Any]], delimiter: str = ",") -> Path:
    path.write_text(_csv_text(rows, delimiter), encoding="utf-8")
    return path


def _csv_text(rows: list[dict[str, Any]], delimiter: str = ",") -> str:
    names: list[str] = []
    for row in rows:
        names += [k for k in row if k not in names]
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=names, delimiter=delimiter)
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def write_zip(path: Path, tables: dict[str, list[dict[str, Any]]]) -> Path:
    """ODK Central's CSV zip: one CSV per table, named as Central names them."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, rows in tables.items():
            zf.writestr(name, _csv_text(rows))
    return path


def write_xlsx(path: Path, sheets: dict[str, list[dict[str, Any]]]) -> Path:
    """Kobo's XLSX export: the submissions on the first sheet, a sheet per repeat group."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        names: list[str] = []
        for row in rows:
            names += [k for k in row if k not in names]
        ws.append(names)
        for row in rows:
            ws.append([row.get(n) for n in names])
    wb.save(path)
    return path


def run_import(path: Path, fmt: str, user: str = "coord", *extra: str) -> Result:
    cli._register()
    args = ["import", str(path), "--format", fmt, "--user", user, "-q", *extra]
    if user == "coord":
        args += ["--agency", "ngo-one"]
    return CliRunner().invoke(cli.app, args)


def row_errors(res: Result) -> set[str]:
    return {line for line in res.output.splitlines() if line.startswith("row ")}
