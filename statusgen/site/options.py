"""The plugin's options in ``mkdocs.yml`` (``plugins: - statusgen: {...}``), declared once.

MkDocs checks them with this declaration when it loads the plugin (``statusgen build``,
``serve``, ``mkdocs build``), and ``statusgen validate`` and ``status`` check
``mkdocs.yml`` with the same one (:func:`check_options`): they never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, ValidationError

from statusgen.content.config import (
    DEFAULT_ALERT_SEVERITIES,
    DEFAULT_FEED_LENGTH,
    DEFAULT_HISTORY_PAGE_SIZE,
    DEFAULT_UPDATE_EVERY,
    DEFAULT_WINDOW_DAYS,
    MKDOCS_FILE,
    PLUGIN_NAME,
)
from statusgen.core.errors import ContentError, ContentErrors, choose, did_you_mean, one_of
from statusgen.core.ids import invalid_id_message, is_valid_id
from statusgen.core.model import ComponentStatus
from statusgen.core.timestamps import TimestampError, parse_timestamp


class WholeNumber(BaseConfigOption[int]):
    """A whole number (not a boolean, which YAML's ``yes`` also gives) of at least
    ``minimum``."""

    def __init__(self, minimum: int, default: int) -> None:
        super().__init__()
        self.minimum, self.default = minimum, default

    def run_validation(self, value: object) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < self.minimum:
            raise ValidationError(f"must be a whole number >= {self.minimum}")
        return value


class Moment(BaseConfigOption[datetime]):
    """A FORMAT.md timestamp with a zone, such as ``2026-11-30 12:00 UTC``."""

    def run_validation(self, value: object) -> datetime:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value
        try:
            return parse_timestamp(str(value))
        except TimestampError as error:
            raise ValidationError(str(error)) from None


class AlertSeverities(BaseConfigOption[Mapping[str, ComponentStatus]]):
    """``{critical: major_outage, warning: degraded_performance}``: an alert's ``severity``
    label (case-insensitive) and the component status it gives; replaces the default."""

    def __init__(self) -> None:
        super().__init__()
        self.default = DEFAULT_ALERT_SEVERITIES

    def run_validation(self, value: object) -> Mapping[str, ComponentStatus]:
        statuses = [s for s in ComponentStatus if s is not ComponentStatus.OPERATIONAL]
        if not isinstance(value, dict) or not value:
            raise ValidationError("must be a mapping 'severity: component status'")
        found: dict[str, ComponentStatus] = {}
        for severity, status in value.items():
            chosen, hint = choose(str(status), statuses)
            if not isinstance(severity, str) or chosen is None:
                raise ValidationError(
                    f"'{severity}: {status}' is not 'severity: status'"
                    f"{hint}; the statuses are {one_of(statuses)}"
                )
            found[severity.lower()] = chosen
        return found


class AudienceNames(BaseConfigOption[list[str]]):
    """Audience names besides everyone: distinct, each following the id rule."""

    def __init__(self) -> None:
        super().__init__()
        self.default: list[str] = []

    def run_validation(self, value: object) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
            raise ValidationError("must be a list of names, like [internal, partners]")
        for index, name in enumerate(value):
            if not is_valid_id(name):
                raise ValidationError(invalid_id_message("audience name", name))
            if name in value[:index]:
                raise ValidationError(f"audience '{name}' is declared twice")
        return value


class PluginOptions(base.Config):  # type: ignore[no-untyped-call]
    """The plugin's options."""

    uptime_days = WholeNumber(1, DEFAULT_WINDOW_DAYS)
    """How many days the uptime bars and percentages cover."""
    feed_length = WholeNumber(1, DEFAULT_FEED_LENGTH)
    """How many entries each feed keeps, newest first."""
    history_page_size = WholeNumber(1, DEFAULT_HISTORY_PAGE_SIZE)
    """Incidents per history page."""
    stale_after = c.Type(int, default=60)
    """Minutes after the build when pages warn readers they may be out of date (0: never).
    Set it above the interval of your scheduled builds."""
    brand_color = c.Optional(c.Type(str))
    """A CSS colour for the header, links and focus rings, such as ``"#0b5fff"``."""
    update_every = WholeNumber(0, DEFAULT_UPDATE_EVERY)
    """Minutes within which an active incident promises its next update (0: no promise);
    ``statusgen remind`` tells the team when it is missed."""
    cache = c.Type(bool, default=True)
    """Whether builds and ``validate`` keep the parsed incident files, and builds the
    HTML of each update and postmortem and the compiled templates, in the user's cache
    folder (``~/.cache/statusgen/``), so that the next run parses and renders only what
    changed (the same bytes either way; delete the folder at any time)."""
    alert_severities = AlertSeverities()
    """``statusgen alert``: the component status of each alert ``severity``."""
    audiences = AudienceNames()
    """Audience names besides everyone (FORMAT.md, Audiences): each may have a view of
    its own, with what is restricted to it."""
    now: c.Optional[datetime] = c.Optional(Moment())
    """The moment to build the page for (what ``statusgen build --now`` sets); the
    clock, or the ``STATUSGEN_NOW`` environment variable, when unset."""
    audience = c.Optional(c.Type(str))
    """The audience whose view is built (what ``statusgen build --audience`` sets); the
    public's when unset. mkdocs.yml may not set it (``statusgen build`` would then publish
    a restricted view where the public one goes): :func:`check_options` and
    ``statusgen build`` refuse it."""
    drills = c.Type(bool, default=False)
    """Whether drills are shown, under their banner: set by ``statusgen serve`` and
    ``statusgen build --drills`` only. mkdocs.yml may not set it (a site built from it
    would publish drills): :func:`check_options` and ``statusgen build`` refuse it."""


OPTION_NAMES = tuple(name for name, _ in PluginOptions._schema)
DRILLS_IN_FILE = (
    "option 'drills' is not for mkdocs.yml: a site built with it would publish drills; "
    "preview them with statusgen serve or statusgen build --drills"
)


AUDIENCE_IN_FILE = (
    "option 'audience' is not for mkdocs.yml: every build would publish that audience's "
    "view; build it with statusgen build --audience NAME"
)


def option_errors(options: PluginOptions) -> list[str]:
    """The problems of options MkDocs has validated already: the unknown ones, which
    MkDocs only warns about (an option with a typo must not be ignored silently)."""
    return [unknown_option(key) for key in options if key not in OPTION_NAMES]


def check_options(options: Mapping[str, Any], file: str = MKDOCS_FILE) -> PluginOptions:
    """The options given in ``file`` (mkdocs.yml), checked as MkDocs checks them.

    :raises ContentErrors: naming every wrong or unknown option.
    """
    checked = PluginOptions()
    checked.load_dict(dict(options))
    failed, _ = checked.validate()
    messages = [f"option '{key}': {error}" for key, error in failed]
    messages += option_errors(checked)
    if "drills" in options:
        messages.append(DRILLS_IN_FILE)
    if "audience" in options:
        messages.append(AUDIENCE_IN_FILE)
    if messages:
        raise ContentErrors(
            [ContentError(file, None, f"plugin {PLUGIN_NAME}: {m}") for m in messages]
        )
    return checked


def unknown_option(key: str) -> str:
    """The message for an option of the plugin that does not exist (a typo, always)."""
    return (
        f"unknown option '{key}'{did_you_mean(key, OPTION_NAMES)}; "
        f"the options are {', '.join(sorted(OPTION_NAMES))}"
    )
