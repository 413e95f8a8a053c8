"""A logging filter that keeps identifying data out of every log record.

Lantern never puts names in URLs, but a query string could still carry a search term, and an
exception's message can quote the value that caused it (a database error repeats the row, a
parser repeats the cell). So the filter strips query strings, drops the request object, and
keeps only the type and stack of an exception: enough to find the bug, nothing about a child.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Mapping
from typing import Any

_QUERY = re.compile(r"\?[^\s\"']*")
REDACTED = "?[redacted]"


def _clean(value: Any) -> Any:
    return _QUERY.sub(REDACTED, value) if isinstance(value, str) else value


def _exception_without_message(exc_info: Any) -> str:
    kind, _, tb = exc_info
    frames = "".join(traceback.format_tb(tb)) if tb is not None else ""
    name = getattr(kind, "__qualname__", str(kind))
    return f"Traceback (most recent call last):\n{frames}{name}: [message redacted]"


class RedactIdentifiers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _clean(record.msg)
        if isinstance(record.args, Mapping):
            record.args = {k: _clean(v) for k, v in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_clean(a) for a in record.args)
        if hasattr(record, "request"):
            record.request = None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = _exception_without_message(record.exc_info)
            record.exc_info = None
        return True
