"""Khmer names in the popular romanisation agencies write.

``anyascii`` transliterates Khmer letter by letter: it reads the bantoc ``់`` as an extra
vowel (``ចាន់`` → ``chana``), keeps silent letters (``ពេជ្រ`` → ``pechr``), writes no inherent
vowels (``វណ្ណ`` → ``vnn``) and ignores the two consonant series, so a Khmer-script name met
its Latin spelling (``Chan``, ``Pich``, ``Vann``, ``Sophea``) only at the consonant skeleton.
This romaniser reads Khmer by syllable, the way Cambodian agencies spell names:

- each consonant belongs to the first (a-) or second (o-) series, shifted by ``៉`` / ``៊``,
  and a vowel sign sounds by series (``ា`` → ``a`` / ``ea``: ``ខា`` kha, ``ភា`` phea);
- a bare consonant carries the inherent vowel (``a`` / ``o`` when closed: ``រស់`` ros);
- a subscript (coeng ``្``) joins an onset cluster at syllable start (``ស្រី`` srey), splits
  into final + onset inside a word (``វណ្ណា`` van-na) and is silent after a word's final
  (``ភ័ក្ត្រ`` pheak);
- bantoc ``់`` only shortens, ``៍`` / ``៌`` silence their consonant.

It is not exact phonology (Pali spellings such as ``រស្មី`` reaksmey keep their own rules),
only close enough that the name keys of both spellings agree for the commonest names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KHMER = re.compile(r"[\u1780-\u17ff]")

#: Initial sound and series (1 = a-series, 2 = o-series); ``""`` is the vowel carrier អ.
_CONSONANTS: dict[str, tuple[str, int]] = {
    "ក": ("k", 1), "ខ": ("kh", 1), "គ": ("k", 2), "ឃ": ("kh", 2), "ង": ("ng", 2),
    "ច": ("ch", 1), "ឆ": ("chh", 1), "ជ": ("ch", 2), "ឈ": ("chh", 2), "ញ": ("nh", 2),
    "ដ": ("d", 1), "ឋ": ("th", 1), "ឌ": ("d", 2), "ឍ": ("th", 2), "ណ": ("n", 1),
    "ត": ("t", 1), "ថ": ("th", 1), "ទ": ("t", 2), "ធ": ("th", 2), "ន": ("n", 2),
    "ប": ("b", 1), "ផ": ("ph", 1), "ព": ("p", 2), "ភ": ("ph", 2), "ម": ("m", 2),
    "យ": ("y", 2), "រ": ("r", 2), "ល": ("l", 2), "វ": ("v", 2), "ឝ": ("s", 1),
    "ឞ": ("s", 1), "ស": ("s", 1), "ហ": ("h", 1), "ឡ": ("l", 1), "អ": ("", 1),
}  # fmt: skip
#: Sound of a consonant closing a syllable.
_FINALS: dict[str, str] = {
    "ក": "k", "ខ": "k", "គ": "k", "ឃ": "k", "ង": "ng", "ច": "ch", "ឆ": "ch", "ជ": "ch",
    "ឈ": "ch", "ញ": "nh", "ដ": "t", "ឋ": "th", "ឌ": "t", "ឍ": "th", "ណ": "n", "ត": "t",
    "ថ": "th", "ទ": "t", "ធ": "th", "ន": "n", "ប": "b", "ផ": "p", "ព": "p", "ភ": "p",
    "ម": "m", "យ": "y", "រ": "r", "ល": "l", "វ": "v", "ឝ": "s", "ឞ": "s", "ស": "s",
    "ហ": "h", "ឡ": "l", "អ": "",
}  # fmt: skip
#: Vowel signs: (first series, second series); open/closed variants are adjusted in _vowel.
_SIGNS: dict[str, tuple[str, str]] = {
    "ា": ("a", "ea"), "ិ": ("e", "i"), "ី": ("ey", "i"), "ឹ": ("oe", "eu"), "ឺ": ("eu", "eu"),
    "ុ": ("o", "u"), "ូ": ("o", "ou"), "ួ": ("uo", "uo"), "ើ": ("aeu", "eu"),
    "ឿ": ("oeu", "oeu"), "ៀ": ("ea", "ie"), "េ": ("e", "e"), "ែ": ("e", "e"),
    "ៃ": ("ay", "ey"), "ោ": ("ao", "o"), "ៅ": ("ao", "ov"), "ំ": ("", ""), "័": ("a", "ea"),
}  # fmt: skip
_INDEPENDENT_VOWELS: dict[str, str] = {
    "ឣ": "a", "ឤ": "a", "ឥ": "e", "ឦ": "ei", "ឧ": "ou", "ឨ": "ouk", "ឩ": "ou", "ឪ": "ov",
    "ឫ": "rue", "ឬ": "rueu", "ឭ": "lue", "ឮ": "lueu", "ឯ": "ae", "ឰ": "ai", "ឱ": "ao",
    "ឲ": "ao", "ឳ": "aov",
}  # fmt: skip
_COENG, _BANTOC, _NIKAHIT, _REAHMUK = "\u17d2", "\u17cb", "\u17c6", "\u17c7"
_TO_FIRST, _TO_SECOND = "\u17c9", "\u17ca"  # muusikatoan ៉, triisap ៊
_SILENCERS = frozenset("\u17cc\u17cd")  # robat ៌, toandakhiat ៍
_SPLIT_VOWELS = (("\u17c1\u17b6", "\u17c4"), ("\u17c1\u17b8", "\u17be"))  # េ+ា ោ, េ+ី ើ
_DIGITS = {chr(0x17E0 + d): str(d) for d in range(10)}
#: Second-series letters that leave a cluster in the series of its first consonant.
_SONORANTS = frozenset("ងញនមយរលវ")
_NASALS = frozenset("ងញណនម")
_ASPIRATES = frozenset("ខឃឆឈឋឍថធផភ")
_ROWS = ("កខគឃង", "ចឆជឈញ", "ដឋឌឍណតថទធន", "បផពភម")  # retroflex and dental read alike
_PALATAL_FINALS = frozenset("ចឆជឈញ")


def _row(letter: str) -> int:
    return next((i for i, row in enumerate(_ROWS) if letter in row), -1)


@dataclass(slots=True)
class _Unit:
    """One written consonant with what sits on it, or an independent vowel."""

    base: str
    subs: list[str] = field(default_factory=list)
    signs: str = ""
    shift: int = 0
    reahmuk: bool = False
    bantoc: bool = False
    silent: bool = False

    @property
    def voweled(self) -> bool:
        return bool(self.signs) or self.reahmuk or self.base in _INDEPENDENT_VOWELS

    def closes_before(self) -> bool:
        """True for a split cluster, whose first letter is the final of the syllable before."""
        return bool(self.subs) and self.splits()

    def splits(self) -> bool:
        """A cluster no syllable starts with: its first letter closes the syllable before."""
        first, second = self.base, self.subs[0]
        return first in _NASALS or first == second or _row(first) == _row(second) >= 0


@dataclass(slots=True)
class _Syllable:
    onset: str
    series: int
    signs: str = ""
    reahmuk: bool = False
    final: str | None = None
    final_aspirated: bool = False
    doubled: bool = False
    fixed: str | None = None  # an independent vowel's own sound
    split: str = ""  # the subscript of a split cluster that opened it (វណ្ណា: ណ of -na)

    @property
    def explicit(self) -> bool:
        return bool(self.signs) or self.fixed is not None

    @property
    def open(self) -> bool:
        return self.final is None and _NIKAHIT not in self.signs and not self.reahmuk


def _units(word: str) -> list[_Unit]:
    """Split a word into written consonants with their marks; silenced ones are dropped."""
    units: list[_Unit] = []
    chars = list(word)
    i = 0
    while i < len(chars):
        ch = chars[i]
        if ch in _CONSONANTS or ch in _INDEPENDENT_VOWELS:
            units.append(_Unit(ch))
        elif units and ch == _COENG and i + 1 < len(chars) and chars[i + 1] in _CONSONANTS:
            units[-1].subs.append(chars[i + 1])
            i += 1
        elif units and ch in _SIGNS:
            units[-1].signs += ch
        elif units and ch in (_TO_FIRST, _TO_SECOND):
            units[-1].shift = 1 if ch == _TO_FIRST else 2
        elif units and ch == _REAHMUK:
            units[-1].reahmuk = True
        elif units and ch == _BANTOC:
            units[-1].bantoc = True
        elif units and ch in _SILENCERS:
            units[-1].silent = True
        i += 1
    return [unit for unit in units if not unit.silent]


def _onset(letters: list[str], shift: int) -> tuple[str, int]:
    """Sound and series of a syllable's initial consonant or cluster."""
    sound, series = _CONSONANTS[letters[0]]
    if letters[0] == "ប" and (len(letters) > 1 or shift == 1):
        sound = "p"  # ប៉ and ប in a cluster are spoken p (ប្រាក់ Prak, ប៉ែន Pen)
    for letter in letters[1:]:
        sub_sound, sub_series = _CONSONANTS[letter]
        sound += sub_sound
        if sub_series == 2 and letter not in _SONORANTS:
            series = 2
    return sound, shift or series


