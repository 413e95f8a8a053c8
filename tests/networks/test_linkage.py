"""Perpetrator linkage finds one person across agencies' spellings, scripts and phones."""

from __future__ import annotations

from functools import cache

import pandas as pd
import pytest

from lantern.networks import (
    Decision,
    PerpetratorFormatError,
    adjusted_rand_index,
    analyse,
    exact_name_clusters,
    journeys_from_records,
    link_accuracy,
    link_perpetrators,
    links_from_perpetrators,
)
from lantern.networks.records import phone_key, plate_key
from lantern.simulation import SimulationConfig, World, simulate

COLUMNS = [
    "agency",
    "perpetrator_record_id",
    "given_name",
    "family_name",
    "alias",
    "sex",
    "age",
    "phone",
    "vehicle",
    "country",
    "state",
    "city",
    "role",
    "case_key",
]


def _planted() -> pd.DataFrame:
    rows = [
        # one broker: Devanagari and two romanisations, phone in three formats, alias as name
        (
            "police-mumbai",
            "F1",
            "Ramesh",
            "Tamang",
            "",
            "M",
            "41",
            "+977 981234 5678",
            "",
            "IND",
            "Maharashtra",
            "Mumbai",
            "exploiter",
            "c1",
        ),
        (
            "ngo-kathmandu",
            "C7",
            "रमेश",
            "तामाङ",
            "Kale",
            "M",
            "",
            "09812345678",
            "",
            "NPL",
            "Bagmati",
            "Kathmandu",
            "exploiter",
            "c2",
        ),
        (
            "hotline",
            "H3",
            "",
            "",
            "Kale",
            "",
            "",
            "981-234-5678",
            "",
            "",
            "",
            "",
            "exploiter",
            "c3",
        ),
        (
            "police-kathmandu",
            "K2",
            "Rameshh",
            "Tamang",
            "",
            "M",
            "38",
            "",
            "",
            "NPL",
            "",
            "",
            "exploiter",
            "c4",
        ),
        # one transporter known by his plate
        (
            "police-mumbai",
            "F2",
            "Bikash",
            "Gurung",
            "",
            "M",
            "",
            "",
            "BA 2 KHA 4521",
            "NPL",
            "",
            "",
            "transporter",
            "c1",
        ),
        (
            "border-desk",
            "B9",
            "Bikas",
            "",
            "",
            "M",
            "30",
            "",
            "ba2kha4521",
            "NPL",
            "Madhesh",
            "Birgunj",
            "transporter",
            "c5",
        ),
    ]
    planted = pd.DataFrame(rows, columns=COLUMNS)
    return pd.concat([_background(), planted], ignore_index=True)


@cache
def _world() -> World:
    return simulate(SimulationConfig(seed=2, children=1200, agencies=5, scenario="south_asia"))


def _background() -> pd.DataFrame:
    """Other people: a simulated world's perpetrator records (many named Ramesh, Bikash...)."""
    perps = _world().perpetrators.to_pandas()
    perps["case_key"] = perps["agency"] + "|" + perps["source_record_id"]
    return perps[COLUMNS]


def test_keys_read_phone_numbers_and_plates_as_agencies_write_them() -> None:
    assert phone_key("+977 981234 5678") == phone_key("09812345678") == "12345678"
    assert phone_key("12-34") is None
    assert plate_key("ba 2 kha-4521") == plate_key("BA2KHA4521") == "BA2KHA4521"


def test_the_same_person_is_one_cluster_and_others_stay_apart() -> None:
    records = _planted()
    result = link_perpetrators(records)
    person = result.cluster_of()
    broker = {
        person[f"{a}|{r}"]
        for a, r in [
            ("police-mumbai", "F1"),
            ("ngo-kathmandu", "C7"),
            ("hotline", "H3"),
            ("police-kathmandu", "K2"),
        ]
    }
    assert len(broker) == 1
    assert person["police-mumbai|F2"] == person["border-desk|B9"]
    assert person["police-mumbai|F1"] != person["police-mumbai|F2"]
    # the other Ramesh and Bikash of the background are other people
    background = _background()
    namesakes = background[background["given_name"].isin(["Ramesh", "Bikash", "रमेश"])]
    assert len(namesakes) >= 3
    assert not {person[f"{a}|{r}"] for a, r in namesakes.iloc[:, :2].to_numpy()} & {
        person["police-mumbai|F1"],
        person["police-mumbai|F2"],
    }
    # every kept pair says how likely, and the uncertain ones wait for a person
    assert set(result.pairs["band"]) <= {"link", "review", "decided"}
    queue = result.review_queue()
    assert ((queue["match_probability"] >= 0.3) & (queue["match_probability"] < 0.9)).all()


