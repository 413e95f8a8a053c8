"""Case endpoints: a filtered, paginated list, a case's detail and its formal determination."""

# No postponed annotations here: @paginate wraps the view, and ninja reads the wrapper's
# signature with the pagination module's globals, where these names are not defined.

import datetime as dt
from typing import Any

from ninja import Query, Router
from ninja.pagination import paginate

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.cases import determination, queries
from lantern.edges.bounds import Id
from lantern.edges.schemas import ERRORS, In, Out, Pages
from lantern.edges.typing import AuthedRequest
from lantern.errors import NotAllowed

router = Router(tags=["cases"])


class CaseSummary(Out):
    id: int
    reference: str
    agency: str
    registration_date: str
    registration_date_precision: str  # day, month or year: the date is its first day
    status: str
    state: str
    trafficking_status: str
    gender: str
    age_at_identification: int | None
    age_min: int | None  # the age as given: exact (min = max), a band, or open-ended
    age_max: int | None
    age_group: str
    age_evidence: str
    citizenship: str
    primary_form: str


class EventOut(Out):
    seq: int
    type: str
    date: str | None
    country: str
    state: str
    city: str
    transport: str
    crossing: str


class ExploitationOut(Out):
    seq: int
    form: str
    isic_section: str
    start: str | None
    end: str | None
    country: str


class ActorRoleOut(Out):
    actor: str
    network: str
    role: str
    relationship: str


class ConsentOut(Out):
    item: str
    value: bool | None
    given_by: str


class PersonOut(Out):
    key: str
    given_name: str
    family_name: str
    nickname: str
    name_script: str
    birthdate: str | None
    birthdate_estimated: bool | None
    identity_number: str
    home_city: str
    home_state: str
    home_country: str
    citizenship: list[str]
    primary_language: str


class CaseDetail(CaseSummary):
    intake_channel: str
    outcome: str
    trafficking_status_decided_by: str
    trafficking_determined_on: str | None  # a formal determination's date ("Actual" only)
    trafficking_determination_source: str  # recorded (from the decision) or import
    age_at_recruitment: int | None
    age_at_exploitation: int | None
    documented_age: int | None
    method_of_recruitment: str
    methods_of_control: list[str]
    forms_of_exploitation: list[str]
    vulnerabilities: list[str]
    smuggled: bool | None
    relationship_to_trafficker: str
    events: list[EventOut]
    exploitations: list[ExploitationOut]
    actors: list[ActorRoleOut]
    consents: list[ConsentOut]
    person: PersonOut | None
    sex_exploitation_types: list[str] | None


class _Rows:
    """The scoped cases as list lines, sliced by the paginator before any row is read."""

    def __init__(self, cases: Any) -> None:
        self.queryset = cases  # what Pages counts

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [queries.case_summary(c) for c in self.queryset[page]]


@router.get("/", response={200: list[CaseSummary], **ERRORS}, summary="List cases in your scope")
@paginate(Pages)
def list_cases(request: AuthedRequest, filters: Query[queries.CaseFilters], **kwargs: Any) -> Any:
    if not policy.allows(request.user, "case", "list"):
        raise NotAllowed("your role may not list cases")
    return _Rows(queries.case_list(request.user, filters))


@router.get(
    "/{case_id}",
    response={200: CaseDetail, **ERRORS},
    summary="A case's detail (fields by your access tier)",
)
def case_detail(request: AuthedRequest, case_id: Id) -> dict[str, Any]:
    case = queries.get_case(request.user, case_id)
    return queries.case_detail(request.user, case, source=request_source(request))


class DeterminationIn(In):
    """A formal determination made by police, prosecution, a court or a government authority."""

    body: str  # a decision_orgs id: Police, CourtOrProsecution, NonPoliceGovernmentalOrganization
    decided_on: dt.date


class DeterminationOut(Out):
    trafficking_status: str
    trafficking_status_decided_by: str
    trafficking_determined_on: dt.date | None
    trafficking_determination_source: str


@router.post(
    "/{case_id}/determination",
    response={200: DeterminationOut, **ERRORS},
    summary="Record a formal determination: the child becomes an actual victim",
)
def record_determination(
    request: AuthedRequest, case_id: Id, data: DeterminationIn
) -> dict[str, Any]:
    case = queries.get_case(request.user, case_id, "determine")
    case = determination.record_determination(
        request.user, case, data.body, data.decided_on, source=request_source(request)
    )
    return {f: getattr(case, f) for f in DeterminationOut.model_fields}
