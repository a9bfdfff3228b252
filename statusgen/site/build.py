"""``statusgen build``: the whole site, built atomically and reproducibly.

MkDocs (or ProperDocs) builds into a folder beside the target, which replaces the
target only when the build succeeded: a failed build leaves the previous site as it
was, which matters most when the content being published is about an outage.

The target is replaced wholesale, so it is checked first: statusgen only ever replaces
a folder that it wrote itself (each built site carries a marker file) or an empty one,
and never one holding the repository's own files. One build at a time writes into a
folder (a lock on the folder that holds it), and on Linux the new site takes the old
one's place in a single ``renameat2(RENAME_EXCHANGE)``, so that a build killed at any
moment leaves a whole site, the previous one or the new one. The previous site is then
kept as the spare, which the next build writes over instead of creating every file
anew (``site/spare.py``); a folder that is not kept is deleted by a process of its own
(``site/trash.py``), which the build does not wait for, and the next build removes
whatever a killed build or removal left.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from statusgen.content.components_file import COMPONENTS_FILE
from statusgen.content.config import PLUGIN_NAME
from statusgen.content.loader import INCIDENTS_DIR
from statusgen.core.collector import fewer_collections
from statusgen.core.errors import StatusgenError
from statusgen.site.assembly import load_mkdocs_config, mkdocs_messages
from statusgen.site.spare import SPARE_NAME, SpareSite
from statusgen.site.trash import SITE_MARKER, discard

try:
    import fcntl
except ImportError:  # Windows: builds into one folder are not serialised there
    fcntl = None  # type: ignore[assignment]

_MARKER_TEXT = b"This folder is a site built by statusgen; the next build replaces it.\n"


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
    audience: str | None = None,
) -> BuildResult:
    """Build the status site of the repository at ``root`` into ``site_dir``: the view of
    ``audience`` (None: the public).

    ``site_dir`` defaults to the ``site_dir`` of mkdocs.yml (``site/``), and for an
    audience to that folder's name followed by ``-<audience>`` (``site-internal/``). With
    ``drills``, drills are shown, under their banner (a preview: never publish it).

    :raises StatusgenError: when the content or the configuration has errors; the
        previous site directory is then left untouched.
    """
    started = time.perf_counter()
    config = load_mkdocs_config(root, now, drills=drills, audience=audience)
    # A restricted view never lands by default where the public site is published.
    default = Path(config.site_dir)
    if audience is not None:
        default = default.with_name(f"{default.name}-{audience}")
    target = (site_dir or default).resolve()
    _check_target(target, _protected_paths(root, config))
    with mkdocs_messages() as errors, _source_date(now), fewer_collections():
        try:
            with _build_lock(target):
                _recover_and_clean(target)
                spare = SpareSite.take(spare_path(target), _unique_name(target))
                if spare is not None:
                    staging = spare.folder
                else:
                    prefix = staging_prefix(target)
                    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
                    (staging / SITE_MARKER).write_bytes(_MARKER_TEXT)
                plugin = config.plugins[PLUGIN_NAME]
                plugin.spare = spare  # type: ignore[attr-defined]
                replaced = False
                try:
                    config.site_dir = str(staging)
                    mkdocs_build(config)
                    if spare is not None:
                        spare.sweep()
                    _replace(target, staging)
                    replaced = True
                except MkDocsException as error:
                    # MkDocs logs the cause and raises a bare "Aborted"; report the cause.
                    raise StatusgenError("\n".join(errors) or str(error).strip()) from None
                finally:
                    if not replaced:
                        with suppress(OSError):  # the build's own error is the one to tell
                            _after_failure(staging, spare, target)
                if staging.exists():
                    _keep_as_spare(staging, target)  # the previous site, replaced
        except OSError as error:
            # A full disk, a folder without write access: the previous site is still there.
            raise StatusgenError(
                f"cannot write the site into {target}: {error.strerror or error}; "
                "the previous site is unchanged"
            ) from None
    timings = config.plugins[PLUGIN_NAME].timings  # type: ignore[attr-defined]
    return BuildResult(target, time.perf_counter() - started, dict(timings))


def _protected_paths(root: Path, config: MkDocsConfig) -> list[Path]:
    """What a site folder must never be, nor contain: the repository and its sources."""
    paths = [root, Path(config.config_file_path), root / COMPONENTS_FILE, root / INCIDENTS_DIR]
    paths.append(Path(config.docs_dir))
    if config.theme.custom_dir:
        paths.append(Path(config.theme.custom_dir))
    return [path.resolve() for path in paths]


def _check_target(target: Path, protected: list[Path]) -> None:
    """Refuse a site folder whose replacement would destroy something not built by statusgen.

    :raises StatusgenError: naming the folder and why; nothing has been touched.
    """
    for path in protected:
        if path.is_relative_to(target):
            what = "is" if path == target else "would contain"
            raise StatusgenError(
                f"--site-dir {target}: the site folder {what} {path}, which a build "
                "replaces entirely; choose a folder of its own, such as site/"
            )
        if path.is_dir() and path != protected[0] and target.is_relative_to(path):
            raise StatusgenError(
                f"--site-dir {target}: the site folder must not be inside {path} "
                "(statusgen reads it); choose a folder of its own, such as site/"
            )
    if target.exists() and not target.is_dir():
        raise StatusgenError(f"--site-dir {target}: is a file, not a folder")
    if target.is_dir() and not (target / SITE_MARKER).is_file() and any(target.iterdir()):
        raise StatusgenError(
            f"--site-dir {target}: the folder is not empty and no statusgen build wrote it "
            f"(it has no {SITE_MARKER} file), so it is not replaced: choose another "
            "folder, or empty this one yourself"
        )


def staging_prefix(target: Path) -> str:
    """The names of this target's staging folders (``.site-statusgen-…``, which the
    scaffold's .gitignore ignores)."""
    return f".{target.name}-statusgen-"


