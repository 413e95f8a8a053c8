"""Run the simulation: true children, their observation, and agencies' records, batch by batch.

``batches`` is the one pipeline; ``simulate`` gathers it in memory for small worlds and
``lantern.simulation.output.write`` streams it to files for large ones, so both give the same
numbers for the same config.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from lantern.simulation import codes
from lantern.simulation.capture import Captures, observe
from lantern.simulation.config import SimulationConfig
from lantern.simulation.model import ORGANISED_CRIME_SIZE, STREAM_RECORDS, Model, compile_model
from lantern.simulation.naming import NameEntry
from lantern.simulation.perpetrators import (
    STREAM_PERPETRATORS,
    PerpetratorWriter,
    traffickers_table,
)
from lantern.simulation.population import BLOCK, MAX_EPISODES, Children, generate_block
from lantern.simulation.records import Renderer, person_id
from lantern.simulation.scenario import load_scenario

#: Blocks written together (one Parquet row group); fixed so files never depend on memory.
BLOCKS_PER_BATCH = 16
AGE_GROUPS: tuple[tuple[str, int, int], ...] = (
    ("0-11", 0, 11),
    ("12-14", 12, 14),
    ("15-17", 15, 17),
)
STRATA: tuple[str, ...] = (
    "sex",
    "age_group",
    "exploitation_form",
    "origin_country",
    "origin_region",
)

RECORD_SCHEMA = pa.schema([(c, pa.string()) for c in codes.RECORD_COLUMNS])
TRUTH_SCHEMA = pa.schema(
    [("agency", pa.string()), ("source_record_id", pa.string()), ("true_person_id", pa.string())]
)

_OUTCOMES_YOUNG = (
    ("reunited_with_family", 0.55),
    ("alternative_care", 0.15),
    ("remained_in_care", 0.15),
    ("ran_away", 0.08),
    ("transferred", 0.065),
    ("died", 0.005),
)
_OUTCOMES_OLDER = (
    ("group_home_with_job", 0.25),
    ("reunited_with_family", 0.3),
    ("independent_living", 0.15),
    ("remained_in_care", 0.12),
    ("ran_away", 0.1),
    ("alternative_care", 0.05),
    ("transferred", 0.025),
    ("died", 0.005),
)


@dataclass
class Batch:
    """A batch of children: their observation, people rows and agency records."""

    captures: Captures
    people: pa.Table
    records: pa.Table
    truth: pa.Table
    perpetrators: pa.Table
    perpetrator_truth: pa.Table


@dataclass
class Tally:
    """Running totals over batches: the capture histories and the truth per stratum."""

    agencies: tuple[str, ...]
    histories: Counter[tuple[int, ...]] = field(default_factory=Counter)
    strata: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    records_per_agency: Counter[str] = field(default_factory=Counter)
    referred_per_agency: Counter[str] = field(default_factory=Counter)
    probability_sum: NDArray[np.float64] | None = None
    children: int = 0
    observed: int = 0
    records: int = 0

    def add(self, batch: Batch) -> None:
        cap = batch.captures
        rec = cap.recorded
        self.children += rec.shape[0]
        seen = rec.any(axis=1)
        self.observed += int(seen.sum())
        self.records += int(rec.sum())
        packed = Counter(map(tuple, rec[seen].astype(np.int8).tolist()))
        self.histories.update(packed)
        for a, code in enumerate(self.agencies):
            self.records_per_agency[code] += int(rec[:, a].sum())
            self.referred_per_agency[code] += int(cap.referred[:, a].sum())
        psum = cap.probability.sum(axis=0)
        self.probability_sum = psum if self.probability_sum is None else self.probability_sum + psum
        people = batch.people
        observed = people.column("observed")
        for stratum in STRATA:
            table = self.strata.setdefault(stratum, {})
            col = people.column(stratum)
            for pos, counts in enumerate((col, col.filter(observed))):
                for item in pc.value_counts(counts).to_pylist():
                    table.setdefault(item["values"], [0, 0])[pos] += item["counts"]

    def history_rows(self) -> list[tuple[tuple[int, ...], int]]:
        """Observed histories, fewest lists first, then list order (as the MSE references)."""
        return sorted(self.histories.items(), key=lambda kv: (sum(kv[0]), [-x for x in kv[0]]))


def _outcomes(
    ch: Children, seen: NDArray[np.bool_], model: Model, rng: np.random.Generator
) -> list[str]:
    """Each child's outcome: after identification by age, else still exploited or self-exit."""
    u = rng.random(len(ch))
    older = ch.age_recruited >= 15
    out = np.where(ch.exit_day > model.end_day, "still_exploited", "self_exit").astype(object)
    for table, group in ((_OUTCOMES_YOUNG, ~older), (_OUTCOMES_OLDER, older)):
        names = [c for c, _ in table]
        cum = np.cumsum([p for _, p in table])
        pick = np.minimum(np.searchsorted(cum, u * cum[-1], side="right"), len(names) - 1)
        m = seen & group
        out[m] = np.array(names, dtype=object)[pick[m]]
    return list(out)


