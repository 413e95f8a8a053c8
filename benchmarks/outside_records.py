"""An outside record set: synthetic children as other agencies hold them, for linkage checks.

Not :mod:`lantern.simulation`, on purpose: these records hold only what a thin register holds
(given name, family name, sex, birth date, district), no registration date, no journey, no
identity number. Children are drawn from heavy-tailed name pools of their own (not the
simulation's); each is recorded by one to four agencies, and each record is typed with
errors, name variants and transliterations, given and family names swapped, a birth date
guessed as 1 January of an estimated year (written as a plain date, as agencies record it, with
no flag saying it was guessed), sex written each agency's way (``F``, ``female``, ``Girl`` or the
format's ``Feminine``) and missing values. Two corruption levels: ``heavy`` and
``light``. Only synthetic people.

    records, truth = outside_records(children=2000, seed=1, level="heavy")

``truth`` maps ``agency|source_record_id`` to the child. Another capture model can reuse the
parts (``count_other_worlds`` does): :func:`true_children`, :func:`records_of` (one
:func:`record` or two), :func:`shuffled` and :func:`as_record_format`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


#: Given names by sex: a mix of regions, as a country of transit records them (synthetic use).
GIVEN = {
    "F": _words(
        "maria fatima aisha amina sara mariam nadia leila zainab hana ana elena irina olga "
        "natalia daria sofia alina diana ioana andreea elira blerta arta vjosa drita mira "
        "lina rania yasmin salma nour huda samira latifa khadija rukhsana priya anita sunita "
        "kavita pooja rekha meena lakshmi asha gita nisha ritu shanti kamala joy grace esther "
        "blessing faith mercy precious comfort abena akosua ama adwoa efua aminata fatoumata "
        "mariama kadiatou awa binta hawa oumou rokia nana lan mai hoa linh thu thao ngoc "
        "dara sophea srey channary bopha malai nok ploy kanya somchai"
    ),
    "M": _words(
        "mohammed ahmed ali omar hassan hussein youssef ibrahim khalid mustafa karim tariq "
        "samir nabil rami ivan sergei andrei mihai ion vasile dmitri alexandru florin besnik "
        "arben ilir gentian fatmir dritan luan artan agim ravi suresh rajesh amit vijay arjun "
        "deepak sanjay anil rahul manoj kumar kwame kofi kwabena yaw kojo emmanuel samuel "
        "daniel john peter joseph moses isaac ousmane mamadou ibrahima moussa abdoulaye "
        "seydou bakary lamine adama issa minh tuan hung duc nam long vannak sok dara bunthoeun "
        "somsak niran anan chai"
    ),
}
#: Family names; some are given names too, as in many naming traditions.
FAMILY = _words(
    "popescu ionescu rusu munteanu lupu ceban rosca hoxha krasniqi gashi berisha shehu "
    "morina kelmendi ivanova petrova smirnova kovalenko bondarenko shevchenko haddad khalil "
    "mansour nasser saleh hamdan aziz rahman hossain islam akter begum khatun sharma verma "
    "gupta singh yadav das roy mondal biswas thapa gurung tamang rai magar mensah owusu "
    "boateng asante osei appiah darko diallo traore coulibaly keita sangare konate camara "
    "sow bah barry nguyen tran le pham hoang vu dang bui do ngo sok chea kim heng chan "
    "sarr ndiaye diop fall okafor okeke adeyemi bello abubakar musa yusuf garba"
)
#: Transliteration variants agencies write (each applied to a name where it fits).
VARIANTS: tuple[tuple[str, str], ...] = (
    ("mohammed", "muhammad"),
    ("mohammed", "mohamed"),
    ("ou", "u"),
    ("u", "ou"),
    ("ph", "f"),
    ("kh", "h"),
    ("sh", "ch"),
    ("y", "i"),
    ("i", "y"),
    ("ee", "i"),
    ("oo", "u"),
    ("j", "dj"),
    ("dj", "j"),
    ("ei", "ey"),
    ("ia", "iya"),
    ("v", "w"),
    ("c", "k"),
    ("q", "k"),
    ("a", "aa"),
    ("e", "a"),
)
#: Short forms of given names (nicknames agencies write instead).
SHORT = {
    "mohammed": "mo",
    "aleksandr": "sasha",
    "alexandru": "alex",
    "natalia": "natasha",
    "elena": "lena",
    "ibrahim": "ibra",
    "abdoulaye": "abdou",
    "fatoumata": "fatou",
    "emmanuel": "emma",
    "samuel": "sam",
    "daniel": "dan",
    "joseph": "joe",
    "mariama": "mari",
    "khadija": "khadi",
}
#: A register's districts (made-up names), some far more populous than others.
DISTRICTS = tuple(
    (a + b).title()
    for a in ("kan", "bara", "mira", "sol", "tem", "vasi", "dor", "lum")
    for b in ("pur", "gati", "ndo", "kesh", "ava")
)
#: The same districts as a register that numbers them writes them (District 07).
NUMBERED = tuple(f"District {i:02d}" for i in range(1, len(DISTRICTS) + 1))
AGENCIES = ("police", "shelter", "ngo_a", "ngo_b", "hotline", "labour", "health")
#: How each agency writes sex: the record format's HTCDS codes unless named here.
SEX_WRITTEN: dict[str, dict[str, str]] = {
    "police": {"F": "F", "M": "M"},
    "health": {"F": "female", "M": "male"},
    "labour": {"F": "Girl", "M": "Boy"},
}
HTCDS_SEX = {"F": "Feminine", "M": "Masculine"}


@dataclass(frozen=True)
class Corruption:
    """How badly agencies record a child: each a share of records (or of fields)."""

    typo: float  # a name typed with one error
    variant: float  # a name written in another transliteration
    nickname: float  # a short form for the given name
    swap: float  # given and family name exchanged
    missing_name: float  # one of the names left blank
    missing_dob: float
    missing_sex: float
    missing_district: float
    wrong_district: float  # district of the agency, not the child's
    guessed_dob: float  # written as 1 January of an estimated year
    year_off: float  # of the guessed: the year estimated one or two off
    dob_typo: float  # a digit or day/month swapped in a written date
    wrong_sex: float
    duplicate_in_agency: float  # a second record at the same agency


LEVELS = {
    "heavy": Corruption(
        typo=0.15,
        variant=0.12,
        nickname=0.05,
        swap=0.06,
        missing_name=0.04,
        missing_dob=0.08,
        missing_sex=0.04,
        missing_district=0.1,
        wrong_district=0.08,
        guessed_dob=0.4,
        year_off=0.4,
        dob_typo=0.06,
        wrong_sex=0.02,
        duplicate_in_agency=0.1,
    ),
    "light": Corruption(
        typo=0.05,
        variant=0.05,
        nickname=0.02,
        swap=0.02,
        missing_name=0.01,
        missing_dob=0.03,
        missing_sex=0.02,
        missing_district=0.04,
        wrong_district=0.03,
        guessed_dob=0.3,
        year_off=0.25,
        dob_typo=0.02,
        wrong_sex=0.01,
        duplicate_in_agency=0.05,
    ),
}


def _zipf(size: int, rng: np.random.Generator, exponent: float = 1.0) -> np.ndarray:
    weights = 1.0 / np.arange(1, size + 1) ** exponent
    return rng.permutation(weights / weights.sum())


def _typo(name: str, rng: np.random.Generator) -> str:
    if len(name) < 3:
        return name
    i = int(rng.integers(1, len(name)))
    kind = rng.integers(4)
    letter = "abcdefghijklmnoprstuy"[int(rng.integers(21))]
    if kind == 0:  # dropped
        return name[:i] + name[i + 1 :]
    if kind == 1:  # doubled or inserted
        return name[:i] + letter + name[i:]
    if kind == 2 and i < len(name) - 1:  # neighbours exchanged
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + letter + name[i + 1 :]


def _variant(name: str, rng: np.random.Generator) -> str:
    fitting = [(a, b) for a, b in VARIANTS if a in name]
    if not fitting:
        return name
    a, b = fitting[int(rng.integers(len(fitting)))]
    return name.replace(a, b, 1)


def true_children(count: int, rng: np.random.Generator) -> pd.DataFrame:
    """The true children: ``child`` (0 to count - 1), given and family name, sex, district and
    birth date, drawn from this module's own name pools."""
    sex = rng.choice(["F", "M"], size=count)
    given = np.empty(count, dtype=object)
    for code, pool in GIVEN.items():
        chosen = sex == code
        given[chosen] = rng.choice(pool, size=int(chosen.sum()), p=_zipf(len(pool), rng))
    family = rng.choice(FAMILY, size=count, p=_zipf(len(FAMILY), rng, 0.8))
    district = rng.choice(DISTRICTS, size=count, p=_zipf(len(DISTRICTS), rng, 0.7))
    start = dt.date(2006, 1, 1).toordinal()
    born = [dt.date.fromordinal(start + int(d)) for d in rng.integers(0, 365 * 12, count)]
    return pd.DataFrame(
        {"child": np.arange(count), "given": given, "family": family, "sex": sex}
        | {"district": district, "born": born}
    )


