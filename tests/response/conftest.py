"""The national response's tests: a coordinator, a directory to lead programmes, a mart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from lantern.accounts.models import Role, User
from lantern.directory.models import Organisation
from tests import factories


@pytest.fixture
def coordinator(fast_passwords: None) -> User:
    return factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)


@pytest.fixture
def ministry(db: Any) -> Organisation:
    return Organisation.objects.create(
        name="Ministry of Women and Children",
        type="CentralGovernmentOrganisation",
        country="NPL",
        status="approved",  # a plan names only approved organisations of the directory
    )


@pytest.fixture
def partner(db: Any) -> Organisation:
    return Organisation.objects.create(
        name="Shakti Samuha", type="NGO", country="NPL", status="approved"
    )


def bagmati_records(first: int, count: int, year: int, tmp_path: Path) -> None:
    """``count`` synthetic children recruited in Bagmati, registered in ``year``."""
    rows = []
    for i in range(first, first + count):
        row = factories.record(i, "ngo-one")
        row["cas_RegistrationDate"] = dt.date(year, 3, 1 + i % 27).isoformat()
        rows.append(row)
    factories.agency("ngo-one")
    folder = tmp_path / f"batch{first}"
    folder.mkdir(exist_ok=True)
    factories.import_records(rows, folder)
