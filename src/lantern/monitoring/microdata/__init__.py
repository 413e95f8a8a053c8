"""Microdata releases: one row per case, k-anonymised before it leaves Lantern (#14 item 4)."""