def _name(name: str, c: Corruption, rng: np.random.Generator, given: bool) -> str:
    if given and name in SHORT and rng.random() < c.nickname:
        name = SHORT[name]
    if rng.random() < c.variant:
        name = _variant(name, rng)
    if rng.random() < c.typo:
        name = _typo(name, rng)
    return name


def _birth(born: dt.date, c: Corruption, rng: np.random.Generator) -> str | None:
    if rng.random() < c.missing_dob:
        return None
    if rng.random() < c.guessed_dob:
        year = born.year
        if rng.random() < c.year_off:
            year += int(rng.choice([-2, -1, -1, 1, 1, 2]))
        return f"{year}-01-01"
    if rng.random() < c.dob_typo:
        if born.day <= 12 and rng.random() < 0.5:  # day and month exchanged
            return f"{born.year}-{born.day:02d}-{born.month:02d}"
        day = min(28, max(1, born.day + int(rng.choice([-10, -1, 1, 10]))))
        return f"{born.year}-{born.month:02d}-{day:02d}"
    return born.isoformat()


def record(child: pd.Series, agency: str, c: Corruption, rng: np.random.Generator) -> dict:
    """One record of ``child`` as ``agency`` typed it (``c``'s errors), in this module's columns:
    agency, given, family, sex (``F``/``M``), born, district and the true ``child``."""
    given = _name(child["given"], c, rng, True)
    family = _name(child["family"], c, rng, False)
    if rng.random() < c.swap:
        given, family = family, given
    if rng.random() < c.missing_name:
        if rng.random() < 0.5:
            given = ""
        else:
            family = ""
    sex = child["sex"]
    if rng.random() < c.wrong_sex:
        sex = "M" if sex == "F" else "F"
    if rng.random() < c.missing_sex:
        sex = None
    district: str | None = child["district"]
    if rng.random() < c.wrong_district:
        district = DISTRICTS[int(rng.integers(len(DISTRICTS)))]
    if rng.random() < c.missing_district:
        district = None
    case = rng.random()
    written = (lambda s: s.upper()) if case < 0.3 else (lambda s: s.title())
    return {
        "agency": agency,
        "given": written(given) if given else None,
        "family": written(family) if family else None,
        "sex": sex,
        "born": _birth(child["born"], c, rng),
        "district": district,
        "child": int(child["child"]),
    }


