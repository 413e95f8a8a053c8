"""An analyst on a phone reads the hidden-children estimate: one figure, its interval or the
range the methods span, and one message."""

from __future__ import annotations

import pytest

from lantern.accounts.models import Role
from lantern.monitoring import mart
from lantern.monitoring.estimates import EstimateRequest, estimate_from_mart
from tests import factories
from tests.monitoring.test_estimates import world  # noqa: F401  (the fixture)
from tests.web.helpers import fits

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_page_shows_one_figure_its_interval_and_one_message(page, live_server, world):  # noqa: F811
    mart.build()
    expected = estimate_from_mart(EstimateRequest())
    analyst = factories.user("an", Role.ANALYST, agency_code=None, team=None)
    # an analyst never sees identifying data: a password is enough
    page.goto(live_server.url + "/signin/")
    page.fill("input[name=username]", analyst.username)
    page.fill("input[name=password]", factories.PASSWORD)
    with page.expect_navigation():
        page.click("button.primary")
    page.goto(live_server.url + "/statistics/estimate/")
    # the form proposes the recommended method and counts children by default
    assert page.input_value("select[name=method]") == "recommended"
    assert page.input_value("select[name=population]") == "children"
    with page.expect_navigation(timeout=120_000):
        page.click("#estimate-form button.primary")
    assert "method=recommended" in page.url, page.url

    figure = page.text_content("#estimate-figure")
    assert figure is not None
    assert int(figure.replace(",", "")) == round(expected.total.estimate)
    interval = page.text_content("#estimate-interval") or ""
    a = expected.agreement
    low, high = f"{round(a.low):,}", f"{round(a.high):,}"
    assert low in interval and high in interval
    assert ("95% interval" in interval) == a.agree
    assert page.locator("#estimate-message").count() == 1
    message = page.text_content("#estimate-message") or ""
    assert message.startswith("The methods agree" if a.agree else "The methods disagree")
    assert "Model averaging" in (page.text_content("#estimate-explanation") or "")
    # beside the figure and its lower-bound warning: the range under varying visibility (some
    # 700 children on four lists: too few for Gamma3.5 to set an upper limit, and it says so)
    v = expected.visibility
    assert v is not None and v.high is None
    assert (page.text_content("#estimate-visibility") or "") == (
        "If some children are much harder for every agency to find than others, these records "
        f"set no upper limit on the number: range under varying visibility, {round(v.low):,} "
        "and up."
    )
    assert "read it as a lower bound" in (page.text_content("#provenance") or "")
    assert "Mth Gamma3.5" in (page.text_content("#visibility-method") or "")
    assert "adults and those screened not victims are left out" in (
        page.text_content("#provenance") or ""
    )
    fits(page)
