"""The simulation speaks the project's shared languages: taxonomy code ids, and the import path
(``lantern import``) takes its records unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.simulation import SimulationConfig, codes
from lantern.taxonomy.codes import code_list

LISTS = {
    "agency_types": codes.AGENCY_TYPES,
    "intake_channels": codes.INTAKE_CHANNELS,
    "case_statuses": codes.CASE_STATUSES,
    "case_outcomes": codes.CASE_OUTCOMES,
    "genders": codes.GENDERS,
    "age_evidence": codes.AGE_EVIDENCE,
    "trafficking_statuses": codes.TRAFFICKING_STATUSES,
    "decision_orgs": codes.DECISION_ORGS,
    "relationship_to_trafficker": codes.RELATIONSHIPS,
    "recruitment_methods": codes.RECRUITMENT_METHODS,
    "control_methods": codes.CONTROL_METHODS,
    "exploitation_forms": codes.EXPLOITATION_FORMS,
    "isic_sections": codes.ISIC_SECTIONS,
    "sex_exploitation_types": codes.SEX_EXPLOITATION_TYPES,
    "actor_roles": codes.ACTOR_ROLES,
    "transport_modes": codes.TRANSPORT_MODES,
    "event_types": codes.EVENT_TYPES,
    "vulnerability_factors": codes.VULNERABILITY_FACTORS,
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_code_the_simulation_writes_is_a_taxonomy_id(name: str) -> None:
    assert set(LISTS[name]) <= set(code_list(name).ids())


@pytest.mark.parametrize("filename", ["records.csv", "records.parquet"])
def test_import_path_accepts_every_record_unchanged(
    written: tuple[SimulationConfig, Path], filename: str
) -> None:
    # The importer lives in a Django app (pytest-django has set Django up); parsing a row
    # touches no database.
    from lantern.cases.importing.readers import read_rows
    from lantern.cases.importing.rows import parse_row

    parsed = [parse_row(n, row) for n, row in read_rows(written[1] / filename)]
    errors = [p for p in parsed if isinstance(p, list)]
    assert len(parsed) > 1000
    assert errors == []
