"""The monitoring map's organised corridors, read from plain rows without the rest of the
analysis, equal the path that read every role as a model instance and analysed everything."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from benchmarks.networks_baseline import organised_corridors as _before

from lantern.cases.models import ActorRole
from lantern.perpetrators import routes
from lantern.perpetrators.enrol import enrol_unlinked
from tests import factories
from tests.perpetrators.conftest import _actors

pytestmark = pytest.mark.django_db

ROLES = ("recruiter", "transporter", "exploiter", "corrupt_official", "harbourer")
STOPS = (
    ("NPL", "Bagmati", "Sindhupalchok"),
    ("NPL", "Bagmati", "Kathmandu"),
    ("IND", "Bihar", "Raxaul"),
    ("IND", "Maharashtra", "Mumbai"),
    ("BGD", "Dhaka", ""),
)


def _journey(rng: random.Random) -> str:
    steps = [
        {
            "type": kind,
            "date": "2024-01-0" + str(n + 1),
            "country": country,
            "state": state,
            "city": city,
            "transport": rng.choice(("bus", "train", None)),
            "crossing": rng.choice(("illegal", None, None)),
        }
        for n, (kind, (country, state, city)) in enumerate(
            zip(("recruitment", "transit", "exploitation"), rng.sample(STOPS, 3), strict=True)
        )
    ]
    return json.dumps(steps[: rng.randint(0, 3)])


def test_the_corridors_from_plain_rows_are_those_of_the_whole_analysis(
    tmp_path: Path, fast_passwords: None
) -> None:
    rng = random.Random(5)
    agencies = ("ngo-x", "police-y", "ngo-z")
    for code in agencies:
        factories.agency(code)
    rows = []
    for i in range(90):
        row = factories.record(i, agencies[i % 3], rng)
        pool = [f"T-{agencies[i % 3]}-{k}" for k in range(9)]
        row["per_Actors"] = _actors(
            *((ref, rng.choice(ROLES), "") for ref in rng.sample(pool, rng.randint(1, 3)))
        )
        row["hte_Events"] = _journey(rng)
        rows.append(row)
    factories.import_records(rows, tmp_path)
    enrol_unlinked()
    assert ActorRole.objects.filter(actor__register_link__isnull=False).count() > 150
    counts, found = routes.organised_corridors()
    assert (counts, found) == _before()
    assert len(counts) >= 3 and sum(counts.values()) >= 10  # not an empty comparison
    assert {scope for _o, _d, scope in counts} == {"cross_border", "domestic"}


def test_the_cycle_collector_is_paused_only_during_the_analysis() -> None:
    import gc

    from lantern.perpetrators.routes import _no_cycle_collection

    assert gc.isenabled()
    with _no_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()  # whoever paused it first keeps it paused
    try:
        with _no_cycle_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
