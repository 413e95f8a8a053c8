"""The case page's forms: each domain declares what it posts there, one entry per form.

The case page posts every action to one URL, naming its form. A ``CaseForm`` says which Django
form parses it, which section of the page shows it, and which one service call it stands for;
the page dispatches through ``Registry`` instead of a chain of ``if name == ...``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _

from lantern.cases.models import Case
from lantern.errors import Invalid


@dataclass(frozen=True)
class Submission:
    """A valid form posted on a case: what a ``CaseForm``'s action needs to call its service."""

    user: Any
    case: Case
    form: forms.Form
    post: QueryDict
    source: str
    row: Any = None  # the case's own record a row form names (plan, referral, visit, ...)

    @property
    def data(self) -> dict[str, Any]:
        return self.form.cleaned_data


@dataclass(frozen=True)
class CaseForm:
    """One form of the case page: ``act`` calls the one service the form stands for.

    ``rows`` names the case's related records (``"care_plans"``) when the form acts on one of
    them: such a form is drawn once per record, and the record is looked up on the case.
    """

    name: str
    form: type[forms.Form]
    section: str
    act: Callable[[Submission], object]
    with_user: bool = False  # the form's choices depend on the user
    rows: str = ""
    with_case: bool = False  # ... and on the case (the directory's services that fit the child)

    def bind(
        self, user: Any, data: Any = None, row: str = "", case: Case | None = None
    ) -> forms.Form:
        prefix = f"{self.name}{row}"
        if self.with_case:
            return self.form(data, prefix=prefix, user=user, case=case)  # type: ignore[call-arg]
        if self.with_user:
            return self.form(data, prefix=prefix, user=user)  # type: ignore[call-arg]
        return self.form(data, prefix=prefix)

    def row_of(self, case: Case, pk: str) -> Any:
        """The case's own record the form names; another case's record is not found."""
        if not self.rows:
            return None
        found = None
        if pk.isdigit() and len(pk) < 19:
            found = getattr(case, self.rows).filter(pk=int(pk)).first()
        if found is None:
            raise Invalid(_("This record is not on this case."), "row")
        return found


class Registry:
    """The case page's forms by name, from every domain's declarations."""

    def __init__(self, *domains: Iterable[CaseForm]) -> None:
        self._forms: dict[str, CaseForm] = {}
        for declared in domains:
            for entry in declared:
                if entry.name in self._forms:
                    raise ValueError(f"case form {entry.name!r} declared twice")
                self._forms[entry.name] = entry

    def __contains__(self, name: object) -> bool:
        return name in self._forms

    def __getitem__(self, name: str) -> CaseForm:
        return self._forms[name]

    def __iter__(self) -> Iterator[CaseForm]:
        return iter(self._forms.values())

    def case_wide(self) -> list[CaseForm]:
        return [f for f in self._forms.values() if not f.rows]
