"""The protection workflow's records: from intake to closure (DESIGN.md section 3).

Every model hangs off a ``Case`` (or a directory organisation / safe place) and holds coded,
countable facts in clear and free text about the child encrypted, because notes on a child's
health, family or whereabouts identify the child as surely as a name does. Tasks are not
stored: work lists are derived from these records (``lantern.cases.services.worklists``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Agency
from lantern.vault.fields import EncryptedTextField

__all__ = [
    "Agreement",
    "CarePlan",
    "CaseTransition",
    "FamilyAssessment",
    "FollowUpVisit",
    "Intake",
    "LegalProceeding",
    "Organisation",
    "Placement",
    "ProceedingEvent",
    "Referral",
    "RiskAssessment",
    "SafePlace",
    "TracingRequest",
    "Transfer",
]

_USER = settings.AUTH_USER_MODEL


class OrganisationType(models.TextChoices):
    """HTCDS 2.0 ``org_Type``."""

    NGO = "NGO", _("NGO")
    LAW_ENFORCEMENT = "LawEnforcement", _("Law enforcement")
    HEALTH = "HealthServiceOrganisation", _("Health service")
    CENTRAL_GOVERNMENT = "CentralGovernmentOrganisation", _("Central government")
    LOCAL_GOVERNMENT = "LocalGovernmentOrganisation", _("Local government")
    IMMIGRATION = "ImmigrationService", _("Immigration service")
    LEGAL = "LegalService", _("Legal service")
    BUSINESS = "CorporateBusiness", _("Business")
    SCHOOL = "SchoolOrCollege", _("School or college")


class Organisation(models.Model):
    """A service provider in the referral directory (the directory issue will grow it).

    Its contact is the organisation's, not a child's, so it is kept in clear. ``agency`` links
    an organisation that also works in this installation, so its staff answer referrals here.
    """

    name = models.CharField(max_length=200)
    type = models.CharField(max_length=40, choices=OrganisationType.choices)
    country = models.CharField(max_length=3, blank=True, help_text=_("ISO 3166-1 alpha-3"))
    services = models.JSONField(default=list, blank=True, help_text=_("support_types codes"))
    contact = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="organisations"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SafePlaceKind(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    SAFE_ROOM = "safe_room", _("Safe room")
    CRISIS_CENTRE = "crisis_centre", _("Crisis centre")
    UNMARKED_ROOM = "unmarked_room", _("Unmarked room")
    GROUP_HOME = "group_home", _("Group home")
    FOSTER_FAMILY = "foster_family", _("Foster family")
    COMMUNITY_BASED = "community_based", _("Community-based rehabilitation")


class SafePlace(models.Model):
    """A shelter or safe room. Its address is encrypted and highly sensitive (ETH-03):
    shelters are targets of the traffickers whose business they interrupt."""

    name = models.CharField(max_length=200, help_text=_("An unrevealing label, not a signboard"))
    kind = models.CharField(max_length=20, choices=SafePlaceKind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="safe_places")
    address = EncryptedTextField(blank=True)
    capacity = models.PositiveSmallIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class Intake(models.Model):
    """How the case came in: the channel's own minimal facts (CASE-02..08, CASE-19)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="intake")
    channel = models.CharField(max_length=32)
    place = models.CharField(max_length=200, blank=True, help_text=_("Transit point, district"))
    concerns = models.JSONField(default=list, blank=True, help_text=_("CASE-04 reason codes"))
    severity = models.CharField(max_length=16, blank=True, help_text=_("CASE-05 triage level"))
    # transit reception (CASE-02, CASE-03)
    expected_contact = models.CharField(max_length=40, blank=True, help_text=_("A relation"))
    met_by_expected_contact = models.BooleanField(null=True)
    return_passage_offered = models.BooleanField(null=True)
    return_passage_provider = models.CharField(max_length=200, blank=True)
    # rescue (CASE-07): who rescued, and to whom the child was handed over
    rescuing_unit = models.CharField(max_length=200, blank=True)
    handed_over_to = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # referral from another agency
    referring_organisation = models.CharField(max_length=200, blank=True)
    referral_reason = EncryptedTextField(blank=True)
    # community report (ETH-02): the reporter's identity, shown to supervisors only
    reporter_name = EncryptedTextField(blank=True)
    reporter_contact = EncryptedTextField(blank=True)
    rights_information_given = models.BooleanField(null=True, help_text=_("ETH-22"))
    notes = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)


