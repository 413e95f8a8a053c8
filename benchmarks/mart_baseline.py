"""The mart's full build as it was before incremental refreshes (commit 9084127), kept as the
baseline ``bench_statistics.py`` times beside the new one in the same run: the same columns,
read through the ORM as a dict per row, each key hashed with its own ``hmac.new``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
from django.db.models import F

from lantern.monitoring import mart
from lantern.monitoring.coarsen import age_category, journey_scope


def pseudonymiser() -> Callable[[str, str], str]:
    from lantern.vault.keys import derived_key

    key = derived_key("mart pseudonyms")

    def pseudonym(kind: str, value: str) -> str:
        mac = hmac.new(key, f"{kind}\x00{value}".encode(), hashlib.sha256)
        return f"{kind}-{mac.hexdigest()[:32]}"

    return pseudonym


def _month(d: dt.date | None) -> dt.date | None:
    return d.replace(day=1) if d else None


def _age_category(r: Mapping[str, Any]) -> str:
    """The age as the source gave it (age_min/age_max); an exact age recorded without them
    (intake before the bounds existed) is its own band."""
    low, high = r["age_min"], r["age_max"]
    if low is None and high is None and r["age_at_identification"] is not None:
        low = high = r["age_at_identification"]
    return age_category(low, high)


def build(
    out: Path, progress: Callable[[int, int], object] | None = None, networks: bool = True
) -> Path:
    """The mart's full build as it was (per-row dicts through the ORM, one ``hmac.new`` per
    key); returns the file written. ``networks`` False leaves out the network analysis of
    the organised corridors (the same code in both builds, timed once on its own)."""
    from lantern.cases.models import Case, Exploitation, TraffickingEvent
    from lantern.linkage.models import LinkRun, PersonLink
    from lantern.perpetrators.routes import organised_corridors

    out.mkdir(parents=True, exist_ok=True)
    links = dict(PersonLink.objects.values_list("person_id", "cluster_key"))
    first: dict[int, tuple[str, str]] = {}
    last: dict[int, tuple[str, str]] = {}
    countries: dict[int, list[str]] = {}
    for case_id, etype, country, state in TraffickingEvent.objects.order_by(
        "case_id", "seq"
    ).values_list("case_id", "type", "country", "state"):
        countries.setdefault(case_id, []).append(country)
        if etype == "recruitment" and case_id not in first:
            first[case_id] = (country, state)
        if etype == "exploitation":
            last[case_id] = (country, state)
    sectors: dict[int, list[str]] = {}
    for case_id, section in (
        Exploitation.objects.exclude(isic_section="")
        .order_by("case_id", "seq")
        .values_list("case_id", "isic_section")
    ):
        if section not in sectors.setdefault(case_id, []):
            sectors[case_id].append(section)
    cols: dict[str, list[Any]] = {name: [] for name in mart.CASE_SCHEMA.names}
    rows = Case.objects.values(
        "id",
        "reference",
        "person_id",
        "registration_date",
        "registration_date_precision",
        "intake_channel",
        "gender",
        "age_group",
        "age_evidence",
        "age_min",
        "age_max",
        "age_at_identification",
        "method_of_recruitment",
        "relationship_to_trafficker",
        "methods_of_control",
        "citizenship",
        "primary_form",
        "forms_of_exploitation",
        "trafficking_status",
        "status",
        "outcome",
        person_uuid=F("person__key"),
        agency_code=F("agency__code"),
        agency_kind=F("agency__type"),
    ).order_by("id")
    run = LinkRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()
    keys = {
        person: links.get(person, str(uuid))
        for person, uuid in Case.objects.values_list("person_id", "person__key")
    }
    loose = mart._loose_keys(keys, run.pk if run else None)
    pseudonym = pseudonymiser()
    linked = 0
    total = Case.objects.count()
    for done, r in enumerate(rows.iterator(chunk_size=5000)):
        if progress is not None and done % 1000 == 0:
            progress(done, total)
        key = links.get(r["person_id"])
        linked += key is not None
        origin = first.get(r["id"], ("", ""))
        dest = last.get(r["id"], ("", ""))
        values = {
            "case_key": pseudonym("case", r["reference"]),
            "person_key": pseudonym("child", key or str(r["person_uuid"])),
            "person_key_loose": pseudonym("child", loose[r["person_id"]]),
            "linked": key is not None,
            "agency": r["agency_code"],
            "agency_type": r["agency_kind"],
            "registration_month": _month(r["registration_date"]),
            "registration_year": r["registration_date"].year,
            "registration_precision": r["registration_date_precision"] or "day",
            "intake_channel": r["intake_channel"],
            "sex": r["gender"],
            "age_group": r["age_group"],
            "age_evidence": r["age_evidence"],
            "age_category": _age_category(r),
            "citizenship": r["citizenship"],
            "primary_form": r["primary_form"],
            "forms": list(r["forms_of_exploitation"] or []),
            "sectors": sectors.get(r["id"], []),
            "trafficking_status": r["trafficking_status"],
            "recruitment_method": r["method_of_recruitment"],
            "relationship_to_trafficker": r["relationship_to_trafficker"],
            "control_methods": list(r["methods_of_control"] or []),
            "status": r["status"],
            "outcome": r["outcome"],
            "origin_country": origin[0],
            "origin_state": origin[1],
            "destination_country": dest[0],
            "destination_state": dest[1],
            "journey_scope": journey_scope(countries.get(r["id"], ())),
        }
        for k, v in values.items():
            cols[k].append(v)
    # the columns the build has since added (each child's records and number: well under 1% of
    # the time), so that the two marts can be compared row for row
    cols["child_records"] = mart._records_per_key(cols["person_key"]).tolist()
    # rows in the order of their keyed case key: the store's order (case ids) would let whoever
    # holds the store join the mart back to it by position
    order = sorted(range(len(cols["case_key"])), key=cols["case_key"].__getitem__)
    cols = {n: [values[i] for i in order] for n, values in cols.items() if n != "child_number"}
    cols["child_number"] = mart._child_numbers(pa.array(cols["person_key"])).to_pylist()
    if progress is not None:
        progress(total, total)
    table = pa.table(cols, schema=mart.CASE_SCHEMA)
    if networks:
        organised_corridors()
    return mart._write_new(out, table, "baseline")
