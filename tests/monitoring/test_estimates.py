"""Estimates from Lantern's own data: the mart's capture histories, MSE, and provenance."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html as html_text
import json
import re

import pyarrow.parquet as pq
import pytest

from lantern.accounts.models import Role
from lantern.cases.importing import import_file
from lantern.cases.models import Case, Person
from lantern.estimation import CaptureTable
from lantern.estimation.heterogeneity import Heterogeneity, fit_heterogeneity
from lantern.linkage.models import LinkRun, MatchPair, PersonLink, ReviewDecision
from lantern.monitoring import mart
from lantern.monitoring.agreement import Agreement
from lantern.monitoring.estimates import EstimateRequest, EstimateRequestError, estimate_from_mart
from lantern.monitoring.visibility import page_range
from lantern.recordlinkage.quality import linkage_quality
from lantern.simulation import SimulationConfig, write
from tests import factories

pytestmark = pytest.mark.django_db

#: 3,000 children on four lists, each child's visibility shared by all of them (logit-normal,
#: spread 1): dga gives 2,261-2,540, Gamma3.5's high is 4,034.
HETEROGENEOUS = {
    (1, 0, 0, 0): 180, (0, 1, 0, 0): 229, (1, 1, 0, 0): 68, (0, 0, 1, 0): 271, (1, 0, 1, 0): 67,
    (0, 1, 1, 0): 86, (1, 1, 1, 0): 45, (0, 0, 0, 1): 312, (1, 0, 0, 1): 88, (0, 1, 0, 1): 124,
    (1, 1, 0, 1): 50, (0, 0, 1, 1): 140, (1, 0, 1, 1): 53, (0, 1, 1, 1): 75, (1, 1, 1, 1): 66,
}  # fmt: skip


@pytest.fixture
def world(tmp_path, settings):
    """An independent-capture world loaded through import, linked perfectly from the truth."""
    cfg = SimulationConfig(
        seed=5, children=1500, agencies=4, scenario="mekong", capture="independent"
    )
    return load_perfectly_linked(tmp_path, settings, cfg)


def load_perfectly_linked(tmp_path, settings, cfg: SimulationConfig):
    """A simulated world imported as a coordinator and linked from its truth (one PersonLink
    cluster per true child): (its folder, its summary)."""
    settings.VAR_DIR = tmp_path / "var"
    out = tmp_path / "sim"
    summary = write(cfg, out)
    coord = factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)
    report = import_file(out / "records.parquet", coord)
    assert not report.errors
    truth = pq.read_table(out / "truth.parquet").to_pylist()
    true_id = {(t["agency"], t["source_record_id"]): t["true_person_id"] for t in truth}
    run = LinkRun.objects.create(
        threshold=0.9, review_floor=0.3, finished_at=dt.datetime.now(dt.UTC)
    )
    PersonLink.objects.bulk_create(
        PersonLink(person_id=pid, cluster_key=f"child-{true_id[(agency, srid)]}", run=run)
        for pid, agency, srid in Case.objects.values_list(
            "person_id", "agency__code", "source_record_id"
        )
    )
    return out, summary


def _histories(path):
    with open(path) as fh:
        rows = list(csv.DictReader(fh))
    lists = [c for c in rows[0] if c != "count"]
    return lists, {tuple(int(r[c]) for c in lists): int(r["count"]) for r in rows}


def test_mart_has_no_identifying_columns_and_uses_link_keys(world):
    info = mart.build()
    table = pq.read_table(info.path)
    forbidden = {"given_name", "family_name", "birthdate", "identity_number", "home_city"}
    assert not forbidden & set(table.column_names)
    assert info.linked_cases == info.cases == Case.objects.count()
    # Keys are keyed hashes: the same linked child keeps one key, and no mart key is an
    # operational key (case reference, person id or link cluster) anyone could look up.
    person_keys = table.column("person_key").to_pylist()
    clusters = dict(PersonLink.objects.values_list("person_id", "cluster_key"))
    by_cluster: dict[str, set[str]] = {}
    pseudonym = mart.pseudonymiser()
    person_of = {
        pseudonym("case", reference): person
        for reference, person in Case.objects.values_list("reference", "person_id")
    }
    rows = table.column("case_key").to_pylist()
    for person_id, key in (
        (person_of[case], key) for case, key in zip(rows, person_keys, strict=True)
    ):
        by_cluster.setdefault(clusters[person_id], set()).add(key)
    assert all(len(keys) == 1 for keys in by_cluster.values())
    assert len(set(person_keys)) == len(by_cluster)
    operational = set(Case.objects.values_list("reference", flat=True))
    operational |= {str(k) for k in Person.objects.values_list("key", flat=True)}
    operational |= set(clusters.values())
    mart_keys = set(person_keys) | set(table.column("case_key").to_pylist())
    assert not mart_keys & operational
    assert not any(k.split("-", 1)[1] in " ".join(operational) for k in mart_keys)
    assert pq.read_table(mart.build().path).column("case_key").to_pylist() == (
        table.column("case_key").to_pylist()
    )  # stable across builds


def test_the_mart_cannot_be_joined_back_to_case_ids(world):
    """Neither the keys nor the order of the rows lead back to the store without the
    installation's key: no key is a case's id, reference or an unkeyed hash of one, and the
    rows are not in the store's order."""
    table = pq.read_table(mart.build().path)
    keys = table.column("case_key").to_pylist()
    ids = list(Case.objects.order_by("id").values_list("id", "reference"))
    plain = set()
    for pk, reference in ids:
        for value in (str(pk), reference):
            plain |= {value, hashlib.sha256(value.encode()).hexdigest()[:32]}
            plain.add(hashlib.sha256(f"case\x00{value}".encode()).hexdigest()[:32])
    assert not {k.split("-", 1)[1] for k in keys} & plain
    assert keys == sorted(keys)  # the keyed hash's order, not the ids'
    pseudonym = mart.pseudonymiser()
    by_id = [pseudonym("case", reference) for _pk, reference in ids]
    assert by_id != keys  # only the installation's key maps a case to its row