def _take(values: list[str] | tuple[str, ...], idx: NDArray[np.int64]) -> pa.Array:
    """Strings for indices; -1 gives null."""
    mask = np.asarray(idx) < 0
    indices = pa.array(np.where(mask, 0, idx), pa.int64(), mask=mask)
    return pa.array(list(values), pa.string()).take(indices)


def _masks(masks: NDArray[np.int64], labels: tuple[str, ...]) -> pa.Array:
    """Bit masks as ``;``-joined labels (each distinct mask joined once)."""
    uniq, inverse = np.unique(masks, return_inverse=True)
    text = [";".join(c for b, c in enumerate(labels) if int(m) >> b & 1) for m in uniq]
    return _take(text, inverse.astype(np.int64))


def _strings(values: Any) -> pa.Array:
    return pa.array(values, pa.string())


@cache
def _name_tables(
    scenario: str, pool_names: tuple[str, ...]
) -> tuple[dict[str, NDArray[np.int64]], dict[tuple[str, bool], pa.Array]]:
    """Every name of the run's pools as Arrow strings (native and usual Latin), built once.

    Indexed by (pool, sex) offset plus the index within the pool, so a block's name columns
    are one ``take`` each instead of rebuilding thousands of strings per block.
    """
    scn = load_scenario(scenario)
    pools = [scn.pools[p] for p in pool_names]
    flat: dict[str, list[NameEntry]] = {"given": [], "family": [], "nickname": []}
    offset = {key: np.zeros((len(pools), 2), dtype=np.int64) for key in flat}
    for p_i, p in enumerate(pools):
        for s_i, (given, nick) in enumerate(((p.given_f, p.nickname_f), (p.given_m, p.nickname_m))):
            for key, entries in (("given", given), ("nickname", nick), ("family", p.family)):
                offset[key][p_i, s_i] = len(flat[key])
                flat[key].extend(entries)
    texts = {
        (key, latin): pa.array(
            [e.latin[0] if latin else e.native for e in entries] or [""], pa.string()
        )
        for key, entries in flat.items()
        for latin in (False, True)
    }
    return offset, texts


