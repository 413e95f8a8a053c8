"""The network around a perpetrator or a case: the other children's cases only as far as the
reader's case scope goes (the rest counted), the evidence behind each link, the organised-crime
flag with its reasons, and the graph analysis behind it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from lantern.errors import Invalid, NotAllowed
from lantern.monitoring import mart
from lantern.monitoring.dashboard import routes as map_routes
from lantern.perpetrators import graph, network, routes, service
from lantern.perpetrators.enrol import enrol_unlinked
from lantern.perpetrators.models import Perpetrator
from tests import factories
from tests.perpetrators.conftest import World, _actors

pytestmark = pytest.mark.django_db


def _one_person(world: World) -> None:
    """The shelter's "uncle" is the police's "broker" (a reader of the register decides)."""
    keep = world.record_of("ngo-one", "UNCLE")
    service.merge(world.users["supervisor"], keep, world.record_of("police-two", "BROKER-9"))


def test_the_network_of_a_case_shows_the_cases_one_may_see_and_counts_the_others(
    world: World,
) -> None:
    _one_person(world)
    sup = world.users["supervisor"]  # the shelter's: sees its own two cases
    net = network.around_case(sup, world.shelter_cases[0])
    shown = {n.label for n in net.nodes if n.kind == "case"}
    assert shown == {c.reference for c in world.shelter_cases}
    assert world.police_case.reference not in str(net.edges) + str(net.nodes)
    assert net.hidden_cases == 1 and net.cases == 3 and net.perpetrators == 2
    role_edges = [e for e in net.edges if e.kind == "role"]
    assert any("Recruiter" in e.evidence and "UNCLE" in e.evidence for e in role_edges)
    assert any(e.kind == "route" for e in net.edges)  # Sindhupalchok to Raxaul to Mumbai
    # one rule, the core's (lantern.networks.flags, UNTOC art. 2(a)): Louvain keeps the
    # officer of the police case apart, and one person is not the group of three an organised
    # group needs (the register's own rule, two signs of four, flagged it: it is gone)
    assert not net.flagged
    assert net.communities == 2 == len(net.groups) and net.groups[0].centre
    text = " ".join(net.reasons)
    assert "Perpetrators known: 1" in text and "Children's cases: 3" in text
    assert (
        "Cases with a border crossed" in text and "Recruiter or intermediary, Transporter" in text
    )
    assert "recruiter" not in text and "not_organised" not in text  # never a code
    assert AuditEntry.objects.filter(resource="network", username="sup").exists()


def test_the_police_liaison_sees_the_police_case_only(world: World) -> None:
    _one_person(world)
    lia = world.users["liaison"]
    record = world.record_of("police-two", "OFFICER-2")
    token = factories.api_token(lia.username)
    answer = Client().get(
        f"/api/perpetrators/{record.pk}/network", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert {n["label"] for n in body["nodes"] if n["kind"] == "case"} == {
        world.police_case.reference
    }
    assert body["hidden_cases"] == 2
    for case in world.shelter_cases:
        assert case.reference not in answer.content.decode()
    # a shelter case it may not view: its network is as if the case did not exist
    other = Client().get(
        f"/api/cases/{world.shelter_cases[0].pk}/network", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert other.status_code == 404


def test_a_caseworker_gets_no_network(world: World) -> None:
    client = factories.verified_login(Client(), world.users["caseworker"])
    case = world.shelter_cases[0]
    assert client.get(f"/cases/{case.pk}/network/").status_code == 404
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "case-network-link" not in page and "report-link" in page


def test_the_drawing_fits_its_frame() -> None:
    edges = [("a", "b"), ("b", "c"), ("c", "k"), ("k", "d")]
    nodes = sorted({n for e in edges for n in e})
    pos = graph.layout(nodes, edges, 200, 100)
    assert set(pos) == set(nodes)
    assert all(0 <= x <= 200 and 0 <= y <= 100 for x, y in pos.values())


def test_the_routes_table_counts_only_the_cases_one_may_see(world: World) -> None:
    _one_person(world)
    sup = world.users["supervisor"]
    net = network.around_case(sup, world.shelter_cases[0])
    assert net.routes and sum(r.victims for r in net.routes) == 2  # the police case: not a victim
    row = net.routes[0]
    assert row.border_crossing and row.countries[0] == "NPL" and row.victims == 2
    assert "Sindhupalchok" in row.origin
    # the liaison sees the police case's route only: once for each network that touches it
    mapped = routes.register_routes(world.users["liaison"])
    assert [r.victims for r in mapped] == [1, 1] and len({r.network for r in mapped}) == 2
    assert AuditEntry.objects.filter(resource="network", record_id="routes").exists()
    client = factories.verified_login(Client(), sup)
    page = client.get(f"/cases/{world.shelter_cases[0].pk}/network/").content.decode()
    assert 'id="routes-table"' in page and "Sindhupalchok" in page


def test_the_routes_are_the_register_readers_only(world: World) -> None:
    from lantern.errors import NotFound

    with pytest.raises(NotFound):
        routes.register_routes(world.users["caseworker"])


def test_the_corridors_of_organised_networks_reach_the_monitoring_map(
    tmp_path: Path, fast_passwords: None, settings: Any
) -> None:
    """Three traffickers on two children's journeys from Nepal to India, one of them a corrupt
    official: three roles, an official and a border make the rule's three signs. The monitoring
    map gets the corridor as a count, published (2 is withheld), never a name or a case."""
    settings.VAR_DIR = tmp_path / "var"
    factories.agency("ngo-x")
    rows = [factories.record(i, "ngo-x") for i in (11, 12)]
    for row in rows:
        row["per_Actors"] = _actors(
            ("A-1", "recruiter", "Acquainted"),
            ("B-2", "transporter", ""),
            ("C-3", "corrupt_official", ""),
        )
    factories.import_records(rows, tmp_path)
    enrol_unlinked()
    counts, agencies = routes.organised_corridors()
    assert counts == {("NPL", "IND", "cross_border"): 2} and agencies == ("ngo-x",)
    # the page reads the mart's build, which ran the analysis once; before it, there is none
    coordinator = factories.user("nc", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)
    with pytest.raises(Invalid):
        map_routes.organised_corridors(coordinator)
    built = mart.build()
    assert built.organised == ((("NPL", "IND", "cross_border"), 2),)
    assert mart.info() == built  # the manifest keeps them
    table = map_routes.organised_corridors(coordinator)
    assert [(c.values, c.count, c.suppressed) for c in table.cells] == [
        (("NPL", "IND", "cross_border"), 2, True)  # below 5: withheld, as every figure
    ]
    assert table.unit == "cases" and table.provenance.agencies == ("ngo-x",)
    assert table.provenance.built_at == built.built_at  # as of the build, not of this view
    assert AuditEntry.objects.filter(resource="statistics", record_id="organised_networks").exists()
    with pytest.raises(NotAllowed):  # a caseworker reads no statistics
        map_routes.organised_corridors(factories.user("cw", Role.CASEWORKER))


def test_a_network_names_only_the_records_the_policy_lets_the_reader_view(world: World) -> None:
    """Names come from the policy's scoped register: a role without ("perpetrator", "view")
    gets none, a register reader gets each record's reference and first name."""
    people = {
        world.record_of("ngo-one", "UNCLE").pk,
        world.record_of("police-two", "BROKER-9").pk,
    }
    assert network._names(world.users["caseworker"], people) == {}
    named = network._names(world.users["supervisor"], people)
    assert set(named) == people
    refs = {p.pk: p.reference for p in Perpetrator.objects.filter(pk__in=people)}
    assert all(named[pk].startswith(refs[pk]) for pk in people)
