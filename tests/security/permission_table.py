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

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from lantern.cases.models import (
    Actor,
    ActorRole,
    Case,
    Consent,
    Exploitation,
    Person,
    TraffickingEvent,
)
from lantern.directory.models import Organisation
from lantern.linkage.models import LinkRun, MatchPair
from lantern.protection.careplan.models import CarePlan
from lantern.protection.followup.models import FollowUpVisit
from lantern.protection.legal.models import LegalProceeding
from lantern.protection.referrals.models import Referral
from lantern.protection.safety.models import SafePlace
from lantern.protection.tracing.models import TracingRequest
from lantern.protection.triage.models import TriageItem

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
# Protection workflow (the "Protection" issue). Reading a case's protection record follows case
# view (no identity in it); recording protection work is for the case's caseworkers and their
# supervisors; referrals also for the cross-border liaison (RULES: case refer); approval and
# ownership transfers for supervisors (transfer also the liaison); intake for those who open
# cases, and the community report for reporters, who never read what they reported.
_VIEW = ("scoped", "scoped", "scoped", "all", "no", "scoped", "no", "no", "no", "all")
_PROTECT = ("scoped", "scoped", "no", "no", "no", "no", "no", "no", "no", "no")
_REFER = ("scoped", "scoped", "no", "no", "no", "scoped", "no", "no", "no", "no")
_SUPERVISOR = ("no", "scoped", "no", "no", "no", "no", "no", "no", "no", "no")
_TRANSFER = ("no", "scoped", "no", "no", "no", "scoped", "no", "no", "no", "no")
_CASEWORK = ("yes", "yes", "no", "no", "no", "no", "no", "no", "no", "no")
_INTAKE = _CASEWORK
_EXCHANGE = ("no", "yes", "no", "no", "no", "yes", "no", "no", "no", "no")
_REPORT = ("yes", "yes", "no", "no", "no", "no", "yes", "no", "no", "no")
# The directory and safe places' names are not case data: every role that views cases may
# read them (a safe place's address stays need-to-know: ``safety.may_see_location``).
_LINK_QUEUE = ("no", "yes", "no", "yes", "no", "no", "no", "no", "no", "no")
_LINK_PAIR = ("no", "scoped+id", "no", "all", "no", "no", "no", "no", "no", "no")
_LINK_DECIDE = ("no", "scoped", "no", "all", "no", "no", "no", "no", "no", "no")
_DIRECTORY = ("all", "all", "all", "all", "no", "all", "no", "no", "no", "all")
# A safe place's name and capacity: the agency's own places, or one where a child whose case
# the user views is placed now; national roles see all (never the address: need to know).
_SAFE_PLACE = ("scoped", "scoped", "scoped", "all", "no", "scoped", "no", "no", "no", "all")
# The narrative, case notes and attachments (lantern.protection.notes): highly sensitive, so
# read by those who view the case *and* read that tier (the case's caseworkers, supervisors,
# a granted system administrator); written by its caseworkers and supervisors (case update).
_NOTES_READ = ("scoped", "scoped", "no", "no", "no", "no", "no", "no", "no", "all")
_NOTES_WRITE = ("scoped", "scoped", "no", "no", "no", "no", "no", "no", "no", "no")
_IMPORT_JOB = ("scoped", "scoped", "scoped", "all", "no", "no", "no", "no", "no", "no")

