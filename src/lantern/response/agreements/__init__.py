"""Cross-border cooperation: agreements and MoUs as records, readmission requests (#18, item 5)."""
