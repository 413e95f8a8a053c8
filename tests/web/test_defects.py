"""Small page defects (issue #15, item 9), each as the user saw it: the wellbeing table's total
change sat in the re-trafficking-risk row, care-plan due dates came in the order of the needs'
codes, /favicon.ico was missing, and French and Spanish case pages showed English."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from lantern.cases.models import Case
from lantern.protection import record
from tests import factories
from tests.web.protection_pages import (
    TODAY,
    WB,
    World,
    as_user,
    baseline_then_visit,
    new_case,
    page_text,
    post,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def _row(html: str, marker: str) -> str:
    """The table row (<tr>…</tr>) that holds ``marker``."""
    at = html.index(marker)
    return html[html.rindex("<tr", 0, at) : html.index("</tr>", at)]


def test_the_total_change_has_its_own_row_not_the_re_trafficking_risks(world: World) -> None:
    case = new_case(world)
    c = as_user(world, "cw")
    before = {**WB, "emotional_wellbeing": 1}
    res = baseline_then_visit(c, case, before, {k: v + 2 for k, v in before.items()})
    assert res.status_code == 302
    html = page_text(c.get(f"/cases/{case.pk}/protection/"))
    risk = _row(html, "<th>Re-trafficking risk</th>")
    assert "<td>Low</td>" in risk and "+10" not in risk
    total = _row(html, 'id="total-change"')
    assert "<th>Total change</th>" in total and re.search(r'id="total-change">\+10<', total)


def test_care_plan_due_dates_run_by_date(world: World) -> None:
    case = new_case(world)
    days = {"psychosocial": 7, "education": 30, "medical": 60}  # by code: education first
    res = post(
        as_user(world, "cw"),
        case,
        "plan",
        **{"plan-needs": list(days), "plan-goals": "Recover and return to school"},
        **{f"plan-due_{n}": (TODAY + dt.timedelta(days=d)).isoformat() for n, d in days.items()},
    )
    assert res.status_code == 302, page_text(res)[:2000]
    due = record.case_protection(world.users["cw"], case)["care_plans"][0]["due"]
    assert [need for need, _ in due] == ["psychosocial", "education", "medical"]
    assert [day for _, day in due] == sorted(TODAY + dt.timedelta(days=d) for d in days.values())
    html = page_text(as_user(world, "cw").get(f"/cases/{case.pk}/protection/"))
    shown = [html.index((TODAY + dt.timedelta(days=d)).isoformat()) for d in days.values()]
    assert shown == sorted(shown)


def test_the_favicon_is_served_without_a_sign_in() -> None:
    res = Client().get("/favicon.ico")
    if res.status_code == 301:
        assert res["Location"].endswith("/static/web/favicon.ico")
        res = Client().get(res["Location"])
    assert res.status_code == 200
    assert b"".join(res.streaming_content if res.streaming else [res.content])[:4] == (
        b"\x00\x00\x01\x00"  # an icon file
    )


# The English a French or Spanish case page showed, or could show: every word here is a label
# of the page. Codes and people's own words (places, names, reasons typed) are not checked.
ENGLISH = [
    "Lifecycle",
    "History",
    "Care plan",
    "Drafted by",
    "Needs",
    "Due",
    "Family tracing",
    "Follow-up and wellbeing",
    "Re-trafficking risk",
    "Total change",
    "Before (baseline)",
    "Visit ",
    "Not yet",
    "Move to",
    "latest shown",
    "interviewed",
    "Sign out",
]
HAND_PLURAL = re.compile(r"\b1 (?:[a-z]+ )?(?:assessments|plans|visits|cases|times|interviews)\b")


@pytest.fixture
def busy_case(world: World, tmp_path: Any) -> Case:
    """A case with every section filled: the demo's histories (plans, visits, proceedings)."""
    from lantern.demo.histories import seed_workflows

    rows = [factories.record(i) for i in range(6)]
    for r in rows:  # a closed history runs through every section
        r["cas_Status"], r["cas_Outcome"] = "Closed", "reunited_with_family"
    factories.import_records(rows, tmp_path)
    seed_workflows(fraction=1.0)
    case = Case.objects.filter(
        visits__kind="visit", visits__done_at__isnull=False, care_plans__isnull=False
    ).first()
    assert case is not None
    return case


def _interviewed_often(world: World) -> Case:
    """A case whose child was interviewed three times in one proceeding (over the limit): the page
    warns with the count."""
    case = new_case(world)
    c = as_user(world, "sup")
    res = post(c, case, "legal", **{"legal-kind": "prosecution", "legal-accompaniment": "aunt"})
    assert res.status_code == 302, page_text(res)[:2000]
    lp = case.legal_proceedings.order_by("-id").first()
    assert lp is not None
    for day in (1, 2, 3):
        res = post(
            c,
            case,
            "legal_event",
            row=str(lp.pk),
            **{
                f"legal_event{lp.pk}-kind": "interview",
                f"legal_event{lp.pk}-held_on": (TODAY - dt.timedelta(days=day)).isoformat(),
                f"legal_event{lp.pk}-accompanied": "yes",
                f"legal_event{lp.pk}-accompanied_by": "social worker",
            },
        )
        assert res.status_code == 302, re.findall(r"errorlist.{0,300}", page_text(res))
    return case


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_case_page_has_no_english_and_no_hand_made_plurals(
    world: World, busy_case: Case, lang: str
) -> None:
    c = as_user(world, "sup")
    pages = [f"/cases/{case.pk}/protection/" for case in (busy_case, _interviewed_often(world))]
    english = "".join(page_text(c.get(url, HTTP_ACCEPT_LANGUAGE="en")) for url in pages)
    assert [w for w in ENGLISH if w not in english] == ["latest shown"]  # the list is real
    for url in pages:
        html = page_text(c.get(url, HTTP_ACCEPT_LANGUAGE=lang))
        text = re.sub(r"<[^>]+>", " ", html)
        assert f'<html lang="{lang}">' in html
        assert [w for w in ENGLISH if w in text] == [], url
        assert HAND_PLURAL.findall(text) == [], url


@pytest.mark.parametrize(
    ("lang", "one_case", "nobody"),
    [
        ("fr", "1 dossier ouvert ;", "(sans responsable)"),
        ("es", "1 caso abierto;", "(sin responsable)"),
    ],
)
def test_the_caseload_counts_in_the_readers_language_with_its_plurals(
    world: World, lang: str, one_case: str, nobody: str
) -> None:
    new_case(world)  # one open case, its owner unset until a supervisor assigns it
    Case.objects.update(owner=None)
    html = page_text(as_user(world, "sup").get("/caseload/", HTTP_ACCEPT_LANGUAGE=lang))
    assert one_case in html and "open cases" not in html and "1 care plans" not in html
    assert nobody in html and "(unassigned)" not in html