TABLE: dict[str, tuple[str, ...]] = {
    #                                 CW / SUP / AADM / NC / MA / LIA / REP / AUD / SYS / SYS+
    # --- web pages (URL names) ---
    "web:home": _all("yes"),
    "web:login": _all("public"),
    "web:second_factor": _all("public"),
    "web:enrol": _all("public"),
    "web:favicon": _all("public"),
    "web:logout": _all("public"),
    "set_language": _all("public"),
    "web:case_list": _LIST,
    # Find a child (#15, item 2): the form for whoever lists cases; by name, identity number or
    # date of birth only for roles that read identities (the service refuses the others).
    "web:case_search": ("yes", "yes", "yes", "yes", "no", "yes", "no", "no", "no", "yes"),
    "web:case_detail": _DETAIL,
    "web:case_screening": _SCREEN,
    # A formal determination ("Actual victim") is recorded by supervisors; screening gives
    # "Possible" only (issue #15, item 8).
    "web:case_determination": _SUPERVISOR,
    # A case's owner and its owners before, for whoever views the case; the form only for
    # supervisors (RULES case assign; a refused POST is a 404 like the page it is not on).
    "web:case_assignment": _VIEW,
    # The child's story (lantern.protection.story): read by whoever views the case (no
    # identity in it), changed by those who may update it (RULES case update); its history the
    # same, values and reasons by tier.
    "web:case_story": _VIEW,
    "web:case_history": _VIEW,
    "web:case_access_log": ("no", "scoped", "no", "no", "no", "no", "no", "no", "no", "no"),
    "web:audit_list": _AUDITOR_ONLY,
    "web:audit_export": _AUDITOR_ONLY,
    # Protection workflow pages (lantern.protection.<domain>.views)
    "web:case_new": _REPORT,
    # After intake's duplicate warning: "it is this child", opening the existing case (#15,
    # item 5); for those who open cases, on a case they may view.
    "web:intake_existing": _PROTECT,
    "web:case_protection": _VIEW,
    "web:referral": _REFER,
    "web:tracing_list": _CASEWORK,
    "web:tracing_request": _PROTECT,
    "web:my_work": _CASEWORK,
    "web:team_caseload": ("no", "yes", "no", "no", "no", "no", "no", "no", "no", "no"),
    # The triage queue (lantern.protection.triage): the agency's reports for its caseworkers
    # and supervisors (no names in it); reporters never read it; another agency's item is 404.
    "web:triage_queue": _CASEWORK,
    "web:triage_item": _PROTECT,
    # Transfers and cross-border packets (lantern.protection.transfers.views): RULES case
    # transfer and exchange import, both supervisor and liaison; the page shows no identity
    # (reference only).
    "web:case_transfer": _TRANSFER,
    # Closure (lantern.protection.closure): the checklist and the request for those who may move
    # the case (RULES case transition), the approval for supervisors (case approve_closure).
    "web:case_closure": _PROTECT,
    "web:exchange_import": _EXCHANGE,
    "web:exchange_keys": _EXCHANGE,
    # Import from the web (lantern.cases.importjobs): RULES case import, as the command; a job
    # is its agency's (every job for the national coordinator), another agency's is 404.
    "web:imports": ("yes", "yes", "yes", "yes", "no", "no", "no", "no", "no", "no"),
    "web:import_job": _IMPORT_JOB,
    "web:import_job_errors": _IMPORT_JOB,
    "web:case_notes": _NOTES_READ,
    "web:attachment_download": _NOTES_READ,
    "web:linkage_review": _LINK_QUEUE,
    "web:linkage_pair": _LINK_PAIR,
    # Statistics from the pseudonymised mart: aggregate figures, never a record.
    "monitoring:estimate": ("no", "no", "no", "yes", "yes", "no", "no", "no", "no", "no"),
    # The statistics pages and downloads (lantern.monitoring.dashboard): published figures only,
    # small cells hidden, for the coordinator and the analyst.
    **dict.fromkeys(
        (
            "monitoring:dashboard",
            "monitoring:tables",
            "monitoring:table_csv",
            "monitoring:table_xlsx",
            "monitoring:trends",
            "monitoring:routes",
            "monitoring:report_pdf",
            "monitoring:report_xlsx",
            "monitoring:refresh",
        ),
        ("no", "no", "no", "yes", "yes", "no", "no", "no", "no", "no"),
    ),
    # --- API (OpenAPI operations) ---
    "api:openapi-json": _all("public"),
    "api:openapi-view": _all("public"),
    "api:api-root": _all("public"),
    "GET /api/cases/": _LIST,
    "POST /api/search/children": _LIST,  # by the reference prefix "C-": every case in scope
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
    "POST /api/cases/{case_id}/determination": _SUPERVISOR,
    # Published ILO/EC indicator lists: reference material, no case data.
    "GET /api/screening/checklist": _all("yes"),
    # --- protection workflow API (lantern.protection.api) ---
    "POST /api/intake/hotline": _INTAKE,
    "POST /api/intake/transit-reception": _INTAKE,
    "POST /api/intake/rescue": _INTAKE,
    "POST /api/intake/referral": _INTAKE,
    "POST /api/intake/self-referral": _INTAKE,
    "POST /api/intake/community-report": _REPORT,
    # Search before create: matches only for roles that read identities, within their view.
    "POST /api/intake/existing/{case_id}": _PROTECT,
    "POST /api/intake/search": ("yes", "yes", "no", "no", "no", "yes", "no", "no", "no", "yes"),
    "GET /api/cases/{case_id}/protection": _VIEW,
    "POST /api/cases/{case_id}/transitions": _PROTECT,
    # Closing: a caseworker asks, a supervisor of the agency approves or returns (#15, item 7).
    "GET /api/cases/{case_id}/closure": _PROTECT,
    "POST /api/cases/{case_id}/closure": _PROTECT,
    "POST /api/closures/{closure_id}/approve": _SUPERVISOR,
    "POST /api/closures/{closure_id}/return": _SUPERVISOR,
    "POST /api/closures/{closure_id}/withdraw": _PROTECT,
    # Assignment (lantern.cases.assignment): supervisors give cases owners in their agency.
    "POST /api/cases/{case_id}/assignment": _SUPERVISOR,
    "POST /api/cases/assignments": ("no", "yes", "no", "no", "no", "no", "no", "no", "no", "no"),
    "POST /api/cases/{case_id}/consents": _PROTECT,
    "POST /api/cases/{case_id}/risk-assessments": _PROTECT,
    "POST /api/safe-places": _CASEWORK,
    "GET /api/safe-places/{place_id}": _SAFE_PLACE,
    "POST /api/cases/{case_id}/placements": _PROTECT,
    "GET /api/cases/{case_id}/placements": _VIEW,
    "POST /api/cases/{case_id}/care-plans": _PROTECT,
    "GET /api/care-plans/{plan_id}": _VIEW,
    "POST /api/care-plans/{plan_id}/revise": _PROTECT,
    "POST /api/care-plans/{plan_id}/submit": _PROTECT,
    "POST /api/care-plans/{plan_id}/approve": _SUPERVISOR,
    "GET /api/organisations": ("yes", "yes", "yes", "yes", "no", "yes", "no", "no", "no", "yes"),
    "POST /api/cases/{case_id}/referrals": _REFER,
    "POST /api/referrals/{referral_id}/accept": _REFER,
    "POST /api/referrals/{referral_id}/decline": _REFER,
    "POST /api/referrals/{referral_id}/complete": _REFER,
    "GET /api/referrals/{referral_id}/packet": _REFER,
    "POST /api/cases/{case_id}/transfer": _TRANSFER,
    # Cross-border packets over the API (lantern.protection.transfers.api), as the pages and
    # commands.
    "POST /api/cases/{case_id}/export-packet": _TRANSFER,
    "POST /api/exchange/import": _EXCHANGE,
    "POST /api/tracing-requests": _CASEWORK,
    "GET /api/tracing-requests/{request_id}/candidates": _PROTECT,
    "POST /api/tracing-requests/{request_id}/confirm": _PROTECT,
    "POST /api/tracing-requests/{request_id}/reject": _PROTECT,
    "POST /api/cases/{case_id}/family-assessments": _PROTECT,
    "POST /api/cases/{case_id}/legal-proceedings": _PROTECT,
    "PATCH /api/legal-proceedings/{proceeding_id}": _PROTECT,
    "POST /api/legal-proceedings/{proceeding_id}/events": _PROTECT,
    "POST /api/cases/{case_id}/baseline": _PROTECT,
    "POST /api/cases/{case_id}/visits": _PROTECT,
    "POST /api/visits/{visit_id}/record": _PROTECT,
    "GET /api/cases/{case_id}/wellbeing": _VIEW,
    "GET /api/cases/{case_id}/notes": _NOTES_READ,
    "POST /api/cases/{case_id}/notes": _NOTES_WRITE,
    "GET /api/cases/{case_id}/narrative": _NOTES_READ,
    "POST /api/cases/{case_id}/narrative": _NOTES_WRITE,
    "GET /api/cases/{case_id}/attachments": _NOTES_READ,
    "POST /api/cases/{case_id}/attachments": _NOTES_WRITE,
    "GET /api/cases/{case_id}/attachments/{attachment_id}": _NOTES_READ,
    "POST /api/cases/{case_id}/attachments/{attachment_id}/delete": _NOTES_WRITE,
    "GET /api/worklist": _CASEWORK,
    "GET /api/caseload": ("no", "yes", "no", "no", "no", "no", "no", "no", "no", "no"),
    # Triage: the queue and its items as the pages; naming the duty officer is the supervisor's.
    "GET /api/triage": _CASEWORK,
    "GET /api/triage/{item_id}": _PROTECT,
    "POST /api/triage/{item_id}/take": _PROTECT,
    "POST /api/triage/{item_id}/assign": _SUPERVISOR,
    "POST /api/triage/{item_id}/handle": _PROTECT,
    # --- the child's story (lantern.protection.story): RULES case view / case update ---
    "GET /api/cases/{case_id}/story": _VIEW,
    "PATCH /api/cases/{case_id}/story": _PROTECT,
    "POST /api/cases/{case_id}/story/events": _PROTECT,
    "PATCH /api/cases/{case_id}/story/events/{event_id}": _PROTECT,
    "DELETE /api/cases/{case_id}/story/events/{event_id}": _PROTECT,
    "POST /api/cases/{case_id}/story/episodes": _PROTECT,
    "PATCH /api/cases/{case_id}/story/episodes/{episode_id}": _PROTECT,
    "DELETE /api/cases/{case_id}/story/episodes/{episode_id}": _PROTECT,
    "POST /api/cases/{case_id}/story/actors": _PROTECT,
    "PATCH /api/cases/{case_id}/story/actors/{role_id}": _PROTECT,
    "DELETE /api/cases/{case_id}/story/actors/{role_id}": _PROTECT,
    "GET /api/cases/{case_id}/history": _VIEW,
    # --- record linkage (lantern.linkage): classified by the protection helper from RULES ---
    # Review: supervisors for pairs touching their agency (names in scope), the coordinator
    # nationally from evidence without names. Search: ("person", "search"); trace: tracing match.
    "GET /api/linkage/review": _LINK_QUEUE,
    "GET /api/linkage/review/{pair_id}": _LINK_PAIR,
    "POST /api/linkage/review/{pair_id}": _LINK_DECIDE,
    "POST /api/linkage/search": _CASEWORK,
    "POST /api/linkage/trace": ("yes", "yes", "no", "no", "no", "yes", "no", "no", "no", "no"),
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
    # Aggregate tables from the mart, on the host (each audited): the operator's, as the build.
    "stats table": _all("operator"),
    "report glotip": _all("operator"),
    "report c182": _all("operator"),
    "report annual": _all("operator"),  # the annual report, PDF or XLSX (published figures)
    "demo run": _all("operator"),
    "demo code": _all("operator"),
    # Cross-border packets: export moves a case out (transfer + consent), import opens one.
    "exchange export": _TRANSFER,
    "exchange import": _TRANSFER,
    "exchange keys show": _all("operator"),
    # Bilateral agreements are recorded by the operator from the signed text, both sides alike.
    "exchange agreement add": _all("operator"),
    "exchange agreement list": _all("operator"),
    # Re-pinning a partner's keys (it rotated them) is the operator's, audited like adding one.
    "exchange agreement pin": _all("operator"),
    # Setting old "Actual" statuses without a formal determination back to "Possible": as
    # recording a determination, a supervisor's, within the agency (RULES case determine).
    "cases review-actual": _SUPERVISOR,
    # Running the web imports still waiting (after a restart): cron on the host, each job as
    # the user who confirmed it, audited.
    "imports run": _all("operator"),
    # Backup and restore: the host's operator, who holds the database and the key file anyway.
    "backup": _all("operator"),
    "restore": _all("operator"),
    # The production server: started by the host's operator; every request it serves is checked.
    "serve": _all("operator"),
    # Escalating overdue triage items: cron on the host, each escalation audited.
    "triage escalate": _all("operator"),
    # Blank field forms (no record in them): written by the host's operator for ODK and Kobo.
    "forms export": _all("operator"),
    "simulate": _all("pure"),
    "screen": _all("pure"),
    "estimate": _all("pure"),
    "link": _all("pure"),
}

