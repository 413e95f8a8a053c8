"""Field sensitivity: the tier of every stored field, and the text fields kept in clear.

A tier says who may read a field (``rules.FIELD_TIERS``) and whether it is encrypted at rest:
identifying and highly sensitive fields are, and a test holds the models to this table.
"""

from __future__ import annotations

from enum import StrEnum


class Tier(StrEnum):
    """Field sensitivity tiers."""

    STANDARD = "standard"  # coded context: forms, dates, places at country/province level
    IDENTIFYING = "identifying"  # names, dates of birth, contacts, identity numbers, addresses
    HIGHLY_SENSITIVE = "highly_sensitive"  # health, sexual exploitation details, shelter locations


# The sensitivity of each stored field ("model.field", lower case); unlisted fields are standard.
# Identifying and highly sensitive fields must be encrypted at rest (a test holds the models to
# this), so a new field such as a shelter location is classified here when it is added. Every
# text field of every model is either tiered here or listed in CLEAR_BY_DESIGN below
# (tests/security/test_classification.py fails on a field that is neither).
FIELD_SENSITIVITY: dict[str, Tier] = {
    "person.given_name": Tier.IDENTIFYING,
    "person.family_name": Tier.IDENTIFYING,
    "person.nickname": Tier.IDENTIFYING,
    "person.birthdate": Tier.IDENTIFYING,
    "person.identity_number": Tier.IDENTIFYING,
    "person.contact": Tier.IDENTIFYING,
    "person.address": Tier.IDENTIFYING,
    "person.home_city": Tier.IDENTIFYING,
    # Coded, so monitoring can count them; shown only to roles reading highly sensitive data.
    "case.sex_exploitation_types": Tier.HIGHLY_SENSITIVE,
    # protection workflow (lantern.cases.models): encrypted at rest
    "safeplace.address": Tier.HIGHLY_SENSITIVE,
    "intake.reporter_name": Tier.IDENTIFYING,
    "intake.reporter_contact": Tier.IDENTIFYING,
    "intake.notes": Tier.HIGHLY_SENSITIVE,
    "riskassessment.notes": Tier.HIGHLY_SENSITIVE,
    "careplan.goals": Tier.HIGHLY_SENSITIVE,
    "careplan.child_views": Tier.HIGHLY_SENSITIVE,
    "tracingrequest.requester_name": Tier.IDENTIFYING,
    "tracingrequest.requester_contact": Tier.IDENTIFYING,
    "tracingrequest.sought_given_name": Tier.IDENTIFYING,
    "tracingrequest.sought_family_name": Tier.IDENTIFYING,
    "tracingrequest.sought_home": Tier.IDENTIFYING,
    "familyassessment.findings": Tier.HIGHLY_SENSITIVE,
    "legalproceeding.lawyer_name": Tier.IDENTIFYING,
    "legalproceeding.notes": Tier.HIGHLY_SENSITIVE,
    "legalproceeding.accompaniment": Tier.IDENTIFYING,
    "proceedingevent.accompanied_by": Tier.IDENTIFYING,
    "proceedingevent.outcome": Tier.HIGHLY_SENSITIVE,
    "followupvisit.notes": Tier.HIGHLY_SENSITIVE,
    # Free-text reasons: whatever a worker writes about the child (a medical emergency, a
    # family's part), so encrypted and read at the highly sensitive tier. Audit entries refer
    # to them by id; they never copy them.
    "casetransition.reason": Tier.HIGHLY_SENSITIVE,
    "caseassignment.reason": Tier.HIGHLY_SENSITIVE,
    "triageitem.handled_note": Tier.HIGHLY_SENSITIVE,  # what the duty officer did
    "intake.referral_reason": Tier.HIGHLY_SENSITIVE,
    "referral.override_reason": Tier.HIGHLY_SENSITIVE,
    "referral.response_reason": Tier.HIGHLY_SENSITIVE,
    "referral.completion_note": Tier.HIGHLY_SENSITIVE,
    "tracingrequest.decision_reason": Tier.HIGHLY_SENSITIVE,
    "reviewdecision.reason": Tier.HIGHLY_SENSITIVE,
    "closurerequest.reason": Tier.HIGHLY_SENSITIVE,
    "closurerequest.justifications": Tier.HIGHLY_SENSITIVE,
    "closurerequest.decision_reason": Tier.HIGHLY_SENSITIVE,
    # Read by the liaisons who move a case across a border (identifying tier, not health).
    "transfer.reason": Tier.IDENTIFYING,
    # The story's history (lantern.protection.story): the reason is a worker's free text; the
    # values before and after are copies of the fields a change names, encrypted whatever their
    # tier and read at that tier (casechange.tier), so classified here at the highest.
    "casechange.reason": Tier.HIGHLY_SENSITIVE,
    "casechange.before": Tier.HIGHLY_SENSITIVE,
    "casechange.after": Tier.HIGHLY_SENSITIVE,
    # The child's story in the worker's words, and the case's files (lantern.protection.notes):
    # encrypted; an attachment's name may name the child, its data key opens the sealed file.
    "narrativeversion.text": Tier.HIGHLY_SENSITIVE,
    "casenote.body": Tier.HIGHLY_SENSITIVE,
    "attachment.filename": Tier.HIGHLY_SENSITIVE,
    "attachment.description": Tier.HIGHLY_SENSITIVE,
    "attachment.data_key": Tier.HIGHLY_SENSITIVE,
    "attachment.deletion_reason": Tier.HIGHLY_SENSITIVE,
    # A file uploaded for import (lantern.cases.importjobs): its name may name a child, its row
    # errors quote the file's values, its data key opens the sealed file.
    "importjob.filename": Tier.HIGHLY_SENSITIVE,
    "importjob.data_key": Tier.HIGHLY_SENSITIVE,
    "importjob.errors": Tier.HIGHLY_SENSITIVE,
    "importjob.warnings": Tier.HIGHLY_SENSITIVE,  # as the errors: they name the rows
    "importjob.failure": Tier.HIGHLY_SENSITIVE,
    # The perpetrator register (lantern.perpetrators): names, aliases, phones, vehicles, places
    "perpetratoridentifier.value": Tier.IDENTIFYING,
    # readmission requests (lantern.response.agreements): the escorting officers' names and
    # contacts, people's details, read by the liaisons who arrange the return
    "readmissionrequest.escort": Tier.IDENTIFYING,
    # Community prevention (lantern.response.community): a child at risk's name and village, a
    # committee member's name and phone (members may be threatened), the school where a child
    # is found every day; what was seen and what a visit or an inspection found, in free text.
    "atriskchild.given_name": Tier.IDENTIFYING,
    "atriskchild.family_name": Tier.IDENTIFYING,
    "atriskchild.community": Tier.IDENTIFYING,
    "atriskchild.notes": Tier.HIGHLY_SENSITIVE,
    "preventionvisit.notes": Tier.HIGHLY_SENSITIVE,
    "committeemember.name": Tier.IDENTIFYING,
    "committeemember.contact": Tier.IDENTIFYING,
    "committeereport.seen": Tier.HIGHLY_SENSITIVE,
    "enrolment.institution": Tier.IDENTIFYING,
    "inspection.notes": Tier.HIGHLY_SENSITIVE,
}

