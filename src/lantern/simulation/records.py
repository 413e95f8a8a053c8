"""Records as agencies write them: the HTCDS-shaped rows of docs/record-format.md.

Each agency sees part of a child's story, up to the day it registers the child, and writes it
with its own habits: the script it writes names in, how complete it is, the errors it makes
(romanisation variants, swapped or missing names, typos, misstated ages, estimated birth
dates, shifted dates, the wrong home district). Identity lives only in people.parquet; a
record links to its child only through truth.parquet.
"""

from __future__ import annotations

import json
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, NamedTuple

import numpy as np

from lantern.simulation.capture import Captures
from lantern.simulation.identifiers import iso_days, person_id, scramble
from lantern.simulation.model import NETWORK_ROLES, Model
from lantern.simulation.naming import NameEntry
from lantern.simulation.population import MAX_TRANSITS, Children
from lantern.simulation.romanise import rule_variant, typo
from lantern.simulation.scenario import AgencySpec

#: Chance a field is filled in by an agency of quality 1 (scaled by quality and scenario).
COMPLETENESS: dict[str, float] = {
    "family": 0.93,
    "gender": 0.97,
    "birthdate": 0.75,
    "age": 0.85,
    "citizenship": 0.8,
    "language": 0.6,
    "identity": 0.6,
    "country": 0.85,
    "state": 0.7,
    "city": 0.6,
    "village": 0.35,
    "relationship": 0.5,
    "age_trafficked": 0.45,
    "recruitment": 0.5,
    "control": 0.45,
    "exploitation": 0.85,
    "sector": 0.6,
    "vulnerabilities": 0.45,
    "smuggled": 0.35,
    "consent": 0.8,
    "events": 0.65,
    "event_date": 0.8,
    "exploitations": 0.6,
    "actors": 0.45,
    "network": 0.3,
    "nickname": 0.5,
    "documents_seen": 0.5,
}
#: What an intake form asks first, filled at least this often by every agency of a scenario with
#: thin casework (``completeness`` < 1): thin files lose journeys, actors and context, but an
#: agency still writes down the child's name, sex, age and home district. Without this floor a
#: thin scenario is unidentifiable rather than hard (no linker, not even one trained on the
#: truth, can pair records that share only a given name).
IDENTIFYING_FLOOR: dict[str, float] = {
    "family": 0.98,
    "gender": 0.95,
    "age": 0.97,
    "age_judged": 0.93,
    "birthdate": 0.75,
    "state": 0.85,
    "city": 0.8,
}
#: Chance an undocumented child's age is assessed or stated rather than only presumed a minor.
AGE_JUDGED = 0.85
#: Most a thin-casework scenario's noise may drop a family name the agency was told.
THIN_MISSING_FAMILY = 0.07
#: Chance of each kind of error for an agency of quality 1 (scaled by noise / quality).
ERRORS: dict[str, float] = {
    "variant": 0.35,
    "rule_variant": 0.12,
    "typo": 0.04,
    "second_typo": 0.3,
    "swap": 0.03,
    "missing_family": 0.05,
    "nickname_as_first": 0.03,
    "split_name": 0.3,
    "wrong_district": 0.04,
    "date_shift": 0.08,
    "day_month_swap": 0.04,
    "believe_document": 0.6,
    "age_off": 0.25,
}
#: How a child reaches each kind of agency when no other agency referred them.
INTAKE: dict[str, tuple[tuple[str, float], ...]] = {
    "police": (("rescue", 0.6), ("community_report", 0.3), ("hotline", 0.1)),
    "ngo_shelter": (("outreach", 0.5), ("self_referral", 0.3), ("community_report", 0.2)),
    "hotline": (("hotline", 1.0),),
    "labour_inspection": (("rescue", 0.7), ("outreach", 0.3)),
    "reception_desk": (("transit_reception", 1.0),),
    "reintegration": (("self_referral", 0.6), ("outreach", 0.4)),
    "health": (("self_referral", 0.7), ("outreach", 0.3)),
    "government": (("community_report", 1.0),),
    "international_organisation": (("outreach", 1.0),),
}
DECISION_ORG: dict[str, str] = {
    "police": "Police",
    "ngo_shelter": "NGO",
    "hotline": "NGO",
    "labour_inspection": "NonPoliceGovernmentalOrganization",
    "reception_desk": "NonPoliceGovernmentalOrganization",
    "reintegration": "NGO",
    "health": "Other",
    "government": "NonPoliceGovernmentalOrganization",
    "international_organisation": "Other",
}
ID_PREFIX: dict[str, str] = {
    "police": "FIR",
    "ngo_shelter": "CASE",
    "hotline": "CALL",
    "labour_inspection": "LI",
    "reception_desk": "RD",
    "reintegration": "RR",
    "health": "MRN",
    "government": "GOV",
    "international_organisation": "IO",
}
#: Agencies that write down traffickers more often (police) or rarely (hotlines).
ACTOR_FOCUS: dict[str, float] = {"police": 1.8, "hotline": 0.4, "health": 0.3}
CLOSE_AFTER_DAYS = 60
UNIFORMS = 80  # uniform numbers drawn per record, each used by one decision


