"""The app's URLs plus the protection router on its own API (until the lead mounts it)."""

from __future__ import annotations

from django.urls import include, path
from ninja import NinjaAPI

from lantern.accounts.auth import SessionOrToken
from lantern.protection.api import router

api = NinjaAPI(
    title="Lantern protection (test mount)",
    version="test",
    auth=SessionOrToken(),
    urls_namespace="protection_test",
)
api.add_router("/", router)

urlpatterns = [path("papi/", api.urls), path("", include("lantern.urls"))]
