"""The kinds of agency are the taxonomy's ``agency_types`` list: the model, the `agency add`
command and the import speak it, labelled in every language, and the migration moves the
account model's old kinds onto it and back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from lantern.accounts.models import Agency
from lantern.taxonomy import LANGUAGES, code_list
from tests.migrating import migrate, migrate_to_latest

KINDS = code_list("agency_types")
RENAMED = {"shelter": "ngo_shelter"}  # the one old kind whose id the list spells otherwise
BEFORE = [("accounts", "0001_initial")]
AFTER = [("accounts", "0002_agency_type_from_taxonomy")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_kind_the_model_offers_is_labelled_in_each_language(lang: str) -> None:
    with translation.override(lang):
        offered = list(Agency._meta.get_field("type").choices or ())
    assert [kind for kind, _ in offered] == list(KINDS.ids())
    assert all(label.strip() and label == KINDS.label(kind, lang) for kind, label in offered)


def test_agency_add_names_every_kind_in_its_help(cli: Any) -> None:
    shown = " ".join(cli("agency", "add", "--help").output.split())
    assert all(kind in shown for kind in KINDS.ids())


@pytest.mark.django_db
def test_agency_add_stores_the_kind_as_given(cli: Any) -> None:
    assert (
        cli("agency", "add", "desk-one", "Border desk", "--type", "reception_desk").exit_code == 0
    )
    assert Agency.objects.get(code="desk-one").type == "reception_desk"


def _old_kinds() -> list[str]:
    """The kinds the account model offered before the list was the one source."""
    state = MigrationExecutor(connection).loader.project_state(BEFORE)
    return [kind for kind, _ in state.models["accounts", "agency"].fields["type"].choices]


def _kinds() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, type FROM accounts_agency")
        return dict(cursor.fetchall())


@pytest.fixture
def old_vocabulary() -> Iterator[None]:
    migrate(BEFORE)
    yield
    migrate_to_latest()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("old_vocabulary")
def test_the_migration_moves_every_old_kind_onto_the_list_and_back() -> None:
    old_kinds = _old_kinds()
    assert len(old_kinds) == 8
    with connection.cursor() as cursor:
        for old in old_kinds:
            cursor.execute(
                "INSERT INTO accounts_agency (code, name, type, country) VALUES (%s, %s, %s, '')",
                [f"a-{old}", old, old],
            )
    migrate(AFTER)
    assert _kinds() == {f"a-{old}": RENAMED.get(old, old) for old in old_kinds}
    assert set(_kinds().values()) <= set(KINDS.ids())

    with connection.cursor() as cursor:  # kinds the old vocabulary lacked go back as "ngo"
        cursor.execute("UPDATE accounts_agency SET type = 'school' WHERE code = 'a-ngo'")
    migrate(BEFORE)
    assert _kinds() == {f"a-{old}": old for old in old_kinds}
