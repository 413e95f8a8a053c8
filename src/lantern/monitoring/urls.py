from django.urls import path

from lantern.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("estimate/", views.estimate_page, name="estimate"),
]
