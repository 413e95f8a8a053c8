"""The dimensions a table can be cut by: how each is read from the mart and how its categories
are labelled.

Every dimension yields a code per unit ('' when unknown: a category of its own, never dropped).
A multi-valued dimension (forms of exploitation, sectors, means of control) counts a unit once
under each of its values, so its cells may add up to more than the table's total.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from lantern.errors import Invalid
from lantern.monitoring import coarsen
from lantern.taxonomy import code_list
from lantern.taxonomy.codes import CodeList, supported_language
from lantern.taxonomy.countries import country_code_list
from lantern.taxonomy.errors import UnknownCode

UNKNOWN = ""


@dataclass(frozen=True)
class Dimension:
    name: str
    title: str | Promise
    #: SQL over one mart row (DuckDB) giving the category's code, '' when unknown
    sql: str
    #: the mart column is a list: the unit counts once under each of its values
    multi: bool = False
    #: the code list whose labels name the categories (None: the code is its own label)
    codes: str | None = None
    #: labels of categories the code list lacks
    extra: Mapping[str, str | Promise] = field(default_factory=dict)
    #: the categories are records of the store, named by it: code -> name (agencies)
    names: Callable[[], Mapping[str, str]] | None = None

    def code_list(self) -> CodeList | None:
        if self.codes is None:
            return None
        return country_code_list() if self.codes == "countries" else code_list(self.codes)

    def label(self, code: str) -> str:
        """The category's label in the active language (codes never reach a reader)."""
        if code == UNKNOWN:
            return _("Unknown")
        if code in self.extra:
            return str(self.extra[code])
        if self.names is not None:
            return self.names().get(code, code)
        codes = self.code_list()
        if codes is None:
            return code
        try:
            return codes.label(code, supported_language(get_language()))
        except UnknownCode:
            return code  # a code an older taxonomy knew: shown as recorded, not dropped

    def known(self) -> list[str]:
        """The categories named in advance: the code list's, then the extra ones."""
        codes = self.code_list()
        return [*(codes.ids() if codes is not None else ()), *self.extra]

    def sort_key(self, code: str) -> tuple[int, int, str]:
        """Code-list order (extra categories after the list's), unknown last."""
        if code == UNKNOWN:
            return (2, 0, "")
        order = self.known()
        return (0, order.index(code), "") if code in order else (1, 0, self.label(code))

    def parse(self, value: str) -> str:
        """The code a user means by ``value``: a code, a label (any case) or "unknown"."""
        wanted = value.strip().casefold()
        if wanted in ("unknown", _("Unknown").casefold(), ""):
            return UNKNOWN
        for code in self.known():
            if wanted in (code.casefold(), self.label(code).casefold()):
                return code
        if self.names is not None:
            for code, name in self.names().items():
                if wanted in (code.casefold(), name.casefold()):
                    return code
        if self.codes is None and not self.extra:
            return value.strip()  # years, agencies, provinces: the value itself
        if self.codes == "countries":
            try:
                return country_code_list().resolve(value).id
            except UnknownCode:
                pass
        raise Invalid(
            _("%(dimension)s has no category %(value)s")
            % {"dimension": self.title, "value": repr(value)}
        )


def agency_names() -> dict[str, str]:
    """Agencies by code: the mart keeps the code, a reader sees the name."""
    from lantern.accounts.models import Agency

    return dict(Agency.objects.values_list("code", "name"))


def _list(column: str) -> str:
    return f"CASE WHEN len({column}) = 0 THEN ['']::VARCHAR[] ELSE {column} END"


def _case(column: str, mapping: Mapping[str, str], default: str = "''") -> str:
    whens = " ".join(
        f"WHEN {column} = '{code}' THEN '{value}'" for code, value in sorted(mapping.items())
    )
    return f"CASE {whens} ELSE {default} END"


_YEAR_ONLY = "registration_precision = 'year'"

#: The age category the mart adds to the ``age_groups`` list (coarsen.age_category): the list
#: has "Minor, exact age unknown" (minor_unknown) but counts an adult of unknown age 18+.
AGE_EXTRA = {
    coarsen.ADULT_AGE_UNKNOWN: gettext_lazy("Adult, exact age unknown"),
}
MAJORITY = {
    "minor": gettext_lazy("Children (under 18)"),
    "adult": gettext_lazy("Adults (18 and over)"),
}
SCOPES = {
    "domestic": gettext_lazy("Domestic"),
    "cross_border": gettext_lazy("Cross-border"),
}


def _majority(column: str = "age_category") -> str:
    minors = ", ".join(f"'{c}'" for c in coarsen.CHILD_AGE_CATEGORIES)
    adults = ", ".join(f"'{c}'" for c in coarsen.ADULT_AGE_CATEGORIES)
    return (
        f"CASE WHEN {column} IN ({minors}) THEN 'minor' "
        f"WHEN {column} IN ({adults}) THEN 'adult' ELSE '' END"
    )


def _unodc_forms() -> dict[str, str]:
    """Lantern's forms in GLOTIP's three categories, by the CTDC flag each form exports to."""
    by_flag = {
        "isSexualExploit": "Sexual exploitation",
        "isForcedLabour": "Forced labour",
        "isOtherExploit": "Other forms of exploitation",
    }
    return {c.id: by_flag[c.ctdc] for c in code_list("exploitation_forms") if c.ctdc in by_flag}


