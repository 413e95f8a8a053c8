"""Every page's route: the shell's own and each domain's views (the shell on top may import the
domains; they never import it)."""

from pathlib import Path

from django.urls import path
from django.views.static import serve

from lantern.cases import assignment_views, determination_views, screening_views
from lantern.cases import views as cases
from lantern.cases.importjobs import views as imports
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
]
