"""Encryption at rest: ciphertexts in the store, keys outside it, rotation that leaves nothing
behind, and a blind index for exact look-up of identity numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from lantern.cases.models import Person
from lantern.vault import keys
from lantern.vault.rotation import encrypted_fields
from tests import factories

pytestmark = pytest.mark.django_db


def _raw(column: str) -> list[str]:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM cases_person WHERE {column} <> ''")
        return [r[0] for r in cur.fetchall()]


def test_rotation_re_encrypts_everything_and_forgets_the_old_key(
    key_file: Path, tmp_path: Path, cli: Any
) -> None:
    rows = [factories.record(i) for i in range(12)]
    for i, r in enumerate(rows):
        r["prs_IdentityNumber"] = f"P{i:07d}"
    factories.import_records(rows, tmp_path)
    before = {
        p.pk: (p.given_name, p.family_name, p.birthdate, p.identity_number)
        for p in Person.objects.all()
    }
    old_kid = keys.keyring().active
    assert {keys.KeyRing.key_id(v) for v in _raw("given_name")} == {old_kid}

    res = cli("keys", "rotate")
    assert res.exit_code == 0, res.output
    new_kid = keys.keyring().active
    assert new_kid != old_kid and new_kid in res.output
    after = {
        p.pk: (p.given_name, p.family_name, p.birthdate, p.identity_number)
        for p in Person.objects.all()
    }
    assert after == before  # every value still reads
    for column in ("given_name", "family_name", "birthdate", "identity_number"):
        assert {keys.KeyRing.key_id(v) for v in _raw(column)} == {new_kid}
    ring = json.loads(key_file.read_text())
    assert list(ring["keys"]) == [new_kid] and old_kid not in key_file.read_text()
    assert key_file.stat().st_mode & 0o077 == 0
    # The blind index survives rotation: exact look-up of an identity number still works.
    hit = Person.objects.get(identity_number_index=keys.blind_index("p 0000003", "identity_number"))
    assert hit.identity_number == "P0000003"


def test_rotation_refuses_keys_from_the_environment(
    key_file: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANTERN_KEYS", keys.KeyRing.generate().to_json())
    res = cli("keys", "rotate")
    assert res.exit_code == 2 and "LANTERN_KEYS" in res.output


def test_a_running_process_follows_a_rotation_made_by_another(key_file: Path) -> None:
    first = keys.encrypt("Sunita")
    rotated = keys.load_keyring().rotated()
    keys.save_keyring(rotated)  # as `lantern keys rotate` in another process would
    second = keys.encrypt("Sunita")
    assert keys.KeyRing.key_id(second) == rotated.active != keys.KeyRing.key_id(first)
    assert keys.decrypt(first) == keys.decrypt(second) == "Sunita"


def test_ciphertexts_are_authenticated_and_never_repeat(key_file: Path) -> None:
    a, b = keys.encrypt("Sunita"), keys.encrypt("Sunita")
    assert a != b and "Sunita" not in a
    body = a.rsplit(":", 1)[1]
    forged = a[: -len(body)] + body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(Exception):  # noqa: B017 - any refusal; the tag must not verify
        keys.decrypt(forged)
    with pytest.raises(keys.KeyError_, match="not a Lantern ciphertext"):
        keys.decrypt("Sunita")


def test_a_malformed_key_ring_is_refused_without_echoing_it() -> None:
    with pytest.raises(keys.KeyError_) as err:
        keys.KeyRing.from_json('{"active": "k1", "keys": {"k2": "c2VjcmV0"}, "index_key": "eA=="}')
    assert "c2VjcmV0" not in str(err.value)


def test_every_encrypted_column_is_classified_identifying_or_highly_sensitive() -> None:
    """New protected fields (shelter locations, photos…) must be tiered in the policy layer."""
    from lantern.accounts import policy

    for model, names in encrypted_fields():
        for name in names:
            label = f"{model._meta.model_name}.{name}"
            assert policy.tier_of(label) is not policy.Tier.STANDARD, label
    encrypted = {f"{m._meta.model_name}.{n}" for m, ns in encrypted_fields() for n in ns}
    for label, tier in policy.FIELD_SENSITIVITY.items():
        if label not in policy.CLEAR_BY_DESIGN:
            assert label in encrypted, f"{label} is {tier} but stored in clear"
