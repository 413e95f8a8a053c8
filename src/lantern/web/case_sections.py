"""The case page's section index: one (anchor, label) per section, in the page's order.

A new section of the case page adds its line here, beside its ``{% include %}`` in
``web/case_detail.html``; the anchor is its ``<section id>``. The index is a row of plain
links: each shows its section alone (CSS ``:target``), and without that CSS the page is one
long page the links scroll through.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

CASE_SECTIONS: tuple[tuple[str, Any], ...] = (
    ("overview", _("Summary")),
    ("determination", _("Determination")),
    ("assignment", _("Owner")),
    ("traffickers", _("Traffickers")),
    ("community", _("Community")),  # lantern.response.community: a committee's report, school
    ("story", _("Story")),
    ("notes", _("Notes")),
    # The protection record (web/protection/_sections.html):
    ("lifecycle", _("Lifecycle")),
    ("intake", _("Intake")),
    ("risk", _("Safety")),
    ("placement", _("Placement")),
    ("consent", _("Consent")),
    ("care-plan", _("Care plan")),
    ("referrals", _("Referrals")),
    ("tracing", _("Tracing")),
    ("family", _("Family")),
    ("legal", _("Legal")),
    ("follow-up", _("Follow-up")),
    ("transfer", _("Transfer")),
    ("close", _("Close")),
    # The child's story as recorded (changed on the story page):
    ("journey", _("Journey")),
    ("exploitation", _("Exploitation episodes")),
    ("actors", _("Actors")),
)
