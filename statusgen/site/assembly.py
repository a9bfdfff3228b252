"""Where a status site is put together, for ``build``, ``serve`` and the plugin alike:
loading ``mkdocs.yml`` with MkDocs (or ProperDocs), finding the plugin and its options,
and assembling the :class:`RenderContext` and the page renderer of a moment."""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path

import jinja2
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from statusgen.content.config import (
    DEFAULT_DOCS_DIR,
    MKDOCS_FILE,
    PLUGIN_NAME,
    SiteConfig,
    config_file,
    normal_site_url,
    read_site_config,
)
from statusgen.core.errors import StatusgenError
from statusgen.core.model import Site
from statusgen.core.stored import cache_file, cache_folder
from statusgen.render.context import RenderContext
from statusgen.render.i18n import Language, available_languages
from statusgen.render.markup import MarkdownRenderer
from statusgen.render.pages import TEMPLATES_DIR, PageRenderer
from statusgen.render.template_words import WORDS_ATTRIBUTE
from statusgen.site.options import (
    AUDIENCE_IN_FILE,
    DRILLS_IN_FILE,
    PluginOptions,
    check_options,
    option_errors,
)
from statusgen.state.page import derive
from statusgen.view.drills import has_drills
from statusgen.view.site_view import site_view

NO_DOCS_DIR = Path(__file__).parent / "no_docs"
"""An empty folder (but for a hidden file, which MkDocs skips), the docs_dir of a site
without hand-written pages."""
log = logging.getLogger("mkdocs.plugins.statusgen")


