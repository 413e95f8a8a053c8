"""A scenario compiled into arrays for one run: what every block of children draws from.

Compiling once keeps the per-child work vectorised (numpy) and makes the trafficking networks
global: a network built here reaches children in every block, and a few networks are large.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from lantern.simulation.config import SimulationConfig
from lantern.simulation.naming import zipf_cumulative
from lantern.simulation.scenario import AgencySpec, NamePool, Place, Scenario, load_scenario

#: Random streams: each is seeded by (seed, stream, index) so that adding draws to one part of
#: the model never shifts another's numbers.
STREAM_NETWORKS = 1
STREAM_CHILDREN = 2
STREAM_RECORDS = 3

#: Roles of a network's members, in the order their actor numbers are laid out.
NETWORK_ROLES: tuple[str, ...] = (
    "recruiter",
    "transporter",
    "exploiter",
    "document_forger",
    "corrupt_official",
)
#: Villages (localities) per home district; children are spread over them (Zipf, q = 5).
VILLAGES_PER_DISTRICT = 40

#: A network expected to reach this many children counts as organised crime.
ORGANISED_CRIME_SIZE = 100


@dataclass(frozen=True)
class Networks:
    """Trafficking networks: their kind, expected reach and members per role."""

    kind: NDArray[np.int64]
    expected_size: NDArray[np.float64]
    members: NDArray[np.int64]  # (networks, roles)
    first_actor: NDArray[np.int64]  # (networks, roles): global number of the first member
    cum_weight_by_kind: list[NDArray[np.float64]]
    ids_by_kind: list[NDArray[np.int64]]

    @property
    def count(self) -> int:
        return int(self.kind.shape[0])


@dataclass(frozen=True)
class Model:
    config: SimulationConfig
    scenario: Scenario
    agencies: tuple[AgencySpec, ...]
    pool_names: tuple[str, ...]
    origin_pool: NDArray[np.int64]
    origin_country: NDArray[np.int64]
    origin_p: NDArray[np.float64]
    countries: tuple[str, ...]
    kind_p_f: NDArray[np.float64]
    kind_p_m: NDArray[np.float64]
    destinations: tuple[Place, ...]
    dest_country: NDArray[np.int64]
    kind_dest: list[NDArray[np.int64]]
    kind_dest_p: list[NDArray[np.float64]]
    progression: NDArray[np.float64]  # (kinds, 2 sexes [F, M], kinds)
    transit_country: NDArray[np.int64]
    age_values: NDArray[np.int64]
    age_p: NDArray[np.float64]
    vuln_codes: tuple[str, ...]
    vuln_p: NDArray[np.float64]
    relationship_codes: tuple[str, ...]
    relationship_p: NDArray[np.float64]
    recruitment_codes: tuple[str, ...]
    recruitment_p: NDArray[np.float64]
    control_codes: tuple[str, ...]
    control_p: NDArray[np.float64]  # (kinds, control codes)
    networks: Networks
    agency_country: NDArray[np.int64]
    agency_transit: NDArray[np.int64]  # -1 when the agency watches no transit point
    agency_base: NDArray[np.float64]
    agency_finds: NDArray[np.float64]  # (agencies, kinds) odds multipliers
    referral: NDArray[np.float64]  # (agencies, agencies)
    start_day: int
    end_day: int
    #: Per pool: cumulative Zipf-Mandelbrot probabilities of given_f, given_m and family names.
    name_cum: tuple[tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]], ...]
    #: Per origin district: the villages (localities) its children come from.
    origin_villages: tuple[tuple[str, ...], ...]

    @property
    def n_agencies(self) -> int:
        return len(self.agencies)


def day_number(d: date) -> int:
    """Days since 1970-01-01 of a date (the simulation's integer calendar)."""
    return (d - date(1970, 1, 1)).days


def _normalised(weights: list[float]) -> NDArray[np.float64]:
    w = np.asarray(weights, dtype=np.float64)
    total = w.sum()
    return w / total if total > 0 else np.full(len(w), 1.0 / len(w))


def _networks(scn: Scenario, cfg: SimulationConfig, kind_share: NDArray[np.float64]) -> Networks:
    """Networks per kind with Pareto (heavy-tailed) reach, so a few are large."""
    rng = np.random.default_rng([cfg.seed, STREAM_NETWORKS])
    kinds, sizes = [], []
    ids_by_kind, cum_by_kind = [], []
    next_id = 0
    for k, share in enumerate(kind_share):
        expected_children = cfg.children * float(share) * 1.4  # later episodes use networks too
        m = max(1, round(expected_children / scn.network_mean_size))
        w = rng.pareto(scn.network_tail, m) + 1.0
        size = expected_children * w / w.sum()
        kinds.append(np.full(m, k))
        sizes.append(size)
        ids_by_kind.append(np.arange(next_id, next_id + m))
        cum = np.cumsum(w)
        cum_by_kind.append(cum / cum[-1])
        next_id += m
    kind = np.concatenate(kinds).astype(np.int64)
    size = np.concatenate(sizes)
    members = np.stack(
        [
            1 + np.floor(size / 15),
            1 + np.floor(size / 40),
            1 + np.floor(size / 6),
            np.where(size >= 20, 1 + np.floor(size / 150), 0),
            np.where(size >= 60, 1 + np.floor(size / 200), 0),
        ],
        axis=1,
    ).astype(np.int64)
    flat = members.ravel()
    first = (np.cumsum(flat) - flat).reshape(members.shape)
    return Networks(kind, size, members, first, cum_by_kind, ids_by_kind)


def _name_cum(
    pool: NamePool,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    lists = (pool.given_f, pool.given_m, pool.family)
    return tuple(  # type: ignore[return-value]
        zipf_cumulative(len(names), *zipf) if names else np.zeros(0)
        for names, zipf in zip(lists, pool.zipf, strict=True)
    )


def _villages(place: Place, pool: NamePool) -> tuple[str, ...]:
    """A district's villages: a fixed draw from its tradition's localities (by place name)."""
    if not pool.villages:
        return (place.city,)
    key = zlib.crc32(f"{place.country}/{place.state}/{place.city}".encode())
    pick = np.random.default_rng(key).permutation(len(pool.villages))[:VILLAGES_PER_DISTRICT]
    return tuple(pool.villages[i] for i in sorted(pick.tolist()))


def compile_model(cfg: SimulationConfig) -> Model:
    """Compile the configured scenario, keeping its first ``cfg.agencies`` agencies."""
    scn = load_scenario(cfg.scenario)
    agencies = scn.agencies[: cfg.agencies]
    pool_names = tuple(dict.fromkeys(o.pool for o in scn.origins))
    countries: list[str] = []

    def cidx(code: str) -> int:
        if code not in countries:
            countries.append(code)
        return countries.index(code)

    origin_country = np.array([cidx(o.country) for o in scn.origins], dtype=np.int64)
    destinations: list[Place] = []
    kind_dest, kind_dest_p = [], []
    for kind in scn.kinds:
        idx = []
        for p in kind.destinations:
            destinations.append(p)
            idx.append(len(destinations) - 1)
        kind_dest.append(np.array(idx, dtype=np.int64))
        kind_dest_p.append(_normalised([p.weight for p in kind.destinations]))
    dest_country = np.array([cidx(p.country) for p in destinations], dtype=np.int64)
    transit_country = np.array([cidx(t.place.country) for t in scn.transits], dtype=np.int64)
    agency_country = np.array([cidx(a.place.country) for a in agencies], dtype=np.int64)

    nk = len(scn.kinds)
    kind_p_f = _normalised([k.weight_f for k in scn.kinds])
    kind_p_m = _normalised([k.weight_m for k in scn.kinds])
    kind_share = scn.female_share * kind_p_f + (1 - scn.female_share) * kind_p_m
    progression = np.zeros((nk, 2, nk))
    for step in scn.progression:
        s, t = scn.kind_index(step.source), scn.kind_index(step.target)
        for sex_i, sex in enumerate(("F", "M")):
            if step.sex in (None, sex):
                progression[s, sex_i, t] += step.p

    control_codes = tuple(
        sorted({c for k in scn.kinds for c in k.control} | {"PsychologicalAbuse"})
    )
    control_p = np.full((nk, len(control_codes)), 0.05)
    for i, kind in enumerate(scn.kinds):
        for c, share in kind.control.items():
            control_p[i, control_codes.index(c)] = share

    transit_ids = [t.id for t in scn.transits]
    codes_k = [a.code for a in agencies]
    referral = np.zeros((len(agencies), len(agencies)))
    for r in scn.referrals:
        if r.source in codes_k and r.target in codes_k:
            referral[codes_k.index(r.source), codes_k.index(r.target)] = r.p
    finds = np.ones((len(agencies), nk))
    for a_i, a in enumerate(agencies):
        for kind_id, mult in a.finds.items():
            finds[a_i, scn.kind_index(kind_id)] = mult

    ages = sorted(scn.age_weights)
    return Model(
        config=cfg,
        scenario=scn,
        agencies=agencies,
        pool_names=pool_names,
        origin_pool=np.array([pool_names.index(o.pool) for o in scn.origins], dtype=np.int64),
        origin_country=origin_country,
        origin_p=_normalised([o.weight for o in scn.origins]),
        countries=tuple(countries),
        kind_p_f=kind_p_f,
        kind_p_m=kind_p_m,
        destinations=tuple(destinations),
        dest_country=dest_country,
        kind_dest=kind_dest,
        kind_dest_p=kind_dest_p,
        progression=progression,
        transit_country=transit_country,
        age_values=np.array(ages, dtype=np.int64),
        age_p=_normalised([scn.age_weights[a] for a in ages]),
        vuln_codes=tuple(scn.vulnerabilities),
        vuln_p=np.array(list(scn.vulnerabilities.values())),
        relationship_codes=tuple(scn.relationship),
        relationship_p=_normalised(list(scn.relationship.values())),
        recruitment_codes=tuple(scn.recruitment),
        recruitment_p=_normalised(list(scn.recruitment.values())),
        control_codes=control_codes,
        control_p=control_p,
        networks=_networks(scn, cfg, kind_share),
        agency_country=agency_country,
        agency_transit=np.array(
            [transit_ids.index(a.transit) if a.transit else -1 for a in agencies], dtype=np.int64
        ),
        agency_base=np.array([a.capture for a in agencies]),
        agency_finds=finds,
        referral=referral,
        start_day=day_number(cfg.start),
        end_day=day_number(cfg.end),
        name_cum=tuple(_name_cum(scn.pools[p]) for p in pool_names),
        origin_villages=tuple(_villages(o, scn.pools[o.pool]) for o in scn.origins),
    )
