"""``statusgen build``: the whole site, built atomically and reproducibly.

MkDocs (or ProperDocs) builds into a fresh folder beside the target, which replaces the
target only when the build succeeded: a failed build leaves the previous site as it
was, which matters most when the content being published is about an outage.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.exceptions import MkDocsException

from statusgen.content.config import PLUGIN_NAME
from statusgen.core.errors import StatusgenError
from statusgen.site.assembly import load_mkdocs_config, mkdocs_messages


@dataclass(frozen=True, slots=True)
class BuildResult:
    """Where a build went, and how long each phase took."""

    site_dir: Path
    seconds: float
    timings: dict[str, float]
    """statusgen's phases (load, derive, pages, outputs), in seconds; the rest of
    ``seconds`` is MkDocs writing files and the atomic swap."""


def build_site(
    root: Path,
    site_dir: Path | None = None,
    now: datetime | None = None,
    *,
    drills: bool = False,
) -> BuildResult:
    """Build the status site of the repository at ``root`` into ``site_dir``.

    ``site_dir`` defaults to the ``site_dir`` of mkdocs.yml (``site/``). With ``drills``,
    drills are shown, under their banner (a preview: never publish it).

    :raises StatusgenError: when the content or the configuration has errors; the
        previous site directory is then left untouched.
    """
    started = time.perf_counter()
    config = load_mkdocs_config(root, now, drills=drills)
    target = (site_dir or Path(config.site_dir)).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    with mkdocs_messages() as errors, _source_date(now):
        try:
            config.site_dir = str(staging)
            mkdocs_build(config)
            _replace(target, staging)
        except MkDocsException as error:
            # MkDocs logs the cause and raises a bare "Aborted"; report the cause.
            raise StatusgenError("\n".join(errors) or str(error).strip()) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    timings = config.plugins[PLUGIN_NAME].timings  # type: ignore[attr-defined]
    return BuildResult(target, time.perf_counter() - started, dict(timings))


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
