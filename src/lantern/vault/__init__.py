"""Encryption at rest for identifying and highly sensitive fields.

Keys live outside the database (``LANTERN_KEYS`` environment variable, or the key file named by
``LANTERN_KEY_FILE``, by default ``var/keys.json``), so that a copy of the database alone reveals no
child's name, date of birth or shelter address.
"""

from lantern.vault.keys import KeyRing, blind_index, decrypt, encrypt, keyring

__all__ = ["KeyRing", "blind_index", "decrypt", "encrypt", "keyring"]