def test_store_capture_histories_match_the_simulation_and_the_estimate_covers_the_truth(world):
    out, summary = world
    mart.build()
    # every person the simulator made (it counts children identified at 18 or over too)
    result = estimate_from_mart(EstimateRequest(method="main", population="all"))
    lists, expected = _histories(out / "capture_histories.csv")
    got = dict(result.table.rows())
    assert tuple(result.table.lists) == tuple(sorted(lists))
    reorder = [lists.index(a) for a in result.table.lists]
    assert got == {tuple(h[i] for i in reorder): n for h, n in expected.items()}
    true_n = summary["true_children"]
    assert result.total.interval.low <= true_n <= result.total.interval.high
    p = result.provenance
    assert p.lists == result.table.lists and "linkage run" in p.linkage
    assert any("lower bound" in w for w in p.warnings)


def test_strata_are_estimated_separately_and_summed(world):
    mart.build()
    result = estimate_from_mart(EstimateRequest(method="main", stratify_by="sex"))
    assert len(result.strata) >= 2
    assert result.total.observed == sum(e.observed for e in result.strata.values())
    assert result.total.estimate == pytest.approx(sum(e.estimate for e in result.strata.values()))


def test_without_linkage_the_lists_never_overlap_and_no_number_is_given(world):
    LinkRun.objects.all().delete()  # and with it every PersonLink
    info = mart.build()
    assert info.linked_cases == 0 and info.link_run is None
    # Lists that never overlap give no estimate: the model is not identifiable, or its MLE does
    # not exist (which check speaks first depends on the table; both refuse a number).
    with pytest.raises(EstimateRequestError, match=r"not identifiable|does not exist"):
        estimate_from_mart(EstimateRequest(method="main"))


