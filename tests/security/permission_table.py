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
_STATISTICS = ("no", "no", "no", "yes", "yes", "no", "no", "no", "no", "no")
_IMPORT_JOB = ("scoped", "scoped", "scoped", "all", "no", "no", "no", "no", "no", "no")
# The perpetrator register (lantern.perpetrators): supervisors and the liaison, national.
_REGISTER = ("no", "all", "no", "no", "no", "all", "no", "no", "no", "no")
_REGISTER_LIST = ("no", "yes", "no", "no", "no", "yes", "no", "no", "no", "no")
_CASE_NETWORK = ("no", "scoped", "no", "no", "no", "scoped", "no", "no", "no", "no")
_REPORT_TRAFFICKER = ("scoped", "scoped", "no", "no", "no", "no", "no", "no", "no", "no")

# The national response (#18): the plan and its programmes, managed by the national
# coordinator and read by the monitoring analyst (aggregate figures only); agreements read by
# the coordinator and the cross-border liaison; readmission requests the liaison's, in its
# agency, read nationally by the coordinator.
_PROG_VIEW = ("no", "no", "no", "yes", "yes", "no", "no", "no", "no", "no")
_PROG_READ = ("no", "no", "no", "all", "all", "no", "no", "no", "no", "no")
_PROG_NEW = ("no", "no", "no", "yes", "no", "no", "no", "no", "no", "no")
_PROG_EDIT = ("no", "no", "no", "all", "no", "no", "no", "no", "no", "no")
_COOP_VIEW = ("no", "no", "no", "yes", "no", "yes", "no", "no", "no", "no")
_COOP_READ = ("no", "no", "no", "all", "no", "all", "no", "no", "no", "no")
_READMIT_SEND = ("no", "no", "no", "no", "no", "yes", "no", "no", "no", "no")
_READMIT_READ = ("no", "no", "no", "all", "no", "scoped", "no", "no", "no", "no")
_READMIT_ANSWER = ("no", "no", "no", "no", "no", "scoped", "no", "no", "no", "no")
# Community prevention (#18): see the rows below.
_SUPERVISOR_YES = ("no", "yes", "no", "no", "no", "no", "no", "no", "no", "no")
_COMMITTEES = ("yes", "yes", "no", "yes", "no", "no", "no", "no", "no", "no")
_COMMITTEE = ("scoped", "scoped", "no", "all", "no", "no", "no", "no", "no", "no")
_CAMPAIGNS = ("yes", "yes", "yes", "yes", "no", "yes", "no", "no", "no", "no")
_CAMPAIGN = ("all", "all", "all", "all", "no", "all", "no", "no", "no", "no")

