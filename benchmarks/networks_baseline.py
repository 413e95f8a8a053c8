"""The organised corridors as the mart computed them before the fast path (commit 381d856),
kept as the baseline ``bench_networks_mart.py`` times beside the new one in the same run:
every role read as a model instance (``select_related`` of its register link, its case and
the case's agency) and the register's whole network analysis (``routes.analysed``: the graph
with places, betweenness for brokers, the communities, every network's flag and corridors; the
communities are now Leiden's in both paths).
"""

from __future__ import annotations

from collections import defaultdict

from lantern.cases.models import ActorRole
from lantern.perpetrators import adapter
from lantern.perpetrators.routes import CorridorKey, analysed


def organised_corridors() -> tuple[dict[CorridorKey, int], tuple[str, ...]]:
    """``perpetrators.routes.organised_corridors`` as it was."""
    roles = list(
        ActorRole.objects.filter(actor__register_link__isnull=False).select_related(
            "actor__register_link", "case__agency"
        )
    )
    analysis, _journeys = analysed(roles)
    flagged = {n.id for n in analysis.networks if n.organised_crime.flagged}
    cases: dict[CorridorKey, set[str]] = defaultdict(set)
    for c in analysis.corridors:
        if c.network in flagged:
            origin, destination = c.origin.partition(":")[0], c.destination.partition(":")[0]
            scope = "cross_border" if c.border_crossing else "domestic"
            cases[(origin, destination, scope)].update(c.cases)
    counted = {case for found in cases.values() for case in found}
    agencies = sorted({r.case.agency.code for r in roles if adapter.case_id(r.case_id) in counted})
    return {k: len(v) for k, v in cases.items()}, tuple(agencies)
