"""A field form's submission applied to a case: what makes re-importing an export harmless.

ODK Central and KoboToolbox export every submission of a form each time, so the same screening
or follow-up visit arrives again with every new export. Its instance id, kept here with the
record it became, turns the second arrival into "unchanged" rather than a second screening.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class FieldSubmission(models.Model):
    """One submission (``form``, its instance id) and the record it became on ``case``."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="field_submissions"
    )
    form = models.CharField(max_length=32)  # lantern_intake (edits only), _screening, _followup
    instance_id = models.CharField(max_length=100)  # meta/instanceID, without "uuid:"
    #: the instance id this version replaces, as the file gave it (``meta/deprecatedID``)
    deprecated_id = models.CharField(max_length=100, blank=True, default="", db_index=True)
    #: the first instance id of this submission's chain of edits that Lantern knows
    root_id = models.CharField(max_length=100, blank=True, default="", db_index=True)
    record_id = models.PositiveBigIntegerField()  # the screening's, visit's or case's id
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "cases"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "form", "instance_id"], name="field_submission_once"
            )
        ]
        indexes = [models.Index(fields=["form", "instance_id"], name="field_submission_instance")]
