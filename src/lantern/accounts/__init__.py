"""Who is who: agencies, teams, areas, users and their roles."""
