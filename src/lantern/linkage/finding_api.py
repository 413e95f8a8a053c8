"""Find a child (``POST /search/children``): the search page's service, as an API operation.

Posted, not a query string: a name searched for must not land in a server's access log. Errors
follow the one contract of ``lantern.api`` (403 for a criterion the role may not search by,
400 when nothing is asked).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any

from ninja import Router
from pydantic import Field

from lantern.audit.services import request_source
from lantern.edges.bounds import Name, Page
from lantern.edges.schemas import ERRORS, In, Out, out_of
from lantern.edges.typing import AuthedRequest
from lantern.linkage import finding

router = Router(tags=["search"])

FoundOut = out_of(finding.Found, "FoundOut", "A child found, as its case's reference line.")


class FindIn(In):
    """Any of the criteria; a name in any script, split into given and family by the service."""

    name: Name = ""
    identity_number: Annotated[str, Field(max_length=100)] = ""
    reference: Annotated[str, Field(max_length=40)] = ""
    birthdate: dt.date | None = None
    page: Page = 1


class FindOut(Out):
    """One page of children found; ``count`` is exact unless ``count_exact`` is false."""

    page: int
    pages: int
    count: int
    count_exact: bool
    names_shown: bool
    page_size: int = finding.PAGE_SIZE
    results: list[FoundOut]  # type: ignore[valid-type]


@router.post(
    "/children",
    response={200: FindOut, **ERRORS},
    operation_id="find_children",
    summary="Find a child by name, identity number, case reference or date of birth",
)
def find_children(request: AuthedRequest, body: FindIn) -> dict[str, Any]:
    query = finding.Query(
        name=body.name,
        identity_number=body.identity_number,
        reference=body.reference,
        birthdate=body.birthdate,
    )
    found = finding.find(request.user, query, body.page, source=request_source(request))
    return dataclasses.asdict(found)
