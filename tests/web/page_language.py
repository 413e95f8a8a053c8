"""Is a page in its reader's language? What a page shows, checked against what Lantern knows.

A page in French or Spanish leaks English in three ways, and each has its own check:
- a catalogue string left in English: a visible text equal to a msgid of the interface's
  catalogue that the catalogue translates differently, or not at all (``Catalogue``);
- a string the catalogue has never seen (not marked for translation, or marked after the last
  ``makemessages``): it reads the same on the English page and has a word that no French (or
  Spanish) text of Lantern uses (``foreign_words``);
- a raw code: a taxonomy id, a model choice's stored value or an agency code printed instead of
  its label (``Codes``).
People's own words (names, places, reasons typed into a form) are not the interface's: the
strings stored in the database are taken out of the text before the word check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import yaml

LOCALE = Path(__file__).resolve().parents[2] / "src" / "lantern" / "locale"
WORD = re.compile(r"[^\W\d_]{2,}")  # two letters or more: "l'" and "d'" are not words
SPACE = re.compile(r"\s+")
# What any language prints as is. The product's name; standards' names, which they print in
# capitals in every language; a language's own name in the language switcher is known by
# ``vocabulary`` (Django's LANG_INFO).
AS_IS = frozenset({"lantern", "htcds", "iso", "ilo", "ctdc", "isic", "unodc", "glotip", "csv"})
# The language switcher names each language by its ISO 639-1 code, the same in every language.
LANGUAGE_CODES = frozenset({"en", "fr", "es"})
# Attributes a person reads: tooltips, placeholders, alternatives, accessible names, buttons.
READ_ATTRIBUTES = ("title", "placeholder", "alt", "aria-label")
# Not read as language: scripts, and machine text a page quotes as it is (a key file, a
# fingerprint, a command, an identifier of the audit trail), which HTML marks as code.
SILENT_TAGS = frozenset({"script", "style", "template", "code", "pre", "kbd", "samp"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self.links: list[str] = []
        self._silent = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SILENT_TAGS:
            self._silent += 1
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        self.nodes += [v for a, v in attrs if a in READ_ATTRIBUTES and v]
        if tag == "input" and values.get("type") in ("submit", "button", "reset"):
            self.nodes.append(values.get("value") or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in SILENT_TAGS:
            self._silent -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in SILENT_TAGS and self._silent:
            self._silent -= 1

    def handle_data(self, data: str) -> None:
        if not self._silent:
            self.nodes.append(data)


def visible_text(html: str) -> list[str]:
    """The text a person reads on the page, one entry per text node or read attribute."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    nodes = (SPACE.sub(" ", n).strip() for n in parser.nodes)
    return [n for n in nodes if n]


def links(html: str) -> list[str]:
    """The targets of the page's links, in order."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.links


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


# --- the interface's catalogue -----------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    msgid: str
    plural: str
    msgstrs: tuple[str, ...]
    fuzzy: bool


def _unquote(s: str) -> str:
    return s[1:-1].encode("raw_unicode_escape").decode("unicode_escape")


def entries(po: Path) -> list[Entry]:
    """The entries of a .po file (the header left out)."""
    out: list[Entry] = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            if line.startswith("#") or not line.strip():
                continue
            if line.startswith('"'):
                fields[key] += _unquote(line)
                continue
            key, _, rest = line.partition(" ")
            fields[key] = _unquote(rest)
        if fields.get("msgid"):
            strs = tuple(v for k, v in fields.items() if k.startswith("msgstr"))
            out.append(Entry(fields["msgid"], fields.get("msgid_plural", ""), strs, fuzzy))
    return out


_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _pattern(english: str) -> re.Pattern[str]:
    """A msgid as its rendered text matches it: placeholders stand for any text."""
    parts = _PLACEHOLDER.split(SPACE.sub(" ", english).strip())
    return re.compile(r"\s?(.+?)\s?".join(re.escape(p) for p in parts) + r"\Z")


class Catalogue:
    """The English strings the catalogue of ``lang`` translates into something else (or leaves
    untranslated): shown as they are on a page in ``lang``, they are English leaking through."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        english: set[str] = set()
        for e in entries(LOCALE / lang / "LC_MESSAGES" / "django.po"):
            if e.msgstrs[0] != e.msgid or not all(e.msgstrs):
                english |= {e.msgid, e.plural} - {""}
        exact = {SPACE.sub(" ", s).strip() for s in english if not _PLACEHOLDER.search(s)}
        self._exact = {s for s in exact if WORD.search(s)}
        self._patterns = [_pattern(s) for s in english if _PLACEHOLDER.search(s)]

    def english_in(self, node: str) -> str | None:
        """The msgid ``node`` shows in English, if it shows one."""
        bare = node.strip(" :·*()—–-")
        for candidate in (node, bare):
            if candidate in self._exact:
                return candidate
        for p in self._patterns:
            m = p.match(bare)
            if m and any(WORD.search(s) for s in re.split(r"\(\.\+\?\)", p.pattern)):
                return bare
        return None


# --- every text Lantern knows in a language -----------------------------------------------------


