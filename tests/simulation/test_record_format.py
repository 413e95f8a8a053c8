"""Records follow docs/record-format.md, the contract shared with import and linkage."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from lantern.simulation import SimulationConfig, codes

FORMAT = Path(__file__).resolve().parents[2] / "docs" / "record-format.md"


def _doc_columns() -> list[str]:
    return re.findall(r"^\| `(\w+)` \|", FORMAT.read_text(encoding="utf-8"), flags=re.M)


def _doc_codes(heading: str) -> set[str]:
    """Backticked ids in the paragraph of the doc that starts with ``heading``."""
    text = FORMAT.read_text(encoding="utf-8")
    para = text[text.index(heading) :].split("\n\n", 1)[0]
    return set(re.findall(r"`([a-z_]+)`", para.split(":", 1)[1]))


@pytest.fixture(scope="module")
def records(written: tuple[SimulationConfig, Path]) -> pd.DataFrame:
    return pq.read_table(written[1] / "records.parquet").to_pandas()


def test_every_column_of_the_format_is_present_in_order(records: pd.DataFrame) -> None:
    assert list(records.columns) == _doc_columns()
    assert tuple(records.columns) == codes.RECORD_COLUMNS


def test_csv_and_parquet_hold_identical_values(
    written: tuple[SimulationConfig, Path], records: pd.DataFrame
) -> None:
    csv = pd.read_csv(written[1] / "records.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(csv, records)


def test_blanks_are_empty_strings_never_placeholders(records: pd.DataFrame) -> None:
    values = set(records.to_numpy().ravel())
    assert not values & {"nan", "None", "null", "NaN", "unknown"}
    # Real records miss things: every optional column is blank somewhere in the hardest preset.
    always = {
        "agency",
        "agency_type",
        "source_record_id",
        "cas_RegistrationDate",
        "cas_IntakeChannel",
        "cas_Status",
        "vic_TraffickingStatus",
        "prs_FirstName",
        "ext_NameScript",
    }
    for column in set(records.columns) - always:
        assert (records[column] == "").any(), column


def test_import_key_is_unique(records: pd.DataFrame) -> None:
    assert not records.duplicated(["agency", "source_record_id"]).any()


@pytest.mark.parametrize(
    ("column", "allowed"),
    [
        ("agency_type", codes.AGENCY_TYPES),
        ("cas_IntakeChannel", codes.INTAKE_CHANNELS),
        ("cas_Status", codes.CASE_STATUSES),
        ("cas_Outcome", codes.CASE_OUTCOMES),
        ("ext_NameScript", codes.SCRIPTS),
        ("prs_Gender", codes.GENDERS),
        ("ext_AgeEvidence", codes.AGE_EVIDENCE),
        ("vic_TraffickingStatus", codes.TRAFFICKING_STATUSES),
        ("vic_TraffickingStatusDecisionMakingOrg", codes.DECISION_ORGS),
        ("vic_RelationshipToTrafficker", codes.RELATIONSHIPS),
        ("vic_MethodOfRecruitment", codes.RECRUITMENT_METHODS),
        ("vic_MethodsOfControl", codes.CONTROL_METHODS),
        ("vic_TypeOfExploitation", codes.EXPLOITATION_FORMS),
        ("vic_ForcedLabourIndustry", codes.ISIC_SECTIONS),
        ("vic_TypeOfSexExploitation", codes.SEX_EXPLOITATION_TYPES),
        ("ext_Vulnerabilities", codes.VULNERABILITY_FACTORS),
        ("ext_BirthdateEstimated", {"yes", "no"}),
        ("ext_Smuggled", {"yes", "no"}),
        ("con_Consent", {"yes", "no"}),
        ("con_TracingConsent", {"yes", "no"}),
    ],
)
def test_code_columns_use_only_allowed_codes(
    records: pd.DataFrame, column: str, allowed: frozenset[str]
) -> None:
    used = {v for cell in records[column] if cell for v in cell.split(";")}
    assert used, f"{column} is never filled"
    assert used <= set(allowed), used - set(allowed)


def test_code_sets_match_the_format_document() -> None:
    assert _doc_codes("Codes of `exploitation_forms`") == set(codes.EXPLOITATION_FORMS)
    assert _doc_codes("Codes of `actor_roles`") == set(codes.ACTOR_ROLES)
    assert _doc_codes("Codes of `transport_modes`") == set(codes.TRANSPORT_MODES)


def test_dates_are_iso_and_registration_lies_in_the_period(
    written: tuple[SimulationConfig, Path], records: pd.DataFrame
) -> None:
    config = written[0]
    registered = records["cas_RegistrationDate"].map(date.fromisoformat)
    assert registered.min() >= config.start and registered.max() <= config.end
    births = records.loc[records["prs_Birthdate"] != "", "prs_Birthdate"]
    assert births.map(date.fromisoformat).notna().all()


def test_countries_are_iso_alpha3(records: pd.DataFrame) -> None:
    import pycountry

    for column in ("prs_Citizenship", "prs_MailingCountry"):
        for value in set(records[column]) - {""}:
            assert pycountry.countries.get(alpha_3=value) is not None, value


def test_nested_columns_are_json_lists_of_the_documented_shape(records: pd.DataFrame) -> None:
    keys = {
        "hte_Events": {"type", "date", "country", "state", "city", "transport", "crossing"},
        "ext_Exploitations": {"form", "isic", "start", "end", "country"},
        "per_Actors": {"ref", "role", "relationship", "network_ref"},
    }
    for column, expected in keys.items():
        filled = records.loc[records[column] != "", column]
        assert len(filled) > 100
        for cell in filled:
            items = json.loads(cell)
            assert isinstance(items, list)
            for item in items:
                assert set(item) == expected
                if column == "hte_Events":
                    assert item["type"] in codes.EVENT_TYPES
                    assert item["transport"] in codes.TRANSPORT_MODES | {None}
                    assert item["crossing"] in {"legal", "illegal", None}
                elif column == "ext_Exploitations":
                    assert item["form"] in codes.EXPLOITATION_FORMS
                else:
                    assert item["role"] in codes.ACTOR_ROLES
                    assert item["relationship"] in codes.RELATIONSHIPS | {None}


def test_every_record_is_of_a_true_person(written: tuple[SimulationConfig, Path]) -> None:
    out = written[1]
    truth = pq.read_table(out / "truth.parquet").to_pandas()
    people = pq.read_table(out / "people.parquet").to_pandas()
    records = pq.read_table(out / "records.parquet", columns=["agency", "source_record_id"])
    assert len(truth) == records.num_rows
    assert truth["true_person_id"].isin(people["true_person_id"]).all()
    assert people["true_person_id"].is_unique
    # Every observed child has a record, and only observed children do.
    assert set(truth["true_person_id"]) == set(people.loc[people["observed"], "true_person_id"])
