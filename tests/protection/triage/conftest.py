"""The browser the web tests drive (Debian's Chromium through Playwright), for the queue's."""

from tests.web.conftest import browser

__all__ = ["browser"]
