"""Perpetrators as agencies write them: one record per trafficker a child's record names.

Every actor of a network (``model.Networks``) is a person with a name from the naming tradition
of the network's home district, often an alias, one or two phone numbers, a vehicle for some
transporters, and a base place that fits the role (recruiters at home, transporters on the
route, exploiters at the destination, officials at the border). Each ``per_Actors`` entry of
an agency record becomes a perpetrator record written with the agency's habits: the name in
its script and spelling, often only a given name or an alias, a phone number sometimes and in
its own format, the place where the agency met the person or the act. The truth (true
perpetrator, true network) is kept apart in ``perpetrator_truth``, as ``truth`` is for children.

Identities use their own random stream, and records a stream per block, so the children's
records stay exactly what they were for a seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from lantern.simulation.config import SimulationConfig
from lantern.simulation.identifiers import scramble
from lantern.simulation.model import NETWORK_ROLES, ORGANISED_CRIME_SIZE, Model
from lantern.simulation.population import Children
from lantern.simulation.records import ACTOR_FOCUS, Renderer, Sighting
from lantern.simulation.romanise import typo
from lantern.simulation.scenario import Place

#: Random streams of this module (see ``model.STREAM_*``: 1-3 are the children's).
STREAM_ACTORS = 4
STREAM_PERPETRATORS = 5

PERPETRATOR_COLUMNS: tuple[str, ...] = (
    "agency",
    "agency_type",
    "perpetrator_record_id",
    "source_record_id",  # the child's record that names this person
    "cas_RegistrationDate",
    "actor_ref",  # the agency-local ref of the same entry in the record's per_Actors
    "role",
    "relationship",
    "name_script",
    "given_name",
    "family_name",
    "alias",
    "sex",
    "age",
    "phone",
    "vehicle",
    "country",
    "state",
    "city",
    "network_ref",
)
PERPETRATOR_SCHEMA = pa.schema([(c, pa.string()) for c in PERPETRATOR_COLUMNS])
PERPETRATOR_TRUTH_SCHEMA = pa.schema(
    [
        ("agency", pa.string()),
        ("perpetrator_record_id", pa.string()),
        ("true_perpetrator_id", pa.string()),
        ("true_network_id", pa.string()),
    ]
)

#: Share of women per role (NETWORK_ROLES order).
FEMALE_SHARE = (0.35, 0.1, 0.3, 0.15, 0.1)
#: Chance an actor is known by an alias, has a second phone, a transporter a vehicle.
ALIAS_SHARE, SECOND_PHONE, VEHICLE_SHARE = 0.6, 0.3, 0.6
#: Chance an actor's name comes from another tradition of the region than its network's.
MIXED_NETWORK = 0.15
#: Country calling codes of the scenarios' countries (the phone numbers agencies write).
CALLING_CODE: dict[str, str] = {
    "NPL": "977",
    "IND": "91",
    "ARE": "971",
    "THA": "66",
    "MMR": "95",
    "LAO": "856",
    "KHM": "855",
    "BEN": "229",
    "TGO": "228",
    "NGA": "234",
    "GAB": "241",
    "MLI": "223",
    "BFA": "226",
    "CIV": "225",
    "ALB": "355",
    "ROU": "40",
    "GRC": "30",
    "ITA": "39",
}
#: How an agency of quality 1 writes a perpetrator (scaled by quality and its actor focus).
#: Name: full, given only, alias only, or nothing (the rest); then the other fields.
WRITTEN: dict[str, float] = {
    "full_name": 0.55,
    "given_only": 0.2,
    "alias_only": 0.12,
    "alias_too": 0.35,
    "sex": 0.8,
    "age": 0.3,
    "phone": 0.3,
    "vehicle": 0.35,
    "place": 0.75,
    "act_place": 0.35,  # the place of the act for this child rather than the person's base
}
UNIFORMS = 32
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


@dataclass(frozen=True)
class Actors:
    """Every actor of the run: the true identities agencies' records are written from."""

    network: NDArray[np.int64]
    role: NDArray[np.int64]  # index into NETWORK_ROLES
    female: NDArray[np.bool_]
    pool: NDArray[np.int64]
    given: NDArray[np.int64]
    family: NDArray[np.int64]  # -1: the tradition has no family name
    alias: NDArray[np.int64]  # index into the pool's nicknames of the sex, -1: none
    birth_year: NDArray[np.int64]
    phones: tuple[tuple[str, ...], ...]  # national significant numbers
    vehicle: tuple[str, ...]  # "" when none
    place: tuple[tuple[str, str, str], ...]  # base: country, state, city

    def __len__(self) -> int:
        return int(self.network.shape[0])


