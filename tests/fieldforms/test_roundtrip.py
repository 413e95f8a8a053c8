"""Round trip: the generated intake form, a submission shaped as ODK Central and KoboToolbox
export it (CSV and JSON, repeats included), `lantern import --format odk|kobo`, the case."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from typer.testing import CliRunner

from lantern import cli
from lantern.accounts.models import Role
from lantern.cases.models import Case
from tests import factories
from tests.fieldforms import shapes

pytestmark = pytest.mark.django_db

INSTANCE = "uuid:6f1c2d9e-0b7a-4e0f-9a51-2a7c1f0e4b11"
#: What a field worker typed, by question name (the form's own names).
ANSWERS: dict[str, str] = {
    "registration_date": "2026-03-14",
    "intake_channel": "transit_reception",
    "given_name": "Zyxwandu",
    "family_name": "Qorrimat",
    "age": "14",
    "age_evidence": "stated",
    "gender": "Feminine",
    "citizenship": "NPL",
    "home_country": "NPL",
    "home_city": "Sindhupalchok",
    "exploitation_forms": "domestic_servitude forced_labour",
    "vulnerabilities": "",
    "smuggled": "no",
    "tracing_consent": "yes",
}
STEP = {
    "step_type": "recruitment",
    "step_date": "2026-01-05",
    "step_country": "NPL",
    "step_city": "Chautara",
    "step_transport": "bus",
}
EPISODE = {
    "episode_form": "domestic_servitude",
    "episode_start": "2026-01-20",
    "episode_country": "IND",
}


@pytest.fixture
def paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, ...]]:
    """Each question's group path in the intake form `lantern forms export` wrote."""
    cli._register()
    out = tmp_path_factory.mktemp("forms")
    res = CliRunner().invoke(cli.app, ["forms", "export", "--out", str(out)])
    assert res.exit_code == 0, res.output
    return shapes._paths(out / "lantern_intake.xlsx")


@pytest.fixture
def coordinator():
    factories.agency("ngo-one")
    return factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)


def _key(paths: dict[str, tuple[str, ...]], name: str, sep: str) -> str:
    return sep.join((*paths[name], name))


def odk_csv(tmp: Path, paths: dict[str, tuple[str, ...]]) -> Path:
    row = {"SubmissionDate": "2026-03-15T09:12:00.000Z", "start": "2026-03-14T08:00:00.000+05:45"}
    row |= {_key(paths, k, "-"): v for k, v in ANSWERS.items()}
    row |= {
        "meta-instanceID": INSTANCE,
        "KEY": INSTANCE,
        "SubmitterID": "7",
        "SubmitterName": "field-01",
        "AttachmentsPresent": "0",
        "ReviewState": "",
    }
    return _write_csv(tmp / "lantern_intake.csv", row)


def kobo_csv(tmp: Path, paths: dict[str, tuple[str, ...]]) -> Path:
    row = {_key(paths, k, "/"): v for k, v in ANSWERS.items()}
    # Kobo adds a 0/1 column per choice of a select_multiple beside the answer.
    row |= {
        "what_happened/exploitation_forms/domestic_servitude": "1",
        "what_happened/exploitation_forms/forced_labour": "1",
    }
    row |= {
        "_id": "4411",
        "_uuid": INSTANCE.removeprefix("uuid:"),
        "_submission_time": "2026-03-15T09:12:00",
        "_validation_status": "",
        "_index": "1",
    }
    return _write_csv(tmp / "lantern_intake.csv", row, delimiter=";")  # as Kobo writes it


def odk_json(tmp: Path, paths: dict[str, tuple[str, ...]]) -> Path:
    """ODK Central's OData feed with ``$expand=*``: groups nested, repeats inline."""
    sub: dict[str, Any] = {"__id": INSTANCE, "__system": {"submissionDate": "2026-03-15T09:12Z"}}
    for k, v in ANSWERS.items():
        node = sub
        for group in paths[k]:
            node = node.setdefault(group, {})
        node[k] = v or None
    sub["journey"] = [{**STEP, "__id": "a1"}]
    sub["episodes"] = [{**EPISODE, "__id": "b1"}]
    sub["meta"] = {"instanceID": INSTANCE}
    return _write_json(tmp / "lantern_intake.json", {"value": [sub]})


def kobo_json(tmp: Path, paths: dict[str, tuple[str, ...]]) -> Path:
    """KoboToolbox's data API: full paths as keys, repeats as lists of full-path objects."""
    sub: dict[str, Any] = {_key(paths, k, "/"): v for k, v in ANSWERS.items() if v}
    sub["journey"] = [{f"journey/{k}": v for k, v in STEP.items()}]
    sub["episodes"] = [{f"episodes/{k}": v for k, v in EPISODE.items()}]
    sub |= {
        "_id": 4411,
        "_uuid": INSTANCE.removeprefix("uuid:"),
        "meta/instanceID": INSTANCE,
        "_submission_time": "2026-03-15T09:12:00",
        "_attachments": [],
        "_tags": [],
        "__version__": "vABC",
        "formhub/uuid": "f00d",
    }
    return _write_json(tmp / "lantern_intake.json", {"count": 1, "results": [sub]})