#: UNODC's vocabulary (the GLOTIP file's Sex, Age and Category strings), English by design:
#: a country sends the table as it is.
UNODC_SEX = {
    "Feminine": "Female",
    "Masculine": "Male",
    "TransgenderFeminine": "Other",
    "TransgenderMasculine": "Other",
    "NonConforming": "Other",
}
UNODC_AGE = {"minor": "0 to 17 years", "adult": "18 years or over"}


def _dimensions() -> dict[str, Dimension]:
    dims = [
        Dimension("year", gettext_lazy("Year"), "CAST(registration_year AS VARCHAR)"),
        Dimension(
            "quarter",
            gettext_lazy("Quarter"),
            f"CASE WHEN {_YEAR_ONLY} THEN '' ELSE strftime(registration_month, '%Y') || ' Q' "
            "|| CAST(quarter(registration_month) AS VARCHAR) END",
        ),
        Dimension(
            "month",
            gettext_lazy("Month"),
            f"CASE WHEN {_YEAR_ONLY} THEN '' ELSE strftime(registration_month, '%Y-%m') END",
        ),
        Dimension("sex", gettext_lazy("Sex"), "sex", codes="genders"),
        Dimension(
            "age", gettext_lazy("Age group"), "age_category", codes="age_groups", extra=AGE_EXTRA
        ),
        Dimension("majority", gettext_lazy("Child or adult"), _majority(), extra=MAJORITY),
        Dimension(
            "form",
            gettext_lazy("Form of exploitation (any)"),
            _list("forms"),
            True,
            codes="exploitation_forms",
        ),
        Dimension(
            "primary_form",
            gettext_lazy("Form of exploitation (primary)"),
            "primary_form",
            codes="exploitation_forms",
        ),
        Dimension(
            "sector", gettext_lazy("Sector (ISIC)"), _list("sectors"), True, codes="isic_sections"
        ),
        Dimension("citizenship", gettext_lazy("Citizenship"), "citizenship", codes="countries"),
        Dimension("origin", gettext_lazy("Country of origin"), "origin_country", codes="countries"),
        Dimension("origin_province", gettext_lazy("Province of origin"), "origin_state"),
        Dimension(
            "destination",
            gettext_lazy("Country of exploitation"),
            "destination_country",
            codes="countries",
        ),
        Dimension(
            "destination_province", gettext_lazy("Province of exploitation"), "destination_state"
        ),
        Dimension("scope", gettext_lazy("Domestic or cross-border"), "journey_scope", extra=SCOPES),
        Dimension(
            "channel", gettext_lazy("Intake channel"), "intake_channel", codes="intake_channels"
        ),
        Dimension("agency", gettext_lazy("Agency"), "agency", names=agency_names),
        Dimension("agency_type", gettext_lazy("Agency type"), "agency_type", codes="agency_types"),
        Dimension(
            "trafficking_status",
            gettext_lazy("Trafficking status"),
            "trafficking_status",
            codes="trafficking_statuses",
        ),
        Dimension(
            "recruitment",
            gettext_lazy("Recruitment method"),
            "recruitment_method",
            codes="recruitment_methods",
        ),
        Dimension(
            "relationship",
            gettext_lazy("Relationship to the trafficker"),
            "relationship_to_trafficker",
            codes="relationship_to_trafficker",
        ),
        Dimension(
            "control",
            gettext_lazy("Means of control"),
            _list("control_methods"),
            True,
            codes="control_methods",
        ),
        # UNODC's GLOTIP categories (English, UNODC's own strings)
        Dimension("unodc_sex", gettext_lazy("Sex (UNODC)"), _case("sex", UNODC_SEX)),
        Dimension(
            "unodc_age",
            gettext_lazy("Age (UNODC)"),
            _case(_majority(), UNODC_AGE),
        ),
        Dimension(
            "unodc_form",
            gettext_lazy("Form of exploitation (UNODC)"),
            _case("primary_form", _unodc_forms()),
        ),
    ]
    return {d.name: d for d in dims}


DIMENSIONS = _dimensions()

#: GLOTIP's justice indicators, UNODC's own strings (English by design, as UNODC_SEX)
GLOTIP_INDICATORS = (
    "Persons brought into formal contact",
    "Persons prosecuted",
    "Persons convicted",
)
#: Dimensions of tables counted outside the mart (the justice chain's persons): published and
#: labelled like the others, but a mart table cannot be cut by them.
OUTSIDE_MART = {
    "glotip_indicator": Dimension(
        "glotip_indicator",
        gettext_lazy("Indicator (UNODC)"),
        "''",
        extra={i: i for i in GLOTIP_INDICATORS},
    ),
}


def dimension(name: str) -> Dimension:
    """The dimension called ``name`` (of the mart or not); Invalid naming the known ones."""
    found = OUTSIDE_MART.get(name.strip())
    return found if found is not None else mart_dimension(name)


def mart_dimension(name: str) -> Dimension:
    """The mart's dimension called ``name``; Invalid naming the known ones otherwise."""
    try:
        return DIMENSIONS[name.strip()]
    except KeyError:
        pass
    near = difflib.get_close_matches(name.strip().casefold(), DIMENSIONS, n=1, cutoff=0.5)
    if near:
        raise Invalid(
            _(
                "There is no dimension %(name)s: did you mean %(near)s? "
                "The dimensions are: %(known)s"
            )
            % {"name": repr(name), "near": near[0], "known": ", ".join(DIMENSIONS)},
            "rows",
        )
    raise Invalid(
        _("There is no dimension %(name)s; the dimensions are: %(known)s")
        % {"name": repr(name), "known": ", ".join(DIMENSIONS)},
        "rows",
    )
