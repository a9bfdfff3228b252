"""Helpers for the browser tests: a real build served over HTTP, and Debian's chromium.

Not a test module (pytest collects ``test_*.py`` only). The example status site of this
repository is built with ``build_site``, served by ``http.server`` on 127.0.0.1 and
opened in ``/usr/bin/chromium`` through Playwright; no browser is ever downloaded.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Playwright, Request, Response

from statusgen.site.build import build_site

PROJECT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
"""The moment the example site is built for (see the expected statuses in the tests)."""
HOST = "127.0.0.1"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Hermetic: any host but the test server fails to resolve. A request to another host
    # is still seen by the tests (as a request, then as a failed one).
    f"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE {HOST}",
]
ARTIFACTS = PROJECT / "test-artifacts"

WaitUntil = Literal["commit", "domcontentloaded", "load", "networkidle"]


def build_example(folder: Path, now: datetime = NOW) -> Path:
    """Build the repository's own example status site into ``folder/site``."""
    return build_site(PROJECT, folder / "site", now).site_dir


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer((HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's chromium, headless. Fails (never skips) when it is not installed."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's chromium "
            "(apt-get install chromium); Playwright's own browsers are never downloaded"
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


class Tab:
    """A page that records what happens while it loads: requests, failures, errors."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.bad_responses: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        page.on("request", self._on_request)
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)

    def goto(self, path: str = "", *, wait_until: WaitUntil = "load") -> None:
        """Open ``path``, relative to the site's root."""
        response = self.page.goto(self.base_url + path, wait_until=wait_until)
        assert response is not None, f"GET /{path}: no response"
        assert response.ok, f"GET /{path}: HTTP {response.status}"

    @property
    def offsite_requests(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).hostname != HOST]

    def script_errors(self) -> list[str]:
        return self.console_errors + self.page_errors

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _on_request_failed(self, request: Request) -> None:
        self.failed.append(f"{request.url}: {request.failure}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.bad_responses.append(f"{response.url}: HTTP {response.status}")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{self.page.url}: console error: {message.text}")

    def _on_page_error(self, error: Error) -> None:
        self.page_errors.append(f"{self.page.url}: uncaught {error.name}: {error.message}")
