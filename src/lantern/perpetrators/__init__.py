"""Perpetrators across cases and agencies: the register, the justice chain and the networks."""
