"""Population tables (SDG 16.2.2's denominators): loaded from a CSV with their source, kept in
the database (backed up and restored with it; the mart is a disposable copy rebuilt from the
store, so it is no place for data only the user has)."""