def test_too_few_lists_are_refused(world):
    mart.build()
    two = tuple(Case.objects.values_list("agency__code", flat=True).distinct()[:2])
    with pytest.raises(EstimateRequestError, match="at least 3 lists"):
        estimate_from_mart(EstimateRequest(agencies=two))


def test_estimate_page_shows_the_figure_with_provenance(client, world):
    mart.build()
    analyst = factories.user("an", Role.ANALYST, agency_code=None, team=None)
    client.force_login(analyst)
    res = client.get("/statistics/estimate/?method=main&level=0.95&bootstrap=0")
    assert res.status_code == 200
    html = res.content.decode()
    assert 'id="provenance"' in html and "lower bound" in html
    # the range under varying visibility sits with the lower bound, its method in the
    # provenance; some 700 children on four lists are too few for Gamma3.5 to set an upper limit
    r = estimate_from_mart(EstimateRequest(method="main"))
    v = r.visibility
    assert v is not None and v.high is None and v.low == r.agreement.low <= r.total.estimate
    shown = html_text.unescape(html)
    assert (
        '<p class="explanation" id="estimate-visibility">If some children are much harder for '
        "every agency to find than others, these records set no upper limit on the number: "
        f"range under varying visibility, {round(v.low):,} and up.</p>"
    ) in shown
    assert "Rcapture's Mth Gamma3.5 model (Rivest and Baillargeon 2007)" in shown
    # the methods compared are named for the reader, never by their codes
    cells = re.findall(r'<td data-label="Method">([^<]*)</td>', html)
    assert cells[0] == "independent lists" and "model averaging" in cells
    assert not {"main", "dga", "stepwise"} & set(cells)
    assert "<dd>independent lists; interval:" in html
    worker = factories.user("cw", Role.CASEWORKER)
    factories.verified_login(client, worker)
    assert client.get("/statistics/estimate/").status_code == 404


def test_an_estimate_on_a_run_that_expects_missed_links_says_it_is_overstated(world):
    mart.build()
    perfect = estimate_from_mart(EstimateRequest(method="main"))
    assert not any("expected to cover" in w for w in perfect.provenance.warnings)
    # the run's own model expected its links to cover 40% of the pairs that belong together
    quality = linkage_quality(0.0004, 5000, [0.97] * 2000, threshold=0.9)
    LinkRun.objects.update(model={"quality": quality.to_dict()})
    info = mart.build()
    assert info.link_quality is not None
    assert mart.info().link_quality == info.link_quality  # kept in the manifest
    flagged = estimate_from_mart(EstimateRequest(method="main")).provenance.warnings
    assert "overstated" in flagged[0] and f"{quality.expected_recall:.0%}" in flagged[0]


def test_the_estimate_says_how_much_it_moves_when_uncertain_links_are_accepted(world):
    mart.build()
    settled = estimate_from_mart(EstimateRequest(method="main"))
    # no uncertain links: the sensitivity repeats the estimate, with no warning
    assert "accepting the uncertain links too" in settled.provenance.linkage
    assert f"estimate {settled.total.estimate:,.0f}" in settled.provenance.linkage
    assert not any("depends on the record linkage" in w for w in settled.provenance.warnings)

    # the run scored 400 pairs of records of *different* children (different agencies) at
    # p = 0.6: accepted, they would make those children one each and inflate the overlaps
    run = LinkRun.objects.get()
    by_agency: dict[str, list[int]] = {}
    for person, agency in Case.objects.values_list("person_id", "agency__code").order_by("id"):
        by_agency.setdefault(agency, []).append(person)
    first, second = list(by_agency.values())[:2]
    pairs = [(a, b) for a, b in zip(first, second, strict=False)][:400]
    MatchPair.objects.bulk_create(
        MatchPair(run=run, person_a_id=a, person_b_id=b, probability=0.6, linked=False)
        for a, b in pairs
    )
    # a person decided the first pair are different children: it stays apart
    ReviewDecision.objects.create(person_a_id=pairs[0][0], person_b_id=pairs[0][1], same=False)
    table = pq.read_table(mart.build().path).to_pandas()
    loose = dict(zip(table["case_key"], table["person_key_loose"], strict=True))
    pseudonym = mart.pseudonymiser()
    ref = {
        person: pseudonym("case", reference)
        for person, reference in Case.objects.values_list("person_id", "reference")
    }
    assert loose[ref[pairs[0][0]]] != loose[ref[pairs[0][1]]]
    assert loose[ref[pairs[1][0]]] == loose[ref[pairs[1][1]]]
    moved = estimate_from_mart(EstimateRequest(method="main"))
    assert moved.total.estimate == pytest.approx(settled.total.estimate)  # links made: same
    assert "depends on the record linkage" in moved.provenance.warnings[0]


