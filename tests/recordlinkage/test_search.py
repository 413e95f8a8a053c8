"""Search before create: the fast preparation, the index, its candidates and their comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lantern.recordlinkage import SearchIndex, prepare_one, prepare_records
from lantern.simulation import SimulationConfig, simulate
from tests.recordlinkage.linkage_synthetic import generate, record_ids

FIELDS = [
    "given name",
    "family name",
    "birth",
    "sex",
    "citizenship",
    "home place",
    "identity number",
]


@pytest.fixture(scope="module")
def synthetic() -> tuple[pd.DataFrame, pd.Series]:
    return generate(800, seed=21, noise=0.5)


def test_the_fast_preparation_equals_the_pipelines(synthetic):
    hardest = simulate(SimulationConfig(seed=2, children=300, agencies=5, scenario="hardest"))
    for records in (synthetic[0].head(300), hardest.records.to_pandas()):
        prepared = prepare_records(records, with_blocking=False)
        fast = pd.DataFrame([prepare_one(r) for r in records.to_dict("records")])
        for column in fast.columns:
            if column == "citizenship":
                assert [list(v or []) for v in fast[column]] == [
                    list(v) if v is not None else [] for v in prepared[column]
                ]
            elif column == "birth_year":
                assert np.allclose(fast[column], prepared[column], equal_nan=True)
            else:
                left = fast[column].astype(object).where(fast[column].notna(), None).tolist()
                right = prepared[column].astype(object).where(prepared[column].notna(), None)
                assert left == right.tolist(), column


def test_search_finds_the_other_records_of_a_child(synthetic):
    records, truth = synthetic
    child = truth.reindex(record_ids(records)).reset_index(drop=True)
    held_out = ~child.duplicated(keep="last") & child.duplicated(keep=False)  # one per child
    index = SearchIndex(prepare_records(records[~held_out.to_numpy()], with_blocking=False))
    queries = records[held_out.to_numpy()].head(150)
    top_right = 0
    for record, uid in zip(queries.to_dict("records"), record_ids(queries), strict=True):
        found = index.candidates(record, limit=5)
        if found and truth[found[0].unique_id] == truth[uid] and found[0].probability > 0.5:
            top_right += 1
        for candidate in found:
            assert [f.field for f in candidate.comparison] == FIELDS
            assert 0 < candidate.probability <= 1
        assert [c.probability for c in found] == sorted(
            (c.probability for c in found), reverse=True
        )
    assert top_right / len(queries) > 0.8


def test_a_name_written_in_another_script_is_found_with_its_comparison():
    base = {"agency": "ngo-one", "cas_RegistrationDate": "2024-05-01", "prs_Gender": "Feminine"}
    stored = pd.DataFrame(
        [
            {
                **base,
                "source_record_id": "A",
                "prs_FirstName": "सीता",
                "prs_SecondName": "तामाङ",
                "prs_Birthdate": "2011-02-03",
                "prs_MailingCity": "Sindhupalchok",
            },
            {
                **base,
                "source_record_id": "B",
                "prs_FirstName": "Gita",
                "prs_SecondName": "Rai",
                "prs_Birthdate": "2011-02-03",
                "prs_MailingCity": "Morang",
            },
            {
                **base,
                "source_record_id": "C",
                "prs_FirstName": "Sita",
                "prs_SecondName": "Tamang",
                "prs_Birthdate": "2004-09-30",
                "prs_MailingCity": "Kaski",
                "prs_Gender": "Masculine",
            },
        ]
    )
    index = SearchIndex(prepare_records(stored, with_blocking=False))
    found = index.candidates(
        {
            "prs_FirstName": "Sita",
            "prs_SecondName": "Tamang",
            "prs_Birthdate": "2011-02-03",
            "prs_Gender": "Feminine",
            "prs_MailingCity": "Sindhupalchok",
        }
    )
    assert found[0].unique_id == "ngo-one|A" and found[0].probability > 0.9
    by_field = {f.field: f for f in found[0].comparison}
    assert by_field["given name"].agrees and by_field["given name"].level == "same romanised"
    assert by_field["birth"].level == "same documented date"
    assert by_field["identity number"].agrees is None  # unknown is never a disagreement
    assert all(c.unique_id != "ngo-one|C" or c.probability < found[0].probability for c in found)
    other = {c.unique_id: c for c in found}.get("ngo-one|C")
    if other is not None:
        assert {f.field: f.agrees for f in other.comparison}["birth"] is False
