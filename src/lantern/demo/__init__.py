"""Demo-only code: the synthetic country's worked histories. Never used by the product."""