# Text fields kept in clear on purpose: codes, references, statuses, hashes, coarse places and
# staff or organisation data (no child's identity). A tiered field listed here is a deliberate
# exception to "identifying and highly sensitive fields are encrypted".
CLEAR_BY_DESIGN = frozenset(
    {
        # population tables (SDG 16.2.2 denominators): public aggregate figures and their source
        "populationtable.source",
        "populationtable.file_name",
        "population.area",
        "population.sex",
        "population.age_group",
        # Coded exploitation types: tiered above, clear so that the mart and monitoring count them.
        "case.sex_exploitation_types",
        # accounts: staff and the organisation's structure, not children
        "area.code",
        "area.name",
        "agency.code",
        "agency.name",
        "agency.type",
        "agency.country",
        "team.name",
        "user.password",  # a salted hash
        "user.username",  # looked up at sign-in
        "user.first_name",  # staff names: accountability, not a child's identity
        "user.last_name",
        "user.email",
        "user.role",
        "apitoken.name",  # the owner's label for a token
        "apitoken.prefix",
        "apitoken.digest",  # a hash of the token
        # audit: who did what to which record id; the chain hashes them. Reasons are
        # references and counts ("transition 12"), never a worker's free text.
        "auditentry.username",
        "auditentry.role",
        "auditentry.agency",
        "auditentry.action",
        "auditentry.resource",
        "auditentry.record_id",
        "auditentry.fields",  # field names, not values
        "auditentry.reason",
        "auditentry.source",
        "auditentry.prev_hash",
        "auditentry.hash",
        "audithead.hash",
        "audithead.mac",
        # person: codes, and the province monitoring counts by
        "person.name_script",
        "person.identity_number_index",  # a keyed hash (blind index) for exact look-up
        "person.home_state",
        "person.home_country",
        "person.gender",
        "person.citizenship",
        "person.primary_language",
        # case: references and coded context the mart counts
        "case.source_record_id",  # the agency's record id: re-imports must find it
        "case.reference",
        "case.intake_channel",
        "case.state",
        "case.status",
        "case.outcome",
        "case.trafficking_status",
        "case.trafficking_status_decided_by",
        "case.trafficking_determination_source",
        "case.relationship_to_trafficker",
        "case.age_evidence",
        "case.age_group",
        "case.registration_date_precision",  # day, month or year
        "case.gender",
        "case.citizenship",
        "case.method_of_recruitment",
        "case.methods_of_control",
        "case.forms_of_exploitation",
        "case.primary_form",
        "case.vulnerabilities",
        "case.acts",  # Palermo art. 3(a) act codes
        "case.source_digest",  # a hash of the imported row
        # the journey: codes and places at city level, as the mart publishes them coarsened
        "traffickingevent.type",
        "traffickingevent.country",
        "traffickingevent.state",
        "traffickingevent.city",
        "traffickingevent.transport",
        "traffickingevent.crossing",
        "exploitation.form",
        "exploitation.isic_section",
        "exploitation.country",
        "actor.ref",  # an agency's reference for a perpetrator, never a name
        "actor.network_ref",
        "actorrole.role",
        "actorrole.relationship",
        "consent.item",
        "consent.given_by",
        # the story's history: what changed (codes and field names), from where, at which tier
        "casechange.what",
        "casechange.record_id",
        "casechange.fields",  # field names, not values
        "casechange.tier",
        "casechange.source",  # web, api or "screening <id>"
        "casechange.note",  # a code the history page explains
        # the directory: organisations' own public details
        "organisation.name",
        "organisation.type",
        "organisation.country",
        "organisation.services",
        "organisation.contact",  # the organisation's contact, not a child's
        # the directory's entries (lantern.directory): an organisation's own public details,
        # services, projects and lessons; its forms say they never hold a child's data
        *(
            f"{m}.{f}"
            for m, fs in {
                "organisation": "email phone description status language areas sexes forms"
                " referral_criteria",
                "organisationservice": "name support_type description contact status language"
                " areas sexes forms referral_criteria",
                "organisationproject": "title description funders currency areas status language",
                "lessonlearned": "title tried result text status language",
                "directorytext": "kind config body",  # a folded copy of the entries above
            }.items()
            for f in fs.split()
        ),
        "safeplace.name",  # an unrevealing label; the address is encrypted
        "safeplace.kind",
        # intake: coded triage, and who handed the child over (units, organisations)
        "intake.channel",
        "duplicatechoice.channel",  # intake duplicates: a channel and a code (#15, item 5)
        "duplicatechoice.choice",
        "duplicatechoice.candidates",  # case ids
        "intake.place",  # a transit point or district, as coarse as the journey's places
        "intake.concerns",
        "intake.severity",
        "intake.expected_contact",  # a relation ("uncle"), at most 40 characters
        "intake.return_passage_provider",
        "intake.rescuing_unit",
        "intake.referring_organisation",
        # workflow codes and statuses
        "casetransition.from_state",
        "casetransition.to_state",
        "riskassessment.immediate_needs",
        "riskassessment.risk_to_child",
        "riskassessment.risk_to_family",
        "riskassessment.risk_to_helpers",
        "riskassessment.level",
        "careplan.needs",
        "careplan.due_dates",
        "careplan.status",
        "referral.services",
        "referral.fields_shared",  # field names, not values
        "referral.consent_basis",
        "referral.status",
        "agreement.reference",
        "agreement.title",
        "agreement.partner_country",
        "agreement.allowed_fields",
        "agreement.partner_name",  # the partner installation, an institution
        "agreement.partner_sign_key",  # public keys and their fingerprint
        "agreement.partner_box_key",
        "agreement.partner_fingerprint",
        "transfer.direction",
        "transfer.installation",  # the other installation's key fingerprint
        "transfer.packet_digest",
        "transfer.status",
        "tracingrequest.requester_relation",
        "tracingrequest.status",
        "tracingrequest.rejected_cases",  # case ids
        "familyassessment.retrafficking_risk",
        "familyassessment.decision",
        "legalproceeding.kind",
        "legalproceeding.status",
        "legalproceeding.testimony_measures",
        "proceedingevent.kind",
        "proceedingevent.place",  # a court or office, never the child's whereabouts
        "proceedingevent.testimony_measures",
        "followupvisit.kind",
        "followupvisit.wellbeing",  # the instrument's item scores, counted by monitoring
        "followupvisit.retrafficking_risk",
        # triage: the channel, coded urgency and its reason codes, the item's status
        "triageitem.channel",
        "triageitem.urgency",
        "triageitem.reasons",
        "triageitem.status",
        # closure requests: a case_outcomes code, a status, the keys of the items left open
        "closurerequest.outcome",
        "closurerequest.status",
        "closurerequest.open_items",
        # notes and attachments: the note's kind and the type the content was found to be
        "casenote.kind",
        "attachment.media_type",
        # field form submissions: a form id and a device's random instance id, nothing of the child
        "fieldsubmission.form",
        "fieldsubmission.instance_id",
        "fieldsubmission.deprecated_id",
        "fieldsubmission.root_id",
        # import jobs: status, the file's format and source shape, an agency code, host:pid
        "importjob.status",
        "importjob.suffix",
        "importjob.source_format",
        "importjob.for_agency",
        "importjob.runner",
        # screening: the coded facts screened and the rule set's answer, no names
        "screeningresult.input",
        "screeningresult.result",
        "screeningresult.trafficking",
        "screeningresult.status",
        "screeningresult.status_change",
        "screeningresult.ruleset_version",
        "screeningresult.trafficking_status",
        "screeningresult.decided_by_org",
        "indicatorobservation.indicator_id",
        # linkage: run parameters, pseudonymous keys and agreement levels, no names
        "linkrun.backend",
        "linkrun.model",
        "personlink.cluster_key",
        "matchpair.evidence",
        # the perpetrator register: codes, and the identifiers' kinds and blind indexes
        "perpetrator.kind",
        "perpetrator.sex",
        "perpetrator.citizenship",
        "perpetratoridentifier.kind",
        "perpetratoridentifier.index",  # a keyed hash (blind index) for exact look-up
        "perpetratoridentifier.tail_index",  # the same, on a phone's last digits
        # perpetrator linkage's review queue: a status code and each comparison's weight (numbers)
        "perpetratorpair.status",
        "perpetratorpair.evidence",
        "justicestep.stage",
        # the national response (#18): public policy text and codes, no child in them
        "nationalplan.title",
        "programme.title",
        "programme.goal",
        "programme.areas",
        "programme.review_dates",
        "indicator.name",
        "indicator.kind",
        "indicator.unit",
        "indicator.filters",  # statistics dimensions and codes
        "indicatorvalue.source",  # a published source's citation
        "target.statement",
        "target.direction",
        "cooperationagreement.reference",
        "cooperationagreement.title",
        "cooperationagreement.type",
        "cooperationagreement.countries",
        "cooperationagreement.forms",
        "readmissionrequest.direction",
        "readmissionrequest.reference",
        "readmissionrequest.case_reference",  # the sending agency's reference, no name
        "readmissionrequest.crossing_point",  # a border post
        "readmissionrequest.status",
        "readmissionrequest.request_digest",
        "readmissionrequest.answer_digest",
        "readmissionrequest.answer_note",  # a reception office's answer, no child's details
        # community prevention: codes, districts, committees' and campaigns' public details, a
        # workplace inspected (a business, not a child)
        "atriskchild.district",
        "atriskchild.gender",
        "atriskchild.risk_factors",
        "atriskchild.services",
        "atriskchild.consent_by",
        "preventionvisit.outcome",
        "committee.name",
        "committee.kind",
        "committee.area",
        "committeemember.role",
        "committeereport.place",  # as coarse as an intake's place, which it becomes
        "committeereport.severity",
        "committeereport.concerns",
        "committeereport.child_gender",
        "campaign.title",
        "campaign.audiences",
        "campaign.area",
        "campaign.area_key",
        "campaign.materials",
        "enrolment.kind",
        "enrolment.course",
        "inspection.workplace",
        "inspection.sector",
        "inspection.area",
        # areas in the one vocabulary, and area text an earlier version kept that names none
        "committee.area_code",
        "campaign.area_code",
        "inspection.area_code",
        "programme.unmatched_areas",
        "organisation.unmatched_areas",
        "organisationservice.unmatched_areas",
        "organisationproject.unmatched_areas",
    }
)


def tier_of(field: str) -> Tier:
    """The sensitivity tier of ``"model.field"`` (standard unless classified)."""
    return FIELD_SENSITIVITY.get(field.lower(), Tier.STANDARD)