def _q(text: str | None) -> str:
    return "null" if text is None else json.dumps(text, ensure_ascii=False)


class Sighting(NamedTuple):
    """An actor named in a record: its row, child position, agency, slot, role and refs."""

    row: int
    child: int
    agency: int
    slot: int
    role: str
    actor: int
    relationship: str | None
    network_ref: str  # as written in per_Actors: a quoted NET-... or null


@dataclass(frozen=True)
class _Agency:
    spec: AgencySpec
    index: int
    complete: dict[str, float]
    error: dict[str, float]
    intake: tuple[tuple[str, ...], tuple[float, ...]]
    id_prefix: str
    salt: int


def _agency(model: Model, a: int) -> _Agency:
    spec = model.agencies[a]
    scn = model.scenario
    q = spec.quality * scn.completeness
    comp = {k: min(1.0, v * q) for k, v in COMPLETENESS.items()}
    comp["age_judged"] = AGE_JUDGED
    comp["actors"] = min(1.0, comp["actors"] * ACTOR_FOCUS.get(spec.kind, 1.0))
    comp["network"] = min(1.0, comp["network"] * ACTOR_FOCUS.get(spec.kind, 1.0))
    err = {k: min(0.9, v * scn.noise / spec.quality) for k, v in ERRORS.items()}
    err["believe_document"] = ERRORS["believe_document"]
    err["split_name"] = ERRORS["split_name"]
    if scn.completeness < 1.0:
        for field, floor in IDENTIFYING_FLOOR.items():
            comp[field] = max(comp[field], floor)
        err["missing_family"] = min(err["missing_family"], THIN_MISSING_FAMILY)
    channels = INTAKE[spec.kind]
    salt = sum((i + 1) * ord(c) for i, c in enumerate(spec.code)) & 0xFFFF
    return _Agency(
        spec=spec,
        index=a,
        complete=comp,
        error=err,
        intake=(tuple(c for c, _ in channels), tuple(accumulate(p for _, p in channels))),
        id_prefix=ID_PREFIX[spec.kind],
        salt=salt,
    )


