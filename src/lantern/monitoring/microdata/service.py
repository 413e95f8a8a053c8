"""The CTDC export as a user runs it: checked by the policy, read from the store (codes only),
k-anonymised (``microdata.ctdc``), written with its report, audited."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.errors import Invalid, NotAllowed
from lantern.monitoring.microdata import ctdc
from lantern.monitoring.microdata.ctdc import ExportReport


def allowed(user: Any) -> None:
    if not policy.allows(user, "statistics", "export"):
        raise NotAllowed(_("Your role may not export case microdata."))


def records(agency: str | None = None, year: int | None = None) -> list[dict[str, Any]]:
    """One record per case: the codes CTDC's columns take, nothing else (no name, no
    reference, no date but the year, no free text)."""
    from lantern.accounts.models import Agency
    from lantern.cases.models import Case, Exploitation, TraffickingEvent

    cases = Case.objects.order_by("pk")
    if agency:
        if not Agency.objects.filter(code=agency).exists():
            raise Invalid(_("There is no agency %(code)s.") % {"code": repr(agency)}, "agency")
        cases = cases.filter(agency__code=agency)
    if year is not None:
        cases = cases.filter(registration_date__year=year)
    rows = list(
        cases.values_list(
            "pk",
            "registration_date",
            "gender",
            "age_min",
            "age_max",
            "age_at_identification",
            "citizenship",
            "forms_of_exploitation",
            "methods_of_control",
            "sex_exploitation_types",
            "relationship_to_trafficker",
        )
    )
    ids = [r[0] for r in rows]
    exploited_in: dict[int, str] = {}
    for case_id, country in (
        TraffickingEvent.objects.filter(case_id__in=ids, type="exploitation")
        .exclude(country="")
        .order_by("case_id", "seq")
        .values_list("case_id", "country")
    ):
        exploited_in.setdefault(case_id, country)
    sectors: dict[int, set[str]] = defaultdict(set)
    for case_id, section, country in (
        Exploitation.objects.filter(case_id__in=ids)
        .order_by("case_id", "seq")
        .values_list("case_id", "isic_section", "country")
    ):
        if section:
            sectors[case_id].add(section)
        if country:
            exploited_in.setdefault(case_id, country)
    out = []
    for pk, date, gender, low, high, exact, citizen, forms, controls, sex_types, rel in rows:
        if low is None and high is None and exact is not None:
            low = high = exact
        out.append(
            {
                ctdc.YEAR: date.year,  # a year-only date is its year: never more precise
                "gender": ctdc.gender(gender),
                ctdc.AGE: ctdc.age_value(low, high),
                "citizenship": citizen or "",
                "CountryOfExploitation": exploited_in.get(pk, ""),
                "flags": ctdc.flags(forms, controls, sorted(sectors[pk]), sex_types, rel),
            }
        )
    return out


def export_ctdc(
    user: Any,
    out: Path,
    *,
    k: int = ctdc.DEFAULT_K,
    agency: str | None = None,
    year: int | None = None,
    source: str = "cli",
) -> ExportReport:
    """Write the k-anonymised CTDC file ``out`` and its report beside it; audited."""
    allowed(user)
    if k < 2:
        raise Invalid(_("k must be at least 2: with k = 1 every row could be one child."), "k")
    if out.suffix.casefold() != ".csv":
        raise Invalid(_("The CTDC export is a CSV file: name it FILE.csv."), "out")
    if not out.parent.is_dir():
        raise Invalid(_("The folder %(dir)s does not exist.") % {"dir": str(out.parent)}, "out")
    rows, report = ctdc.anonymise(records(agency, year), k)
    ctdc.write(out, rows, report)
    audit.record(
        user,
        "export",
        "ctdc",
        out.name[:64],
        reason=f"k={k} agency={agency or '*'} year={year or '*'} rows={report.written}",
        source=source,
    )
    return report
