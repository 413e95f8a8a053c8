"""The statistics pages' routes, under /statistics/ in the monitoring namespace."""

from django.urls import path

from lantern.monitoring.dashboard import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tables/", views.table_builder, name="tables"),
    path("tables/table.csv", views.table_download, {"fmt": "csv"}, name="table_csv"),
    path("trends/", views.trends_page, name="trends"),
    path("routes/", views.routes_page, name="routes"),
    path("refresh/", views.refresh_page, name="refresh"),
    path("report/annual.pdf", views.annual_report, {"fmt": "pdf"}, name="report_pdf"),
    path("report/annual.xlsx", views.annual_report, {"fmt": "xlsx"}, name="report_xlsx"),
    path("tables/table.xlsx", views.table_download, {"fmt": "xlsx"}, name="table_xlsx"),
]
