"""The ``statusgen`` plugin for MkDocs 1.x and ProperDocs: a thin adapter over the core.

It loads and validates the status repository once (bad content fails the build with
the validator's messages), derives the page state, and adds every status page and
machine-readable output as a generated file. Pages are rendered with the theme's own
Jinja2 environment, so a template in the site's ``custom_dir`` (``theme/``) replaces
the one shipped here. Status pages use their own small stylesheet and script, never
Material's bundle or web fonts: a status page must load fast and from its own host.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from statusgen.content.config import PLUGIN_NAME, read_site_config
from statusgen.content.loader import links_outside, read_site
from statusgen.content.stored_events import events_cache
from statusgen.core.errors import ContentErrors, StatusgenError
from statusgen.core.timestamps import TimestampError, parse_timestamp
from statusgen.render.context import RenderContext
from statusgen.render.markup import MarkupError
from statusgen.render.outputs import each_output, output_paths
from statusgen.render.pages import TEMPLATES_DIR, PageRenderer
from statusgen.site.assembly import (
    NO_DOCS_DIR,
    page_renderer,
    prepare,
    render_context,
)
from statusgen.site.options import AUDIENCE_IN_FILE, PluginOptions
from statusgen.site.spare import SpareSite, write_file
from statusgen.site.writer import PageWriter

# Material's search: its worker and the lunr language files, needed only by its search box.
SEARCH_ASSETS = ("assets/javascripts/lunr/", "assets/javascripts/workers/search.")
NOW_VARIABLE = "STATUSGEN_NOW"
"""An environment variable that sets "now" for a build run by ``mkdocs build``."""
SITEMAP = "sitemap.xml"
_BODY_START = re.compile(r"<body\b[^>]*>")


class StatusgenPlugin(BasePlugin[PluginOptions]):  # type: ignore[no-untyped-call]
    """Generates the status pages, feeds, calendars, badges and API of a status site."""

    def __init__(self) -> None:
        self.context: RenderContext | None = None
        self.renderer: PageRenderer | None = None
        """The status pages' renderer of the current build (set in ``on_files``)."""
        self.writer: PageWriter | None = None
        self.spare: SpareSite | None = None
        """The previous site that ``statusgen build`` writes this one over, if any: its
        files are in site_dir, hidden from MkDocs until the site's files are known."""
        self.timings: dict[str, float] = {}
        """Seconds spent in each phase of the last build: load, derive, pages, outputs
        (making them) and outputs written (writing them)."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            prepare(config, self.config)
        except StatusgenError as error:
            raise PluginError(str(error)) from None
        root = Path(config.config_file_path).parent
        if "audience" in read_site_config(root).plugin_options:
            # statusgen build refuses it too; this is for a plain `mkdocs build`.
            raise PluginError(f"statusgen: {AUDIENCE_IN_FILE}")
        started = time.perf_counter()
        published = [Path(config.docs_dir), Path(config.config_file_path)]
        if config.theme.custom_dir:
            published.append(Path(config.theme.custom_dir))
        # MkDocs copies these as they are: a link in them could publish any file.
        site, errors = read_site(root, cache=events_cache(root, self.config))
        errors += links_outside(root, [p for p in published if p != NO_DOCS_DIR])
        if errors or site is None:
            raise _repository_errors(ContentErrors(errors))
        self.timings = {"load": time.perf_counter() - started}
        now = self.config.now or _now_from_environment() or datetime.now(UTC)
        started = time.perf_counter()
        self.context = render_context(config, self.config, site, now)
        self.timings["derive"] = time.perf_counter() - started
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        assert self.context is not None
        context = self.context
        started = time.perf_counter()
        renderer = self.renderer = page_renderer(config, self.config, context)
        written = [file.url for file in files.documentation_pages()]
        paths = renderer.files()
        # Every output's path is known from the state, before any is made: a
        # hand-written file where a page or an output goes fails the build before
        # anything is written, or a spare put back (a plain `mkdocs build` has no
        # staging folder to discard).
        outputs = [*output_paths(context), SITEMAP]
        hand_written = _hand_written(files, config)
        for path in itertools.chain((path for path, _ in paths), outputs):
            _refuse_replacing(hand_written, path)
        if self.spare is not None:
            self.spare.restore()
            self.spare.clear_way([*(path for path, _ in paths), *outputs])
        # Each page is rendered when it is written, and then dropped, so that memory
        # does not grow with the site; a second process may write some (site/writer.py).
        writer = self.writer = PageWriter(renderer, Path(config.site_dir), paths)
        self.timings["pages"] = time.perf_counter() - started
        writer.start()
        started = time.perf_counter()
        site_dir = Path(config.site_dir)
        writing = 0.0
        try:
            # Each output is written as it is made, and dropped: nothing stands where
            # it goes (MkDocs empties the site folder before listing the files, and a
            # spare has given way), and the largest ones (the API's list of every
            # maintenance) never wait for the others. The
            # feeds' and calendars' libraries are imported only now, while the page
            # worker, if there is one, writes pages (render/outputs.py).
            made = each_output(context)
            for path, data in itertools.chain(made, [(SITEMAP, renderer.sitemap(written))]):
                write_started = time.perf_counter()
                write_file(site_dir / path, data)
                writing += time.perf_counter() - write_started
        except MarkupError as error:
            raise _content_error(error, context) from None
        self.timings["outputs"] = time.perf_counter() - started - writing
        self.timings["outputs written"] = writing
        generated = {path for path, _ in paths} | set(outputs)
        # Before the generated files join: only MkDocs' own listing has theme files. A
        # theme's file where a generated one goes (Material's sitemap.xml) is ours.
        for file in list(files):
            if file.dest_uri in generated:
                files.remove(file)
        for file in unused_theme_files(files, config):
            files.remove(file)
        for path in outputs:
            files.append(_Output(config, path))
        for path, url in paths:
            files.append(_RenderedPage(config, path, writer, url))
        return files

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        if self.spare is not None:
            # Every file of the site is listed now, and MkDocs writes its own next.
            ours = (_Output, _RenderedPage)
            self.spare.clear_way([f.dest_uri for f in files if not isinstance(f, ours)])
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.context is not None
        assert self.writer is not None
        started = time.perf_counter()
        try:
            self.writer.finish()
        except ContentErrors as errors:
            raise _repository_errors(errors) from None
        except StatusgenError as error:
            raise PluginError(str(error)) from None
        self.timings["pages"] += self.writer.seconds + time.perf_counter() - started
        # Every page has been written, so every text of the site rendered: the
        # Markdown cache keeps just those.
        self.context.markdown.save(prune=True)

    def on_build_error(self, *, error: Exception) -> None:
        if self.writer is not None:
            self.writer.abort()

    def on_post_page(self, output: str, /, *, page: Any, config: MkDocsConfig) -> str:
        """A hand-written page of a restricted view carries the view's marks too: the
        theme renders it, so the marks are added to its HTML here."""
        renderer = self.renderer
        assert renderer is not None
        if renderer.shared["audience"] is None:
            return output
        head, marker = (renderer.render_partial(f) for f in ("audience-head.html", "audience.html"))
        output = output.replace("<head>", f"<head>{head}", 1)
        return _BODY_START.sub(lambda start: start.group() + marker, output, count=1)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        """For ``mkdocs serve``: rebuild when an incident or components.yml changes too."""
        root = Path(config.config_file_path).parent
        for path in (root / "incidents", root / "components.yml"):
            if path.exists():
                server.watch(str(path))
        return server


class _Generated(File):
    """A file statusgen writes itself when MkDocs copies the files, without keeping its
    bytes (MkDocs keeps every file until the end of the build)."""

    def __init__(self, config: MkDocsConfig, path: str) -> None:
        super().__init__(
            path,
            src_dir=None,
            dest_dir=config.site_dir,
            use_directory_urls=config.use_directory_urls,
        )
        self.generated_by = PLUGIN_NAME

    def is_modified(self) -> bool:
        return True


class _RenderedPage(_Generated):
    """A status page, rendered when it is written (maybe by the page worker)."""

    def __init__(self, config: MkDocsConfig, path: str, writer: PageWriter, url: str) -> None:
        super().__init__(config, path)
        self._writer = writer
        self._url = url

    @property  # type: ignore[misc]  # read-only: the content is the page's
    def content_bytes(self) -> bytes:
        html = self._writer.renderer.render_path(self._url)
        assert html is not None
        return html

    def copy_file(self, dirty: bool = False) -> None:
        try:
            # The path it was made with (a generated file's dest_uri is the same), which
            # MkDocs would otherwise work out and keep in each page's own dictionary.
            self._writer.write(self.src_uri)
        except MarkupError as error:
            raise _content_error(error, self._writer.renderer.pages.context) from None


class _Output(_Generated):
    """A feed, calendar, badge or API document, written when it was made (in
    ``on_files``), before MkDocs copies any file."""

    @property  # type: ignore[misc]  # read-only: the file written
    def content_bytes(self) -> bytes:
        return Path(self.abs_dest_path).read_bytes()

    def copy_file(self, dirty: bool = False) -> None:
        pass  # written already


def _hand_written(files: Files, config: MkDocsConfig) -> dict[str, str]:
    """The site's own files (those of its docs_dir) by published path, each named as
    the build's messages name it (relative to the folder of ``mkdocs.yml``)."""
    docs_dir = Path(config.docs_dir)
    root = Path(config.config_file_path).parent
    found = {}
    for file in files:
        source = Path(file.abs_src_path or "")
        if source.is_relative_to(docs_dir):
            found[file.dest_uri] = os.path.relpath(source, root)
    return found