def test_by_default_only_children_screened_victims_are_counted(world):
    mart.build()
    everyone = estimate_from_mart(EstimateRequest(method="main", population="all"))
    children = estimate_from_mart(EstimateRequest(method="main"))
    table = pq.read_table(mart.info().path).to_pandas()
    # a person is left out only when some record gives an age and none says under 18
    per_child = table.groupby("person_key")["age_category"].agg(set)
    child_bands = {"child_0_11", "child_12_14", "child_15_17", "minor_age_unknown"}
    adults = sum(1 for cats in per_child if not cats & child_bands and cats - {""})
    assert adults > 0
    assert children.table.observed == everyone.table.observed - adults
    # one more child screened "not a victim" by every agency that recorded them: left out
    chosen = next(k for k, cats in per_child.items() if cats & child_bands)
    refs = set(table.loc[table["person_key"] == chosen, "case_key"])
    pseudonym = mart.pseudonymiser()
    cases = [c for c in Case.objects.all() if pseudonym("case", c.reference) in refs]
    assert cases
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(
        trafficking_status="NotAVictimOfTrafficking"
    )
    mart.build()
    rebuilt = pq.read_table(mart.info().path).to_pandas()
    assert set(rebuilt.loc[rebuilt["person_key"] == chosen, "trafficking_status"]) == {
        "NotAVictimOfTrafficking"
    }
    fewer = estimate_from_mart(EstimateRequest(method="main"))
    assert fewer.table.observed == children.table.observed - 1
    assert "adults and those screened not victims are left out" in fewer.provenance.scope


def test_the_recommended_method_is_explained_and_the_methods_agreement_is_one_message(world):
    mart.build()
    result = estimate_from_mart(EstimateRequest())
    assert result.method == "dga" and result.total.method == "dga"  # four lists
    assert "Model averaging" in result.explanation
    labels = [f.label for f in result.agreement.figures]
    assert labels[0] == "model averaging" and "stepwise log-linear" in labels  # names, not codes
    a = result.agreement
    if a.agree:
        assert a.message.startswith("The methods agree")
        assert (a.low, a.high) == (result.total.interval.low, result.total.interval.high)
    else:
        assert a.message.startswith("The methods disagree")
        assert a.low == min(f.low for f in a.figures) and a.high == max(f.high for f in a.figures)


def test_a_sum_of_strata_that_disagrees_with_the_whole_says_so_with_the_range():
    from lantern.monitoring.agreement import Figure, judge

    strata = Figure("main", 15348, 14181, 16515)
    whole = Figure("main, all strata together", 19538, 18900, 20200)
    verdict = judge(strata, [whole], 0.95)
    assert not verdict.agree
    assert (verdict.low, verdict.high) == (14181, 20200)
    assert (
        "disagree" in verdict.message
        and "14,181" in verdict.message
        and "20,200" in verdict.message
    )
    agree = judge(strata, [Figure("dga", 16000, 15000, 17000)], 0.95)
    assert agree.agree and (agree.low, agree.high) == (14181, 16515)


def test_stratified_figures_are_compared_with_the_whole(world):
    mart.build()
    result = estimate_from_mart(EstimateRequest(method="main", stratify_by="sex"))
    labels = [f.label for f in result.agreement.figures]
    assert "independent lists, all strata together" in labels


