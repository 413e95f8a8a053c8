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

POOLS: dict[str, dict[str, list[list[str]]]] = {
    "Deva": {
        "given": [
            ["सीता", "Sita", "Seeta"],
            ["लक्ष्मी", "Laxmi", "Lakshmi"],
            ["गीता", "Gita", "Geeta"],
            ["सुनिता", "Sunita", "Suneeta"],
            ["माया", "Maya", "Maaya"],
            ["कमला", "Kamala", "Kamla"],
            ["राम", "Ram", "Raam"],
            ["हरि", "Hari", "Haree"],
            ["विकास", "Bikash", "Vikash"],
            ["सुमन", "Suman", "Sumon"],
            ["दीपक", "Dipak", "Deepak"],
            ["अर्जुन", "Arjun", "Arjuna"],
        ],
        "family": [
            ["तामाङ", "Tamang", "Tamaang"],
            ["गुरुङ", "Gurung", "Gurang"],
            ["मगर", "Magar", "Magor"],
            ["श्रेष्ठ", "Shrestha", "Srestha"],
            ["थापा", "Thapa", "Thaapa"],
            ["लामा", "Lama", "Laama"],
            ["यादव", "Yadav", "Yadab"],
            ["सुनार", "Sunar", "Sunaar"],
        ],
        "nickname": [["कान्छी", "Kanchhi"], ["सानु", "Sanu"], ["नानी", "Nani"]],
    },
    "Thai": {
        "given": [
            ["สมชาย", "Somchai", "Somchay"],
            ["สมศรี", "Somsri", "Somsree"],
            ["มาลี", "Malee", "Mali"],
            ["ทองดี", "Thongdee", "Tongdee"],
            ["นภา", "Napha", "Naphaa"],
            ["ประสิทธิ์", "Prasit", "Prasith"],
            ["สุดา", "Suda", "Sudaa"],
            ["วิชัย", "Wichai", "Vichai"],
        ],
        "family": [
            ["แสงทอง", "Saengthong", "Sangthong"],
            ["ศรีสุข", "Srisuk", "Srisook"],
            ["บุญมา", "Boonma", "Bunma"],
            ["ใจดี", "Jaidee", "Chaidee"],
            ["คำแก้ว", "Khamkaeo", "Kamkaew"],
        ],
        "nickname": [["น้อย", "Noi"], ["แดง", "Daeng"], ["เล็ก", "Lek"]],
    },
    "Khmr": {
        "given": [
            ["សុខា", "Sokha", "Sokhaa"],
            ["ដារ៉ា", "Dara", "Daraa"],
            ["សុភា", "Sophea", "Sopha"],
            ["ចន្ថា", "Chantha", "Chanta"],
            ["វណ្ណា", "Vanna", "Vana"],
            ["សំណាង", "Samnang", "Somnang"],
        ],
        "family": [
            ["សុខ", "Sok", "Sokh"],
            ["ជា", "Chea", "Chia"],
            ["លី", "Ly", "Lee"],
            ["ហេង", "Heng", "Hen"],
            ["គឹម", "Kim", "Keum"],
        ],
        "nickname": [["ពៅ", "Pov"], ["ស្រីពៅ", "Sreypov"]],
    },
    "Arab": {
        "given": [
            ["محمد", "Mohammed", "Muhammad"],
            ["فاطمة", "Fatima", "Fatema"],
            ["عائشة", "Aisha", "Ayesha"],
            ["حسين", "Hussein", "Husain"],
            ["ياسمين", "Yasmin", "Yasmeen"],
            ["رشيدة", "Rashida", "Rasheeda"],
            ["عبد الله", "Abdullah", "Abd Allah"],
        ],
        "family": [
            ["الرشيد", "al-Rashid", "Rashid"],
            ["الحسن", "al-Hassan", "Hassan"],
            ["الأمين", "al-Amin", "Amin"],
            ["إبراهيم", "Ibrahim", "Ebrahim"],
            ["نور", "Noor", "Nur"],
        ],
        "nickname": [["حمودي", "Hamoudi"], ["نونو", "Nono"]],
    },
}

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


def generate(
    children: int, seed: int = 7, noise: float = 1.0
) -> tuple[pd.DataFrame, pd.Series]:
    """Records in the record format and the truth (``agency|source_record_id`` -> child)."""
    rng = np.random.default_rng(seed)
    scripts = list(POOLS)
    rows: list[dict[str, object]] = []
    truth: dict[str, str] = {}
    counter = 0
    for child in range(children):
        script = scripts[int(rng.integers(len(scripts)))]
        pool = POOLS[script]
        given = pool["given"][int(rng.integers(len(pool["given"])))]
        family = pool["family"][int(rng.integers(len(pool["family"])))]
        nickname = pool["nickname"][int(rng.integers(len(pool["nickname"])))]
        country, state, city = PLACES[script][int(rng.integers(2))]
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
            f = family[min(form, len(family) - 1)]
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
