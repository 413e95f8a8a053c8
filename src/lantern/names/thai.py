"""Thai names in the RTGS-like spelling agencies write.

``anyascii`` transliterates Thai letter by letter, so ``สมพร`` becomes ``smphr`` and
``แก้วมณี`` ``aekwmni``: leading vowels stay before the consonant they follow in speech,
inherent vowels are missing, finals keep their initial value and silent letters are read.
A Thai name then met its Latin spelling (``Somphon``, ``Kaewmanee``) only at the consonant
skeleton, and even there half the time. This romaniser reads the script by syllable: an
onset (with its cluster or leading ห), the vowel around it (``เ-ือ`` → uea), the final as
it sounds (final ร/ล/ญ/ณ → n, ด/ต/ส → t, บ/พ → p), ``์`` letters silent, ``รร`` → an,
and the unwritten vowel where Thai speaks one (``สม`` → som, ``มณี`` → mani). Thai does
not mark syllable boundaries, so runs of bare consonants are split by the commonest
pattern; the result is right for most names, not for every word.

Measured against the simulation's Thai register (3,183 given and family names, each with
the Latin spellings agencies use; a diagnostic, never read here): the name meets one of
its spellings at the skeleton key for 99.5% of names (anyascii: 44.8%), by sound for
95.7% (15.5%), and exactly for 86.6% (6.4%).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lantern.names.syllables import SILENCED, free_run, read_word

THAI = re.compile(r"[\u0e00-\u0e7f]")
_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")

#: Initial sounds; อ only carries a vowel.
_INITIALS: dict[str, str] = {
    "ก": "k", "ข": "kh", "ฃ": "kh", "ค": "kh", "ฅ": "kh", "ฆ": "kh", "ง": "ng",
    "จ": "ch", "ฉ": "ch", "ช": "ch", "ซ": "s", "ฌ": "ch", "ญ": "y",
    "ฎ": "d", "ฏ": "t", "ฐ": "th", "ฑ": "th", "ฒ": "th", "ณ": "n",
    "ด": "d", "ต": "t", "ถ": "th", "ท": "th", "ธ": "th", "น": "n",
    "บ": "b", "ป": "p", "ผ": "ph", "ฝ": "f", "พ": "ph", "ฟ": "f", "ภ": "ph", "ม": "m",
    "ย": "y", "ร": "r", "ล": "l", "ว": "w", "ศ": "s", "ษ": "s", "ส": "s", "ห": "h",
    "ฬ": "l", "อ": "", "ฮ": "h",
}  # fmt: skip
#: Final sounds: Thai finals collapse to k, t, p, n, ng, m (ย and ว are glides, see _coda).
_FINALS: dict[str, str] = {
    "ก": "k", "ข": "k", "ฃ": "k", "ค": "k", "ฅ": "k", "ฆ": "k", "ง": "ng",
    "จ": "t", "ช": "t", "ซ": "t", "ฌ": "t", "ฎ": "t", "ฏ": "t", "ฐ": "t", "ฑ": "t",
    "ฒ": "t", "ด": "t", "ต": "t", "ถ": "t", "ท": "t", "ธ": "t", "ศ": "t", "ษ": "t", "ส": "t",
    "ญ": "n", "ณ": "n", "น": "n", "ร": "n", "ล": "n", "ฬ": "n",
    "บ": "p", "ป": "p", "พ": "p", "ฟ": "p", "ภ": "p", "ม": "m", "ย": "i", "ว": "w",
}  # fmt: skip
#: True clusters (second consonant ร, ล or ว); ศร keeps its r as names write it (Sri).
_CLUSTERS: dict[str, str] = {
    "กร": "kr", "ขร": "khr", "คร": "khr", "ปร": "pr", "พร": "phr", "ตร": "tr", "ศร": "sr",
    "สร": "s", "ทร": "thr", "บร": "br", "ดร": "dr", "ฟร": "fr", "กล": "kl", "ขล": "khl",
    "คล": "khl", "ปล": "pl", "พล": "phl", "ผล": "phl", "บล": "bl", "ฟล": "fl", "กว": "kw",
    "ขว": "khw", "คว": "khw",
}  # fmt: skip
#: Words whose spelling no rule reads (silent letters without ``์``).
_IRREGULAR: dict[str, str] = {"เกียรติ": "kiat", "พรหม": "phrom", "พราหมณ์": "phram"}
_IRREGULAR_SPELLING = re.compile("(" + "|".join(sorted(_IRREGULAR, key=len, reverse=True)) + ")")
_CONSONANTS = frozenset(_INITIALS)
_RUE_CLUSTERS = frozenset("กคตทปพผศส")  # กฤษณา, พฤกษ์: ฤ joins these as r
_SONORANTS = frozenset("งญนมยรลว")  # led by a silent ห (หญิง, หมู)
_NO_FINAL = frozenset("หอฉผฝฮ")  # never close a syllable
#: Letters that may close a run's C-o-C pair: ว and ย glide after a vowel, never close o.
_PAIR_CLOSERS = _CONSONANTS - _NO_FINAL - frozenset("วย")
#: Finals of Pali and Sanskrit words that also open the next syllable (รัชนี ratchani).
_GEMINATE = frozenset("ชฒภศษ")
_LEADING = frozenset("เแโใไ")
_UPPER_LOWER = frozenset("ัิีึืุู็")
_FOLLOWING = frozenset("าะำ")
_VOWEL_SIGNS = _UPPER_LOWER | _FOLLOWING
_IGNORED = frozenset("่้๊๋ํฺ๎ฯๆ")  # tone marks and signs with no sound in a name
_THANTHAKHAT = "์"
_DIGITS = {chr(0x0E50 + d): str(d) for d in range(10)}
#: Vowels a ย or ว after them joins as a glide (ชาย, คุย, สวย; แก้ว, เขียว), not a new syllable.
_GLIDES = {
    "ย": frozenset({"a", "o", "oe", "u", "ua", "uea"}),
    "ว": frozenset({"ae", "e", "ia"}),
}


@dataclass(slots=True)
class _Syllable:
    """A syllable with a written vowel; its final is decided once the next is known."""

    onset: str
    vowel: str
    takes_final: bool = True
    must_final: bool = False  # short vowel written only in closed syllables (ั, ็)
    long_open: bool = False  # ี usually ends a word part (ศรี, มณี), so it stays open
    default_final: str = ""  # รร with nothing after it is spoken an
    letter: str = ""  # the onset letter, for the final -ติ (ชาติ)
    sign: str = ""  # the vowel sign written after the onset, if any
    leading: bool = False  # written with a leading vowel (เ แ โ ใ ไ)
    final: str | None = None


_Token = _Syllable | str


def _bare(chars: list[str], j: int) -> bool:
    """True when the consonant at ``j`` carries no vowel of its own (it can be a final)."""
    if j >= len(chars) or chars[j] not in _CONSONANTS:
        return False
    return not _carries(chars, j, allow_ua=False)


def _carries(chars: list[str], j: int, *, allow_ua: bool = True) -> bool:
    """True when the consonant at ``j`` is followed by a vowel written for it."""
    nxt = chars[j + 1] if j + 1 < len(chars) else ""
    after = chars[j + 2] if j + 2 < len(chars) else ""
    if nxt in _VOWEL_SIGNS:
        return True
    if nxt == "อ":  # vowel -อ unless the อ carries a vowel itself (starts a syllable)
        return after not in _VOWEL_SIGNS
    if nxt == "ร" and after == "ร":  # ร-han, unless the second ร carries a vowel (พร|รัตน์)
        return j + 3 >= len(chars) or chars[j + 3] not in _VOWEL_SIGNS
    if nxt == "ว" and allow_ua:  # -ว- is the vowel ua before a final (ดวง, สวน)
        return not _carries(chars, j + 1, allow_ua=False) and _bare(chars, j + 2)
    return False


def _onset(chars: list[str], i: int, lead: bool) -> tuple[str, int]:
    """The onset at ``i`` (a cluster, or a sonorant led by silent ห/อ) and its length."""
    c = chars[i]
    nxt = chars[i + 1] if i + 1 < len(chars) else ""
    if nxt in _CONSONANTS:
        pair = c + nxt
        vowel_follows = lead or _carries(chars, i + 1, allow_ua=False)
        if c == "ห" and nxt in _SONORANTS and (lead or _carries(chars, i + 1)):
            return _INITIALS[nxt], 2  # หลวง, แหวน
        if nxt == "ว" and lead:  # แก้ว: ว closes the syllable unless a vowel follows
            vowel_follows = i + 2 < len(chars) and chars[i + 2] in "าะีืิ"
        if pair in _CLUSTERS and vowel_follows:
            # ทร is s (ทราย, ไม่ทราบ) except after a final in Sanskrit words (จันทรา)
            after_final = i >= 1 and chars[i - 1] in _CONSONANTS
            after_final = after_final and (i < 2 or chars[i - 2] not in _LEADING)
            return ("s" if pair == "ทร" and not after_final else _CLUSTERS[pair]), 2
        if c == "อ" and nxt == "ย" and not lead and vowel_follows:
            return "y", 2
    return _INITIALS[c], 1


def _vowel(chars: list[str], p: int, onset: str, letter: str) -> tuple[_Syllable, int]:
    """The vowel written after an onset (no leading vowel), and where it ends."""
    v = chars[p]
    nxt = chars[p + 1] if p + 1 < len(chars) else ""
    after_nxt = chars[p + 2] if p + 2 < len(chars) else ""
    if v == "ั":
        if nxt == "ว" and after_nxt not in _VOWEL_SIGNS:
            return _Syllable(onset, "ua", takes_final=False, letter=letter), p + 2
        if nxt == "ย" and after_nxt not in _VOWEL_SIGNS:
            return _Syllable(onset, "ai", takes_final=False, letter=letter), p + 2
        return _Syllable(onset, "a", must_final=True, letter=letter), p + 1
    if v == "ร" and nxt == "ร":
        return _Syllable(onset, "a", must_final=True, default_final="n", letter=letter), p + 2
    if v == "ว":
        return _Syllable(onset, "ua", must_final=True, letter=letter), p + 1
    if v == "ื" and nxt == "อ":
        return _Syllable(onset, "ue", takes_final=False, letter=letter), p + 2
    if v in ("ะ", "ำ", "็"):
        sound = {"ะ": "a", "ำ": "am", "็": "o"}[v]
        return _Syllable(onset, sound, takes_final=False, letter=letter), p + 1
    sound = {"ิ": "i", "ี": "i", "ึ": "ue", "ื": "ue", "ุ": "u", "ู": "u", "า": "a", "อ": "o"}[v]
    return _Syllable(onset, sound, long_open=v == "ี", letter=letter, sign=v), p + 1


def _own_vowel_after(chars: list[str], j: int) -> bool:
    """True when the consonant at ``j`` has a vowel that only a leading เ completes."""
    if j + 1 >= len(chars) or chars[j] not in _CONSONANTS:
        return False
    sign, after = chars[j + 1], chars[j + 2] if j + 2 < len(chars) else ""
    if sign == "็":
        return True
    if sign == "ิ":  # เจริญ, but not เก|ศินี where the next consonant has its own vowel
        return _bare(chars, j + 2)
    if sign == "อ":  # เสมอ, unless the อ starts a syllable of its own (วิเศษ|อินทร์)
        return after not in _VOWEL_SIGNS
    return (sign, after) in (("ี", "ย"), ("ื", "อ"))


def _leading(chars: list[str], i: int, tokens: list[_Token]) -> int:
    """A syllable written with a leading vowel (เ แ โ ใ ไ), spoken after its onset."""
    lead, n = chars[i], len(chars)
    j = i + 1
    if j >= n or chars[j] not in _CONSONANTS:
        tokens.append(_Syllable("", {"เ": "e", "แ": "ae", "โ": "o"}.get(lead, "ai")))
        return j
    onset, size = _onset(chars, j, lead=True)
    if lead == "เ" and size == 1 and _own_vowel_after(chars, j + 1):
        # เจริญ, เสด็จ: the first consonant has its own a, เ belongs to the second
        tokens.append(_Syllable(onset, "a", takes_final=False, letter=chars[j]))
        j += 1
        onset, size = _onset(chars, j, lead=True)
    letter, p = chars[j], j + size
    v = chars[p] if p < n else ""
    nxt = chars[p + 1] if p + 1 < n else ""
    if lead in "ใไ":  # ไทย: a ย after ai is silent
        syllable, p = _Syllable(onset, "ai", takes_final=False), p + (v == "ย" and _bare(chars, p))
    elif lead in "แโ":
        sound = "ae" if lead == "แ" else "o"
        syllable = _Syllable(onset, sound, takes_final=v != "ะ", must_final=v == "็")
        p += v in ("ะ", "็")
    elif v == "ี" and nxt == "ย":
        syllable, p = _Syllable(onset, "ia"), p + 2
    elif v == "ื" and nxt == "อ":
        syllable, p = _Syllable(onset, "uea"), p + 2
    elif v == "ิ":
        syllable, p = _Syllable(onset, "oe", must_final=True), p + 1
    elif v == "อ":
        syllable, p = _Syllable(onset, "oe", takes_final=False), p + 1
    elif v == "า":
        short = nxt == "ะ"
        syllable, p = _Syllable(onset, "o" if short else "ao", takes_final=False), p + 1 + short
    elif v == "ะ":
        syllable, p = _Syllable(onset, "e", takes_final=False), p + 1
    elif v == "ย" and _bare(chars, p):
        syllable, p = _Syllable(onset, "oei", takes_final=False), p + 1
    elif v == "็":
        syllable, p = _Syllable(onset, "e", must_final=True), p + 1
    else:
        syllable = _Syllable(onset, "e")
    syllable.letter, syllable.leading = letter, True
    tokens.append(syllable)
    return p


def _tokens(chars: list[str]) -> list[_Token]:
    """Syllables with written vowels, and the bare consonants between them."""
    tokens: list[_Token] = []
    i, n = 0, len(chars)
    while i < n:
        ch = chars[i]
        if ch in _LEADING:
            i = _leading(chars, i, tokens)
        elif ch in ("ฤ", "ฦ"):
            long = i + 1 < n and chars[i + 1] == "ๅ"
            tokens.append(_Syllable("r" if ch == "ฤ" else "l", "ue" if long else "i"))
            i += 1 + long
        elif ch in _CONSONANTS:
            previous = tokens[-1] if tokens else None
            # after an open syllable a consonant before ว is its final (สุข|วงศ์), not ua
            allow_ua = not (
                isinstance(previous, _Syllable) and previous.takes_final and not previous.long_open
            )
            if i + 1 < n and chars[i + 1] == "ฤ" and ch in _RUE_CLUSTERS:
                tokens.append(_Syllable(_INITIALS[ch] + "r", "i", letter=ch))
                i += 2
                continue
            onset, size = _onset(chars, i, lead=False)
            if _carries(chars, i + size - 1, allow_ua=allow_ua):
                syllable, i = _vowel(chars, i + size, onset, ch)
                tokens.append(syllable)
            else:
                tokens.append(ch)
                i += 1
        elif ch == SILENCED:
            tokens.append(ch)
            i += 1
        elif ch in _VOWEL_SIGNS:  # a vowel sign with no consonant (a typing slip)
            tokens.append(_Syllable("", {"ะ": "a", "ำ": "am", "า": "a"}.get(ch, "")))
            i += 1
        else:
            i += 1
    return tokens


def _coda(vowel: str, letter: str) -> str:
    """The sound of a final letter after a vowel (ย and ว glide: ai, ao, aew)."""
    if letter == "ย":
        return "" if vowel.endswith("i") else "i"
    if letter == "ว":
        return "o" if vowel.endswith("a") else "w"
    return _FINALS.get(letter, "")


def _close(previous: _Syllable, run: list[str], at_end: bool) -> list[str]:
    """Give the syllable before a run its final where Thai speaks one; the rest is free."""
    if len(run) >= 2 and run[0] in "ตทช" and run[1] == "ร":  # จิตร, ภัทร: the ร is silent
        del run[1]
    if previous.takes_final and previous.final is None and run:
        first = run[0]
        if first in _NO_FINAL:
            take = False
        elif previous.must_final or previous.vowel in _GLIDES.get(first, ()):
            take = True
        elif at_end:
            take = len(run) % 2 == 1
        else:  # a ว or ย that does not glide after the vowel starts a syllable (สุ|วดี),
            # and ร rarely closes a short i or u (สุ|รชัย, จิ|รศักดิ์)
            take = not previous.long_open and first not in "วย"
            take = take and not (first == "ร" and previous.sign in "ิุึ")
        if take:
            previous.final = _coda(previous.vowel, run.pop(0))
            if first in _GEMINATE and not previous.leading and (run or not at_end):
                # รัช|ชนี: a Pali final is read twice; not in compounds like วิเศษ|มณี
                previous.final += _INITIALS[first] + "a"
    if previous.must_final and previous.final is None:
        previous.final = previous.default_final
    if at_end and len(run) == 1 and previous.final:  # a lone letter after a final is silent
        run.clear()
    return run


def _render(syllable: _Syllable, last: bool) -> str:
    """One syllable as RTGS writes it, the same wherever it stands in the word."""
    return syllable.onset + syllable.vowel + (syllable.final or "")


def _free_run(run: list[str], at_end: bool) -> str:
    """Bare Thai consonants read C-o-C in pairs, else C-a (see :func:`free_run`)."""
    return free_run(run, at_end, initials=_INITIALS, closers=_PAIR_CLOSERS, coda=_coda)


def _word(word: str) -> str:
    """One run of Thai letters romanised."""
    chars: list[str] = []
    for ch in word.replace("\u0e4d\u0e32", "ำ"):  # NFKC splits sara am into nikhahit + aa
        if ch in _IGNORED:
            continue
        if ch == _THANTHAKHAT:  # the letter (with its vowel) under ์ is not spoken
            if chars and chars[-1] in "ิุ":
                chars.pop()
            silenced = chars.pop() if chars and chars[-1] in _CONSONANTS else ""
            if silenced in "รณ" and len(chars) >= 2 and chars[-2] in _CONSONANTS:
                chars.pop()  # nor the consonant between it and a final: จัน(ทร์), ลัก(ษณ์)
            chars.append(SILENCED)
            continue
        chars.append(ch)
    tokens = _tokens(chars)
    if (
        len(tokens) >= 2
        and isinstance(tokens[-1], _Syllable)
        and tokens[-1].letter in ("ต", "ฒ", "ธ", "ม")
        and tokens[-1].vowel == "i"
        and isinstance(tokens[-2], _Syllable)
        and tokens[-2].takes_final
    ):  # a final -ติ after a syllable is spoken t (ชาติ chat, ประวัติ prawat)
        tokens[-1] = tokens[-1].letter
    return read_word(tokens, close=_close, render=_render, read_run=_free_run)


def _thai(match: re.Match[str]) -> str:
    pieces = _IRREGULAR_SPELLING.split(match.group(0))
    return "".join(_IRREGULAR.get(piece) or _word(piece) for piece in pieces if piece)


def romanise_thai(text: str) -> str:
    """Thai words romanised by syllable; other characters are kept as they are."""
    return _THAI_RUN.sub(_thai, "".join(_DIGITS.get(ch, ch) for ch in text))
