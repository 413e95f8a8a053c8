"""Burmese (Myanmar script) names in the popular romanisation agencies write.

``anyascii`` transliterates Myanmar letter by letter (``အောင်`` → ``'eanc``), far from the
spellings in agencies' Latin records (``Aung``), so linkage could not pair a name written in
Burmese with the same name in Latin. Burmese syllables are romanised by sound instead:
initial consonant with its medials (``ကျ``, ``ဖြ`` → ky, phy), vowel, and the final a
killed consonant (asat) makes, so ``အောင်`` → ``aung``, ``ထွန်း`` → ``htun``, ``ကျော်`` →
``kyaw``, ``ခင်`` → ``khin``, the way Myanmar's own passports and NGOs write them.
"""

from __future__ import annotations

import re

#: Initial consonants; ``""`` is the vowel carrier အ (no sound of its own).
_CONSONANTS: dict[str, str] = {
    "က": "k", "ခ": "kh", "ဂ": "g", "ဃ": "g", "င": "ng", "စ": "s", "ဆ": "hs", "ဇ": "z",
    "ဈ": "z", "ည": "ny", "ဉ": "ny", "ဋ": "t", "ဌ": "ht", "ဍ": "d", "ဎ": "d", "ဏ": "n",
    "တ": "t", "ထ": "ht", "ဒ": "d", "ဓ": "d", "န": "n", "ပ": "p", "ဖ": "ph", "ဗ": "b",
    "ဘ": "b", "မ": "m", "ယ": "y", "ရ": "y", "လ": "l", "ဝ": "w", "သ": "th", "ဟ": "h",
    "ဠ": "l", "အ": "",
}  # fmt: skip
_INDEPENDENT_VOWELS = {"ဣ": "i", "ဤ": "i", "ဥ": "u", "ဦ": "u", "ဧ": "e", "ဩ": "aw", "ဪ": "aw"}
_ASAT, _VIRAMA, _DOT, _VISARGA, _ANUSVARA = "်", "္", "့", "း", "ံ"
_MEDIAL_Y, _MEDIAL_R, _MEDIAL_W, _MEDIAL_H = "ျ", "ြ", "ွ", "ှ"
_SIGNS = frozenset("ါာိီုူေဲ")
#: Sound of a final consonant after the inherent vowel (and after -o-, -i-, -u-, -au-).
_FINAL_INHERENT = {
    "က": "et", "င": "in", "စ": "it", "ည": "i", "ဉ": "in", "ယ": "e", "တ": "at", "ပ": "at",
    "န": "an", "မ": "an", "ဏ": "an", "သ": "at", _ANUSVARA: "an",
}  # fmt: skip
_FINAL_CLASS = {
    "က": "k", "င": "ng", "စ": "t", "ည": "", "ဉ": "n", "ယ": "", "တ": "t", "ပ": "t", "န": "n",
    "မ": "n", "ဏ": "n", "သ": "t", _ANUSVARA: "n",
}  # fmt: skip
#: Finals after which a medial wa keeps its own sound and the inherent rhyme (ွင် win, ွယ် we,
#: ွက် wet) rather than becoming the u of ွန် (un).
_W_KEEPS_INHERENT = frozenset("ငယက")
MYANMAR = re.compile(r"[\u1000-\u109f]")


def _rhyme(signs: set[str], medial_w: bool, final: str | None) -> str:
    """The vowel and final of one syllable, as written in the popular romanisation."""
    aw = "ေ" in signs and ("ာ" in signs or "ါ" in signs)
    o = "ိ" in signs and "ု" in signs
    if final is None:
        if aw:
            return "aw"
        if o:
            return "o"
        for sign, sound in (("ိ", "i"), ("ီ", "i"), ("ု", "u"), ("ူ", "u"), ("ေ", "e"), ("ဲ", "ae")):
            if sign in signs:
                return sound
        return "a"
    coda = _FINAL_CLASS.get(final, "")
    if aw:
        return "au" + ("ng" if coda == "ng" else coda)
    if o:
        return "ai" + ("ng" if coda == "ng" else coda)
    if "ိ" in signs:
        return "ei" + ("n" if coda == "ng" else coda)
    if "ု" in signs:
        return "o" + ("n" if coda == "ng" else coda)
    if medial_w and final not in _W_KEEPS_INHERENT:  # ွန် un, ွတ် ut; but ွင် win, ွယ် we
        return "u" + ("n" if coda == "ng" else coda)
    return _FINAL_INHERENT.get(final, "a")


def romanise_burmese(text: str) -> str:
    """Myanmar-script words romanised by syllable; other characters are kept as they are."""
    out: list[str] = []
    chars = list(text)
    i, n = 0, len(chars)
    while i < n:
        ch = chars[i]
        if ch in _INDEPENDENT_VOWELS:
            out.append(_INDEPENDENT_VOWELS[ch])
            i += 1
            while i < n and chars[i] in (_DOT, _VISARGA):
                i += 1
            continue
        if ch not in _CONSONANTS:
            if not MYANMAR.match(ch):
                out.append(ch)
            i += 1
            continue
        onset = _CONSONANTS[ch]
        i += 1
        medial_y = medial_w = medial_h = False
        signs: set[str] = set()
        final: str | None = None
        while i < n:
            c = chars[i]
            nxt = chars[i + 1] if i + 1 < n else ""
            after = chars[i + 2] if i + 2 < n else ""
            if c in (_MEDIAL_Y, _MEDIAL_R):
                medial_y = True
            elif c == _MEDIAL_W:
                medial_w = True
            elif c == _MEDIAL_H:
                medial_h = True
            elif c in _SIGNS:
                signs.add(c)
            elif c in (_DOT, _VISARGA, _ASAT):
                pass
            elif c == _ANUSVARA:
                final = c
            elif c in _CONSONANTS and (nxt in (_ASAT, _VIRAMA) or (nxt == _DOT and after == _ASAT)):
                final = c
                i += 2 if nxt != _DOT else 3
                continue
            else:
                break
            i += 1
        if medial_h:  # ha-htoe voices the onset; with ya it is "sh" (ရှ, လျှ)
            onset = "sh" if onset == "y" or (onset == "l" and medial_y) else "h" + onset
            medial_y = medial_y and onset != "sh"
        if medial_y:
            onset = {"k": "ky", "kh": "ch", "g": "gy"}.get(onset, onset + "y")
        rhyme = _rhyme(signs, medial_w, final)
        if medial_w and not (final and rhyme.startswith("u")):
            onset += "w"
        out.append(onset + rhyme)
    return "".join(out)
