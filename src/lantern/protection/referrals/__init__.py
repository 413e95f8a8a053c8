"""Referrals to services between agencies, with consent and the answer."""
