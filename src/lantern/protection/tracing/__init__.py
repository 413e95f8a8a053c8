"""Family tracing, the family assessment and the reunification decision."""