@cache
def vocabulary(lang: str) -> frozenset[str]:
    """The words of every text Lantern can show in ``lang``: the merged gettext catalogue
    (Lantern's and Django's), the code lists' labels, the countries' names, the screening
    texts and the languages' names. A word outside it, on a page in ``lang``, came from
    somewhere that does not speak ``lang``."""
    from django.conf.locale import LANG_INFO
    from django.utils.translation import trans_real

    from lantern import taxonomy

    texts: list[str] = []
    for k, v in trans_real.translation(lang)._catalog.items():
        texts.append(v)
        if lang == "en":
            texts.append(k[0] if isinstance(k, tuple) else k)
    if lang == "en":
        texts += [e.msgid + " " + e.plural for e in entries(LOCALE / "fr/LC_MESSAGES/django.po")]
    for name in taxonomy.list_names():
        texts += [c.label(lang) for c in taxonomy.code_list(name).codes]
    texts += [c.name(lang) for c in taxonomy.all_countries()]
    texts += list(_strings_of(yaml.safe_load((LOCALE / "screening.yaml").read_text()), lang))
    texts += [info.get("name_local", "") for info in LANG_INFO.values()]
    found: set[str] = set()
    for t in texts:
        found |= words(str(t))
    return frozenset(found)


def _strings_of(tree: object, lang: str, inside: bool = False) -> Iterator[str]:
    """The strings under ``lang`` keys of the screening texts."""
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from _strings_of(v, lang, inside or k == lang)
    elif isinstance(tree, list):
        for v in tree:
            yield from _strings_of(v, lang, inside)
    elif inside and isinstance(tree, str):
        yield tree


# --- codes ---------------------------------------------------------------------------------------


def code_values() -> set[str]:
    """Every stored code: the taxonomy's ids and HTCDS values, every ``TextChoices`` value whose
    label says something else, and the agencies' and areas' codes."""
    from django.db import models

    from lantern import taxonomy
    from lantern.accounts.models import Agency, Area

    found: set[str] = set()
    for name in taxonomy.list_names():
        for c in taxonomy.code_list(name).codes:
            found |= {c.id, c.htcds or ""} if name != "countries" else {c.id}  # alpha-3 only
    pending: list[type[models.Choices]] = [models.TextChoices]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        found |= {str(m.value) for m in cls if str(m.value) != str(m.label)}  # type: ignore[attr-defined]
    found |= set(Agency.objects.values_list("code", flat=True))
    found |= set(Area.objects.values_list("code", flat=True))
    return {c for c in found if c and WORD.search(c)}


# A code no list names (a value an import writes, an audit action) still reads as one: nobody
# writes words joined by underscores.
SNAKE = re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])")


class Codes:
    """Finds codes printed as text on a page in ``lang``: the stored codes, and any word in
    snake_case. A code that is also a word of the language ("police", "transit") cannot be
    told from the word, and is left out."""

    def __init__(self, codes: Iterable[str], lang: str) -> None:
        known = vocabulary(lang)
        own = [c for c in codes if c.lower() not in known]
        own.sort(key=len, reverse=True)
        alternatives = "|".join(re.escape(c) for c in own) or r"(?!x)x"
        self._re = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")

    def in_text(self, node: str) -> list[str]:
        return self._re.findall(node) + SNAKE.findall(node)


# --- people's own words --------------------------------------------------------------------------


def stored_strings() -> set[str]:
    """Every string stored in the database (decrypted as the models read it): what people typed
    or imported, names of people, agencies and places. Not the interface's words."""
    from django.apps import apps
    from django.db import models

    found: set[str] = set()
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and not f.choices  # a choice is a code, labelled by the page
        ]
        if not fields:
            continue
        for obj in model._default_manager.all().iterator():
            for name in fields:
                found |= set(_strings(getattr(obj, name, None)))
    return {s.strip() for s in found if s and s.strip()}


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def area_names() -> set[str]:
    """The provinces of the area lists (``lantern.taxonomy.areas``, the installation's
    countries), in every language: proper names, shown as the iso-codes project names them."""
    from django.conf import settings

    from lantern.taxonomy import areas

    return {
        a.label(lang).split(" / ", 1)[-1]
        for c in settings.LANTERN_AREA_COUNTRIES
        for a in areas.provinces(c)
        for lang in ("en", "fr", "es")
    }


class People:
    """Takes people's own words out of a text."""

    def __init__(self, stored: Iterable[str], codes: set[str]) -> None:
        own = sorted(
            (s for s in stored if s not in codes and WORD.search(s) and not SNAKE.search(s)),
            key=len,
        )
        own.reverse()
        alternatives = "|".join(re.escape(s) for s in own) or r"(?!x)x"
        self._re = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def without(self, node: str) -> str:
        return self._re.sub(" ", node)


_ONE_OF_MANY = re.compile(r"(?<![\d.,:/-])\b1 (?:[a-z]+ ){0,2}?([a-z]{3,})s\b")


def hand_made_plurals(nodes: list[str]) -> list[str]:
    """English texts that count one thing in the plural ("1 care plans"): a count printed into a
    sentence without ngettext or ``blocktranslate count``, whose translations cannot agree
    either. A plural is an English word of Lantern's with an "s" added."""
    known = vocabulary("en")
    return [n for n in nodes if any(m in known for m in _ONE_OF_MANY.findall(n))]


def foreign_words(nodes: list[str], english: set[str], lang: str) -> set[str]:
    """Words of a page in ``lang`` that no text of Lantern in ``lang`` has and that the English
    page shows as well: the words of a string nobody translated."""
    known = vocabulary(lang) | AS_IS | LANGUAGE_CODES
    return {w for n in nodes for w in words(n) if w in english and w not in known}
