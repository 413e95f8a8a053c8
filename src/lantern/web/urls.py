from django.urls import path

from lantern.linkage import views as linkage_views
from lantern.web import views, views_protection, views_screening, views_transfer

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("signin/", views.signin, name="login"),
    path("signin/second-factor/", views.second_factor, name="second_factor"),
    path("signin/enrol/", views.enrol, name="enrol"),
    path("signout/", views.signout, name="logout"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/screening/", views_screening.case_screening, name="case_screening"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("cases/<int:case_id>/access-log/", views.case_access_log, name="case_access_log"),
    path("linkage/review/", linkage_views.review_queue, name="linkage_review"),
    path("linkage/review/<int:pair_id>/", linkage_views.review_pair, name="linkage_pair"),
    # protection workflow (views_protection)
    path("cases/new/", views_protection.case_new, name="case_new"),
    path(
        "cases/<int:case_id>/protection/",
        views_protection.case_protection,
        name="case_protection",
    ),
    path("referrals/<int:referral_id>/", views_protection.referral, name="referral"),
    path("tracing/", views_protection.tracing_list, name="tracing_list"),
    path("tracing/<int:request_id>/", views_protection.tracing_request, name="tracing_request"),
    path("work/", views_protection.my_work, name="my_work"),
    path("caseload/", views_protection.team_caseload, name="team_caseload"),
    # transfers and cross-border referral packets (views_transfer)
    path("cases/<int:case_id>/transfer/", views_transfer.case_transfer, name="case_transfer"),
    path("exchange/import/", views_transfer.exchange_import, name="exchange_import"),
    path("exchange/keys/", views_transfer.exchange_keys, name="exchange_keys"),
]
