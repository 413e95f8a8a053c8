"""The web tests' world (the browser fixtures are the root conftest's: one Chromium per session)."""

from __future__ import annotations

from tests.protection import conftest as protection

world = protection.world  # the protection tests' synthetic world: agencies, roles, directory
