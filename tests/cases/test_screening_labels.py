"""The screening core's codes have one label each (lantern.cases.screening_i18n), and every
code the core can give has one."""

from __future__ import annotations

from typing import get_args

from lantern.cases.models.screening import Trafficking
from lantern.cases.screening_i18n import DimensionResultLabel, ProfileLabel
from lantern.screening import vocabulary


def test_every_code_of_the_screening_core_has_its_label() -> None:
    assert tuple(ProfileLabel.values) == vocabulary.PROFILES
    assert set(DimensionResultLabel.values) == set(get_args(vocabulary.DimensionResult))
    assert set(Trafficking.values) == set(get_args(vocabulary.Trafficking))
