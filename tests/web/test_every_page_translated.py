"""Every page, for every reader, in French and Spanish: no English left and no raw code (#15).

The pages are the resolver's, as the permission matrix walks them, so a new page is covered the
day it is routed; each reader (every role of the matrix, and a visitor not signed in) walks the
pages the permission table lets it reach, on the matrix's two-agency store with the demo's
histories in it (plans, visits, proceedings, referrals...), records in its scope filling the
path. Each page is read in English, French and Spanish; ``page_language`` says what a leak is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.test import Client

from lantern.cases.models import Case
from lantern.demo.histories import seed_workflows
from lantern.protection.followup.models import FollowUpVisit
from lantern.protection.safety.models import SafePlace
from lantern.protection.transfers.models import Agreement
from tests import factories
from tests.conftest import Store
from tests.security.permission_table import COLUMNS, TABLE, outcome
from tests.security.test_permission_matrix import _fill, _prepare, _routes
from tests.web import page_language as pl

pytestmark = [pytest.mark.django_db]

LANGUAGES = ("fr", "es")
VISITOR = "visitor (not signed in)"
REACHES = {"scoped", "all", "yes"}
# A page's own links to itself with a query (an intake channel's form, a filter, the next
# page) show other states of it; at most this many are followed per page.
VARIANTS = 12


def _pages(reader: str) -> list[tuple[str, str]]:
    """(url name, route) of the pages ``reader`` may open, from the resolver."""
    found = []
    for key, route in _routes():
        if key.startswith("api:") or key not in TABLE:
            continue
        if reader == VISITOR:
            reaches = outcome(key, COLUMNS[0]) == "public"
        else:
            reaches = outcome(key, reader).partition("+")[0] in REACHES
        if reaches:
            found.append((key, route))
    return found


@dataclass
class Findings:
    reader: str
    problems: list[str] = field(default_factory=list)
    pages: int = 0

    def add(self, page: str, lang: str, kind: str, found: object) -> None:
        if found:
            self.problems.append(f"{page} as {self.reader} in {lang}: {kind}: {found}")


@pytest.fixture
def world(store: Store) -> Store:
    """The matrix's store, with a history in every section and a record of each kind a route
    names (``permission_table.IDS``), so that no section of a page is empty."""
    seed_workflows(fraction=1.0)
    # My work lists the caseworker's tasks: the case in scope is theirs, a visit is overdue.
    Case.objects.filter(pk=store.case_in.pk).update(owner=store.users["caseworker"])
    FollowUpVisit.objects.create(
        case=store.case_in, kind="visit", scheduled_for=dt.date.today() - dt.timedelta(days=3)
    )
    Agreement.objects.create(  # the exchange pages list the agreements
        reference="KH-NP-2020",
        title="Return of child victims",
        partner_country="KHM",
        allowed_fields=["prs_FirstName", "prs_Gender", "vic_TraffickingStatus"],
        valid_from=dt.date(2020, 1, 1),
    )
    for key, route in _routes():
        if key in TABLE and not key.startswith("api:"):
            _prepare(key, store.case_in)
            _fill(route, store.case_in)
    return store


def _read(client: Client, path: str, lang: str) -> str | None:
    """The page's HTML in ``lang``, or None for a download (the audit trail's CSV) or an
    action that only takes a form's POST (signing out)."""
    r = client.get(path, HTTP_ACCEPT_LANGUAGE=lang, follow=True)
    if r.status_code == 405:
        return None
    assert r.status_code == 200, f"GET {path} in {lang}: {r.status_code}"
    if not r["Content-Type"].startswith("text/html"):
        return None
    html = r.content.decode()
    assert f'<html lang="{lang}"' in html, f"{path}: not served in {lang}"
    return html