def spare_path(target: Path) -> Path:
    """Where the site that a build replaced waits to be written over (site/spare.py)."""
    return target.with_name(f"{staging_prefix(target)}{SPARE_NAME}")


def _keep_as_spare(previous: Path, target: Path) -> None:
    """Keep the site just replaced for the next build to write over, readable by this
    user alone (a web server serving the folder that holds the site must not serve an
    earlier version of it, such as a page removed on purpose); remove it (in the
    background) if that cannot be done."""
    try:
        previous.chmod(0o700)
        previous.rename(spare_path(target))
    except OSError:
        discard(previous)


def _after_failure(staging: Path, spare: SpareSite | None, target: Path) -> None:
    """Undo a failed build's staging folder: a spare that nothing was written into
    yet is the spare again, as it was; a spare written into is removed in the
    background (the next build then starts afresh, whatever stopped this one); a new
    folder is removed."""
    if spare is None:
        shutil.rmtree(staging, ignore_errors=True)
    elif spare.restored:
        discard(staging)
    else:
        spare.unhide()
        _keep_as_spare(staging, target)


@contextmanager
def _build_lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on the folder that holds the site for the whole build.

    :raises StatusgenError: when another build holds it.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target.parent, os.O_RDONLY)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StatusgenError(
                    f"another statusgen build is writing into {target.parent}: wait until it "
                    "has finished, then build again"
                ) from None
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _recover_and_clean(target: Path) -> None:
    """Put back a site that a killed fallback swap left aside, then remove what killed
    builds left: staging folders and previous sites whose removal was cut short (only
    folders with statusgen's name and marker, or empty)."""
    prefix = staging_prefix(target)
    previous = target.with_name(f"{prefix}previous")
    if (previous / SITE_MARKER).is_file():
        # A unique name for its removal, so that no later build's folder can take it.
        previous.rename(target if not target.exists() else _unique_name(target))
    for folder in target.parent.glob(f"{prefix}*"):
        if folder != spare_path(target) and folder.is_dir() and not folder.is_symlink():
            discard(folder)


def _unique_name(target: Path) -> Path:
    return target.with_name(f"{staging_prefix(target)}{secrets.token_hex(8)}")


def _replace(target: Path, staging: Path) -> None:
    """Put ``staging`` in place of ``target``, so readers of the folder see the old site
    or the new one, never half of each, even if the process is killed half-way. The
    previous site, if any, is then under the name ``staging``, for the caller to remove."""
    staging.chmod(0o755)  # mkdtemp makes it private; a site is for everyone to read
    if not target.exists():
        staging.rename(target)
    elif not _exchange(staging, target):
        # Two renames: a kill between them leaves the site aside, and the next build
        # puts it back (_recover_and_clean).
        previous = target.with_name(f"{staging_prefix(target)}previous")
        target.rename(previous)
        staging.rename(target)
        previous.rename(staging)


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders' names in one step: ``renameat2(RENAME_EXCHANGE)`` (Linux 3.15
    and glibc 2.28 or later). False where it does not exist (other systems, some file
    systems): the caller then renames twice."""
    if sys.platform != "linux":
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    names = os.fsencode(first), os.fsencode(second)
    if renameat2(_AT_FDCWD, names[0], _AT_FDCWD, names[1], _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL):
        return False
    raise OSError(code, os.strerror(code), str(second))


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