# How to call a route that needs more than a case id: a body that passes the schema, so the
# handler runs and the service's policy check answers (bodies carry a deliberately bad value
# past the check, so that an allowed call changes nothing: 409/422 then means "allowed").
_CHILD = {"given_name": "Matrix", "family_name": "Probe", "birthdate": "2012-01-01"}
# An id that passes the schema (ids are positive) but names no record: past the policy check,
# the service answers it as missing.
_MISSING = 999_999_999
_INTAKE_BODY = {"child": _CHILD, "confirm_new": True}


def _consent_to_referral(case: Case) -> None:
    Consent.objects.get_or_create(
        case=case, item="referral_sharing", given_by="child", defaults={"value": True}
    )


CALLS: dict[str, dict[str, Any]] = {
    "POST /api/cases/{case_id}/screenings": {"body": {"age": {"years": 14, "basis": "stated"}}},
    # An NGO's finding is no formal determination: refused as invalid, so nothing changes.
    "POST /api/cases/{case_id}/determination": {
        "body": {"body": "NGO", "decided_on": "2020-01-01"}
    },
    "POST /api/intake/hotline": {
        "body": {**_INTAKE_BODY, "concerns": ["at_risk"], "severity": "nope"}
    },
    "POST /api/intake/transit-reception": {
        "body": {**_INTAKE_BODY, "place": "", "met_by_expected_contact": True}
    },
    "POST /api/intake/rescue": {
        "body": {**_INTAKE_BODY, "rescuing_unit": "", "handed_over_to": _MISSING}
    },
    "POST /api/intake/referral": {
        "body": {**_INTAKE_BODY, "referring_organisation": "", "referral_reason": ""}
    },
    "POST /api/intake/self-referral": {"body": {**_INTAKE_BODY, "child": {**_CHILD, "age": 99}}},
    "POST /api/intake/community-report": {
        "body": {**_INTAKE_BODY, "place": "", "concerns": ["at_risk"], "severity": "report"}
    },
    "POST /api/intake/search": {"body": {"given_name": "Sunita", "family_name": "Lamichhane"}},
    "POST /api/search/children": {"body": {"reference": "C-"}},
    "POST /api/intake/existing/{case_id}": {"body": {"channel": "self_referral"}},
    "POST /api/cases/{case_id}/transitions": {"body": {"to": "nowhere", "reason": "probe"}},
    "POST /api/cases/{case_id}/closure": {"body": {"outcome": "nope", "reason": "probe"}},
    # A request already returned: allowed roles get 409, and nothing closes.
    "POST /api/closures/{closure_id}/approve": {"body": {}},
    "POST /api/closures/{closure_id}/return": {"body": {"reason": "probe"}},
    "POST /api/closures/{closure_id}/withdraw": {"body": {}},
    "POST /api/cases/{case_id}/assignment": {"body": {"owner": _MISSING}},
    "POST /api/cases/assignments": {"body": {"cases": [], "owner": _MISSING}},
    "POST /api/cases/{case_id}/consents": {
        "body": {"item": "nope", "value": True, "given_by": "child"}
    },
    "POST /api/cases/{case_id}/risk-assessments": {
        "body": {"risk_to_child": "nope", "risk_to_family": "low", "risk_to_helpers": "low"}
    },
    "POST /api/safe-places": {"body": {"name": "x", "kind": "nope", "address": "y"}},
    "POST /api/cases/{case_id}/placements": {"body": {"place": _MISSING}},
    "POST /api/cases/{case_id}/care-plans": {"body": {"needs": ["nope"], "goals": "probe"}},
    "POST /api/cases/{case_id}/referrals": {
        "setup": _consent_to_referral,
        "body": {
            "organisation": _MISSING,
            "services": ["medical"],
            "consent_basis": "child_assent",
            "due_date": "2099-01-01",
        },
    },
    "POST /api/referrals/{referral_id}/accept": {"body": {"reason": "probe"}},
    "POST /api/referrals/{referral_id}/decline": {"body": {"reason": "probe"}},
    "POST /api/referrals/{referral_id}/complete": {"body": {"note": "probe"}},
    "POST /api/cases/{case_id}/transfer": {"body": {"agency": "nope", "reason": "probe"}},
    # No agreement / a packet that is not base64: allowed roles get 422, nothing moves.
    "POST /api/cases/{case_id}/export-packet": {"body": {"agreement": "NONE", "reason": "probe"}},
    "POST /api/exchange/import": {"body": {"packet": "!"}},
    "POST /api/tracing-requests": {
        "body": {"requester_relation": "nope", "requester_name": "x", "sought_given_name": "y"}
    },
    "POST /api/tracing-requests/{request_id}/confirm": {
        "body": {"case_id": _MISSING, "reason": "p"}
    },
    "POST /api/tracing-requests/{request_id}/reject": {
        "body": {"case_id": _MISSING, "reason": "p"}
    },
    "POST /api/cases/{case_id}/family-assessments": {
        "body": {"retrafficking_risk": "nope", "decision": "reunify"}
    },
    "POST /api/cases/{case_id}/legal-proceedings": {"body": {"kind": "nope"}},
    "POST /api/legal-proceedings/{proceeding_id}/events": {
        "body": {"kind": "nope", "held_on": "2000-01-01", "accompanied": False}
    },
    "POST /api/cases/{case_id}/baseline": {"body": {"wellbeing": {}}},
    "POST /api/cases/{case_id}/visits": {"body": {"scheduled_for": "2000-01-01"}},
    "POST /api/linkage/review/{pair_id}": {"body": {"decision": "different", "reason": "probe"}},
    "POST /api/linkage/search": {"body": {"given_name": "Sunita", "family_name": "Lamichhane"}},
    "POST /api/linkage/trace": {"body": {"family_name": "Nobody"}},
    "POST /api/visits/{visit_id}/record": {"body": {"wellbeing": {}, "retrafficking_risk": "low"}},
    # Taking an item makes the taker the case's owner: the probe takes a handled item (409).
    "POST /api/triage/{item_id}/take": {"setup": lambda case: _handled_item(case)},
    "POST /api/triage/{item_id}/assign": {"body": {"officer": _MISSING}},
    "POST /api/triage/{item_id}/handle": {"body": {"note": ""}},
    # The story: a code no list holds, or no reason to remove: allowed roles get 422, and
    # nothing changes.
    "PATCH /api/cases/{case_id}/story": {"body": {"acts": ["nope"]}},
    "POST /api/cases/{case_id}/story/events": {"body": {"type": "nope"}},
    "PATCH /api/cases/{case_id}/story/events/{event_id}": {"body": {"type": "nope"}},
    "DELETE /api/cases/{case_id}/story/events/{event_id}": {"body": {"reason": ""}},
    "POST /api/cases/{case_id}/story/episodes": {"body": {"form": "nope"}},
    "PATCH /api/cases/{case_id}/story/episodes/{episode_id}": {"body": {"form": "nope"}},
    "DELETE /api/cases/{case_id}/story/episodes/{episode_id}": {"body": {"reason": ""}},
    "POST /api/cases/{case_id}/story/actors": {"body": {"role": "nope"}},
    "PATCH /api/cases/{case_id}/story/actors/{role_id}": {"body": {"role": "nope"}},
    "DELETE /api/cases/{case_id}/story/actors/{role_id}": {"body": {"reason": ""}},
    # Notes: an unknown kind, a stale version, no file, no reason: refused after the policy.
    "POST /api/cases/{case_id}/notes": {"body": {"kind": "nope", "body": "probe"}},
    "POST /api/cases/{case_id}/narrative": {"body": {"text": "probe", "base_version": 999}},
    "POST /api/cases/{case_id}/attachments/{attachment_id}/delete": {"body": {"reason": ""}},
}


