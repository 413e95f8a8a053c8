"""The organised-crime flag's reasons (``lantern.networks.flags``, the one rule) in the
reader's words: the core gives a stable code and counts, this gives the sentence, with the
roles shown by their labels."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from lantern.edges.fields import taxonomy_label
from lantern.networks import Reason

SENTENCES = {
    "structured_group": _(
        "%(members)d perpetrators act together: a group of three or more persons (UNTOC art. 2(a))."
    ),
    "small_group": _(
        "Perpetrators known: %(members)d, fewer than the three persons of an organised group "
        "(UNTOC art. 2(a))."
    ),
    "several_victims": _("Children's cases: %(victims)d, several victims."),
    "few_victims": _("Children's cases: %(victims)d, fewer than %(needed)d victims."),
    "several_roles": _("Roles: %(labels)s, a division of labour."),
    "few_roles": _("Roles: %(labels)s, fewer than %(needed)d."),
    "crosses_borders": _("Cases with a border crossed: %(cases)d."),
    "no_border": _("No border crossing recorded."),
    "corrupt_officials": _("Corrupt officials involved: %(officials)d."),
    "no_official": _("No corrupt official recorded."),
    "organised": _(
        "Organised crime: a group of three or more with %(signs)d of the %(total)d signs "
        "(at least %(needed)d)."
    ),
    "not_organised": _(
        "Not flagged as organised crime: %(signs)d of the %(total)d signs (at least "
        "%(needed)d with a group of three or more)."
    ),
}


def sentence(reason: Reason, roles: Iterable[str]) -> str:
    """One reason in the reader's language; ``roles`` are the network's role codes."""
    labels = ", ".join(sorted(taxonomy_label(r, "actor_roles") for r in roles)) or "—"
    template = SENTENCES.get(reason.code)
    if template is None:  # a code this page does not know yet: the core's English
        return reason.text
    return str(template) % {**reason.params, "labels": labels}