def _sub_opens(units: list[_Unit], i: int) -> bool:
    """Whether a split cluster's subscript opens a syllable (else it is silent).

    It does with a vowel sign (``វណ្ណា`` van-na) or when one bare consonant follows to close
    it (``ពន្លក`` pon-lok, ``ឧត្តម`` ou-tom); before a voweled syllable or at the end of the
    word it only doubles the final (``វណ្ណខា`` vann-kha, ``សិដ្ឋ`` seth).
    """
    unit = units[i]
    nxt = units[i + 1] if i + 1 < len(units) else None
    after = units[i + 2] if i + 2 < len(units) else None
    if unit.voweled or (nxt is not None and nxt.voweled and nxt.closes_before()):
        return True  # សម្បត្តិ sam-bat: ត closes the syllable ប opens
    if nxt is None or nxt.voweled:
        return False
    return after is None or (after.voweled and not after.closes_before())


def _bare_run(units: list[_Unit], start: int) -> int:
    """Consonant slots from ``start`` up to the next vowel: odd means the first one closes.

    Syllables inside a name are mostly consonant-vowel-consonant, so in ``សុខមករា`` (three
    slots ខ ម ក) ខ closes សុ (sok-makara), while in ``ធីមករា`` (two) ម opens (thi-makara).
    """
    slots = 0
    for j in range(start, len(units)):
        unit = units[j]
        if unit.voweled:
            return slots + (1 if unit.closes_before() else 0)  # រដ្ឋា: ដ closes
        slots += 2 if unit.closes_before() and _sub_opens(units, j) else 1  # ពន្លក: ន, ល
        if unit.bantoc:
            break
    return slots


