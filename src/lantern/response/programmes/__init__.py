"""The national plan of action: time-bound programmes, targets and indicators (#18, item 2)."""
