"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    from lantern.web.navigation import navigation as menu

    user = request.user
    if not user.is_authenticated:
        return {"nav": []}
    return {"nav": menu(user)}
