"""Family tracing: a family's request to find a child, matched against children who consented.

A tracing request describes the child as the family knows them: names as the family writes
them, sex, a birth date or an age, home village. It is matched with the same index and model
as search before create, but only against children whose consent to family tracing is "yes"
(unknown is no: a guardian may be the one who sold the child, so consent is never presumed).

Pure: no Django. :func:`match_tracing` matches a thousand requests in one vectorised pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from lantern.recordlinkage import (
    DEFAULT_MIN_PROBABILITY,
    IDENTITY_COLUMNS,
    RecordFormatError,
    SearchIndex,
    prepare_one,
    prepare_records,
)

#: What a tracing request may carry (record-format names); ``request_id`` is required.
REQUEST_COLUMNS: tuple[str, ...] = (
    "request_id",
    "cas_RegistrationDate",  # when the request was made: a stated age is counted from it
    *IDENTITY_COLUMNS,
)

RESULT_COLUMNS: tuple[str, ...] = ("request_id", "unique_id", "probability", "match_weight", "rank")


def _prepared_requests(requests: pd.DataFrame | Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    rows = requests.to_dict("records") if isinstance(requests, pd.DataFrame) else list(requests)
    prepared = []
    for number, row in enumerate(rows, 1):
        request_id = row.get("request_id")
        if request_id is None or not str(request_id).strip():
            raise RecordFormatError(f"tracing request row {number}: 'request_id' is blank")
        try:
            prepared.append(prepare_one(row))
        except RecordFormatError as error:
            raise RecordFormatError(f"tracing request {request_id!s}: {error}") from None
    ids = pd.Series([str(row["request_id"]).strip() for row in rows], dtype=object)
    if ids.duplicated().any():
        raise RecordFormatError(
            f"request_id must be unique; {ids[ids.duplicated()].iloc[0]!r} repeats"
        )
    frame = pd.DataFrame(prepared)
    frame.insert(0, "request_id", ids)
    return frame


def consenting_index(children: pd.DataFrame, model: Mapping[str, Any] | None = None) -> SearchIndex:
    """An index of only the children (record format) whose ``con_TracingConsent`` is yes."""
    prepared = prepare_records(children, with_blocking=False)
    return SearchIndex(prepared[prepared["tracing_consent"].eq(True)].reset_index(drop=True), model)


def match_tracing(
    requests: pd.DataFrame | Sequence[Mapping[str, Any]],
    children: pd.DataFrame | SearchIndex,
    limit: int = 5,
    min_probability: float = DEFAULT_MIN_PROBABILITY,
) -> pd.DataFrame:
    """The children (``unique_id``) each request may describe, best first.

    ``children`` is either records in the record format (only those with tracing consent are
    indexed) or a prebuilt :class:`SearchIndex`, of which only rows with tracing consent are
    considered. Returns one row per (request, candidate): :data:`RESULT_COLUMNS`.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    prepared = _prepared_requests(requests)
    index = children if isinstance(children, SearchIndex) else consenting_index(children)
    if not len(prepared) or not index.size:
        return pd.DataFrame({column: [] for column in RESULT_COLUMNS})
    found = index.match_many(
        prepared, limit=limit, min_probability=min_probability, eligible=index.tracing_consent
    )
    found.insert(0, "request_id", prepared["request_id"].to_numpy()[found["query"].to_numpy()])
    return found[list(RESULT_COLUMNS)].reset_index(drop=True)


def is_consenting(values: Sequence[bool | None]) -> bool:
    """Consent to tracing from every recorded answer: any refusal outweighs a yes."""
    answers = set(values)
    return False not in answers and True in answers


__all__ = [
    "REQUEST_COLUMNS",
    "RESULT_COLUMNS",
    "consenting_index",
    "is_consenting",
    "match_tracing",
]
