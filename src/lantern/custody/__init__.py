"""Custody of the store: the operator's commands over the audit trail and the encryption keys.

They sit above the three packages they join. The trail's chain key comes from the vault, user
management records itself in the trail, and exporting the trail asks the policy, so the order
below is vault < audit < accounts; a key rotation, recorded in the trail, and the trail's
export, asked of the policy, are made here, above all three (``rotation``, ``cli``).
"""
