"""What a reader's browser downloads on a page's first load, measured in Chromium.

The site is served on 127.0.0.1, gzipped as static hosts serve it; Playwright records
every response of the page's first load (Debian's /usr/bin/chromium, never a downloaded
browser). Each body is weighed raw and gzipped (level 6).
"""

from __future__ import annotations

import functools
import gzip
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Request, Response, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
KINDS = {"document": "html", "stylesheet": "css", "script": "js", "image": "images"}


@dataclass
class PageWeight:
    """Bytes by kind (html, css, js, images, other), raw and gzipped; requests made."""

    raw: dict[str, int] = field(default_factory=dict)
    gzipped: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    external: list[str] = field(default_factory=list)

    @property
    def total_gzipped(self) -> int:
        return sum(self.gzipped.values())

    @property
    def total_raw(self) -> int:
        return sum(self.raw.values())


class _StaticHost(SimpleHTTPRequestHandler):
    """Serves files as static hosts do: gzipped for clients that accept it."""

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not accepts_gzip or not path.is_file() or path.suffix not in COMPRESSED:
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".atom", ".rss", ".ics"}


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1; yields the base URL."""
    handler = functools.partial(_StaticHost, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def weigh(site: Path, paths: list[str]) -> dict[str, PageWeight]:
    """The first-load weight of each page (paths relative to the site root)."""
    weights: dict[str, PageWeight] = {}
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for path in paths:
                context = browser.new_context()  # an empty cache: a first load
                page = context.new_page()
                weight = PageWeight()
                responses: list[Response] = []
                requests: list[Request] = []

                def on_response(response: Response, found: list[Response] = responses) -> None:
                    found.append(response)

                def on_request(request: Request, found: list[Request] = requests) -> None:
                    found.append(request)

                page.on("response", on_response)
                page.on("request", on_request)
                page.goto(base + path, wait_until="networkidle")
                weight.external = [
                    r.url
                    for r in requests
                    if not r.url.startswith("data:") and urlsplit(r.url).hostname != "127.0.0.1"
                ]
                for response in responses:
                    if response.url.startswith("data:"):
                        continue
                    body = response.body()
                    kind = KINDS.get(response.request.resource_type, "other")
                    weight.raw[kind] = weight.raw.get(kind, 0) + len(body)
                    packed = len(gzip.compress(body, compresslevel=6, mtime=0))
                    weight.gzipped[kind] = weight.gzipped.get(kind, 0) + packed
                    weight.requests += 1
                weights[path] = weight
                context.close()
        finally:
            browser.close()
    return weights
