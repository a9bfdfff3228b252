"""Site settings read from ``mkdocs.yml``, without importing MkDocs.

The core (model, derived state, API documents, the CLI's ``status``) needs only a few
settings: the site's name and URL and the plugin's options. Reading them with plain
YAML keeps the core independent of the renderer; the plugin's options are checked by
their one declaration, :class:`statusgen.site.options.PluginOptions`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from statusgen.core.errors import ContentError, ContentErrors
from statusgen.core.ids import is_valid_id, slugify
from statusgen.core.model import ComponentStatus

MKDOCS_FILE = "mkdocs.yml"
DEFAULT_DOCS_DIR = "docs"
CONFIG_FILES = ("properdocs.yml", "properdocs.yaml", MKDOCS_FILE, "mkdocs.yaml")
#: MkDocs' docs_dir when the configuration sets none: the files it copies into the site.
DEFAULT_DOCS_DIR = "docs"
"""The names a site's configuration may have, in the order ProperDocs looks for them,
so that statusgen reads the file the generator reads."""
DEFAULT_WINDOW_DAYS = 90
"""Days of uptime shown, Statuspage's 90 by default."""
DEFAULT_FEED_LENGTH = 100
DEFAULT_HISTORY_PAGE_SIZE = 50
DEFAULT_UPDATE_EVERY = 30
"""Minutes within which an active incident promises its next update (0: no promise)."""
#: ``statusgen alert``: the component status of an alert by its ``severity`` label (the
#: impact follows from the worst status, as for ``statusgen new``).
DEFAULT_ALERT_SEVERITIES: Mapping[str, ComponentStatus] = MappingProxyType(
    {
        "critical": ComponentStatus.MAJOR_OUTAGE,
        "warning": ComponentStatus.DEGRADED_PERFORMANCE,
    }
)
PLUGIN_NAME = "statusgen"
"""The plugin's name in ``plugins:`` (and its entry points in pyproject.toml)."""


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may use tags (``!ENV``, ``!!python/name:``) that only MkDocs resolves."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteConfig:
    """The settings the core needs."""

    name: str = "Status"
    url: str | None = None
    """``site_url`` with a trailing slash, or None when it is not set."""
    description: str | None = None
    """``site_description``: used by feeds and calendars."""
    language: str = "en"
    """``theme.language``: the language of the pages, feeds and calendars."""
    uptime_days: int = DEFAULT_WINDOW_DAYS
    feed_length: int = DEFAULT_FEED_LENGTH
    """How many entries each feed keeps, newest first."""
    update_every: int = DEFAULT_UPDATE_EVERY
    """Minutes within which an active incident promises its next update; 0: no promise."""
    alert_severities: Mapping[str, ComponentStatus] = field(
        default_factory=lambda: DEFAULT_ALERT_SEVERITIES
    )
    """``statusgen alert``: the component status of each ``severity`` label value."""
    plugin_options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """The plugin's options as written, before they are checked."""
    file: str = MKDOCS_FILE
    """The configuration file's name (:func:`config_file`), for messages."""
    docs_dir: str | None = None
    """``docs_dir`` as written; None when the file does not set it."""
    theme_dir: str | None = None
    """``theme.custom_dir`` as written (``theme/``), or None."""

    def published_folders(self, root: Path) -> list[Path]:
        """The folders whose files MkDocs copies into the site as they are."""
        folders = [root / (self.docs_dir or DEFAULT_DOCS_DIR)]
        return folders + ([root / self.theme_dir] if self.theme_dir else [])

    @property
    def audiences(self) -> tuple[str, ...] | None:
        """The audience names the plugin's ``audiences`` option declares besides everyone;
        None when the option is not a list of names (its check, with the other options',
        says so): content is then not checked against them."""
        names = self.plugin_options.get("audiences", [])
        if not isinstance(names, list) or not all(
            isinstance(n, str) and is_valid_id(n) for n in names
        ):
            return None
        return tuple(names)

    @property
    def page_id(self) -> str:
        """The id published as ``page.id`` in the API: the site name as an id."""
        return slugify(self.name) or "status"

    def absolute_url(self, path: str) -> str:
        """``path`` (relative to the site root, no leading slash) as a full URL when
        ``site_url`` is set, else as a root-relative path."""
        return f"{self.url}{path}" if self.url else f"/{path}"