# Who does what (lantern.directory): the list and search for every role with the referral
# directory; an organisation's draft is seen by its agency and the coordinator only.
_DIR_LIST = ("yes", "yes", "yes", "yes", "no", "yes", "no", "no", "no", "yes")
_DIR_WRITE = ("no", "yes", "yes", "yes", "no", "no", "no", "no", "no", "no")
_DIR_VIEW = ("scoped", "scoped", "scoped", "all", "no", "scoped", "no", "no", "no", "no")
_DIR_MANAGE = ("no", "scoped", "scoped", "all", "no", "no", "no", "no", "no", "no")
_DIR_APPROVE = ("no", "no", "no", "all", "no", "no", "no", "no", "no", "no")
_COORDINATOR = ("no", "no", "no", "yes", "no", "no", "no", "no", "no", "no")

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
    # The national response (#18): lantern.response.programmes and .agreements
    "web:programme_list": _PROG_VIEW,
    "web:programme_detail": _PROG_READ,
    "web:programme_new": _PROG_NEW,
    "web:programme_edit": _PROG_EDIT,
    "web:target_new": _PROG_EDIT,
    "web:target_value": _PROG_EDIT,
    "web:plan_new": _PROG_NEW,
    "web:plan_edit": _PROG_EDIT,
    "web:agreement_list": _COOP_VIEW,
    "web:agreement_detail": _COOP_READ,
    "web:agreement_new": _PROG_NEW,
    "web:agreement_edit": _PROG_EDIT,
    "web:readmissions": _COOP_VIEW,
    "web:readmission_detail": _READMIT_READ,
    # The same estimate as data (lantern.monitoring.estimate_api): as the page.
    "GET /api/statistics/estimate": ("no", "no", "no", "yes", "yes", "no", "no", "no", "no", "no"),
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
    # --- statistics (lantern.monitoring.statistics.api): aggregate figures from the mart, small
    # counts withheld, for the roles that read statistics (RULES statistics view) ---
    "GET /api/statistics/dimensions": _STATISTICS,
    "GET /api/statistics/table": _STATISTICS,
    "GET /api/statistics/table/csv": _STATISTICS,
    "GET /api/statistics/table/xlsx": _STATISTICS,
    # --- record linkage (lantern.linkage): classified by the protection helper from RULES ---
    # Review: supervisors for pairs touching their agency (names in scope), the coordinator
    # nationally from evidence without names. Search: ("person", "search"); trace: tracing match.
    "GET /api/linkage/review": _LINK_QUEUE,
    "GET /api/linkage/review/{pair_id}": _LINK_PAIR,
    "POST /api/linkage/review/{pair_id}": _LINK_DECIDE,
    "POST /api/linkage/search": _CASEWORK,
    "POST /api/linkage/trace": ("yes", "yes", "no", "no", "no", "yes", "no", "no", "no", "no"),
    # --- the national response (#18) ---
    "GET /api/plans": _PROG_VIEW,
    "POST /api/plans": _PROG_NEW,
    "GET /api/programmes": _PROG_VIEW,
    "POST /api/programmes": _PROG_NEW,
    "GET /api/programmes/{programme_id}": _PROG_READ,
    "POST /api/programmes/{programme_id}/targets": _PROG_EDIT,
    "POST /api/targets/{target_id}/values": _PROG_EDIT,
    "GET /api/targets/{target_id}/progress": _PROG_READ,
    "GET /api/cooperation-agreements": _COOP_VIEW,
    "POST /api/cooperation-agreements": _PROG_NEW,
    "GET /api/cooperation-agreements/{cooperation_id}": _COOP_READ,
    "GET /api/readmissions": _COOP_VIEW,
    "POST /api/readmissions": _READMIT_SEND,
    "POST /api/readmissions/receive": _READMIT_SEND,
    "GET /api/readmissions/{readmission_id}": _READMIT_READ,
    "POST /api/readmissions/{readmission_id}/answer": _READMIT_ANSWER,
    # --- community prevention (lantern.response.community, #18): pages and API ---
    # The at-risk register: case supervisors only (caseworkers refer through them); a child
    # of another agency is 404. Committees: the agency's caseworkers and supervisors, the
    # coordinator nationally (without members' names), a facilitator their own committees
    # (column ADDED below); reports are recorded by the committee's facilitators only.
    # Campaigns are seen nationally; inspections are the inspecting agency's.
    "web:atrisk_list": _SUPERVISOR_YES,
    "web:atrisk_new": _SUPERVISOR_YES,
    "web:atrisk_child": _SUPERVISOR,
    "web:committees": _COMMITTEES,
    "web:committee": _COMMITTEE,
    "web:committee_report": _all("no"),
    "web:campaigns": _CAMPAIGNS,
    "web:campaign": _CAMPAIGN,
    "web:inspections": _COMMITTEES,
    "web:case_education": _VIEW,
    "GET /api/at-risk": _SUPERVISOR_YES,
    "POST /api/at-risk": _SUPERVISOR_YES,
    "GET /api/at-risk/{child_id}": _SUPERVISOR,
    "POST /api/at-risk/{child_id}/visits": _SUPERVISOR,
    "POST /api/at-risk/{child_id}/withdraw": _SUPERVISOR,
    "POST /api/at-risk/{child_id}/enrolments": _SUPERVISOR,
    "GET /api/committees": _COMMITTEES,
    "POST /api/committees": _SUPERVISOR_YES,
    "GET /api/committees/{committee_id}": _COMMITTEE,
    "POST /api/committees/{committee_id}/members": _SUPERVISOR,
    "POST /api/committees/{committee_id}/reports": _all("no"),
    "GET /api/committees/{committee_id}/reports": _COMMITTEE,
    "GET /api/campaigns": _CAMPAIGNS,
    "POST /api/campaigns": ("no", "yes", "no", "yes", "no", "no", "no", "no", "no", "no"),
    "GET /api/campaigns/{campaign_id}": _CAMPAIGN,
    "POST /api/campaigns/{campaign_id}/reach": (
        "no",
        "scoped",
        "no",
        "all",
        "no",
        "no",
        "no",
        "no",
        "no",
        "no",
    ),
    # A rescued child's schooling: read with the case, recorded as protection work on it.
    "GET /api/cases/{case_id}/enrolments": _VIEW,
    "POST /api/cases/{case_id}/enrolments": _PROTECT,
    "POST /api/enrolments/{enrolment_id}/attendance": _PROTECT,
    "POST /api/enrolments/{enrolment_id}/finish": _PROTECT,
    "GET /api/inspections": _COMMITTEES,
    "POST /api/inspections": _CASEWORK,
    # --- who does what (lantern.directory, #18): every role with the referral directory
    # reads it (an agency's drafts only its own; others see approved entries); supervisors and
    # agency administrators keep their agency's entries, the coordinator any, and approves.
    "web:directory": _DIR_LIST,
    "web:directory_new": _DIR_WRITE,
    "web:directory_review": _COORDINATOR,
    "web:directory_coverage": _COORDINATOR,
    "web:directory_organisation": _DIR_VIEW,
    "web:directory_edit": _DIR_MANAGE,
    "web:directory_entry_new": _DIR_MANAGE,
    "web:directory_service_edit": _DIR_MANAGE,
    "web:directory_project_edit": _DIR_MANAGE,
    "web:directory_lesson_edit": _DIR_MANAGE,
    "GET /api/directory/organisations": _DIR_LIST,
    "POST /api/directory/organisations": _DIR_WRITE,
    "GET /api/directory/organisations/{organisation_id}": _DIR_VIEW,
    "PATCH /api/directory/organisations/{organisation_id}": _DIR_MANAGE,
    "POST /api/directory/organisations/{organisation_id}/services": _DIR_MANAGE,
    "POST /api/directory/organisations/{organisation_id}/projects": _DIR_MANAGE,
    "POST /api/directory/organisations/{organisation_id}/lessons": _DIR_MANAGE,
    "PATCH /api/directory/services/{service_id}": _DIR_MANAGE,
    "PATCH /api/directory/projects/{project_id}": _DIR_MANAGE,
    "PATCH /api/directory/lessons/{lesson_id}": _DIR_MANAGE,
    "POST /api/directory/organisations/{organisation_id}/submit": _DIR_MANAGE,
    "POST /api/directory/organisations/{organisation_id}/approve": _DIR_APPROVE,
    "POST /api/directory/organisations/{organisation_id}/send-back": _DIR_APPROVE,
    "GET /api/directory/review": _COORDINATOR,
    "GET /api/directory/search": _DIR_LIST,
    "GET /api/directory/services": _DIR_LIST,
    "GET /api/directory/coverage": _COORDINATOR,
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
    # SDG 16.2.2 rates, and the population tables they divide by (public figures, audited).
    "report sdg": _all("operator"),
    "population load": _all("operator"),
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
    # --- the perpetrator register, justice chain and networks (lantern.perpetrators, #17) ---
    # National, for the roles that read identities and work with the police (supervisors, the
    # liaison); a network shows only the cases one may view. Caseworkers (and supervisors) add
    # what a child says about a trafficker of a case they may update, without seeing the register.
    "web:perpetrator_list": _REGISTER_LIST,
    "web:perpetrator_detail": _REGISTER,
    "web:perpetrator_network": _REGISTER,
    "web:case_network": _CASE_NETWORK,
    "web:case_report": _REPORT_TRAFFICKER,
    "GET /api/perpetrators": _REGISTER_LIST,
    "POST /api/perpetrators/lookup": _REGISTER_LIST,
    "GET /api/perpetrators/{perpetrator_id}": _REGISTER,
    "POST /api/perpetrators/{perpetrator_id}/identifiers": _REGISTER,
    "POST /api/perpetrators/{perpetrator_id}/justice-steps": _REGISTER,
    "GET /api/perpetrators/{perpetrator_id}/network": _REGISTER,
    "GET /api/cases/{case_id}/network": _CASE_NETWORK,
    "POST /api/cases/{case_id}/perpetrator-reports": _REPORT_TRAFFICKER,
    "stats justice": _all("operator"),  # GLOTIP's justice figures, on the host, audited
    # k-anonymised microdata (CTDC shape): the roles that read statistics; lists no case; audited
    "export": ("no", "no", "no", "yes", "yes", "no", "no", "no", "no", "no"),
    # HTCDS 2.0 records (#16): the cases one may view, names and birth dates only for the roles
    # that read identities (the others' file leaves them out and says so); audited.
    "export --format htcds": (
        "no",
        "scoped+id",
        "scoped",
        "all",
        "no",
        "no",
        "no",
        "no",
        "no",
        "no",
    ),
    # Counting the hidden children from a records file (links, draws, estimates): no store.
    "count": _all("pure"),
    # linking register records across agencies: a reader who records on the register decides
    "web:perpetrator_review": _REGISTER_LIST,
    "web:perpetrator_pair": _REGISTER_LIST,
    "GET /api/perpetrators/review-queue": _REGISTER_LIST,
    "POST /api/perpetrators/review-queue/{perpetrator_pair_id}": _REGISTER_LIST,
    "perpetrators link": _all("operator"),  # on the host, audited, counts only printed
    # The national response's commands (#18): acting as --user through the pages' services
    # and policy checks, audited; the same rows as the pages and the API.
    "readmission list": _COOP_VIEW,
    "readmission send": _READMIT_SEND,
    "readmission receive": _READMIT_SEND,
    "readmission answer": _READMIT_ANSWER,
    "committees list": _COMMITTEES,
    "committees report": _all("no"),  # a facilitator's (ADDED below)
    # Choosing the area of a record written before areas came from the list: its keeper's
    # (RULES committee manage, campaign manage, inspection record).
    "web:committee_area": _SUPERVISOR,
    "web:campaign_area": ("no", "scoped", "no", "all", "no", "no", "no", "no", "no", "no"),
    "web:inspection_area": _PROTECT,
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
    # the directory: a bad code past the policy check, so an allowed call changes nothing
    "POST /api/directory/organisations": {
        "body": {"name": "Matrix Probe Org", "type": "NGO", "sexes": ["Nope"]}
    },
    "PATCH /api/directory/organisations/{organisation_id}": {"body": {"sexes": ["Nope"]}},
    "POST /api/directory/organisations/{organisation_id}/services": {
        "body": {"name": "Probe", "support_type": "nope"}
    },
    "POST /api/directory/organisations/{organisation_id}/projects": {
        "body": {"title": "Probe", "start": "2026-01-02", "end": "2025-01-01"}
    },
    "POST /api/directory/organisations/{organisation_id}/lessons": {
        "body": {"title": "Probe", "result": "nope"}
    },
    "PATCH /api/directory/services/{service_id}": {"body": {"support_type": "nope"}},
    "PATCH /api/directory/projects/{project_id}": {"body": {"areas": ["XXX"]}},
    "PATCH /api/directory/lessons/{lesson_id}": {"body": {"result": "nope"}},
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
    # The national response: a missing organisation or plan, a target the wrong way round, an
    # interval without its value, an unknown type or exchange agreement, a packet that is not
    # base64, an answer to a request sent (not received): allowed roles get 4xx, nothing changes.
    "POST /api/plans": {
        "body": {
            "title": "Probe plan",
            "starts_on": "2024-01-01",
            "ends_on": "2028-12-31",
            "responsible": _MISSING,
        }
    },
    "POST /api/programmes": {
        "body": {
            "plan": _MISSING,
            "title": "Probe",
            "starts_on": "2024-01-01",
            "deadline": "2027-12-31",
            "responsible": _MISSING,
        }
    },
    "POST /api/programmes/{programme_id}/targets": {
        "body": {
            "statement": "Probe",
            "direction": "decrease",
            "baseline_value": 10,
            "baseline_year": 2023,
            "target_value": 20,
            "target_date": "2027-12-31",
            "indicator_kind": "computed",
        }
    },
    "POST /api/targets/{target_id}/values": {
        "body": {"year": 2025, "value": 1, "low": 5, "high": 6, "source_text": "probe"}
    },
    "POST /api/cooperation-agreements": {
        "body": {
            "reference": "PROBE",
            "title": "Probe",
            "type": "friendship",
            "countries": ["NPL", "IND"],
            "valid_from": "2024-01-01",
        }
    },
    "POST /api/readmissions": {
        "body": {
            "exchange": "NONE",
            "proposed_date": "2099-01-01",
            "crossing_point": "x",
            "escort": "y",
        }
    },
    "POST /api/readmissions/receive": {"body": {"packet": "!"}},
    "POST /api/readmissions/{readmission_id}/answer": {"body": {"accepted": True}},
    # Community prevention: a value no list holds, consent missing, more referrals than
    # children found: allowed roles get 409/422, and nothing is recorded.
    "POST /api/at-risk": {"body": {"given_name": "Probe", "district": "x", "services": ["school"]}},
    "POST /api/at-risk/{child_id}/visits": {
        "body": {"visited_on": "2000-01-01", "outcome": "nope"}
    },
    "POST /api/at-risk/{child_id}/enrolments": {
        "body": {"kind": "nope", "institution": "x", "started_on": "2000-01-01"}
    },
    "POST /api/committees": {
        "body": {"name": "x", "kind": "nope", "area_code": "NPL", "area": "y"}
    },
    "POST /api/committees/{committee_id}/members": {
        "body": {"name": "x", "role": "nope", "joined_on": "2000-01-01"}
    },
    "POST /api/committees/{committee_id}/reports": {
        "body": {
            "seen": "probe",
            "seen_on": "2000-01-01",
            "place": "x",
            "severity": "nope",
            "concerns": ["at_risk"],
        }
    },
    "POST /api/campaigns": {
        "body": {
            "title": "x",
            "audiences": ["nope"],
            "area_code": "NPL",
            "area": "y",
            "materials": ["radio"],
            "starts_on": "2000-01-01",
        }
    },
    "POST /api/campaigns/{campaign_id}/reach": {"body": {"reach": -1}},
    "POST /api/cases/{case_id}/enrolments": {
        "body": {"kind": "nope", "institution": "x", "started_on": "2000-01-01"}
    },
    "POST /api/enrolments/{enrolment_id}/attendance": {
        "body": {"month": "2000-01-01", "days_attended": 1, "days_open": 1}
    },
    "POST /api/enrolments/{enrolment_id}/finish": {
        "body": {"ended_on": "2000-01-01", "completed": True}
    },
    "POST /api/inspections": {
        "body": {
            "visited_on": "2000-01-01",
            "workplace": "x",
            "sector": "C",
            "area_code": "NPL",
            "area": "y",
            "children_found": 1,
            "referrals_made": 2,
        }
    },
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


