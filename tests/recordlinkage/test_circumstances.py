"""What happened to the child, compared: circumstances prepared from the record format, Parquet
files scanned in place, term-frequency scaling, EM that survives an unseen disagreement, and
namesakes told apart by their journeys (commit 9fe2a61). Only synthetic people.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lantern.recordlinkage import (
    CIRCUMSTANCE_COLUMNS,
    LinkageOptions,
    LinkageResult,
    RecordFormatError,
    cluster_accuracy,
    connect,
    link_records,
    prepare_records,
)
from lantern.recordlinkage.features import prepare_in
from lantern.simulation import SimulationConfig, World, simulate
from lantern.taxonomy.codes import code_list
from tests.recordlinkage.linkage_synthetic import generate
from tests.recordlinkage.record_rows import record_frame

CIRCUMSTANCES = [
    "recruited",
    "exploited",
    "destination",
    "forms",
    "control",
    "vulnerabilities",
    "age_trafficked",
    "recruitment_method",
    "relationship",
]


def _day(iso: str) -> int:
    """Days since 1970-01-01, computed here independently of the SQL under test."""
    return (dt.date.fromisoformat(iso) - dt.date(1970, 1, 1)).days


def _event(kind: str, date: str | None, city: str = "") -> dict[str, Any]:
    return {"type": kind, "date": date, "country": "NPL", "state": "", "city": city}


def _cluster_series(result: LinkageResult) -> pd.Series:
    clusters = result.clusters
    ids = clusters["agency"] + "|" + clusters["source_record_id"]
    return pd.Series(clusters["cluster_id"].to_numpy(), index=ids.to_numpy())


def _truth_series(world: World) -> pd.Series:
    truth = world.truth.to_pandas()
    ids = truth["agency"] + "|" + truth["source_record_id"]
    return pd.Series(truth["true_person_id"].to_numpy(), index=ids.to_numpy())


# --- prepare: circumstances from the record format -------------------------------------------

JOURNEY = [
    _event("transit", "2019-12-01", "Birgunj"),  # earlier, but not a recruitment
    _event("recruitment", "2020-03-05", "Nuwakot"),
    _event("recruitment", None, "Nuwakot"),  # a date not known is no date
    _event("recruitment", "2020-02-01", "Nuwakot"),  # the earliest, listed later
    _event("exploitation", "2020-04-01", " "),  # no city: not the destination
    _event("exploitation", "2020-05-01", "Mumbai"),
    _event("exploitation", "2020-03-20", "Delhi"),  # earliest exploitation, not the first
]


def test_circumstances_are_read_from_the_journey_and_the_case() -> None:
    frame = prepare_records(
        record_frame(
            hte_Events=[json.dumps(JOURNEY)],
            ext_Exploitations=[json.dumps([{"form": "forced_labour", "start": "2019-01-01"}])],
            vic_AgeWhenTrafficked=["13"],
            vic_MethodOfRecruitment=[" ThroughPlacementAgency "],
            vic_RelationshipToTrafficker=["Acquainted"],
        )
    )
    row = frame.iloc[0]
    assert row["recruited"] == _day("2020-02-01")
    # the events' earliest exploitation wins over an episode's start, even an earlier one
    assert row["exploited"] == _day("2020-03-20")
    # the first exploitation event (in the list's order) that names a city
    assert row["destination"] == "mumbai"
    assert row["age_trafficked"] == 13
    assert row["recruitment_method"] == "throughplacementagency"
    assert row["relationship"] == "acquainted"


def test_exploitation_date_falls_back_to_the_earliest_episode_start() -> None:
    episodes = [
        {"form": "forced_labour", "start": "2021-01-03"},
        {"form": "child_labour", "start": None},
        {"form": "forced_labour", "start": "2021-01-02"},
    ]
    no_exploitation_event = [_event("recruitment", "2020-12-20", "Nuwakot")]
    frame = prepare_records(
        record_frame(
            hte_Events=[json.dumps(no_exploitation_event), "", "not json"],
            ext_Exploitations=[json.dumps(episodes)] * 3,
        )
    )
    assert frame["exploited"].tolist() == [_day("2021-01-02")] * 3
    assert frame["recruited"].iloc[0] == _day("2020-12-20")
    assert frame["destination"].isna().all()


UNREADABLE = [
    "not json",
    '[{"type": "recruitment", "date": "2020-02-01"',  # cut short
    "",
    "   ",
    None,
    "null",
    "42",
    '"a journey"',
    '{"type": "recruitment", "date": "2020-02-01", "city": "Nuwakot"}',  # an object, no list
    "[1, 2]",
    '["recruitment"]',
    "[null]",
    "[[1, 2]]",
    '[{"type": 5, "date": 20200201, "city": {"name": "x"}}]',  # objects of the wrong shape
    '[{"type": "recruitment", "date": "2020-13-45"}]',  # no such day
]


@pytest.mark.parametrize("cell", UNREADABLE)
def test_unreadable_journeys_give_null_never_an_error(cell: str | None) -> None:
    frame = prepare_records(record_frame(hte_Events=[cell], ext_Exploitations=[cell]))
    row = frame.iloc[0]
    assert pd.isna(row["recruited"])
    assert pd.isna(row["exploited"])
    assert pd.isna(row["destination"])


def test_one_unreadable_journey_leaves_the_others_read() -> None:
    good = json.dumps(JOURNEY)
    frame = prepare_records(record_frame(hte_Events=[good, "not json", "[1]", good]))
    assert frame["recruited"].tolist()[0] == _day("2020-02-01")
    assert frame["recruited"].iloc[1:3].isna().all()
    assert frame["recruited"].iloc[3] == _day("2020-02-01")


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        ("13", 13),
        (" 9 ", 9),
        ("0", 0),
        ("30", 30),
        ("31", None),
        ("-1", None),
        ("45", None),
        ("thirteen", None),
        ("", None),
        (None, None),
    ],
)
def test_age_when_trafficked_only_when_plausible(stated: str | None, expected: int | None) -> None:
    value = prepare_records(record_frame(vic_AgeWhenTrafficked=[stated]))["age_trafficked"].iloc[0]
    if expected is None:
        assert pd.isna(value)
    else:
        assert value == expected


def test_journeys_as_python_lists_read_as_the_json_text() -> None:
    """A frame built in Python (as the store might) holds the journey as lists of mappings."""
    journeys: list[object] = [
        JOURNEY,
        [_event("recruitment", "2018-06-30", "Makwanpur")],
        [],
        None,
    ]
    episodes: list[object] = [
        [{"form": "forced_labour", "start": "2020-03-01"}],
        [{"form": "child_labour", "start": "2018-07-04"}],
        [{"form": "child_labour", "start": "2017-01-09"}],
        None,
    ]

    def as_text(cells: list[object]) -> list[object]:
        return [None if cell is None else json.dumps(cell) for cell in cells]

    as_lists = prepare_records(record_frame(hte_Events=journeys, ext_Exploitations=episodes))
    as_json = prepare_records(
        record_frame(hte_Events=as_text(journeys), ext_Exploitations=as_text(episodes))
    )
    pd.testing.assert_frame_equal(as_lists[CIRCUMSTANCES], as_json[CIRCUMSTANCES])
    assert as_lists["recruited"].iloc[1] == _day("2018-06-30")  # not all NULL alike
    # lists and text mixed in one column read each cell as itself
    mixed = prepare_records(
        record_frame(hte_Events=[journeys[0], as_text(journeys)[1], "not json", None])
    )
    assert mixed["recruited"].iloc[:2].tolist() == [_day("2020-02-01"), _day("2018-06-30")]
    assert mixed["recruited"].iloc[2:].isna().all()


def test_code_lists_as_python_lists_read_as_text() -> None:
    lists = [["sexual_exploitation", "child_labour"], ["forced_labour"], []]
    text = ["sexual_exploitation;child_labour", "forced_labour", ""]
    columns = ("vic_TypeOfExploitation", "vic_MethodsOfControl", "ext_Vulnerabilities")
    as_lists = prepare_records(record_frame(**dict.fromkeys(columns, lists)))
    as_text = prepare_records(record_frame(**dict.fromkeys(columns, text)))
    coded = ["forms", "control", "vulnerabilities"]
    pd.testing.assert_frame_equal(as_lists[coded], as_text[coded])
    assert as_text["forms"].iloc[:2].notna().all()
    assert as_text["forms"].iloc[2:].isna().all()


def test_code_sets_ignore_order_case_and_spaces() -> None:
    frame = prepare_records(
        record_frame(
            ext_Vulnerabilities=[
                "poverty;out_of_school",
                " OUT_OF_SCHOOL ; Poverty",
                "poverty;;out_of_school;poverty;",
                "out_of_school",
                "",
                " ; ",
                None,
            ]
        )
    )
    bits = frame["vulnerabilities"].tolist()
    assert bits[0] == bits[1] == bits[2]
    assert bits[0] > 0
    # a record with one of the codes shares it, and no code it lacks
    assert bits[3] & bits[0] == bits[3] and bits[3] != bits[0]
    assert all(pd.isna(value) for value in bits[4:])


@pytest.mark.parametrize(
    ("code_list_name", "column", "prepared"),
    [
        ("vulnerability_factors", "ext_Vulnerabilities", "vulnerabilities"),
        ("control_methods", "vic_MethodsOfControl", "control"),
        ("exploitation_forms", "vic_TypeOfExploitation", "forms"),
    ],
)
def test_different_codes_of_a_code_list_never_share_a_bit(
    code_list_name: str, column: str, prepared: str
) -> None:
    """Records share codes iff their bits meet: two records whose codes are disjoint (poverty
    against a family's addiction) must not meet, or the comparison counts a shared code that
    neither record has. Each list is shorter than the 62 bits available."""
    codes = list(code_list(code_list_name).ids())
    assert len(codes) <= 62
    bits = prepare_records(record_frame(**{column: codes}))[prepared].tolist()
    colliding = [
        (a, b)
        for (a, bits_a), (b, bits_b) in itertools.combinations(zip(codes, bits, strict=True), 2)
        if bits_a & bits_b
    ]
    assert colliding == [], f"codes that share a bit: {colliding}"


def test_destination_ignores_spaces_around_the_city() -> None:
    """Agencies that write one city with a stray space must agree on it, as every other text
    cell of the record format does once trimmed."""
    cells = [
        json.dumps([_event("exploitation", "2020-04-01", city)])
        for city in ("Mumbai", " mumbai ", "MUMBAI\t")
    ]
    frame = prepare_records(record_frame(hte_Events=cells))
    assert frame["destination"].tolist() == ["mumbai"] * 3


def _nested_journeys() -> pa.Table:
    """One record whose journey and episodes are nested lists, as a Parquet writer keeps them."""
    journey = [{"type": e["type"], "date": e["date"], "city": e["city"]} for e in JOURNEY]
    return pa.table(
        {
            "agency": ["police"],
            "source_record_id": ["r0"],
            "cas_RegistrationDate": ["2024-07-01"],
            "hte_Events": pa.array([journey]),
            "ext_Exploitations": pa.array([[{"form": "forced_labour", "start": "2019-01-01"}]]),
        }
    )


def _prepared_from_path(path: Path) -> pd.DataFrame:
    connection = connect()
    try:
        prepare_in(connection, path, with_blocking=False)
        return connection.sql(f"SELECT {', '.join(CIRCUMSTANCES)} FROM prepared").df()
    finally:
        connection.close()


NESTED_READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "parquet path": _prepared_from_path,
    "arrow table read from it": lambda path: prepare_records(pq.read_table(path)),
    "pandas frame read from it": lambda path: prepare_records(pd.read_parquet(path)),
}


@pytest.mark.parametrize("reader", list(NESTED_READERS))
def test_nested_journeys_in_parquet_read_the_same_however_given(
    tmp_path: Path, reader: str
) -> None:
    """linkage scans a Parquet file's nested journeys (to_json); the same file read into Arrow
    or pandas first (the file's lists of structs, numpy arrays of dicts in pandas) must give the
    same circumstances, not silently none."""
    path = tmp_path / "nested.parquet"
    pq.write_table(_nested_journeys(), path)
    row = NESTED_READERS[reader](path).iloc[0]
    read = tuple(None if pd.isna(row[c]) else row[c] for c in ("recruited", "exploited"))
    assert read == (_day("2020-02-01"), _day("2020-03-20"))
    assert row["destination"] == "mumbai"


# --- pipeline: a Parquet file linked in place ------------------------------------------------


@pytest.fixture(scope="module")
def small_world() -> World:
    return simulate(SimulationConfig(seed=5, children=600, scenario="south_asia"))


def test_parquet_file_links_as_the_same_records_in_a_frame(
    tmp_path: Path, small_world: World
) -> None:
    path = tmp_path / "records.parquet"
    pq.write_table(small_world.records, path)
    from_file = link_records(path)
    from_frame = link_records(small_world.records.to_pandas())

    def ordered(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        return frame.sort_values(keys).reset_index(drop=True)

    keys = ["agency", "source_record_id"]
    pd.testing.assert_frame_equal(
        ordered(from_file.clusters, keys), ordered(from_frame.clusters, keys)
    )
    pair_keys = ["unique_id_l", "unique_id_r"]
    pd.testing.assert_frame_equal(
        ordered(from_file.pairs, pair_keys), ordered(from_frame.pairs, pair_keys)
    )
    # not vacuous: records were linked, and circumstances were read from the file
    assert from_file.clusters["cluster_id"].nunique() < len(from_file.clusters)
    assert (from_file.pairs["mw_recruited"] != 0).any()


def test_parquet_file_missing_a_required_column_names_it(
    tmp_path: Path, small_world: World
) -> None:
    path = tmp_path / "no_registration.parquet"
    pq.write_table(small_world.records.drop(["cas_RegistrationDate"]).slice(0, 20), path)
    with pytest.raises(RecordFormatError, match="cas_RegistrationDate"):
        link_records(path)


def test_file_that_is_not_parquet_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "records.parquet"
    path.write_text("agency,source_record_id,cas_RegistrationDate\npolice,r0,2024-07-01\n")
    with pytest.raises(RecordFormatError, match=r"records\.parquet.*not a readable Parquet"):
        link_records(path)


# --- term-frequency scaling ------------------------------------------------------------------


def _thai_child(record_id: str, given: str, family: str, agency: str) -> dict[str, str]:
    return {
        "agency": agency,
        "source_record_id": record_id,
        "cas_RegistrationDate": "2023-03-01",
        "prs_FirstName": given,
        "prs_SecondName": family,
        "ext_NameScript": "Latn",
        "prs_Gender": "Feminine",
        "ext_StatedAge": "14",
        "prs_MailingCountry": "THA",
        "prs_MailingState": "Chiang Rai",
        "prs_MailingCity": "Mae Sai ward 1",
    }


def test_agreeing_on_a_rare_name_counts_for_more_than_on_a_common_one() -> None:
    varied, _ = generate(300, seed=3)
    families = ["Boonmee", "Chaiyo", "Dararat", "Eakkasit", "Fongsri", "Guntorn", "Hansa"]
    families += ["Inthira", "Jaidee", "Kanlaya", "Lamai", "Mongkol", "Nattaya", "Orathai"]
    common = [
        _thai_child(f"COMMON{i:02d}", "Kamala", family, "police-central")
        for i, family in enumerate(families)
    ]
    rare = [
        _thai_child("RARE1", "Xochitl", "Brightwater", "police-central"),
        _thai_child("RARE2", "Xochitl", "Brightwater", "ngo-shelter-a"),
    ]
    records = pd.concat([varied, pd.DataFrame(common + rare)], ignore_index=True).fillna("")
    given = records["prs_FirstName"].str.lower()
    assert (given == "kamala").sum() == len(common) and (given == "xochitl").sum() == 2

    # a review floor of 0 keeps every blocked pair, so the common name's pairs are all there
    pairs = link_records(records, LinkageOptions(review_floor=0.0)).pairs
    left, right = pairs["source_record_id_l"], pairs["source_record_id_r"]
    rare_pair = pairs[left.str.startswith("RARE") & right.str.startswith("RARE")]
    common_pairs = pairs[left.str.startswith("COMMON") & right.str.startswith("COMMON")]
    assert len(rare_pair) == 1 and len(common_pairs) >= 10
    assert rare_pair["mw_tf_adj_given_name"].iloc[0] > 0
    assert (common_pairs["mw_tf_adj_given_name"] < 0).all()


# --- EM robustness ---------------------------------------------------------------------------


@pytest.mark.slow
def test_mekong_world_links_where_em_used_to_refuse_the_model() -> None:
    """EM drove an identifier's disagreement m to 0 here and splink refused the model."""
    world = simulate(SimulationConfig(seed=7, children=5000, scenario="mekong"))
    result = link_records(world.records.to_pandas())
    assert len(result.clusters) == world.records.num_rows
    assert cluster_accuracy(_cluster_series(result), _truth_series(world)).f1 >= 0.7


# --- circumstances separate namesakes --------------------------------------------------------


def _namesake(
    record_id: str,
    agency: str,
    registered: str,
    recruited: str,
    exploited: str,
    destination: str,
    circumstances: dict[str, str],
) -> dict[str, str]:
    """A record of a girl called Sita Shrestha (common in Nepal) from Sindhupalchok, aged 14."""
    journey = [
        _event("recruitment", recruited, "Sindhupalchok"),
        _event("exploitation", exploited, destination),
    ]
    forms = circumstances["vic_TypeOfExploitation"]
    episodes = [{"form": forms.split(";")[0], "isic": None, "start": exploited, "end": None}]
    return {
        "agency": agency,
        "source_record_id": record_id,
        "cas_RegistrationDate": registered,
        "prs_FirstName": "Sita",
        "prs_SecondName": "Shrestha",
        "ext_NameScript": "Latn",
        "prs_Gender": "Feminine",
        "ext_StatedAge": "14",
        "prs_Citizenship": "NPL",
        "prs_MailingCountry": "NPL",
        "prs_MailingState": "Bagmati",
        "prs_MailingCity": "Sindhupalchok",
        "hte_Events": json.dumps(journey),
        "ext_Exploitations": json.dumps(episodes),
        **circumstances,
    }


FIRST_SITA = {
    "vic_TypeOfExploitation": "sexual_exploitation",
    "ext_Vulnerabilities": "poverty;out_of_school",
    "vic_MethodOfRecruitment": "ThroughFriendsOrSocialEvents",
    "vic_RelationshipToTrafficker": "Acquainted",
    "vic_MethodsOfControl": "PhysicalAbuse;WithholdsDocuments",
    "vic_AgeWhenTrafficked": "13",
}
SECOND_SITA = {
    "vic_TypeOfExploitation": "domestic_servitude",
    "ext_Vulnerabilities": "household_debt;low_caste",
    "vic_MethodOfRecruitment": "ThroughFamilyOrFamilyEvents",
    "vic_RelationshipToTrafficker": "Familial",
    "vic_MethodsOfControl": "DebtBondage",
    "vic_AgeWhenTrafficked": "9",
}


@pytest.fixture(scope="module")
def namesake_world() -> pd.DataFrame:
    """A simulated population (its children's own journeys train the model) and, added to it,
    two records of one Sita and one record of another Sita, recruited four years earlier."""
    world = simulate(SimulationConfig(seed=7, children=1500, scenario="south_asia"))
    # the second agency writes the journey a day off and the codes in another order
    same_child = dict(FIRST_SITA, ext_Vulnerabilities="out_of_school;poverty")
    sitas = [
        _namesake(
            "SITA-A1", "police-kathmandu", "2024-05-10", "2023-09-02", "2023-09-10",
            "Kathmandu", FIRST_SITA,
        ),
        _namesake(
            "SITA-A2", "ngo-shelter-kathmandu", "2024-05-20", "2023-09-01", "2023-09-11",
            "Kathmandu", same_child,
        ),
        _namesake(
            "SITA-B", "hotline-nepal", "2024-05-25", "2019-03-01", "2019-04-15",
            "Pokhara", SECOND_SITA,
        ),
    ]  # fmt: skip
    records = world.records.to_pandas()
    return pd.concat([records, pd.DataFrame(sitas)], ignore_index=True).fillna("")


def _sita_clusters(records: pd.DataFrame) -> dict[str, str]:
    clusters = link_records(records).clusters.set_index("source_record_id")["cluster_id"]
    return {record: clusters[record] for record in ("SITA-A1", "SITA-A2", "SITA-B")}


def test_circumstances_keep_namesakes_apart_and_one_child_together(
    namesake_world: pd.DataFrame,
) -> None:
    clusters = _sita_clusters(namesake_world)
    assert clusters["SITA-A1"] == clusters["SITA-A2"]
    assert clusters["SITA-B"] != clusters["SITA-A1"]


def test_without_circumstances_the_namesakes_are_merged(namesake_world: pd.DataFrame) -> None:
    """The control: the same three records with no circumstances are one child to the model,
    so it is the journeys that tell the two Sitas apart above."""
    records = namesake_world.copy()
    sitas = records["source_record_id"].str.startswith("SITA-")
    records.loc[sitas, list(CIRCUMSTANCE_COLUMNS)] = ""
    clusters = _sita_clusters(records)
    assert clusters["SITA-A1"] == clusters["SITA-A2"] == clusters["SITA-B"]
