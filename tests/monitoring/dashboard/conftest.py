"""A mart of synthetic children for the statistics pages: two agencies, three years, routes
within Nepal and to India, with some categories too small to publish."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from lantern.accounts.models import Role
from lantern.cases.models import Case, TraffickingEvent
from lantern.monitoring import mart
from tests import factories


@pytest.fixture
def stats_mart(tmp_path: Any, settings: Any, fast_passwords: None) -> mart.MartInfo:
    """60 cases: 2022 has 10, 2023 20, 2024 30; girls mostly; three children from Cambodia
    (a small cell); most exploited in India, some in Kathmandu."""
    settings.VAR_DIR = tmp_path / "var"
    factories.agency("ngo-one")
    factories.agency("police-two", "police")
    rows = [factories.record(i, "ngo-one" if i % 3 else "police-two") for i in range(1, 61)]
    for i, row in enumerate(rows, start=1):
        row["source_record_id"] = f"S{i}"
    factories.import_records(rows, tmp_path)
    rng = random.Random(7)
    for i in range(1, 61):
        year = 2022 if i <= 10 else 2023 if i <= 30 else 2024
        Case.objects.filter(source_record_id=f"S{i}").update(
            registration_date=dt.date(year, 1 + (i % 12), 1 + (i % 27)),
            registration_date_precision="day",
            gender="Masculine" if i % 4 == 0 else "Feminine",
            age_min=12 + i % 6,
            age_max=12 + i % 6,
            age_at_identification=None,
            primary_form="sexual_exploitation" if i % 2 else "forced_labour",
            forms_of_exploitation=["sexual_exploitation" if i % 2 else "forced_labour"],
            citizenship="KHM" if i in (5, 17, 41) else "NPL",
        )
        case = Case.objects.get(source_record_id=f"S{i}")
        TraffickingEvent.objects.filter(case=case).delete()
        origin = ("KHM", "") if i in (5, 17, 41) else ("NPL", rng.choice(["Bagmati", "Koshi"]))
        dest = ("NPL", "Bagmati") if i % 5 == 0 else ("IND", "Maharashtra")
        TraffickingEvent.objects.create(
            case=case, seq=1, type="recruitment", country=origin[0], state=origin[1]
        )
        TraffickingEvent.objects.create(
            case=case, seq=2, type="exploitation", country=dest[0], state=dest[1]
        )
    return mart.build()


@pytest.fixture
def coordinator(stats_mart: mart.MartInfo) -> Any:
    return factories.user("coordinator", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)


@pytest.fixture
def analyst(stats_mart: mart.MartInfo) -> Any:
    return factories.user("analyst", Role.ANALYST, agency_code=None, team=None)
