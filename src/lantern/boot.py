"""Bringing the store up for a command: Django configured, the schema brought up to date.

Every package's command calls this before it touches the store. It sits at the bottom of the
layers (it imports Django and nothing of Lantern's) so that no command imports the `lantern`
entry point it is registered in.
"""

from __future__ import annotations

import os

import typer


def setup_django() -> None:
    """Configure Django for commands that touch the store, bringing the schema up to date.

    The embedded SQLite store is created and migrated on first use; a PostgreSQL store is
    never migrated behind its operator's back: the command stops and says how.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        if connection.vendor != "sqlite":
            typer.echo(
                "error: the database schema is out of date; run "
                "`.venv/bin/python -m django migrate --settings=lantern.settings`",
                err=True,
            )
            raise typer.Exit(2)
        call_command("migrate", verbosity=0, interactive=False)
