"""Intake: how a child reaches the agency (hotline, reception, rescue, referral).

Intake opens the case, after a duplicate check against the children already known.
"""