def test_a_register_too_small_to_train_on_links_on_the_priors() -> None:
    planted = _planted().iloc[-6:]
    other = pd.DataFrame(
        [
            (
                "police-mumbai",
                "F3",
                "Ramesh",
                "Shrestha",
                "",
                "M",
                "25",
                "+977 980000 1111",
                "",
                "NPL",
                "Koshi",
                "Biratnagar",
                "recruiter",
                "c6",
            ),
            (
                "ngo-kathmandu",
                "C8",
                "Sita",
                "Tamang",
                "",
                "F",
                "33",
                "",
                "",
                "NPL",
                "Bagmati",
                "Kathmandu",
                "recruiter",
                "c7",
            ),
        ],
        columns=COLUMNS,
    )
    person = link_perpetrators(pd.concat([planted, other], ignore_index=True)).cluster_of()
    broker = {
        person[k]
        for k in ("police-mumbai|F1", "ngo-kathmandu|C7", "hotline|H3", "police-kathmandu|K2")
    }
    assert len(broker) == 1
    assert person["police-mumbai|F2"] == person["border-desk|B9"] not in broker
    assert person["police-mumbai|F3"] not in broker and person["ngo-kathmandu|C8"] not in broker
    assert len(set(person.values())) == 4


def test_a_reviewers_decision_splits_what_the_model_joined() -> None:
    records = _planted()
    decision = Decision("police-mumbai|F2", "border-desk|B9", "different")
    person = link_perpetrators(records, decisions=[decision]).cluster_of()
    assert person["police-mumbai|F2"] != person["border-desk|B9"]


def test_bad_input_says_what_is_wrong() -> None:
    with pytest.raises(PerpetratorFormatError, match="missing required column"):
        link_perpetrators(pd.DataFrame({"agency": ["a"]}))
    twice = pd.DataFrame({"agency": ["a", "a"], "perpetrator_record_id": ["1", "1"]})
    with pytest.raises(PerpetratorFormatError, match="must be unique"):
        link_perpetrators(twice)


def test_on_a_simulated_world_linkage_and_networks_beat_their_baselines() -> None:
    world = _world()
    perps = world.perpetrators.to_pandas()
    truth = world.perpetrator_truth.to_pandas()
    uid = (truth["agency"] + "|" + truth["perpetrator_record_id"]).to_numpy()
    person_truth = pd.Series(truth["true_perpetrator_id"].to_numpy(), index=uid)
    network_truth = pd.Series(truth["true_network_id"].to_numpy(), index=uid)
    perps["case_key"] = perps["agency"] + "|" + perps["source_record_id"]
    person_of = link_perpetrators(perps).cluster_of()
    ours = link_accuracy(pd.Series(person_of), person_truth)
    exact = link_accuracy(exact_name_clusters(perps), person_truth)
    assert ours.precision > 0.9 and ours.f1 > exact.f1 + 0.2
    records = world.records.to_pandas()
    journeys = journeys_from_records(records)
    result = analyse(
        links_from_perpetrators(perps, person_of, None, journeys), list(journeys.values())
    )
    detected = pd.Series([result.network_of[person_of[u]] for u in uid], index=uid)
    refs = perps["network_ref"].to_numpy()
    by_ref = pd.Series(
        [
            f"ref:{a}|{n}" if n else f"alone:{u}"
            for a, n, u in zip(perps["agency"], refs, uid, strict=True)
        ],
        index=uid,
    )
    assert (
        adjusted_rand_index(detected, network_truth)
        > adjusted_rand_index(by_ref, network_truth) + 0.2
    )
