"""Filling the load benchmark's database: cases through the real import, then copies in SQL.

A template of simulated records goes in through ``lantern simulate`` and ``lantern import`` (the
path agencies use: validation, encryption of person fields, blind indexes, the children tables).
Beyond the template's size the rows are copied inside PostgreSQL (INSERT ... SELECT over
generate_series): each copy shifts every id and every reference to a copied table by a fixed
offset, gives each person a new key and each case a new reference and source id, and keeps the
ciphertexts as they are (their associated data names the model and the field, not the row, so a
copy decrypts). Copies of one person are the same child to record linkage; the load does not
link. Caseworkers are then created in teams, with tokens obtained with a second-factor code.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

AGENCIES = 6  # the simulated scenario's agencies; each gets TEAMS teams
TEAMS = 4
#: the roots; their children tables are found below. Each copy is new children in new cases
#: by new perpetrators: the agencies' actors and the register's records are copied too, so a
#: copied register has as many networks as cases in proportion (copying the cases alone made
#: every template perpetrator 52 times as busy at 1M, a few thousand networks of hundreds).
COPIED = ("cases_person", "cases_case", "cases_actor", "cases_perpetrator")


def _cli(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "lantern.cli", *args],
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=3600,
    )


def import_template(rows: int, work: Path, say: Callable[[str], None]) -> tuple[int, float]:
    """Simulate about ``rows`` agency records and import them; returns (cases, seconds)."""
    from lantern.accounts.models import Role
    from lantern.accounts.services import add_user
    from lantern.cases.models import Case

    children = max(int(rows / 0.95), 10)  # south_asia, 6 agencies: ~0.95 records per child
    t = time.perf_counter()
    _cli(
        *("simulate", "--seed", "19", "--children", str(children)),
        *("--agencies", str(AGENCIES), "--scenario", "south_asia", "--out", str(work / "sim")),
    )
    say(f"simulated {children:,} children in {time.perf_counter() - t:.0f} s")
    add_user("load-loader", Role.NATIONAL_COORDINATOR, None)
    t = time.perf_counter()
    _cli("import", str(work / "sim" / "records.parquet"), "--user", "load-loader", "-q")
    took = time.perf_counter() - t
    return Case.objects.count(), took


def agency_teams() -> dict[int, list[int]]:
    """TEAMS teams per agency (made when missing): their ids by agency id."""
    from lantern.accounts.models import Agency, Team

    return {
        agency.pk: [
            Team.objects.get_or_create(agency=agency, name=f"team-{k + 1}")[0].pk
            for k in range(TEAMS)
        ]
        for agency in Agency.objects.order_by("pk")
    }


def assign_teams() -> list[int]:
    """Each case goes to one of its agency's teams (by id); returns every team's id."""
    from django.db import connection

    by_agency = agency_teams()
    with connection.cursor() as cur:
        for agency, ids in by_agency.items():
            cur.execute(
                "UPDATE cases_case SET team_id = (%s::bigint[])[1 + id %% %s] WHERE agency_id = %s",
                [ids, TEAMS, agency],
            )
    return [team for ids in by_agency.values() for team in ids]


def _children(cur: Any) -> list[str]:
    """Tables with rows that point at a copied table (events, exploitations, actor roles...)."""
    cur.execute(
        """SELECT DISTINCT c.conrelid::regclass::text FROM pg_constraint c
           WHERE c.contype = 'f' AND c.confrelid::regclass::text = ANY(%s)
             AND c.conrelid::regclass::text <> ALL(%s)""",
        [list(COPIED), list(COPIED)],
    )
    found = []
    for (table,) in cur.fetchall():
        cur.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
        if cur.fetchone()[0]:
            found.append(table)
    return sorted(found)


def _copy_sql(cur: Any, table: str, shift: dict[str, int]) -> str:
    """INSERT ... SELECT one copy per g of ``table``, ids and references shifted by g * shift."""
    cur.execute(
        """SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
           WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped
           ORDER BY a.attnum""",
        [table],
    )
    columns = cur.fetchall()
    cur.execute(
        """SELECT a.attname, c.confrelid::regclass::text FROM pg_constraint c
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
           WHERE c.contype = 'f' AND c.conrelid = %s::regclass""",
        [table],
    )
    refs = dict(cur.fetchall())
    exprs = []
    for name, type_ in columns:
        col = f'"{name}"'
        if name == "id":
            exprs.append(f"{col} + g * {shift[table]}")
        elif refs.get(name) in shift:
            exprs.append(f"{col} + g * {shift[refs[name]]}")
        elif name == "key" and type_ == "uuid":
            exprs.append("gen_random_uuid()")
        elif name in ("reference", "source_record_id", "ref"):
            exprs.append(f"{col} || '-' || g")
        elif name == "network_ref":  # an agency's own network label, blank when none
            exprs.append(f"CASE WHEN {col} = '' THEN {col} ELSE {col} || '-' || g END")
        else:
            exprs.append(col)
    cols = ", ".join(f'"{n}"' for n, _ in columns)
    return (
        f"INSERT INTO {table} ({cols}) SELECT {', '.join(exprs)} "
        f"FROM {table} t, generate_series(%s, %s) g WHERE t.id <= {shift[table]}"
    )


def copy_to(target: int, say: Callable[[str], None]) -> int:
    """Copy the imported cases (and their people and records) until there are ``target``."""
    from django.db import connection, transaction

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_case")
        have = cur.fetchone()[0]
        copies = max(round(target / max(have, 1)) - 1, 0)
        if not copies:
            return have
        tables = [*COPIED, *_children(cur)]
        shift = {}
        for table in tables:
            cur.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            shift[table] = cur.fetchone()[0]
        statements = [(table, _copy_sql(cur, table, shift)) for table in tables]
    say(f"copying {copies} times in PostgreSQL: {', '.join(tables)}")
    t, step = time.perf_counter(), 5
    for first in range(1, copies + 1, step):
        last = min(first + step - 1, copies)
        with transaction.atomic(), connection.cursor() as cur:
            for _, sql in statements:
                cur.execute(sql, [first, last])
        done = (last + 1) * have
        say(f"  {done:,} cases ({time.perf_counter() - t:.0f} s)")
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
            )
    return (copies + 1) * have


def analyse() -> None:
    """What an operator's autovacuum would have done by the time 200 people are at work."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")


