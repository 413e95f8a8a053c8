"""Write a simulated world to a directory as a stream, never holding all records in memory.

Files (see README): records.parquet and records.csv (identical values, all strings),
truth.parquet, people.parquet, capture_histories.csv, summary.json, and the perpetrators
(perpetrators.parquet/csv, perpetrator_truth.parquet, traffickers.parquet). Writer settings are
fixed and no timestamps are written, so equal configs give byte-identical files.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from lantern.simulation.config import SimulationConfig
from lantern.simulation.model import compile_model
from lantern.simulation.perpetrators import (
    PERPETRATOR_SCHEMA,
    PERPETRATOR_TRUTH_SCHEMA,
    traffickers_table,
)
from lantern.simulation.world import RECORD_SCHEMA, TRUTH_SCHEMA, Tally, batches, summary

FILES: tuple[str, ...] = (
    "records.parquet",
    "records.csv",
    "truth.parquet",
    "people.parquet",
    "capture_histories.csv",
    "summary.json",
    "perpetrators.parquet",
    "perpetrators.csv",
    "perpetrator_truth.parquet",
    "traffickers.parquet",
)
_PARQUET_OPTIONS: dict[str, Any] = {"compression": "zstd", "write_statistics": True}


def _parquet(path: Path, schema: pa.Schema) -> pq.ParquetWriter:
    return pq.ParquetWriter(path, schema, **_PARQUET_OPTIONS)


def write(
    config: SimulationConfig,
    out_dir: str | Path,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
) -> dict[str, Any]:
    """Simulate ``config`` into ``out_dir`` (created if needed); return the summary.

    ``progress(children_done, children_total)`` is called after each batch; ``workers``
    processes draw blocks in parallel without changing a byte of the output.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model = compile_model(config)
    tally = Tally(agencies=tuple(a.code for a in model.agencies))
    records_pq = _parquet(out / "records.parquet", RECORD_SCHEMA)
    truth_pq = _parquet(out / "truth.parquet", TRUTH_SCHEMA)
    people_pq: pq.ParquetWriter | None = None
    records_csv = pacsv.CSVWriter(
        str(out / "records.csv"),
        RECORD_SCHEMA,
        write_options=pacsv.WriteOptions(quoting_style="needed"),
    )
    perpetrators_pq = _parquet(out / "perpetrators.parquet", PERPETRATOR_SCHEMA)
    perpetrator_truth_pq = _parquet(out / "perpetrator_truth.parquet", PERPETRATOR_TRUTH_SCHEMA)
    perpetrators_csv = pacsv.CSVWriter(
        str(out / "perpetrators.csv"),
        PERPETRATOR_SCHEMA,
        write_options=pacsv.WriteOptions(quoting_style="needed"),
    )
    try:
        for batch in batches(model, workers):
            tally.add(batch)
            records_pq.write_table(batch.records)
            records_csv.write_table(batch.records)
            truth_pq.write_table(batch.truth)
            perpetrators_pq.write_table(batch.perpetrators)
            perpetrators_csv.write_table(batch.perpetrators)
            perpetrator_truth_pq.write_table(batch.perpetrator_truth)
            if people_pq is None:
                people_pq = _parquet(out / "people.parquet", batch.people.schema)
            people_pq.write_table(batch.people)
            if progress is not None:
                progress(tally.children, config.children)
    finally:
        records_pq.close()
        truth_pq.close()
        records_csv.close()
        perpetrators_pq.close()
        perpetrators_csv.close()
        perpetrator_truth_pq.close()
        if people_pq is not None:
            people_pq.close()
    with (out / "capture_histories.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([*tally.agencies, "count"])
        for history, count in tally.history_rows():
            writer.writerow([*history, count])
    traffickers = traffickers_table(model)
    with _parquet(out / "traffickers.parquet", traffickers.schema) as writer:
        writer.write_table(traffickers)
    result = summary(model, tally)
    (out / "summary.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8"
    )
    return result
