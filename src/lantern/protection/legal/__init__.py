"""The legal track: proceedings, child-sensitive hearings and their events."""
