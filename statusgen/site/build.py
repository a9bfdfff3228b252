"""``statusgen build``: the whole site, built atomically and reproducibly.

MkDocs (or ProperDocs) builds into a fresh folder beside the target, which replaces the
target only when the build succeeded: a failed build leaves the previous site as it
was, which matters most when the content being published is about an outage.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from statusgen.content.config import MKDOCS_FILE
from statusgen.core.errors import StatusgenError

# Material for MkDocs prints an end-of-life banner; it is not news to a status-page reader.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from statusgen.site.plugin import StatusgenPlugin

PLUGIN_NAME = "statusgen"


@dataclass(frozen=True, slots=True)
class BuildResult:
    """Where a build went, and how long each phase took."""

    site_dir: Path
    seconds: float
    timings: dict[str, float]
    """statusgen's phases (load, derive, pages, outputs), in seconds; the rest of
    ``seconds`` is MkDocs writing files and the atomic swap."""


def build_site(
    root: Path, site_dir: Path | None = None, now: datetime | None = None
) -> BuildResult:
    """Build the status site of the repository at ``root`` into ``site_dir``.

    ``site_dir`` defaults to the ``site_dir`` of mkdocs.yml (``site/``).

    :raises StatusgenError: when the content or the configuration has errors; the
        previous site directory is then left untouched.
    """
    started = time.perf_counter()
    config_file = root / MKDOCS_FILE
    if not config_file.is_file():
        raise StatusgenError(
            f"{config_file}: not found; a status site needs mkdocs.yml with site_name, "
            "site_url and 'plugins: [statusgen]' (statusgen init writes one)"
        )
    with _mkdocs_messages() as errors, _source_date(now):
        try:
            config = load_config(str(config_file))
        except MkDocsException as error:
            details = "\n".join(errors) or str(error)
            raise StatusgenError(f"{config_file}: {details}") from None
        plugin = config.plugins.get(PLUGIN_NAME)
        if not isinstance(plugin, StatusgenPlugin):
            raise StatusgenError(f"{config_file}: add the statusgen plugin: 'plugins: [statusgen]'")
        plugin.now = now
        target = (site_dir or Path(config.site_dir)).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
        try:
            config.site_dir = str(staging)
            mkdocs_build(config)
            _replace(target, staging)
        except MkDocsException as error:
            # MkDocs logs the cause and raises a bare "Aborted"; report the cause.
            raise StatusgenError("\n".join(errors) or str(error).strip()) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(target, time.perf_counter() - started, dict(plugin.timings))


def _replace(target: Path, staging: Path) -> None:
    """Put ``staging`` in place of ``target`` with renames, so readers of the folder see
    the old site or the new one, never half of each."""
    staging.chmod(0o755)  # mkdtemp makes it private; a site is for everyone to read
    if not target.exists():
        staging.rename(target)
        return
    previous = target.with_name(f".{target.name}-previous")
    shutil.rmtree(previous, ignore_errors=True)
    target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)


@contextmanager
def _source_date(now: datetime | None) -> Iterator[None]:
    """Make MkDocs' own dates (the sitemap's) follow ``now``, for reproducible builds."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    if now is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(int(now.timestamp()))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


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
def _mkdocs_messages() -> Iterator[list[str]]:
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
