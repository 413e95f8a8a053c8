"""Lantern: find, protect and follow trafficked children; monitor child trafficking (ILO C182)."""

__version__ = "0.1.0"