def test_the_api_gives_the_page_figure_and_message_to_those_who_may_see_statistics(client, world):
    client.force_login(factories.user("an", Role.ANALYST, agency_code=None, team=None))
    early = client.get("/api/statistics/estimate")  # no mart yet: the data's precondition
    assert early.status_code == 409 and "lantern mart build" in early.json()["detail"]
    mart.build()
    expected = estimate_from_mart(EstimateRequest())
    res = client.get("/api/statistics/estimate")
    assert res.status_code == 200, res.content
    data = res.json()
    assert data["method"] == "dga" and data["estimate"] == pytest.approx(expected.total.estimate)
    assert data["message"] == expected.agreement.message
    assert (data["range_low"], data["range_high"]) == (
        expected.agreement.low,
        expected.agreement.high,
    )
    assert data["interval"]["level"] == 0.95
    assert "adults and those screened not victims are left out" in data["scope"]
    assert expected.visibility is not None
    vis = data["visibility_range"]
    assert vis == expected.visibility.to_dict()
    assert vis["low"] <= data["estimate"] and (vis["high"], vis["bounded"]) == (None, False)
    assert "no upper limit" in vis["message"] and "Mth Gamma3.5" in vis["method"]
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert "visibility_range" in schema["EstimateOut"]["properties"]
    assert {"low", "high", "level", "message", "method"} <= set(
        schema["VisibilityOut"]["properties"]
    )
    bad = client.get("/api/statistics/estimate?level=1.5")
    assert bad.status_code == 422 and "level" in json.dumps(bad.json()["detail"])
    assert client.get("/api/statistics/estimate?population=adults").status_code == 422
    worker = factories.user("cw", Role.CASEWORKER)
    factories.verified_login(client, worker)
    assert client.get("/api/statistics/estimate").status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"method": "lcmcr", "stratify_by": "sex"}, "method"),  # seconds a table, once a page
        ({"method": "recommended", "bootstrap": "50"}, "bootstrap"),  # its own interval
        ({"method": "dga", "bootstrap": "50"}, "bootstrap"),
    ],
)
def test_the_form_refuses_work_a_page_should_not_do(data, field):
    from lantern.monitoring.forms import EstimateForm

    form = EstimateForm({"level": "0.95", **data})
    assert not form.is_valid() and field in form.errors


def test_the_form_proposes_the_recommended_method_and_children():
    from lantern.monitoring.forms import EstimateForm

    form = EstimateForm({"level": "0.95"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["method"] == "recommended"
    assert form.cleaned_data["population"] == "children"


def test_the_page_range_reaches_gammas_high_where_it_has_one():
    """Enough children, visibility varying: the sentence gives how high the number could be."""
    table = CaptureTable.from_histories(("A", "B", "C", "D"), list(HETEROGENEOUS.items()))
    shown = Agreement(True, 2261.0, 2540.0, (), "")
    r = page_range(table, shown, 0.95)
    assert r is not None and r.high is not None
    high = fit_heterogeneity(table, Heterogeneity.GAMMA35).high
    assert (r.low, r.high) == (2261.0, pytest.approx(high)) and high > 3000 > 2540
    assert r.message == (
        "If some children are much harder for every agency to find than others, the number "
        f"could be as high as {round(r.high):,}; range under varying visibility: "
        f"2,261–{round(r.high):,} (a range to test the figure against, not a confidence "
        "interval)."
    )
    assert r.method.startswith("from the lowest figure shown to the 95% upper limit of ")
    assert r.to_dict()["bounded"] is True


def test_no_range_under_varying_visibility_where_gamma_cannot_be_fitted():
    """Lists that never overlap: Gamma3.5 has no estimate, so the page shows no range (its
    lower-bound warning stands alone) rather than a made-up one."""
    table = CaptureTable.from_histories(
        ("A", "B", "C"), [((1, 0, 0), 300), ((0, 1, 0), 280), ((0, 0, 1), 250)]
    )
    assert page_range(table, Agreement(True, 830.0, 900.0, (), ""), 0.95) is None
