"""The case model, aligned with HTCDS 2.0 and extended for children (DESIGN.md section 3).

Identifying data sits on ``Person`` and is encrypted at rest; the case context (``Case`` and
what hangs off it) holds coded, non-identifying facts that monitoring can use. Unknown is never
stored as "no": three-valued facts are nullable booleans, code lists allow blank.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Agency
from lantern.taxonomy import code_list, supported_language
from lantern.vault.fields import EncryptedDateField, EncryptedTextField


def age_evidence_choices() -> list[tuple[str, str]]:
    """What an age rests on (the taxonomy's ``age_evidence``), labelled in the active language:
    the one list the record format, the intake form and the case share."""
    return code_list("age_evidence").choices(supported_language(get_language()))


class Person(models.Model):
    """One child (or person) as a human being: identifying fields, encrypted."""

    key = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Pseudonymous person key used by linkage and the mart"),
    )
    given_name = EncryptedTextField(blank=True)
    family_name = EncryptedTextField(blank=True)
    nickname = EncryptedTextField(blank=True)
    name_script = models.CharField(max_length=4, blank=True, help_text=_("ISO 15924"))
    birthdate = EncryptedDateField(null=True, blank=True)
    birthdate_estimated = models.BooleanField(null=True)
    identity_number = EncryptedTextField(blank=True)
    identity_number_index = models.CharField(max_length=40, blank=True, db_index=True)
    contact = EncryptedTextField(blank=True, help_text=_("Phone, e-mail"))
    address = EncryptedTextField(blank=True, help_text=_("Home street, village"))
    home_city = EncryptedTextField(blank=True)
    home_state = models.CharField(max_length=100, blank=True)
    home_country = models.CharField(max_length=3, blank=True)
    gender = models.CharField(max_length=32, blank=True)
    citizenship = models.JSONField(default=list, blank=True)
    primary_language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:  # never a name: str() ends up in logs and admin titles
        return f"Person {self.key}"


class LifecycleState(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    ASSESSED = "assessed", _("Assessed")
    IN_CARE = "in_care", _("In care")
    SERVICES = "services", _("Receiving services")
    REMOVAL_VERIFIED = "removal_verified", _("Removal verified")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


class HtcdsStatus(models.TextChoices):
    ACTIVE = "Active", _("Active")
    FOLLOW_UP = "FollowUp", _("Follow-up")
    CLOSED = "Closed", _("Closed")
    CLOSED_REFERRED = "ClosedReferred", _("Closed (referred)")


class TraffickingStatus(models.TextChoices):
    """HTCDS 2.0 ``vic_TraffickingStatus`` (shared/reference/standards.md 2.3, 4.2): "Possible"
    while indicators are not formally verified (a screening); "Actual" only after a formal
    determination, with ``vic_TraffickingStatusDecisionMakingOrg`` recorded."""

    POSSIBLE = "PossibleVictimOfTrafficking", _("Possible victim")
    ACTUAL = "ActualVictimOfTrafficking", _("Actual victim")
    NOT_A_VICTIM = "NotAVictimOfTrafficking", _("Not a victim")


class DeterminationSource(models.TextChoices):
    """Where a case's formal determination ("Actual victim") was learnt from."""

    RECORDED = "recorded", _("Recorded from the deciding body's decision")
    IMPORT = "import", _("Imported with the agency's record")


class Level(models.TextChoices):
    """A graded risk or need (safety, family, re-trafficking, wellbeing), shared by the domains."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    UNKNOWN = "unknown", _("Unknown")


class Case(models.Model):
    """One agency's case about one child: intake, status, age evidence and coded context."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="cases")
    source_record_id = models.CharField(max_length=100)
    reference = models.CharField(max_length=40, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_cases",
    )
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL)
    area = models.ForeignKey("accounts.Area", null=True, blank=True, on_delete=models.SET_NULL)
    registration_date = models.DateField(db_index=True)
    # How precise the source's registration date was: "day", "month" or "year" (a year-only
    # date is stored as 1 January and never shown or counted as more precise than its year).
    registration_date_precision = models.CharField(max_length=5, default="day")
    intake_channel = models.CharField(max_length=32, blank=True)
    state = models.CharField(
        max_length=32, choices=LifecycleState.choices, default=LifecycleState.IDENTIFIED
    )
    status = models.CharField(
        max_length=16, choices=HtcdsStatus.choices, default=HtcdsStatus.ACTIVE, db_index=True
    )
    outcome = models.CharField(max_length=40, blank=True)
    trafficking_status = models.CharField(
        max_length=40, choices=TraffickingStatus.choices, blank=True
    )
    trafficking_status_decided_by = models.CharField(max_length=40, blank=True)
    # A formal determination ("Actual victim"): its date (unknown for imports) and its source.
    trafficking_determined_on = models.DateField(null=True, blank=True)
    trafficking_determination_source = models.CharField(
        max_length=16, choices=DeterminationSource.choices, blank=True
    )
    relationship_to_trafficker = models.CharField(max_length=20, blank=True)
    # Age: at recruitment, at exploitation and at identification, with the evidence.
    age_evidence = models.CharField(max_length=20, choices=age_evidence_choices, blank=True)
    age_at_identification = models.PositiveSmallIntegerField(null=True, blank=True)
    age_at_recruitment = models.PositiveSmallIntegerField(null=True, blank=True)
    age_at_exploitation = models.PositiveSmallIntegerField(null=True, blank=True)
    documented_age = models.PositiveSmallIntegerField(null=True, blank=True)
    age_group = models.CharField(max_length=16, blank=True, db_index=True)
    # The age at identification as the source gave it (#16): exact (min = max), a band
    # (min-max, e.g. CTDC's ageBroad 9-17), or only "adult" (min 18) or "minor" (max 17);
    # both empty when nothing is known. Statistics and screening use what is known, no more.
    age_min = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(null=True, blank=True)
    # Coded context (code ids from lantern.taxonomy).
    gender = models.CharField(max_length=32, blank=True, db_index=True)
    citizenship = models.CharField(
        max_length=3, blank=True, db_index=True, help_text=_("First citizenship, ISO alpha-3")
    )
    method_of_recruitment = models.CharField(max_length=40, blank=True)
    methods_of_control = models.JSONField(default=list, blank=True)
    forms_of_exploitation = models.JSONField(default=list, blank=True)
    primary_form = models.CharField(max_length=40, blank=True, db_index=True)
    sex_exploitation_types = models.JSONField(default=list, blank=True)
    vulnerabilities = models.JSONField(default=list, blank=True)
    # Palermo art. 3(a) acts established (palermo_acts ids), from screenings and caseworkers.
    acts = models.JSONField(default=list, blank=True)
    smuggled = models.BooleanField(null=True)
    source_digest = models.CharField(
        max_length=32,
        blank=True,
        help_text=_("Hash of the imported row: re-imports of an unchanged row change nothing"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    #: Bumped by the database itself (triggers of migration 0027) on every update of the case
    #: and every update or deletion of its journey or episodes, whoever writes: a save, a
    #: queryset's update, a bulk write or raw SQL. With the number of journey events and
    #: episodes (which a new one changes), it tells the mart's refresh which cases changed.
    revision = models.BigIntegerField(default=0, db_default=0, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "source_record_id"], name="case_unique_source_record"
            ),
        ]
        indexes = [
            # The case list's order within an agency (queries.case_list): a page is read in
            # order from here, with no sort, for any of the agency's scopes.
            models.Index(
                fields=["agency", "-registration_date", "-id"], name="case_agency_list_idx"
            ),
        ]
        ordering = ["-registration_date", "-id"]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.reference:
            self.reference = "C-" + uuid.uuid4().hex[:10].upper()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class EventType(models.TextChoices):
    RECRUITMENT = "recruitment", _("Recruitment")
    TRANSIT = "transit", _("Transit")
    EXPLOITATION = "exploitation", _("Exploitation")