# How to find a record of a case for routes keyed by another id: each returns the id of a
# record belonging to (or, for agency-wide records, to the agency of) the given case, so that
# "in" and "out" of scope mean the same as for the case itself.
def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _plan(case: Case) -> int:
    plan, _ = CarePlan.objects.get_or_create(
        case=case,
        version=1,
        defaults={"needs": ["medical"], "status": "submitted", "created_at": _now()},
    )
    return plan.pk


def _referral(case: Case) -> int:
    clinic, _ = Organisation.objects.get_or_create(
        name="Matrix Clinic", defaults={"type": "HealthServiceOrganisation"}
    )
    ref, _ = Referral.objects.get_or_create(
        case=case,
        organisation=clinic,
        defaults={
            "services": ["medical"],
            "consent_basis": "child_assent",
            "requested_at": _now(),
            "due_date": dt.date.today() + dt.timedelta(days=10),
        },
    )
    return ref.pk


def _visit(case: Case) -> int:
    visit, _ = FollowUpVisit.objects.get_or_create(
        case=case, kind="visit", defaults={"scheduled_for": dt.date.today()}
    )
    return visit.pk


def _proceeding(case: Case) -> int:
    row = LegalProceeding.objects.filter(case=case).first() or LegalProceeding.objects.create(
        case=case, kind="investigation", opened_at=_now(), updated_at=_now()
    )
    return row.pk