def _code(user: Any) -> str:
    """The code the user's (just enrolled) authenticator shows now, as tests/factories does."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="load", defaults={"confirmed": True}
    )
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def caseworkers(count: int, teams: list[int]) -> list[str]:
    """``count`` caseworkers spread over the teams (made when missing); one API token each."""
    from lantern.accounts.models import Role, Team, User
    from lantern.accounts.services import add_user, create_token

    tokens = []
    by_id = {t.pk: t for t in Team.objects.select_related("agency").filter(pk__in=teams)}
    for i in range(count):
        team = by_id[teams[i % len(teams)]]
        name = f"load-cw-{i + 1:03d}"
        user = User.objects.filter(username=name).first()  # a kept database has them
        if user is None:
            user, _ = add_user(
                name,
                Role.CASEWORKER,
                team.agency.code,
                team=team.name,
                password=f"Load-bench-{i:03d}-not-secret",
            )
        tokens.append(create_token(user.username, "load", hours=2, code=_code(user))[1])
    return tokens


def template_persons() -> int:
    """The highest person id of the imported template: the copies shift ids by it."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM cases_person")
        return int(cur.fetchone()[0])


def link_as_truth(sim: Path, persons: int, say: Callable[[str], None]) -> int:
    """A perfect linkage, loaded as a finished run: every agency record's person is linked to
    the child the simulation says it is (a copy's records to that copy's child), as a national
    register is after ``lantern link``. ``persons``: :func:`template_persons` before copying.
    Returns the children."""
    import pyarrow.parquet as pq
    from django.db import connection, transaction
    from django.utils import timezone

    from lantern.linkage.models import LinkRun

    truth = pq.read_table(sim / "truth.parquet").to_pylist()
    child_of = {(r["agency"], r["source_record_id"]): r["true_person_id"] for r in truth}
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.person_id, a.code, c.source_record_id FROM cases_case c "
            "JOIN accounts_agency a ON a.id = c.agency_id WHERE c.person_id <= %s",
            [persons],
        )
        template = [(p, child_of.get((code, ref))) for p, code, ref in cur.fetchall()]
    found = [(p, child) for p, child in template if child is not None]
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        run = LinkRun.objects.create(
            finished_at=timezone.now(), threshold=0.9, review_floor=0.5, backend="truth"
        )
        cur.execute("CREATE TEMP TABLE bench_truth (person_id bigint PRIMARY KEY, child text)")
        cur.executemany("INSERT INTO bench_truth VALUES (%s, %s)", found)
        cur.execute(
            "INSERT INTO linkage_personlink (person_id, cluster_key, run_id) "
            "SELECT p.id, t.child || '-' || ((p.id - 1) / %s), %s FROM cases_person p "
            "JOIN bench_truth t ON t.person_id = ((p.id - 1) %% %s) + 1",
            [persons, run.pk, persons],
        )
        cur.execute("SELECT count(*), count(DISTINCT cluster_key) FROM linkage_personlink")
        records, children = cur.fetchone()
        LinkRun.objects.filter(pk=run.pk).update(records=records, clusters=children)
        cur.execute("DROP TABLE bench_truth")
    say(
        f"linked as the simulation's truth: {records:,} records of {children:,} children "
        f"({time.perf_counter() - t:.0f} s; {len(template) - len(found):,} template records "
        "not in the truth left unlinked)"
    )
    return int(children)
