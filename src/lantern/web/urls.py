"""Every page's route: the shell's own and each domain's views (the shell on top may import the
domains; they never import it)."""

from pathlib import Path

from django.urls import path
from django.views.static import serve

from lantern.cases import assignment_views, determination_views, screening_views
from lantern.cases import views as cases
from lantern.cases.importjobs import views as imports
from lantern.directory import views as directory
from lantern.linkage import finding_views
from lantern.linkage import views as linkage_views
from lantern.perpetrators import views as perpetrators
from lantern.protection import views as protection
from lantern.protection.closure import views as closure
from lantern.protection.intake import views as intake
from lantern.protection.notes import views as notes
from lantern.protection.referrals import views as referrals
from lantern.protection.story import views as story
from lantern.protection.tracing import views as tracing
from lantern.protection.transfers import views as transfers
from lantern.protection.triage import views as triage
from lantern.response.agreements import views as cooperation
from lantern.response.community import place_views as places
from lantern.response.community import views as community
from lantern.response.programmes import views as programmes
from lantern.web import trail, views

STATIC = Path(__file__).resolve().parent / "static"

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    # Browsers ask for /favicon.ico whatever a page names: the vendored icon, before sign-in.
    path(
        "favicon.ico", serve, {"path": "web/favicon.ico", "document_root": STATIC}, name="favicon"
    ),
    path("signin/", views.signin, name="login"),
    path("signin/second-factor/", views.second_factor, name="second_factor"),
    path("signin/enrol/", views.enrol, name="enrol"),
    path("signout/", views.signout, name="logout"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/search/", finding_views.search, name="case_search"),
    path("cases/<int:case_id>/", cases.case_detail, name="case_detail"),
    path("cases/<int:case_id>/screening/", screening_views.case_screening, name="case_screening"),
    path(
        "cases/<int:case_id>/determination/",
        determination_views.case_determination,
        name="case_determination",
    ),
    path(
        "cases/<int:case_id>/assignment/",
        assignment_views.case_assignment,
        name="case_assignment",
    ),
    # the child's story after intake, and its history (lantern.protection.story)
    path("cases/<int:case_id>/story/", story.case_story, name="case_story"),
    path("cases/<int:case_id>/history/", story.case_history, name="case_history"),
    # the perpetrator register, its justice chain and networks (lantern.perpetrators)
    path("perpetrators/", perpetrators.perpetrator_list, name="perpetrator_list"),
    path(
        "perpetrators/<int:perpetrator_id>/",
        perpetrators.perpetrator_detail,
        name="perpetrator_detail",
    ),
    path(
        "perpetrators/<int:perpetrator_id>/network/",
        perpetrators.perpetrator_network,
        name="perpetrator_network",
    ),
    path("cases/<int:case_id>/network/", perpetrators.case_network, name="case_network"),
    path("cases/<int:case_id>/traffickers/", perpetrators.case_report, name="case_report"),
    path("perpetrators/review/", perpetrators.review_queue, name="perpetrator_review"),
    path(
        "perpetrators/review/<int:perpetrator_pair_id>/",
        perpetrators.review_pair,
        name="perpetrator_pair",
    ),
    path("audit/", trail.audit_list, name="audit_list"),
    path("audit/export.csv", trail.audit_export, name="audit_export"),
    path("cases/<int:case_id>/access-log/", cases.case_access_log, name="case_access_log"),
    path("linkage/review/", linkage_views.review_queue, name="linkage_review"),
    path("linkage/review/<int:pair_id>/", linkage_views.review_pair, name="linkage_pair"),
    # protection workflow (lantern.protection.<domain>.views)
    path("cases/new/", intake.case_new, name="case_new"),
    path("cases/new/existing/<int:case_id>/", intake.open_existing, name="intake_existing"),
    path(
        "cases/<int:case_id>/protection/",
        protection.case_protection,
        name="case_protection",
    ),
    # the narrative, case notes and attachments (lantern.protection.notes.views)
    path("cases/<int:case_id>/notes/", notes.case_notes, name="case_notes"),
    path(
        "cases/<int:case_id>/attachments/<uuid:attachment_id>/",
        notes.attachment_download,
        name="attachment_download",
    ),
    path("referrals/<int:referral_id>/", referrals.referral, name="referral"),
    path("tracing/", tracing.tracing_list, name="tracing_list"),
    path("tracing/<int:request_id>/", tracing.tracing_request, name="tracing_request"),
    path("work/", protection.my_work, name="my_work"),
    path("caseload/", protection.team_caseload, name="team_caseload"),
    # the triage queue: community reports and hotline calls by urgency, for the duty officer
    path("triage/", triage.queue, name="triage_queue"),
    path("triage/<int:item_id>/", triage.item, name="triage_item"),
    # transfers and cross-border referral packets
    path("cases/<int:case_id>/transfer/", transfers.case_transfer, name="case_transfer"),
    path("exchange/import/", transfers.exchange_import, name="exchange_import"),
    path("exchange/keys/", transfers.exchange_keys, name="exchange_keys"),
    # closing a case: the checklist and the supervisor's approval (lantern.protection.closure)
    path("cases/<int:case_id>/closure/", closure.case_closure, name="case_closure"),
    # import from the web: upload, check (a dry run), confirm; the job runs in the background
    path("imports/", imports.imports, name="imports"),
    path("imports/<int:job_id>/", imports.import_job, name="import_job"),
    path("imports/<int:job_id>/errors.csv", imports.import_job_errors, name="import_job_errors"),
    # the national response (#18): the plan, programmes and targets; agreements, readmission
    path("programmes/", programmes.programme_list, name="programme_list"),
    path("programmes/new/", programmes.programme_edit, name="programme_new"),
    path("programmes/<int:programme_id>/", programmes.programme_detail, name="programme_detail"),
    path("programmes/<int:programme_id>/edit/", programmes.programme_edit, name="programme_edit"),
    path("programmes/<int:programme_id>/targets/new/", programmes.target_new, name="target_new"),
    path("programmes/plans/new/", programmes.plan_edit, name="plan_new"),
    path("programmes/plans/<int:national_plan_id>/edit/", programmes.plan_edit, name="plan_edit"),
    path(
        "programmes/targets/<int:target_id>/figure/", programmes.target_value, name="target_value"
    ),
    path("agreements/", cooperation.agreement_list, name="agreement_list"),
    path("agreements/new/", cooperation.agreement_edit, name="agreement_new"),
    path("agreements/<int:cooperation_id>/", cooperation.agreement_detail, name="agreement_detail"),
    path(
        "agreements/<int:cooperation_id>/edit/", cooperation.agreement_edit, name="agreement_edit"
    ),
    path("readmissions/", cooperation.readmission_list, name="readmissions"),
    path(
        "readmissions/<int:readmission_id>/",
        cooperation.readmission_detail,
        name="readmission_detail",
    ),
    # community prevention (lantern.response.community, #18): the at-risk register, committees
    # and their reports (the facilitator's phone-first form), campaigns, inspections, schooling
    path("prevention/at-risk/", community.atrisk_list, name="atrisk_list"),
    path("prevention/at-risk/new/", community.atrisk_new, name="atrisk_new"),
    path("prevention/at-risk/<int:child_id>/", community.atrisk_child, name="atrisk_child"),
    path("committees/", community.committee_list, name="committees"),
    path("committees/<int:committee_id>/", community.committee, name="committee"),
    path(
        "committees/<int:committee_id>/report/",
        community.committee_report,
        name="committee_report",
    ),
    path("prevention/campaigns/", community.campaign_list, name="campaigns"),
    path("prevention/campaigns/<int:campaign_id>/", community.campaign, name="campaign"),
    path("prevention/inspections/", community.inspection_list, name="inspections"),
    path("cases/<int:case_id>/education/", community.case_education, name="case_education"),
    # choosing the area of a record written before areas came from the list (#18, response2)
    path("committees/<int:committee_id>/area/", places.committee_area, name="committee_area"),
    path(
        "prevention/campaigns/<int:campaign_id>/area/", places.campaign_area, name="campaign_area"
    ),
    path(
        "prevention/inspections/<int:inspection_id>/area/",
        places.inspection_area,
        name="inspection_area",
    ),
    # who does what: the directory of organisations, services, projects and lessons
    path("directory/", directory.directory, name="directory"),
    path("directory/new/", directory.organisation_new, name="directory_new"),
    path("directory/review/", directory.review, name="directory_review"),
    path("directory/coverage/", directory.coverage, name="directory_coverage"),
    path(
        "directory/<int:organisation_id>/",
        directory.organisation,
        name="directory_organisation",
    ),
    path(
        "directory/<int:organisation_id>/edit/", directory.organisation_edit, name="directory_edit"
    ),
    path("directory/<int:organisation_id>/add/", directory.entry_new, name="directory_entry_new"),
    path(
        "directory/services/<int:service_id>/",
        directory.service_edit,
        name="directory_service_edit",
    ),
    path(
        "directory/projects/<int:project_id>/",
        directory.project_edit,
        name="directory_project_edit",
    ),
    path("directory/lessons/<int:lesson_id>/", directory.lesson_edit, name="directory_lesson_edit"),
]
