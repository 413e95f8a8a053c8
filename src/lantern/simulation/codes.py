"""Code ids the simulation writes, as docs/record-format.md fixes them.

Kept here (not read from ``lantern.taxonomy``) so the simulation stays a pure, dependency-free
core; tests check every value written against these sets, and these sets against the format.
"""

from __future__ import annotations

from typing import Final

#: Columns of an agency record, in the order docs/record-format.md lists them.
RECORD_COLUMNS: Final[tuple[str, ...]] = (
    "agency",
    "agency_type",
    "source_record_id",
    "cas_RegistrationDate",
    "cas_IntakeChannel",
    "cas_Status",
    "cas_Outcome",
    "prs_FirstName",
    "prs_SecondName",
    "ext_NameScript",
    "ext_Nickname",
    "prs_Gender",
    "prs_Birthdate",
    "ext_BirthdateEstimated",
    "ext_StatedAge",
    "ext_AgeMin",
    "ext_AgeMax",
    "ext_IsMinor",
    "ext_AgeEvidence",
    "ext_DocumentedAge",
    "prs_Citizenship",
    "prs_PrimaryLanguage",
    "prs_IdentityNumber",
    "prs_MailingCountry",
    "prs_MailingState",
    "prs_MailingCity",
    "prs_MailingStreet",
    "prs_MailingPostalCode",
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    "vic_RelationshipToTrafficker",
    "vic_AgeWhenTrafficked",
    "vic_MethodOfRecruitment",
    "vic_MethodsOfControl",
    "vic_TypeOfExploitation",
    "vic_ForcedLabourIndustry",
    "vic_TypeOfSexExploitation",
    "ext_Vulnerabilities",
    "ext_Smuggled",
    "con_Consent",
    "con_TracingConsent",
    "hte_Events",
    "ext_Exploitations",
    "per_Actors",
)

AGENCY_TYPES: Final = frozenset(
    {
        "police",
        "ngo_shelter",
        "hotline",
        "labour_inspection",
        "reception_desk",
        "reintegration",
        "health",
        "government",
        "international_organisation",
    }
)
INTAKE_CHANNELS: Final = frozenset(
    {
        "hotline",
        "transit_reception",
        "rescue",
        "referral",
        "self_referral",
        "community_report",
        "outreach",
    }
)
CASE_STATUSES: Final = frozenset({"Active", "FollowUp", "Closed", "ClosedReferred"})
CASE_OUTCOMES: Final = frozenset(
    {
        "reunited_with_family",
        "group_home_with_job",
        "remained_in_care",
        "ran_away",
        "died",
        "transferred",
        "alternative_care",
        "independent_living",
    }
)
GENDERS: Final = frozenset(
    {
        "Feminine",
        "Masculine",
        "TransgenderFeminine",
        "TransgenderMasculine",
        "NonConforming",
        "NonSpecifiedUnknown",
    }
)
SCRIPTS: Final = frozenset({"Latn", "Deva", "Thai", "Khmr", "Arab", "Mymr", "Laoo", "Beng", "Cyrl"})
AGE_EVIDENCE: Final = frozenset({"documented", "assessed", "stated", "presumed_minor"})
TRAFFICKING_STATUSES: Final = frozenset(
    {"PossibleVictimOfTrafficking", "ActualVictimOfTrafficking", "NotAVictimOfTrafficking"}
)
DECISION_ORGS: Final = frozenset(
    {"Police", "NGO", "CourtOrProsecution", "NonPoliceGovernmentalOrganization", "Other"}
)
RELATIONSHIPS: Final = frozenset({"Familial", "Acquainted", "Unaquainted"})
RECRUITMENT_METHODS: Final = frozenset(
    {
        "AtAPlaceOfBusiness",
        "AtAnEducationalInstitution",
        "AtWork",
        "ThroughOnlineSocialNetworks",
        "ThroughAnOnlineAdvertisement",
        "ThroughATelevisionAdvert",
        "ThroughANewspaperAdvert",
        "ThroughFamilyOrFamilyEvents",
        "ThroughFriendsOrSocialEvents",
        "Other",
        "ThroughPlacementAgency",
        "Abduction",
        "SoldByFamily",
        "ThroughFalseMarriage",
    }
)
CONTROL_METHODS: Final = frozenset(
    {
        "PhysicalThreats",
        "ThreatsLawEnforcement",
        "ThreatensChildrenFamily",
        "DebtBondage",
        "FalsePromises",
        "PhysicalAbuse",
        "SexualAbuse",
        "TakesEarnings",
        "RestrictsFinancialAccess",
        "RestrictsMedicalCare",
        "WithholdsNecessities",
        "PsychologicalAbuse",
        "PsychoactiveSubstance",
        "ExcessiveWorkingHours",
        "WithholdsDocuments",
        "Other",
    }
)
EXPLOITATION_FORMS: Final = frozenset(
    {
        "sexual_exploitation",
        "forced_labour",
        "child_labour",
        "domestic_servitude",
        "forced_begging",
        "forced_criminality",
        "forced_marriage",
        "servitude",
        "armed_conflict",
        "organ_removal",
        "illegal_adoption",
        "surrogacy",
        "slavery_like_practices",
        "camel_jockeying",
        "other",
    }
)
ISIC_SECTIONS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTU")
SEX_EXPLOITATION_TYPES: Final = frozenset(
    {"Prostitution", "Pornography", "RemoteInteractiveServices", "PrivateSexualServices"}
)
ACTOR_ROLES: Final = frozenset(
    {
        "travelling_partner",
        "transporter",
        "recruiter",
        "broker",
        "exploiter",
        "smuggler",
        "abuser",
        "kidnapper",
        "buyer",
        "seller",
        "harbourer",
        "receiver",
        "controller",
        "other",
        "document_forger",
        "corrupt_official",
        "complicit_transporter",
        "placement_agency",
    }
)
TRANSPORT_MODES: Final = frozenset(
    {"foot", "bus", "truck", "car", "train", "boat", "air", "motorbike", "other"}
)
EVENT_TYPES: Final = frozenset({"recruitment", "transit", "exploitation"})

#: Vulnerability factors (seed-requirements TAX-24/TAX-26). The taxonomy package owns the
#: published list; these ids are the simulation's proposal for it.
VULNERABILITY_FACTORS: Final = frozenset(
    {
        "poverty",
        "household_debt",
        "out_of_school",
        "illiterate_parents",
        "family_breakdown",
        "domestic_abuse",
        "runaway",
        "orphan",
        "ethnic_minority",
        "low_caste",
        "displacement",
        "disaster_affected",
        "conflict_affected",
        "unaccompanied",
        "substance_use",
        "source_community",
        "gender_discrimination",
        "large_family",
    }
)

#: Outcomes of children no agency identified (people.parquet only; never in a record).
UNOBSERVED_OUTCOMES: Final = frozenset({"still_exploited", "self_exit"})
