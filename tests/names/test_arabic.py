"""Arabic-script names romanised as spoken meet the Latin spellings agencies write."""

from __future__ import annotations

import re
from functools import partial

import pytest
from anyascii import anyascii
from hypothesis import given
from hypothesis import strategies as st

from lantern.names import ARABIC, romanise_arabic
from tests.names.romanisation import keys_meet, register_agreement


@pytest.mark.parametrize(
    ("native", "latin", "spellings"),
    [
        ("محمد", "muhammad", ("Mohammed", "Muhammad")),
        ("فاطمة", "fatma", ("Fatima", "Fatema")),  # ة word-final: a
        ("حسين", "hasin", ("Hussein", "Hossain")),  # ي between consonants: i
        ("عبد الله", "abdullah", ("Abdullah", "Abdoulaye")),
        ("خديجة", "khadija", ("Khadija", "Khadiza")),
        ("رضية", "razya", ("Razia", "Raziya")),  # ض as z; ي before ة opens: y
        ("بيغم", "bigham", ("Begum", "Begam")),
        ("خاتون", "khatun", ("Khatun", "Khatoon")),  # و after a consonant: u
        ("نور", "nur", ("Nur", "Noor")),
        ("رحيم", "rahim", ("Rahim", "Raheem")),  # no syllable begins rh-: a between
        ("أنوارة", "anwara", ("Anowara", "Anwara")),  # و before ا opens: w
        ("عائشة", "aisha", ("Aisha", "Ayesha")),  # ع and hamza carry only their vowel
        ("علي", "ali", ("Ali", "Aly")),  # word-initial ع before a consonant: a
        ("أحمد", "ahmad", ("Ahmed", "Ahmad")),  # no name ends in two consonants
        ("ناصر", "nasir", ("Nasir", "Nasser")),  # after a long a the vowel is i
        ("يوسف", "yusuf", ("Yusuf", "Youssouf")),  # after a long u it is u
        ("داود", "daud", ("Daud", "Daouda")),
        ("ظفر", "zafar", ("Zafar",)),  # ظ as z
        ("كوياتي", "kuyati", ("Kouyaté", "Kouyate")),
        ("ديالو", "dyalu", ("Diallo",)),  # Cy- onset kept, as Fula spells it
        ("عبد الرحمن", "abdur rahman", ("Abdur Rahman", "Abdourahmane")),  # sun letter
        ("عبد الكريم", "abdul karim", ("Abdul Karim", "Abdul Kareem")),
        ("عبد محمد", "abdul muhammad", ("Abdul Mohammed",)),
        ("محمد الدين", "muhammad din", ("Mohammed Uddin", "Mohammed el-Din")),
        ("الأمين", "amin", ("al-Amin", "El-Amine")),  # article dropped like al-/el-
        ("مُحَمَّد", "muhammad", ("Muhammad",)),  # vocalised: harakat and shadda read
        ("كَرِيم", "karim", ("Karim",)),
        ("سرکار", "sarkar", ("Sarkar",)),  # Persian/Urdu keheh
        ("ﻣﺤﻤﺪ", "muhammad", ("Muhammad",)),  # presentation forms
    ],
)
def test_known_names_romanise_by_the_rules_and_meet_agency_spellings(
    native: str, latin: str, spellings: tuple[str, ...]
) -> None:
    ours = romanise_arabic(native)
    assert ours == latin
    skeleton, by_sound = keys_meet(ours, spellings)
    assert skeleton or by_sound


@pytest.mark.parametrize(
    ("left", "right"),
    [("ضياء", "زياء"), ("ذكي", "زكي"), ("ثابت", "سابت"), ("صابر", "سابر"), ("طاهر", "تاهر")],
)
def test_emphatics_and_interdentals_fold_as_south_asian_and_west_african_spellings(
    left: str, right: str
) -> None:
    assert romanise_arabic(left) == romanise_arabic(right)


def test_teh_marbuta_is_a_unless_the_caller_asks_for_the_west_african_t() -> None:
    assert romanise_arabic("سلامة") == "salama"
    assert romanise_arabic("سلامة", spoken_t=True) == "salamat"
    assert keys_meet(romanise_arabic("فاطمة", spoken_t=True), ("Fatoumata",))[0]
    assert not keys_meet(romanise_arabic("فاطمة"), ("Fatoumata",))[0]


def test_other_characters_spaces_and_digits_are_kept() -> None:
    assert romanise_arabic("Md محمد ١٢٣ ۴۵") == "Md muhammad 123 45"
    assert romanise_arabic("نور  علي") == "nur  ali"
    assert romanise_arabic("Sita") == "Sita"
    assert romanise_arabic("") == ""


def test_arabic_punctuation_separates_words() -> None:
    assert romanise_arabic("نور،علي") == "nur ali"


def test_arabic_pattern_matches_the_arabic_blocks_only() -> None:
    assert ARABIC.search("Md محمد")
    assert ARABIC.search("\ufee3")  # presentation form
    assert ARABIC.search("\u0750")  # Arabic Supplement
    assert not ARABIC.search("Mohammed सीता ສົມ")


_ARABIC_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
    | st.characters(min_codepoint=0x0750, max_codepoint=0x077F)
    | st.characters(min_codepoint=0xFB50, max_codepoint=0xFDFF)
    | st.characters(min_codepoint=0xFE70, max_codepoint=0xFEFF)
    | st.just(" ")
)


@given(_ARABIC_TEXT)
def test_any_arabic_text_romanises_to_lower_case_latin_without_error(text: str) -> None:
    assert re.fullmatch(r"[a-z0-9 ]*", romanise_arabic(text))


def test_register_names_meet_their_latin_spellings() -> None:
    """The honest measure over the simulation's registers (all names), measured:

    - rohingya: skeleton 1.00, sound 0.73 (anyascii alone 0.69 / 0.01; names.romanise
      before this module, which drops the article first, 0.86 / 0.02);
    - fula_mande: skeleton 0.63, sound 0.29 (anyascii 0.54 / 0.02; names.romanise 0.52 /
      0.02). With ``spoken_t`` fula_mande reaches 0.85 / 0.33 but rohingya falls to
      0.86 / 0.62, so the default keeps ``ة`` as a.
    """
    rohingya = register_agreement("rohingya", romanise_arabic)
    fula = register_agreement("fula_mande", romanise_arabic)
    assert rohingya.skeleton >= 0.97
    assert rohingya.sound >= 0.68
    assert fula.skeleton >= 0.60
    assert fula.sound >= 0.25
    rohingya_before = register_agreement("rohingya", anyascii)  # letter by letter
    fula_before = register_agreement("fula_mande", anyascii)
    assert rohingya.skeleton > rohingya_before.skeleton + 0.1
    assert fula.skeleton > fula_before.skeleton + 0.05
    assert rohingya.sound > rohingya_before.sound + 0.5
    assert fula.sound > fula_before.sound + 0.2


def test_west_african_t_trades_rohingya_for_fula_agreement() -> None:
    spoken_t = partial(romanise_arabic, spoken_t=True)
    fula = register_agreement("fula_mande", spoken_t)
    rohingya = register_agreement("rohingya", spoken_t)
    assert fula.skeleton >= 0.80
    assert fula.skeleton > register_agreement("fula_mande", romanise_arabic).skeleton + 0.15
    assert rohingya.skeleton < register_agreement("rohingya", romanise_arabic).skeleton - 0.1
