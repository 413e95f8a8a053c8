"""The statistics a signed-in user asks for (API, pages): checked by the policy, built from the
mart, published through disclosure control at the installation's threshold, audited."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.errors import NotAllowed, Refused
from lantern.monitoring import mart
from lantern.monitoring.statistics.publish import publish
from lantern.monitoring.statistics.table import Table, TableSpec, Unit, build_table


def split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def parse_where(items: list[str]) -> tuple[tuple[str, str], ...]:
    """``DIMENSION=VALUE`` filters (a code or a label)."""
    from lantern.errors import Invalid

    found = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise Invalid(
                _("A filter is DIMENSION=VALUE, not %(item)s") % {"item": repr(item)}, "where"
            )
        found.append((name.strip(), value))
    return tuple(found)


def allowed(user: object) -> None:
    if not policy.allows(user, "statistics", "view"):  # type: ignore[arg-type]
        raise NotAllowed(_("Your role may not read statistics."))


def table_for(user: object, spec: TableSpec, source: str = "") -> Table:
    """A published table (small counts withheld at LANTERN_DISCLOSURE_THRESHOLD: a reader
    cannot lower it), audited by the dimensions asked for."""
    allowed(user)
    if mart.info() is None:
        raise Refused(_("The statistics mart has not been built yet: run `lantern mart build`."))
    table = publish(build_table(spec))
    audit.record(
        user, "table", "statistics", "mart", reason=",".join(spec.dimensions), source=source
    )
    return table


def spec_of(rows: str, cols: str, where: list[str], unit: Unit) -> TableSpec:
    return TableSpec(split(rows), split(cols), parse_where(where), unit)
