"""Scenario presets: the places, routes, forms of exploitation and agencies of a region.

Presets are data (``data/<name>.yaml``), shaped by the ILO-IPEC report's regional patterns
(seed-requirements TAX-20/TAX-21), so a new region is a new file, not new code. Loading checks
every code against ``codes`` so a typo in a preset fails at load, not as a silent bad record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import pycountry
import yaml

from lantern.simulation import codes, naming
from lantern.simulation.naming import NameEntry

SCENARIO_NAMES: tuple[str, ...] = (
    "south_asia",
    "mekong",
    "west_africa",
    "south_east_europe",
    "hardest",
)


class ScenarioError(ValueError):
    """A preset file is malformed or names an unknown code."""


@dataclass(frozen=True)
class NamePool:
    """A naming tradition: its name registers (commonest first) and how they are drawn.

    ``zipf`` holds the Zipf-Mandelbrot (s, q) of ``given_f``, ``given_m`` and ``family``;
    ``villages`` the locality names home districts of this tradition take theirs from.
    """

    language: str
    script: str
    swap: float
    family_name: bool
    nickname_share: float
    given_f: tuple[NameEntry, ...]
    given_m: tuple[NameEntry, ...]
    family: tuple[NameEntry, ...]
    nickname_f: tuple[NameEntry, ...]
    nickname_m: tuple[NameEntry, ...]
    zipf: tuple[tuple[float, float], tuple[float, float], tuple[float, float]] = (
        naming.DEFAULT_ZIPF,
        naming.DEFAULT_ZIPF,
        naming.DEFAULT_ZIPF,
    )
    villages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Place:
    country: str
    state: str
    city: str
    weight: float = 1.0
    pool: str = ""


@dataclass(frozen=True)
class Transit:
    """A transit point: a border crossing (``hub`` false) or an internal hub on the way."""

    id: str
    place: Place
    hub: bool
    origins: frozenset[str]
    destinations: frozenset[str]
    illegal: float
    transport: dict[str, float]


@dataclass(frozen=True)
class ExploitationKind:
    """A form of exploitation in a sector (e.g. carpet factory = forced labour, ISIC C)."""

    id: str
    form: str
    isic: str | None
    sex_type: str | None
    weight_f: float
    weight_m: float
    forged_document: float
    destinations: tuple[Place, ...]
    control: dict[str, float]


@dataclass(frozen=True)
class Progression:
    """Chance that an episode of one kind is followed by another (resale when the same)."""

    source: str
    target: str
    p: float
    sex: str | None


@dataclass(frozen=True)
class AgencySpec:
    """An agency, how likely it is to record a child, and which children it finds.

    ``capture`` is the probability of recording an average child; ``finds`` multiplies the
    odds for children in some kinds of exploitation; a reception desk only sees children who
    pass its ``transit`` point.
    """

    code: str
    kind: str
    place: Place
    capture: float
    finds: dict[str, float]
    transit: str | None
    native_script: float
    quality: float


@dataclass(frozen=True)
class Referral:
    source: str
    target: str
    p: float


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    summary: str
    female_share: float
    age_weights: dict[int, float]
    id_document_share: float
    sibling_share: float
    network_mean_size: float
    network_tail: float
    vulnerabilities: dict[str, float]
    relationship: dict[str, float]
    recruitment: dict[str, float]
    origins: tuple[Place, ...]
    transits: tuple[Transit, ...]
    kinds: tuple[ExploitationKind, ...]
    progression: tuple[Progression, ...]
    agencies: tuple[AgencySpec, ...]
    referrals: tuple[Referral, ...]
    pools: dict[str, NamePool] = field(repr=False)
    noise: float = 1.0
    completeness: float = 1.0

    def kind_index(self, kind_id: str) -> int:
        return next(i for i, k in enumerate(self.kinds) if k.id == kind_id)


def _read(name: str) -> dict[str, Any]:
    path = resources.files("lantern.simulation") / "data" / f"{name}.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ScenarioError(f"no scenario preset named {name!r}") from exc
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ScenarioError(f"{name}.yaml: expected a mapping at top level")
    return data


def _merged(name: str) -> dict[str, Any]:
    """Resolve ``extends`` (child keys replace parent keys; ``<key>_extra`` appends)."""
    data = _read(name)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    base = _merged(str(parent))
    for key, value in data.items():
        if key.endswith("_extra"):
            base[key.removesuffix("_extra")] = [*base.get(key.removesuffix("_extra"), []), *value]
        else:
            base[key] = value
    for kind in base.get("kinds", []):
        kind.update(data.get("kind_overrides", {}).get(kind["id"], {}))
    return base


def _country(code: str, where: str) -> str:
    if pycountry.countries.get(alpha_3=code) is None:
        raise ScenarioError(f"{where}: {code!r} is not an ISO 3166-1 alpha-3 country")
    return code


def _place(raw: dict[str, Any], where: str) -> Place:
    return Place(
        country=_country(str(raw["country"]), where),
        state=str(raw["state"]),
        city=str(raw["city"]),
        weight=float(raw.get("weight", 1.0)),
        pool=str(raw.get("pool", "")),
    )


def _checked(values: dict[str, Any], allowed: frozenset[str], where: str) -> dict[str, float]:
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise ScenarioError(f"{where}: unknown code(s) {', '.join(unknown)}")
    return {str(k): float(v) for k, v in values.items()}


def _pool(key: str, p: dict[str, Any]) -> NamePool:
    where = f"names.yaml {key}"
    if p["script"] not in codes.SCRIPTS:
        raise ScenarioError(f"{where}: unknown script {p['script']!r}")
    latin = p["script"] == "Latn"
    parts = naming.parts_of(p.get("parts") or {}, latin, where)
    given_f, zf = naming.name_list(p["given_f"], parts, latin, f"{where} given_f")
    given_m, zm = naming.name_list(p["given_m"], parts, latin, f"{where} given_m")
    family: tuple[NameEntry, ...] = ()
    zfam = naming.DEFAULT_ZIPF
    if p["family_name"]:
        family, zfam = naming.name_list(p["family"], parts, latin, f"{where} family")

    def nicknames(items: list[Any], what: str) -> tuple[NameEntry, ...]:
        return tuple(naming.entry(x, latin, f"{where} {what}") for x in items)

    return NamePool(
        language=str(p["language"]),
        script=str(p["script"]),
        swap=float(p["swap"]),
        family_name=bool(p["family_name"]),
        nickname_share=float(p["nickname_share"]),
        given_f=given_f,
        given_m=given_m,
        family=family,
        nickname_f=nicknames(p["nickname_f"], "nickname_f"),
        nickname_m=nicknames(p["nickname_m"], "nickname_m"),
        zipf=(zf, zm, zfam),
        villages=naming.villages(p.get("villages"), parts, f"{where} villages"),
    )


@cache
def name_pools() -> dict[str, NamePool]:
    """All naming traditions (``data/names.yaml``), their registers built once per process."""
    raw = _read("names")
    try:
        return {key: _pool(key, p) for key, p in raw.items()}
    except naming.NamingError as exc:
        raise ScenarioError(str(exc)) from exc


@cache
def load_scenario(name: str) -> Scenario:
    """Load and validate a preset by name (one of ``SCENARIO_NAMES``)."""
    if name not in SCENARIO_NAMES:
        raise ScenarioError(f"unknown scenario {name!r}; choose one of {', '.join(SCENARIO_NAMES)}")
    d = _merged(name)
    pools = name_pools()
    where = f"scenario {name}"
    origins = tuple(_place(o, where) for o in d["origins"])
    for o in origins:
        if o.pool not in pools:
            raise ScenarioError(f"{where}: origin {o.city} names unknown pool {o.pool!r}")
    transits = tuple(
        Transit(
            id=str(t["id"]),
            place=_place(t, where),
            hub=bool(t.get("hub", False)),
            origins=frozenset(_country(c, where) for c in t["from"]),
            destinations=frozenset(_country(c, where) for c in t["to"]),
            illegal=float(t.get("illegal", 0.0)),
            transport=_checked(t["transport"], codes.TRANSPORT_MODES, f"{where} {t['id']}"),
        )
        for t in d["transits"]
    )
    kinds = []
    for k in d["kinds"]:
        if k["form"] not in codes.EXPLOITATION_FORMS:
            raise ScenarioError(f"{where}: kind {k['id']} has unknown form {k['form']!r}")
        isic = k.get("isic")
        if isic is not None and isic not in codes.ISIC_SECTIONS:
            raise ScenarioError(f"{where}: kind {k['id']} has unknown ISIC section {isic!r}")
        sex_type = k.get("sex_type")
        if sex_type is not None and sex_type not in codes.SEX_EXPLOITATION_TYPES:
            raise ScenarioError(f"{where}: kind {k['id']} has unknown sex_type {sex_type!r}")
        kinds.append(
            ExploitationKind(
                id=str(k["id"]),
                form=str(k["form"]),
                isic=isic,
                sex_type=sex_type,
                weight_f=float(k["weight_f"]),
                weight_m=float(k["weight_m"]),
                forged_document=float(k.get("forged_document", 0.05)),
                destinations=tuple(_place(p, where) for p in k["destinations"]),
                control=_checked(k.get("control", {}), codes.CONTROL_METHODS, where),
            )
        )
    kind_ids = {k.id for k in kinds}
    transit_ids = {t.id for t in transits}
    progression = tuple(
        Progression(str(p["from"]), str(p["to"]), float(p["p"]), p.get("sex"))
        for p in d.get("progression", [])
    )
    for p in progression:
        if p.source not in kind_ids or p.target not in kind_ids:
            raise ScenarioError(f"{where}: progression {p.source}->{p.target} names unknown kind")
    agencies = []
    for a in d["agencies"]:
        if a["kind"] not in codes.AGENCY_TYPES:
            raise ScenarioError(f"{where}: agency {a['code']} has unknown kind {a['kind']!r}")
        finds = {str(k): float(v) for k, v in a.get("finds", {}).items()}
        if set(finds) - kind_ids:
            raise ScenarioError(f"{where}: agency {a['code']} finds unknown kinds")
        if a.get("transit") is not None and a["transit"] not in transit_ids:
            raise ScenarioError(f"{where}: agency {a['code']} watches unknown transit point")
        agencies.append(
            AgencySpec(
                code=str(a["code"]),
                kind=str(a["kind"]),
                place=_place(a, where),
                capture=float(a["capture"]),
                finds=finds,
                transit=a.get("transit"),
                native_script=float(a.get("native_script", 0.5)),
                quality=float(a.get("quality", 1.0)),
            )
        )
    codes_seen = [a.code for a in agencies]
    referrals = tuple(Referral(str(r["from"]), str(r["to"]), float(r["p"])) for r in d["referrals"])
    for r in referrals:
        if r.source not in codes_seen or r.target not in codes_seen:
            raise ScenarioError(f"{where}: referral {r.source}->{r.target} names unknown agency")
    return Scenario(
        name=name,
        title=str(d["title"]),
        summary=" ".join(str(d["summary"]).split()),
        female_share=float(d["female_share"]),
        age_weights={int(k): float(v) for k, v in d["age_at_recruitment"].items()},
        id_document_share=float(d["id_document_share"]),
        sibling_share=float(d["sibling_share"]),
        network_mean_size=float(d["network"]["mean_size"]),
        network_tail=float(d["network"]["tail"]),
        vulnerabilities=_checked(d["vulnerabilities"], codes.VULNERABILITY_FACTORS, where),
        relationship=_checked(d["relationship"], codes.RELATIONSHIPS, where),
        recruitment=_checked(d["recruitment"], codes.RECRUITMENT_METHODS, where),
        origins=origins,
        transits=transits,
        kinds=tuple(kinds),
        progression=progression,
        agencies=tuple(agencies),
        referrals=referrals,
        pools={o.pool: pools[o.pool] for o in origins},
        noise=float(d.get("noise", 1.0)),
        completeness=float(d.get("completeness", 1.0)),
    )
