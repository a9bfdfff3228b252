"""The ``statusgen`` plugin for MkDocs 1.x and ProperDocs: a thin adapter over the core.

It loads and validates the status repository once (bad content fails the build with
the validator's messages), derives the page state, and adds every status page and
machine-readable output as a generated file. Pages are rendered with the theme's own
Jinja2 environment, so a template in the site's ``custom_dir`` (``theme/``) replaces
the one shipped here. Status pages use their own small stylesheet and script, never
Material's bundle or web fonts: a status page must load fast and from its own host.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from statusgen.content.config import (
    DEFAULT_FEED_LENGTH,
    DEFAULT_WINDOW_DAYS,
    SiteConfig,
    unknown_option,
)
from statusgen.content.loader import read_site
from statusgen.core.model import Site
from statusgen.core.timestamps import TimestampError, parse_timestamp
from statusgen.render.context import RenderContext
from statusgen.render.i18n import Language, available_languages
from statusgen.render.markup import MarkdownRenderer
from statusgen.render.outputs import render_outputs
from statusgen.render.pages import DEFAULT_HISTORY_PAGE_SIZE, PageRenderer
from statusgen.state.page import derive

TEMPLATES_DIR = Path(__file__).parents[1] / "render" / "templates"
log = logging.getLogger("mkdocs.plugins.statusgen")
NOW_VARIABLE = "STATUSGEN_NOW"
"""An environment variable that sets "now" for a build run by ``mkdocs build``."""


class StatusgenPluginConfig(base.Config):  # type: ignore[no-untyped-call]
    """The plugin's options in ``mkdocs.yml`` (``plugins: - statusgen: {...}``)."""

    uptime_days = c.Type(int, default=DEFAULT_WINDOW_DAYS)
    """How many days the uptime bars and percentages cover."""
    feed_length = c.Type(int, default=DEFAULT_FEED_LENGTH)
    """How many entries each feed keeps, newest first."""
    history_page_size = c.Type(int, default=DEFAULT_HISTORY_PAGE_SIZE)
    """Incidents per history page."""
    stale_after = c.Type(int, default=60)
    """Minutes after the build when pages warn readers they may be out of date (0: never).
    Set it above the interval of your scheduled builds."""
    brand_color = c.Optional(c.Type(str))
    """A CSS colour for the header, links and focus rings, such as ``"#0b5fff"``."""