def _people(model: Model, ch: Children, cap: Captures, outcome: list[str]) -> pa.Table:
    """The true population rows (people.parquet): identity, journey, actors, outcome."""
    scn = model.scenario
    pools = [scn.pools[p] for p in model.pool_names]
    offset, texts = _name_tables(scn.name, model.pool_names)
    sex_i = np.where(ch.female, 0, 1)

    def names(key: str, idx: NDArray[np.int64], latin: bool) -> pa.Array:
        at = np.where(idx >= 0, offset[key][ch.pool, sex_i] + idx, -1)
        mask = at < 0
        return texts[key, latin].take(pa.array(np.where(mask, 0, at), pa.int64(), mask=mask))

    origins = scn.origins
    kind_ids = [k.id for k in scn.kinds]
    forms = [k.form for k in scn.kinds]
    age = ch.age_recruited
    age_group = np.select(
        [age <= hi for _, _, hi in AGE_GROUPS], [g for g, _, _ in AGE_GROUPS], default="15-17"
    )
    ep_kinds = [_take(kind_ids, ch.kind[:, e]) for e in range(MAX_EPISODES)]
    ep_forms = [_take(forms, ch.kind[:, e]) for e in range(MAX_EPISODES)]
    ep_dest = [
        _take([p.country for p in model.destinations], ch.destination[:, e])
        for e in range(MAX_EPISODES)
    ]
    transit_ids = [t.id for t in scn.transits]
    joined = lambda arrs: pc.binary_join_element_wise(*arrs, ";", null_handling="skip")  # noqa: E731
    nets = model.networks
    organised = (nets.expected_size[np.maximum(ch.network, 0)] >= ORGANISED_CRIME_SIZE) & (
        ch.network >= 0
    )
    vuln = _masks(ch.vulnerabilities, model.vuln_codes)
    control = _masks(ch.control, model.control_codes)
    weights = np.left_shift(1, np.arange(model.n_agencies))
    recorded_by = _masks(
        (cap.recorded @ weights).astype(np.int64), tuple(a.code for a in model.agencies)
    )

    def date(days: NDArray[np.int64]) -> pa.Array:
        return pa.array(days.astype(np.int32), pa.date32(), mask=days < 0)

    def nullable(v: NDArray[np.int64]) -> pa.Array:
        return pa.array(v, pa.int64(), mask=v < 0)

    cols: dict[str, pa.Array] = {
        "true_person_id": _strings([person_id(i) for i in ch.index.tolist()]),
        "household_id": _strings([f"H{h + 1:08d}" for h in ch.household.tolist()]),
        "sex": _strings(np.where(ch.female, "F", "M").tolist()),
        "birth_date": date(ch.birth_day),
        "age_at_recruitment": pa.array(age.tolist(), pa.int64()),
        "age_group": _strings(age_group.tolist()),
        "language": _take([p.language for p in pools], ch.pool),
        "name_script": _take([p.script for p in pools], ch.pool),
        "given_name": names("given", ch.given, latin=False),
        "family_name": names("family", ch.family, latin=False),
        "given_name_latin": names("given", ch.given, latin=True),
        "family_name_latin": names("family", ch.family, latin=True),
        "nickname": names("nickname", ch.nickname, latin=False),
        "origin_country": _take([o.country for o in origins], ch.origin),
        "origin_region": _take([o.state for o in origins], ch.origin),
        "home_district": _take([o.city for o in origins], ch.origin),
        "home_village": _strings(
            [
                model.origin_villages[o][v]
                for o, v in zip(ch.origin.tolist(), ch.village.tolist(), strict=True)
            ]
        ),
        "vulnerabilities": _strings(vuln),
        "recruitment_method": _take(model.recruitment_codes, ch.recruitment),
        "relationship_to_recruiter": _take(model.relationship_codes, ch.relationship),
        "methods_of_control": _strings(control),
        "recruited_on": date(ch.recruited_day),
        "transit_1": _take(transit_ids, ch.transit[:, 0]),
        "transit_1_on": date(ch.transit_day[:, 0]),
        "transit_2": _take(transit_ids, ch.transit[:, 1]),
        "transit_2_on": date(ch.transit_day[:, 1]),
        "cross_border": pa.array(ch.cross_border.tolist(), pa.bool_()),
        "crossed_illegally": pa.array(ch.illegal.any(axis=1).tolist(), pa.bool_()),
        "smuggled": pa.array(ch.smuggled.tolist(), pa.bool_()),
        "episodes": pa.array(ch.episodes.tolist(), pa.int64()),
        "exploitation_form": ep_forms[0],
        "exploitation_kinds": joined(ep_kinds),
        "exploitation_forms": joined(ep_forms),
        "destination_countries": joined(ep_dest),
        "exploitation_start": date(ch.episode_start[:, 0]),
        "exploitation_end": date(ch.exit_day),
        "forged_document": pa.array(ch.forged_document.tolist(), pa.bool_()),
        "documented_age": nullable(ch.documented_age),
        "network_ids": joined(
            [nullable(ch.network[:, e]).cast(pa.string()) for e in range(MAX_EPISODES)]
        ),
        "organised_crime": pa.array(organised.any(axis=1).tolist(), pa.bool_()),
        "recruiter_actor": nullable(ch.recruiter),
        "transporter_actor": nullable(ch.transporter),
        "exploiter_actors": joined(
            [nullable(ch.exploiter[:, e]).cast(pa.string()) for e in range(MAX_EPISODES)]
        ),
        "forger_actor": nullable(ch.forger),
        "official_actor": nullable(ch.official),
        "catchability": pa.array(ch.catchability.tolist(), pa.float64()),
        "observed": pa.array(cap.recorded.any(axis=1).tolist(), pa.bool_()),
        "recorded_by": _strings(recorded_by),
        "outcome": _strings(outcome),
    }
    return pa.table(cols)


