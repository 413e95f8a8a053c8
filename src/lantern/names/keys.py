"""Name keys that let one child's name match across scripts, spellings and field orders.

Agencies write the same child's name in Devanagari, Thai, Khmer, Lao, Burmese, Arabic or
Latin, with or without vowels, given and family names swapped, or a nickname in place of the
given name. Linkage compares several keys of each name rather than the name as written:

- ``written``: the name as the agency wrote it, case-folded (the strongest agreement);
- ``latin``: romanised. The scripts of :data:`_READ_AS_SPOKEN` are read as spoken by their
  own modules (inherent vowels, leading vowels, final-consonant sounds, silent letters), so
  ``रमेश`` and ``Ramesh`` both become ``ramesh``; any other script goes through ``anyascii``
  (offline tables for every Unicode script); the Arabic article (al-, el-, ul-) is dropped;
- ``sound``: consonants folded and vowel runs reduced to a class (:func:`sound`);
- ``skeleton``: a consonant skeleton. Abjads (Arabic) write no short vowels, so vowels, ``h``
  and the semivowels are dropped and aspirated digraphs folded: ``محمد`` and ``Mohammed``
  both give ``mt``;
- ``canonical``: the given name behind a known nickname or short form (``Mohd`` → muhammad).

Placeholders that agencies type when the name is unknown (``unknown``, ``n/a``, ``baby``,
``अज्ञात`` ...) become ``None``, so they never agree with each other nor form a block.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from anyascii import anyascii

from lantern.names.arabic import ARABIC, romanise_arabic
from lantern.names.burmese import MYANMAR, romanise_burmese
from lantern.names.devanagari import DEVANAGARI, romanise_devanagari
from lantern.names.khmer import KHMER, romanise_khmer
from lantern.names.lao import LAO, romanise_lao
from lantern.names.thai import THAI, romanise_thai

_NON_LETTER = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")
_VOWELS = re.compile(r"[aeiouyhw]")
_REPEATS = re.compile(r"(.)\1+")

# Ordered folds applied to a romanised token before vowels are dropped. Aspirated stops of
# Indic and Tai scripts romanise as digraphs (bh, dh, kh, ph, th) or not; Tai finals make
# d/t and p/f one sound; w, v and b alternate in Nepali, Thai and Lao spellings; Arabic and
# French spellings write j as dj, k as q.
_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("sh", "s"),
    ("ch", "C"),  # kept apart from k: Thai/Khmer ch is an affricate
    ("dj", "j"),
    ("kh", "k"),
    ("gh", "g"),
    ("ph", "p"),
    ("th", "t"),
    ("dh", "t"),
    ("bh", "b"),
    ("jh", "j"),
    ("ng", "n"),
    ("ck", "k"),
    ("f", "p"),
    ("d", "t"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("z", "s"),
    ("v", "b"),
)
_ONSET_W = re.compile(r"[wv](?=[aeiou])")
_CODA_W = re.compile(r"[wv]")
_LATIN_ARTICLES = frozenset({"al", "el", "ul"})

#: Values agencies type for "name not known", in Latin and in the region's scripts.
PLACEHOLDER_WORDS: tuple[str, ...] = (
    "unknown",
    "unkown",
    "unk",
    "n/a",
    "na",
    "none",
    "null",
    "nil",
    "not known",
    "not stated",
    "no name",
    "noname",
    "baby",
    "child",
    "girl",
    "boy",
    "x",
    "xx",
    "xxx",
    "test",
    "अज्ञात",  # Devanagari
    "ไม่ทราบ",  # Thai
    "ไม่ระบุ",
    "مجهول",  # Arabic
    "غير معروف",
    "មិនដឹង",  # Khmer
    "អត់ឈ្មោះ",
    "অজানা",  # Bengali
    "မသိ",  # Burmese
    "ບໍ່ຮູ້",  # Lao
    "неизвестно",  # Cyrillic
)


def fold(text: str | None) -> str:
    """Case-fold and NFKC-normalise a name as written, trimming blanks (``""`` if none)."""
    if text is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", str(text)).casefold()).strip()


#: Scripts read as spoken before ``anyascii`` (which reads them letter by letter); any other
#: script goes to ``anyascii`` directly.
_READ_AS_SPOKEN: tuple[tuple[re.Pattern[str], Callable[[str], str]], ...] = (
    (MYANMAR, romanise_burmese),
    (DEVANAGARI, romanise_devanagari),
    (KHMER, romanise_khmer),
    (THAI, romanise_thai),
    (LAO, romanise_lao),
    (ARABIC, romanise_arabic),
)


@lru_cache(maxsize=1 << 20)
def romanise(text: str) -> str:
    """Latin key of a name in any script: lower-case ASCII letters and single spaces."""
    folded = fold(text)
    for script, read_aloud in _READ_AS_SPOKEN:
        if script.search(folded):
            folded = read_aloud(folded)
    latin = anyascii(folded).lower()
    tokens = _NON_LETTER.sub(" ", latin).split()
    kept = [token for token in tokens if token not in _LATIN_ARTICLES]
    return " ".join(kept or tokens)


#: A run of digits in any script (a district's or ward's number).
_DIGITS = re.compile(r"\d+")


def place_key(text: str) -> str:
    """Latin key of a place name that keeps its numbers: ``District 06`` and ``district 6``
    agree, ``District 07`` does not (:func:`romanise` drops digits, which would make every
    numbered district of a register one place)."""
    numbers = [str(int(run)) for run in _DIGITS.findall(unicodedata.normalize("NFKC", text))]
    return " ".join(part for part in (romanise(text), *numbers) if part)


#: Thai "-orn" spellings (Pornthip, Siriporn) for the spoken final n (Phonthip, Siriphon).
_ORN = re.compile(r"orn(?![aeiouy])")


def _fold_consonants(token: str) -> str:
    """Onset w/v as b, coda w/v dropped, Thai -orn as -on, digraphs folded (see _DIGRAPHS)."""
    token = _ORN.sub("on", _CODA_W.sub("", _ONSET_W.sub("b", token)))
    for digraph, replacement in _DIGRAPHS:
        token = token.replace(digraph, replacement)
    return token


def _skeleton_token(token: str) -> str:
    token = _fold_consonants(token)
    consonants = _VOWELS.sub("", token)
    return _REPEATS.sub(r"\1", consonants).lower()


_VOWEL_RUN = re.compile(r"[aeiouy]+")
_VOWEL_CLASS = {"a": "a", "e": "i", "i": "i", "y": "i", "o": "u", "u": "u"}


@lru_cache(maxsize=1 << 20)
def sound(latin: str) -> str:
    """A romanised name as it sounds: consonants folded as in :func:`skeleton`, each run of
    vowels reduced to its class (a; e/i/y; o/u), a final vowel dropped, spaces ignored.

    Between the romanised spelling (``suneena`` / ``sunina`` differ) and the skeleton
    (``sn``, shared by Sunita, Suni, Sanu ...), so two spellings of one name agree here
    while different names with the same consonants mostly do not.
    """
    token = _fold_consonants(latin.replace(" ", "")).replace("h", "").replace("w", "")
    token = _VOWEL_RUN.sub(lambda run: _VOWEL_CLASS[run.group(0)[0]], token)
    token = _REPEATS.sub(r"\1", token).lower()
    return token[:-1] if len(token) > 1 and token[-1] in "aiu" else token


@lru_cache(maxsize=1 << 20)
def skeleton(latin: str) -> str:
    """Consonant skeleton of a romanised name (spaces ignored, so 'Abd Allah' = 'Abdullah')."""
    return _skeleton_token(latin.replace(" ", ""))


def token_skeletons(latin: str | None) -> list[str]:
    """Distinct consonant skeletons of a romanised name's words, in order.

    Agencies cut one name into words differently, drop a word, or write a family name in the
    given-name field; the words that survive still agree, so linkage blocks and compares on
    them as well as on the whole name. Words with no consonant (``aye``, ``ei``) give none.
    """
    found: list[str] = []
    for token in (latin or "").split():
        skel = _skeleton_token(token)
        if skel and skel not in found:
            found.append(skel)
    return found


@lru_cache(maxsize=1)
def _placeholders() -> frozenset[str]:
    return frozenset(romanise(word) for word in PLACEHOLDER_WORDS)


def is_placeholder(latin: str) -> bool:
    """True when a romanised name says only that the name is not known."""
    return latin in _placeholders() or len(latin.replace(" ", "")) < 2


@lru_cache(maxsize=1)
def nickname_table() -> dict[str, str]:
    """Romanised short forms and nicknames mapped to the canonical romanised given name."""
    table: dict[str, str] = {}
    source = resources.files("lantern.names").joinpath("data/nicknames.csv")
    with source.open(encoding="utf-8") as handle:
        for row in csv.DictReader(line for line in handle if not line.startswith("#")):
            canonical = romanise(row["canonical"])
            for variant in row["variants"].split(";"):
                key = romanise(variant)
                if key:
                    table[key] = canonical
            table[canonical] = canonical
    return table


def canonical_given(latin: str) -> str:
    """The canonical given name behind a nickname, else the name's first token."""
    if not latin:
        return ""
    table = nickname_table()
    if latin in table:
        return table[latin]
    first = latin.split(" ")[0]
    return table.get(first, first)


@dataclass(frozen=True, slots=True)
class NameKeys:
    """The comparison keys of one name field; every key is ``None`` for a placeholder."""

    written: str | None
    latin: str | None
    skeleton: str | None


@lru_cache(maxsize=1 << 20)
def name_keys(text: str | None) -> NameKeys:
    """Keys of one name field as an agency wrote it."""
    written = fold(text)
    latin = romanise(written) if written else ""
    if is_placeholder(latin):
        return NameKeys(None, None, None)
    skel = skeleton(latin)
    return NameKeys(written, latin, skel or None)


def order_free_key(given_skeleton: str | None, family_skeleton: str | None) -> str | None:
    """One key for a full name that ignores which field holds which name (order swaps)."""
    parts = sorted(part for part in (given_skeleton, family_skeleton) if part)
    return "|".join(parts) if parts else None
