"""The case list's count: exact while cheap, an honest lower bound past the bound.

A team of 85,000 cases made every list page count them all (0.1-3 s); ``paging.count_bounded``
reads at most the bound (or the page asked for) plus one row, and says when it stopped. The
API's pages and the case list page say so too.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from unittest.mock import patch

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantern.accounts.models import Role, Team
from lantern.cases import queries
from lantern.cases.models import Case, Person
from lantern.edges import paging
from tests import factories

pytestmark = pytest.mark.django_db


def _cases(agency: str, team: str, n: int) -> None:
    a = factories.agency(agency)
    t = Team.objects.get_or_create(agency=a, name=team)[0]
    day = dt.date(2025, 1, 1)
    for i in range(n):
        Case.objects.create(
            person=Person.objects.create(),
            agency=a,
            team=t,
            source_record_id=f"{team}-{i}",
            registration_date=day + dt.timedelta(days=i % 7),  # ties: the id breaks them
        )


@pytest.fixture
def caseworker():
    _cases("ngo-one", "casework", 30)
    _cases("ngo-one", "other-team", 12)
    _cases("police-two", "casework", 9)
    return factories.user("cw", Role.CASEWORKER)


def _list(user) -> object:
    return queries.case_list(user, queries.CaseFilters())


def test_below_the_bound_the_count_is_exact_and_scoped(caseworker):
    count = paging.count_bounded(_list(caseworker), bound=50)
    assert count == paging.Count(30, exact=True)  # not the other team's, nor agency's
    assert str(count) == "30"


def test_past_the_bound_the_count_is_a_lower_bound_and_says_so(caseworker):
    count = paging.count_bounded(_list(caseworker), bound=10)
    assert count == paging.Count(10, exact=False)
    assert str(count) == "more than 10"
    assert paging.count_bounded(_list(caseworker), bound=30).exact  # exactly at the bound


def test_a_page_past_the_bound_is_counted_up_to_its_end(caseworker):
    """Page 3 of 10 ends at row 30: the count covers it, exactly when the list ends there."""
    qs = _list(caseworker)
    assert paging.count_bounded(qs, seen=20, bound=10) == paging.Count(20, exact=False)
    assert paging.count_bounded(qs, seen=20, bound=10).known == 21  # so page 3 is offered
    assert paging.count_bounded(qs, bound=50).known == 30
    assert paging.count_bounded(qs, seen=30, bound=10) == paging.Count(30, exact=True)
    assert paging.count_bounded(qs, seen=40, bound=10) == paging.Count(30, exact=True)


def test_filters_count_the_same_way(caseworker):
    Case.objects.filter(source_record_id__in=["casework-1", "casework-2"]).update(status="Closed")
    closed = queries.case_list(caseworker, queries.CaseFilters.from_mapping({"status": "Closed"}))
    assert paging.count_bounded(closed, bound=1) == paging.Count(1, exact=False)
    assert paging.count_bounded(closed, bound=5) == paging.Count(2, exact=True)


def test_the_count_reads_at_most_the_bound_in_one_query(caseworker):
    with CaptureQueriesContext(connection) as queries_run:
        paging.count_bounded(_list(caseworker), seen=20, bound=10)
    (sql,) = [q["sql"] for q in queries_run.captured_queries]
    assert "LIMIT 21" in sql and "ORDER BY" not in sql


def test_pages_follow_the_lists_order_with_ties_broken_by_id(caseworker):
    rows = list(_list(caseworker).values_list("registration_date", "id"))
    assert rows == sorted(rows, reverse=True)


def test_postgresql_reads_a_page_in_order_from_the_agency_list_index(caseworker):
    """The index matches the list's whole order: no sort step, whatever the team's size."""
    if connection.vendor != "postgresql":
        pytest.skip(reason="not on PostgreSQL: run the suite under scripts/with-postgres.sh")
    sql, params = _list(caseworker)[:25].query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")  # a tiny table: force the index choice
        cur.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cur.fetchall())
    assert "case_agency_list_idx" in plan
    assert "Sort" not in plan


def test_the_api_says_when_its_count_is_a_lower_bound(client, caseworker, settings):
    raw = factories.api_token("cw")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = client.get("/api/cases/?page_size=5", **auth).json()
    assert (body["count"], body["count_exact"]) == (30, True)
    with patch("lantern.edges.schemas.count_bounded", partial(paging.count_bounded, bound=10)):
        first = client.get("/api/cases/?page_size=5", **auth).json()
        far = client.get("/api/cases/?page_size=5&page=4", **auth).json()
    assert (first["count"], first["count_exact"]) == (10, False)  # more than 10
    assert (far["count"], far["count_exact"]) == (20, False)  # counted to the page's end
    assert len(far["results"]) == 5


def test_the_list_page_says_more_than_past_the_bound(client, caseworker):
    factories.verified_login(client, caseworker)
    page = client.get("/cases/").content.decode()
    assert "(30)" in page and "Page 1 of 2" in page
    with patch("lantern.edges.paging.COUNT_BOUND", 10):
        bounded = client.get("/cases/").content.decode()
        last = client.get("/cases/?page=2").content.decode()
    assert "(more than 25)" in bounded and "Page 1 of at least 2" in bounded  # the page shown
    assert 'page=2">Next' in bounded  # the page after the last counted is offered
    assert "(30)" in last and "Page 2 of 2" in last  # counted to the page's end: exact again