def perpetrator_id(actor: int) -> str:
    return f"T{actor + 1:07d}"


def network_id(network: int) -> str:
    return f"N{network + 1:05d}"


Where = tuple[str, str, str]


def _base_places(
    model: Model, rng: np.random.Generator, home: NDArray[np.int64]
) -> list[list[Where]]:
    """A base place per network and role: where members of that role usually act."""
    scn = model.scenario
    origins = scn.origins
    nets = model.networks
    places: list[list[Where]] = []
    for n in range(nets.count):
        h = origins[int(home[n])]
        here = (h.country, h.state, h.city)
        borders = [t.place for t in scn.transits if not t.hub and h.country in t.origins]
        hubs = [t.place for t in scn.transits if t.hub and h.country in t.origins]
        k = int(nets.kind[n])
        dest = model.destinations[int(rng.choice(model.kind_dest[k], p=model.kind_dest_p[k]))]
        border = borders[int(rng.integers(len(borders)))] if borders else None
        hub = hubs[int(rng.integers(len(hubs)))] if hubs else None

        def at(p: Place | None, here: Where = here) -> Where:
            return (p.country, p.state, p.city) if p is not None else here

        # by role: recruiter, transporter, exploiter, document forger, corrupt official
        places.append([here, at(hub or border), at(dest), at(hub), at(border)])
    return places


_ACTORS: dict[SimulationConfig, Actors] = {}


def actors_of(model: Model) -> Actors:
    """The identities of every actor of the run, from their own stream (drawn once per run)."""
    if model.config not in _ACTORS:
        _ACTORS.clear()  # one run at a time: never hold a past run's actors
        _ACTORS[model.config] = _draw_actors(model)
    return _ACTORS[model.config]


def _draw_actors(model: Model) -> Actors:
    cfg, nets = model.config, model.networks
    rng = np.random.default_rng([cfg.seed, STREAM_ACTORS])
    flat = nets.members.ravel()
    n_roles = len(NETWORK_ROLES)
    network = np.repeat(np.repeat(np.arange(nets.count), n_roles), flat)
    role = np.repeat(np.tile(np.arange(n_roles), nets.count), flat)
    n = len(network)
    home = rng.choice(len(model.origin_p), size=nets.count, p=model.origin_p)
    own = np.where(
        rng.random(n) < MIXED_NETWORK,
        rng.choice(len(model.origin_p), size=n, p=model.origin_p),
        home[network],
    )
    pool = model.origin_pool[own]
    female = rng.random(n) < np.asarray(FEMALE_SHARE)[role]
    u = rng.random((n, 4))
    given = np.zeros(n, dtype=np.int64)
    family = np.full(n, -1, dtype=np.int64)
    alias = np.full(n, -1, dtype=np.int64)
    scn = model.scenario
    for p_i, name in enumerate(model.pool_names):
        p = scn.pools[name]
        cum_f, cum_m, cum_family = model.name_cum[p_i]
        for sex_mask, cum, nicks in ((female, cum_f, p.nickname_f), (~female, cum_m, p.nickname_m)):
            m = (pool == p_i) & sex_mask
            given[m] = np.minimum(np.searchsorted(cum, u[m, 0], side="right"), len(cum) - 1)
            if nicks:
                alias[m] = np.where(
                    u[m, 2] < ALIAS_SHARE, (u[m, 3] * len(nicks)).astype(np.int64), -1
                )
        if p.family:
            m = pool == p_i
            family[m] = np.minimum(
                np.searchsorted(cum_family, u[m, 1], side="right"), len(cum_family) - 1
            )
    first = rng.integers(10**8, 10**9, size=n)
    second = np.where(rng.random(n) < SECOND_PHONE, rng.integers(10**8, 10**9, size=n), -1)
    phones = tuple(
        (str(a),) if b < 0 else (str(a), str(b))
        for a, b in zip(first.tolist(), second.tolist(), strict=True)
    )
    has_vehicle = (role == NETWORK_ROLES.index("transporter")) & (rng.random(n) < VEHICLE_SHARE)
    plates = rng.integers(0, len(_LETTERS), size=(n, 2))
    digits = rng.integers(1000, 10000, size=n)
    vehicle = tuple(
        f"{_LETTERS[a]}{_LETTERS[b]} {d}" if v else ""
        for v, (a, b), d in zip(has_vehicle.tolist(), plates.tolist(), digits.tolist(), strict=True)
    )
    bases = _base_places(model, rng, home)
    place = tuple(bases[net][r] for net, r in zip(network.tolist(), role.tolist(), strict=True))
    birth_year = cfg.start.year - rng.integers(22, 58, size=n)
    return Actors(
        network, role, female, pool, given, family, alias, birth_year, phones, vehicle, place
    )


