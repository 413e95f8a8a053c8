"""Community prevention: children and communities at risk, and prevention activities (#18)."""
