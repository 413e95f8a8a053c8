"""`lantern demo run`: a synthetic country loaded through the real import path, one login per role.

Everything here is synthetic (lantern.simulation); the demo never holds a real child's data.
The first run builds the database under var/; later runs reuse it.
"""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import typer

demo_app = typer.Typer(help="The demo country.", no_args_is_help=True)

PASSWORD = "lantern-demo-2026"
SCENARIO = "south_asia"
SEED = 2002  # the year of the ILO-IPEC report
CHILDREN = 10500
AGENCIES = 6
# username, role, agency index (into the simulated agencies) or None for national roles
DEMO_USERS: list[tuple[str, str, int | None]] = [
    ("demo-caseworker", "caseworker", 0),
    ("demo-supervisor", "case_supervisor", 0),
    ("demo-agency-admin", "agency_admin", 0),
    ("demo-coordinator", "national_coordinator", None),
    ("demo-analyst", "monitoring_analyst", None),
    ("demo-liaison", "cross_border_liaison", 1),
    ("demo-reporter", "community_reporter", 0),
    ("demo-auditor", "auditor", None),
    ("demo-sysadmin", "system_admin", None),
    ("demo-facilitator", "committee_facilitator", 0),
    ("demo-police", "police_liaison", 1),
    ("demo-prosecutor", "prosecutor", None),
]


def _say(msg: str) -> None:
    typer.echo(msg, err=True)


def _simulate(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "lantern.cli",
        "simulate",
        "--seed",
        str(SEED),
        "--children",
        str(CHILDREN),
        "--agencies",
        str(AGENCIES),
        "--scenario",
        SCENARIO,
        "--out",
        str(out),
    ]
    subprocess.run(cmd, check=True)


def _agencies_from(records: Path) -> list[tuple[str, str]]:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(records, columns=["agency", "agency_type"])
    pairs = table.group_by(["agency", "agency_type"]).aggregate([]).sort_by("agency")
    return list(
        zip(
            pc.cast(pairs["agency"], "string").to_pylist(),
            pc.cast(pairs["agency_type"], "string").to_pylist(),
            strict=True,
        )
    )


def build() -> None:
    """Migrate, simulate, create agencies and users, import; skipped when already built.

    The mart is built once, at the end: no automatic refresh follows each of the seeding's
    thousands of changes (``LANTERN_MART_REFRESH``) while it runs."""
    from lantern.monitoring.dashboard import refresh

    with refresh.paused():
        _build()


def _build() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from lantern.accounts.models import Agency, Team, User
    from lantern.cases.importing import import_file
    from lantern.cases.models import Case

    if Case.objects.exists():
        _say("demo: reusing the existing database")
        if not Case.objects.filter(owner__isnull=False).exists():  # built before assignment
            _assign()
        from lantern.demo.community import seed_community
        from lantern.demo.directory import seed_directory
        from lantern.response.community.models import Committee

        if not Committee.objects.exists():  # a demo built before community prevention
            seed_community()
        seed_directory()  # a demo built before the directory gets it now (once)
        _response()
        return
    from django.conf import settings

    sim = Path(settings.VAR_DIR) / "demo"
    if not (sim / "records.parquet").exists():
        _say(f"demo: simulating the {SCENARIO} scenario ({CHILDREN} children, seed {SEED})")
        _simulate(sim)
    agencies = []
    for code, kind in _agencies_from(sim / "records.parquet"):
        a, _ = Agency.objects.get_or_create(
            code=code,
            defaults={"name": code.replace("-", " ").title(), "type": kind},
        )
        Team.objects.get_or_create(agency=a, name="casework")
        agencies.append(a)
    _create_users(agencies)
    loader = User.objects.get(username="demo-coordinator")
    _say("demo: importing the agencies' records through `lantern import`")
    report = import_file(sim / "records.parquet", loader)
    _say(f"demo: {report.created} cases imported, {report.bad_rows} rows rejected")
    from lantern.demo.histories import seed_workflows

    seeded = seed_workflows(seed=SEED, fraction=0.6)
    _say(f"demo: workflow histories for {seeded.get('cases', 0):,} cases")
    _assign()
    from lantern.demo.arrivals import seed_arrivals

    arrived = seed_arrivals()
    _say(
        f"demo: {arrived['reports']} reports waiting in triage, "
        f"{arrived['closure_requests']} closure awaiting the supervisor"
    )
    from lantern.demo.perpetrators import seed_perpetrators

    _say(f"demo: {seed_perpetrators(SEED)} traffickers in the register, across agencies")
    from lantern.demo.community import seed_community

    made = seed_community()
    _say(
        f"demo: {made['committees']} committees with {made['reports']} reports, "
        f"{made['campaigns']} campaigns, {made['at_risk']} child on the at-risk register, "
        f"{made['inspections']} inspection visits"
    )
    from lantern.demo.directory import seed_directory

    directory = seed_directory()
    _say(f"demo: {directory['organisations']} organisations in the directory")
    from lantern.linkage.store import link_store

    run = link_store(None, source="demo")
    _say(f"demo: linked {run.records:,} records into {run.clusters:,} children (run #{run.pk})")
    from lantern.monitoring import mart

    info = mart.build()
    _say(f"demo: statistics mart built ({info.cases:,} cases)")
    _response()


