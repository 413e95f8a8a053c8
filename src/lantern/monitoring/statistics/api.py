"""The statistics API: the dimensions, a table (labelled counts, totals and provenance, small
counts withheld), and the same table as CSV or XLSX. For roles granted ("statistics",
"view"); every table is audited."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from lantern.audit.services import request_source
from lantern.edges.bounds import LIST_MAX, TEXT_MAX
from lantern.edges.schemas import ERRORS, Out
from lantern.monitoring.statistics import render
from lantern.monitoring.statistics.dimensions import DIMENSIONS, dimension
from lantern.monitoring.statistics.service import allowed, spec_of, table_for
from lantern.monitoring.statistics.table import Cell, Margin, Table, unit_title

router = Router(tags=["statistics"])


class DimensionOut(Out):
    name: str
    title: str  # in the reader's language
    multi: bool  # a unit can count under several of its categories


class DimensionsOut(Out):
    dimensions: list[DimensionOut]


class CategoryOut(Out):
    dimension: str
    code: str | None  # None: every category (a total); '' is unknown
    label: str


class CountOut(Out):
    categories: list[CategoryOut]
    count: int | None  # None when withheld
    suppressed: bool


class ProvenanceOut(Out):
    agencies: list[str]  # names
    period: str
    completeness_unknown_share: dict[str, float]
    suppression: str
    built_at: str
    lines: list[str]  # the provenance as sentences, in the reader's language


class WhereOut(Out):
    dimension: str
    code: str
    label: str


class TableOut(Out):
    unit: str
    unit_label: str
    rows: list[str]
    cols: list[str]
    where: list[WhereOut]
    total: int | None
    total_suppressed: bool
    cells: list[CountOut]
    margins: list[CountOut]  # every total, distinct: a unit in several cells counts once
    provenance: ProvenanceOut


class TableQuery(Schema):
    rows: str = Field("year", max_length=TEXT_MAX, description="Dimensions, comma-separated")
    cols: str = Field("", max_length=TEXT_MAX, description="Dimensions, comma-separated")
    where: list[Annotated[str, Field(max_length=TEXT_MAX)]] = Field(
        default_factory=list,
        max_length=LIST_MAX,
        description="DIMENSION=VALUE (a code or a label); repeatable",
    )
    unit: Literal["children", "cases"] = "children"


def _count(table: Table, entry: Cell | Margin) -> dict[str, Any]:
    dims = [dimension(n) for n in table.dimensions]
    return {
        "categories": [
            {
                "dimension": d.name,
                "code": v,
                "label": render.total_label() if v is None else d.label(v),
            }
            for d, v in zip(dims, entry.values, strict=True)
        ],
        "count": None if entry.suppressed else entry.count,
        "suppressed": entry.suppressed,
    }


def _table(table: Table) -> dict[str, Any]:
    p = table.provenance
    names = render.agency_names()
    return {
        "unit": table.unit,
        "unit_label": unit_title(table.unit),
        "rows": list(table.rows),
        "cols": list(table.cols),
        "where": [
            {"dimension": n, "code": c, "label": dimension(n).label(c)} for n, c in table.where
        ],
        "total": None if table.total_suppressed else table.total,
        "total_suppressed": table.total_suppressed,
        "cells": [_count(table, c) for c in table.cells],
        "margins": [_count(table, m) for m in table.margins],
        "provenance": {
            "agencies": [names.get(a, a) for a in p.agencies],
            "period": render.period_sentence(table),
            "completeness_unknown_share": p.completeness,
            "suppression": p.suppression,
            "built_at": render.when(p.built_at) if p.built_at else "",
            "lines": render.provenance_lines(table),
        },
    }


@router.get(
    "/statistics/dimensions",
    response={200: DimensionsOut, **ERRORS},
    summary="The dimensions a table can be cut by",
)
def dimensions(request: HttpRequest) -> dict[str, Any]:
    allowed(request.user)
    return {
        "dimensions": [
            {"name": d.name, "title": str(d.title), "multi": d.multi} for d in DIMENSIONS.values()
        ]
    }


def _build(request: HttpRequest, q: TableQuery) -> Table:
    spec = spec_of(q.rows, q.cols, q.where, q.unit)
    return table_for(request.user, spec, request_source(request))


@router.get(
    "/statistics/table",
    response={200: TableOut, **ERRORS},
    summary="Count children or cases by rows x columns (small counts withheld)",
)
def table(request: HttpRequest, q: Query[TableQuery]) -> dict[str, Any]:
    """422 naming the nearest dimension for a name it does not know; 409 before the mart is
    built. Counts below the installation's threshold, and enough others that none can be
    worked out, are withheld (``count`` null, ``suppressed`` true)."""
    return _table(_build(request, q))


def _download(body: bytes, content_type: str, name: str) -> HttpResponse:
    res = HttpResponse(body, content_type=content_type)
    res["Content-Disposition"] = f'attachment; filename="{name}"'
    res["Cache-Control"] = "no-store"
    return res


def _file(content_type: str) -> dict[str, Any]:
    return {
        "responses": {
            "200": {
                "description": "The table, as a file",
                "content": {content_type: {"schema": {"type": "string"}}},
            }
        }
    }


CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/statistics/table/csv",
    response=ERRORS,
    summary="The table as CSV (provenance as # lines before it)",
    openapi_extra=_file(CSV),
)
def table_csv(request: HttpRequest, q: Query[TableQuery]) -> HttpResponse:
    return _download(render.as_csv(_build(request, q)).encode("utf-8"), CSV, "lantern-table.csv")


@router.get(
    "/statistics/table/xlsx",
    response=ERRORS,
    summary="The table as XLSX (provenance on its second sheet)",
    openapi_extra=_file(XLSX),
)
def table_xlsx(request: HttpRequest, q: Query[TableQuery]) -> HttpResponse:
    return _download(render.as_xlsx(_build(request, q)), XLSX, "lantern-table.xlsx")
