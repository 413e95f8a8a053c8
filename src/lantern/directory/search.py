"""Full-text search over the directory, in the language each entry is written in.

Every entry's text is copied, folded (lower case, accents removed), into ``DirectoryText`` when
the service writes it (``index``). SQLite matches it through the FTS5 table its triggers keep
(``directory_fts``, made by the migration): every word of the query as a prefix, so "enfant"
finds "enfants". PostgreSQL stems it with the entry's own text search configuration (french,
english, spanish, or simple), so "enfant" and "enfants" meet there too. Folding both sides
makes "securite" find "sécurité" on both databases without PostgreSQL's unaccent extension.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Model

from lantern.directory.models import DirectoryText
from lantern.taxonomy import LANGUAGES, code_list

CONFIGS = {"en": "english", "fr": "french", "es": "spanish"}
MAX_HITS = 200
_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case, accents removed: how the index and the query are compared."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def words(query: str) -> list[str]:
    """The query's words, folded, at most 12 (a search box, not a document)."""
    return _WORD.findall(fold(query))[:12]


def _offer_labels(kind: str, row: Model) -> list[str]:
    """What an organisation or a service offers, named in every language of the code list,
    so that "hébergement" finds a shelter whose entry is written in English."""
    offered = getattr(row, "services", None) if kind == "organisation" else None
    codes = list(offered or []) if kind == "organisation" else []
    if kind == "service":
        codes = [getattr(row, "support_type", "")]
    known = code_list("support_types")
    return [known.get(c).label(lang) for c in codes if c in known for lang in LANGUAGES]


def index(kind: str, row: Model, fields: Iterable[str]) -> None:
    """Keep ``row``'s searchable text in step with what it says now."""
    text = " ".join([*(str(getattr(row, f) or "") for f in fields), *_offer_labels(kind, row)])
    organisation_id = row.pk if kind == "organisation" else row.organisation_id  # type: ignore[attr-defined]
    DirectoryText.objects.update_or_create(
        kind=kind,
        record_id=row.pk,
        defaults={
            "organisation_id": organisation_id,
            "config": CONFIGS.get(getattr(row, "language", ""), "simple"),
            "body": fold(text),
        },
    )


def forget(kind: str, record_id: int) -> None:
    DirectoryText.objects.filter(kind=kind, record_id=record_id).delete()


def _sqlite(terms: list[str]) -> list[int]:
    match = " ".join(f'"{t}"*' for t in terms)  # every word, each as a prefix
    with connection.cursor() as cur:
        cur.execute(
            "SELECT rowid FROM directory_fts WHERE directory_fts MATCH %s ORDER BY rank LIMIT %s",
            [match, MAX_HITS],
        )
        return [r[0] for r in cur.fetchall()]


def _postgresql(terms: list[str]) -> list[int]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
    from django.db.models import F, Q

    text = " ".join(terms)
    stemmed = SearchVector("body", config=F("config"))
    plain = SearchVector("body", config="simple")
    rows = (
        DirectoryText.objects.annotate(
            stemmed=stemmed,
            plain=plain,
            rank=SearchRank(stemmed, SearchQuery(text, config=F("config"))),
        )
        .filter(
            Q(stemmed=SearchQuery(text, config=F("config")))
            | Q(plain=SearchQuery(text, config="simple"))
        )
        .order_by("-rank", "id")
        .values_list("id", flat=True)
    )
    return list(rows[:MAX_HITS])


def matching(query: str) -> list[tuple[str, int]]:
    """(kind, record id) of the entries whose text holds every word of ``query``, best first;
    no check of who may see them (the service's ``search`` does that)."""
    terms = words(query)
    if not terms:
        return []
    ids = _postgresql(terms) if connection.vendor == "postgresql" else _sqlite(terms)
    found: dict[int, Any] = {
        pk: (kind, rid)
        for pk, kind, rid in DirectoryText.objects.filter(pk__in=ids).values_list(
            "pk", "kind", "record_id"
        )
    }
    return [found[pk] for pk in ids if pk in found]
