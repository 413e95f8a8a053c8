"""The dashboard: its charts, each with a table and a provenance line; a year; the menu."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import Role
from tests import factories
from tests.monitoring.dashboard.test_tables import _get

pytestmark = pytest.mark.django_db


def test_every_chart_has_its_table_and_provenance(coordinator: Any) -> None:
    r = _get(coordinator, "/statistics/")
    html = r.content.decode()
    assert r.status_code == 200
    for anchor in ("by-year", "by-form", "by-sex-age", "corridors", "map"):
        section = html[html.index(f'id="{anchor}"') :]
        section = section[: section.index("</section>")]
        assert "<svg" in section and "<table" in section, anchor
        assert "Counted:" in section and "Suppression:" in section, anchor
    assert "Sexual exploitation" in html and "sexual_exploitation" not in html
    assert "Where children were exploited" in html


def test_one_year_and_a_year_without_figures(coordinator: Any) -> None:
    r = _get(coordinator, "/statistics/", year="2023")
    html = r.content.decode()
    assert r.status_code == 200 and '<option value="2023" selected>' in html
    assert 'id="by-year"' not in html  # one year has no trend
    assert "Year: 2023" in html  # the population of every figure
    r = _get(coordinator, "/statistics/", year="1999")
    assert r.status_code == 400 and "There are no figures for 1999." in r.content.decode()


def test_the_menu_leads_coordinators_and_analysts_here_and_no_one_else(
    coordinator: Any, analyst: Any
) -> None:
    for user in (coordinator, analyst):
        client = factories.verified_login(Client(), user)
        assert 'href="/statistics/"' in client.get("/statistics/tables/").content.decode()
    assert factories.verified_login(Client(), analyst).get("/").url == "/statistics/"
    worker = factories.user("worker", Role.CASEWORKER)
    assert factories.verified_login(Client(), worker).get("/statistics/").status_code == 404