def _perpetrator(case: Case) -> int:
    """The register record of a suspected trafficker of the case."""
    from lantern.perpetrators.enrol import enrol

    role = ActorRole.objects.select_related("actor").get(pk=_actor_role(case))
    return enrol(role.actor).perpetrator_id


def _perpetrator_pair(case: Case) -> int:
    """A fresh pair of register records to review, one of them the case's trafficker (a
    decision takes a pair out of the queue, so each call gets its own)."""
    from lantern.perpetrators.models import Perpetrator, PerpetratorPair

    left = Perpetrator.objects.get(pk=_perpetrator(case))
    right = Perpetrator.objects.create(agency_id=case.agency_id)
    return PerpetratorPair.objects.create(left=left, right=right, probability=0.6).pk


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


def _lead() -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        name="Matrix Ministry", defaults={"type": "CentralGovernmentOrganisation"}
    )
    return org


def _national_plan(case: Case) -> int:
    from lantern.response.programmes.models import NationalPlan

    plan = NationalPlan.objects.first() or NationalPlan.objects.create(
        title="Matrix plan",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        responsible=_lead(),
        created_at=_now(),
    )
    return plan.pk


def _programme(case: Case) -> int:
    from lantern.response.programmes.models import Programme

    row = Programme.objects.first() or Programme.objects.create(
        plan_id=_national_plan(case),
        title="Matrix programme",
        starts_on=dt.date(2024, 1, 1),
        deadline=dt.date(2027, 12, 31),
        responsible=_lead(),
        created_at=_now(),
        updated_at=_now(),
    )
    return row.pk


