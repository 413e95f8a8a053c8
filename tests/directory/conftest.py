"""The protection tests' small world (agencies, users, a directory), for the referral tests."""

from tests.protection.conftest import world  # noqa: F401 - a fixture, used by name
