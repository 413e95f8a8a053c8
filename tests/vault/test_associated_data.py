"""Each ciphertext is bound to its column: moved elsewhere it does not decrypt; v1 ciphertexts
(one constant associated data) still read until a rotation rewrites them as v2; and an empty
value is stored encrypted, so a dump does not tell which child has no name or contact."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from lantern.accounts.models import Role
from lantern.cases.models import Case, CaseTransition, Person
from lantern.directory.models import Organisation
from lantern.protection.referrals.models import Referral
from lantern.protection.safety.models import SafePlace
from lantern.vault import keys
from lantern.vault.fields import Unreadable
from lantern.vault.rotation import rotate
from tests import factories
from tests.vault.conftest import put, raw, v1_token

pytestmark = pytest.mark.django_db

ADDRESS = "12 Hidden Lane, Ward 4"


@pytest.fixture
def child(tmp_path: Path, settings: Any) -> Case:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    factories.agency("ngo-one")
    row = factories.record(1, "ngo-one")
    row["prs_FirstName"], row["prs_SecondName"] = "Sunita", "Lamichhane"
    factories.import_records([row], tmp_path)
    return Case.objects.select_related("person").get()


def _shelter(case: Case) -> SafePlace:
    return SafePlace.objects.create(
        name="House 7", kind="shelter", agency=case.agency, address=ADDRESS
    )


def test_a_ciphertext_moved_to_another_column_does_not_decrypt(child: Case) -> None:
    place = _shelter(child)
    token = raw("cases_safeplace", "address", place.pk)
    put("cases_person", "given_name", child.person_id, token)  # the address over the name

    person = Person.objects.get(pk=child.person_id)
    assert person.given_name != ADDRESS
    assert isinstance(person.given_name, Unreadable) and "integrity" in person.given_name
    with pytest.raises(keys.UnreadableValue, match=r"cases\.person\.given_name"):
        keys.decrypt(token, "cases.person.given_name")
    assert keys.decrypt(token, "cases.safeplace.address") == ADDRESS  # where it belongs
    # Saved unchanged, the record keeps the moved ciphertext as found (evidence, not a guess).
    person.save()
    assert raw("cases_person", "given_name", child.person_id) == token


def test_the_case_page_with_a_moved_ciphertext_answers_without_the_address(
    child: Case, client: Any
) -> None:
    place = _shelter(child)
    put("cases_person", "family_name", child.person_id, raw("cases_safeplace", "address", place.pk))
    cw = factories.user("cw", Role.CASEWORKER)
    factories.verified_login(client, cw)

    page = client.get(reverse("web:case_detail", args=[child.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert ADDRESS not in html and "Hidden Lane" not in html
    assert "integrity check" in html and "Sunita" in html  # the rest of the record still reads
    api = client.get(f"/api/cases/{child.pk}")
    assert api.status_code == 200 and "Hidden Lane" not in api.content.decode()


def test_a_v1_ciphertext_still_reads(child: Case) -> None:
    put("cases_person", "nickname", child.person_id, v1_token("Suni"))
    assert Person.objects.get(pk=child.person_id).nickname == "Suni"


def test_new_ciphertexts_are_v2(child: Case) -> None:
    for column in ("given_name", "family_name", "birthdate"):
        assert keys.KeyRing.version(raw("cases_person", column, child.person_id)) == "v2"


def test_empty_values_are_stored_encrypted(child: Case) -> None:
    person = Person.objects.get(pk=child.person_id)
    person.nickname, person.contact, person.birthdate = "", "", None
    person.save()
    for column in ("nickname", "contact", "birthdate"):
        stored = raw("cases_person", column, person.pk)
        assert stored and keys.KeyRing.version(stored) == "v2", column
    # Two empty values do not look alike either: nothing tells "empty" from "a name".
    assert raw("cases_person", "nickname", person.pk) != raw("cases_person", "contact", person.pk)
    again = Person.objects.get(pk=person.pk)
    assert (again.nickname, again.contact, again.birthdate) == ("", "", None)


def test_rotation_rewrites_v1_and_clear_empties_as_v2(
    key_file: Path, child: Case, tmp_path: Path
) -> None:
    person = Person.objects.get(pk=child.person_id)
    put("cases_person", "nickname", person.pk, v1_token("Suni"))
    put("cases_person", "contact", person.pk, "")  # as stored before empty values were sealed
    put("cases_person", "birthdate", person.pk, None)

    rotate()

    for column in ("nickname", "contact", "birthdate", "given_name"):
        stored = raw("cases_person", column, person.pk)
        assert keys.KeyRing.version(stored) == "v2", column
        assert keys.KeyRing.key_id(stored) == keys.keyring().active
    again = Person.objects.get(pk=person.pk)
    assert (again.nickname, again.contact, again.birthdate) == ("Suni", "", None)
    assert again.given_name == "Sunita"
    # Once v2, the nickname is bound to its column: moved to another, it does not read.
    put("cases_person", "address", person.pk, raw("cases_person", "nickname", person.pk))
    assert isinstance(Person.objects.get(pk=person.pk).address, Unreadable)


def test_rotation_stops_at_a_moved_ciphertext_and_keeps_every_key(
    key_file: Path, child: Case, cli: Any
) -> None:
    place = _shelter(child)
    put("cases_person", "contact", child.person_id, raw("cases_safeplace", "address", place.pk))
    before = raw("cases_person", "given_name", child.person_id)

    res = cli("keys", "rotate")

    assert res.exit_code == 2
    assert f"cases.person.contact row {child.person_id}" in res.output
    assert "Hidden Lane" not in res.output
    assert raw("cases_person", "given_name", child.person_id) == before  # nothing rewritten
    assert Person.objects.get(pk=child.person_id).given_name == "Sunita"  # old key still there


def test_free_text_reasons_are_bound_to_their_columns(child: Case) -> None:
    org = Organisation.objects.create(name="Clinic", type="HealthServiceOrganisation")
    ref = Referral.objects.create(
        case=child,
        organisation=org,
        services=["medical"],
        fields_shared=[],
        consent_basis="override",
        override_reason="the child was in danger at home and needed care now",
        response_reason="",
        requested_at=dt.datetime.now(dt.UTC),
        due_date=dt.date.today(),
    )
    step = CaseTransition.objects.create(
        case=child, from_state="identified", to_state="assessed", reason="x", at=ref.requested_at
    )
    put(
        "cases_casetransition",
        "reason",
        step.pk,
        raw("cases_referral", "override_reason", ref.pk),
    )
    assert isinstance(CaseTransition.objects.get(pk=step.pk).reason, Unreadable)
    assert keys.KeyRing.version(raw("cases_referral", "response_reason", ref.pk)) == "v2"
