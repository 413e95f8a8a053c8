"""The JSON API: one NinjaAPI, each domain app contributing its router."""

from __future__ import annotations

from ninja import NinjaAPI

from lantern.accounts.auth import SessionOrToken
from lantern.cases.api import router as cases_router
from lantern.cases.protection_api import router as protection_router
from lantern.cases.screening_api import router as screening_router
from lantern.linkage.api import router as linkage_router

api = NinjaAPI(
    title="Lantern API",
    version="1",
    description="Trafficking case data. Every request is checked by the policy layer; records "
    "outside your scope answer 404.",
    auth=SessionOrToken(),
    urls_namespace="api",
)
api.add_router("/cases", cases_router)
api.add_router("/", screening_router)
api.add_router("/linkage", linkage_router)
api.add_router("/", protection_router)
api.add_router("/", "lantern.exchange.api.router")
