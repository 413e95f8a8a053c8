"""A logging filter that drops query strings and request bodies from log records.

Identifying data must never reach a log. Lantern never puts names in URLs, but a query string
could still carry a search term, so the filter strips every query string it sees.
"""

from __future__ import annotations

import logging
import re

_QUERY = re.compile(r"\?[^\s\"']*")


class RedactIdentifiers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _QUERY.sub("?[redacted]", record.msg)
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(
                _QUERY.sub("?[redacted]", a) if isinstance(a, str) else a for a in args
            )
        if hasattr(record, "request"):
            record.request = None  # type: ignore[attr-defined]
        return True