@dataclass
class _BlockResult:
    captures: Captures
    people: pa.Table
    records: pa.Table
    truth: pa.Table
    perpetrators: pa.Table
    perpetrator_truth: pa.Table


def _table(rows: list[tuple[str, ...]], schema: pa.Schema) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    return pa.table([pa.array(c, pa.string()) for c in columns], schema=schema)


def _block(model: Model, renderer: Renderer, writer: PerpetratorWriter, block: int) -> _BlockResult:
    """Everything about one block of children; blocks are independent of each other."""
    ch = generate_block(model, block)
    rng = np.random.default_rng([model.config.seed, STREAM_RECORDS, block])
    cap = observe(model, ch, rng)
    outcome = _outcomes(ch, cap.recorded.any(axis=1), model, rng)
    rows, truth, sightings = renderer.render(ch, cap, outcome, rng)
    # perpetrators draw from their own stream: the children's records stay as they were
    perp_rng = np.random.default_rng([model.config.seed, STREAM_PERPETRATORS, block])
    perpetrators, perpetrator_truth = writer.render(rows, sightings, ch, perp_rng)
    return _BlockResult(
        cap,
        _people(model, ch, cap, outcome),
        _table(rows, RECORD_SCHEMA),
        _table(truth, TRUTH_SCHEMA),  # type: ignore[arg-type]
        perpetrators,
        perpetrator_truth,
    )


_WORKER: tuple[Model, Renderer, PerpetratorWriter] | None = None


def _worker_init(config: SimulationConfig) -> None:
    global _WORKER
    model = compile_model(config)
    renderer = Renderer(model)
    _WORKER = (model, renderer, PerpetratorWriter(model, renderer))


def _worker_block(block: int) -> _BlockResult:
    assert _WORKER is not None
    return _block(*_WORKER, block)


def _batch(parts: list[_BlockResult]) -> Batch:
    return Batch(
        captures=_concat_captures([p.captures for p in parts]),
        people=pa.concat_tables([p.people for p in parts]).combine_chunks(),
        records=pa.concat_tables([p.records for p in parts]).combine_chunks(),
        truth=pa.concat_tables([p.truth for p in parts]).combine_chunks(),
        perpetrators=pa.concat_tables([p.perpetrators for p in parts]).combine_chunks(),
        perpetrator_truth=pa.concat_tables([p.perpetrator_truth for p in parts]).combine_chunks(),
    )


