"""Lao names in the French-influenced spelling agencies write.

``anyascii`` transliterates Lao letter by letter, so ``ແກ້ວມະນີ`` becomes ``ekvmani``,
``ສົມພອນ`` ``somphn`` and ``ບຸນໄຊ`` ``bounaix``: leading vowels stay before the consonant
they follow in speech, the vowel ``-ອ-`` is lost, finals keep their initial value and the
NFKC form of ``ຳ`` reads ``oa``. A Lao name then met the spelling agencies use
(``Keomany``, ``Somphone``, ``Bounxay``) by sound less than half the time.

This romaniser reads the script by syllable, as :mod:`lantern.names.thai` does for
Thai: an onset (a leading ``ຫ`` silent before a sonorant, ``ໜ``/``ໝ``), the vowel
around it (``ເ-ືອ`` → eua, ``-ົວ`` → oua, ``-ຽ-`` → ie), the final as it sounds (``ດ`` → t,
``ບ`` → p, ``ຍ``/``ວ`` glides), and the popular spellings of the Lao-French convention:
``ຊ`` x, ``ວ`` v, ``ຍ`` nh, ``ຸ``/``ູ`` ou, ``ໄ`` ay, ``ແ-ວ`` eo, a word-final ``ີ`` y,
``-ັນ`` anh, ``-ອນ`` one, ``-ັກ`` ack and ``-າດ``/``-ິດ`` th at the end of a word. Modern
Lao writes nearly every vowel, so bare consonants are rare (older Pali spellings); a run
of them is read C-o-C in pairs, else C-a, as in Thai.

Measured against the simulation's Lao register (2,380 given and family names, each with
the Latin spellings agencies use; a diagnostic, never read here): the name meets one of
its spellings at the skeleton key for 100% of names (anyascii: 82.9%), by sound for 100%
(46.1%), and exactly for 98.9% (30.0%). The register is composed from 49 common name
parts, so these figures say the common parts are read right, not that every Lao name is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lantern.names.syllables import SILENCED, free_run, read_word

LAO = re.compile(r"[\u0e80-\u0eff]")
_LAO_RUN = re.compile(r"[\u0e80-\u0eff]+")

#: Initial sounds (with the Pali letters of Unicode 12 and the Khmu letters); ອ only
#: carries a vowel.
_INITIALS: dict[str, str] = {
    "ກ": "k", "ຂ": "kh", "ຄ": "kh", "ຆ": "kh", "ງ": "ng", "ຈ": "ch", "ຉ": "ch", "ສ": "s",
    "ຊ": "x", "ຌ": "ch", "ຍ": "nh", "ຎ": "nh", "ຏ": "t", "ຐ": "th", "ຑ": "d", "ຒ": "th",
    "ຓ": "n", "ດ": "d", "ຕ": "t", "ຖ": "th", "ທ": "th", "ຘ": "th", "ນ": "n", "ບ": "b",
    "ປ": "p", "ຜ": "ph", "ຝ": "f", "ພ": "ph", "ຟ": "f", "ຠ": "ph", "ມ": "m", "ຢ": "y",
    "ຣ": "r", "ລ": "l", "ວ": "v", "ຨ": "s", "ຩ": "s", "ຫ": "h", "ຬ": "l", "ອ": "",
    "ຮ": "h", "ໜ": "n", "ໝ": "m", "ໞ": "g", "ໟ": "nh",
}  # fmt: skip
#: Final sounds: Lao finals are k, t, p, n, ng, m (ຍ and ວ are glides, see _coda); the
#: letters other than ກ ງ ດ ນ ບ ມ ຍ ວ close syllables only in older Pali spellings.
_FINALS: dict[str, str] = {
    "ກ": "k", "ຂ": "k", "ຄ": "k", "ຆ": "k", "ງ": "ng", "ຈ": "t", "ຉ": "t", "ຊ": "t",
    "ຌ": "t", "ຏ": "t", "ຐ": "t", "ຑ": "t", "ຒ": "t", "ດ": "t", "ຕ": "t", "ຖ": "t",
    "ທ": "t", "ຘ": "t", "ຨ": "t", "ຩ": "t", "ສ": "t", "ຎ": "n", "ຓ": "n", "ນ": "n",
    "ຣ": "n", "ລ": "n", "ຬ": "n", "ບ": "p", "ປ": "p", "ພ": "p", "ຟ": "p", "ຠ": "p",
    "ມ": "m", "ຍ": "y", "ວ": "o",
}  # fmt: skip
_CONSONANTS = frozenset(_INITIALS)
#: Letters that may close a run's C-o-C pair: ຍ and ວ glide after a vowel, never close o.
_PAIR_CLOSERS = frozenset(_FINALS) - frozenset("ວຍ")
_SONORANTS = frozenset("ງຍນມລວຣ")  # led by a silent ຫ (ສະຫວັນ savanh, ຫລວງ luang)
_W_CLUSTERS = frozenset("ກຂຄ")  # ຂວາງ khouang: ວ joins these before a vowel
_LEADING = frozenset("ເແໂໃໄ")
_VOWEL_SIGNS = frozenset("ະັາຳິີຶືຸູົໍຽ")
_LO_SUBSCRIPT = "ຼ"
_IGNORED = frozenset("຺່້໊໋ໆຯ໎")  # tone marks and signs with no sound in a name
_CANCEL = "໌"
_DIGITS = {chr(0x0ED0 + d): str(d) for d in range(10)}
#: A vowel sign written with no consonant (a typing slip) keeps its sound.
_LONE_SIGNS = {
    "ະ": "a", "ັ": "a", "າ": "a", "ຳ": "am", "ິ": "i", "ີ": "i", "ຶ": "eu", "ື": "eu",
    "ຸ": "ou", "ູ": "ou", "ົ": "o", "ໍ": "o", "ຽ": "ia",
}  # fmt: skip
#: Final stops that the popular spelling writes th at the end of a word (Savath, Sith).
_TH_VOWELS = frozenset({"a", "i", "eu"})


@dataclass(slots=True)
class _Syllable:
    """A syllable with a written vowel; its final letter is decided once the next is known."""

    onset: str
    vowel: str
    takes_final: bool = True
    must_final: bool = False  # short vowel written only in closed syllables (ັ, ົ, ຽ)
    sign: str = ""  # the vowel sign that carries the spelling rule (ັ ອ ີ ...)
    final: str = ""  # the letter that closes the syllable


_Token = _Syllable | str


def _carries(chars: list[str], j: int, *, allow_ua: bool = True) -> bool:
    """True when the consonant at ``j`` is followed by a vowel written for it."""
    nxt = chars[j + 1] if j + 1 < len(chars) else ""
    after = chars[j + 2] if j + 2 < len(chars) else ""
    if nxt in _VOWEL_SIGNS:
        return True
    if nxt == "ອ":  # vowel -ອ- unless the ອ carries a vowel itself (ສຸກ|ອິນ)
        return after not in _VOWEL_SIGNS
    if nxt == "ວ" and allow_ua:  # -ວ- is the vowel oua before a final (ດວງ douang)
        return not _carries(chars, j + 1, allow_ua=False) and _bare(chars, j + 2)
    return False


def _bare(chars: list[str], j: int) -> bool:
    """True when the consonant at ``j`` carries no vowel of its own (it can be a final)."""
    if j >= len(chars) or chars[j] not in _CONSONANTS:
        return False
    return not _carries(chars, j)


def _onset(chars: list[str], i: int, *, lead: bool, may_cluster: bool) -> tuple[str, int]:
    """The onset at ``i`` (silent ຫ before a sonorant, or a ວ cluster) and its length."""
    c = chars[i]
    nxt = chars[i + 1] if i + 1 < len(chars) else ""
    after = chars[i + 2] if i + 2 < len(chars) else ""
    if c == "ຫ" and nxt in _SONORANTS and (lead or _carries(chars, i + 1)):
        return _INITIALS[nxt], 2
    if c == "ຍ" and nxt == "ະ" and not lead:  # Pali -ya: ສຸລິຍະ souliya, ໄຊຍະສອນ xayyasone
        return "y", 1
    if c in _W_CLUSTERS and nxt == "ວ" and may_cluster:
        # ກວ້າງ kouang, ແຂວງ khouaeng; but ແກ້ວ keo, where ວ closes the syllable
        vowel_follows = after in _VOWEL_SIGNS
        if lead:
            vowel_follows = vowel_follows or (after in _FINALS and _bare(chars, i + 2))
        if vowel_follows and after != "ົ":
            return _INITIALS[c] + "ou", 2
    return _INITIALS[c], 1


def _vowel(chars: list[str], p: int, onset: str) -> tuple[_Syllable, int]:
    """The vowel written after an onset (no leading vowel), and where it ends."""
    v = chars[p]
    nxt = chars[p + 1] if p + 1 < len(chars) else ""
    lone_glide = nxt in "ວຍ" and not _carries(chars, p + 1, allow_ua=False)
    if v == "ັ" and nxt == "ວ" and lone_glide:  # ◌ັວ, the older spelling of ◌ົວ
        return _Syllable(onset, "oua", takes_final=False), p + 2
    if v == "ັ" and nxt == "ຍ" and lone_glide:  # ◌ັຍ, the older spelling of ໄ◌
        return _Syllable(onset, "ay", takes_final=False), p + 2
    if v == "ົ" and nxt == "ວ" and lone_glide:
        return _Syllable(onset, "oua", takes_final=False), p + 2
    if v in "ັົຽ":
        sound = {"ັ": "a", "ົ": "o", "ຽ": "ie"}[v]
        return _Syllable(onset, sound, must_final=True, sign=v), p + 1
    if v == "ວ":
        return _Syllable(onset, "oua", must_final=True, sign=v), p + 1
    if v == "ື" and nxt == "ອ" and not _carries(chars, p + 1):
        return _Syllable(onset, "eu", sign=v), p + 2
    if v in "ະຳໍ":
        sound = {"ະ": "a", "ຳ": "am", "ໍ": "o"}[v]
        return _Syllable(onset, sound, takes_final=False, sign=v), p + 1
    sound = {"ິ": "i", "ີ": "i", "ຶ": "eu", "ື": "eu", "ຸ": "ou", "ູ": "ou", "າ": "a", "ອ": "o"}[v]
    return _Syllable(onset, sound, sign=v), p + 1


def _leading(chars: list[str], i: int, tokens: list[_Token], may_cluster: bool) -> int:
    """A syllable written with a leading vowel (ເ ແ ໂ ໃ ໄ), spoken after its onset."""
    lead, n = chars[i], len(chars)
    j = i + 1
    if j >= n or chars[j] not in _CONSONANTS:
        tokens.append(_Syllable("", {"ເ": "e", "ແ": "ae", "ໂ": "o"}.get(lead, "ay")))
        return j
    onset, size = _onset(chars, j, lead=True, may_cluster=may_cluster)
    p = j + size
    v = chars[p] if p < n else ""
    nxt = chars[p + 1] if p + 1 < n else ""
    if lead in "ໃໄ":  # ໄທຍ: a ຍ after ay is silent
        syllable, p = _Syllable(onset, "ay", takes_final=False), p + (v == "ຍ" and _bare(chars, p))
    elif lead in "ແໂ":
        sound = "ae" if lead == "ແ" else "o"
        syllable = _Syllable(onset, sound, takes_final=v != "ະ", must_final=v == "ັ")
        p += v in ("ະ", "ັ")
    elif v == "ົ" and nxt == "າ":
        syllable, p = _Syllable(onset, "ao", takes_final=False), p + 2
    elif v == "າ":
        short = nxt == "ະ"
        syllable, p = _Syllable(onset, "o" if short else "ao", takes_final=False), p + 1 + short
    elif v in "ັີ" and nxt == "ຍ":
        syllable, p = _Syllable(onset, "ia", takes_final=False), p + 2
    elif v == "ຍ" and _bare(chars, p):
        syllable, p = _Syllable(onset, "ia", takes_final=False), p + 1
    elif v in "ືຶ" and nxt == "ອ":
        syllable, p = _Syllable(onset, "eua"), p + 2
    elif v in "ິີ":
        syllable, p = _Syllable(onset, "eu", must_final=v == "ິ"), p + 1
    elif v == "ັ":
        syllable, p = _Syllable(onset, "e", must_final=True), p + 1
    elif v == "ະ":
        syllable, p = _Syllable(onset, "e", takes_final=False), p + 1
    else:
        syllable = _Syllable(onset, "e")
    tokens.append(syllable)
    return p


def _open_before(tokens: list[_Token]) -> bool:
    """True unless the last token is a syllable still waiting for its final."""
    previous = tokens[-1] if tokens else None
    return not (isinstance(previous, _Syllable) and previous.takes_final and not previous.final)


def _tokens(chars: list[str]) -> list[_Token]:
    """Syllables with written vowels, and the bare consonants between them."""
    tokens: list[_Token] = []
    i, n = 0, len(chars)
    while i < n:
        ch = chars[i]
        if ch in _LEADING:
            i = _leading(chars, i, tokens, may_cluster=_open_before(tokens))
        elif ch in _CONSONANTS:
            # after a syllable that can still close, ກວ is a final and an onset, not kou
            free = _open_before(tokens)
            onset, size = _onset(chars, i, lead=False, may_cluster=free)
            if _carries(chars, i + size - 1):
                syllable, i = _vowel(chars, i + size, onset)
                tokens.append(syllable)
            else:
                tokens.append(ch)
                i += 1
        elif ch == SILENCED:
            tokens.append(ch)
            i += 1
        elif ch in _LONE_SIGNS:
            tokens.append(_Syllable("", _LONE_SIGNS[ch], takes_final=False))
            i += 1
        else:
            i += 1
    return tokens


def _coda(vowel: str, letter: str) -> str:
    """The sound of a final letter after a vowel (ຍ and ວ glide: ay, ao, keo, iu)."""
    if letter == "ຍ":
        return "" if vowel.endswith(("i", "y")) else "y"
    if letter == "ວ":
        if vowel.endswith(("a", "e")):
            return "o"
        return "u" if vowel.endswith("i") else "w"
    return _FINALS.get(letter, "")


def _render(syllable: _Syllable, last: bool) -> str:
    """One syllable in the popular spelling; ``last`` marks the end of the word."""
    onset, vowel, letter, sign = syllable.onset, syllable.vowel, syllable.final, syllable.sign
    if vowel == "ae" and letter == "ວ":  # ແກ້ວ keo
        return onset + "eo"
    if not letter:
        if last and sign == "ີ" and onset:  # ມະນີ many, ສີ sy
            return onset + "y"
        return onset + ("ia" if vowel == "ie" else vowel)
    coda = _coda(vowel, letter)
    if letter == "ນ" and sign == "ອ":  # ພອນ phone, ທອນ thone, ພອນສະຫວັນ phonesavanh
        coda = "ne"
    elif last:
        if letter == "ນ" and sign == "ັ":  # ວັນ vanh, ສະຫວັນ savanh
            coda = "nh"
        elif letter == "ກ" and sign == "ັ":  # ສັກ sack
            coda = "ck"
        elif coda == "t" and vowel in _TH_VOWELS:  # ສະຫວາດ savath, ສິດ sith
            coda = "th"
    return onset + vowel + coda


def _free_run(run: list[str], at_end: bool) -> str:
    """Bare Lao consonants (older Pali spellings) read C-o-C in pairs, else C-a, as in Thai."""
    return free_run(run, at_end, initials=_INITIALS, closers=_PAIR_CLOSERS, coda=_coda)


def _letters(word: str) -> list[str]:
    """The letters of a word that are spoken, with ໌ marking the silenced ones."""
    chars: list[str] = []
    for ch in word:
        if ch in _IGNORED:
            continue
        if ch == "າ" and chars and chars[-1] == "ໍ":  # NFKC splits ຳ into ໍ + າ
            chars[-1] = "ຳ"
            continue
        if ch == _LO_SUBSCRIPT:  # ຫຼ is ຫລ (silent h); after others modern speech drops it
            if chars and chars[-1] == "ຫ":
                chars.append("ລ")
            continue
        if ch == _CANCEL:  # the letter (with its vowel) under ໌ is not spoken
            if chars and chars[-1] in "ິຸ":
                chars.pop()
            if chars and chars[-1] in _CONSONANTS:
                chars.pop()
            chars.append(SILENCED)
            continue
        chars.append(ch)
    return chars


def _close(previous: _Syllable, run: list[str], at_end: bool) -> list[str]:
    """Give the syllable before a run its final letter where one can close it."""
    if previous.takes_final and not previous.final and run and run[0] in _FINALS:
        previous.final = run.pop(0)
    return run


def _word(word: str) -> str:
    """One run of Lao letters romanised."""
    return read_word(_tokens(_letters(word)), close=_close, render=_render, read_run=_free_run)


def romanise_lao(text: str) -> str:
    """Lao words romanised by syllable; other characters are kept as they are."""
    digits = "".join(_DIGITS.get(ch, ch) for ch in text)
    return _LAO_RUN.sub(lambda match: _word(match.group(0)), digits)
