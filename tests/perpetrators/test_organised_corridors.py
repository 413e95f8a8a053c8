"""The monitoring map's organised corridors, read from plain rows without the rest of the
analysis, equal the path that read every role as a model instance and analysed everything."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

import pytest

from lantern.cases.models import ActorRole
from lantern.perpetrators import adapter, routes
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


def _before() -> tuple[dict[routes.CorridorKey, int], tuple[str, ...]]:
    """``routes.organised_corridors`` as it was (commit 381d856)."""
    roles = list(
        ActorRole.objects.filter(actor__register_link__isnull=False).select_related(
            "actor__register_link", "case__agency"
        )
    )
    analysis, _journeys = routes.analysed(roles)
    flagged = {n.id for n in analysis.networks if n.organised_crime.flagged}
    cases: dict[routes.CorridorKey, set[str]] = defaultdict(set)
    for c in analysis.corridors:
        if c.network in flagged:
            origin, destination = c.origin.partition(":")[0], c.destination.partition(":")[0]
            scope = "cross_border" if c.border_crossing else "domestic"
            cases[(origin, destination, scope)].update(c.cases)
    counted = {case for found in cases.values() for case in found}
    agencies = sorted({r.case.agency.code for r in roles if adapter.case_id(r.case_id) in counted})
    return {k: len(v) for k, v in cases.items()}, tuple(agencies)


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
