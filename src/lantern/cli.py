"""The `lantern` command.

Each sub-command lives beside the code it drives (``lantern.<package>.cli``) and is imported
only when called, so that pure commands (simulate, screen, estimate) start fast and never load
Django, and Django commands set Django up first.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any

import typer

app = typer.Typer(
    name="lantern",
    help="Lantern: identify, protect and count trafficked children.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals may hold identifying data
)


@app.callback()
def _root() -> None:
    """Lantern: identify, protect and count trafficked children."""


def _lazy(target: str) -> Callable[..., Any]:
    module_name, _, attr = target.partition(":")
    return getattr(importlib.import_module(module_name), attr)  # type: ignore[no-any-return]


# Sub-apps: (name, "module:typer_app", help). Each module exposes a typer.Typer or a function.
_COMMANDS: list[tuple[str, str]] = [
    ("simulate", "lantern.simulation.cli:simulate"),
    ("screen", "lantern.screening.cli:screen"),
    ("estimate", "lantern.estimation.cli:estimate"),
    ("import", "lantern.cases.cli:import_command"),
    ("link", "lantern.linkage.cli:link"),
    ("count", "lantern.linkage.cli:count"),
    ("serve", "lantern.web.serve:serve"),
    ("backup", "lantern.backup.cli:backup_command"),
    ("restore", "lantern.backup.cli:restore_command"),
    ("export", "lantern.monitoring.microdata.cli:export_command"),
]
_GROUPS: list[tuple[str, str]] = [
    ("user", "lantern.accounts.cli:user_app"),
    ("agency", "lantern.accounts.cli:agency_app"),
    ("area", "lantern.accounts.cli:area_app"),
    ("token", "lantern.accounts.cli:token_app"),
    ("keys", "lantern.custody.cli:keys_app"),
    ("audit", "lantern.custody.cli:audit_app"),
    ("demo", "lantern.demo.cli:demo_app"),
    ("mart", "lantern.monitoring.cli:mart_app"),
    ("stats", "lantern.monitoring.cli:stats_app"),
    ("report", "lantern.monitoring.cli:report_app"),
    ("population", "lantern.monitoring.cli:population_app"),
    ("perpetrators", "lantern.perpetrators.cli:perpetrators_app"),
    ("exchange", "lantern.protection.transfers.cli:exchange_app"),
    ("triage", "lantern.protection.triage.cli:triage_app"),
    ("cases", "lantern.cases.cli:cases_app"),
    ("forms", "lantern.fieldforms.cli:forms_app"),
    ("imports", "lantern.cases.importjobs.cli:imports_app"),
    ("readmission", "lantern.response.agreements.cli:readmission_app"),
    ("committees", "lantern.response.community.cli:committees_app"),
]


_registered: set[str] = set()


def _register(wanted: str | None = None) -> None:
    """Attach sub-commands; only ``wanted`` (and its imports) when it names one."""
    for name, target in _COMMANDS:
        if name not in _registered and wanted in (None, name, "--help", "-h"):
            _registered.add(name)
            try:
                app.command(name=name)(_lazy(target))
            except (ImportError, AttributeError):
                if wanted == name:
                    raise
    for name, target in _GROUPS:
        if name not in _registered and wanted in (None, name, "--help", "-h"):
            _registered.add(name)
            try:
                app.add_typer(_lazy(target), name=name)  # type: ignore[arg-type]
            except (ImportError, AttributeError):
                if wanted == name:
                    raise


def main() -> None:
    from lantern.filemodes import restrict_umask

    restrict_umask()  # what any command writes (var/, simulations, exports) is the operator's only
    _register(sys.argv[1] if len(sys.argv) > 1 else None)
    app()


if __name__ == "__main__":
    main()