def _target(case: Case) -> int:
    """A target measured by an entered indicator (figures are entered for those only)."""
    from lantern.response.programmes.models import Indicator, Target

    row = Target.objects.first()
    if row is None:
        programme = _programme(case)
        indicator = Indicator.objects.create(
            programme_id=programme, name="Matrix indicator", kind="entered"
        )
        row = Target.objects.create(
            programme_id=programme,
            statement="Matrix target",
            indicator=indicator,
            direction="decrease",
            baseline_value=10,
            baseline_year=2023,
            target_value=5,
            target_date=dt.date(2027, 12, 31),
        )
    return row.pk


def _cooperation(case: Case) -> int:
    from lantern.response.agreements.models import CooperationAgreement

    row = CooperationAgreement.objects.first() or CooperationAgreement.objects.create(
        reference="MATRIX-MOU",
        title="Matrix MoU",
        type="readmission",
        countries=["NPL", "IND"],
        valid_from=dt.date(2024, 1, 1),
        created_at=_now(),
    )
    return row.pk


def _readmission(case: Case) -> int:
    """A readmission request the case's agency sent (so answering it is refused: 409)."""
    from lantern.protection.transfers.models import Agreement
    from lantern.response.agreements.models import ReadmissionRequest

    row = ReadmissionRequest.objects.filter(agency_id=case.agency_id).first()
    if row is None:
        exchange, _ = Agreement.objects.get_or_create(
            reference="MATRIX-EXCHANGE",
            defaults={
                "title": "Matrix exchange",
                "partner_country": "IND",
                "allowed_fields": ["prs_Gender"],
                "valid_from": dt.date(2024, 1, 1),
            },
        )
        row = ReadmissionRequest.objects.create(
            direction="outgoing",
            reference=f"RA-MATRIX-{case.agency_id}",
            agency_id=case.agency_id,
            exchange=exchange,
            proposed_date=dt.date(2099, 1, 1),
            crossing_point="Matrix post",
            escort="Matrix escort",
            status="sent",
            request_digest="0" * 64,
            at=_now(),
        )
    return row.pk