def markdown_cache_file(config_file: Path) -> Path:
    """Where builds of the site configured by ``config_file`` keep rendered Markdown
    (option ``cache``)."""
    return cache_file("markdown", config_file)


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between builds (option ``cache``), in the user's cache
    folder: compiling statusgen's templates takes a build a tenth of a second.

    Jinja checks each one against its template's source; what compiling depends on
    besides the source (Jinja's version and the environment's settings) names the
    folder. A folder that cannot be written only means compiling again.
    """

    def __init__(self, environment: jinja2.Environment) -> None:
        settings = [
            jinja2.__version__,
            sorted(environment.extensions),
            str(environment.autoescape),
            getattr(environment, "newstyle_gettext", False),
            getattr(environment, WORDS_ATTRIBUTE, None),
            *(
                getattr(environment, name)
                for name in (
                    "block_start_string",
                    "block_end_string",
                    "variable_start_string",
                    "variable_end_string",
                    "comment_start_string",
                    "comment_end_string",
                    "line_statement_prefix",
                    "line_comment_prefix",
                    "trim_blocks",
                    "lstrip_blocks",
                    "newline_sequence",
                    "keep_trailing_newline",
                    "optimized",
                )
            ),
        ]
        key = hashlib.sha256(repr(settings).encode()).hexdigest()[:16]
        folder = cache_folder() / f"templates-{key}"
        with suppress(OSError):  # then every dump fails, quietly
            folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            folder.mkdir(mode=0o700, exist_ok=True)
        super().__init__(str(folder))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with suppress(OSError):  # Jinja lets some through (a file where the folder goes)
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with suppress(OSError):
            super().dump_bytecode(bucket)


def site_config(root: Path) -> SiteConfig:
    """The settings of the repository at ``root``, read without loading MkDocs, with the
    plugin's options checked as a build checks them.

    :raises ContentErrors: when mkdocs.yml cannot be read or an option is wrong.
    """
    config = read_site_config(root)
    options = check_options(config.plugin_options, config.file)
    return replace(
        config,
        uptime_days=options.uptime_days,
        feed_length=options.feed_length,
        update_every=options.update_every,
        alert_severities=options.alert_severities,
    )


def load_mkdocs_config(
    root: Path,
    now: datetime | None = None,
    *,
    drills: bool = False,
    audience: str | None = None,
) -> MkDocsConfig:
    """``mkdocs.yml`` at ``root`` loaded by MkDocs, with the plugin's options checked and,
    when given, ``now`` as the plugin's ``now`` option; ``drills`` shows drills;
    ``audience`` chooses whose view it builds (None: the public's).

    :raises StatusgenError: when the file is missing or wrong, or has no statusgen plugin.
    """
    config_file = mkdocs_file(root)
    overrides = {}
    if read_site_config(root).docs_dir is None and not (root / DEFAULT_DOCS_DIR).is_dir():
        # No page written by hand: FORMAT.md asks for no folder but incidents/, while
        # MkDocs insists that its default docs/ exists. An empty one stands in.
        overrides["docs_dir"] = str(NO_DOCS_DIR)
    with mkdocs_messages() as errors:
        try:
            config = load_config(str(config_file), **overrides)
        except MkDocsException as error:
            details = "\n".join(errors) or str(error)
            raise StatusgenError(f"{config_file}: {details}") from None
    plugin = config.plugins.get(PLUGIN_NAME)
    if plugin is None or not isinstance(plugin.config, PluginOptions):
        raise StatusgenError(f"{config_file}: add the statusgen plugin: 'plugins: [statusgen]'")
    if plugin.config.drills:
        raise StatusgenError(f"{config_file}: plugin {PLUGIN_NAME}: {DRILLS_IN_FILE}")
    if plugin.config.audience is not None:
        raise StatusgenError(f"{config_file}: plugin {PLUGIN_NAME}: {AUDIENCE_IN_FILE}")
    if now is not None:
        plugin.config.now = now
    plugin.config.drills, plugin.config.audience = drills, audience
    return config


def mkdocs_file(root: Path) -> Path:
    """``root``'s mkdocs.yml, or properdocs.yml (:func:`config_file`).

    :raises StatusgenError: when there is none, saying what it needs.
    """
    found = config_file(root)
    if not found.is_file():
        raise StatusgenError(
            f"{found}: not found; a status site needs {MKDOCS_FILE} (or properdocs.yml) "
            "with site_name, site_url and 'plugins: [statusgen]' (statusgen init writes one)"
        )
    return found


def plugin_options(config: MkDocsConfig) -> PluginOptions:
    """The statusgen plugin's options of a loaded configuration."""
    options = config.plugins[PLUGIN_NAME].config
    assert isinstance(options, PluginOptions)
    return options


def prepare(config: MkDocsConfig, options: PluginOptions) -> None:
    """Check the options and set the theme up for status pages.

    :raises StatusgenError: for an unknown option or a missing ``site_url``.
    """
    for message in option_errors(options):
        raise StatusgenError(f"{PLUGIN_NAME}: {message}")
    if not config.site_url:
        raise StatusgenError(
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
    if Path(config.docs_dir) == NO_DOCS_DIR:
        # No hand-written page, so no file of the vendor theme is used (status pages
        # load only their own): MkDocs need not even list its thousands of files.
        ours = {str(TEMPLATES_DIR), theme.custom_dir}
        theme.dirs[:] = [folder for folder in theme.dirs if folder in ours]
    if not isinstance(theme.get_env, partial):  # once: serve prepares each rebuild
        theme.get_env = partial(_listing_visible_files, theme.get_env)  # type: ignore[method-assign]


class ThemeLoader(jinja2.FileSystemLoader):
    """The theme's templates, listed without the files of hidden folders.

    MkDocs lists every file of the theme's folders to copy the static ones, and leaves
    out any path with a part that starts with a dot. Material keeps 14,000 icons in
    ``.icons``, which its templates include by name: walking them took every build
    with hand-written pages 60-90 ms of CPU, for nothing. Everything else is
    :class:`jinja2.FileSystemLoader`'s, and so is the listing of the other files.
    """

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for searchpath in self.searchpath:
            for folder, subfolders, names in os.walk(searchpath, followlinks=self.followlinks):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                prefix = folder[len(searchpath) :].strip(os.sep).replace(os.sep, "/")
                found.update(f"{prefix}/{name}" if prefix else name for name in names)
        return sorted(found)


def _listing_visible_files(make: Callable[[], jinja2.Environment]) -> jinja2.Environment:
    """The environment the theme makes (MkDocs' or ProperDocs' ``Theme.get_env``), its
    loader a :class:`ThemeLoader` of the same folders."""
    environment = make()
    loader = environment.loader
    if type(loader) is jinja2.FileSystemLoader:
        environment.loader = ThemeLoader(loader.searchpath, loader.encoding, loader.followlinks)
    return environment


def render_context(
    config: MkDocsConfig, options: PluginOptions, site: Site, now: datetime
) -> RenderContext:
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
    settings = SiteConfig(
        name=config.site_name,
        url=normal_site_url(config.site_url),
        description=config.site_description,
        language=language.code,
        uptime_days=options.uptime_days,
        feed_length=options.feed_length,
        update_every=options.update_every,
    )
    return RenderContext(
        # The view first: no state, uptime or renderer sees what this build may not show.
        state=derive(
            site_view(site, audience=options.audience, drills=options.drills),
            now,
            uptime_days=options.uptime_days,
        ),
        config=settings,
        markdown=MarkdownRenderer(
            config.markdown_extensions,
            config.mdx_configs,
            cache=markdown_cache_file(Path(config.config_file_path)) if options.cache else None,
        ),
        language=language,
    )


def page_renderer(
    config: MkDocsConfig, options: PluginOptions, context: RenderContext
) -> PageRenderer:
    """Renders pages with a new environment of the theme (``theme/`` first)."""
    theme = config.theme
    environment = theme.get_env()  # our own instance: MkDocs makes another for itself
    environment.auto_reload = False  # templates do not change while it is in use
    renderer = PageRenderer(
        context,
        environment,
        history_page_size=options.history_page_size,
        globals_={
            "theme": {
                "logo": theme.get("logo"),
                "favicon": theme.get("favicon"),
                "brand_color": options.brand_color,
                "stale_after": options.stale_after,
            },
            "drills": has_drills(context.state.site),
        },
    )
    if options.cache:
        environment.bytecode_cache = TemplateCache(environment)  # set up as it renders
    return renderer


class _Messages(logging.Handler):
    """Prints MkDocs' warnings on stderr and keeps its errors for the final message."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            self.errors.append(message)
        else:
            print(f"WARNING: {message}", file=sys.stderr)


@contextmanager
def mkdocs_messages() -> Iterator[list[str]]:
    """Route MkDocs' log: warnings to stderr, errors collected; progress chatter dropped."""
    logger = logging.getLogger("mkdocs")
    handler = _Messages()
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield handler.errors
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