def _phone(number: str, country: str, u: Sequence[float]) -> str:
    """A phone number as an agency writes it: international, national or grouped; a slip."""
    if u[1] < 0.03:  # one digit wrong
        at = int(u[2] * len(number))
        number = number[:at] + str((int(number[at]) + 1) % 10) + number[at + 1 :]
    code = CALLING_CODE.get(country, "")
    if u[0] < 0.35 and code:
        return f"+{code} {number}"
    if u[0] < 0.7:
        return "0" + number
    return f"{number[:3]}-{number[3:6]}-{number[6:]}"


def _act_place(model: Model, ch: Children, i: int, role: str, actor: int) -> tuple[str, ...]:
    """Where the act concerning child ``i`` took place, as the child's record tells it."""
    scn = model.scenario
    if role in ("transporter", "corrupt_official", "document_forger"):
        stops = [t for t in ch.transit[i].tolist() if t >= 0]
        if stops:
            p = scn.transits[stops[-1] if role == "corrupt_official" else stops[0]].place
            return (p.country, p.state, p.city)
    if role == "exploiter":
        episodes = [e for e in range(ch.episodes[i]) if ch.exploiter[i, e] == actor]
        if episodes:
            p = model.destinations[int(ch.destination[i, episodes[0]])]
            return (p.country, p.state, p.city)
    o = scn.origins[int(ch.origin[i])]
    return (o.country, o.state, o.city)


class PerpetratorWriter:
    """Writes the perpetrator records of a block from the sightings its records made."""

    def __init__(self, model: Model, renderer: Renderer) -> None:
        self.model = model
        self.renderer = renderer
        self.actors = actors_of(model)
        self.written = [_written(model, ag.spec.kind, ag.spec.quality) for ag in renderer.agencies]

    def _names(
        self, actor: int, native: bool, err: dict[str, float], u: Sequence[float]
    ) -> tuple[str, str, str]:
        """Given name, family name and alias as the true person's, written by the agency."""
        acts, r = self.actors, self.renderer
        pool = r.pools[int(acts.pool[actor])]
        female = bool(acts.female[actor])
        given = r._name(
            (pool.given_f if female else pool.given_m)[int(acts.given[actor])],
            native,
            pool.script,
            err,
            u[0:4],
        )
        fam = int(acts.family[actor])
        family = r._name(pool.family[fam], native, pool.script, err, u[4:8]) if fam >= 0 else ""
        al = int(acts.alias[actor])
        nicks = pool.nickname_f if female else pool.nickname_m
        alias = r._name(nicks[al], native, pool.script, err, u[8:12]) if al >= 0 else ""
        if u[12] < err["typo"] * 2:
            given = typo(given, u[13], u[14])
        return given, family, alias

    def render(
        self,
        rows: list[tuple[str, ...]],
        sightings: Sequence[Sighting],
        ch: Children,
        rng: np.random.Generator,
    ) -> tuple[pa.Table, pa.Table]:
        """Perpetrator records and their truth for one block's sightings."""
        model, acts = self.model, self.actors
        out: list[tuple[str, ...]] = []
        truth: list[tuple[str, ...]] = []
        uu = rng.random((len(sightings), UNIFORMS)).tolist()
        for s, u in zip(sightings, uu, strict=True):
            ag = self.renderer.agencies[s.agency]
            spec = ag.spec
            row = rows[s.row]
            actor = s.actor
            p = self.written[s.agency].__getitem__

            base = acts.place[actor]
            pool = self.renderer.pools[int(acts.pool[actor])]
            native = u[0] < (
                spec.native_script if spec.place.country == base[0] else spec.native_script * 0.25
            )
            given, family, alias = self._names(actor, native, ag.error, u[1:16])
            r = u[16]
            keep_alias = u[17] < WRITTEN["alias_too"]
            if r < p("full_name"):
                alias = alias if keep_alias else ""
            elif r < p("full_name") + WRITTEN["given_only"]:
                family, alias = "", alias if keep_alias else ""
            elif r < p("full_name") + WRITTEN["given_only"] + WRITTEN["alias_only"]:
                given = family = ""  # only the alias (none if the person has none)
            else:
                given = family = alias = ""
            if family and u[18] < ag.error["swap"] * pool.swap:
                given, family = family, given
            phones = acts.phones[actor]
            phone = ""
            if u[19] < p("phone"):
                number = phones[int(u[20] * len(phones))]
                phone = _phone(number, base[0], u[21:24])
            vehicle = acts.vehicle[actor] if u[24] < p("vehicle") else ""
            if vehicle and u[25] < 0.1:
                vehicle = vehicle.replace(" ", "")
            place: tuple[str, ...] = ("", "", "")
            if u[26] < p("place"):
                act = u[27] < WRITTEN["act_place"]
                place = _act_place(model, ch, s.child, s.role, actor) if act else base
                if u[28] < 0.3:
                    place = (place[0], place[1], "")
            age = ""
            if u[29] < p("age"):
                guess = round((u[30] - 0.5) * 8)
                age = str(int(row[3][:4]) - int(acts.birth_year[actor]) + guess)
            sex = ""
            if u[31] < p("sex"):
                sex = "Feminine" if acts.female[actor] else "Masculine"
            source_id = row[2]
            record_id = f"{ag.id_prefix}-PRP-{_record_number(ch, s, ag.salt):08X}"
            out.append(
                (
                    spec.code,
                    spec.kind,
                    record_id,
                    source_id,
                    row[3],
                    f"ACT-{_actor_ref(actor, ag.salt):08X}",
                    s.role,
                    s.relationship or "",
                    pool.script if native and (given or family) else ("Latn" if given else ""),
                    given,
                    family,
                    alias,
                    sex,
                    age,
                    phone,
                    vehicle,
                    *place,
                    s.network_ref.strip('"') if s.network_ref != "null" else "",
                )
            )
            truth.append(
                (
                    spec.code,
                    record_id,
                    perpetrator_id(actor),
                    network_id(int(acts.network[actor])),
                )
            )
        return _table(out, PERPETRATOR_SCHEMA), _table(truth, PERPETRATOR_TRUTH_SCHEMA)