class StatusgenPlugin(BasePlugin[StatusgenPluginConfig]):  # type: ignore[no-untyped-call]
    """Generates the status pages, feeds, calendars, badges and API of a status site."""

    def __init__(self) -> None:
        self.now: datetime | None = None
        """The moment to build the page for; the clock (or STATUSGEN_NOW) when None."""
        self.context: RenderContext | None = None
        self.timings: dict[str, float] = {}
        """Seconds spent in each phase of the last build: load, derive, pages, outputs."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.prepare(config)
        root = Path(config.config_file_path).parent
        started = time.perf_counter()
        site, errors = read_site(root)
        self.timings = {"load": time.perf_counter() - started}
        if errors or site is None:
            raise PluginError(
                "statusgen: the status repository has errors:\n" + "\n".join(str(e) for e in errors)
            )
        now = self.now or _now_from_environment() or datetime.now(UTC)
        started = time.perf_counter()
        self.context = self.render_context(config, site, now)
        self.timings["derive"] = time.perf_counter() - started
        return config

    def prepare(self, config: MkDocsConfig) -> None:
        """Check the options and set the theme up for status pages."""
        for key in self.config:
            if key not in self.config._schema_keys:
                # MkDocs only warns; an option with a typo must not be ignored silently.
                raise PluginError(f"statusgen: {unknown_option(key)}")
        for key in ("uptime_days", "feed_length", "history_page_size"):
            if self.config[key] < 1:
                raise PluginError(f"statusgen: '{key}' must be at least 1")
        if not config.site_url:
            raise PluginError(
                "statusgen: set 'site_url' in mkdocs.yml (for example "
                "https://status.example.com/): feeds, calendars and the API need absolute links"
            )
        theme = config.theme
        if theme.name == "material":
            theme["font"] = False  # no request to Google Fonts, ever
        # statusgen writes its own 404 page, in the status pages' light layout, and its
        # own sitemap (MkDocs' lists only its own pages, and dates them with the clock).
        theme.static_templates.discard("404.html")
        theme.static_templates.discard("sitemap.xml")
        # Templates shipped here come after the site's custom_dir, which overrides them.
        if str(TEMPLATES_DIR) not in theme.dirs:
            theme.dirs.insert(1 if theme.custom_dir else 0, str(TEMPLATES_DIR))

    def render_context(self, config: MkDocsConfig, site: Site, now: datetime) -> RenderContext:
        """What the renderers read: the page state at ``now`` and the site's settings."""
        theme = config.theme
        requested = str(theme.get("language") or theme.get("locale") or "en")
        language = Language(requested)
        if not language.translated and language.locale.language != "en":
            log.warning(
                "statusgen: no translation for '%s' (there are: en, %s): statusgen's words "
                "are in English, dates follow '%s'",
                requested,
                ", ".join(available_languages()),
                language.code,
            )
        site_config = SiteConfig(
            name=config.site_name,
            url=config.site_url.rstrip("/") + "/" if config.site_url else None,
            description=config.site_description,
            language=language.code,
            uptime_days=self.config.uptime_days,
            feed_length=self.config.feed_length,
        )
        return RenderContext(
            state=derive(site, now, uptime_days=self.config.uptime_days),
            config=site_config,
            markdown=MarkdownRenderer(config.markdown_extensions, config.mdx_configs),
            language=language,
        )

    def page_renderer(self, config: MkDocsConfig, context: RenderContext) -> PageRenderer:
        """Renders pages with a new environment of the theme (``theme/`` first)."""
        theme = config.theme
        environment = theme.get_env()  # our own instance: MkDocs makes another for itself
        environment.auto_reload = False  # templates do not change while it is in use
        return PageRenderer(
            context,
            environment,
            history_page_size=self.config.history_page_size,
            globals_={
                "theme": {
                    "logo": theme.get("logo"),
                    "favicon": theme.get("favicon"),
                    "brand_color": self.config.brand_color,
                    "stale_after": self.config.stale_after,
                }
            },
        )

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        assert self.context is not None
        started = time.perf_counter()
        renderer = self.page_renderer(config, self.context)
        pages = renderer.render_all() | {"sitemap.xml": renderer.sitemap()}
        self.timings["pages"] = time.perf_counter() - started
        started = time.perf_counter()
        generated = pages | render_outputs(self.context)
        self.timings["outputs"] = time.perf_counter() - started
        docs_dir = Path(config.docs_dir)
        for file in list(files):
            if file.dest_uri not in generated:
                continue
            source = Path(file.abs_src_path or "")
            if not source.is_relative_to(docs_dir):
                files.remove(file)  # a theme's file (Material's sitemap.xml): ours replaces it
                continue
            shown = os.path.relpath(source, Path(config.config_file_path).parent)
            raise PluginError(
                f"statusgen: {shown} would replace the generated /{file.dest_uri}: "
                "rename or remove it"
            )
        for path, data in generated.items():
            files.append(File.generated(config, path, content=data))
        return files

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        """For ``mkdocs serve``: rebuild when an incident or components.yml changes too."""
        root = Path(config.config_file_path).parent
        for path in (root / "incidents", root / "components.yml"):
            if path.exists():
                server.watch(str(path))
        return server


def _now_from_environment() -> datetime | None:
    value = os.environ.get(NOW_VARIABLE)
    if not value:
        return None
    try:
        return parse_timestamp(value)
    except TimestampError as error:
        raise PluginError(f"statusgen: {NOW_VARIABLE}: {error}") from None
