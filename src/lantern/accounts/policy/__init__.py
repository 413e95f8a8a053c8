"""The one policy layer: who may do what, to which records, and see which fields.

Every page, API endpoint, export, command and task asks these functions; nothing else decides.
Rules are one table (``RULES``): role x (resource, action) -> scope. Anything not in the table
is denied. List queries are filtered in the database (``scope_cases``), and a record outside
one's scope is answered as if it did not exist (callers raise 404, never 403).

The public names are here; ``fields`` classifies stored fields, ``rules`` holds the table and
the case scopes, ``records`` scopes every other resource, ``consent`` decides sharing.
"""

from lantern.accounts.policy.consent import (
    MIN_OVERRIDE_REASON,
    REFERRAL_BASES,
    SHARING_CONSENT,
    ShareDecision,
    consented,
    may_refer,
    may_share,
)
from lantern.accounts.policy.fields import CLEAR_BY_DESIGN, FIELD_SENSITIVITY, Tier, tier_of
from lantern.accounts.policy.records import (
    AGENCY_RECORDS,
    CASE_RECORDS,
    MAX_ID,
    agency_allows,
    get_or_404,
    scoped,
    scoped_get,
)
from lantern.accounts.policy.rules import (
    FIELD_TIERS,
    GRANTED_CASE_CONTENT,
    GRANTED_TIERS,
    RULES,
    Scope,
    allows,
    case_allows,
    field_tiers,
    may_read,
    may_read_field,
    requires_second_factor,
    scope_cases,
    scope_for,
)

__all__ = [
    "AGENCY_RECORDS",
    "CASE_RECORDS",
    "CLEAR_BY_DESIGN",
    "FIELD_SENSITIVITY",
    "FIELD_TIERS",
    "GRANTED_CASE_CONTENT",
    "GRANTED_TIERS",
    "MAX_ID",
    "MIN_OVERRIDE_REASON",
    "REFERRAL_BASES",
    "RULES",
    "SHARING_CONSENT",
    "Scope",
    "ShareDecision",
    "Tier",
    "agency_allows",
    "allows",
    "case_allows",
    "consented",
    "field_tiers",
    "get_or_404",
    "may_read",
    "may_read_field",
    "may_refer",
    "may_share",
    "requires_second_factor",
    "scope_cases",
    "scope_for",
    "scoped",
    "scoped_get",
    "tier_of",
]
