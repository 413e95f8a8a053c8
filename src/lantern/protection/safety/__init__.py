"""Safety first: risk assessment, safe places and placement of the child."""
