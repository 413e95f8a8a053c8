"""Shared test set-up: pure-library tests are marked ``pure`` (the PostgreSQL pass skips them);
a two-agency store with one user per role of the permission table; the CLI in-process."""

from __future__ import annotations

import os
import shutil
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from lantern.accounts.models import Role, User
from lantern.cases.models import Case
from tests import factories
from tests.security.permission_table import COLUMNS

PURE = {
    "taxonomy",
    "screening",
    "estimation",
    "disclosure",
    "simulation",
    "names",
    "recordlinkage",
    "linkage",
    "networks",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        parts = Path(str(item.fspath)).parts
        if "tests" in parts:
            top = parts[parts.index("tests") + 1] if len(parts) > parts.index("tests") + 1 else ""
            if top in PURE and "django_db" not in item.keywords:
                item.add_marker(pytest.mark.pure)


@pytest.fixture(autouse=True)
def _no_mart_refresh_threads(settings: Any) -> None:
    """No test starts a mart refresh by changing a case: a worker thread would outlive it. The
    tests of the refresh itself ask for it, synchronously (``LANTERN_MART_REFRESH = "now"``)."""
    settings.LANTERN_MART_REFRESH = "off"


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """A request in French leaves French active in the thread: reset so tests don't leak."""
    yield
    from django.utils import translation

    translation.activate("en")


@pytest.fixture
def key_file(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A key file of the test's own (rotation writes it), read afresh before and after."""
    from lantern.vault import keys

    monkeypatch.delenv("LANTERN_KEYS", raising=False)
    settings.LANTERN_KEY_FILE = tmp_path / "keys.json"
    keys.reset_cache()
    yield settings.LANTERN_KEY_FILE
    keys.reset_cache()


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
    import lantern.cli

    lantern.cli._register()
    app = lantern.cli.app
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run


# Browser tests: Playwright driving Debian's Chromium against Django's live server. One browser per
# session for every test package (two sync Playwright instances cannot run in one process).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is not installed: run scripts/ensure-system-deps.sh")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture(scope="session")
def live_server(live_server):  # type: ignore[no-untyped-def]
    """pytest-django's live server, warmed: its first page (URLconf, API schema, templates)
    can take longer on a loaded machine than a browser's 15 s wait."""
    urllib.request.urlopen(live_server.url + "/signin/", timeout=180).close()
    return live_server


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    pg = ctx.new_page()
    pg.set_default_timeout(15000)
    yield pg
    ctx.close()
