"""Who the count counts: children screened possible or actual victims, decided per child from
all its records."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lantern.recordlinkage.population import child_flags, counted, describe, record_flags


def _records(**columns: list[str]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {"cas_RegistrationDate": ["2024-06-01"] * n}
    return pd.DataFrame(base | columns)


def test_each_way_a_record_gives_an_age() -> None:
    frame = _records(
        ext_StatedAge=["16", "19", "", "", "", "", ""],
        prs_Birthdate=["", "", "2010-01-01", "2001-03-04", "", "", ""],
        ext_AgeMin=["", "", "", "", "18", "", ""],
        ext_AgeEvidence=["", "", "", "", "", "presumed_minor", ""],
        vic_TraffickingStatus=["PossibleVictimOfTrafficking"] * 7,
    )
    per = child_flags(np.arange(7), record_flags(frame))
    # minor, adult, minor (14), adult (23), adult (18+), presumed minor, unknown (counted)
    assert counted(per).tolist() == [True, False, True, False, False, True, True]


def test_one_record_saying_minor_counts_the_child_and_not_a_victim_leaves_out() -> None:
    frame = _records(
        ext_StatedAge=["19", "15", "12", "12", "13"],
        vic_TraffickingStatus=[
            "ActualVictimOfTrafficking",
            "",
            "NotAVictimOfTrafficking",
            "NotAVictimOfTrafficking",
            "PossibleVictimOfTrafficking",
        ],
    )
    # child 0: a forged 19 and a 15; child 1: screened not a victim twice; child 2: one says
    # not a victim, another possible
    labels = np.array([0, 0, 1, 1, 2])
    per = child_flags(labels, record_flags(frame))
    assert counted(per).tolist() == [True, False, True]
    people = describe(per)
    assert (people.people, people.counted, people.adults, people.not_victims) == (3, 2, 0, 1)
    assert describe(per, everyone=True).counted == 3
