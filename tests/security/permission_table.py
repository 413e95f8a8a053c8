"""THE permission table: every route, API operation and `lantern` command x every role.

It is written from the issue's description of the roles, not from ``policy.RULES``, so that the
matrix test compares the policy layer against an independent statement of intent. A new view,
endpoint or command fails the test until it gets a row here.

Outcomes, for a record in the user's scope ("in") and one in another agency ("out"):
  scoped      in: allowed, out: answers 404 as if it did not exist
  all         both allowed (national scope)
  no          both refused (404 for pages and the API, exit 2 for commands)
  yes         allowed (routes without a record)
  +id         suffix: the child's name and date of birth are shown; without it they must not be
  public      reachable before sign-in (sign-in flow, API schema); not a role's capability
  operator    a host command run by whoever holds the server's shell and key file: no Lantern
              role can reach it over the network, and each change it makes is audited
  pure        reads and writes files only; never opens the store
"""

from __future__ import annotations

# Columns: roles of the issue, plus a system administrator holding the case-content grant.
COLUMNS: tuple[str, ...] = (
    "caseworker",
    "case_supervisor",
    "agency_admin",
    "national_coordinator",
    "monitoring_analyst",
    "cross_border_liaison",
    "community_reporter",
    "auditor",
    "system_admin",
    "system_admin+grant",
)


def _all(outcome: str) -> tuple[str, ...]:
    return (outcome,) * len(COLUMNS)


_SCREEN = ("scoped", "scoped", "no", "no", "no", "no", "no", "no", "no", "no")
_LIST = ("scoped", "scoped", "scoped", "all", "no", "scoped", "no", "no", "no", "all")
_DETAIL = ("scoped+id", "scoped+id", "scoped", "all", "no", "scoped+id", "no", "no", "no", "all+id")
_AUDITOR_ONLY = ("no", "no", "no", "no", "no", "no", "no", "yes", "no", "no")

TABLE: dict[str, tuple[str, ...]] = {
    #                                 CW / SUP / AADM / NC / MA / LIA / REP / AUD / SYS / SYS+
    # --- web pages (URL names) ---
    "web:home": _all("yes"),
    "web:login": _all("public"),
    "web:second_factor": _all("public"),
    "web:enrol": _all("public"),
    "web:logout": _all("public"),
    "set_language": _all("public"),
    "web:case_list": _LIST,
    "web:case_detail": _DETAIL,
    "web:case_screening": _SCREEN,
    "web:case_access_log": ("no", "scoped", "no", "no", "no", "no", "no", "no", "no", "no"),
    "web:audit_list": _AUDITOR_ONLY,
    "web:audit_export": _AUDITOR_ONLY,
    # Statistics from the pseudonymised mart: aggregate figures, never a record.
    "monitoring:estimate": ("no", "no", "no", "yes", "yes", "no", "no", "no", "no", "no"),
    # --- API (OpenAPI operations) ---
    "api:openapi-json": _all("public"),
    "api:openapi-view": _all("public"),
    "api:api-root": _all("public"),
    "GET /api/cases/": _LIST,
    "GET /api/cases/{case_id}": _DETAIL,
    # Screenings hold sexual-exploitation indicators: the highly sensitive tier is needed.
    "GET /api/cases/{case_id}/screenings": (
        "scoped",
        "scoped",
        "no",
        "no",
        "no",
        "no",
        "no",
        "no",
        "no",
        "all",
    ),
    "POST /api/cases/{case_id}/screenings": _SCREEN,
    # Published ILO/EC indicator lists: reference material, no case data.
    "GET /api/screening/checklist": _all("yes"),
    # --- commands (`lantern …`) ---
    "import": ("scoped", "scoped", "scoped", "all", "no", "no", "no", "no", "no", "no"),
    "audit export": _AUDITOR_ONLY,
    "audit verify": _all("operator"),
    "user add": _all("operator"),
    "user grant-case-content": _all("operator"),
    "token create": _all("operator"),
    "token list": _all("operator"),
    "token revoke": _all("operator"),
    "area add": _all("operator"),
    "agency add": _all("operator"),
    "keys rotate": _all("operator"),
    "mart build": _all("operator"),
    "demo run": _all("operator"),
    "demo code": _all("operator"),
    "simulate": _all("pure"),
    "screen": _all("pure"),
    "estimate": _all("pure"),
    "link": _all("pure"),
}

# How to call a route that needs more than a case id.
CALLS: dict[str, dict[str, object]] = {
    "POST /api/cases/{case_id}/screenings": {"body": {"age": {"years": 14, "basis": "stated"}}},
}


def outcome(key: str, column: str) -> str:
    return TABLE[key][COLUMNS.index(column)]
