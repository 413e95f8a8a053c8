"""A small generator of synthetic child records written badly, for linkage tests.

Children are made up from name pools (native spelling + romanisations); each is recorded by
one to three agencies, each record in the native script or one romanisation, with given and
family names sometimes swapped, a nickname for the given name, a stated age that is off by a
year or two, a guessed birth date and missing fields. Only synthetic people.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

# Syllables per script as (native, romanisation, other romanisation). Names are two or three
# syllables, so each script has thousands of names, as real populations do; the romanisations
# differ the way agencies' spellings do (long vowels doubled, aspiration dropped, v for w).
SYLLABLES: dict[str, list[tuple[str, str, str]]] = {
    "Deva": [
        ("का", "ka", "kaa"),
        ("मि", "mi", "mee"),
        ("रा", "ra", "raa"),
        ("सु", "su", "soo"),
        ("ना", "na", "naa"),
        ("ली", "li", "lee"),
        ("ता", "ta", "taa"),
        ("दे", "de", "dey"),
        ("वि", "vi", "bi"),
        ("गो", "go", "goh"),
        ("पा", "pa", "paa"),
        ("भा", "bha", "ba"),
        ("मा", "ma", "maa"),
        ("नि", "ni", "nee"),
        ("सा", "sa", "saa"),
        ("री", "ri", "ree"),
    ],
    "Thai": [
        ("สม", "som", "sohm"),
        ("ศรี", "sri", "sree"),
        ("ชัย", "chai", "chay"),
        ("พร", "phon", "porn"),
        ("ทอง", "thong", "tong"),
        ("มา", "ma", "maa"),
        ("ลี", "li", "lee"),
        ("ดี", "di", "dee"),
        ("บุญ", "bun", "boon"),
        ("สุ", "su", "soo"),
        ("นา", "na", "naa"),
        ("กิต", "kit", "kitt"),
        ("วัน", "wan", "van"),
        ("ประ", "pra", "bra"),
        ("จัน", "chan", "jan"),
    ],
    "Khmr": [
        ("សុ", "so", "sou"),
        ("ខា", "kha", "ka"),
        ("ដា", "da", "daa"),
        ("រ៉ា", "ra", "raa"),
        ("ថា", "tha", "ta"),
        ("ណា", "na", "naa"),
        ("សំ", "sam", "som"),
        ("ពៅ", "pov", "pou"),
        ("មុំ", "mom", "mum"),
        ("លី", "li", "ly"),
        ("ចាន់", "chan", "chann"),
        ("ទេវី", "tevi", "tevy"),
        ("ភា", "pha", "pa"),
        ("កែវ", "keo", "kaev"),
    ],
    "Arab": [
        ("ك", "ka", "kaa"),
        ("م", "ma", "mo"),
        ("ل", "li", "lee"),
        ("ن", "na", "nu"),
        ("ر", "ra", "ru"),
        ("س", "sa", "si"),
        ("ب", "ba", "bu"),
        ("ف", "fa", "fi"),
        ("ج", "ja", "ji"),
        ("ت", "ta", "tu"),
        ("ح", "ha", "hu"),
        ("ز", "za", "zi"),
    ],
}
NICKNAMES: dict[str, list[tuple[str, str]]] = {
    "Deva": [("कान्छी", "Kanchhi"), ("सानु", "Sanu"), ("नानी", "Nani")],
    "Thai": [("น้อย", "Noi"), ("แดง", "Daeng"), ("เล็ก", "Lek")],
    "Khmr": [("ពៅ", "Pov"), ("ស្រីពៅ", "Sreypov")],
    "Arab": [("حمودي", "Hamoudi"), ("نونو", "Nono")],
}


def _name(script: str, rng: np.random.Generator) -> list[str]:
    """One made-up name: [native, romanisation, other romanisation]."""
    syllables = SYLLABLES[script]
    picks = [syllables[int(i)] for i in rng.integers(len(syllables), size=int(rng.integers(2, 4)))]
    native = "".join(p[0] for p in picks)
    usual = "".join(p[1] for p in picks).capitalize()
    other = "".join(p[int(rng.integers(1, 3))] for p in picks).capitalize()
    return [native, usual, other]


PLACES: dict[str, list[tuple[str, str, str]]] = {
    "Deva": [("NPL", "Bagmati", "Sindhupalchok"), ("NPL", "Koshi", "Morang")],
    "Thai": [("THA", "Chiang Rai", "Mae Sai"), ("THA", "Nong Khai", "Mueang")],
    "Khmr": [("KHM", "Banteay Meanchey", "Poipet"), ("KHM", "Prey Veng", "Prey Veng")],
    "Arab": [("MMR", "Rakhine", "Maungdaw"), ("MMR", "Rakhine", "Buthidaung")],
}
AGENCIES = ("police-central", "ngo-shelter-a", "hotline-1616", "reception-port")


def _typo(name: str, rng: np.random.Generator) -> str:
    if len(name) < 4:
        return name
    i = int(rng.integers(1, len(name) - 1))
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def generate(children: int, seed: int = 7, noise: float = 1.0) -> tuple[pd.DataFrame, pd.Series]:
    """Records in the record format and the truth (``agency|source_record_id`` -> child)."""
    rng = np.random.default_rng(seed)
    scripts = list(SYLLABLES)
    rows: list[dict[str, object]] = []
    truth: dict[str, str] = {}
    counter = 0
    for child in range(children):
        script = scripts[int(rng.integers(len(scripts)))]
        given, family = _name(script, rng), _name(script, rng)
        nickname = NICKNAMES[script][int(rng.integers(len(NICKNAMES[script])))]
        country, state, town = PLACES[script][int(rng.integers(2))]
        city = f"{town} ward {int(rng.integers(1, 4))}"
        born = dt.date(2006, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365 * 10)))
        sex = "Feminine" if rng.random() < 0.55 else "Masculine"
        identity = f"ID{rng.integers(10**6, 10**7)}" if rng.random() < 0.2 else ""
        n_records = int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15]))
        agencies = rng.choice(len(AGENCIES), size=n_records, replace=False)
        for agency_index in agencies:
            counter += 1
            registered = dt.date(2022, 1, 1) + dt.timedelta(days=int(rng.integers(0, 700)))
            form = int(rng.integers(len(given)))  # 0 = native script
            g = given[form]
            f = family[form]
            if form and rng.random() < 0.1 * noise:
                g = _typo(g, rng)
            if rng.random() < 0.1 * noise:
                g, f = f, g
            nick = nickname[min(form, 1)] if rng.random() < 0.3 else ""
            if nick and rng.random() < 0.1 * noise:
                g = nick
            age = (registered - born).days // 365
            record: dict[str, object] = {
                "agency": AGENCIES[int(agency_index)],
                "source_record_id": f"R{counter:07d}",
                "cas_RegistrationDate": registered.isoformat(),
                "prs_FirstName": g if rng.random() > 0.03 * noise else "unknown",
                "prs_SecondName": f if rng.random() > 0.1 * noise else "",
                "ext_NameScript": script if form == 0 else "Latn",
                "ext_Nickname": nick,
                "prs_Gender": sex if rng.random() > 0.1 * noise else "",
                "prs_Birthdate": "",
                "ext_BirthdateEstimated": "",
                "ext_StatedAge": "",
                "prs_Citizenship": country if rng.random() > 0.3 * noise else "",
                "prs_IdentityNumber": identity if rng.random() < 0.7 else "",
                "prs_MailingCountry": country if rng.random() > 0.2 * noise else "",
                "prs_MailingState": state if rng.random() > 0.3 * noise else "",
                "prs_MailingCity": city if rng.random() > 0.4 * noise else "",
                "con_TracingConsent": "yes" if rng.random() < 0.6 else "no",
            }
            evidence = rng.random()
            if evidence < 0.35:
                record["prs_Birthdate"] = born.isoformat()
                record["ext_BirthdateEstimated"] = "no"
            elif evidence < 0.55:
                guessed = born.year + int(rng.integers(-1, 2))
                record["prs_Birthdate"] = f"{guessed}-01-01"
                record["ext_BirthdateEstimated"] = "yes"
            elif evidence < 0.9:
                misstated = age + int(rng.choice([-2, -1, 0, 0, 0, 1, 2]) * noise)
                record["ext_StatedAge"] = str(max(misstated, 1))
            rows.append(record)
            truth[f"{record['agency']}|{record['source_record_id']}"] = f"child-{child}"
    return pd.DataFrame(rows), pd.Series(truth, name="child")


def record_ids(records: pd.DataFrame) -> pd.Series:
    """Each record's linkage id, ``agency|source_record_id``."""
    return records["agency"] + "|" + records["source_record_id"]
