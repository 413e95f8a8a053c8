"""The audit trail: every read of identifying data and every change, hash-chained."""
