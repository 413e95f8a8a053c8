"""Name keys: one child's name written in different scripts and spellings meets one key."""

from __future__ import annotations

import pytest

from lantern.names import (
    canonical_given,
    name_keys,
    order_free_key,
    romanise,
    sound,
    token_skeletons,
)


@pytest.mark.parametrize(
    ("native", "latin"),
    [
        ("सीता", "Sita"),  # Devanagari
        ("लक्ष्मी", "Lakshmi"),  # conjunct, inherent vowel dropped by romanisation
        ("बहादुर", "Bahadur"),  # aspirated bh vs b-a-h
        ("श्रेष्ठ", "Shrestha"),
        ("तामाङ", "Tamang"),  # final velar nasal
        ("สมชาย", "Somchai"),  # Thai, no written vowels in the romanisation
        ("สมศรี", "Somsri"),
        ("សុខា", "Sokha"),  # Khmer
        ("ដារ៉ា", "Dara"),
        ("محمد", "Mohammed"),  # Arabic abjad: no short vowels
        ("فاطمة", "Fatima"),  # ta marbuta
        ("حسين", "Hussein"),
        ("عبد الله", "Abdullah"),  # spacing differs
        ("الرشيد", "al-Rashid"),  # article in both
        ("ສົມ", "Som"),  # Lao
    ],
)
def test_native_script_and_romanisation_share_a_skeleton(native: str, latin: str) -> None:
    assert name_keys(native).skeleton == name_keys(latin).skeleton


@pytest.mark.parametrize(
    ("one", "other"),
    [("Vikash", "Bikash"), ("Wanna", "Vanna"), ("Napha", "Napa"), ("Al Hassan", "Hassan")],
)
def test_spelling_variants_share_a_skeleton(one: str, other: str) -> None:
    assert name_keys(one).skeleton == name_keys(other).skeleton


def test_different_names_have_different_skeletons() -> None:
    names = ["Sita", "Gita", "Rita", "Maya", "Somchai", "Sokha", "Fatima", "Aisha"]
    skeletons = {name_keys(name).skeleton for name in names}
    assert len(skeletons) == len(names)


def test_written_key_keeps_the_script_and_latin_key_is_ascii() -> None:
    keys = name_keys("  सीता ")
    assert keys.written == "सीता"
    assert keys.latin == "sita"
    assert romanise("Nguyễn Thị") == "nguyen thi"


@pytest.mark.parametrize(
    "placeholder", ["unknown", "UNKNOWN", "n/a", "-", "", None, "baby", "अज्ञात", "ไม่ทราบ", "مجهول"]
)
def test_placeholders_have_no_keys(placeholder: str | None) -> None:
    keys = name_keys(placeholder)
    assert (keys.written, keys.latin, keys.skeleton) == (None, None, None)


def test_nicknames_and_short_forms_map_to_the_given_name() -> None:
    assert canonical_given("mohd") == canonical_given("mohammed") == "muhammad"
    assert canonical_given("md ali") == "muhammad"
    assert canonical_given("bill") == "william"
    assert canonical_given("sunita") == "sunita"  # not a nickname: itself


def test_order_free_key_ignores_which_field_holds_which_name() -> None:
    assert order_free_key("st", "tmn") == order_free_key("tmn", "st") == "st|tmn"
    assert order_free_key(None, "tmn") == "tmn"
    assert order_free_key(None, None) is None


@pytest.mark.parametrize(
    ("native", "latin"),
    [
        ("रमेश", "ramesh"),  # word-final inherent vowel is silent
        ("महर्जन", "maharjan"),  # a medial one is spoken
        ("कृष्ण", "krishna"),  # after a conjunct the final vowel stays
        ("श्रेष्ठ", "shreshtha"),  # sha, not sa
        ("संजय", "sanjay"),  # anusvara is n
        ("ज्ञान", "gyan"),  # jña is spoken gya
        ("प्रियंका", "priyanka"),
    ],
)
def test_devanagari_romanises_as_spoken(native: str, latin: str) -> None:
    assert romanise(native) == latin


@pytest.mark.parametrize(
    ("native", "latin"),
    [
        ("အောင်", "aung"),  # o-vowel with a killed nga
        ("ထွန်း", "htun"),  # medial wa before a final n
        ("ကျော်", "kyaw"),  # medial ya
        ("ဖြူ", "phyu"),  # medial ra is y
        ("ခင်", "khin"),  # inherent vowel before a final nga
        ("ရွှေ", "shwe"),  # ha-htoe with ya is sh
        ("မြတ်", "myat"),
    ],
)
def test_burmese_romanises_by_syllable(native: str, latin: str) -> None:
    assert romanise(native) == latin


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("सुनीना", "Suneena"),  # script and long-vowel spelling differ
        ("Baaunng", "Baaung"),  # a doubled letter
        ("Moe Pyo", "Moephyo"),  # spacing and aspiration
        ("Shaheeda", "Shahida"),
        ("भट्ट", "Bhatt"),  # final vowel written or not
    ],
)
def test_spellings_of_one_name_share_a_sound(one: str, other: str) -> None:
    assert sound(romanise(one)) == sound(romanise(other))


def test_names_with_the_same_consonants_differ_in_sound() -> None:
    # one consonant skeleton (s-n-l), three names: the sound level keeps them apart
    names = ["Sunil", "Sanal", "Sonal"]
    assert len({name_keys(name).skeleton for name in names}) == 1
    assert len({sound(romanise(name)) for name in names}) == len(names)


def test_word_skeletons_survive_a_different_cut() -> None:
    assert token_skeletons("khin sanda") == ["kn", "snt"]
    assert set(token_skeletons("sanda khin")) == {"kn", "snt"}
    assert token_skeletons("aye ei") == []  # words without a consonant give no key
