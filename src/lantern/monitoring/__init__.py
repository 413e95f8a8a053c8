"""Monitoring: the pseudonymised mart, incidence tables and estimates of the hidden number."""
