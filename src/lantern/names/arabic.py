"""Arabic-script names (Rohingya, Fula and Mande Ajami) in the Latin spelling agencies write.

``anyascii`` maps Arabic letter by letter: the vowel letters stay consonants (``نور`` →
``nwr``, ``علي`` → ``ly``), ``ة`` becomes ``h``, the emphatics and interdentals come out
as ``d``/``dh``/``z`` by letter rather than as South Asian and West African spellings say them,
and ``ع``/hamza leave marks. Arabic is an abjad: short vowels are not written, so a name
meets its Latin spelling mostly at the consonant skeleton, and only if the consonants are
folded the way those spellings write them. This romaniser reads a name as spoken there:

- ``ا`` ``آ`` ``ى`` are ``a``, ``إ`` is ``i``; ``و`` and ``ي`` are the vowels ``u`` / ``i``
  after a consonant and the consonants ``w`` / ``y`` at a syllable's start (``نور`` nur,
  ``أنوارة`` anwara, ``ياسمين`` yasmin);
- ``ض ذ ظ ز`` are ``z``, ``ث س ص`` ``s``, ``ط ت`` ``t``, ``ح ه`` ``h`` (``رضية`` razya,
  ``ظفر`` zafar); ``ع`` and hamza carry only their vowel (``علي`` ali, ``عائشة`` aisha);
- a word-final ``ة`` is ``a`` as South Asian spellings end (Fatima, Razia); West African
  ones say ``-ta``/``-tou`` (Fatoumata), which the script cannot show, so a caller that
  knows the agency's region may ask for it (``spoken_t``);
- the article ``ال`` is dropped as the Latin ``al-``/``el-`` is, except after ``عبد``,
  where South Asian and West African spellings keep it (``عبد الرحمن`` abdur rahman,
  ``عبد الله`` abdullah, and a bare ``عبد محمد`` abdul muhammad);
- unwritten short vowels are supplied only where speech needs one (no syllable begins, and
  no name ends, with two consonants: ``كريم`` karim, ``أحمد`` ahmad), so the ``sound`` keys
  can meet; ``محمد`` is read muhammad; written harakat are read as they are.

It is not a transliteration standard, only close enough that the keys of both spellings
agree for the commonest names; the trade-offs are measured in the tests.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import groupby

from anyascii import anyascii

ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")

#: Consonant letters as South Asian and West African spellings write them.
_CONSONANTS: dict[str, str] = {
    "ب": "b", "ت": "t", "ث": "s", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "z",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "z", "ط": "t", "ظ": "z",
    "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
    # Persian, Urdu and Ajami letters
    "پ": "p", "چ": "ch", "ژ": "zh", "ک": "k", "گ": "g", "ڤ": "v", "ڨ": "g", "ٹ": "t",
    "ڈ": "d", "ڑ": "r", "ں": "n", "ھ": "h", "ہ": "h", "ۀ": "h", "ڠ": "ng", "ݣ": "ng",
    "ڭ": "ng", "ٻ": "b", "ڄ": "j", "ڃ": "ny", "ڽ": "ny", "ۑ": "ny", "ڥ": "v", "ڢ": "f",
    "ڪ": "k", "ګ": "g", "ڳ": "g", "ټ": "t", "ډ": "d", "ړ": "r", "ڼ": "n", "ښ": "sh",
    "ږ": "zh", "ځ": "z", "څ": "s", "ڦ": "ph", "ڇ": "chh", "ٺ": "th", "ٿ": "th", "ڌ": "dh",
    "ڍ": "d", "ڏ": "d", "ڙ": "r", "ۋ": "v", "ۆ": "o", "ۇ": "u", "ۈ": "u", "ې": "e",
}  # fmt: skip
#: Letters that are (or may be) written vowels.
_ALIF, _ALIF_HAMZA, _ALIF_HAMZA_BELOW, _ALIF_MADDA, _ALIF_WASLA = "ا", "أ", "إ", "آ", "ٱ"
_WAW, _YEH, _FARSI_YEH, _ALIF_MAQSURA, _YEH_BARREE = "و", "ي", "ی", "ى", "ے"
_TEH_MARBUTA = frozenset("ةۃ")
_AIN, _HAMZA, _WAW_HAMZA, _YEH_HAMZA = "ع", "ء", "ؤ", "ئ"
_SILENT = frozenset((_AIN, _HAMZA, _WAW_HAMZA, _YEH_HAMZA))
_LONG_A = frozenset((_ALIF, _ALIF_HAMZA, _ALIF_MADDA, _ALIF_WASLA, _ALIF_MAQSURA))
_VOWEL_LETTERS = frozenset((*_LONG_A, _ALIF_HAMZA_BELOW, _WAW, _YEH, _FARSI_YEH, _YEH_BARREE))
#: Harakat written on a vocalised name; tanween (case endings) is silent in a name.
_HARAKAT = {"\u064e": "a", "\u064f": "u", "\u0650": "i", "\u0670": "a"}
_SHADDA = "\u0651"
_DIGITS = {chr(0x0660 + d): str(d) for d in range(10)} | {
    chr(0x06F0 + d): str(d) for d in range(10)
}
_TATWEEL = "\u0640"
_LATIN_LETTERS = re.compile(r"[^a-z]+")
_PRESENTATION = re.compile(r"[\ufb50-\ufdff\ufe70-\ufeff]")
_ARTICLE = "ال"
_INITIAL_VOWEL = "a"
_ALLAH, _ABD = "الله", "عبد"
_SUN_LETTERS = frozenset("تثدذرزسشصضطظلن")
#: Words whose vowels every agency knows: the name of God, and the commonest name.
_FIXED = {_ALLAH: "allah", "محمد": "muhammad"}


def _letters(word: str) -> list[tuple[str, str, bool]]:
    """Base letters of one word with the short vowel written on each and its shadda."""
    units: list[tuple[str, str, bool]] = []
    for ch in word:
        if units and (ch in _HARAKAT or ch == _SHADDA):
            base, vowel, doubled = units[-1]
            units[-1] = (base, vowel + _HARAKAT.get(ch, ""), doubled or ch == _SHADDA)
        elif unicodedata.category(ch).startswith("L") and ch != _TATWEEL:
            units.append((ch, "", False))
    return units


def _is_consonant(letter: str) -> bool:
    return bool(letter) and letter not in _VOWEL_LETTERS and letter not in _SILENT


def _consonant(letter: str) -> str:
    """A consonant letter's sound; a letter outside the table (Arabic Supplement, Ajami
    variants) sounds as anyascii reads its base letter."""
    if letter in _CONSONANTS:
        return _CONSONANTS[letter]
    return _LATIN_LETTERS.sub("", anyascii(letter).lower())


def _sound(units: list[tuple[str, str, bool]], i: int, feminine: str) -> str:
    """Latin for the letter at ``i``, read from the letters around it."""
    letter = units[i][0]
    nxt = units[i + 1][0] if i + 1 < len(units) else ""
    first, last = i == 0, i == len(units) - 1
    if letter in _LONG_A:
        return "a"
    if letter == _ALIF_HAMZA_BELOW:
        return "i"
    if letter in (_WAW, _YEH, _FARSI_YEH):
        glide, vowel = ("w", "u") if letter == _WAW else ("y", "i")
        opens = nxt in _LONG_A or nxt in _TEH_MARBUTA or nxt == _ALIF_HAMZA_BELOW
        return glide if first or (opens and not last) else vowel
    if letter == _YEH_BARREE:
        return "e"
    if letter in _TEH_MARBUTA:
        return feminine if last else "at"
    if letter == _AIN:
        return "a" if first and _is_consonant(nxt) else ""
    if letter == _WAW_HAMZA:
        return "u"
    if letter == _YEH_HAMZA:
        return "i"
    if letter == _HAMZA:
        return ""
    return _consonant(letter)


def _word(word: str, feminine: str) -> tuple[str, str]:
    """One Arabic-script word romanised, and how its article sounds after ``عبد`` ("" if none).

    The article is dropped, as agencies' ``al-``/``el-`` are; only ``عبد`` keeps it, as
    South Asian and West African spellings do (Abdul Karim, Abdur Rahman, Abdoulaye).
    """
    if word in _FIXED:
        return _FIXED[word], ""
    article = ""
    if word.startswith(_ARTICLE) and len(_letters(word)) > 3:
        word = word[len(_ARTICLE) :]
        sun = _CONSONANTS.get(word[0], "") if word[0] in _SUN_LETTERS else ""
        article = "u" + sun if sun else "ul"
    units = _letters(word)
    out: list[str] = []
    for i, (_, vowel, doubled) in enumerate(units):
        latin = _sound(units, i, feminine)
        if i and units[i - 1][1][-1:] == latin and latin in ("a", "i", "u"):
            latin = ""  # the long vowel a written haraka already gave (كَرِيم karim)
        if doubled and latin:
            latin += latin[-1]
        out.append(latin + vowel)
    _epenthesis(units, out)
    return "".join(out), article


def _bare(units: list[tuple[str, str, bool]], out: list[str], i: int) -> bool:
    """True when letter ``i`` is read as a consonant with no vowel written after it."""
    return 0 <= i < len(units) and not units[i][1] and out[i][-1:] not in ("", *"aeiou")


def _epenthesis(units: list[tuple[str, str, bool]], out: list[str]) -> None:
    """Supply the short vowels a spoken name cannot lack, where none is written.

    No Arabic syllable begins with two consonants, so a bare word-initial cluster takes the
    commonest short vowel ``a`` (``كريم`` karim); nor does a name end in two (the pausal form
    of ``أحمد`` is ahmad): after a long ``a`` the vowel is the participle's ``i`` (``ناصر``
    nasir, ``حامد`` hamid), after a long ``u`` it is ``u`` (``يوسف`` yusuf), else ``a``.
    """
    last = len(units) - 1
    if last >= 1 and _bare(units, out, 0) and _bare(units, out, 1) and out[1] != "y":
        out[0] += _INITIAL_VOWEL
    ends_in_t = last >= 0 and units[last][0] in _TEH_MARBUTA  # -at carries its own vowel
    if last >= 2 and _bare(units, out, last) and _bare(units, out, last - 1) and not ends_in_t:
        before = units[last - 2][0]
        out[last - 1] += "i" if before in _LONG_A else "u" if out[last - 2] == "u" else "a"


def _other(ch: str) -> str:
    """A character outside any Arabic word: digits to ASCII, Arabic marks to a space."""
    if ch in _DIGITS:
        return _DIGITS[ch]
    if ARABIC.match(ch):
        return " " if unicodedata.category(ch)[0] in "PZS" else ""
    return ch


def romanise_arabic(text: str, *, spoken_t: bool = False) -> str:
    """Arabic-script words romanised as spoken; other characters are kept as they are.

    ``spoken_t`` reads a word-final ``ة`` as the ``-at`` of West African names (Fatoumata,
    Salamatou) instead of the ``-a`` of South Asian ones (Fatima): the script cannot tell
    them apart, so a caller that knows the agency's region may choose.
    """
    feminine = "at" if spoken_t else "a"
    text = _PRESENTATION.sub(lambda form: unicodedata.normalize("NFKC", form.group(0)), text)
    pieces: list[str] = []
    abd = -1  # index of a bare عبد: the next word decides its article (abdul, abdur ...)
    for in_word, group in groupby(text, key=_is_word_char):
        chunk = "".join(group)
        if not in_word:
            pieces.append("".join(_other(ch) for ch in chunk))
            abd = abd if chunk.isspace() else -1
            continue
        latin, article = _word(chunk, feminine)
        if abd >= 0 and latin == "allah":
            del pieces[abd + 1 :]
            pieces[abd], latin = "abd", "ullah"
        elif abd >= 0:
            pieces[abd] = "abd" + (article or "ul")
        abd = len(pieces) if chunk == _ABD else -1
        pieces.append(latin)
    return "".join(pieces)


def _is_word_char(ch: str) -> bool:
    """Arabic letters and marks make words; Arabic digits and punctuation do not."""
    return bool(ARABIC.match(ch)) and ch not in _DIGITS and unicodedata.category(ch)[0] in "LM"
