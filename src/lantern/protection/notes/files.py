"""Where attachments' bytes are kept: sealed files under ``LANTERN_ATTACHMENTS_DIR`` (var/).

Never under static or media: nothing serves this folder; the download view reads a file
through the policy. Each file is named by its attachment's random key and sealed with a key of
its own (``lantern.vault.blobs.SealedFolder``), which the attachment's row keeps encrypted.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from lantern.vault.blobs import SealedFolder

ATTACHMENTS = SealedFolder(lambda: Path(settings.LANTERN_ATTACHMENTS_DIR), "cases.attachment")
folder, path_of, store, load, remove = (
    ATTACHMENTS.folder,
    ATTACHMENTS.path_of,
    ATTACHMENTS.store,
    ATTACHMENTS.load,
    ATTACHMENTS.remove,
)