def _community(case: Case, kind: str) -> int:
    """A record of community prevention held by the case's agency (an enrolment: the case's
    own); a committee is facilitated by the agency's committee facilitators."""
    from lantern.accounts.models import User
    from lantern.response.community import models as m

    today, agency = dt.date.today(), case.agency
    if kind == "child":
        child = m.AtRiskChild.objects.filter(agency=agency).first()
        child = child or m.AtRiskChild.objects.create(
            agency=agency,
            given_name="Matrix",
            district="Probe",
            services=["school"],
            consent_by="guardian",
            consent_on=today,
            referred_at=_now(),
        )
        return child.pk
    if kind == "committee":
        row = m.Committee.objects.filter(agency=agency).first()
        row = row or m.Committee.objects.create(
            agency=agency, name="Matrix group", kind="watch_group", area="Probe", created_at=_now()
        )
        row.facilitators.add(*User.objects.filter(agency=agency, role="committee_facilitator"))
        return row.pk
    if kind == "campaign":
        campaign = m.Campaign.objects.filter(agency=agency).first()
        campaign = campaign or m.Campaign.objects.create(
            agency=agency,
            title="Matrix campaign",
            audiences=["parents"],
            area="Probe",
            area_key="probe",
            materials=["radio"],
            starts_on=today,
            created_at=_now(),
        )
        return campaign.pk
    if kind == "inspection":
        visit = m.Inspection.objects.filter(agency=agency).first()
        visit = visit or m.Inspection.objects.create(
            agency=agency,
            visited_on=today,
            workplace="Matrix workshop",
            sector="C",
            area="Probe",
            children_found=0,
            referrals_made=0,
        )
        return visit.pk
    enrolment = m.Enrolment.objects.filter(case=case).first()
    enrolment = enrolment or m.Enrolment.objects.create(
        case=case, kind="school", institution="Matrix school", started_on=today
    )
    return enrolment.pk


