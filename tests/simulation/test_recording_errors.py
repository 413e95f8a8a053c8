"""Agencies write the same child differently: scripts, romanisations, swaps, typos, misstated
ages, estimated birth dates and blanks, as the linkage stress preset promises."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.simulation import SimulationConfig
from lantern.simulation.romanise import rule_variant, typo


@pytest.fixture(scope="module")
def joined(written: tuple[SimulationConfig, Path]) -> pd.DataFrame:
    out = written[1]
    records = pq.read_table(out / "records.parquet").to_pandas()
    truth = pq.read_table(out / "truth.parquet").to_pandas()
    people = pq.read_table(out / "people.parquet").to_pandas()
    return records.merge(truth, on=["agency", "source_record_id"]).merge(
        people, on="true_person_id"
    )


def test_names_arrive_in_several_scripts(joined: pd.DataFrame) -> None:
    scripts = set(joined["ext_NameScript"])
    assert {"Latn", "Mymr", "Khmr", "Thai", "Arab", "Laoo"} <= scripts
    native = joined[joined["ext_NameScript"] != "Latn"]
    assert (native["ext_NameScript"] == native["name_script"]).all()


def test_one_child_is_written_in_different_ways(joined: pd.DataFrame) -> None:
    latin = joined[joined["ext_NameScript"] == "Latn"]
    variants = latin.groupby("given_name_latin")["prs_FirstName"].nunique()
    assert variants.max() >= 4
    assert (latin["prs_FirstName"] != latin["given_name_latin"]).mean() > 0.2
    swapped = (joined["prs_FirstName"] == joined["family_name"]) & joined["family_name"].notna()
    assert swapped.any()
    assert ((joined["prs_SecondName"] == "") & joined["family_name"].notna()).mean() > 0.05


def test_forged_documents_overstate_a_childs_age(joined: pd.DataFrame) -> None:
    documented = joined[joined["ext_DocumentedAge"] != ""]
    assert len(documented) > 20
    assert (documented["ext_DocumentedAge"].astype(int) >= 18).all()
    assert documented["forged_document"].all()
    believed = documented[
        (documented["ext_AgeEvidence"] == "documented") & (documented["ext_StatedAge"] != "")
    ]
    assert (believed["ext_StatedAge"].astype(int) >= 18).any()
    assert (believed["age_at_recruitment"] < 18).all()


def test_estimated_birth_dates_are_first_of_january_or_july(joined: pd.DataFrame) -> None:
    estimated = joined.loc[joined["ext_BirthdateEstimated"] == "yes", "prs_Birthdate"]
    assert len(estimated) > 20
    assert estimated.str[5:].isin(["01-01", "07-01"]).all()


def test_stated_ages_are_near_but_not_always_the_true_age(joined: pd.DataFrame) -> None:
    stated = joined[(joined["ext_StatedAge"] != "") & (joined["ext_DocumentedAge"] == "")]
    true_age = (
        pd.to_datetime(stated["cas_RegistrationDate"]) - pd.to_datetime(stated["birth_date"])
    ).dt.days // 365.25
    diff = stated["ext_StatedAge"].astype(int) - true_age
    # The hardest preset misstates often (noise x2.5), but never wildly without a document.
    assert (diff == 0).mean() > 0.3
    assert (diff != 0).mean() > 0.2
    assert diff.abs().max() <= 3


def test_some_home_districts_are_wrong(joined: pd.DataFrame) -> None:
    filled = joined[joined["prs_MailingCity"] != ""]
    wrong = (filled["prs_MailingCity"] != filled["home_district"]).mean()
    assert 0.0 < wrong < 0.3


@pytest.mark.parametrize(
    ("name", "script", "expected"),
    [
        ("al-Rashid", "Arab", {"el-Rashid", "al Rashid", "Rashid"}),
        ("Seeta", "Deva", {"Sita"}),
        ("Lakshmi", "Deva", {"Laxmi", "Lakhmi", "Lakshmee"}),
    ],
)
def test_rule_variants_respell_the_way_romanisations_differ(
    name: str, script: str, expected: set[str]
) -> None:
    seen = {rule_variant(name, script, u / 200) for u in range(200)}
    assert seen & expected
    assert name not in seen or len(seen) > 1


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=12),
    st.floats(0, 0.999),
    st.floats(0, 0.999),
)
def test_a_typo_is_one_small_slip(text: str, u1: float, u2: float) -> None:
    slipped = typo(text, u1, u2)
    assert abs(len(slipped) - len(text)) <= 1
    assert slipped[0] == text[0]  # the first letter survives
    lost, gained = Counter(text) - Counter(slipped), Counter(slipped) - Counter(text)
    assert sum(lost.values()) <= 1 and sum(gained.values()) <= 1
