"""Devanagari names (Nepali, Hindi) in the Latin spelling agencies write.

``anyascii`` transliterates letter by letter and drops every inherent vowel (``रमेश`` →
``rmes``, ``भट्ट`` → ``bhtt``), so a name written in Devanagari could only meet its Latin
spelling (``Ramesh``, ``Bhatta``) at the consonant skeleton, the weakest name level. This
romaniser reads the script as it is spoken: each consonant carries the inherent ``a``
unless a vowel sign or virama replaces it, the word-final ``a`` falls silent (schwa
deletion) except after a conjunct (``कृष्ण`` → ``krishna``), ``श``/``ष`` are ``sh``, and
nasal signs are ``n``, so the romanised keys of both spellings agree.
"""

from __future__ import annotations

import re

_CONSONANTS: dict[str, str] = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "ng",
    "च": "ch", "छ": "chh", "ज": "j", "झ": "jh", "ञ": "ny",
    "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n",
    "त": "t", "थ": "th", "द": "d", "ध": "dh", "न": "n",
    "प": "p", "फ": "ph", "ब": "b", "भ": "bh", "म": "m",
    "य": "y", "र": "r", "ल": "l", "ळ": "l", "व": "v",
    "श": "sh", "ष": "sh", "स": "s", "ह": "h",
    "क़": "q", "ख़": "kh", "ग़": "g", "ज़": "z", "ड़": "r", "ढ़": "rh", "फ़": "f", "य़": "y",
}  # fmt: skip
_NUKTA_FORMS = {"क": "क़", "ख": "ख़", "ग": "ग़", "ज": "ज़", "ड": "ड़", "ढ": "ढ़", "फ": "फ़", "य": "य़"}
_VOWELS: dict[str, str] = {
    "अ": "a", "आ": "a", "इ": "i", "ई": "i", "उ": "u", "ऊ": "u", "ऋ": "ri",
    "ए": "e", "ऐ": "ai", "ओ": "o", "औ": "au", "ऑ": "o",
}  # fmt: skip
_SIGNS: dict[str, str] = {
    "ा": "a", "ि": "i", "ी": "i", "ु": "u", "ू": "u", "ृ": "ri",
    "े": "e", "ै": "ai", "ो": "o", "ौ": "au", "ॅ": "e", "ॉ": "o",
}  # fmt: skip
_NASALS = {"ं": "n", "ँ": "n"}
_VIRAMA, _NUKTA, _VISARGA = "्", "़", "ः"
DEVANAGARI = re.compile(r"[\u0900-\u097f]")


def _word(word: str) -> str:
    """One word: consonant clusters, vowels, and the inherent a where it is spoken."""
    out: list[str] = []
    # (position in out of a pending inherent "a", whether its consonant closed a conjunct)
    pending: tuple[int, bool] | None = None
    cluster = 0  # consonants in the current cluster
    chars = list(word)
    for i, ch in enumerate(chars):
        if ch == _NUKTA:
            continue
        if i + 1 < len(chars) and chars[i + 1] == _NUKTA:
            ch = _NUKTA_FORMS.get(ch, ch)
        if ch in _CONSONANTS:
            if pending is not None:  # the consonant before kept its vowel: a new cluster
                cluster = 0
            if ch == "ञ" and cluster and len(out) > 1 and out[-2] == "j":  # ज्ञ is spoken gy
                out[-2] = "g"
                out.append("y")
            else:
                out.append(_CONSONANTS[ch])
            cluster += 1
            out.append("a")
            pending = (len(out) - 1, cluster > 1)
        elif ch == _VIRAMA:
            if pending is not None and out[pending[0]] == "a":
                out[pending[0]] = ""
            pending = None
        elif ch in _SIGNS:
            if pending is not None:
                out[pending[0]] = _SIGNS[ch]
            pending, cluster = None, 0
        elif ch in _VOWELS:
            out.append(_VOWELS[ch])
            pending, cluster = None, 0
        elif ch in _NASALS:
            out.append(_NASALS[ch])
            pending, cluster = None, 0
        elif ch == _VISARGA:
            out.append("h")
            pending, cluster = None, 0
        else:
            out.append(ch)
            pending, cluster = None, 0
    # schwa deletion: a word-final inherent a is silent, unless a conjunct precedes it
    vowels_before = sum(1 for part in out[:-1] if part and part[0] in "aeiou")
    if pending is not None and not pending[1] and vowels_before and out[pending[0]] == "a":
        out[pending[0]] = ""
    return "".join(out)


def romanise_devanagari(text: str) -> str:
    """Devanagari words romanised as spoken; other characters are kept as they are."""
    return " ".join(_word(word) if DEVANAGARI.search(word) else word for word in text.split(" "))
