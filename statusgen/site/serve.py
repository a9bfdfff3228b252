"""``statusgen serve``: the status site, rendered on request while you edit it.

A full build writes every page; a preview only needs the page in front of you. The
server keeps the loaded repository and re-reads it when a file changes (a fingerprint
of modification times, checked on each request), then renders just the requested page
with the theme's templates. An edited incident shows on the next request, and an open
page reloads itself when anything changes. Content errors are shown in the browser with
the validator's messages until they are fixed.

It previews the status pages, feeds, calendars, badges and API. Hand-written Markdown
pages of ``docs_dir`` are rendered by MkDocs alone, so the first request for one builds
the whole site into a temporary folder, kept until a file changes. Content errors are
printed in the terminal too, once each time they change.
"""

from __future__ import annotations

import html
import mimetypes
import os
import sys
import tempfile
import threading
from contextlib import suppress
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from mkdocs.config.defaults import MkDocsConfig

from statusgen.content.components_file import COMPONENTS_FILE
from statusgen.content.config import config_file
from statusgen.content.loader import INCIDENTS_DIR, ParsedFiles, load_site
from statusgen.content.stored_events import events_cache
from statusgen.core.errors import ContentErrors, StatusgenError
from statusgen.core.model import Site
from statusgen.render.context import RenderContext
from statusgen.render.markup import MarkupError
from statusgen.render.outputs import render_outputs
from statusgen.render.pages import PageRenderer
from statusgen.site.assembly import (
    load_mkdocs_config,
    mkdocs_file,
    page_renderer,
    plugin_options,
    prepare,
    render_context,
)
from statusgen.site.build import build_site
from statusgen.site.options import PluginOptions
from statusgen.state.events import KeptStates
from statusgen.state.page import derive
from statusgen.view.audiences import KeptViews
from statusgen.view.site_view import site_view

FINGERPRINT_PATH = "/.statusgen/fingerprint"
ASSETS = "assets/"
"""The theme's files that pages load: the outputs (feeds, API, badges) are never there."""
#: Time-dependent states (a maintenance window) move on even when no file changes.
REDERIVE_AFTER = timedelta(seconds=30)
CONTENT_TYPES = {
    ".atom": "application/atom+xml",
    ".rss": "application/rss+xml",
    ".ics": "text/calendar; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
}
RELOAD_SCRIPT_PATH = "/.statusgen/reload.js"
# A script of the site's own, not an inline one: the pages' Content-Security-Policy
# allows no inline script. It reads the fingerprint the page was rendered with.
RELOAD_SCRIPT = f"""(function () {{
  var seen = document.currentScript.getAttribute("data-fingerprint");
  setInterval(function () {{
    fetch("{FINGERPRINT_PATH}").then(function (r) {{ return r.text(); }}).then(function (now) {{
      if (now !== seen) location.reload();
    }}).catch(function () {{}});
  }}, 300);
}})();
"""


