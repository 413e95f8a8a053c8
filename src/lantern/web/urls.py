from django.urls import path

from lantern.linkage import views as linkage_views
from lantern.web import views, views_screening

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
]