def _tracing_request(case: Case) -> int:
    req = TracingRequest.objects.filter(agency=case.agency).first()
    req = req or TracingRequest.objects.create(
        agency=case.agency,
        requester_relation="mother",
        requester_name="Matrix Relative",
        sought_family_name="Nobody",
        created_at=_now(),
    )
    return req.pk


def _safe_place(case: Case) -> int:
    place, _ = SafePlace.objects.get_or_create(
        agency=case.agency, name="Matrix House", defaults={"kind": "shelter", "address": "x"}
    )
    return place.pk


def _pair(case: Case) -> int:
    """A fresh undecided pair in the latest run's review band, touching the case's child (a
    decision takes a pair out of every queue, so each call gets its own)."""
    run = LinkRun.objects.filter(finished_at__isnull=False).order_by("-pk").first()
    run = run or LinkRun.objects.create(finished_at=_now(), threshold=0.9, review_floor=0.3)
    other = Person.objects.create(given_name="Pair", family_name="Probe")
    pair = MatchPair.objects.create(
        run=run,
        person_a=case.person,
        person_b=other,
        probability=0.6,
        evidence={},
        linked=False,
    )
    return pair.pk


def _triage_item(case: Case) -> int:
    item = TriageItem.objects.filter(case=case).first() or TriageItem.objects.create(
        case=case,
        agency=case.agency,
        channel="community_report",
        urgency="high",
        rank=1,
        received_at=_now(),
        due_at=_now() + dt.timedelta(hours=24),
    )
    return item.pk