def batches(model: Model, workers: int = 1) -> Iterator[Batch]:
    """Yield the world batch by batch, in order; the only generator of outputs.

    With ``workers`` > 1, blocks are drawn in that many processes; the output is the same,
    because every block has its own random streams and no block depends on another.
    """
    n_blocks = -(-model.config.children // BLOCK)
    groups = [
        list(range(first, min(n_blocks, first + BLOCKS_PER_BATCH)))
        for first in range(0, n_blocks, BLOCKS_PER_BATCH)
    ]
    if workers <= 1 or n_blocks == 1:
        renderer = Renderer(model)
        writer = PerpetratorWriter(model, renderer)
        for group in groups:
            yield _batch([_block(model, renderer, writer, b) for b in group])
        return
    ctx = multiprocessing.get_context("spawn")  # never fork: Arrow's threads may hold locks
    with ctx.Pool(workers, initializer=_worker_init, initargs=(model.config,)) as pool:
        results = pool.imap(_worker_block, range(n_blocks), chunksize=1)
        for group in groups:
            yield _batch([next(results) for _ in group])


def _concat_captures(parts: list[Captures]) -> Captures:
    if len(parts) == 1:
        return parts[0]
    fields = Captures.__dataclass_fields__
    return Captures(**{f: np.concatenate([getattr(p, f) for p in parts]) for f in fields})


def summary(model: Model, tally: Tally) -> dict[str, Any]:
    """summary.json: the truth a linkage or estimate is judged against, with its provenance."""
    cfg, scn, nets = model.config, model.scenario, model.networks
    psum = tally.probability_sum if tally.probability_sum is not None else np.zeros(0)
    agencies = []
    for a, spec in enumerate(model.agencies):
        agencies.append(
            {
                "agency": spec.code,
                "agency_type": spec.kind,
                "configured_capture_probability": spec.capture,
                "mean_direct_capture_probability": round(
                    float(psum[a]) / max(1, tally.children), 6
                ),
                "records": tally.records_per_agency[spec.code],
                "records_by_referral": tally.referred_per_agency[spec.code],
            }
        )
    strata = {
        name: {
            key: {"true": cell[0], "observed": cell[1]}
            for key, cell in sorted(tally.strata.get(name, {}).items())
        }
        for name in STRATA
    }
    sizes = np.sort(nets.expected_size)[::-1]
    return {
        "seed": cfg.seed,
        "scenario": cfg.scenario,
        "scenario_title": scn.title,
        "config": cfg.as_dict(),
        "period": {"start": cfg.start.isoformat(), "end": cfg.end.isoformat()},
        "true_children": tally.children,
        "observed_children": tally.observed,
        "unobserved_children": tally.children - tally.observed,
        "records": tally.records,
        "agencies": agencies,
        "capture_histories": len(tally.histories),
        "strata": strata,
        "networks": {
            "count": nets.count,
            "largest_expected_reach": round(float(sizes[0]), 1),
            "organised_crime_networks": int((sizes >= ORGANISED_CRIME_SIZE).sum()),
        },
        "provenance": {
            "method": "lantern.simulation: synthetic population with known truth; "
            f"capture setting {cfg.capture!r}",
            "scope": "synthetic children only; figures describe this simulated world, "
            "not any real country",
            "uncertainty": "none: these are the true counts of the simulated population",
        },
    }


@dataclass
class World:
    """A whole simulated world in memory (use ``output.write`` for large runs)."""

    config: SimulationConfig
    people: pa.Table
    records: pa.Table
    truth: pa.Table
    capture_probability: NDArray[np.float64]  # (children, agencies), direct capture
    recorded: NDArray[np.bool_]  # (children, agencies)
    referred: NDArray[np.bool_]
    histories: list[tuple[tuple[int, ...], int]]
    summary: dict[str, Any]
    perpetrators: pa.Table  # agencies' records of the traffickers their child records name
    perpetrator_truth: pa.Table  # perpetrator record -> true perpetrator and network
    traffickers: pa.Table  # the true perpetrators

    @property
    def agencies(self) -> tuple[str, ...]:
        return tuple(a["agency"] for a in self.summary["agencies"])


def simulate(config: SimulationConfig) -> World:
    """Build the world for ``config`` in memory: people, records, truth and summary."""
    model = compile_model(config)
    tally = Tally(agencies=tuple(a.code for a in model.agencies))
    people, records, truth, probs, recorded, referred = [], [], [], [], [], []
    perpetrators, perpetrator_truth = [], []
    for batch in batches(model):
        tally.add(batch)
        people.append(batch.people)
        records.append(batch.records)
        truth.append(batch.truth)
        perpetrators.append(batch.perpetrators)
        perpetrator_truth.append(batch.perpetrator_truth)
        probs.append(batch.captures.probability)
        recorded.append(batch.captures.recorded)
        referred.append(batch.captures.referred)
    return World(
        config=config,
        people=pa.concat_tables(people),
        records=pa.concat_tables(records),
        truth=pa.concat_tables(truth),
        capture_probability=np.concatenate(probs),
        recorded=np.concatenate(recorded),
        referred=np.concatenate(referred),
        histories=tally.history_rows(),
        summary=summary(model, tally),
        perpetrators=pa.concat_tables(perpetrators),
        perpetrator_truth=pa.concat_tables(perpetrator_truth),
        traffickers=traffickers_table(model),
    )