def _check(html: dict[str, str], page: str, findings: Findings, ctx: dict[str, object]) -> None:
    people: pl.People = ctx["people"]  # type: ignore[assignment]
    english_nodes = [people.without(n) for n in pl.visible_text(html["en"])]
    english_words = set().union(*(pl.words(n) for n in english_nodes))
    codes_en: pl.Codes = ctx["codes:en"]  # type: ignore[assignment]
    raw_en = sorted({c for n in english_nodes for c in codes_en.in_text(n)})
    findings.add(page, "en", "raw codes", raw_en)
    findings.add(page, "en", "one thing counted in the plural", pl.hand_made_plurals(english_nodes))
    for lang in LANGUAGES:
        nodes = pl.visible_text(html[lang])
        catalogue: pl.Catalogue = ctx[f"catalogue:{lang}"]  # type: ignore[assignment]
        codes: pl.Codes = ctx[f"codes:{lang}"]  # type: ignore[assignment]
        left = sorted({m for n in nodes if (m := catalogue.english_in(n))})
        findings.add(page, lang, "English strings of the catalogue", left)
        own = [people.without(n) for n in nodes]
        raw = sorted({c for n in own for c in codes.in_text(n)})
        findings.add(page, lang, "raw codes", raw)
        foreign = pl.foreign_words(own, english_words, lang)
        shown = sorted({n for n in own if pl.words(n) & foreign})
        findings.add(page, lang, f"English words {sorted(foreign)} in", shown)


def _context() -> dict[str, object]:
    """What the checks compare with, read from the catalogues and the store once per reader."""
    codes = pl.code_values()
    ctx: dict[str, object] = {"people": pl.People(pl.stored_strings() | pl.area_names(), codes)}
    for lang in ("en", *LANGUAGES):
        ctx[f"codes:{lang}"] = pl.Codes(codes, lang)
        if lang != "en":
            ctx[f"catalogue:{lang}"] = pl.Catalogue(lang)
    return ctx


@pytest.mark.parametrize("reader", [VISITOR, *COLUMNS])
def test_every_page_is_in_the_readers_language(world: Store, reader: str) -> None:
    user = None if reader == VISITOR else world.users[reader]
    client = Client() if user is None else factories.verified_login(Client(), user)
    ctx = _context()
    findings = Findings(reader)
    for key, route in _pages(reader):
        _prepare(key, world.case_in)
        path = _fill(route, world.case_in)
        todo, seen = [path], {path}
        while todo:
            url = todo.pop(0)
            html = {lang: _read(client, url, lang) for lang in ("en", *LANGUAGES)}
            if html["en"] is None:
                continue
            findings.pages += 1
            _check(html, f"{url} ({key})", findings, ctx)  # type: ignore[arg-type]
            for link in pl.links(html["en"]):
                target = urlsplit(link)
                if target.query and target.path in ("", path) and len(seen) <= VARIANTS:
                    variant = f"{path}?{target.query}"
                    if variant not in seen:
                        seen.add(variant)
                        todo.append(variant)
    assert findings.pages, f"{reader} read no page"
    assert not findings.problems, "\n".join(findings.problems)


def test_the_check_finds_each_kind_of_leak_and_passes_a_translated_page(store: Store) -> None:
    """The walk above passes only if the check can fail: one page with each leak, and the same
    page written properly. People's own words (a name, a place typed in English) are no leak."""
    person = store.case_in.person
    SafePlace.objects.create(agency=store.case_in.agency, name="Riverside House", kind="shelter")
    ctx = _context()

    def page(body: str) -> str:
        people = f"<p>{person.given_name} {person.family_name} · Riverside House</p>"
        return f"<html><body><main>{body}{people}</main></body></html>"

    english = page("<h2>Child</h2><p>1 care plans</p><dd>Active · in_care</dd><p>Story saved</p>")
    html = {"en": english, "fr": english.replace("Active", "Actif")}
    html["es"] = html["fr"]
    findings = Findings("caseworker")
    _check(html, "/probe/", findings, ctx)
    found = "\n".join(findings.problems)
    assert "/probe/ as caseworker in en: one thing counted in the plural: ['1 care plans']" in found
    assert "in fr: English strings of the catalogue: ['Child']" in found
    assert "in es: raw codes: ['in_care']" in found
    assert "in es: English words ['care', 'in', 'plans', 'saved', 'story']" in found
    assert "in fr: English words ['care', 'in', 'saved', 'story']" in found  # "plans": French too
    assert "given_name" not in found and person.given_name not in found and "Riverside" not in found
    translated = {
        "en": page("<h2>Child</h2><p>1 care plan</p><dd>Active · In care</dd>"),
        "fr": page(
            "<h2>Enfant</h2><p>1 plan de prise en charge</p><dd>Actif · Pris en charge</dd>"
        ),
        "es": page("<h2>Niño o niña</h2><p>1 plan de atención</p><dd>Activo · En atención</dd>"),
    }
    clean = Findings("caseworker")
    _check(translated, "/probe/", clean, ctx)
    assert clean.problems == []
