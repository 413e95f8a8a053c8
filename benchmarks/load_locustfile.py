"""Locust users for the load benchmark: caseworkers at work through the JSON API.

Each simulated caseworker holds their own token (LOAD_TOKENS names a file of them, one a line)
and, between pauses of LOAD_WAIT_MIN..LOAD_WAIT_MAX seconds, lists their team's cases (pages
and filters), opens one, screens it, or records a risk assessment or a consent. Every answer
other than the expected status is a failure. The run stops after LOAD_MAX_REQUESTS requests.
"""

from __future__ import annotations

import itertools
import os
import random
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, events, task
from locust.env import Environment

TOKENS = Path(os.environ["LOAD_TOKENS"]).read_text().split()
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "0"))
_next = itertools.count()
_seen = itertools.count(1)

FILTERS = (
    "gender=Feminine",
    "status=Active",
    "form=sexual_exploitation",
    "age_group=child_15_17",
    "registered_from=2020-01-01",
)
SCREENINGS = (
    {"age": {"years": 15, "basis": "stated"}, "acts": ["transportation"]},
    {
        "age": {"years": 14, "basis": "stated"},
        "acts": ["transfer"],
        "indicators": {"D4.excessive_hours": "yes", "D4.no_education": "yes"},
    },
)
LEVELS = ("low", "medium", "high", "unknown")


@events.request.add_listener
def _stop_at_the_cap(**_: Any) -> None:
    """Bounded request count: the whole run stops once LOAD_MAX_REQUESTS have been made."""
    if MAX_REQUESTS and next(_seen) == MAX_REQUESTS:
        env: Environment | None = _environment
        if env is not None and env.runner is not None:
            env.runner.quit()


_environment: Environment | None = None


@events.init.add_listener
def _keep(environment: Environment, **_: Any) -> None:
    global _environment
    _environment = environment


class Caseworker(FastHttpUser):
    wait_time = between(
        float(os.environ.get("LOAD_WAIT_MIN", "1")), float(os.environ.get("LOAD_WAIT_MAX", "3"))
    )

    def on_start(self) -> None:
        token = TOKENS[next(_next) % len(TOKENS)]
        self.auth = {"Authorization": f"Bearer {token}"}
        self.ids: list[int] = []
        self.pages = 1
        self.list_cases()

    def _case(self) -> int | None:
        if not self.ids:
            self.list_cases()
        return random.choice(self.ids) if self.ids else None

    def _post(self, case: int, what: str, body: dict[str, Any]) -> None:
        self.client.post(
            f"/api/cases/{case}/{what}", json=body, name=f"record {what}", headers=self.auth
        )

    @task(3)
    def list_cases(self) -> None:
        page = random.randint(1, min(self.pages, 20))
        res = self.client.get(f"/api/cases/?page={page}", name="list", headers=self.auth)
        if res.status_code == 200:
            body = res.json()
            self.pages = max(1, -(-body["count"] // body["page_size"]))
            self.ids = [row["id"] for row in body["results"]] or self.ids

    @task(1)
    def list_filtered(self) -> None:
        self.client.get(
            f"/api/cases/?{random.choice(FILTERS)}", name="list filtered", headers=self.auth
        )

    @task(3)
    def open_case(self) -> None:
        if (case := self._case()) is not None:
            self.client.get(f"/api/cases/{case}", name="open", headers=self.auth)

    @task(2)
    def screen(self) -> None:
        if (case := self._case()) is not None:
            body = random.choice(SCREENINGS)
            self.client.post(
                f"/api/cases/{case}/screenings", json=body, name="screen", headers=self.auth
            )

    @task(1)
    def record_risk(self) -> None:
        if (case := self._case()) is not None:
            levels = [random.choice(LEVELS) for _ in range(3)]
            body = dict(
                zip(("risk_to_child", "risk_to_family", "risk_to_helpers"), levels, strict=True)
            )
            self._post(case, "risk-assessments", body)

    @task(1)
    def record_consent(self) -> None:
        if (case := self._case()) is not None:
            body = {
                "item": "referral_sharing",
                "value": random.choice((True, False, None)),
                "given_by": random.choice(("child", "guardian")),
            }
            self._post(case, "consents", body)