def _directory_entry(kind: str) -> Callable[[Case], int]:
    """A draft entry held by the case's agency: seen by its agency and the coordinator only
    (put back to draft on every call, so one role's submit leaves the next role's call alike)."""

    def make(case: Case) -> int:
        from lantern.directory.models import LessonLearned, OrganisationProject, OrganisationService

        org, _ = Organisation.objects.get_or_create(
            name=f"Matrix Directory {case.agency.code}",
            defaults={"type": "NGO", "agency": case.agency, "status": "draft"},
        )
        Organisation.objects.filter(pk=org.pk).update(status="draft")
        if kind == "organisation":
            return org.pk
        model, title = {
            "service": (OrganisationService, {"name": "Probe", "support_type": "legal"}),
            "project": (OrganisationProject, {"title": "Probe"}),
            "lesson": (LessonLearned, {"title": "Probe", "result": "failure"}),
        }[kind]
        row, _ = model.objects.get_or_create(organisation=org, defaults=title)  # type: ignore[attr-defined]
        model.objects.filter(pk=row.pk).update(status="draft")  # type: ignore[attr-defined]
        return row.pk  # type: ignore[no-any-return]

    return make


IDS: dict[str, Callable[[Case], int | str]] = {
    "national_plan_id": _national_plan,
    "programme_id": _programme,
    "target_id": _target,
    "cooperation_id": _cooperation,
    "readmission_id": _readmission,
    "organisation_id": _directory_entry("organisation"),
    "service_id": _directory_entry("service"),
    "project_id": _directory_entry("project"),
    "lesson_id": _directory_entry("lesson"),
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
    "perpetrator_id": _perpetrator,
    # community prevention (#18)
    "child_id": lambda case: _community(case, "child"),
    "committee_id": lambda case: _community(case, "committee"),
    "campaign_id": lambda case: _community(case, "campaign"),
    "enrolment_id": lambda case: _community(case, "enrolment"),
    "inspection_id": lambda case: _community(case, "inspection"),
    "perpetrator_pair_id": _perpetrator_pair,
}


