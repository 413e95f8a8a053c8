"""Registers the monitoring models with Django when the app loads."""

from lantern.monitoring.population import models as population

__all__ = ["population"]
