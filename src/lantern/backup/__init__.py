"""Backup and restore of the operational store (``lantern backup`` / ``lantern restore``).

A backup holds the database only, never the keys: its identifying fields stay encrypted, so the
file alone reveals no child's identity. The operator keeps the key file apart (see SECURITY.md,
"Backup and restore"). The backup's manifest names the keys it needs, so a restore with the
wrong keys stops before it writes anything.
"""

from lantern.backup.archive import BackupError, Manifest, make_backup, restore_backup

__all__ = ["BackupError", "Manifest", "make_backup", "restore_backup"]