def records_of(
    child: pd.Series, agency: str, c: Corruption, rng: np.random.Generator
) -> list[dict]:
    """The child's records at one agency: one, or two when the agency recorded them twice
    (``c.duplicate_in_agency``)."""
    rows = [record(child, agency, c, rng)]
    if rng.random() < c.duplicate_in_agency:
        rows.append(record(child, agency, c, rng))
    return rows


def shuffled(rows: list[dict], seed: int) -> pd.DataFrame:
    """The agencies' records (:func:`record` rows) in no meaningful order, each given its
    ``source_record_id`` (``r000000`` ...) in that order."""
    table = pd.DataFrame(rows).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    table["source_record_id"] = [f"r{i:06d}" for i in range(len(table))]
    return table


def as_record_format(table: pd.DataFrame, numbered: bool = False) -> pd.DataFrame:
    """:func:`shuffled` records in Lantern's record format: sex written each agency's way,
    no registration date; ``numbered`` writes districts as numbers (``District 07``)."""
    gender = pd.Series(
        [
            None if sex is None else SEX_WRITTEN.get(agency, HTCDS_SEX)[sex]
            for agency, sex in zip(table["agency"], table["sex"], strict=True)
        ],
        dtype=object,
    )
    return pd.DataFrame(
        {
            "agency": table["agency"],
            "source_record_id": table["source_record_id"],
            "cas_RegistrationDate": None,
            "prs_FirstName": table["given"],
            "prs_SecondName": table["family"],
            "prs_Gender": gender,
            "prs_Birthdate": table["born"],
            "prs_MailingCity": (
                table["district"].map(dict(zip(DISTRICTS, NUMBERED, strict=True)))
                if numbered
                else table["district"]
            ),
        }
    )


def outside_records(
    children: int = 2000, seed: int = 1, level: str = "heavy", numbered: bool = False
) -> tuple[pd.DataFrame, pd.Series]:
    """Records in Lantern's record format and the truth (record id -> child); ``numbered``
    writes districts as numbers (``District 07``) instead of names."""
    corruption = LEVELS[level]
    rng = np.random.default_rng(seed)
    people = true_children(children, rng)
    # how many agencies recorded each child: most once, a tail up to four
    counts = rng.choice([1, 2, 3, 4], size=children, p=[0.45, 0.3, 0.17, 0.08])
    rows = []
    for (_, child), count in zip(people.iterrows(), counts, strict=True):
        for agency in rng.choice(AGENCIES, size=count, replace=False):
            rows.extend(records_of(child, str(agency), corruption, rng))
    table = shuffled(rows, seed)
    ids = (table["agency"] + "|" + table["source_record_id"]).to_numpy()
    return as_record_format(table, numbered), pd.Series(table["child"].to_numpy(), index=ids)
