"""Name keys that let one child's name meet itself across scripts, spellings and field orders.

A pure library (no Django, no database): give it a name as an agency wrote it, get back the
keys record linkage compares (as written, romanised, sound, consonant skeleton, canonical
given name). Devanagari, Thai, Khmer, Lao, Burmese and Arabic are read as spoken by their
own romanisers before ``anyascii`` reads what is left, because reading them letter by letter
drops inherent vowels, final-consonant sounds and silent letters.

The names below are the public API; the script modules' internals are not.
"""

from lantern.names.arabic import ARABIC, romanise_arabic
from lantern.names.burmese import MYANMAR, romanise_burmese
from lantern.names.devanagari import DEVANAGARI, romanise_devanagari
from lantern.names.keys import (
    PLACEHOLDER_WORDS,
    NameKeys,
    canonical_given,
    fold,
    is_placeholder,
    name_keys,
    nickname_table,
    order_free_key,
    place_key,
    romanise,
    skeleton,
    sound,
    token_skeletons,
)
from lantern.names.khmer import KHMER, romanise_khmer
from lantern.names.lao import LAO, romanise_lao
from lantern.names.thai import THAI, romanise_thai

__all__ = [
    "ARABIC",
    "DEVANAGARI",
    "KHMER",
    "LAO",
    "MYANMAR",
    "PLACEHOLDER_WORDS",
    "THAI",
    "NameKeys",
    "canonical_given",
    "fold",
    "is_placeholder",
    "name_keys",
    "nickname_table",
    "order_free_key",
    "place_key",
    "romanise",
    "romanise_arabic",
    "romanise_burmese",
    "romanise_devanagari",
    "romanise_khmer",
    "romanise_lao",
    "romanise_thai",
    "skeleton",
    "sound",
    "token_skeletons",
]