def _write_csv(path: Path, row: dict[str, str], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(row), delimiter=delimiter)
        w.writeheader()
        w.writerow(row)
    return path


def _write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _import(path: Path, fmt: str) -> Any:
    cli._register()
    return CliRunner().invoke(
        cli.app,
        ["import", str(path), "--format", fmt, "--user", "coord", "--agency", "ngo-one", "-q"],
    )


SHAPES: list[tuple[str, Callable[..., Path], bool]] = [
    ("odk", odk_csv, False),
    ("odk", odk_json, True),
    ("kobo", kobo_csv, False),
    ("kobo", kobo_json, True),
]


@pytest.mark.parametrize(
    ("fmt", "shape", "repeats"), SHAPES, ids=["odk-csv", "odk-json", "kobo-csv", "kobo-json"]
)
def test_a_submission_comes_back_as_the_case(tmp_path, paths, coordinator, fmt, shape, repeats):
    res = _import(shape(tmp_path, paths), fmt)
    assert res.exit_code == 0, res.output
    assert "1 created" in res.output
    case = Case.objects.select_related("person", "agency").get()
    assert case.agency.code == "ngo-one"
    assert case.source_record_id == INSTANCE.removeprefix("uuid:")  # the instance id
    assert str(case.registration_date) == "2026-03-14"
    assert case.intake_channel == "transit_reception"
    assert case.person.given_name == "Zyxwandu" and case.person.family_name == "Qorrimat"
    assert case.gender == "Feminine" and case.person.citizenship == ["NPL"]
    assert case.forms_of_exploitation == ["domestic_servitude", "forced_labour"]
    assert case.age_at_identification == 14 and case.smuggled is False
    with connection.cursor() as cur:
        cur.execute("SELECT given_name FROM cases_person")
        (raw,) = cur.fetchone()
    assert "Zyxwandu" not in str(raw)  # encrypted in the store
    events = list(case.events.order_by("seq").values("type", "country", "city", "transport"))
    episodes = list(case.exploitations.values("form", "country"))
    if repeats:
        assert events == [
            {"type": "recruitment", "country": "NPL", "city": "Chautara", "transport": "bus"}
        ]
        assert episodes == [{"form": "domestic_servitude", "country": "IND"}]
    else:
        assert events == [] and episodes == []


def test_the_same_submission_from_csv_then_json_is_one_case(tmp_path, paths, coordinator):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert _import(kobo_csv(tmp_path / "a", paths), "kobo").exit_code == 0
    res = _import(kobo_json(tmp_path / "b", paths), "kobo")
    assert res.exit_code == 0 and "1 updated" in res.output, res.output
    assert Case.objects.get().events.count() == 1


def test_errors_name_the_form_questions(tmp_path, paths, coordinator):
    path = kobo_json(tmp_path, paths)
    data = json.loads(path.read_text())
    sub = data["results"][0]
    sub[_key(paths, "gender", "/")] = "Femenine"
    sub["journey"][0]["journey/step_country"] = "XXX"
    sub["child/favourite_colour"] = "blue"
    sub["child/given_nme"] = "Zyx"  # misspelt in a group: its full path, the nearest question
    sub["journey"][0]["journey/step_contry"] = "NPL"  # misspelt in a repeat entry
    sub[_key(paths, "identity_number", "/")] = "N" * 65  # past the form's constraint
    second = {k: v for k, v in sub.items() if k not in ("_uuid", "meta/instanceID")}
    data["results"].append(second)
    path.write_text(json.dumps(data))
    res = _import(path, "kobo")
    assert res.exit_code == 1
    lines = {line for line in res.output.splitlines() if line.startswith("row ")}
    assert any(line.startswith("row 1: gender: ") and "Femenine" in line for line in lines)
    assert any(line.startswith("row 1: journey[1].step_country: ") for line in lines)
    assert "row 1: child/favourite_colour: unknown question" in lines
    assert "row 1: child/given_nme: unknown question; did you mean given_name?" in lines
    assert "row 1: journey[1].step_contry: unknown question; did you mean step_country?" in lines
    assert "row 1: identity_number: longer than 64 characters" in lines
    assert "row 2: meta/instanceID: required" in lines
    assert not Case.objects.exists()


def test_an_odata_export_without_its_repeats_is_an_error_not_a_silent_loss(
    tmp_path, paths, coordinator
):
    path = odk_json(tmp_path, paths)
    data = json.loads(path.read_text())
    sub = data["value"][0]
    sub.pop("journey")
    sub["journey@odata.navigationLink"] = "Submissions('uuid%3A6f1c')/journey"
    path.write_text(json.dumps(data))
    res = _import(path, "odk")
    assert res.exit_code == 1 and "row 1: journey: the repeat's answers are not in the file" in (
        res.output
    )
    assert not Case.objects.exists()


def test_forms_export_into_a_file_is_refused_clearly(tmp_path, coordinator):
    taken = tmp_path / "taken"
    taken.write_text("")
    cli._register()
    res = CliRunner().invoke(cli.app, ["forms", "export", "--out", str(taken)])
    assert res.exit_code == 2 and "cannot write the forms into" in res.output
