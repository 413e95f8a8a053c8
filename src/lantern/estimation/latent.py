"""The non-parametric latent class model of Manrique-Vallier (2016), as R's LCMCR fits it.

People fall into K latent classes (truncated stick-breaking weights, concentration
alpha ~ Gamma(a, b)); within a class the lists catch independently, list j with probability
lambda_jk ~ Beta(1, 1); the prior on the total is p(N) proportional to 1/N. Heterogeneous
catchability, which biases every log-linear model down, is what the classes absorb.

The Gibbs sampler is LCMCR's data augmentation on the table of capture histories (never on
individuals): given (lambda, pi) the number missed is negative binomial, and the people of each
history, the missed included, are split among the classes by one multinomial per history; given
those counts lambda and the stick-breaking fractions are Beta, alpha is Gamma. All chains run at
once in NumPy arrays; every linear step (the class-by-history likelihood, the Beta parameters
from the counts, the class weights from the sticks) is one precomputed matrix product, so an
iteration costs about twenty NumPy calls whatever the table's size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lantern.estimation.table import CaptureTable

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Random numbers whose distribution does not change are drawn this many iterations at a time.
_BLOCK = 2048
#: Below this chance of being caught at all the sampler stops rather than draw an absurd total.
_MIN_CATCH = 1e-12
#: Entries of the counts-to-Beta-parameters matrix allowed (8 bytes each): about 400 MB.
_MAX_DESIGN = 50_000_000


@dataclass(frozen=True)
class Prior:
    """Hyper-parameters: K classes, alpha ~ Gamma(shape a, rate b) (LCMCR's a_alpha, b_alpha)."""

    classes: int = 10
    a: float = 0.25
    b: float = 0.25

    def __post_init__(self) -> None:
        if not 2 <= self.classes <= 100:
            raise ValueError(f"classes must be 2 to 100, got {self.classes}")
        if self.a <= 0 or self.b <= 0:
            raise ValueError(f"alpha's Gamma prior needs a > 0 and b > 0, got {self.a}, {self.b}")


@dataclass(frozen=True)
class Schedule:
    """How long each chain runs: ``burnin`` iterations dropped, then ``samples`` draws kept,
    one every ``thin`` iterations."""

    samples: int = 1000
    burnin: int = 100_000
    thin: int = 100
    chains: int = 4

    def __post_init__(self) -> None:
        if self.samples < 10:
            raise ValueError(f"samples must be at least 10 per chain, got {self.samples}")
        if self.burnin < 0 or self.thin < 1 or self.chains < 1:
            raise ValueError("burn-in must be 0 or more, thinning and chains 1 or more")

    @property
    def iterations(self) -> int:
        return self.burnin + self.samples * self.thin


@dataclass(frozen=True)
class Posterior:
    """Draws of the total N (``totals[draw, chain]``) and of the number of occupied classes."""

    lists: tuple[str, ...]
    totals: IntArray
    occupied: IntArray
    observed: int
    prior: Prior
    schedule: Schedule
    seed: int | None


@dataclass(frozen=True)
class _Design:
    """The fixed matrices of one table: which histories hold whom, and how counts map to
    Beta parameters and the sticks to class weights."""

    counts: IntArray  # observed histories' counts (non-zero cells only)
    likelihood: FloatArray  # (M+1, 2J+1): [x, 1-x, 1] per history, the missed (all-zero) first
    to_shapes: FloatArray  # ((M+1)K + 2, 2P): class counts, 1, alpha -> Beta parameters
    to_logs: FloatArray  # (2P, (2J+1)K): log Beta draws -> [log lambda; log(1-lambda); log pi]
    pairs: int  # P = JK + K - 1 Beta draws per iteration


def _design(table: CaptureTable, k: int) -> _Design:
    j = table.k
    cells = np.flatnonzero(table.counts) + 1
    x = ((cells[:, None] >> np.arange(j)) & 1).astype(np.float64)
    xa = np.vstack([np.zeros(j), x])
    m = xa.shape[0]
    likelihood = np.hstack([xa, 1.0 - xa, np.ones((m, 1))])
    p = j * k + k - 1
    if (m * k + 2) * 2 * p > _MAX_DESIGN:
        raise ValueError(
            f"{k} latent classes over {m - 1} observed histories of {j} lists is too large a "
            "model to sample here; use fewer --classes"
        )
    # Beta draws: row 0 = [successes (j, k) ..., class sizes m_k (k < K-1)],
    #             row 1 = [failures  (j, k) ..., alpha + people in later classes]
    shapes = np.zeros(((m * k) + 2, 2, p))
    for r in range(m):
        for c in range(k):
            col = r * k + c
            for jj in range(j):
                shapes[col, 0 if xa[r, jj] else 1, jj * k + c] = 1.0
            if c < k - 1:
                shapes[col, 0, j * k + c] = 1.0
            shapes[col, 1, j * k : j * k + c] = 1.0  # in a later class than each h < c
    shapes[m * k, :, :] = 1.0  # Beta(1 + ., 1 + .) for lambda and Beta(1 + m_k, .) for sticks
    shapes[m * k, 1, j * k :] = 0.0  # the stick's second parameter is alpha + later, no +1
    shapes[m * k + 1, 1, j * k :] = 1.0  # alpha
    # log draws (after log-normalising each pair) -> log lambda, log(1 - lambda), log pi
    logs = np.zeros((2, p, 2 * j + 1, k))
    for jj in range(j):
        for c in range(k):
            logs[0, jj * k + c, jj, c] = 1.0
            logs[1, jj * k + c, j + jj, c] = 1.0
    for c in range(k):
        if c < k - 1:
            logs[0, j * k + c, 2 * j, c] = 1.0  # log V_c
        for h in range(min(c, k - 1)):
            logs[1, j * k + h, 2 * j, c] = 1.0  # + sum of log(1 - V_h) over earlier sticks
    return _Design(
        counts=table.counts[cells - 1].astype(np.int64),
        likelihood=likelihood,
        to_shapes=shapes.reshape((m * k) + 2, 2 * p),
        to_logs=logs.reshape(2 * p, (2 * j + 1) * k),
        pairs=p,
    )


def sample(
    table: CaptureTable,
    prior: Prior | None = None,
    schedule: Schedule | None = None,
    seed: int | None = None,
) -> Posterior:
    """Run ``schedule.chains`` independent Gibbs chains; same seed and settings, same draws."""
    prior = prior or Prior()
    schedule = schedule or Schedule()
    if table.observed == 0:
        raise ValueError("no one is on any list: there is nothing to estimate from")
    rng = np.random.default_rng(seed)
    d = _design(table, prior.classes)
    k, j, c = prior.classes, table.k, schedule.chains
    n, m, p = table.observed, d.likelihood.shape[0], d.pairs
    people = np.empty((c, m), dtype=np.int64)
    people[:, 1:] = d.counts
    # state: the class counts (as floats, then 1 and alpha), and the log parameters
    state = np.zeros((c, m * k + 2))
    state[:, -2] = 1.0
    state[:, -1] = 1.0
    # each chain starts from its own hard-to-catch classes: on UKdat_5 more chains then leave
    # the low state early than from starts anywhere in (0.05, 0.95) (docs/estimation.md)
    lam = rng.uniform(0.01, 0.2, size=(c, j, k))
    sticks = rng.beta(1.0, 1.0, size=(c, k - 1))
    logs = np.zeros((c, 2 * j + 1, k))
    logs[:, :j] = np.log(lam)
    logs[:, j : 2 * j] = np.log1p(-lam)
    logs[:, 2 * j, :-1] = np.log(sticks)
    logs[:, 2 * j, 1:] += np.cumsum(np.log1p(-sticks), axis=1)
    flat_logs = logs.reshape(c, -1)
    last = (2 * j + 1) * k - 1  # index of log pi_K: alpha's update reads it
    totals = np.empty((schedule.samples, c), dtype=np.int64)
    occupied = np.empty((schedule.samples, c), dtype=np.int64)
    shape_alpha = prior.a + k - 1.0
    kept = 0
    for it in range(schedule.iterations):
        i = it % _BLOCK
        if i == 0:
            alpha_gamma = rng.standard_gamma(shape_alpha, size=(_BLOCK, c))
            log_uniform = -rng.standard_exponential(size=(_BLOCK, c, 2 * p))
        # classes of the people of each history, the missed first
        w = np.matmul(d.likelihood, logs)
        np.exp(w, out=w)
        total_w = w.sum(axis=2)
        w /= total_w[:, :, None]
        for ch in range(c):
            caught = 1.0 - total_w[ch, 0]
            if caught < _MIN_CATCH:
                raise FloatingPointError(
                    "the sampler reached a state where almost no one is ever caught; "
                    "the data cannot bound the total with these settings"
                )
            people[ch, 0] = rng.negative_binomial(n, caught)
        z = rng.multinomial(people, w)
        state[:, :-2] = z.reshape(c, -1)
        # lambda and the sticks: Beta(s1, s2) = G1 / (G1 + G2), drawn in logs because the last
        # sticks' second parameter (alpha) can be tiny; G_s = G_{s+1} * U^(1/s)
        shp = state @ d.to_shapes
        draws = np.log(rng.standard_gamma(shp + 1.0))
        draws += log_uniform[i] / shp
        pair = draws.reshape(c, 2, p)
        pair -= np.logaddexp(pair[:, 0], pair[:, 1])[:, None, :]
        np.matmul(draws, d.to_logs, out=flat_logs)
        np.divide(alpha_gamma[i], prior.b - flat_logs[:, last], out=state[:, -1])
        if it >= schedule.burnin and (it - schedule.burnin) % schedule.thin == schedule.thin - 1:
            totals[kept] = n + people[:, 0]
            occupied[kept] = np.count_nonzero(z.sum(axis=1), axis=1)
            kept += 1
    return Posterior(table.lists, totals, occupied, n, prior, schedule, seed)
