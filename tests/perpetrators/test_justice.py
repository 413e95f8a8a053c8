"""The justice chain: steps recorded against a register record, linked to the children's cases
and their legal track; GLOTIP's persons in formal contact, prosecuted and convicted by year and
sex, as a statistics Table; and the time from identification to verdict."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from lantern.cases.models import Case
from lantern.errors import Invalid, NotFound
from lantern.monitoring.statistics import justice as figures
from lantern.monitoring.statistics.table import Table, unit_title
from lantern.perpetrators import justice, service
from lantern.perpetrators.models import PerpetratorKind
from lantern.protection.legal import service as legal
from tests import factories
from tests.perpetrators.conftest import World

pytestmark = pytest.mark.django_db
D = dt.date


def _chain(world: World) -> None:
    """The police's broker: suspected, arrested, prosecuted, convicted and sentenced; the
    shelter's uncle (a woman here) only suspected; a placement agency (a business) prosecuted."""
    lia = world.users["liaison"]
    broker = world.record_of("police-two", "BROKER-9")
    service.add_identifiers(lia, broker, [("name", "Vikram S.")], sex="Masculine")
    case = [world.police_case.pk]
    for stage, day in (
        ("suspected", D(2024, 2, 1)),
        ("arrested", D(2024, 2, 3)),
        ("prosecuted", D(2024, 6, 1)),
        ("convicted", D(2025, 3, 1)),
    ):
        justice.record_step(lia, broker, stage=stage, date=day, case_ids=case)
    justice.record_step(
        lia, broker, stage="sentenced", date=D(2025, 3, 1), case_ids=case, sentence_months=96
    )
    uncle = world.record_of("ngo-one", "UNCLE")
    service.add_identifiers(world.users["supervisor"], uncle, [], sex="Feminine")
    justice.record_step(world.users["supervisor"], uncle, stage="suspected", date=D(2024, 5, 5))
    official = world.record_of("police-two", "OFFICER-2")
    service.add_identifiers(lia, official, [], kind=PerpetratorKind.BUSINESS)
    justice.record_step(lia, official, stage="charged", date=D(2024, 7, 1))
    justice.record_step(lia, official, stage="prosecuted", date=D(2024, 8, 1))


def test_glotip_counts_persons_once_per_indicator_by_sex(world: World) -> None:
    _chain(world)
    table = figures.justice_table(2024)
    assert isinstance(table, Table)
    cells = {c.values: c.count for c in table.cells}
    contact = "Persons brought into formal contact"
    assert cells[(contact, "Male")] == 1  # suspected and arrested: one person
    assert cells[(contact, "Female")] == 1
    assert cells[(contact, "Other")] == 1  # a business, a legal person
    assert cells[("Persons prosecuted", "Male")] == 1
    assert cells[("Persons prosecuted", "Other")] == 1
    assert cells[("Persons convicted", "Male")] == 0  # convicted the next year
    assert table.total == 3 and table.provenance.period == "2024"
    assert figures.justice_table(2025).cells[-4:][1].count == 1  # convicted, Male, in 2025
    assert sorted(table.provenance.agencies) == ["ngo-one", "police-two"]


def test_time_from_identification_to_verdict(world: World) -> None:
    _chain(world)
    broker = world.record_of("police-two", "BROKER-9")
    found = D(2023, 11, 20)  # the child the broker trafficked, identified before the chain
    Case.objects.filter(pk=world.police_case.pk).update(
        registration_date=found, registration_date_precision="day"
    )
    seen = service.detail(world.users["liaison"], broker)
    assert seen.days_to_verdict == (D(2025, 3, 1) - found).days == 467
    assert [s.stage for s in seen.justice][-1] == "sentenced"
    assert justice.median_days_to_verdict(2025) == 467.0
    assert "467" in figures.verdict_time(2025)
    # a child known only by the year of identification: from the chain's first step instead
    Case.objects.filter(pk=world.police_case.pk).update(registration_date_precision="year")
    assert service.detail(world.users["liaison"], broker).days_to_verdict == 394


def test_justice_figures_leave_through_the_one_publish_step(world: World) -> None:
    _chain(world)
    table = figures.justice_table(2024)  # the default threshold, 5: every count here is small
    assert table.unit == "persons"
    rows = figures.justice_rows(table)
    assert {r["txtVALUE"] for r in rows} <= {"<5", "0"}
    assert any(r["txtVALUE"] == "<5" for r in rows)
    assert "withheld" in table.provenance.suppression
    assert table.total_suppressed  # 3 persons: the grand total is small too
    # the distinct totals: one man in contact and prosecuted is one man in the sex's total
    raw = figures.count_table(2024)
    assert raw.margin((None, "Male")) is not None and raw.margin((None, "Male")).count == 1
    assert raw.margin(("Persons prosecuted", None)).count == 2  # type: ignore[union-attr]
    open_ = figures.justice_table(2024, threshold=0)
    assert "threshold 0" in open_.provenance.suppression
    assert {c.values: c.count for c in open_.cells}[("Persons prosecuted", "Other")] == 1