# A command whose --format changes who may run it: its own row above, named "command --format X".
FORMAT_VARIANTS: dict[str, str] = {"export --format htcds": "export"}


def outcome(key: str, column: str) -> str:
    if column in ADDED:
        return ADDED[column].get(key) or _added_default(key)
    return TABLE[key][COLUMNS.index(column)]


# Roles added after the ten columns above (#18): what each reaches, and "no" for every other key
# (deny by default, as RULES), except what every role alike reaches (public, operator, pure,
# and pages open to everyone signed in). The matrix tests them as every other column.
ADDED: dict[str, dict[str, str]] = {
    # A committee facilitator (phone-first): records their own committees' reports, which open
    # cases they cannot read (a community reporter's right), and sees campaigns to avoid
    # repeating them.
    "committee_facilitator": {
        "web:case_new": "yes",
        "POST /api/intake/community-report": "yes",
        "web:committees": "yes",
        "web:committee": "scoped",
        "web:committee_report": "scoped",
        "web:campaigns": "yes",
        "web:campaign": "all",
        "GET /api/committees": "yes",
        "GET /api/committees/{committee_id}": "scoped",
        "POST /api/committees/{committee_id}/reports": "scoped",
        "GET /api/committees/{committee_id}/reports": "scoped",
        "GET /api/campaigns": "yes",
        "GET /api/campaigns/{campaign_id}": "all",
        "committees list": "yes",
        "committees report": "scoped",
    },
    # The police liaison works the perpetrator register nationally (identifiers, links across
    # agencies, arrests); the prosecutor reads it and records the justice chain. Neither reads a
    # child's case (#17).
    "police_liaison": {
        "web:perpetrator_list": "yes",
        "web:perpetrator_detail": "all",
        "web:perpetrator_network": "all",
        "web:perpetrator_review": "yes",
        "web:perpetrator_pair": "yes",
        "GET /api/perpetrators": "yes",
        "POST /api/perpetrators/lookup": "yes",
        "GET /api/perpetrators/{perpetrator_id}": "all",
        "POST /api/perpetrators/{perpetrator_id}/identifiers": "all",
        "POST /api/perpetrators/{perpetrator_id}/justice-steps": "all",
        "GET /api/perpetrators/{perpetrator_id}/network": "all",
        "GET /api/perpetrators/review-queue": "yes",
        "POST /api/perpetrators/review-queue/{perpetrator_pair_id}": "yes",
    },
    "prosecutor": {
        "web:perpetrator_list": "yes",
        "web:perpetrator_detail": "all",
        "web:perpetrator_network": "all",
        "GET /api/perpetrators": "yes",
        "POST /api/perpetrators/lookup": "yes",
        "GET /api/perpetrators/{perpetrator_id}": "all",
        "POST /api/perpetrators/{perpetrator_id}/justice-steps": "all",
        "GET /api/perpetrators/{perpetrator_id}/network": "all",
    },
}
BASE_COLUMNS = COLUMNS
COLUMNS = (*COLUMNS, *ADDED)


def _added_default(key: str) -> str:
    same = set(TABLE[key])
    return same.pop() if len(same) == 1 and same <= {"public", "operator", "pure", "yes"} else "no"


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