def _refuse_replacing(hand_written: dict[str, str], path: str) -> None:
    """Refuse a hand-written file where the generated ``path`` goes."""
    shown = hand_written.get(path)
    if shown is not None:
        raise PluginError(
            f"statusgen: {shown} would replace the generated /{path}: rename or remove it"
        )


def _content_error(error: MarkupError, context: RenderContext) -> PluginError:
    """A Markdown text that cannot be rendered, as the content error it is."""
    return _repository_errors(ContentErrors([error.locate(context.state.site)]))


def _repository_errors(errors: ContentErrors) -> PluginError:
    return PluginError(f"statusgen: the status repository has errors:\n{errors}")


def unused_theme_files(files: Files, config: MkDocsConfig) -> list[File]:
    """The vendor theme's files that no page of this site loads.

    Status pages load only statusgen's own assets, so Material's bundle, stylesheets and
    search are copied only for hand-written pages, and only what those pages load: the
    search worker and its language files when the search plugin is on, and never the
    source maps (about 1.3 MB that only a developer's tools read). Files of the site
    owner's ``custom_dir`` and statusgen's own are always kept.
    """
    ours = [Path(TEMPLATES_DIR)]
    if config.theme.custom_dir:
        ours.append(Path(config.theme.custom_dir))
    vendor = [Path(d) for d in config.theme.dirs if Path(d) not in ours]
    hand_written = bool(files.documentation_pages())
    searched = any(name.endswith("search") for name in config.plugins)
    unused = []
    for file in [*files.static_pages(), *files.media_files()]:
        source = Path(file.abs_src_path or "")
        if not any(source.is_relative_to(d) for d in vendor):
            continue
        needed = (
            hand_written
            and not file.dest_uri.endswith(".map")
            and (searched or not file.dest_uri.startswith(SEARCH_ASSETS))
        )
        if not needed:
            unused.append(file)
    return unused


def _now_from_environment() -> datetime | None:
    value = os.environ.get(NOW_VARIABLE)
    if not value:
        return None
    try:
        return parse_timestamp(value)
    except TimestampError as error:
        raise PluginError(f"statusgen: {NOW_VARIABLE}: {error}") from None
