"""Protection workflow services, one module per concern (intake, safety, care plan, ...).

Each function takes the acting user, asks ``lantern.accounts.policy`` before it reads or
writes, audits what it did, and raises the errors of ``errors`` (never returns half-done
work). API handlers and pages call these and render; they decide nothing themselves.
"""
