from django.urls import include, path

from lantern.api import api

urlpatterns = [
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("statistics/", include("lantern.monitoring.urls")),
    path("", include("lantern.web.urls")),
]
