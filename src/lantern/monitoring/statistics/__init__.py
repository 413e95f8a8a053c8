"""Statistics over the pseudonymised mart: counts of distinct children or of cases, by any
combination of dimensions, with their provenance (``table.build_table``). Tables come back as
plain cells (``table.Table``) so that disclosure control can act on them before publication."""
