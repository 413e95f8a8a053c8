"""A synthetic population for the dump scans, and the scan itself.

A name is looked for as a whole token (not inside a longer run of letters and digits), so that a
short name cannot "match" inside random base64 ciphertext; a non-Latin name is looked for as
its UTF-8 bytes, which base64 text can never contain.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from tests import factories

IDENTIFYING_COLUMNS = (
    "prs_FirstName",
    "prs_SecondName",
    "ext_Nickname",
    "prs_Birthdate",
    "prs_IdentityNumber",
)


def population(tmp_path: Path, children: int = 300) -> tuple[Path, list[dict[str, Any]]]:
    """Agency records of synthetic children: from lantern.simulation when it is installed."""
    try:
        import pyarrow.parquet as pq

        from lantern.simulation import SimulationConfig, simulate
    except ImportError:
        rows = [factories.record(i, ("ngo-one", "police-two")[i % 2]) for i in range(children)]
        return factories.write_csv(tmp_path / "records.csv", rows), rows
    table = simulate(SimulationConfig(seed=11, children=children, agencies=3)).records
    path = tmp_path / "records.parquet"
    pq.write_table(table, path)
    return path, table.to_pylist()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _clear_values(rows: list[dict[str, Any]]) -> set[str]:
    """Every value stored in clear by design (codes, places, event dates, actor refs)."""
    out: set[str] = set()

    def add(v: Any) -> None:
        if isinstance(v, dict):
            for x in v.values():
                add(x)
        elif isinstance(v, list):
            for x in v:
                add(x)
        elif isinstance(v, str) and v[:1] in "[{":
            try:
                add(json.loads(v))
            except ValueError:
                out.update(re.split(r"[;\s]+", v))
        elif v is not None:
            out.update(re.split(r"[;\s]+", _text(v)))

    for r in rows:
        for k, v in r.items():
            if k not in IDENTIFYING_COLUMNS and k != "prs_MailingCity":
                add(v)
    return out


def secrets_of(rows: list[dict[str, Any]]) -> set[str]:
    """Names, birth dates and identity numbers that must never appear in clear."""
    clear = _clear_values(rows)
    found = set()
    for r in rows:
        for col in IDENTIFYING_COLUMNS:
            for token in _text(r.get(col)).split():
                if len(token) >= 2 and token not in clear:
                    found.add(token)
    return found


def leaks(blob: bytes, secrets: set[str]) -> list[str]:
    """The secrets found in ``blob`` as whole tokens."""
    hits = []
    for s in sorted(secrets):
        raw = s.encode("utf-8")
        if not s.isascii():
            if raw in blob:
                hits.append(s)
        elif re.search(rb"(?<![A-Za-z0-9_\-])" + re.escape(raw) + rb"(?![A-Za-z0-9_\-])", blob):
            hits.append(s)
    return hits
