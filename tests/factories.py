"""Synthetic test data: agencies, users in every role, and HTCDS-shaped agency records.

Names are drawn from small invented pools; no real person is described.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

from lantern.accounts.models import Agency, Role, Team, User

PASSWORD = "correct-horse-lantern-42"
GIVEN = ["Sita", "Maya", "Anil", "Pong", "Dara", "Mira", "Ana", "Kofi", "Lina", "Arben"]
FAMILY = ["Tamang", "Rai", "Sok", "Chan", "Hoxha", "Mensah", "Gurung", "Lim", "Diallo", "Kola"]


def agency(code: str = "ngo-one", type_: str = "ngo") -> Agency:
    a, _ = Agency.objects.get_or_create(code=code, defaults={"name": code.title(), "type": type_})
    Team.objects.get_or_create(agency=a, name="casework")
    return a


def user(
    username: str,
    role: str = Role.CASEWORKER,
    agency_code: str | None = "ngo-one",
    team: str | None = "casework",
    **extra: Any,
) -> User:
    ag = agency(agency_code) if agency_code else None
    tm = Team.objects.get(agency=ag, name=team) if (ag and team) else None
    u = User.objects.create_user(
        username=username, password=PASSWORD, role=role, agency=ag, team=tm, **extra
    )
    return u


def record(
    i: int, agency_code: str = "ngo-one", rng: random.Random | None = None
) -> dict[str, Any]:
    """One valid agency record in the docs/record-format.md layout."""
    rng = rng or random.Random(i)
    reg = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(600))
    age = rng.randrange(8, 18)
    born = reg - dt.timedelta(days=365 * age + rng.randrange(300))
    return {
        "agency": agency_code,
        "agency_type": "ngo_shelter",
        "source_record_id": f"R{i:06d}",
        "cas_RegistrationDate": reg.isoformat(),
        "cas_IntakeChannel": rng.choice(["hotline", "rescue", "referral", "transit_reception"]),
        "cas_Status": "Active",
        "prs_FirstName": rng.choice(GIVEN),
        "prs_SecondName": rng.choice(FAMILY),
        "ext_NameScript": "Latn",
        "prs_Gender": rng.choice(["Feminine", "Masculine"]),
        "prs_Birthdate": born.isoformat(),
        "ext_BirthdateEstimated": "no",
        "ext_StatedAge": str(age),
        "ext_AgeEvidence": "documented",
        "prs_Citizenship": rng.choice(["NPL", "KHM", "ALB"]),
        "prs_MailingCountry": "NPL",
        "prs_MailingState": "Bagmati",
        "prs_MailingCity": "Sindhupalchok",
        "vic_TraffickingStatus": "PossibleVictimOfTrafficking",
        "vic_TypeOfExploitation": "sexual_exploitation;forced_labour",
        "vic_MethodsOfControl": "DebtBondage;FalsePromises",
        "con_Consent": "yes",
        "con_TracingConsent": rng.choice(["yes", "no", ""]),
        "hte_Events": json.dumps(
            [
                {
                    "type": "recruitment",
                    "date": (reg - dt.timedelta(days=90)).isoformat(),
                    "country": "NPL",
                    "state": "Bagmati",
                    "city": "Sindhupalchok",
                    "transport": None,
                    "crossing": None,
                },
                {
                    "type": "transit",
                    "date": (reg - dt.timedelta(days=80)).isoformat(),
                    "country": "IND",
                    "state": "Bihar",
                    "city": "Raxaul",
                    "transport": "bus",
                    "crossing": "illegal",
                },
                {
                    "type": "exploitation",
                    "date": (reg - dt.timedelta(days=70)).isoformat(),
                    "country": "IND",
                    "state": "Maharashtra",
                    "city": "Mumbai",
                    "transport": "train",
                    "crossing": None,
                },
            ]
        ),
        "ext_Exploitations": json.dumps(
            [
                {
                    "form": "sexual_exploitation",
                    "isic": None,
                    "start": (reg - dt.timedelta(days=70)).isoformat(),
                    "end": reg.isoformat(),
                    "country": "IND",
                },
            ]
        ),
        "per_Actors": json.dumps(
            [
                {
                    "ref": f"A{i % 17}",
                    "role": "recruiter",
                    "relationship": "Acquainted",
                    "network_ref": f"N{i % 5}",
                },
            ]
        ),
    }


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    cols: list[str] = []
    for r in rows:
        cols += [k for k in r if k not in cols]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)
    return path


def verified_login(client: Any, u: User) -> Any:
    """Sign ``u`` in with a confirmed TOTP device, as after a real second-factor check."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=u, name="test", defaults={"confirmed": True})
    client.force_login(u)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def import_records(rows: list[dict[str, Any]], tmp_path: Path, as_user: User | None = None) -> None:
    from lantern.cases.importing import import_file

    who = (
        as_user
        or User.objects.filter(role=Role.NATIONAL_COORDINATOR).first()
        or user("loader", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)
    )
    report = import_file(write_csv(tmp_path / "load.csv", rows), who)
    assert not report.errors, report.errors[:3]


def authenticator_code(u: User) -> str:
    """The code ``u``'s confirmed authenticator shows now (enrolled on first use)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=u, name="test", defaults={"confirmed": True})
    device.last_t = -1  # each code is accepted once: as if the next 30-second step began
    device.save(update_fields=["last_t"])
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def api_token(username: str, name: str = "test", **kwargs: Any) -> str:
    """A personal API token, as its holder gets one: with a current code from their
    authenticator when the role reads identities (``accounts.services.create_token``)."""
    from lantern.accounts import policy
    from lantern.accounts.services import create_token

    u = User.objects.get(username=username)
    code = authenticator_code(u) if policy.requires_second_factor(u) else ""
    return create_token(username, name, code=code, **kwargs)[1]