def _response() -> None:
    """The national plan, its programmes and targets, and agreements (#18)."""
    from lantern.demo.response import seed_response

    made = seed_response()
    if made["plans"]:
        _say(f"demo: a plan, {made['programmes']} programmes, {made['agreements']} agreements")
    from lantern.demo.readmissions import seed_readmissions

    if sent := seed_readmissions():
        _say(f"demo: {sent} readmission requests with India's (simulated) installation")


def _assign() -> None:
    from lantern.demo.caseloads import assign_caseloads

    given = assign_caseloads(seed=SEED)
    _say(f"demo: {sum(given.values()):,} open cases given to {len(given)} caseworkers")


def _create_users(agencies: list) -> None:  # type: ignore[type-arg]
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from lantern.accounts.models import Team, User

    for username, role, idx in DEMO_USERS:
        agency = agencies[idx % len(agencies)] if idx is not None else None
        team = Team.objects.filter(agency=agency, name="casework").first() if agency else None
        user, created = User.objects.get_or_create(
            username=username, defaults={"role": role, "agency": agency, "team": team}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
            TOTPDevice.objects.create(user=user, name="demo", confirmed=True)


def _totp_secret(username: str) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    d = TOTPDevice.objects.get(user__username=username, name="demo")
    return base64.b32encode(d.bin_key).decode()


def current_code(username: str) -> str:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    d = TOTPDevice.objects.filter(user__username=username, name="demo").first()
    if d is None or not username.startswith("demo-"):
        raise LookupError(f"{username!r} is not a demo user")
    return f"{totp(d.bin_key, step=d.step, t0=d.t0, digits=d.digits):0{d.digits}d}"


def print_logins(port: int) -> None:
    from lantern.accounts import policy
    from lantern.accounts.models import User

    typer.echo(f"\nLantern demo: http://127.0.0.1:{port}/")
    typer.echo(f"Every demo login has the password: {PASSWORD}")
    typer.echo("Roles that can see identities also need a code from an authenticator app;")
    typer.echo("in the demo, print the current code with: .venv/bin/lantern demo code USERNAME")
    typer.echo("(or add the TOTP secret shown below to any authenticator app).\n")
    for username, role, _ in DEMO_USERS:
        u = User.objects.select_related("agency").get(username=username)
        second = (
            f"2FA secret {_totp_secret(username)}"
            if policy.requires_second_factor(u)
            else "no second factor (role sees no identities)"
        )
        agency = u.agency.code if u.agency else "national"
        typer.echo(f"  {username:<20} {role:<22} {agency:<26} {second}")
    typer.echo("")


@demo_app.command("run")
def run(
    port: int = typer.Option(8000, "--port"), serve: bool = typer.Option(True, "--serve/--no-serve")
) -> None:
    """Build the demo country (first run only) and serve it on 127.0.0.1."""
    from lantern.boot import setup_django

    setup_django()
    build()
    print_logins(port)
    if serve:
        from waitress import serve as waitress_serve

        from lantern.wsgi import application

        typer.echo(f"Serving on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        waitress_serve(application, host="127.0.0.1", port=port, threads=8, _quiet=True)


@demo_app.command("code")
def code(username: str = typer.Argument(...)) -> None:
    """Print a demo user's current second-factor code."""
    from lantern.boot import setup_django

    setup_django()
    try:
        typer.echo(current_code(username))
    except LookupError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
