"""Follow-up after reintegration: visits, wellbeing and the outcome."""