class Renderer:
    """Writes agency records for blocks of children; holds per-run lookups (no state)."""

    def __init__(self, model: Model) -> None:
        self.model = model
        scn = model.scenario
        self.agencies = [_agency(model, a) for a in range(model.n_agencies)]
        self.iso = iso_days()
        self.pools = [scn.pools[p] for p in model.pool_names]
        self.kinds = scn.kinds
        self.kind_form = [k.form for k in scn.kinds]
        self.origin_json = [(_q(o.country), _q(o.state), _q(o.city)) for o in scn.origins]
        self.origin_by_country: dict[str, list[int]] = {}
        for i, o in enumerate(scn.origins):
            self.origin_by_country.setdefault(o.country, []).append(i)
        self.transit_json = [
            (_q(t.place.country), _q(t.place.state), _q(t.place.city)) for t in scn.transits
        ]
        self.transit_modes = [tuple(t.transport) for t in scn.transits]
        self.dest_json = [(_q(p.country), _q(p.state), _q(p.city)) for p in model.destinations]
        self.dest_country = [p.country for p in model.destinations]
        nets = model.networks
        flat = nets.members.ravel()
        self.network_of_actor = np.repeat(
            np.repeat(np.arange(nets.count), len(NETWORK_ROLES)), flat
        )

    def _name(
        self, entry: NameEntry, native: bool, script: str, err: dict[str, float], u: Sequence[float]
    ) -> str:
        if native:
            return entry.native
        latin = entry.latin[0]
        if u[0] < err["variant"]:
            latin = entry.latin[int(u[1] * len(entry.latin))]
        if u[2] < err["rule_variant"]:
            latin = rule_variant(latin, script, u[3])
        return latin

    def render(
        self,
        ch: Children,
        cap: Captures,
        outcome: Sequence[str],
        rng: np.random.Generator,
    ) -> tuple[list[tuple[str, ...]], list[tuple[str, str, str]], list[Sighting]]:
        """Rows (in ``codes.RECORD_COLUMNS`` order) and truth rows for one block, shuffled,
        and the actors each row names (``lantern.simulation.perpetrators`` writes them)."""
        model = self.model
        pairs = np.argwhere(cap.recorded)  # (child position, agency) in child order
        n_rec = len(pairs)
        order = rng.permutation(n_rec)
        pairs = pairs[order]
        uu = rng.random((n_rec, UNIFORMS)).tolist()
        iso = self.iso
        end_day = model.end_day
        vuln_codes, control_codes = model.vuln_codes, model.control_codes
        recruitment_codes, relationship_codes = model.recruitment_codes, model.relationship_codes
        rows: list[tuple[str, ...]] = []
        truth: list[tuple[str, str, str]] = []
        sightings: list[Sighting] = []
        c = _Lists(ch, cap)
        for (i, a), u in zip(pairs.tolist(), uu, strict=True):
            ag = self.agencies[a]
            spec, comp, err = ag.spec, ag.complete, ag.error
            child = c.index[i]  # one record per child and agency: a unique number per agency
            source_id = f"{ag.id_prefix}-{scramble(child, ag.salt):08X}"
            reg = c.day[i][a]
            reg_iso = iso[reg]
            female = c.female[i]
            pool = self.pools[c.pool[i]]
            origin = c.origin[i]
            home = model.scenario.origins[origin]

            # Channel, status and outcome.
            if c.referred[i][a]:
                channel = "referral"
            else:
                names, cum = ag.intake
                channel = names[min(bisect(cum, u[0] * cum[-1]), len(names) - 1)]
            if reg > end_day - CLOSE_AFTER_DAYS:
                status, out = "Active", ""
            elif c.referred_on[i][a] and u[1] < 0.7:
                status, out = "ClosedReferred", "transferred"
            elif u[1] < 0.55:
                status, out = "Closed", outcome[i]
            elif u[1] < 0.8:
                status, out = "FollowUp", ""
            else:
                status, out = "Active", ""

            # Names.
            native = u[2] < (
                spec.native_script
                if spec.place.country == home.country
                else spec.native_script * 0.25
            )
            script = pool.script if native else "Latn"
            given_e = (pool.given_f if female else pool.given_m)[c.given[i]]
            first = self._name(given_e, native, pool.script, err, u[3:7])
            second = ""
            fam = c.family[i]
            if fam >= 0 and u[7] < comp["family"] and u[8] >= err["missing_family"]:
                second = self._name(pool.family[fam], native, pool.script, err, u[9:13])
            elif fam < 0 and not native and " " in first and u[8] < err["split_name"]:
                first, second = first.split(" ", 1)
            nick = ""
            nk = c.nickname[i]
            if nk >= 0 and u[13] < comp["nickname"]:
                nick_e = (pool.nickname_f if female else pool.nickname_m)[nk]
                nick = self._name(nick_e, native, pool.script, err, u[14:18])
                if u[18] < err["nickname_as_first"]:
                    first, nick = nick, first
            if second and u[19] < err["swap"] * pool.swap:
                first, second = second, first
            typo_p = err["typo"] * (1.0 if script == "Latn" else 0.3)
            if u[20] < typo_p:
                first = typo(first, u[21], u[22])
                if u[23] < err["second_typo"]:
                    first = typo(first, u[22], u[21])
            if second and u[24] < typo_p:
                second = typo(second, u[25], u[26])

            # Age, documents and birth date.
            true_age = (reg - c.birth_day[i]) * 4 // 1461
            forged = c.forged_document[i]
            doc_age = c.documented_age[i] + (reg - c.recruited_day[i]) // 365
            saw_docs = (forged or c.has_id[i]) and u[27] < comp["documents_seen"]
            documented_age = ""
            identity = ""
            birth_iso, estimated = "", ""
            if saw_docs and forged:
                documented_age = str(doc_age)
                identity = f"{home.country}{(c.id_digits[i] * 7 + 13) % 10**10:010d}"
                if u[28] < err["believe_document"]:
                    evidence, stated = "documented", doc_age
                    shift = (doc_age - true_age) * 365
                    birth_iso = iso[c.birth_day[i] - shift] if u[29] < comp["birthdate"] else ""
                    estimated = "no" if birth_iso else ""
                else:
                    evidence, stated = "assessed", true_age + round((u[30] - 0.5) * 2)
            elif saw_docs:
                evidence, stated = "documented", true_age
                identity = f"{home.country}{c.id_digits[i]:010d}"
                if u[29] < comp["birthdate"]:
                    b = c.birth_day[i]
                    if u[31] < err["date_shift"]:
                        b += int((u[32] - 0.5) * 20)
                    birth_iso = iso[b]
                    if u[33] < err["day_month_swap"] and int(birth_iso[8:]) <= 12:
                        birth_iso = f"{birth_iso[:4]}-{birth_iso[8:]}-{birth_iso[5:7]}"
                    estimated = "no"
            else:
                r = u[30]
                if r < 0.4:
                    evidence = "assessed"
                    stated = true_age + (round((u[31] - 0.5) * 4) if u[32] < err["age_off"] else 0)
                elif r < comp["age_judged"]:
                    evidence = "stated"
                    stated = true_age + (
                        (1 if u[31] < 0.6 else -1) if u[32] < err["age_off"] else 0
                    )
                else:
                    evidence, stated = "presumed_minor", -1
                if stated > 0 and u[29] < comp["birthdate"] * 0.6:
                    year = int(reg_iso[:4]) - stated
                    birth_iso = f"{year}-01-01" if u[33] < 0.6 else f"{year}-07-01"
                    estimated = "yes"
            stated_age = str(stated) if stated > 0 and u[34] < comp["age"] else ""
            if not stated_age and evidence != "presumed_minor":
                evidence = "" if u[35] < 0.5 else evidence
            if identity and u[36] >= comp["identity"]:
                identity = ""

            # Home address, possibly the wrong district of the right country.
            country, state, city = home.country, home.state, home.city
            wrong_home = u[37] < err["wrong_district"]
            if wrong_home:
                alt = self.origin_by_country[home.country]
                wrong = model.scenario.origins[alt[int(u[38] * len(alt))]]
                state, city = wrong.state, wrong.city
            country = country if u[39] < comp["country"] else ""
            state = state if u[40] < comp["state"] else ""
            city = city if u[41] < comp["city"] else ""
            village = ""
            if not wrong_home and u[74] < comp["village"]:
                village = model.origin_villages[origin][c.village[i]]
                if u[75] < typo_p:
                    village = typo(village, u[76], u[77])

            # What the agency knows of the journey by the registration day.
            n_ep = c.episodes[i]
            known_ep = [e for e in range(n_ep) if c.episode_start[i][e] <= reg]
            intended = known_ep or [0]  # intercepted in transit: the purpose is still known
            forms = list(dict.fromkeys(self.kind_form[c.kind[i][e]] for e in intended))
            kinds = [self.kinds[c.kind[i][e]] for e in intended]
            isic = list(dict.fromkeys(k.isic for k in kinds if k.isic))
            sex_types = list(dict.fromkeys(k.sex_type for k in kinds if k.sex_type))
            shift = int((u[43] - 0.5) * 30) if u[42] < err["date_shift"] else 0

            dated = u[44] < comp["event_date"]

            def when(day: int, shift: int = shift, dated: bool = dated) -> str:
                return f'"{iso[day + shift]}"' if dated else "null"

            events = ""
            if u[45] < comp["events"]:
                hc, hs, hci = self.origin_json[origin]
                parts = [
                    f'{{"type": "recruitment", "date": {when(c.recruited_day[i])}, '
                    f'"country": {hc}, "state": {hs}, "city": {hci}, '
                    f'"transport": null, "crossing": null}}'
                ]
                for t in range(MAX_TRANSITS):
                    tr = c.transit[i][t]
                    if tr < 0 or c.transit_day[i][t] > reg:
                        continue
                    tc, ts, tci = self.transit_json[tr]
                    mode = self.transit_modes[tr][c.transport[i][t]]
                    crossing = (
                        ('"illegal"' if c.illegal[i][t] else '"legal"')
                        if c.crossing[i][t]
                        else "null"
                    )
                    parts.append(
                        f'{{"type": "transit", "date": {when(c.transit_day[i][t])}, '
                        f'"country": {tc}, "state": {ts}, "city": {tci}, '
                        f'"transport": "{mode}", "crossing": {crossing}}}'
                    )
                for e in known_ep:
                    dc, ds, dci = self.dest_json[c.destination[i][e]]
                    parts.append(
                        f'{{"type": "exploitation", "date": {when(c.episode_start[i][e])}, '
                        f'"country": {dc}, "state": {ds}, "city": {dci}, '
                        f'"transport": null, "crossing": null}}'
                    )
                events = "[" + ", ".join(parts) + "]"
            episodes = ""
            if u[46] < comp["exploitations"]:
                parts = []
                for e in known_ep:
                    k = self.kinds[c.kind[i][e]]
                    e_end = c.episode_end[i][e]
                    parts.append(
                        f'{{"form": "{k.form}", "isic": {_q(k.isic)}, '
                        f'"start": {when(c.episode_start[i][e])}, '
                        f'"end": {when(e_end) if e_end <= reg else "null"}, '
                        f'"country": "{self.dest_country[c.destination[i][e]]}"}}'
                    )
                episodes = "[" + ", ".join(parts) + "]"
            relationship = relationship_codes[c.relationship[i]]
            actors = ""
            if u[47] < comp["actors"]:
                parts = []
                roles = [
                    ("recruiter", c.recruiter[i], relationship),
                    ("transporter", c.transporter[i], None),
                    *(("exploiter", c.exploiter[i][e], None) for e in known_ep),
                    ("document_forger", c.forger[i], None),
                    ("corrupt_official", c.official[i], None),
                ]
                for j, (role, actor, rel) in enumerate(roles):
                    if actor < 0 or u[48 + j % 8] < 0.25:
                        continue
                    net = int(self.network_of_actor[actor])
                    net_ref = (
                        f'"NET-{scramble(net, ag.salt + 1):08X}"'
                        if u[56] < comp["network"]
                        else "null"
                    )
                    sightings.append(Sighting(len(rows), i, a, j, role, actor, rel, net_ref))
                    parts.append(
                        f'{{"ref": "ACT-{scramble(actor, ag.salt + 2):08X}", "role": "{role}", '
                        f'"relationship": {_q(rel)}, "network_ref": {net_ref}}}'
                    )
                actors = "[" + ", ".join(parts) + "]"

            vmask, cmask = c.vulnerabilities[i], c.control[i]
            vulnerabilities = ""
            if u[57] < comp["vulnerabilities"]:
                vulnerabilities = ";".join(c for b, c in enumerate(vuln_codes) if vmask >> b & 1)
            control = ""
            if u[58] < comp["control"]:
                control = ";".join(c for b, c in enumerate(control_codes) if cmask >> b & 1)
            status_code = (
                "ActualVictimOfTrafficking"
                if (spec.kind == "police" and u[59] < 0.6) or u[59] < 0.3
                else "PossibleVictimOfTrafficking"
            )
            age_trafficked = ""
            if u[60] < comp["age_trafficked"]:
                age_trafficked = str(c.age_recruited[i] + (1 if u[61] < 0.1 else 0))
            consent = ("yes" if u[73] < 0.92 else "no") if u[62] < comp["consent"] else ""
            tracing = ("yes" if u[63] < 0.8 else "no") if consent == "yes" else ""
            rows.append(
                (
                    spec.code,
                    spec.kind,
                    source_id,
                    reg_iso,
                    channel,
                    status,
                    out,
                    first,
                    second,
                    script,
                    nick,
                    ("Feminine" if female else "Masculine") if u[64] < comp["gender"] else "",
                    birth_iso,
                    estimated,
                    stated_age,
                    "",  # ext_AgeMin: an agency of the simulation records exact ages or none
                    "",  # ext_AgeMax
                    "",  # ext_IsMinor
                    evidence,
                    documented_age,
                    home.country if u[65] < comp["citizenship"] else "",
                    pool.language if u[66] < comp["language"] else "",
                    identity,
                    country,
                    state,
                    city,
                    village,  # prs_MailingStreet: the home locality (streets are rare)
                    "",  # prs_MailingPostalCode
                    status_code,
                    DECISION_ORG[spec.kind] if u[67] < 0.9 else "",
                    relationship if u[68] < comp["relationship"] else "",
                    age_trafficked,
                    recruitment_codes[c.recruitment[i]] if u[69] < comp["recruitment"] else "",
                    control,
                    ";".join(forms) if u[70] < comp["exploitation"] else "",
                    ";".join(isic) if u[71] < comp["sector"] else "",
                    ";".join(sex_types) if u[70] < comp["exploitation"] else "",
                    vulnerabilities,
                    ("yes" if c.smuggled[i] else "no") if u[72] < comp["smuggled"] else "",
                    consent,
                    tracing,
                    events,
                    episodes,
                    actors,
                )
            )
            truth.append((spec.code, source_id, person_id(child)))
        return rows, truth, sightings


_CHILD_FIELDS = (
    "index",
    "female",
    "pool",
    "origin",
    "given",
    "family",
    "village",
    "nickname",
    "birth_day",
    "forged_document",
    "documented_age",
    "recruited_day",
    "has_id",
    "id_digits",
    "episodes",
    "episode_start",
    "episode_end",
    "kind",
    "destination",
    "transit",
    "transit_day",
    "transport",
    "illegal",
    "crossing",
    "relationship",
    "recruitment",
    "recruiter",
    "transporter",
    "exploiter",
    "forger",
    "official",
    "vulnerabilities",
    "control",
    "age_recruited",
    "smuggled",
)


class _Lists:
    """A block's arrays as Python lists: element access in the record loop is ~10x faster."""

    def __init__(self, ch: Children, cap: Captures) -> None:
        for name in _CHILD_FIELDS:
            setattr(self, name, getattr(ch, name).tolist())
        self.day = cap.day.tolist()
        self.referred = cap.referred.tolist()
        self.referred_on = cap.referred_on.tolist()

    def __getattr__(self, name: str) -> Any:  # for type checkers: attributes are set above
        raise AttributeError(name)
