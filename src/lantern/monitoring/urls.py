from django.urls import include, path

from lantern.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("estimate/", views.estimate_page, name="estimate"),
    # the dashboard, the table builder, trends, routes, the annual report, the mart's refresh
    path("", include("lantern.monitoring.dashboard.urls")),
]
