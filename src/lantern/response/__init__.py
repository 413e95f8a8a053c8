"""The national response: plans and programmes, community prevention, cross-border agreements (#18)."""
