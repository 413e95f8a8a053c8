"""Triage: community reports and hotline calls wait in a queue by urgency for a duty officer."""
