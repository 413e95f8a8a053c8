"""The case's narrative, case notes and attachments: the child's story in the worker's words.

All three are highly sensitive: encrypted at rest (attachments' bytes too, under var/), read
only by roles the policy lets read the case's highly sensitive tier, every read audited.
"""