def _syllables(units: list[_Unit]) -> list[_Syllable]:
    """Group a word's units into syllables: which consonants close, which open."""
    out: list[_Syllable] = []
    for i, unit in enumerate(units):
        nxt = units[i + 1] if i + 1 < len(units) else None
        if unit.base in _INDEPENDENT_VOWELS:
            out.append(_Syllable("", 1, unit.signs, unit.reahmuk, fixed=unit.base))
            continue
        prev = out[-1] if out and out[-1].open else None
        if prev is not None and unit.closes_before():
            prev.final = unit.base  # វណ្ណា: ណ closes va-, the subscript opens -na
            rest = unit.subs
            if _sub_opens(units, i):
                onset, series = _onset(rest, unit.shift)
                out.append(_Syllable(onset, series, unit.signs, unit.reahmuk, split=rest[0]))
            else:  # word-final or before a voweled syllable: the subscript is silent
                prev.final_aspirated = any(letter in _ASPIRATES for letter in rest)
                prev.doubled = rest[0] == unit.base
            continue
        closes = (
            prev is not None
            and not unit.voweled
            and (unit.bantoc or nxt is None or (prev.explicit and _bare_run(units, i) % 2 == 1))
        )
        if prev is not None and closes:
            prev.final = unit.base  # ពេជ្រ: ជ closes, ្រ is silent
            prev.final_aspirated = any(letter in _ASPIRATES for letter in unit.subs)
            continue
        onset, series = _onset([unit.base, *unit.subs], unit.shift)
        out.append(_Syllable(onset, series, unit.signs, unit.reahmuk))
    return out


