"""A download as the page and the API answer it: saved, never shown, sniffed or cached."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header

from lantern.protection.notes.attachments import Download
from lantern.protection.notes.models import FileType


def file_response(d: Download) -> HttpResponse:
    """``d``'s bytes as an attachment: ``Content-Disposition: attachment``, the type the
    content was found to be, ``nosniff``, a sandboxing CSP, and no caching anywhere."""
    media_type = d.media_type
    if media_type == FileType.TEXT:
        media_type += "; charset=utf-8"
    res = HttpResponse(d.data, content_type=media_type)
    res["Content-Disposition"] = content_disposition_header(True, d.filename)
    res["X-Content-Type-Options"] = "nosniff"
    res["Content-Security-Policy"] = "default-src 'none'; sandbox"
    add_never_cache_headers(res)
    return res
