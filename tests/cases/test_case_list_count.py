"""The case list's count: exact while cheap, an honest lower bound past the bound.

A team of 85,000 cases made every list page count them all (0.1-3 s); ``count_cases`` reads at
most the bound (or the page asked for) plus one row, and says when it stopped.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantern.accounts.models import Role, Team
from lantern.cases import queries
from lantern.cases.models import Case, Person
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
    count = queries.count_cases(_list(caseworker), bound=50)
    assert count == queries.CaseCount(30, exact=True)  # not the other team's, nor agency's
    assert str(count) == "30"


def test_past_the_bound_the_count_is_a_lower_bound_and_says_so(caseworker):
    count = queries.count_cases(_list(caseworker), bound=10)
    assert count == queries.CaseCount(10, exact=False)
    assert str(count) == "more than 10"
    assert queries.count_cases(_list(caseworker), bound=30).exact  # exactly at the bound


def test_a_page_past_the_bound_is_counted_up_to_its_end(caseworker):
    """Page 3 of 10 ends at row 30: the count covers it, exactly when the list ends there."""
    qs = _list(caseworker)
    assert queries.count_cases(qs, seen=20, bound=10) == queries.CaseCount(20, exact=False)
    assert queries.count_cases(qs, seen=20, bound=10).known == 21  # so page 3 is offered
    assert queries.count_cases(qs, bound=50).known == 30
    assert queries.count_cases(qs, seen=30, bound=10) == queries.CaseCount(30, exact=True)
    assert queries.count_cases(qs, seen=40, bound=10) == queries.CaseCount(30, exact=True)


def test_filters_count_the_same_way(caseworker):
    Case.objects.filter(source_record_id__in=["casework-1", "casework-2"]).update(status="Closed")
    closed = queries.case_list(caseworker, queries.CaseFilters.from_mapping({"status": "Closed"}))
    assert queries.count_cases(closed, bound=1) == queries.CaseCount(1, exact=False)
    assert queries.count_cases(closed, bound=5) == queries.CaseCount(2, exact=True)


def test_the_count_reads_at_most_the_bound_in_one_query(caseworker):
    with CaptureQueriesContext(connection) as queries_run:
        queries.count_cases(_list(caseworker), seen=20, bound=10)
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
