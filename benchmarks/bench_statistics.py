"""Statistics at national scale: the mart and its tables beside ORM aggregation, same run.

    python benchmarks/bench_statistics.py [--quick] [--cases N] [--repeat R] [--linked]

A store of N cases (1,000,000 by default; 100,000 with --quick) in a PostgreSQL server of its
own (``load_pg``): a template of simulated records through the real import, copied in SQL to N
(``load_seed``, as the load benchmark); with ``--linked``, linked as the simulation's truth says
(a perfect linkage run, ``load_seed.link_as_truth``), so that children of several records are
counted as in a linked register. Then:

- mart build: ``lantern.monitoring.mart.build`` over the whole store (target < 60 s at 1M),
  beside the build as it was (``mart_baseline``, BASELINE, same run, same rows); then an
  incremental refresh after 1% of the cases changed (half their own fields, half a step of
  their journey), checked equal to a full build of the changed store;
- table: ``build_table`` for a set of tables a coordinator asks for (1 to 3 dimensions, distinct
  children and cases, a filter), each R times, p50 and p95 (target p95 < 1 s at 1M); and the
  same with disclosure control (``publish``: suppression and its audit), which is what leaves;
- BASELINE: the same tables as Django ORM aggregations over the store (``values(...)``
  ``.annotate(Count(..., distinct=True))``), single-valued dimensions only (the ORM cannot
  unnest a list of forms), timed the same way in the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import load_pg  # noqa: E402
import load_seed  # noqa: E402
import mart_baseline  # noqa: E402

#: (rows, cols, where, unit, the ORM's fields for the baseline or None when it has no equivalent)
TABLES: list[tuple[str, str, tuple[tuple[str, str], ...], str, tuple[str, ...] | None]] = [
    ("year", "", (), "children", ("registration_date__year",)),
    ("sex", "age", (), "children", ("gender", "age_group")),
    ("primary_form", "sex", (), "cases", ("primary_form", "gender")),
    ("agency", "channel", (), "cases", ("agency__code", "intake_channel")),
    ("primary_form", "sex,age", (), "children", ("primary_form", "gender", "age_group")),
    ("form", "sex", (), "children", None),
    ("destination", "year", (("sex", "Feminine"),), "children", None),
]


def say(text: str) -> None:
    print(text, flush=True)


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def orm(fields: tuple[str, ...], unit: str, linked: bool = False) -> Callable[[], Any]:
    """The baseline: distinct children are the linked children's keys when the store is
    linked, else each agency record's person."""
    from django.db.models import Count

    from lantern.cases.models import Case

    child = "person__link__cluster_key" if linked else "person"
    key = child if unit == "children" else "id"
    return lambda: list(
        Case.objects.values(*fields).annotate(n=Count(key, distinct=True)).order_by()
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="100,000 cases")
    ap.add_argument("--cases", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=20, help="timings per table")
    ap.add_argument("--template", type=int, default=20_000, help="cases through the import")
    ap.add_argument("--pg-server", default=None, help="use this PostgreSQL server's URL")
    ap.add_argument("--mart-only", action="store_true", help="time the mart's builds only")
    ap.add_argument(
        "--no-networks",
        action="store_true",
        help="leave out the network analysis of the organised corridors (timed apart anyway; "
        "minutes over a large register)",
    )
    ap.add_argument(
        "--linked",
        action="store_true",
        help="link the store as the simulation's truth says (a perfect linkage run), so that "
        "the tables count children of several records as a linked national register has them",
    )
    args = ap.parse_args()
    cases = args.cases or (100_000 if args.quick else 1_000_000)
    work = Path(tempfile.mkdtemp(prefix="lantern-stats-"))
    os.environ["LANTERN_VAR"] = str(work / "var")
    os.environ["LANTERN_MART_REFRESH"] = "off"  # the builds timed here are asked for by hand
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    try:
        with load_pg.database(args.pg_server, None) as db:
            os.environ["DATABASE_URL"] = db.url
            import django

            django.setup()
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            load_seed.import_template(min(cases, args.template), work, say)
            persons = load_seed.template_persons()
            total = load_seed.copy_to(cases, say)
            if args.linked:
                load_seed.link_as_truth(work / "sim", persons, say)
            load_seed.analyse()
            info = builds(total, work, networks=not args.no_networks)
            if not args.mart_only:
                run(total, info, args.repeat, args.linked)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _same(a: Path, b: Path) -> bool:
    import pyarrow.parquet as pq

    def rows(path: Path) -> Any:
        table = pq.read_table(path)
        return table.take(table.column("case_key").to_numpy(zero_copy_only=False).argsort())

    return bool(rows(a).equals(rows(b)))