def _handled_item(case: Case) -> None:
    TriageItem.objects.filter(pk=_triage_item(case)).update(status="handled")


def _event(case: Case) -> int:
    row = case.events.first() or TraffickingEvent.objects.create(case=case, seq=1, type="transit")
    return row.pk


def _episode(case: Case) -> int:
    row = case.exploitations.first() or Exploitation.objects.create(
        case=case, seq=1, form="forced_labour"
    )
    return row.pk


def _closure(case: Case) -> int:
    """A closure request of the case that was already returned (so an allowed call changes
    nothing: approving or returning it again is refused)."""
    from lantern.cases.models import ClosureRequest

    row = ClosureRequest.objects.filter(case=case, status="returned").first()
    row = row or ClosureRequest.objects.create(
        case=case, outcome="ran_away", reason="probe", status="returned", requested_at=_now()
    )
    return row.pk


def _actor_role(case: Case) -> int:
    row = case.actor_roles.first()
    if row is None:
        actor, _ = Actor.objects.get_or_create(agency=case.agency, ref="Matrix Actor")
        row = ActorRole.objects.create(actor=actor, case=case, role="recruiter")
    return row.pk


def _attachment(case: Case) -> str:
    """An attachment of the case (a sealed file of its own): its random key."""
    from lantern.protection.notes import files
    from lantern.protection.notes.models import Attachment

    row = Attachment.objects.filter(case=case, deleted_at__isnull=True).first()
    if row is None:
        key = uuid.uuid4()
        data_key = files.store(key, b"Matrix probe file\n")
        row = Attachment.objects.create(
            key=key,
            case=case,
            filename="probe.txt",
            media_type="text/plain",
            size=18,
            data_key=data_key,
            uploaded_at=_now(),
        )
    return str(row.key)


