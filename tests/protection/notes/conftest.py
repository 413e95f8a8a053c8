"""The notes tests' world: the two-agency store of the permission table (one user per role),
plus a caseworker of the other agency; attachments kept in the test's own folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import Role, User
from tests import factories
from tests.conftest import Store

# Synthetic files: each one's first bytes are its format's signature.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
TEXT = b"School certificate of the child, Class 5, marks kept by the teacher.\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256))


@dataclass
class World:
    store: Store
    outsider: User  # a caseworker of the other agency

    @property
    def case(self) -> Any:
        return self.store.case_in

    def user(self, column: str) -> User:
        return self.outsider if column == "outsider" else self.store.users[column]

    def api(self, column: str) -> dict[str, str]:
        token = factories.api_token(self.user(column).username, name=f"notes-{column}")
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def web(self, column: str) -> Client:
        return factories.verified_login(Client(), self.user(column))


@pytest.fixture(autouse=True)
def attachments_dir(tmp_path: Path, settings: Any) -> Path:
    settings.LANTERN_ATTACHMENTS_DIR = tmp_path / "attachments"
    return Path(settings.LANTERN_ATTACHMENTS_DIR)


@pytest.fixture
def world(store: Store) -> World:
    outsider = factories.user("outsider", Role.CASEWORKER, agency_code="police-two")
    return World(store, outsider)