class CaseTransition(models.Model):
    """One step of the case's state machine (``lantern.cases.workflow``), with its reason."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=32)
    to_state = models.CharField(max_length=32)
    reason = EncryptedTextField()  # free text about the child: encrypted, highly sensitive
    by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["case", "at", "id"]


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    UNKNOWN = "unknown", _("Unknown")


class RiskAssessment(models.Model):
    """Immediate needs and reprisal risks, before any return is planned (ETH-04, ETH-06)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="risk_assessments"
    )
    immediate_needs = models.JSONField(default=list, blank=True, help_text=_("support_types"))
    risk_to_child = models.CharField(max_length=8, choices=Level.choices)
    risk_to_family = models.CharField(max_length=8, choices=Level.choices)
    risk_to_helpers = models.CharField(max_length=8, choices=Level.choices)
    family_involved = models.BooleanField(null=True, help_text=_("Family's part (ETH-07)"))
    level = models.CharField(max_length=8, choices=Level.choices)
    notes = EncryptedTextField(blank=True)
    assessed_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    assessed_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "assessed_at", "id"]


class Placement(models.Model):
    """Where the child stays, from when to when."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="placements")
    place = models.ForeignKey(SafePlace, on_delete=models.PROTECT, related_name="placements")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    placed_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["case", "start", "id"]


class CarePlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")


class CarePlan(models.Model):
    """One version of the child's individual plan (CASE-17); a revision is a new version."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="care_plans")
    version = models.PositiveSmallIntegerField()
    needs = models.JSONField(default=list, help_text=_("support_types codes"))
    due_dates = models.JSONField(default=dict, blank=True, help_text=_("{need: YYYY-MM-DD}"))
    goals = EncryptedTextField(blank=True)
    child_views = EncryptedTextField(blank=True, help_text=_("The child's voice (ETH-11)"))
    responsible = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_due = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=CarePlanStatus.choices, default=CarePlanStatus.DRAFT
    )
    created_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="care_plan_version_unique"),
        ]


class ConsentBasis(models.TextChoices):
    CHILD_ASSENT = "child_assent", _("The child's assent")
    GUARDIAN_CONSENT = "guardian_consent", _("A guardian's consent")
    OVERRIDE = "override", _("Override by an authorised role")


class ReferralStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")


class Referral(models.Model):
    """A request to another organisation for services, sharing only ``fields_shared``."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals"
    )
    services = models.JSONField(default=list, help_text=_("support_types codes"))
    fields_shared = models.JSONField(default=list)
    consent_basis = models.CharField(max_length=20, choices=ConsentBasis.choices)
    override_reason = EncryptedTextField(blank=True)
    override_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.REQUESTED
    )
    requested_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField()
    due_date = models.DateField()
    responded_at = models.DateTimeField(null=True, blank=True)
    response_reason = EncryptedTextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completion_note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["case", "requested_at", "id"]

    def is_overdue(self, today: dt.date) -> bool:
        """Open past its due date: not answered, or accepted and not delivered."""
        open_ = self.status in (ReferralStatus.REQUESTED, ReferralStatus.ACCEPTED)
        return open_ and self.due_date < today


class Agreement(models.Model):
    """A bilateral agreement under which referral packets cross a border (CASE-45, COOP-01):
    which HTCDS fields may travel. Both installations record it under the same reference."""

    reference = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    partner_country = models.CharField(max_length=3)
    allowed_fields = models.JSONField(help_text=_("HTCDS packet fields that may travel"))
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    # The partner installation's public keys, pinned when the agreement is recorded: packets
    # are sealed to these keys only and accepted only when signed by them (never a key that
    # arrives with a request).
    partner_name = models.CharField(max_length=200, blank=True)
    partner_sign_key = models.CharField(max_length=64, blank=True, help_text=_("base64 Ed25519"))
    partner_box_key = models.CharField(max_length=64, blank=True, help_text=_("base64 X25519"))
    partner_fingerprint = models.CharField(max_length=64, blank=True, db_index=True)

    def __str__(self) -> str:
        return self.reference

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


class TransferStatus(models.TextChoices):
    COMPLETED = "completed", _("Ownership moved (domestic)")
    EXPORTED = "exported", _("Packet exported")
    IMPORTED = "imported", _("Packet imported")


class Transfer(models.Model):
    """A move of case ownership: to another agency here, or by packet to another installation."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="transfers")
    direction = models.CharField(max_length=8, help_text=_("outgoing / incoming"))
    from_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    installation = models.CharField(
        max_length=64, blank=True, help_text=_("The other installation's key fingerprint")
    )
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers"
    )
    packet_digest = models.CharField(max_length=64, blank=True)
    reason = EncryptedTextField()
    status = models.CharField(max_length=12, choices=TransferStatus.choices)
    by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()


class TracingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Matched (confirmed)")
    CLOSED = "closed", _("Closed")


class TracingRequest(models.Model):
    """A relative looking for a child (CASE-55); matched only to children who consented."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="tracing_requests")
    requester_relation = models.CharField(max_length=40)
    requester_name = EncryptedTextField(blank=True)
    requester_contact = EncryptedTextField(blank=True)
    sought_given_name = EncryptedTextField(blank=True)
    sought_family_name = EncryptedTextField(blank=True)
    sought_birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    sought_home = EncryptedTextField(blank=True, help_text=_("Home village or district"))
    status = models.CharField(
        max_length=10, choices=TracingStatus.choices, default=TracingStatus.OPEN
    )
    matched_case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejected_cases = models.JSONField(default=list, blank=True)
    decision_reason = EncryptedTextField(blank=True)
    decided_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()


class FamilyDecision(models.TextChoices):
    REUNIFY = "reunify", _("Reunify with the family")
    ALTERNATIVE_CARE = "alternative_care", _("Alternative care")


class FamilyAssessment(models.Model):
    """The family assessment that must precede any reunification (CASE-37)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="family_assessments"
    )
    safe = models.BooleanField(null=True)
    family_rejects_child = models.BooleanField(null=True)
    family_involved = models.BooleanField(null=True)
    retrafficking_risk = models.CharField(max_length=8, choices=Level.choices)
    findings = EncryptedTextField(blank=True)
    decision = models.CharField(max_length=20, choices=FamilyDecision.choices)
    assessed_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    assessed_at = models.DateTimeField()


class LegalProceeding(models.Model):
    """The legal track (CASE-09..14): the child is a victim and witness, never the accused."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="legal_proceedings"
    )
    kind = models.CharField(max_length=24)
    status = models.CharField(max_length=12, default="open")
    lawyer_name = EncryptedTextField(blank=True)
    accompaniment = EncryptedTextField(
        blank=True, help_text=_("CASE-11: the person assigned to accompany the child")
    )
    testimony_measures = models.JSONField(default=list, blank=True)
    non_punishment_invoked = models.BooleanField(default=False)
    child_detained_or_charged = models.BooleanField(
        default=False, help_text=_("CASE-08: raises an escalation to the supervisor")
    )
    # Kept in step with the event log by ``services.legal`` (its only writer); proceedings
    # counted before the log existed may count more than they list.
    hearings = models.PositiveSmallIntegerField(default=0)
    interviews = models.PositiveSmallIntegerField(default=0, help_text=_("ETH-10"))
    notes = EncryptedTextField(blank=True)
    opened_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField()
    updated_at = models.DateTimeField()


class ProceedingEvent(models.Model):
    """One hearing, interview or other pre-legal step, and who stood by the child at it
    (CASE-11). An unaccompanied step is recorded as such, so that it shows; ``accompanied`` is
    unknown only for steps counted without the log's details (the old "add a hearing" call)."""

    proceeding = models.ForeignKey(LegalProceeding, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, help_text=_("hearing / interview / other_step"))
    held_on = models.DateField()
    held_at = models.TimeField(null=True, blank=True)
    place = models.CharField(
        max_length=200, blank=True, help_text=_("Court or office; never the child's whereabouts")
    )
    accompanied = models.BooleanField(null=True)
    accompanied_by = EncryptedTextField(blank=True, help_text=_("A name or a role"))
    testimony_measures = models.JSONField(default=list, blank=True, help_text=_("CASE-12"))
    outcome = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["proceeding", "held_on", "held_at", "id"]


class FollowUpVisit(models.Model):
    """A baseline at intake or a follow-up visit, with the wellbeing instrument's scores."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(max_length=10, default="visit", help_text=_("baseline / visit"))
    scheduled_for = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    visited_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    wellbeing = models.JSONField(default=dict, blank=True)
    retrafficking_risk = models.CharField(max_length=8, choices=Level.choices, blank=True)
    notes = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["case", "scheduled_for", "id"]
