"""Exchange with other installations: signed, encrypted, HTCDS-shaped referral packets."""