def _import_job(case: Case) -> int:
    """An import job of the case's agency (a finished one: nothing is left to run)."""
    from lantern.cases.importjobs.models import ImportJob, ImportStatus

    row = ImportJob.objects.filter(agency_id=case.agency_id).first()
    if row is None:
        row = ImportJob.objects.create(
            agency_id=case.agency_id,
            status=ImportStatus.DONE,
            filename="probe.csv",
            suffix=".csv",
            uploaded_at=_now(),
        )
    return row.pk


IDS: dict[str, Callable[[Case], int | str]] = {
    "job_id": _import_job,
    "item_id": _triage_item,
    "event_id": _event,
    "episode_id": _episode,
    "role_id": _actor_role,
    "closure_id": _closure,
    "attachment_id": _attachment,
    "pair_id": _pair,
    "plan_id": _plan,
    "referral_id": _referral,
    "visit_id": _visit,
    "proceeding_id": _proceeding,
    "request_id": _tracing_request,
    "place_id": _safe_place,
}


def outcome(key: str, column: str) -> str:
    return TABLE[key][COLUMNS.index(column)]


# The column "a referenced object of another agency": operations whose body names an object
# held by an agency (a shelter, a child's case). Called on a case (or request) in the caller's
# scope, naming the other agency's object, every role must get the answer a missing id gets,
# and nothing may change. Each entry: the body field, how to make the referenced object of a
# case's agency, and any set-up the call needs before it reaches the reference.
def _risk_assessed(case: Case) -> None:
    from lantern.protection.safety.models import RiskAssessment

    if not RiskAssessment.objects.filter(case=case).exists():
        RiskAssessment.objects.create(case=case, level="low", assessed_at=_now())


def _consenting_case(case: Case) -> int:
    Consent.objects.get_or_create(
        case=case, item="family_tracing", given_by="guardian", defaults={"value": True}
    )
    return case.pk


REFERENCES: dict[str, dict[str, Any]] = {
    "POST /api/cases/{case_id}/placements": {
        "field": "place",
        "object": _safe_place,
        "setup": _risk_assessed,
        "body": {},
    },
    "POST /api/tracing-requests/{request_id}/confirm": {
        "field": "case_id",
        "object": _consenting_case,
        "body": {"reason": "probe"},
    },
    "POST /api/tracing-requests/{request_id}/reject": {
        "field": "case_id",
        "object": _consenting_case,
        "body": {"reason": "probe"},
    },
}


def _mart(case: Case) -> None:
    from lantern.monitoring import mart

    mart.build()


# The statistics pages read the mart: built before they are called, so that they show figures.
CALLS.update(
    {
        key: {"setup": _mart}
        for key in (
            "monitoring:dashboard",
            "monitoring:tables",
            "monitoring:trends",
            "monitoring:routes",
        )
    }
)
