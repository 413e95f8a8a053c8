"""Which agencies record which children, and when.

Each agency records a child with probability ``capture`` on the logit scale, shifted by how
good the agency is at finding that child (its kind of exploitation, whether the child's
journey touches the agency's country or passes its transit point) and by the child's own
catchability, shared by all agencies. Referrals then copy children from one list to another.
The ``capture`` setting switches these parts on and off (see ``SimulationConfig``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from lantern.simulation.model import Model
from lantern.simulation.population import MAX_EPISODES, Children

#: (heterogeneity sd on the logit scale, agency affinities on, referrals on) per setting.
SETTINGS: dict[str, tuple[float, bool, bool]] = {
    "independent": (0.0, False, False),
    "heterogeneous": (1.2, True, False),
    "dependent": (0.0, False, True),
    "realistic": (0.6, True, True),
}
#: Odds multiplier for an agency whose country the child's journey never touches.
OUT_OF_REACH = 0.1
#: Odds multiplier for a reception desk on (off) the child's route: a desk sees who passes.
ON_ROUTE, OFF_ROUTE = 4.0, 0.002
REFERRAL_DELAY_DAYS = (1, 21)


@dataclass
class Captures:
    """Observation of one block: who was recorded by whom, when, and how."""

    probability: NDArray[np.float64]  # (children, agencies) chance of direct capture
    recorded: NDArray[np.bool_]  # (children, agencies)
    referred: NDArray[np.bool_]  # recorded because another agency referred the child
    referred_on: NDArray[np.bool_]  # the agency referred this child onward
    day: NDArray[np.int64]  # registration day, -1 where not recorded


def _logit(p: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.log(p) - np.log1p(-p)


def capture_probability(model: Model, ch: Children) -> NDArray[np.float64]:
    """Chance each agency records each child directly (before referrals)."""
    sd, affinity, _ = SETTINGS[model.config.capture]
    n, k = len(ch), model.n_agencies
    base = np.broadcast_to(model.agency_base, (n, k))
    if not affinity and sd == 0.0:
        return np.array(base)
    logit = _logit(base) + sd * ch.catchability[:, None]
    if affinity:
        finds = np.zeros((n, k))  # the best-found episode decides; every child has one
        for e in range(MAX_EPISODES):
            has = ch.kind[:, e] >= 0
            kinds = np.where(has, ch.kind[:, e], 0)
            finds = np.where(has[:, None], np.maximum(finds, model.agency_finds[:, kinds].T), finds)
        countries = np.concatenate(
            [
                model.origin_country[ch.origin][:, None],
                np.where(ch.transit >= 0, model.transit_country[np.maximum(ch.transit, 0)], -1),
                np.where(
                    ch.destination >= 0, model.dest_country[np.maximum(ch.destination, 0)], -1
                ),
            ],
            axis=1,
        )
        reach = (countries[:, :, None] == model.agency_country[None, None, :]).any(axis=1)
        mult = finds * np.where(reach, 1.0, OUT_OF_REACH)
        desk = model.agency_transit >= 0
        if desk.any():
            on_route = (ch.transit[:, :, None] == model.agency_transit[None, None, :]).any(axis=1)
            mult = np.where(desk[None, :], np.where(on_route, ON_ROUTE, OFF_ROUTE) * mult, mult)
        logit = logit + np.log(mult)
    return 1.0 / (1.0 + np.exp(-logit))


def _window(model: Model, ch: Children) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Days in the period when a child could be identified: exploited, or just after."""
    lo = np.maximum(model.start_day, ch.episode_start[:, 0])
    hi = np.minimum(model.end_day, ch.exit_day + 60)
    return lo, np.maximum(lo, hi)


def observe(model: Model, ch: Children, rng: np.random.Generator) -> Captures:
    """Draw which agencies record each child, with referrals and registration days."""
    _, _, referrals = SETTINGS[model.config.capture]
    n, k = len(ch), model.n_agencies
    prob = capture_probability(model, ch)
    recorded = rng.random((n, k)) < prob
    lo, hi = _window(model, ch)
    day = lo[:, None] + (rng.random((n, k)) * (hi - lo + 1)[:, None]).astype(np.int64)
    for a, spec in enumerate(model.agencies):
        if spec.kind == "reception_desk" and model.agency_transit[a] >= 0:
            at = ch.transit == model.agency_transit[a]
            passed = at.any(axis=1)
            when = np.where(at, ch.transit_day, 0).max(axis=1)
            day[:, a] = np.where(passed, np.clip(when, lo, hi), day[:, a])
        elif spec.kind == "reintegration":
            after = np.minimum(hi, ch.exit_day + (rng.random(n) * 180).astype(np.int64))
            day[:, a] = np.where(ch.exit_day <= hi, np.maximum(lo, after), day[:, a])
    referred = np.zeros((n, k), dtype=bool)
    referred_on = np.zeros((n, k), dtype=bool)
    if referrals:
        u = rng.random((n, k, k))
        delay = rng.integers(*REFERRAL_DELAY_DAYS, size=(n, k))
        for a in range(k):
            for b in range(k):
                p = model.referral[a, b]
                if p <= 0:
                    continue
                go = recorded[:, a] & (u[:, a, b] < p)
                new = go & ~recorded[:, b]
                recorded[:, b] |= go
                referred[:, b] |= new
                referred_on[:, a] |= go
                day[:, b] = np.where(
                    new, np.minimum(model.end_day, day[:, a] + delay[:, b]), day[:, b]
                )
    day = np.where(recorded, np.clip(day, model.start_day, model.end_day), -1)
    return Captures(prob, recorded, referred, referred_on, day)