def config_file(root: Path) -> Path:
    """The configuration file of the site at ``root``: the first of :data:`CONFIG_FILES`
    that exists, else ``mkdocs.yml`` (which then does not exist)."""
    for name in CONFIG_FILES:
        if (root / name).is_file():
            return root / name
    return root / MKDOCS_FILE


def read_site_config(root: Path) -> SiteConfig:
    """Read ``mkdocs.yml`` (or ``properdocs.yml``) at ``root``; defaults when there is none.

    :raises ContentErrors: when the file exists but cannot be used.
    """
    path = config_file(root)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return SiteConfig()
    except (OSError, UnicodeDecodeError) as error:
        raise ContentErrors([ContentError(name, None, f"cannot be read: {error}")]) from None
    return parse_site_config(text, name)


def parse_site_config(text: str, name: str = MKDOCS_FILE) -> SiteConfig:
    """Read the text of the configuration file ``name`` (the plugin's options are taken
    as written).

    :raises ContentErrors: when it is not YAML.
    """
    try:
        _refuse_aliases(text, name)
        data: Any = yaml.load(text, Loader=_TolerantLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ContentErrors([ContentError(name, line, f"invalid YAML: {error}")]) from None
    if not isinstance(data, dict):
        data = {}
    theme = data.get("theme")
    _check_texts(name, data, theme)
    language = theme.get("language") if isinstance(theme, dict) else None
    return SiteConfig(
        name=str(data.get("site_name") or "Status"),
        url=normal_site_url(data.get("site_url")),
        description=str(data["site_description"]) if data.get("site_description") else None,
        language=str(language or "en"),
        plugin_options=MappingProxyType(_plugin_options(data.get("plugins"))),
        file=name,
        docs_dir=str(data["docs_dir"]) if data.get("docs_dir") else None,
        theme_dir=str(theme["custom_dir"])
        if isinstance(theme, dict) and theme.get("custom_dir")
        else None,
    )


def _refuse_aliases(text: str, name: str) -> None:
    """Refuse YAML aliases before anything loads the file: a few lines of nested aliases
    expand to billions of values, and MkDocs would spend minutes and all the memory on
    them. Reading the events costs the size of the text.

    :raises ContentErrors: naming the line of the first alias.
    """
    for event in yaml.parse(text, Loader=_TolerantLoader):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line + 1 if event.start_mark else None
            message = "YAML aliases ('*name') are not allowed here: write the value out"
            raise ContentErrors([ContentError(name, line, message)])


#: Settings that must be text when they are set (MkDocs would fail on anything else).
_TEXT_SETTINGS = ("site_name", "site_url", "site_description", "docs_dir", "site_dir")
_TEXT_THEME_SETTINGS = ("name", "language", "custom_dir", "logo", "favicon")


def _check_texts(name: str, data: dict[str, Any], theme: object) -> None:
    """:raises ContentErrors: for a setting that must be text and is not."""
    found = [(key, data.get(key)) for key in _TEXT_SETTINGS]
    if isinstance(theme, dict):
        found += [(f"theme.{key}", theme.get(key)) for key in _TEXT_THEME_SETTINGS]
    for key, value in found:
        if value is not None and not isinstance(value, str):
            message = f"'{key}' must be text, not {type(value).__name__} ({value!r:.40})"
            raise ContentErrors([ContentError(name, None, message)])


def normal_site_url(url: object) -> str | None:
    """``site_url`` with one trailing slash, so that paths can be appended; None when unset."""
    return (str(url).rstrip("/") + "/") if url else None


def _plugin_options(plugins: object) -> dict[str, Any]:
    """The options given to the statusgen plugin in ``plugins:`` (list or mapping form)."""
    if isinstance(plugins, dict):
        options = plugins.get(PLUGIN_NAME)
        return options if isinstance(options, dict) else {}
    if isinstance(plugins, list):
        for item in plugins:
            if isinstance(item, dict) and isinstance(item.get(PLUGIN_NAME), dict):
                return dict(item[PLUGIN_NAME])
    return {}
