"""Benchmark: 200 caseworkers at work on 1,000,000 cases, through the production server.

A throwaway PostgreSQL database (benchmarks/load_pg.py) is filled with cases: a template of
simulated records through ``lantern simulate`` + ``lantern import``, then copies of it made in
SQL up to ``--cases`` (benchmarks/load_seed.py says why and how). Caseworkers are created in
teams (6 agencies x 4 teams), each with an API token issued against a second-factor code.
``lantern serve --plain-http`` (gunicorn) answers on 127.0.0.1 only, and locust
(benchmarks/load_locustfile.py) drives it through the JSON API: list (pages, filters), open,
screen, record a risk assessment or a consent, with pauses of 1-3 s between actions.

OURS: ``--users`` concurrent caseworkers for ``--duration`` seconds (statistics reset once all
have started). BASELINE, measured in the same run against the same server and data: one
caseworker with no pauses, the latency of each operation when nothing contends. The target
(issue #19) is a p95 under 500 ms with no failures.

    python benchmarks/bench_load.py [--quick] [--cases N] [--users N] [--duration S] [--json F]
LOAD_CASES in the environment sets --cases. Starts its own PostgreSQL server, or with
``--pg-server URL`` creates (and drops) a database of its own on that one; with
``--database NAME`` too, it keeps that database and fills it only once (``--seed-only``: fill
it and stop), so query work and later runs start from the same million cases.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import load_cpu  # noqa: E402
import load_pg  # noqa: E402
import load_seed  # noqa: E402

BIN = Path(sys.executable).parent
OPERATIONS = (
    "list",
    "list filtered",
    "open",
    "screen",
    "record risk-assessments",
    "record consents",
)
TARGET_P95_MS = 500


def say(message: str) -> None:
    print(f"   {message}", flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(proc: subprocess.Popen[bytes], grace: float = 30) -> None:
    """SIGTERM the process group (gunicorn's workers too), then SIGKILL after ``grace``."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


@contextmanager
def serving(
    env: dict[str, str], workers: int, threads: int, log: Path
) -> Iterator[tuple[str, int]]:
    """``lantern serve --plain-http`` on a free loopback port; yields its URL and pid."""
    port = _free_port()
    cmd = [str(BIN / "lantern"), "serve", "--plain-http", "--bind", f"127.0.0.1:{port}"]
    cmd += ["--workers", str(workers), "--threads", str(threads), "--timeout", "120"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=out, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                raise SystemExit(
                    f"lantern serve stopped (exit {proc.returncode}):\n{log.read_text()}"
                )
            try:
                with urllib.request.urlopen(url + "/api/cases/", timeout=5):
                    break
            except urllib.error.HTTPError:  # answered (401 without a token): it is up
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("lantern serve did not answer within 180 s") from None
                time.sleep(0.5)
        yield url, proc.pid
    finally:
        _stop(proc)


def run_locust(
    url: str, env: dict[str, str], users: int, seconds: int, prefix: Path, **knobs: str
) -> dict[str, Any]:
    """A headless locust run; returns its statistics by operation (and 'all')."""
    spawn = max(users // 10, 5)  # all started within ~10 s; statistics reset after that
    cmd = [str(BIN / "locust"), "-f", str(HERE / "load_locustfile.py"), "--headless"]
    cmd += ["--host", url, "-u", str(users), "-r", str(spawn), "-t", f"{seconds}s"]
    cmd += ["--csv", str(prefix), "--only-summary", "--stop-timeout", "10", "--loglevel", "ERROR"]
    if users > 1:
        cmd.append("--reset-stats")
    run_env = {**env, **knobs, "LOAD_TOKENS": env["LOAD_TOKENS"]}
    with (prefix.parent / f"{prefix.name}.log").open("wb") as out:
        proc = subprocess.Popen(cmd, env=run_env, stdout=out, stderr=out, start_new_session=True)
        try:
            proc.wait(timeout=seconds + 120)
        finally:
            _stop(proc, grace=20)
    return _read_stats(prefix)


def _ms(value: str) -> float:
    return 0.0 if value in ("", "N/A") else float(value)  # N/A: no request of that kind


def _read_stats(prefix: Path) -> dict[str, Any]:
    stats: dict[str, Any] = {}
    with open(f"{prefix}_stats.csv", newline="") as f:
        for row in csv.DictReader(f):
            name = "all" if row["Name"] == "Aggregated" else row["Name"]
            stats[name] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": _ms(row["50%"]),
                "p95": _ms(row["95%"]),
                "p99": _ms(row["99%"]),
            }
    failures = []
    with open(f"{prefix}_failures.csv", newline="") as f:
        for row in csv.DictReader(f):
            failures.append(f"{row['Name']}: {row['Error']} x{row['Occurrences']}")
    stats["failure_kinds"] = failures
    return stats


def _report(ours: dict[str, Any], base: dict[str, Any]) -> None:
    print(
        f"   {'operation':<24}{'requests':>9}{'fail':>6}{'p50':>7}{'p95':>7}{'p99':>7} ms"
        f"   | baseline 1 user: {'p50':>5}{'p95':>7} ms"
    )
    for name in (*OPERATIONS, "all"):
        o, b = ours.get(name), base.get(name)
        if o is None:
            print(f"   {name:<24}   (not exercised)")
            continue
        line = (
            f"   {name:<24}{o['requests']:>9,}{o['failures']:>6}"
            f"{o['p50']:>7.0f}{o['p95']:>7.0f}{o['p99']:>7.0f}   "
        )
        line += f"| {b['p50']:>22.0f}{b['p95']:>7.0f}" if b else "| (not exercised)"
        print(line)
    for kind in ours["failure_kinds"]:
        print(f"   failure: {kind}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="20,000 cases, 50 users, 60 s")
    ap.add_argument("--cases", type=int, default=int(os.environ.get("LOAD_CASES", "0")) or None)
    ap.add_argument("--users", type=int, default=None, help="concurrent caseworkers (200)")
    ap.add_argument("--duration", type=int, default=None, help="seconds under load (180)")
    ap.add_argument("--baseline", type=int, default=30, help="seconds of the 1-user baseline")
    ap.add_argument("--max-requests", type=int, default=200_000, help="stop after this many")
    ap.add_argument("--template", type=int, default=20_000, help="cases through the import")
    ap.add_argument("--workers", type=int, default=4, help="gunicorn processes")
    ap.add_argument("--threads", type=int, default=2, help="gunicorn threads per process")
    ap.add_argument(
        "--wait",
        action="append",
        default=None,
        help="pause between a caseworker's actions, MIN,MAX seconds (1,3); repeat the option "
        "for several load phases on the same data",
    )
    ap.add_argument("--pg-server", default=None, help="use this PostgreSQL server's URL")
    ap.add_argument(
        "--database",
        default=None,
        help="with --pg-server: a database of this name, kept afterwards and seeded only "
        "while it holds no cases (its caseworkers get new tokens on each run); LANTERN_VAR "
        "must name a folder kept with it (the keys its person fields are encrypted with)",
    )
    ap.add_argument("--seed-only", action="store_true", help="fill the database and stop")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args()
    cases = args.cases or (20_000 if args.quick else 1_000_000)
    users = args.users or (50 if args.quick else 200)
    duration = args.duration or (60 if args.quick else 180)
    paces = [tuple(w.split(",")) for w in (args.wait or ["1,3"])]

    if args.database and not os.environ.get("LANTERN_VAR"):
        raise SystemExit("error: a kept --database needs a kept LANTERN_VAR (its keys)")
    work = Path(tempfile.mkdtemp(prefix="lantern-load-"))
    if not args.database:
        os.environ["LANTERN_VAR"] = str(work / "var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    os.environ["LANTERN_MART_REFRESH"] = "off"  # time the import, not the refresh after it
    started = time.perf_counter()
    phases: list[dict[str, Any]] = []
    try:
        with load_pg.database(args.pg_server, args.database) as db:
            os.environ["DATABASE_URL"] = db.url
            import django

            django.setup()
            from django.core.management import call_command
            from django.db import connections

            call_command("migrate", verbosity=0)
            total, teams = _seed(cases, min(cases, args.template), work)
            if args.seed_only:
                say(f"{total:,} cases in the kept database {args.database}")
                return 0
            tokens = load_seed.caseworkers(users, teams)
            connections.close_all()
            (work / "tokens").write_text("\n".join(tokens))
            env = {**os.environ, "LOAD_TOKENS": str(work / "tokens")}
            env.pop("LANTERN_DEBUG", None)
            knobs = {"LOAD_MAX_REQUESTS": str(args.max_requests)}
            say(
                f"{total:,} cases, {len(teams)} teams, {users} caseworkers; gunicorn "
                f"{args.workers} workers x {args.threads} threads on {os.cpu_count()} cores "
                "shared with PostgreSQL and locust"
            )
            with serving(env, args.workers, args.threads, work / "serve.log") as (base_url, app):
                base = run_locust(
                    base_url,
                    env,
                    1,
                    args.baseline,
                    work / "baseline",
                    LOAD_WAIT_MIN="0",
                    LOAD_WAIT_MAX="0",
                    **knobs,
                )
                ramp = -(-users // max(users // 10, 5))
                for i, (wait_min, wait_max) in enumerate(paces):
                    cpu = load_cpu.Meter({"gunicorn": app, "postgresql": db.postmaster})
                    stats = run_locust(
                        base_url,
                        env,
                        users,
                        duration + ramp,
                        work / f"load{i}",
                        LOAD_WAIT_MIN=wait_min,
                        LOAD_WAIT_MAX=wait_max,
                        **knobs,
                    )
                    phases.append(
                        {"pace": [float(wait_min), float(wait_max)], **stats, "cpu": cpu.read()}
                    )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    for phase in phases:
        _summary(phase, total, users, duration, base)
        _report(phase, base)
        _cpu(phase)
    print(f"   (whole run {time.perf_counter() - started:.0f} s)")
    if args.json:
        figures = {"cases": total, "users": users, "duration": duration, "baseline": base}
        figures |= {"load": phases[0], "phases": phases}
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


def _seed(cases: int, template: int, work: Path) -> tuple[int, list[int]]:
    """Fill the database (unless a kept one already holds cases): case count and team ids."""
    from lantern.cases.models import Case

    if have := Case.objects.count():
        say(f"the kept database holds {have:,} cases already: not seeded again")
        return have, [t for ids in load_seed.agency_teams().values() for t in ids]
    have, took = load_seed.import_template(template, work, say)
    say(
        f"imported {have:,} cases in {took:.0f} s ({have / took:,.0f} rows/s) "
        "through `lantern import`"
    )
    teams = load_seed.assign_teams()
    t = time.perf_counter()
    total = load_seed.copy_to(cases, say)
    if total > have:
        say(
            f"copied in SQL to {total:,} cases in {time.perf_counter() - t:.0f} s "
            f"(the import's rate would have taken {total / (have / took) / 60:.0f} min)"
        )
    load_seed.analyse()
    return total, teams


def _summary(
    phase: dict[str, Any], total: int, users: int, duration: int, base: dict[str, Any]
) -> None:
    a, b = phase["all"], base["all"]
    low, high = phase["pace"]
    met = a["p95"] < TARGET_P95_MS and not a["failures"]
    print(
        f"load [postgresql] {total:,} cases, {users} caseworkers (pauses {low:g}-{high:g} s) "
        f"for {duration} s: {a['requests']:,} requests, {a['failures']} failures, "
        f"{a['rps']:.1f} req/s | p50 {a['p50']:.0f} ms, p95 {a['p95']:.0f} ms, "
        f"p99 {a['p99']:.0f} ms | target p95 < {TARGET_P95_MS} ms and no failures: "
        f"{'met' if met else 'NOT met'} | baseline 1 user, no pauses: p50 {b['p50']:.0f} ms, "
        f"p95 {b['p95']:.0f} ms, {b['rps']:.1f} req/s"
    )


def _cpu(phase: dict[str, Any]) -> None:
    """Where the CPU went: each party's share, the server's cost per request, everyone else's."""
    cpu, n = phase["cpu"], max(phase["all"]["requests"], 1)
    seconds = cpu["seconds"]
    used = ", ".join(f"{k} {v:.0f} s" for k, v in seconds.items())
    server = sum(v for k, v in seconds.items() if k != "locust")
    others = max(cpu["machine"] - sum(seconds.values()), 0.0)
    per = server * 1000 / n
    cores = os.cpu_count() or 1
    print(
        f"   CPU over {cpu['wall']:.0f} s x {cores} cores: {used}, other processes "
        f"{others:.0f} s, idle {max(cpu['wall'] * cores - cpu['machine'], 0):.0f} s | server + "
        f"database {per:.0f} ms of CPU per request ({cores} dedicated cores: at most "
        f"~{cores * 1000 / max(per, 1):.0f} req/s) | load average {cpu['load_before']:.1f} -> "
        f"{cpu['load_after']:.1f}"
    )


if __name__ == "__main__":
    sys.exit(main())
