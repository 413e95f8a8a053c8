"""Full-text search over the directory in the entries' own languages, on SQLite (FTS5) and on
PostgreSQL (its text search, one configuration per entry's language): run on both passes."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.accounts.models import Role
from lantern.directory import service
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(fast_passwords: None) -> dict[str, Any]:
    admin = factories.user("aadm", Role.AGENCY_ADMIN, agency_code="ngo-one")
    coord = factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)
    other = factories.user("other", Role.CASEWORKER, agency_code="police-two")

    def approved(kind: str, data: dict[str, Any], org: int | None = None) -> Any:
        row = (
            service.create_organisation(admin, data)
            if kind == "organisation"
            else service.add(admin, kind, org or 0, data)
        )
        service.submit(admin, kind, row.pk)
        return service.approve(coord, kind, row.pk)

    fr = approved(
        "organisation",
        {
            "name": "Maison Soleil",
            "type": "NGO",
            "language": "fr",
            "description": "Sécurité et accueil des enfants rapatriés",
        },
    )
    es = approved(
        "service",
        {
            "name": "Apoyo jurídico",
            "support_type": "legal",
            "language": "es",
            "description": "Asistencia jurídica para niñas y niños víctimas",
        },
        fr.pk,
    )
    lesson = approved(
        "lesson",
        {
            "title": "Microcredit for mothers",
            "result": "failure",
            "language": "en",
            "tried": "Loans to mothers of returned children",
            "text": "Debts grew; children left",
        },
        fr.pk,
    )
    draft = service.add(
        admin, "project", fr.pk, {"title": "Projet enfants brouillon", "language": "fr"}
    )
    return {
        "admin": admin,
        "coord": coord,
        "other": other,
        "fr": fr,
        "es": es,
        "lesson": lesson,
        "draft": draft,
    }


def _found(user: Any, q: str) -> list[tuple[str, int]]:
    return [(kind, row.pk) for kind, row in service.find(user, q)]


def test_a_french_word_finds_french_text_with_or_without_accents(entries: dict[str, Any]) -> None:
    other, fr = entries["other"], entries["fr"]
    assert ("organisation", fr.pk) in _found(other, "enfants")
    assert ("organisation", fr.pk) in _found(other, "enfant")  # stem or prefix, both stores
    assert ("organisation", fr.pk) in _found(other, "securite")
    assert ("organisation", fr.pk) in _found(other, "SÉCURITÉ accueil")


def test_spanish_and_english_entries_are_found_in_their_languages(entries: dict[str, Any]) -> None:
    other = entries["other"]
    assert ("service", entries["es"].pk) in _found(other, "juridica")
    assert ("lesson", entries["lesson"].pk) in _found(other, "mothers loans")
    assert _found(other, "mothers zebra") == []  # every word must be there


def test_others_find_only_approved_entries(entries: dict[str, Any]) -> None:
    draft = ("project", entries["draft"].pk)
    assert draft not in _found(entries["other"], "brouillon")
    assert draft in _found(entries["admin"], "brouillon")  # the agency's own draft
    assert draft in _found(entries["coord"], "brouillon")  # the approver's queue


def test_an_edit_is_found_by_its_new_words_only(entries: dict[str, Any]) -> None:
    admin, fr = entries["admin"], entries["fr"]
    service.update(admin, "organisation", fr.pk, {"description": "Hébergement d'urgence"})
    assert ("organisation", fr.pk) in _found(admin, "hebergement")
    assert ("organisation", fr.pk) not in _found(admin, "rapatries")


def test_a_query_of_punctuation_or_fts_syntax_finds_nothing_and_fails_nothing(
    entries: dict[str, Any],
) -> None:
    for q in ("", "  ", '"', "*", "NEAR(a b)", "a OR", "-", 'enfants"*'):
        service.find(entries["other"], q)


def test_what_a_service_offers_is_found_in_every_language_of_its_code(
    entries: dict[str, Any],
) -> None:
    """The Spanish legal service is found by the French and English names of its kind."""
    other, es = entries["other"], entries["es"]
    assert ("service", es.pk) in _found(other, "assistance juridique")
    assert ("service", es.pk) in _found(other, "legal assistance")
