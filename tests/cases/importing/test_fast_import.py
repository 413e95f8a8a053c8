"""Fast import (#16): the bulk writer stores what the ORM would, ids are reserved safely, empty
secrets are sealed row by row, the audit stream chains, and every named actor is enrolled."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection

from lantern.accounts.models import Agency, Role
from lantern.audit import services as audit
from lantern.audit.models import AuditEntry
from lantern.bulkwrite import Writer, page_cache
from lantern.cases.importing import import_file
from lantern.cases.models import Actor, Case, Person
from lantern.perpetrators.enrol import enrol_unlinked
from lantern.perpetrators.models import ActorLink
from lantern.vault.keys import UnreadableValue, keyring
from tests import factories

pytestmark = pytest.mark.django_db

PERSON = {
    "given_name": "Asha",
    "family_name": "",
    "nickname": "Maili",
    "name_script": "Latn",
    "birthdate": dt.date(2011, 3, 4),
    "birthdate_estimated": None,
    "identity_number": "NP-1234",
    "home_country": "NPL",
    "citizenship": ["NPL", "IND"],
}


@pytest.fixture
def coordinator():
    return factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)


def _raw(model, pk):
    """The stored row as the database holds it (ciphertexts, JSON text), by column."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT * FROM {model._meta.db_table} WHERE id = %s", [pk])
        names = [c[0] for c in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))


def test_the_writer_stores_what_bulk_create_stores():
    key = uuid.uuid4()
    writer = Writer(Person, ("key", *PERSON))
    [pk] = writer.reserve(1)
    writer.insert([(key, *PERSON.values())], [pk])
    orm = Person.objects.bulk_create([Person(**PERSON)])[0]

    fast, slow = Person.objects.get(pk=pk), Person.objects.get(pk=orm.pk)
    assert fast.key == key
    for name in (f.attname for f in Person._meta.concrete_fields):
        if name not in ("id", "key", "created_at"):
            assert getattr(fast, name) == getattr(slow, name), name
    assert abs(fast.created_at - slow.created_at) < dt.timedelta(minutes=1)
    raw_fast, raw_slow = _raw(Person, pk), _raw(Person, orm.pk)
    ring = keyring()
    for column in ("given_name", "family_name", "contact", "birthdate", "identity_number"):
        context = f"cases.person.{column}"
        assert raw_fast[column].startswith("v2:") and raw_fast[column] != raw_slow[column]
        assert ring.decrypt(raw_fast[column], context) == ring.decrypt(raw_slow[column], context)
    assert fast.contact == "" and fast.birthdate == dt.date(2011, 3, 4)


def test_reserved_ids_are_never_handed_out_again():
    agency = Agency.objects.create(code="ngo-x", name="X", type="ngo")
    before = Actor.objects.create(agency=agency, ref="A0")
    writer = Writer(Actor, ("agency_id", "ref", "network_ref"))
    ids = writer.reserve(3)
    assert len(set(ids)) == 3 and min(ids) > before.pk
    after = Actor.objects.create(agency=agency, ref="A-after")  # the database's own next id
    assert after.pk > max(ids)
    writer.insert([(agency.pk, f"A{i}", "") for i in range(1, 4)], ids)
    assert sorted(Actor.objects.filter(pk__in=ids).values_list("ref", flat=True)) == [
        "A1",
        "A2",
        "A3",
    ]
    assert Actor.objects.create(agency=agency, ref="A-last").pk > after.pk


def test_an_import_seals_every_empty_secret_on_its_own(tmp_path, coordinator):
    rows = [factories.record(i) for i in range(4)]
    for row in rows:
        row["prs_IdentityNumber"] = ""
    import_file(factories.write_csv(tmp_path / "r.csv", rows), coordinator)
    raw = [_raw(Person, pk) for pk in Person.objects.values_list("pk", flat=True)]
    for column in ("contact", "identity_number", "address"):
        tokens = [r[column] for r in raw]
        assert len(set(tokens)) == 4, column  # no two rows share a ciphertext: nothing shows
        assert all(keyring().decrypt(t, f"cases.person.{column}") == "" for t in tokens)
    assert {p.given_name for p in Person.objects.all()} == {r["prs_FirstName"] for r in rows}


def test_the_audit_stream_chains_on_from_the_trail_and_verifies(coordinator):
    audit.record(coordinator, "read", "case", "C-FIRST", source="test")
    entries = (audit.Pending("create", "case", f"C-{i:06d}", reason="import") for i in range(2500))
    assert audit.record_stream(coordinator, entries, source="cli import", batch=1000) == 2500
    assert audit.verify() is None
    last = AuditEntry.objects.order_by("-seq").first()
    assert last.seq == 2501 and last.record_id == "C-002499" and last.username == "coord"
    assert audit.record_stream(coordinator, iter(()), source="cli import") == 0
    assert audit.verify() is None


def test_an_import_enrols_every_actor_once(
    tmp_path, coordinator, django_capture_on_commit_callbacks
):
    path = factories.write_csv(tmp_path / "r.csv", [factories.record(i) for i in range(30)])
    with django_capture_on_commit_callbacks(execute=True):  # enrolment follows the commit
        report = import_file(path, coordinator)
    assert report.created == 30
    actors = Actor.objects.count()
    assert actors > 0 and ActorLink.objects.count() == actors
    assert Case.objects.filter(actor_roles__isnull=False).distinct().count() == 30
    Actor.objects.bulk_create(
        [Actor(agency=Agency.objects.get(code="ngo-one"), ref=f"NEW{i}") for i in range(5)]
    )
    assert enrol_unlinked(batch=2) == 5  # in batches, each after the last: none twice
    assert ActorLink.objects.count() == actors + 5


def test_the_page_cache_is_the_connections_own_again_afterwards():
    if connection.vendor != "sqlite":
        with page_cache():
            return
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size")
        before = cur.fetchone()[0]
        with page_cache(megabytes=32):
            cur.execute("PRAGMA cache_size")
            assert cur.fetchone()[0] == -32 * 1024
        cur.execute("PRAGMA cache_size")
        assert cur.fetchone()[0] == before


def test_a_columns_sealer_makes_what_encrypt_makes():
    ring = keyring()
    seal = ring.sealer("cases.person.given_name")
    first, second = seal("Asha"), seal("Asha")
    assert first != second and first.startswith(f"v2:{ring.active}:")  # a fresh nonce each
    assert ring.decrypt(first, "cases.person.given_name") == "Asha"
    with pytest.raises(UnreadableValue):  # bound to its column, as encrypt's are
        ring.decrypt(first, "cases.person.family_name")


def test_after_an_import_foreign_keys_are_deferred_again(tmp_path, coordinator):
    """PostgreSQL: the import checks its chunks' keys as it goes, and leaves the transaction
    around it deferring them again, as Django declares them (checked at its commit)."""
    import_file(factories.write_csv(tmp_path / "r.csv", [factories.record(1)]), coordinator)
    with connection.cursor() as cur:  # a dangling key: an error only when checked at once
        cur.execute(
            "INSERT INTO cases_consent (case_id, item, value, given_by, recorded_at) "
            "VALUES (%s, 'x', NULL, '', %s)",
            [10**12, dt.datetime(2025, 1, 1, tzinfo=dt.UTC)],
        )
        cur.execute("DELETE FROM cases_consent WHERE case_id = %s", [10**12])
    assert Case.objects.count() == 1
