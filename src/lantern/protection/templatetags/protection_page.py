"""``{% protection_sections %}``: the case page draws the protection record in place.

In the page, not fetched by a second request at load: the section index's anchors and a save's
redirect to ``#section`` find their section at once, and the page needs no script.
"""

from __future__ import annotations

from typing import Any

from django import template

from lantern.errors import NotAllowed
from lantern.protection import views

register = template.Library()


@register.inclusion_tag("web/protection/_sections.html", takes_context=True)
def protection_sections(context: template.Context) -> dict[str, Any]:
    """The sections of ``case`` for ``request.user``; the form the request posted, if the
    service refused it, is drawn as the user typed it."""
    request, case = context["request"], context["case"]
    shared = {k: context.get(k) for k in ("request", "user", "csrf_token")}
    try:
        return {**shared, **views.protection_context(request, case, views.bound_form(request))}
    except NotAllowed:
        return {**shared, "case": case, "withheld": True}