def test_persons_is_a_unit_of_its_own(world: World) -> None:
    _chain(world)
    table = figures.justice_table(2024, threshold=0)
    assert unit_title(table.unit) == "Persons"
    assert "Persons" in table.labelled()[0]
    assert table.labelled()[0]["Indicator (UNODC)"] == "Persons brought into formal contact"


def test_stats_justice_command_withholds_and_says_so(world: World, cli: Any) -> None:
    _chain(world)
    out = cli("stats", "justice", "--year", "2024")
    assert out.exit_code == 0, out.output
    assert "<5" in out.output and "\t1\n" not in out.output
    assert "Suppression: counts below 5 withheld" in out.output
    assert "Unit: distinct persons" in out.output
    shown = cli("stats", "justice", "--year", "2024", "--threshold", "0", "--json")
    assert shown.exit_code == 0, shown.output
    body = json.loads(shown.output)
    assert body["unit"] == "persons" and body["total"] == 3
    assert "threshold 0" in body["provenance"]["suppression"]
    assert {r["txtVALUE"] for r in body["rows"]} == {"0", "1"}


def test_steps_link_the_childs_legal_track_and_refuse_bad_input(world: World) -> None:
    sup = world.users["supervisor"]
    uncle = world.record_of("ngo-one", "UNCLE")
    case = world.shelter_cases[0]
    proceeding = legal.open_proceeding(world.users["caseworker"], case, kind="prosecution")
    step = justice.record_step(
        sup,
        uncle,
        stage="charged",
        date=D(2024, 9, 1),
        case_ids=[case.pk],
        proceeding_ids=[proceeding.pk],
    )
    assert list(step.legal_proceedings.all()) == [proceeding]
    with pytest.raises(Invalid) as bad:  # a case that does not name this perpetrator
        justice.record_step(
            sup, uncle, stage="charged", date=D(2024, 9, 1), case_ids=[world.police_case.pk]
        )
    assert bad.value.field == "case_ids"
    with pytest.raises(Invalid) as bad:
        justice.record_step(
            sup, uncle, stage="charged", date=dt.date.today() + dt.timedelta(days=3)
        )
    assert bad.value.field == "date"
    with pytest.raises(Invalid) as bad:
        justice.record_step(sup, uncle, stage="charged", date=D(2024, 9, 1), sentence_months=12)
    assert bad.value.field == "sentence_months"
    with pytest.raises(NotFound):
        justice.record_step(world.users["caseworker"], uncle, stage="charged", date=D(2024, 9, 1))
    token = factories.api_token(sup.username)
    answer = Client().post(
        f"/api/perpetrators/{uncle.pk}/justice-steps",
        {"stage": "verdict-ish", "date": "2024-09-01"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert answer.status_code == 422 and answer.json()["field"] == "stage"


def test_the_stats_justice_command(world: World, cli: Any) -> None:
    _chain(world)
    result = cli("stats", "justice", "--year", "2024", "--json", "--threshold", "0")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert {
        "Indicator": "Persons prosecuted",
        "Sex": "Other",
        "Year": "2024",
        "txtVALUE": "1",
    } in rows
    Case.objects.filter(pk=world.police_case.pk).update(
        registration_date=D(2023, 11, 20), registration_date_precision="day"
    )
    text = cli("stats", "justice", "--year", "2025", "--threshold", "0")
    assert "Persons convicted\tMale\t2025\t1" in text.output
    assert "467 days" in text.output  # from the child's identification to the verdict


def test_the_indicators_and_sexes_are_glotips_own() -> None:
    """UNODC's file names the three justice indicators and the sexes exactly as we write them."""
    import csv
    import gzip

    from tests.paths import REFERENCE

    path = REFERENCE / "real" / "unodc_data_glotip_2025-04-14.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    indicators = {r["Indicator"] for r in rows}
    assert set(figures.INDICATORS) <= indicators
    sexes = {r["Sex"] for r in rows if r["Indicator"] in figures.INDICATORS}
    assert {s or "Unknown" for s in figures.SEXES} <= sexes | {"Unknown"}
    assert {"Female", "Male", "Other"} <= sexes