class Preview:
    """The repository at ``root``, loaded and rendered on demand: the view of
    ``audience`` (None: the public)."""

    def __init__(
        self, root: Path, now: datetime | None = None, audience: str | None = None
    ) -> None:
        self.root = root.resolve()
        self.now = now
        """The moment shown, as ``build --now``; None for the clock."""
        self.audience = audience
        """Whose view is shown; None for the public's."""
        self.built: tempfile.TemporaryDirectory[str] | None = None
        """The whole site, built for a hand-written page; None until one is asked for."""
        self.lock = threading.Lock()
        self.fingerprint = ""
        self.derived_at = datetime.min.replace(tzinfo=UTC)
        self.errors: list[str] = []
        self.config: MkDocsConfig | None = None
        self.context: RenderContext | None = None
        self.renderer: PageRenderer | None = None
        self.outputs: dict[str, bytes] | None = None
        self.parsed = ParsedFiles()
        """The files as they were last parsed: an edit re-parses only the edited file."""
        self.views, self.states = KeptViews(), KeptStates()
        """The events' views and states of the last refresh: an edit views and derives
        only the edited event again."""
        self.settings: RenderContext | None = None
        """What the context takes from mkdocs.yml (its language, Markdown renderer and
        settings), made once per load of it; None until then."""

    # Keeping up with the files ---------------------------------------------------------

    def _theme_dirs(self) -> list[Path]:
        if self.config is None or not self.config.theme.custom_dir:
            return []
        return [Path(self.config.theme.custom_dir)]

    def current_fingerprint(self) -> str:
        """The watched files' names, modification times and sizes, in two parts: the
        settings' (mkdocs.yml, ``theme/``, ``docs_dir``), then the content's
        (components.yml, ``incidents/``)."""
        docs = [Path(self.config.docs_dir)] if self.config is not None else []
        settings = _stamps([config_file(self.root)], [*self._theme_dirs(), *docs])
        content = _stamps([self.root / COMPONENTS_FILE], [self.root / INCIDENTS_DIR])
        return f"{settings}|{content}"

    def refresh(self) -> None:
        """Re-read what changed since the last request; re-derive now and then. Only
        the files that changed are parsed again, and the settings are loaded again only
        when their files changed."""
        with self.lock:
            fingerprint = self.current_fingerprint()
            now = self.now or datetime.now(UTC)
            if fingerprint == self.fingerprint and (
                self.now is not None or now - self.derived_at < REDERIVE_AFTER
            ):
                return
            if fingerprint.split("|")[0] != self.fingerprint.split("|")[0]:
                self.config = None  # mkdocs.yml or the theme changed
                self.settings = None
                self.views, self.states = KeptViews(), KeptStates()
            self.fingerprint, self.derived_at = fingerprint, now
            reported, self.errors, self.renderer, self.outputs = self.errors, [], None, None
            self.close()
            try:
                if self.config is None:
                    read = _stamps([config_file(self.root)], [])
                    # A preview shows drills, under their banner.
                    config = load_mkdocs_config(self.root, drills=True, audience=self.audience)
                    prepare(config, plugin_options(config))
                    self.config = config
                    if _stamps([config_file(self.root)], []) == read:
                        # Stamped with theme/ and docs_dir now that they are known (else
                        # the next request finds the settings changed, and loads them
                        # again); nothing under them has been read yet. Unless mkdocs.yml
                        # changed meanwhile: then the next request loads it again.
                        self.fingerprint = self.current_fingerprint()
                options = plugin_options(self.config)
                # The first load reads what builds parsed; the next ones, what it did.
                cache = events_cache(self.root, options) if self.context is None else None
                site = load_site(self.root, self.parsed, cache=cache)
                self.context = self._context(options, site, now)
                self.renderer = page_renderer(self.config, options, self.context)
            except ContentErrors as errors:
                self.errors = [str(e) for e in errors.errors]
            except StatusgenError as error:
                self.errors = [str(error)]
            if self.errors and self.errors != reported:
                print("\n".join(self.errors), file=sys.stderr)
            elif reported and not self.errors:
                print("The errors are fixed.", file=sys.stderr)

    def _context(self, options: PluginOptions, site: Site, now: datetime) -> RenderContext:
        """:func:`render_context`'s context, with the state derived from the last
        refresh's: the view and the state, as the build takes them, of the events whose
        files changed only."""
        view = site_view(site, audience=options.audience, drills=options.drills, kept=self.views)
        state = derive(view, now, uptime_days=options.uptime_days, kept=self.states)
        if self.settings is None:
            assert self.config is not None
            self.settings = render_context(self.config, options, site, now)
        return replace(self.settings, state=state)

    def close(self) -> None:
        """Remove the build made for hand-written pages, if any."""
        if self.built is not None:
            self.built.cleanup()
            self.built = None

    # Answering requests ----------------------------------------------------------------

    def respond(self, url_path: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for a GET of ``url_path``."""
        if url_path == FINGERPRINT_PATH:
            self.refresh()
            return 200, "text/plain", self.fingerprint.encode()
        if url_path == RELOAD_SCRIPT_PATH:
            return 200, "text/javascript", RELOAD_SCRIPT.encode()
        self.refresh()
        path = unquote(url_path).lstrip("/")
        if path == "index.html" or path.endswith("/index.html"):
            path = path.removesuffix("index.html")  # the same page as its folder's URL
        if self.errors:
            return 500, "text/html; charset=utf-8", self._error_page()
        assert self.context is not None
        try:
            return self._answer(path)
        except MarkupError as error:
            # Shown like any content error, until the file changes.
            self.errors = [str(error.locate(self.context.state.site))]
            print(self.errors[0], file=sys.stderr)
            return 500, "text/html; charset=utf-8", self._error_page()

    def _answer(self, path: str) -> tuple[int, str, bytes]:
        """The page, output or file at ``path`` of a repository without errors."""
        assert self.renderer is not None
        assert self.context is not None
        page = self.renderer.render_path(path)
        if page is None and not path.endswith("/") and self.renderer.pages.page_at(f"{path}/"):
            return 301, "text/plain", f"/{path}/".encode()
        if page is not None:
            return 200, "text/html; charset=utf-8", self._with_reload(page)
        static = self._static_file(path)
        if static is not None and path.startswith(ASSETS):
            # What every page loads after each edit (the script, the logo): no output is
            # published under assets/ (tests/test_serve.py checks), so it is served
            # without rendering every output (5.6 s at 10,000 incidents).
            return 200, _content_type(path), static.read_bytes()
        if self.outputs is None:
            self.outputs = render_outputs(self.context)
        if path in self.outputs:
            return 200, _content_type(path), self.outputs[path]
        if static is not None:
            return 200, _content_type(path), static.read_bytes()
        written = self._hand_written_page(path)
        if written is not None:
            return 200, "text/html; charset=utf-8", self._with_reload(written)
        not_found = self.renderer.render_path("404.html") or b"Not found"
        return 404, "text/html; charset=utf-8", self._with_reload(not_found)

    def _static_file(self, path: str) -> Path | None:
        """A file of the theme (``theme/`` first) or of ``docs_dir``; never a template."""
        assert self.config is not None
        if not path or path.endswith(".html") or ".." in Path(path).parts:
            return None
        for folder in (*self.config.theme.dirs, self.config.docs_dir):
            candidate = Path(folder, path)
            # A link out of its folder is not served, as the build does not publish it.
            if _is_file(candidate) and candidate.resolve().is_relative_to(Path(folder).resolve()):
                return candidate
        return None

    def _hand_written_page(self, path: str) -> bytes | None:
        """A Markdown page of ``docs_dir`` as MkDocs renders it, from a whole build."""
        assert self.config is not None
        docs, stem = Path(self.config.docs_dir), path.rstrip("/")
        sources = [docs / f"{stem}.md", docs / stem / "index.md"] if stem else []
        if ".." in Path(path).parts or not any(_is_file(p) for p in sources):
            return None
        with self.lock:
            if self.built is None:
                self.built = tempfile.TemporaryDirectory(prefix="statusgen-serve-")
                build_site(
                    self.root,
                    Path(self.built.name, "site"),
                    self.derived_at,
                    drills=True,
                    audience=self.audience,
                )
            page = Path(self.built.name, "site", stem, "index.html")
            return page.read_bytes() if page.is_file() else None

    def _with_reload(self, page: bytes) -> bytes:
        script = (
            f'<script src="{RELOAD_SCRIPT_PATH}" data-fingerprint="{self.fingerprint}"></script>'
        )
        return page.replace(b"</body>", script.encode() + b"</body>", 1)

    def _error_page(self) -> bytes:
        items = "".join(f"<li><code>{html.escape(e)}</code></li>" for e in self.errors)
        body = (
            "<!doctype html><html lang=en><head><meta charset=utf-8>"
            "<title>statusgen: errors</title></head><body>"
            "<h1>The status repository has errors</h1>"
            f"<p>Fix them and this page reloads.</p><ul>{items}</ul></body></html>"
        )
        return self._with_reload(body.encode())


def _stamps(files: list[Path], folders: list[Path]) -> str:
    """A digest of the names, inodes, modification times and sizes of ``files`` and of
    every file under ``folders``, read from directory entries (10,000 files are stamped
    on each request, and again on each poll of an open page). In the order the folders
    list them, not sorted: the digest is only ever compared with the previous one, and
    a listing in another order only costs one needless refresh."""
    stamps: list[object] = []
    for path in files:
        with suppress(OSError):
            status = path.stat()
            stamps += (str(path), status.st_ino, status.st_mtime_ns, status.st_size)
    pending = [str(folder) for folder in folders]
    while pending:
        folder = pending.pop()
        stamps.append(folder)
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
                continue
            try:
                status = entry.stat()
            except OSError:
                continue
            stamps += (entry.name, status.st_ino, status.st_mtime_ns, status.st_size)
    return str(hash(tuple(stamps)))


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; False too for a name the file system cannot hold (a
    request path is anything a browser sends, such as a segment of 300 characters)."""
    try:
        return path.is_file()
    except OSError:
        return False


def _content_type(path: str) -> str:
    suffix = Path(path).suffix
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def serve(
    root: Path, address: str, now: datetime | None = None, audience: str | None = None
) -> None:
    """Serve the preview of ``root`` (the view of ``audience``, None: the public) on
    ``address`` (``host:port``) until interrupted, at the moment ``now`` when given (as
    ``build --now``), else at the clock's.

    :raises StatusgenError: when the address cannot be used or mkdocs.yml is missing.
    """
    mkdocs_file(root)  # a missing mkdocs.yml stops here; a broken one shows in the browser
    host, _, port = address.rpartition(":")
    preview = Preview(root, now, audience)
    preview.refresh()  # prints the errors there are

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, content_type, body = preview.respond(urlsplit(self.path).path)
            self.send_response(status)
            if status == 301:
                self.send_header("Location", body.decode())
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    try:
        server = ThreadingHTTPServer((host or "127.0.0.1", int(port)), Handler)
    except (OSError, ValueError) as error:
        raise StatusgenError(f"cannot serve on {address}: {error}") from None
    print(f"Serving {preview.root} on http://{address}/ (Ctrl+C to stop)", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        preview.close()