def _written(model: Model, kind: str, quality: float) -> dict[str, float]:
    """How often one agency writes each part: by its quality and its focus on traffickers."""
    q = quality * model.scenario.completeness * min(1.6, ACTOR_FOCUS.get(kind, 1.0))
    return {key: min(0.97, share * q) for key, share in WRITTEN.items()}


def _record_number(ch: Children, s: Sighting, salt: int) -> int:
    """A number unique per agency record and actor slot, hashed so it leaks no order."""
    return scramble(int(ch.index[s.child]) * 8 + s.slot, salt + 3)


def _actor_ref(actor: int, salt: int) -> int:
    """The number of the agency-local ``ACT-`` ref (as ``records`` writes it)."""
    return scramble(actor, salt + 2)


def _table(rows: list[tuple[str, ...]], schema: pa.Schema) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    return pa.table([pa.array(c, pa.string()) for c in columns], schema=schema)


def traffickers_table(model: Model) -> pa.Table:
    """The true perpetrators (traffickers.parquet): identity, network, role, base place."""
    acts = actors_of(model)
    scn = model.scenario
    pools = [scn.pools[p] for p in model.pool_names]
    nets = model.networks
    given, family, given_latin, family_latin, aliases = [], [], [], [], []
    for a in range(len(acts)):
        pool = pools[int(acts.pool[a])]
        female = bool(acts.female[a])
        g = (pool.given_f if female else pool.given_m)[int(acts.given[a])]
        f = pool.family[int(acts.family[a])] if acts.family[a] >= 0 else None
        al = int(acts.alias[a])
        nick = (pool.nickname_f if female else pool.nickname_m)[al] if al >= 0 else None
        given.append(g.native)
        given_latin.append(g.latin[0])
        family.append(f.native if f else None)
        family_latin.append(f.latin[0] if f else None)
        aliases.append(nick.latin[0] if nick else None)
    organised = nets.expected_size[acts.network] >= ORGANISED_CRIME_SIZE
    return pa.table(
        {
            "true_perpetrator_id": [perpetrator_id(a) for a in range(len(acts))],
            "true_network_id": [network_id(int(n)) for n in acts.network.tolist()],
            "role": [NETWORK_ROLES[r] for r in acts.role.tolist()],
            "sex": ["F" if f else "M" for f in acts.female.tolist()],
            "given_name": given,
            "family_name": pa.array(family, pa.string()),
            "given_name_latin": given_latin,
            "family_name_latin": pa.array(family_latin, pa.string()),
            "alias": pa.array(aliases, pa.string()),
            "phones": [";".join(p) for p in acts.phones],
            "vehicle": list(acts.vehicle),
            "country": [p[0] for p in acts.place],
            "state": [p[1] for p in acts.place],
            "city": [p[2] for p in acts.place],
            "birth_year": acts.birth_year.tolist(),
            "organised_crime": organised.tolist(),
        }
    )
