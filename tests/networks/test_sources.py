"""Links and journeys come out of the record format; ARI agrees with the textbook's."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from lantern.networks import adjusted_rand_index, journeys_from_records, links_from_perpetrators


def test_a_journey_reads_origin_transit_destination_transport_and_crossing() -> None:
    events = [
        {"type": "recruitment", "country": "NPL", "state": "Bagmati", "city": "Nuwakot"},
        {
            "type": "transit",
            "country": "NPL",
            "state": "Madhesh",
            "city": "Birgunj",
            "transport": "bus",
            "crossing": "illegal",
        },
        {"type": "exploitation", "country": "IND", "state": "Maharashtra", "city": "Mumbai"},
    ]
    records = pd.DataFrame(
        {
            "agency": ["police", "shelter", "shelter"],
            "source_record_id": ["1", "2", "3"],
            "hte_Events": [json.dumps(events), json.dumps(events[:1]), "not json"],
        }
    )
    journeys = journeys_from_records(records, {"police|1": "child-A", "shelter|2": "child-A"})
    assert set(journeys) == {"child-A"}  # the record telling most; bad JSON tells nothing
    journey = journeys["child-A"]
    assert (journey.origin, journey.transit, journey.destination) == (
        "Nuwakot, NPL",
        ("Birgunj, NPL",),
        "Mumbai, IND",
    )
    assert journey.transport == ("bus",) and journey.border_crossing
    perps = pd.DataFrame(
        {
            "agency": ["police", "police"],
            "perpetrator_record_id": ["P1", "P2"],
            "source_record_id": ["1", "1"],
            "role": ["transporter", "recruiter"],
            "country": ["NPL", ""],
            "state": ["Madhesh", ""],
            "city": ["", ""],
        }
    )
    links = links_from_perpetrators(
        perps, {"police|P1": "person-9"}, {"police|1": "child-A"}, journeys
    )
    assert [(k.perpetrator, k.case, k.place, k.border_crossing, k.evidence) for k in links] == [
        ("person-9", "child-A", "Madhesh, NPL", True, "police|P1"),
        ("police|P2", "child-A", "", False, "police|P2"),
    ]


def test_adjusted_rand_index_is_the_textbooks() -> None:
    rng = np.random.default_rng(4)
    truth = rng.integers(0, 6, 300)
    noisy = np.where(rng.random(300) < 0.6, truth, rng.integers(0, 9, 300))
    ours = adjusted_rand_index(pd.Series(noisy), pd.Series(truth))
    assert abs(ours - adjusted_rand_score(truth, noisy)) < 1e-12
    assert adjusted_rand_index(pd.Series(truth), pd.Series(truth)) == 1.0