def _vowel(syl: _Syllable, last: bool) -> str:
    """The vowel of a syllable by series, open or closed, as popular spellings write it."""
    first = syl.series == 1
    closed = syl.final is not None
    signs = syl.signs.replace(_NIKAHIT, "")
    if syl.fixed is not None:
        return _INDEPENDENT_VOWELS[syl.fixed]
    if not signs:
        if _NIKAHIT in syl.signs:
            return "a" if first else "o"
        if syl.reahmuk:
            return "a" if first else "ea"
        if not closed:
            return "a" if first or not last else "o"
        return "a" if first or syl.final in ("ណ", "ញ") else "o"
    sign = signs[0]
    vowel = _SIGNS[sign][0 if first else 1]
    if sign == "ី":
        if first:
            vowel = "ei" if closed else "ey"
        elif last and not closed and _NIKAHIT not in syl.signs:
            vowel = "y"
    elif sign == "ឹ" and not first and closed:
        vowel = "i"  # គឹម Kim, លឹម Lim
    elif sign == "េ" and not first and syl.final in _PALATAL_FINALS:
        vowel = "i"  # ពេជ្រ Pich
    elif sign == "ុ" and _NIKAHIT in syl.signs:
        vowel = "o"  # មុំ Mom
    elif sign == "ូ" and first and closed:
        vowel = "ou"  # អូន Oun, but បូ Bo
    elif sign == "ៅ" and closed:
        vowel = "ao" if first else "ou"
    return vowel


def _final(syl: _Syllable, vowel: str) -> str:
    """The sound closing a syllable, with the spellings names use after some vowels."""
    if _NIKAHIT in syl.signs:
        coda = "m"
    elif syl.final is None:
        coda = ""
    elif syl.final == "វ" and vowel.endswith("e"):
        coda = "o"  # កែវ Keo
    elif syl.final == "យ" and vowel.endswith("y"):
        coda = ""
    else:
        coda = _FINALS[syl.final]
        if syl.final_aspirated and coda == "t":
            coda = "th"  # សិដ្ឋ Seth, រិទ្ធ Rith
        if syl.doubled and coda == "n":
            coda = "nn"  # វណ្ណ Vann
    return coda + ("h" if syl.reahmuk else "")


def _word(word: str) -> str:
    """One Khmer word (names are written without spaces) romanised syllable by syllable."""
    syllables = _syllables(_units(word))
    out: list[str] = []
    for i, syl in enumerate(syllables):
        onset = syl.onset
        before = syllables[i - 1] if i else None
        voiced = before is not None and (before.final is None or before.final in _NASALS)
        if onset == "t" and voiced and syl.signs == "ា":
            onset = "d"  # ធីតា Thida, ចិន្តា Chenda (but តុលា Tola)
        final = before.final if before is not None else None
        if syl.split and final is not None and final not in "ងណនម":  # ញ្ញ is written once
            coda = _FINALS[final]
            if _row(final) == _row(syl.split) >= 0 and out[-1].endswith(coda):
                out[-1] = out[-1][: -len(coda)]  # one geminate: រដ្ឋា rotha, កញ្ញា kanha
        vowel = _vowel(syl, last=i == len(syllables) - 1)
        out.append(onset + vowel + _final(syl, vowel))
    return "".join(out)


def romanise_khmer(text: str) -> str:
    """Khmer-script words romanised by syllable; other characters are kept as they are."""
    out: list[str] = []
    word: list[str] = []
    for split, whole in _SPLIT_VOWELS:  # typed in two keystrokes, read as one vowel
        text = text.replace(split, whole)
    for ch in text + " ":
        if KHMER.match(ch) and ch not in _DIGITS:
            word.append(ch)
            continue
        if word:
            out.append(_word("".join(word)))
            word = []
        out.append(_DIGITS.get(ch, ch))
    return "".join(out)[:-1]
