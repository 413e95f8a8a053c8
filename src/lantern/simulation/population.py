"""The true population: children, their families, journeys, exploitation and traffickers.

Children are drawn in fixed blocks of ``BLOCK`` with a random stream per block, seeded by
(seed, block number), so the result never depends on how a caller batches the work.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from lantern.simulation.model import STREAM_CHILDREN, VILLAGES_PER_DISTRICT, Model
from lantern.simulation.naming import zipf_cumulative

BLOCK = 2048
MAX_EPISODES = 3
MAX_TRANSITS = 2
#: Chance a cross-border (internal) journey passes through a hub before the border (or at all).
HUB_SHARE_CROSS_BORDER = 0.35
HUB_SHARE_INTERNAL = 0.5
MEAN_EPISODE_DAYS = 200.0

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
#: Children spread over a district's villages with Zipf-Mandelbrot weights (s 1, q 5).
VILLAGE_CUM = zipf_cumulative(VILLAGES_PER_DISTRICT, 1.0, 5.0)


@dataclass
class Children:
    """One block of true children, one array element per child (columns of people.parquet)."""

    index: IntArray  # global child number, 0-based
    female: BoolArray
    age_recruited: IntArray
    birth_day: IntArray
    origin: IntArray
    pool: IntArray
    household: IntArray  # global index of the household's first child drawn
    given: IntArray
    family: IntArray  # -1 when the naming system has no family name
    village: IntArray  # index into model.origin_villages[origin]
    nickname: IntArray  # -1 when the child has no nickname
    vulnerabilities: IntArray  # bit mask over model.vuln_codes
    recruitment: IntArray
    relationship: IntArray
    control: IntArray  # bit mask over model.control_codes
    recruited_day: IntArray
    transit: IntArray  # (n, MAX_TRANSITS), -1 padded
    transit_day: IntArray
    transport: IntArray  # index into the transit's transport options
    illegal: BoolArray
    episodes: IntArray  # number of exploitation episodes, 1..MAX_EPISODES
    kind: IntArray  # (n, MAX_EPISODES), -1 padded
    destination: IntArray
    episode_start: IntArray
    episode_end: IntArray
    network: IntArray  # (n, MAX_EPISODES): network of each episode's exploiter
    recruiter: IntArray  # global actor numbers
    transporter: IntArray
    exploiter: IntArray  # (n, MAX_EPISODES)
    forger: IntArray  # -1 when none
    official: IntArray  # -1 when none
    forged_document: BoolArray
    documented_age: IntArray  # age the forged document states at recruitment, -1 when none
    has_id: BoolArray
    id_digits: IntArray
    smuggled: BoolArray
    catchability: FloatArray  # standard normal, shared across agencies
    crossing: BoolArray  # (n, MAX_TRANSITS): the stop is a border crossing

    def __len__(self) -> int:
        return int(self.index.shape[0])

    @property
    def exit_day(self) -> IntArray:
        """Day the last exploitation episode ends (may lie after the period)."""
        last = self.episodes - 1
        return self.episode_end[np.arange(len(self)), last]

    @property
    def cross_border(self) -> BoolArray:
        return self.crossing.any(axis=1)


def _choice_by_group(
    rng: np.random.Generator, groups: IntArray, options: list[IntArray], probs: list[FloatArray]
) -> IntArray:
    """For each element, draw from ``options[group]`` with ``probs[group]``."""
    out = np.full(groups.shape, -1, dtype=np.int64)
    u = rng.random(groups.shape)
    for g in range(len(options)):
        mask = groups == g
        if mask.any():
            cum = np.cumsum(probs[g])
            pick = np.minimum(np.searchsorted(cum, u[mask] * cum[-1], side="right"), len(cum) - 1)
            out[mask] = options[g][pick]
    return out


def _draw(cum: FloatArray, u: FloatArray) -> IntArray:
    """Ranks drawn by inverting cumulative probabilities ``cum`` at uniforms ``u``."""
    return np.minimum(np.searchsorted(cum, u, side="right"), len(cum) - 1).astype(np.int64)


def _bits(rng: np.random.Generator, p: FloatArray) -> IntArray:
    """Independent Bernoulli draws per column, packed into an int bit mask per row."""
    hits = rng.random(p.shape) < p
    weights = np.left_shift(np.int64(1), np.arange(p.shape[-1], dtype=np.int64))
    return (hits * weights).sum(axis=-1).astype(np.int64)


def generate_block(model: Model, block: int) -> Children:
    """Draw children ``block*BLOCK`` .. up to ``model.config.children`` (exclusive)."""
    cfg, scn, nets = model.config, model.scenario, model.networks
    lo = block * BLOCK
    n = min(BLOCK, cfg.children - lo)
    rng = np.random.default_rng([cfg.seed, STREAM_CHILDREN, block])
    index = np.arange(lo, lo + n, dtype=np.int64)

    female = rng.random(n) < scn.female_share
    age = model.age_values[
        np.minimum(
            np.searchsorted(np.cumsum(model.age_p), rng.random(n), side="right"),
            len(model.age_p) - 1,
        )
    ]
    origin = rng.choice(len(model.origin_p), size=n, p=model.origin_p)
    # Siblings: a child may share the household (origin, family name) of the child before.
    sibling = rng.random(n) < scn.sibling_share
    sibling[0] = False
    head = np.maximum.accumulate(np.where(sibling, 0, np.arange(n)))
    origin = origin[head]
    pool = model.origin_pool[origin]
    pools = [scn.pools[model.pool_names[p]] for p in range(len(model.pool_names))]

    u_names = rng.random((n, 4))
    given = np.empty(n, dtype=np.int64)
    family = np.full(n, -1, dtype=np.int64)
    nickname = np.full(n, -1, dtype=np.int64)
    for p_i, p in enumerate(pools):
        m = pool == p_i
        cum_f, cum_m, cum_family = model.name_cum[p_i]
        for sex_mask, cum, nick_list in (
            (m & female, cum_f, p.nickname_f),
            (m & ~female, cum_m, p.nickname_m),
        ):
            given[sex_mask] = _draw(cum, u_names[sex_mask, 0])
            has_nick = u_names[sex_mask, 2] < p.nickname_share
            nickname[sex_mask] = np.where(
                has_nick, (u_names[sex_mask, 3] * len(nick_list)).astype(np.int64), -1
            )
        if p.family:
            family[m] = _draw(cum_family, u_names[m, 1])
    family = family[head]
    village = _draw(VILLAGE_CUM, rng.random(n))
    n_villages = np.array([len(v) for v in model.origin_villages], dtype=np.int64)
    village = (village % n_villages[origin])[head]

    # Exploitation: first kind by sex, then progression (resale or a new form) per episode.
    kind = np.full((n, MAX_EPISODES), -1, dtype=np.int64)
    u = rng.random(n)
    cum_f, cum_m = np.cumsum(model.kind_p_f), np.cumsum(model.kind_p_m)
    nk = len(cum_f)
    kind[:, 0] = np.where(
        female,
        np.minimum(np.searchsorted(cum_f, u, side="right"), nk - 1),
        np.minimum(np.searchsorted(cum_m, u, side="right"), nk - 1),
    )
    episodes = np.ones(n, dtype=np.int64)
    for e in range(1, MAX_EPISODES):
        alive = kind[:, e - 1] >= 0
        prev = np.where(alive, kind[:, e - 1], 0)
        rows = model.progression[prev, np.where(female, 0, 1)]  # (n, kinds)
        cum = np.cumsum(rows, axis=1)
        u = rng.random(n)
        nxt = (u[:, None] >= cum).sum(axis=1)  # == kinds when no progression
        go = alive & (nxt < nk)
        kind[:, e] = np.where(go, nxt, -1)
        episodes += go
    destination = np.full((n, MAX_EPISODES), -1, dtype=np.int64)
    for e in range(MAX_EPISODES):
        has = kind[:, e] >= 0
        destination[has, e] = _choice_by_group(
            rng, kind[has, e], model.kind_dest, model.kind_dest_p
        )

    # Route: hub and/or border crossing between the home country and the first destination.
    home_c = model.origin_country[origin]
    dest_c = model.dest_country[destination[:, 0]]
    transit = np.full((n, MAX_TRANSITS), -1, dtype=np.int64)
    crossing = np.zeros((n, MAX_TRANSITS), dtype=bool)
    u_route = rng.random((n, 3))
    for hc in np.unique(home_c):
        for dc in np.unique(dest_c[home_c == hc]):
            m = (home_c == hc) & (dest_c == dc)
            hc_code, dc_code = model.countries[hc], model.countries[dc]
            border = [
                i
                for i, t in enumerate(scn.transits)
                if not t.hub and hc_code in t.origins and dc_code in t.destinations
            ]
            hubs = [
                i
                for i, t in enumerate(scn.transits)
                if t.hub and hc_code in t.origins and dc_code in t.destinations
            ]
            internal = hc == dc
            hub_share = HUB_SHARE_INTERNAL if internal else HUB_SHARE_CROSS_BORDER
            use_hub = (u_route[m, 0] < hub_share) & bool(hubs)
            hub_pick = np.array(hubs or [-1])[(u_route[m, 1] * max(1, len(hubs))).astype(int)]
            cols = np.full((int(m.sum()), MAX_TRANSITS), -1, dtype=np.int64)
            cross = np.zeros(cols.shape, dtype=bool)
            cols[:, 0] = np.where(use_hub, hub_pick, -1)
            if border and not internal:
                b_pick = np.array(border)[(u_route[m, 2] * len(border)).astype(int)]
                cols[:, 1] = b_pick
                cross[:, 1] = True
            transit[m] = cols
            crossing[m] = cross
    # Left-align transits so column 0 is the first stop.
    order = np.argsort(transit < 0, axis=1, kind="stable")
    transit = np.take_along_axis(transit, order, axis=1)
    crossing = np.take_along_axis(crossing, order, axis=1)

    transport = np.full((n, MAX_TRANSITS), -1, dtype=np.int64)
    illegal = np.zeros((n, MAX_TRANSITS), dtype=bool)
    u_tr = rng.random((n, MAX_TRANSITS, 2))
    for t_i, t in enumerate(scn.transits):
        m = transit == t_i
        if m.any():
            cum = np.cumsum(list(t.transport.values()))
            transport[m] = np.minimum(
                np.searchsorted(cum, u_tr[..., 0][m] * cum[-1], side="right"), len(cum) - 1
            )
            illegal[m] = u_tr[..., 1][m] < t.illegal

    # Dates: recruited up to ~20 months before the period, exploitation overlapping it.
    start, end = model.start_day, model.end_day
    recruited = rng.integers(start - 600, end - 45, size=n)
    recruited = np.where(sibling, recruited[head] + rng.integers(0, 4, size=n), recruited)
    birth = recruited - age * 365 - rng.integers(0, 365, size=n)
    gaps = rng.integers(1, 8, size=(n, MAX_TRANSITS))
    transit_day = np.where(transit >= 0, recruited[:, None] + np.cumsum(gaps, axis=1), -1)
    last_move = np.max(np.where(transit >= 0, transit_day, recruited[:, None]), axis=1)
    durations = np.maximum(14, rng.exponential(MEAN_EPISODE_DAYS, size=(n, MAX_EPISODES)))
    gap_ep = rng.integers(0, 10, size=(n, MAX_EPISODES))
    ep_start = np.full((n, MAX_EPISODES), -1, dtype=np.int64)
    ep_end = np.full((n, MAX_EPISODES), -1, dtype=np.int64)
    cursor = last_move + rng.integers(1, 8, size=n)
    for e in range(MAX_EPISODES):
        has = kind[:, e] >= 0
        s = cursor + (gap_ep[:, e] if e else 0)
        ep_start[has, e] = s[has]
        ep_end[has, e] = (s + durations[:, e].astype(np.int64))[has]
        cursor = np.where(has, ep_end[:, e], cursor)
    # Every child is exploited within the period: stretch the last episode when needed.
    at = np.arange(n)
    last = episodes - 1
    floor = start + 30 + rng.integers(0, 300, size=n)
    ep_end[at, last] = np.maximum(ep_end[at, last], np.minimum(floor, end + 200))

    # Actors: the network of each episode's kind, members drawn within it.
    network = np.full((n, MAX_EPISODES), -1, dtype=np.int64)
    u_net = rng.random((n, MAX_EPISODES))
    for e in range(MAX_EPISODES):
        for k in range(nk):
            m = kind[:, e] == k
            if m.any():
                pick = np.searchsorted(nets.cum_weight_by_kind[k], u_net[m, e], side="right")
                pick = np.minimum(pick, len(nets.cum_weight_by_kind[k]) - 1)
                network[m, e] = nets.ids_by_kind[k][pick]
    u_act = rng.random((n, 3 + MAX_EPISODES))
    net0 = network[:, 0]

    def member(net: IntArray, role: int, uu: FloatArray) -> IntArray:
        count = nets.members[net, role]
        return np.where(
            count > 0,
            nets.first_actor[net, role] + (uu * np.maximum(count, 1)).astype(np.int64),
            -1,
        )

    recruiter = member(net0, 0, u_act[:, 0])
    transporter = member(net0, 1, u_act[:, 1])
    exploiter = np.full((n, MAX_EPISODES), -1, dtype=np.int64)
    for e in range(MAX_EPISODES):
        has = network[:, e] >= 0
        exploiter[has, e] = member(network[has, e], 2, u_act[has, 3 + e])
    cross_border = crossing.any(axis=1)
    forge_p = np.array([k.forged_document for k in scn.kinds])[kind[:, 0]]
    forged = cross_border & (rng.random(n) < forge_p)
    forger = np.where(forged, member(net0, 3, u_act[:, 2]), -1)
    doc_age = np.where(
        forged, np.maximum(18, age + rng.integers(2, 6, size=n)), -1
    )  # e.g. a passport saying 19 for a 15-year-old
    crossed_illegally = (illegal & crossing).any(axis=1)
    official = np.where(crossed_illegally & (rng.random(n) < 0.3), member(net0, 4, u_act[:, 2]), -1)
    smuggled = crossed_illegally & (rng.random(n) < 0.4)

    children = Children(
        index=index,
        female=female,
        age_recruited=age,
        birth_day=birth,
        origin=origin,
        pool=pool,
        household=lo + head,
        given=given,
        family=family,
        village=village,
        nickname=nickname,
        vulnerabilities=_bits(rng, np.broadcast_to(model.vuln_p, (n, len(model.vuln_p)))),
        recruitment=rng.choice(len(model.recruitment_p), size=n, p=model.recruitment_p),
        relationship=rng.choice(len(model.relationship_p), size=n, p=model.relationship_p),
        control=_bits(rng, model.control_p[kind[:, 0]]),
        recruited_day=recruited,
        transit=transit,
        transit_day=transit_day,
        transport=transport,
        illegal=illegal & crossing,
        episodes=episodes,
        kind=kind,
        destination=destination,
        episode_start=ep_start,
        episode_end=ep_end,
        network=network,
        recruiter=recruiter,
        transporter=transporter,
        exploiter=exploiter,
        forger=forger,
        official=official,
        forged_document=forged,
        documented_age=doc_age,
        has_id=rng.random(n) < scn.id_document_share,
        id_digits=rng.integers(10**9, 10**10, size=n),
        smuggled=smuggled,
        catchability=rng.standard_normal(n),
        crossing=crossing,
    )
    return children
