"""Record linkage of one child's records across agencies: a pure library, no Django, no database.

Agency records (docs/record-format.md) go in as pandas, Arrow or a Parquet file; out come
clusters (one per child), the pairs' evidence and the trained splink model
(:func:`link_records`), or, one record at a time, the likely existing records of a child
(:class:`SearchIndex`). The store side (runs, reviews, the search index over the case store)
is the Django app :mod:`lantern.linkage`, which calls this package.

The names below are the public API. Modules, one job each:

- ``schema``: the record format as linkage reads it (columns, reading, validation);
- ``features``: records to the compared columns (name keys, birth, place, circumstances);
- ``blocking``: capped blocking keys within a pair budget;
- ``model``: the splink comparisons, blocking and training rules (names in
  ``name_comparisons``); ``backends``: DuckDB/Spark;
- ``pipeline``: prepare, train, predict and cluster in one session;
- ``clusters``, ``decisions``: clusters under a cohesion guard, reviewers' decisions;
- ``metrics``, ``quality``: accuracy against truth, and a run's own expectation without it;
- ``search`` (with ``search_parameters``, ``search_levels``, ``search_query``): search before
  create, the batch model's comparisons scored in numpy for one query at a time.

The library runs where identifying data may be read; what it returns for storing holds person
keys and match evidence, never names.
"""

from lantern.recordlinkage.backends import BACKENDS, Backend, connect
from lantern.recordlinkage.blocking import (
    BLOCKING_KEYS,
    DEFAULT_BLOCK_CAP,
    BlockingKey,
    add_blocking_keys,
)
from lantern.recordlinkage.clusters import Decision, capture_histories, cluster_records
from lantern.recordlinkage.decisions import read_decisions, review_queue
from lantern.recordlinkage.features import PREPARED_COLUMNS, prepare_records, prepare_table
from lantern.recordlinkage.metrics import Accuracy, cluster_accuracy, pairwise_accuracy
from lantern.recordlinkage.pipeline import (
    DEFAULT_COHESION,
    DEFAULT_REVIEW_FLOOR,
    DEFAULT_THRESHOLD,
    LinkageOptions,
    LinkageResult,
    link_records,
)
from lantern.recordlinkage.quality import WARN_BELOW_RECALL, LinkageQuality, linkage_quality
from lantern.recordlinkage.schema import (
    CIRCUMSTANCE_COLUMNS,
    IDENTITY_COLUMNS,
    LINKAGE_COLUMNS,
    RecordFormatError,
)
from lantern.recordlinkage.search import (
    DEFAULT_MIN_PROBABILITY,
    Candidate,
    FieldComparison,
    SearchIndex,
)
from lantern.recordlinkage.search_parameters import ModelParameters
from lantern.recordlinkage.search_query import prepare_one, prepare_query

__all__ = [
    "BACKENDS",
    "BLOCKING_KEYS",
    "CIRCUMSTANCE_COLUMNS",
    "DEFAULT_BLOCK_CAP",
    "DEFAULT_COHESION",
    "DEFAULT_MIN_PROBABILITY",
    "DEFAULT_REVIEW_FLOOR",
    "DEFAULT_THRESHOLD",
    "IDENTITY_COLUMNS",
    "LINKAGE_COLUMNS",
    "PREPARED_COLUMNS",
    "WARN_BELOW_RECALL",
    "Accuracy",
    "Backend",
    "BlockingKey",
    "Candidate",
    "Decision",
    "FieldComparison",
    "LinkageOptions",
    "LinkageQuality",
    "LinkageResult",
    "ModelParameters",
    "RecordFormatError",
    "SearchIndex",
    "add_blocking_keys",
    "capture_histories",
    "cluster_accuracy",
    "cluster_records",
    "connect",
    "link_records",
    "linkage_quality",
    "pairwise_accuracy",
    "prepare_one",
    "prepare_query",
    "prepare_records",
    "prepare_table",
    "read_decisions",
    "review_queue",
]
