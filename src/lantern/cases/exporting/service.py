"""The HTCDS 2.0 bulk export as a user runs it: asked of the policy, every case the user may
export and view, each field only at a tier the user may read, written with its metadata,
audited (the export, and each case whose identifying fields left in it).

The file is one JSON document, ``{"metadata": {...}, "records": [...]}``, written a record at a
time: HTCDS 2.0 defines fields, not a file, and its related records (historic trafficking
events, perpetrator contexts) are lists that a flat sheet can only carry as text in a cell;
the metadata (what was left out, and why) travels inside the file; and ``lantern import``
reads the same document back through its one path (docs/htcds.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.cases.exporting import htcds
from lantern.cases.models import ActorRole, Case
from lantern.errors import Invalid, NotAllowed

STANDARD = "HTCDS 2.0"
CHUNK = 500


@dataclass
class ExportReport:
    written: int = 0
    left_out: list[str] = field(default_factory=list)


def allowed(user: Any) -> None:
    if not policy.allows(user, "case", "export"):
        raise NotAllowed(_("Your role may not export case records."))


def cases(user: Any, agency: str | None = None, year: int | None = None) -> QuerySet[Case]:
    """The cases ``user`` may both export and view, oldest first, with what a record reads."""
    from lantern.accounts.models import Agency

    qs = policy.scope_cases(user, "export").filter(
        pk__in=policy.scope_cases(user, "view").values("pk")
    )
    if agency:
        if not Agency.objects.filter(code=agency).exists():
            raise Invalid(_("There is no agency %(code)s.") % {"code": repr(agency)}, "agency")
        qs = qs.filter(agency__code=agency)
    if year is not None:
        qs = qs.filter(registration_date__year=year)
    return (
        qs.select_related("person", "agency")
        .prefetch_related(
            "events",
            "exploitations",
            "consents",
            Prefetch("actor_roles", queryset=ActorRole.objects.select_related("actor")),
        )
        .order_by("pk")
    )


def _metadata(
    user: Any, left_out: list[str], agency: str | None, year: int | None
) -> dict[str, Any]:
    return {
        "standard": STANDARD,
        "profile": "Lantern record format (docs/htcds.md, docs/record-format.md)",
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "exported_by_role": str(user.role),
        "filters": {"agency": agency, "year": year},
        "multi_valued": "JSON lists",
        "dates": "ISO 8601; YYYY or YYYY-MM where the source gave no more",
        "countries": "ISO 3166-1 alpha-2",
        "fields_left_out": left_out,
        "left_out_because": (
            "the exporting user's role may not read these fields; they are absent, not unknown"
            if left_out
            else ""
        ),
    }


def export_htcds(
    user: Any,
    out: Path,
    *,
    agency: str | None = None,
    year: int | None = None,
    source: str = "cli",
) -> ExportReport:
    """Write ``out`` (FILE.json) with every case ``user`` may export; audited."""
    allowed(user)
    if out.suffix.casefold() != ".json":
        raise Invalid(_("The HTCDS export is a JSON file: name it FILE.json."), "out")
    if not out.parent.is_dir():
        raise Invalid(_("The folder %(dir)s does not exist.") % {"dir": str(out.parent)}, "out")
    tiers = policy.field_tiers(user)
    guarded = {name: policy.tier_of(f) for name, f in htcds.GUARDED}
    report = ExportReport(left_out=[n for n, t in guarded.items() if t not in tiers])
    identifying = policy.Tier.IDENTIFYING in tiers
    read: list[audit.Pending] = []
    partial = out.with_name(out.name + ".part")  # a failed export leaves no half file
    try:
        with partial.open("w", encoding="utf-8") as fh:
            meta = json.dumps(_metadata(user, report.left_out, agency, year), ensure_ascii=False)
            fh.write('{"metadata": ' + meta + ',\n"records": [')
            for case in cases(user, agency, year).iterator(chunk_size=CHUNK):
                rec = json.dumps(htcds.record(case, tiers, guarded), ensure_ascii=False)
                fh.write(("\n" if not report.written else ",\n") + rec)
                report.written += 1
                if identifying:
                    read.append(audit.Pending("export", "case", case.reference, reason="htcds"))
            fh.write("\n]}\n")
        audit.record_many(user, read, source=source)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    audit.record(
        user,
        "export",
        "htcds",
        out.name[:64],
        reason=(
            f"agency={agency or '*'} year={year or '*'} rows={report.written} "
            f"left_out={len(report.left_out)}"
        ),
        source=source,
    )
    return report
