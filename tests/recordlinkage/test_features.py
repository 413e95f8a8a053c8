"""Record preparation: the format checked, name keys, birth-year evidence, joined names."""

from __future__ import annotations

import pandas as pd
import pytest

from lantern.recordlinkage import BLOCKING_KEYS, RecordFormatError, prepare_records
from lantern.recordlinkage.features import joined_skeletons
from tests.recordlinkage.record_rows import record_frame


def test_unique_id_and_name_keys() -> None:
    frame = prepare_records(record_frame(prs_FirstName=["सीता"], prs_SecondName=["Tamang"]))
    row = frame.iloc[0]
    assert row["unique_id"] == "police|r0"
    assert (row["given_latin"], row["family_latin"]) == ("sita", "tamang")
    assert row["name_key"] == "st|tmn"


def test_birth_year_from_each_kind_of_evidence() -> None:
    frame = prepare_records(
        record_frame(
            prs_Birthdate=["2010-07-02", "2010-01-01", "", ""],
            ext_BirthdateEstimated=["no", "yes", "", ""],
            ext_StatedAge=["", "", "13", ""],
        )
    )
    documented, estimated, stated, unknown = frame.to_dict("records")
    assert documented["dob"] == "2010-07-02"
    assert documented["birth_year"] == pytest.approx(2010.5, abs=0.01)
    # a guessed 1 January says only the year: no exact date, the year's middle
    assert estimated["dob"] is None
    assert estimated["birth_year"] == pytest.approx(2010.5)
    # aged 13 on 2024-07-01: born 2010-07-02 .. 2011-07-01, whose middle is the new year
    assert stated["dob"] is None
    assert stated["birth_year"] == pytest.approx(2011.0, abs=0.01)
    assert pd.isna(unknown["birth_year"])


def test_missing_required_column_is_named() -> None:
    with pytest.raises(RecordFormatError, match="cas_RegistrationDate"):
        prepare_records(pd.DataFrame({"agency": ["a"], "source_record_id": ["1"]}))


def test_bad_date_names_column_and_record() -> None:
    with pytest.raises(RecordFormatError, match=r"prs_Birthdate.*police\|r0"):
        prepare_records(record_frame(prs_Birthdate=["12/05/2010"]))


def test_repeated_import_key_is_refused() -> None:
    records = record_frame(prs_FirstName=["A", "B"])
    records["source_record_id"] = "same"
    with pytest.raises(RecordFormatError, match="unique"):
        prepare_records(records)


def test_joined_name_key_is_the_same_however_the_name_is_cut() -> None:
    frame = prepare_records(
        record_frame(
            prs_FirstName=["Khin Sanda", "Khinsandakhin", "Khin", "Khin Sanda", "Nan"],
            prs_SecondName=["Khin", "", "Khin Sanda", "Aung", "Nanda"],
        )
    )
    split, joined, swapped, other, repeated = frame.to_dict("records")
    assert repeated["joined_skel"] == "nt"  # n + nt: a letter repeated across the cut is one
    # one name written over two fields, in one field, or swapped: one joined key
    assert split["joined_skel"] == joined["joined_skel"]
    assert swapped["joined_skel_rev"] == split["joined_skel"]
    # the per-field keys alone would not pair the joined record with the split one
    assert split["name_key"] != joined["name_key"]
    assert other["joined_skel"] != split["joined_skel"]
    # the database joins per-field skeletons; it agrees with skeletonising the joined name
    for row in frame.to_dict("records"):
        assert (row["joined_skel"], row["joined_skel_rev"]) == joined_skeletons(
            row["given_latin"], row["family_latin"]
        )
    keys = {key.name: key.columns for key in BLOCKING_KEYS}
    assert keys["blk_joined"] == ("joined_skel",)
    assert keys["blk_joined_rev"] == ("joined_skel_rev",)