class TraffickingEvent(models.Model):
    """A step of the journey (HTCDS historic trafficking event); flows derive from these."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveSmallIntegerField()
    type = models.CharField(max_length=16, choices=EventType.choices)
    date = models.DateField(null=True, blank=True)
    country = models.CharField(max_length=3, blank=True)
    state = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=100, blank=True)
    transport = models.CharField(max_length=16, blank=True)
    crossing = models.CharField(max_length=8, blank=True, help_text=_("legal / illegal / blank"))

    class Meta:
        ordering = ["case", "seq"]


class Exploitation(models.Model):
    """An exploitation episode; a case may have several (exploitation is often progressive)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exploitations")
    seq = models.PositiveSmallIntegerField()
    form = models.CharField(max_length=40)
    isic_section = models.CharField(max_length=1, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    country = models.CharField(max_length=3, blank=True)

    class Meta:
        ordering = ["case", "seq"]
        indexes = [
            # The list's "form" filter (an EXISTS per case), answered from the index alone.
            models.Index(fields=["form", "case"], name="exploitation_form_case_idx"),
        ]


class Actor(models.Model):
    """A perpetrator known to an agency; linkable across that agency's cases."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actors")
    ref = models.CharField(max_length=100)
    network_ref = models.CharField(max_length=100, blank=True, db_index=True)
    cases = models.ManyToManyField(Case, through="ActorRole", related_name="actors")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "ref"], name="actor_unique_ref"),
        ]


class ActorRole(models.Model):
    """An actor's role in one case (HTCDS RoleInProcess + the report's roles)."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="roles")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actor_roles")
    role = models.CharField(max_length=32)
    relationship = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor", "case", "role"], name="actor_role_unique"),
        ]


class Consent(models.Model):
    """Consent or assent to one item (HTCDS consent guidance + tracing and referral sharing)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    item = models.CharField(max_length=40)
    value = models.BooleanField(null=True, help_text=_("yes / no / unknown"))
    given_by = models.CharField(
        max_length=16, blank=True, help_text=_("child (assent) or guardian (consent)")
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "item", "given_by"], name="consent_unique"),
        ]
