"""Perpetrators across agencies and the networks they form: a pure library (no Django).

Two jobs, each on plain typed values:

**Linking perpetrators** reported by different agencies (:func:`link_perpetrators`). Give it
a pandas frame or Arrow table of perpetrator records with the columns of
:data:`PERPETRATOR_COLUMNS` (``agency`` and ``perpetrator_record_id`` required; names, alias,
sex, age, phone, vehicle, country/state/city, role, and ``case_key``: the case or linked child
the record concerns). It reuses the children's linkage engine (:mod:`lantern.recordlinkage`:
name keys in any script, splink in a bounded DuckDB, the fitted prior, the cohesion-guarded
clustering that keeps reviewers' :class:`Decision` values) and returns a
:class:`PerpetratorLinkage`: ``clusters`` (one ``cluster_id`` per person), ``pairs`` (each
scored pair with ``match_probability``, each comparison's evidence ``mw_*`` and its ``band``)
and ``review_queue()``, the uncertain pairs for a person to decide, with their probability::

    linkage = link_perpetrators(frame)            # or frame + decisions=[Decision(...)]
    person_of = linkage.cluster_of()              # "agency|perpetrator_record_id" -> person

**Analysing networks** (:func:`analyse`). Give it :class:`Link` tuples (perpetrator, case,
role, place, border_crossing, evidence) and optionally the cases' :class:`Journey` values
(origin, transit, destination, transport, border_crossing)::

    result = analyse([Link("p1", "case-7", "recruiter", "Sindhupalchok, NPL", False, "rec-3")],
                     journeys, seed=1)
    result.networks          # tuple[Network]: id, perpetrators, cases it touches, roles,
                             # places, border_cases, brokers (betweenness), organised_crime
    result.network_of["p1"]  # the network of one perpetrator
    result.networks_of_case("case-7")
    result.around("perpetrator", "p1", radius=2)  # nodes and edges with their evidence, to draw
    result.corridors         # tuple[Corridor]: network, origin, transit, destination,
                             # victims, transport, border_crossing (Corridor.as_row() for tables)
    result.network("network-1").organised_crime   # flagged, signs, reasons (Reason: code,
                                                  # params, text), as screening gives reasons

Communities are Leiden's (igraph) with a seed (the same links give the same networks); brokers are
ranked by betweenness centrality; the organised-crime flag follows :class:`OrganisedCrimeRule`.
:func:`journeys_from_records` and :func:`links_from_perpetrators` build the inputs from the
record format (importer files, the simulation's ``records`` and ``perpetrators``).
:func:`adjusted_rand_index` and :func:`link_accuracy` measure both against a known truth
(``benchmarks/bench_networks.py``).

Ids are the caller's: the library returns ids, counts and codes, never names.
"""

from lantern.networks.analysis import (
    Broker,
    EdgeView,
    Neighbourhood,
    Network,
    NetworkAnalysis,
    NodeView,
    analyse,
)
from lantern.networks.corridors import Corridor
from lantern.networks.flags import OrganisedCrimeFlag, OrganisedCrimeRule, Reason
from lantern.networks.graph import GraphInputError, Journey, Link, build_graph
from lantern.networks.linkage import (
    PerpetratorLinkage,
    PerpetratorLinkageOptions,
    exact_name_clusters,
    link_perpetrators,
)
from lantern.networks.metrics import adjusted_rand_index, link_accuracy
from lantern.networks.records import PERPETRATOR_COLUMNS, PerpetratorFormatError
from lantern.networks.sources import journeys_from_records, links_from_perpetrators
from lantern.recordlinkage.clusters import Decision

__all__ = [
    "PERPETRATOR_COLUMNS",
    "Broker",
    "Corridor",
    "Decision",
    "EdgeView",
    "GraphInputError",
    "Journey",
    "Link",
    "Neighbourhood",
    "Network",
    "NetworkAnalysis",
    "NodeView",
    "OrganisedCrimeFlag",
    "OrganisedCrimeRule",
    "PerpetratorFormatError",
    "PerpetratorLinkage",
    "PerpetratorLinkageOptions",
    "Reason",
    "adjusted_rand_index",
    "analyse",
    "build_graph",
    "exact_name_clusters",
    "journeys_from_records",
    "link_accuracy",
    "link_perpetrators",
    "links_from_perpetrators",
]
