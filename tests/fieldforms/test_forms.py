"""The XLSForms: pyxform converts each, labels in every language, means asked of adults only."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from lantern import taxonomy
from lantern.fieldforms.export import export
from lantern.taxonomy import LANGUAGES

MEANS_LISTS = {"palermo_means", "control_methods"}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    paths = export(tmp_path_factory.mktemp("forms"), "2026120701")
    return {p.stem: p for p in paths}


def _survey(path: Path) -> list[dict[str, object]]:
    sheet = load_workbook(path)["survey"]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    return [dict(zip(header, r, strict=True)) for r in rows]


def _choices(path: Path) -> dict[str, list[tuple[object, ...]]]:
    out: dict[str, list[tuple[object, ...]]] = {}
    for row in list(load_workbook(path)["choices"].iter_rows(values_only=True))[1:]:
        out.setdefault(str(row[0]), []).append(row[1:])
    return out


def test_pyxform_converts_every_form_without_a_warning(written):
    assert set(written) == {"lantern_intake", "lantern_screening", "lantern_followup"}
    for name, path in written.items():
        warnings: list[str] = []
        result = convert(xlsform=str(path), warnings=warnings)
        assert warnings == [], (name, warnings)
        assert f'id="{name}"' in result.xform and 'version="2026120701"' in result.xform
        for lang in ("English (en)", "Français (fr)", "Español (es)"):
            assert f'<translation lang="{lang}"' in result.xform


def test_labels_are_in_english_french_and_spanish(written):
    rows = {r["name"]: r for r in _survey(written["lantern_intake"])}
    given = rows["given_name"]
    assert given["label::English (en)"] == "Given name"
    assert given["label::Français (fr)"] == "Prénom"  # the intake declaration's, translated
    assert rows["registration_date"]["label::Español (es)"].startswith("Fecha")
    genders = _choices(written["lantern_intake"])["genders"]
    assert [g[0] for g in genders] == list(taxonomy.code_list("genders").ids())
    feminine = taxonomy.code_list("genders").get("Feminine")
    assert ("Feminine", *(feminine.label(lang) for lang in LANGUAGES)) in genders


def test_choice_lists_are_the_taxonomy_code_lists(written):
    choices = _choices(written["lantern_intake"])
    for name in ("exploitation_forms", "intake_channels", "transport_modes", "event_types"):
        assert [c[0] for c in choices[name]] == list(taxonomy.code_list(name).ids())
    assert "NPL" in {c[0] for c in choices["countries"]}
    types = {r["name"]: r["type"] for r in _survey(written["lantern_intake"])}
    assert types["exploitation_forms"] == "select_multiple exploitation_forms"
    assert types["citizenship"] == "select_multiple countries"
    assert types["gender"] == "select_one genders"


@pytest.mark.parametrize("form", ["lantern_intake", "lantern_screening"])
def test_a_child_is_never_asked_about_means(written, form):
    """Every question on means sits in a group shown only to a known adult (unknown age is a
    presumed child); the adult flag needs an age or a birth date of 18 years or more."""
    rows = _survey(written[form])
    relevant_stack: list[object] = []
    asked_of_adults: set[str] = set()
    for row in rows:
        kind = str(row["type"])
        if kind.startswith("begin_"):
            relevant_stack.append(row["relevant"])
        elif kind.startswith("end_"):
            relevant_stack.pop()
        elif kind.split(" ")[-1] in MEANS_LISTS:
            shown = [*relevant_stack, row["relevant"]]
            assert "${adult} = 'yes'" in shown, row["name"]
            asked_of_adults.add(str(row["name"]))
    assert asked_of_adults
    adult = next(r for r in rows if r["name"] == "adult")["calculation"]
    assert ">= 18" in adult and "'no'" in adult  # unknown age: not an adult


def test_ages_and_dates_are_constrained(written):
    rows = {r["name"]: r for r in _survey(written["lantern_intake"])}
    assert rows["age"]["constraint"] == ". >= 0 and . <= 120"
    assert "today()" in rows["birthdate"]["constraint"]
    assert "${episode_start}" in rows["episode_end"]["constraint"]
    assert "${age}" in rows["age_when_trafficked"]["constraint"]
    assert rows["registration_date"]["required"] == "yes"
    # Texts no longer than the import takes them, refused on the device where they can be fixed.
    assert rows["identity_number"]["constraint"] == "string-length(.) <= 64"
    assert rows["primary_language"]["constraint"] == "string-length(.) <= 8"
    assert all(r["constraint"] for r in rows.values() if r["type"] == "text")
    visit = {r["name"]: r for r in _survey(written["lantern_followup"])}
    assert visit["safety"]["constraint"] == ". >= 0 and . <= 4"


def test_the_screening_form_asks_destination_coercion_of_adults_only(written):
    rows = {r["name"]: r for r in _survey(written["lantern_screening"])}
    assert rows["D4_hazardous_work"]["relevant"] is None  # exploitative conditions: everyone
    d5 = [r for n, r in rows.items() if n.startswith("D5_")]
    assert d5 and all(r["relevant"] == "${adult} = 'yes'" for r in d5)
