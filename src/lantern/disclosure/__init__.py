"""Disclosure control: what every table and export passes before it leaves Lantern.

Pure library (NumPy / SciPy, no Django): small-cell suppression with complementary suppression
for count tables of one to three dimensions with their margins (``suppression``), the
intruder's audit of what the published cells and margins still reveal (``audit``), and
k-anonymity for microdata exports by Sweeney's Datafly generalisation (``kanonymity``), and
differentially private counts through OpenDP (``privacy``, imported on its own so that only a
release that asks for it loads OpenDP).
"""

from lantern.disclosure.audit import Interval, audit
from lantern.disclosure.kanonymity import (
    AnonymisedRecords,
    Hierarchy,
    age_hierarchy,
    k_anonymise,
    mapped_hierarchy,
    suppress_only,
)
from lantern.disclosure.suppression import Policy, SuppressedTable, suppress
from lantern.disclosure.tables import CountTable

__all__ = [
    "AnonymisedRecords",
    "CountTable",
    "Hierarchy",
    "Interval",
    "Policy",
    "SuppressedTable",
    "age_hierarchy",
    "audit",
    "k_anonymise",
    "mapped_hierarchy",
    "suppress",
    "suppress_only",
]