def change_one_percent() -> int:
    """1% of the cases changed, as edits would: half their own fields, half a journey step."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE cases_case SET outcome = 'benchmark' WHERE id % 200 = 0")
        changed = cur.rowcount
        cur.execute(
            "UPDATE cases_traffickingevent SET state = 'Benchmark' WHERE seq = 1 "
            "AND case_id IN (SELECT id FROM cases_case WHERE id % 200 = 100)"
        )
        cur.execute("SELECT count(*) FROM cases_case WHERE id % 200 = 100")
        changed += cur.fetchone()[0]
    return int(changed)


def builds(total: int, work: Path, networks: bool = True) -> Any:
    """The full build beside the baseline, then refreshes: nothing changed, 1% changed; and
    a full build of the changed store to check the refresh against. The network analysis of
    the organised corridors (``perpetrators.routes.organised_corridors``, the same code in
    both builds, reused by ours while its inputs are unchanged) is timed apart."""
    from lantern.monitoring import mart
    from lantern.perpetrators import routes

    spent: list[float] = []
    real = routes.organised_corridors

    def timed_analysis() -> Any:
        t = time.perf_counter()
        try:
            return real() if networks else ({}, set())
        finally:
            spent.append(time.perf_counter() - t)

    routes.organised_corridors = timed_analysis  # type: ignore[assignment]

    def ran(network: float) -> str:
        if not networks:
            return "left out (--no-networks)"
        return "reused" if not network else f"{network:.1f} s"

    def build(**kwargs: Any) -> tuple[Any, float, float]:
        spent.clear()
        t = time.perf_counter()
        info = mart.build(**kwargs)
        return info, time.perf_counter() - t, sum(spent)

    t = time.perf_counter()
    baseline = mart_baseline.build(work / "baseline", networks=False)
    old = time.perf_counter() - t
    info, full, network = build(full=True)
    say(f"\n{total:,} cases in the store; mart of {info.cases:,} rows")
    say(
        f"network analysis of the organised corridors (same code in both): {network:.1f} s"
        if networks
        else "network analysis of the organised corridors: left out (--no-networks)"
    )
    say(f"{'mart build, without the network analysis':44} {'ours':>9} {'BASELINE':>9}")
    say(f"{'full (target < 60 s at 1,000,000)':44} {full - network:8.1f}s {old:8.1f}s")
    say(f"  same rows as the baseline: {'yes' if _same(info.path, baseline) else 'NO'}")
    _, took, network = build()
    say(f"{'refresh, nothing changed':44} {took - network:8.1f}s {old:8.1f}s")
    say(f"  network analysis: {ran(network)}")
    changed = change_one_percent()
    info, took, network = build()
    say(f"{f'refresh after {changed:,} cases changed (1%)':44} {took - network:8.1f}s {old:8.1f}s")
    say(f"  network analysis: {ran(network)}")
    rebuilt, full, network = build(full=True)
    say(f"{'full again, changed store':44} {full - network:8.1f}s")
    say(f"  refresh equals a full build: {'yes' if _same(info.path, rebuilt.path) else 'NO'}")
    routes.organised_corridors = real  # type: ignore[assignment]
    return rebuilt


def run(total: int, info: Any, repeat: int, linked: bool = False) -> None:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from lantern.monitoring.statistics.publish import publish
    from lantern.monitoring.statistics.table import TableSpec, build_table

    records = pq.read_table(info.path, columns=["child_records"]).column("child_records")
    several = pc.sum(pc.greater(records, 1)).as_py() or 0
    say(
        f"\nmart: {info.cases:,} cases of {info.children:,} children; {several:,} cases belong "
        "to children of several records (the tables of children count "
        "the others as rows, these with count(DISTINCT))"
    )
    say(f"\n{'table':44} {'ours p50':>9} {'ours p95':>9} {'+publish p95':>13} {'ORM p95':>9}")
    worst = worst_published = 0.0
    for rows, cols, where, unit, fields in TABLES:
        spec = TableSpec(
            tuple(rows.split(",")),
            tuple(c for c in cols.split(",") if c),
            where,
            unit,  # type: ignore[arg-type]
        )
        ours = timed(lambda spec=spec: build_table(spec), repeat)
        published = timed(lambda spec=spec: publish(build_table(spec)), max(3, repeat // 4))
        base = timed(orm(fields, unit, linked), max(3, repeat // 4)) if fields else []
        name = f"{rows} x {cols or '-'}{' | ' + where[0][0] if where else ''} ({unit})"
        say(
            f"{name:44} {statistics.median(ours) * 1000:7.0f}ms {p95(ours) * 1000:7.0f}ms "
            f"{p95(published) * 1000:11.0f}ms "
            + (f"{p95(base) * 1000:7.0f}ms" if base else f"{'n/a':>9}")
        )
        worst = max(worst, p95(ours))
        worst_published = max(worst_published, p95(published))
    say(
        f"\nworst table p95: {worst * 1000:.0f} ms ({worst_published * 1000:.0f} ms published); "
        "target < 1 s at 1,000,000 (BASELINE: ORM aggregation over the store, same run)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
