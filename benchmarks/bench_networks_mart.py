"""The mart's network analysis (the organised-crime corridors) at scale, beside the path as it
was, same run, same store.

    python benchmarks/bench_networks_mart.py [--cases N] [--pg-server URL --keep NAME]
                                             [--profile] [--no-baseline]

A store of N cases (100,000 by default) filled as ``bench_statistics.py`` fills it (a template
of simulated records through the real import, copied in SQL: ``load_seed``); with ``--keep``
(on ``--pg-server``) the filled database is kept and reused. Then, each timed once:

- ours: ``monitoring.martnetworks.digest`` (what a refresh pays to know the corridors still
  hold) and ``perpetrators.routes.organised_corridors`` (what a full build pays);
- BASELINE: ``networks_baseline.organised_corridors``, the path as it was (model instances, the
  whole analysis); its corridors and agencies are checked equal to ours.

``--profile`` prints the top of a cProfile of ours. The build's target is < 60 s at 1,000,000
cases, mart rows included (about 27 s): the network part must stay under about 30 s.

Measured 8 December 2026, 2 cores shared with other jobs (load average 4-5, so wall times are
about twice the CPU time; the CPU time of this process is the steadier figure), on the register
as ``load_seed`` then copied it (the cases and roles only: 4,850 networks of hundreds at 1M):

| cases   | roles   | ours: wall (CPU)  | BASELINE: wall (CPU) | same result |
|---------|---------|-------------------|----------------------|-------------|
| 94,685  | 116,625 | 14.6 s (6.9 s)    | 57.8 s (50.8 s)      | yes         |
| 302,992 | 373,200 | 41.7 s (21.8 s)   | not run              |             |

``load_seed`` now copies the actors and the register's records with the cases, so a copied
register has networks in proportion (256,043 at 1,003,661 cases, a graph of 1,405,295 nodes).
On that register, quiet machine (load 1.0), 8 December 2026:

| cases     | communities                                 | ours: wall (CPU)   |
|-----------|---------------------------------------------|--------------------|
| 1,003,661 | networkx's Louvain ported to lists (exact)  | 101.3 s            |
| 1,003,661 | igraph's Leiden (``networks.communities``)  | 38.4 s (35.6 s)    |
| 1,003,661 | Leiden, small networks left out, no cycle GC | 30.7 s (27.4 s)   |

(101.3 s was measured in ``bench_statistics.py``; "small networks left out": those too small
to be flagged, ``flagged_corridors``; "no cycle GC": the cycle collector paused meanwhile.)

Of the last 31 s, reading the roles and steps into links and journeys is about 12 s, Leiden
4.8 s, and the pairs, node numbers and corridors in Python the rest. With the mart's rows
(26.9-31.5 s in two quiet runs of ``bench_statistics.py``) a full build is about 58-62 s: at
the < 60 s target, not safely under it. The digest a refresh pays took 2.3-2.8 s.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import load_pg  # noqa: E402
import load_seed  # noqa: E402


def say(text: str) -> None:
    print(text, flush=True)


def fill(cases: int, template: int, work: Path) -> int:
    """The store of ``cases`` cases (filled when empty); returns how many it holds."""
    from django.core.management import call_command

    from lantern.cases.models import Case

    call_command("migrate", verbosity=0)
    if Case.objects.exists():
        return Case.objects.count()
    load_seed.import_template(min(cases, template), work, say)
    total = load_seed.copy_to(cases, say)
    load_seed.analyse()
    return total


def measure(total: int, profile: bool, baseline: bool) -> None:
    from lantern.cases.models import ActorRole
    from lantern.monitoring import martnetworks
    from lantern.monitoring.martread import current
    from lantern.perpetrators import routes

    roles = ActorRole.objects.filter(actor__register_link__isnull=False).count()
    say(f"{total:,} cases in the store; {roles:,} roles of register records; load {load()}")
    t = time.perf_counter()
    now = current()
    say(
        f"{'the mart read of the cases (martread.current, not timed below)':62} "
        f"{time.perf_counter() - t:7.1f}s"
    )
    t = time.perf_counter()
    martnetworks.digest(now)
    say(
        f"{'digest of the inputs (ours; a refresh pays only this)':62} "
        f"{time.perf_counter() - t:7.1f}s"
    )
    profiler = cProfile.Profile() if profile else None
    t, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    ours = routes.organised_corridors()
    if profiler:
        profiler.disable()
    took, cpu = time.perf_counter() - t, time.process_time() - cpu
    say(f"{'organised corridors, ours':62} {took:7.1f}s  (CPU of this process {cpu:.1f} s)")
    say(f"  {len(ours[0]):,} corridors, {len(ours[1])} agencies; load {load()}")
    scale = 1_000_000 / total
    say(f"  linearly at 1,000,000 cases: about {took * scale:.0f} s ({cpu * scale:.0f} s of CPU)")
    if baseline:
        import networks_baseline

        t, cpu = time.perf_counter(), time.process_time()
        old = networks_baseline.organised_corridors()
        took, cpu = time.perf_counter() - t, time.process_time() - cpu
        say(
            f"{'organised corridors, BASELINE (the path as it was)':62} "
            f"{took:7.1f}s  (CPU of this process {cpu:.1f} s)"
        )
        say(f"  same corridors and agencies as the baseline: {'yes' if old == ours else 'NO'}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--quick", action="store_true", help="20,000 cases, for a smoke run")
    ap.add_argument("--template", type=int, default=20_000, help="cases through the import")
    ap.add_argument("--pg-server", default=None, help="use this PostgreSQL server's URL")
    ap.add_argument("--keep", default=None, help="keep (and reuse) this database on the server")
    ap.add_argument("--profile", action="store_true", help="cProfile ours")
    ap.add_argument("--no-baseline", action="store_true", help="leave out the old path")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lantern-netbench-"))
    os.environ["LANTERN_VAR"] = str(work / "var")
    os.environ["LANTERN_MART_REFRESH"] = "off"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    try:
        with load_pg.database(args.pg_server, args.keep) as db:
            os.environ["DATABASE_URL"] = db.url
            import django

            django.setup()
            total = fill(20_000 if args.quick else args.cases, args.template, work)
            measure(total, args.profile, not args.no_baseline)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
