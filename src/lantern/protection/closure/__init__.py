"""Closing a case: the checklist of work still open, and the supervisor's approval."""
