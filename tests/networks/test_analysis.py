"""Network analysis recovers a planted structure: two groups, one broker between them."""

from __future__ import annotations

import pytest

from lantern.networks import GraphInputError, Journey, Link, analyse


def _group(prefix: str, cases: int, border: bool) -> list[Link]:
    """Four perpetrators who all take part in each of ``cases`` children's cases."""
    links = []
    roles = ("recruiter", "transporter", "exploiter", "corrupt_official" if border else "exploiter")
    for c in range(cases):
        for p, role in enumerate(roles):
            links.append(
                Link(
                    perpetrator=f"{prefix}{p}",
                    case=f"{prefix}-case-{c}",
                    role=role,
                    place=f"{prefix}-town",
                    border_crossing=border and role in ("transporter", "corrupt_official"),
                    evidence=f"rec-{prefix}{p}-{c}",
                )
            )
    return links


def _planted() -> tuple[list[Link], list[Journey]]:
    links = _group("a", 6, border=True) + _group("b", 5, border=False)
    # the broker buys children from both groups: one case each
    links += [
        Link("broker", "a-case-0", "exploiter", evidence="police-1"),
        Link("broker", "b-case-0", "exploiter", evidence="shelter-9"),
    ]
    journeys = [
        Journey(f"a-case-{c}", "Nuwakot, NPL", "Mumbai, IND", ("Birgunj, NPL",), ("bus",), True)
        for c in range(6)
    ] + [
        Journey(f"b-case-{c}", "Makwanpur, NPL", "Kathmandu, NPL", (), ("car",), False)
        for c in range(5)
    ]
    return links, journeys


def test_two_groups_are_two_networks_and_the_broker_bridges_them() -> None:
    links, journeys = _planted()
    result = analyse(links, journeys, seed=3)
    a = {result.network_of[f"a{p}"] for p in range(4)}
    b = {result.network_of[f"b{p}"] for p in range(4)}
    assert len(a) == 1 and len(b) == 1 and a != b
    (net_a,) = a
    network_a = result.network(net_a)
    assert network_a.cases == tuple(sorted(f"a-case-{c}" for c in range(6)))
    # the broker has the highest betweenness of all, and reaches the other network
    top = max(result.centrality, key=result.centrality.__getitem__)
    assert top == "broker"
    home = result.network(result.network_of["broker"])
    (broker,) = [b for b in home.brokers if b.perpetrator == "broker"]
    assert broker.cases == 2 and len(broker.networks_reached) == 1
    # a case both touch belongs to both networks
    assert len(result.networks_of_case("a-case-0")) == 2
    assert result.networks_of_case("a-case-1") == (net_a,)


def test_the_same_links_give_the_same_networks() -> None:
    links, journeys = _planted()
    first, second = (
        analyse(links, journeys, seed=5),
        analyse(list(reversed(links)), journeys, seed=5),
    )
    assert first.network_of == second.network_of
    assert first.networks == second.networks


def test_corridors_count_victims_and_transport_per_network() -> None:
    links, journeys = _planted()
    result = analyse(links, journeys)
    net_a = result.network_of["a0"]
    (corridor,) = [c for c in result.corridors if c.network == net_a]
    assert corridor.as_row() == {
        "network": net_a,
        "origin": "Nuwakot, NPL",
        "transit": "Birgunj, NPL",
        "destination": "Mumbai, IND",
        "victims": 6,
        "transport": "bus",
        "border_crossing": True,
    }


def test_the_neighbourhood_of_a_case_shows_the_evidence_of_each_edge() -> None:
    links, journeys = _planted()
    result = analyse(links, journeys)
    around = result.around("case", "b-case-0", radius=1)
    people = {n.id for n in around.nodes if n.kind == "perpetrator"}
    assert people == {"b0", "b1", "b2", "b3", "broker"}
    edge = next(e for e in around.edges if ("perpetrator", "broker") in (e.source, e.target))
    assert edge.roles == ("exploiter",) and edge.evidence == ("shelter-9",)
    places = {n.id for n in around.nodes if n.kind == "place"}
    assert places == {"Makwanpur, NPL", "Kathmandu, NPL"}
    with pytest.raises(KeyError):
        result.around("case", "nobody")


def test_a_link_without_a_case_is_refused_with_its_number() -> None:
    with pytest.raises(GraphInputError, match="link 2 names no perpetrator or no case"):
        analyse([Link("p", "c"), Link("q", " ")])


def test_no_links_give_no_networks() -> None:
    result = analyse([])
    assert result.networks == () and result.corridors == () and result.network_of == {}
