"""Shared set-up for the safety proofs: a two-agency store and one user per role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from lantern.accounts.models import Role, User
from lantern.cases.models import Case
from tests import factories
from tests.security.permission_table import COLUMNS

NATIONAL_ROLES = {Role.NATIONAL_COORDINATOR, Role.ANALYST, Role.AUDITOR, Role.SYSADMIN}


@pytest.fixture
def fast_passwords(settings: Any) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a quick hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Store:
    case_in: Case  # agency ngo-one, team casework: in scope of ngo-one's users
    case_out: Case  # agency police-two: outside the scope of every agency-bound user
    users: dict[str, User]  # one per column of the permission table


@pytest.fixture
def store(tmp_path: Any, fast_passwords: None) -> Store:
    factories.agency("ngo-one")
    factories.agency("police-two")
    rows = [factories.record(1, "ngo-one"), factories.record(2, "police-two")]
    rows[0]["prs_FirstName"], rows[0]["prs_SecondName"] = "Sunita", "Lamichhane"
    rows[1]["prs_FirstName"], rows[1]["prs_SecondName"] = "Bopha", "Chhorn"
    factories.import_records(rows, tmp_path)
    users = {}
    for i, column in enumerate(COLUMNS):
        role, _, grant = column.partition("+")
        national = role in NATIONAL_ROLES
        users[column] = factories.user(
            f"user{i}",
            role,
            agency_code=None if national else "ngo-one",
            team=None if national else "casework",
            can_see_case_content=bool(grant),
        )
    return Store(
        Case.objects.get(agency__code="ngo-one"), Case.objects.get(agency__code="police-two"), users
    )


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Run `lantern …` in-process against the test database."""
    import typer

    import lantern.cli
    from lantern.accounts.cli import agency_app, area_app

    lantern.cli._register()
    app = lantern.cli.app
    registered = {g.name for g in app.registered_groups}
    if not {"area", "agency"} <= registered:
        # Until src/lantern/cli.py registers them, mount the account groups on a copy.
        app = typer.Typer()
        app.registered_commands = list(lantern.cli.app.registered_commands)
        app.registered_groups = list(lantern.cli.app.registered_groups)
        app.registered_callback = lantern.cli.app.registered_callback
        app.add_typer(area_app, name="area")
        app.add_typer(agency_app, name="agency")
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run
