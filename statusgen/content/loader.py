"""Reading a status repository from disk into a validated :class:`~statusgen.core.model.Site`.

This is the only module that reads content files. It decodes them strictly (UTF-8,
with or without a byte-order mark, nothing guessed), hands the text to the parsers
and collects every error of every file, so that one run reports them all.

Nothing is read from outside the repository: a symbolic link may point anywhere (to
``/proc/self/environ``, to a home folder), so a link that resolves outside the root is
an error, here for content files and in :func:`links_outside` for the folders that
MkDocs publishes as they are (``docs_dir``, ``theme/``).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Protocol

from statusgen.content.components_file import COMPONENTS_FILE, parse_components
from statusgen.content.config import CONFIG_FILES, parse_site_config
from statusgen.content.event_file import parse_event
from statusgen.content.stored_events import StoredEvents
from statusgen.core.errors import CONTROL_CHARACTER, ContentError, ContentErrors, ErrorLog
from statusgen.core.ids import invalid_id_message, is_valid_id
from statusgen.core.model import Catalog, Incident, Maintenance, Site

INCIDENTS_DIR = "incidents"
EVENT_SUFFIX = ".md"


class ContentSource(Protocol):
    """Where a status repository's files come from: a folder, or a git revision."""

    def describe(self) -> str:
        """Where, in words, for "components.yml: not found in ..."."""
        ...

    def read(self, path: str) -> bytes | None:
        """The bytes of a file (a path relative to the repository root, with forward
        slashes), or None when there is no such file.

        :raises OSError: when the file exists but cannot be read.
        """
        ...

    def event_paths(self) -> list[str]:
        """Every ``*.md`` under ``incidents/``, in path order, hidden ones skipped."""
        ...


class OutsideRepository(OSError):
    """A content file that is a link to something outside the repository."""


_NO_LINK = getattr(os, "O_NOFOLLOW", 0)
"""Opens a file only if it is not a symbolic link (none where the system has no such flag)."""
_CHUNK = 1 << 20


class FolderSource:
    """A status repository on disk, as it is in the working tree (read at one moment:
    where each folder leads is looked up once)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._real_root = os.path.realpath(root)
        self._real_folders: dict[str, str] = {}

    def describe(self) -> str:
        return str(self.root)

    def read(self, path: str) -> bytes | None:
        """:raises OutsideRepository: for a link that resolves outside the root."""
        # Strings, not Path objects: for 10,000 files they cost as much as the reading.
        location = f"{self.root}{os.sep}{path}"
        folder, name = os.path.split(location)
        if not _NO_LINK or name in ("", ".", ".."):
            return self._read_resolved(location, path)
        # The file is opened only if it is no link, in its folder resolved once: one
        # open instead of an lstat and Python's file object, a tenth of `validate`.
        self._check_within(f"{self._real_folder(folder)}{os.sep}{name}", path)
        try:
            descriptor = os.open(location, os.O_RDONLY | os.O_CLOEXEC | _NO_LINK)
        except FileNotFoundError:
            return None
        except OSError as error:
            if error.errno != errno.ELOOP:
                raise
            return self._read_resolved(location, path)  # a link: where it leads is checked
        try:
            chunks = []
            while chunk := os.read(descriptor, _CHUNK):
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            os.close(descriptor)

    def _read_resolved(self, location: str, path: str) -> bytes | None:
        """Read ``location`` once where it leads (links followed) is checked."""
        self._check_within(self._real_path(location), path)
        try:
            with open(location, "rb") as file:  # noqa: PTH123
                return file.read()
        except FileNotFoundError:
            return None

    def _check_within(self, target: str, path: str) -> None:
        if not _is_within(target, self._real_root):
            raise OutsideRepository(0, _outside_text(target), path)

    def _real_path(self, location: str) -> str:
        """Where ``location`` leads, links followed (``os.path.realpath``), with each
        folder resolved once: resolving every component of each of 10,000 paths took a
        fifth of ``validate``."""
        folder, name = os.path.split(location)
        if name in ("", ".", "..") or os.path.islink(location):  # noqa: PTH114
            return os.path.realpath(location)
        return f"{self._real_folder(folder)}{os.sep}{name}"

    def _real_folder(self, folder: str) -> str:
        """Where ``folder`` leads, looked up once, without a trailing separator."""
        real = self._real_folders.get(folder)
        if real is None:
            real = self._real_folders[folder] = os.path.realpath(folder).rstrip(os.sep)
        return real

    def event_paths(self) -> list[str]:
        """:raises OSError: when ``incidents/`` or a folder in it cannot be read."""
        found: list[str] = []
        base = self.root / INCIDENTS_DIR
        if not base.exists() and not base.is_symlink():
            return found  # no incidents yet
        if not base.is_dir():
            raise NotADirectoryError(0, "not a folder (or a link to nothing)", str(base))

        def fail(error: OSError) -> None:
            raise error

        for directory, subdirectories, files in os.walk(base, onerror=fail):
            subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
            folder = Path(directory).relative_to(self.root).as_posix()
            found.extend(f"{folder}/{name}" for name in sorted(files) if is_event_file(name))
        return found


class OverlaySource:
    """A source with some files replaced or added: what a change would make of the
    repository, validated before anything is written."""

    def __init__(self, base: ContentSource, files: dict[str, bytes]) -> None:
        self.base, self.files = base, files

    def describe(self) -> str:
        return self.base.describe()

    def read(self, path: str) -> bytes | None:
        return self.files[path] if path in self.files else self.base.read(path)

    def event_paths(self) -> list[str]:
        added = (p for p in self.files if p.startswith(INCIDENTS_DIR + "/") and is_event_file(p))
        return sorted({*self.base.event_paths(), *added})


def _outside_message(root: Path, path: Path) -> str | None:
    """Why ``path`` may not be read, when it leads outside ``root`` through a link."""
    target = os.path.realpath(path)
    return None if _is_within(target, os.path.realpath(root)) else _outside_text(target)


def _is_within(real_path: str, real_root: str) -> bool:
    """Whether a resolved path is ``real_root`` or under it."""
    return real_path == real_root or real_path.startswith(real_root.rstrip(os.sep) + os.sep)


def _outside_text(target: str) -> str:
    return (
        f"it is a link to {target}, outside the repository: statusgen publishes nothing "
        "from outside it (copy the file into the repository instead)"
    )


def links_outside(root: Path, paths: Iterable[Path]) -> list[ContentError]:
    """Every symbolic link at or under ``paths`` that resolves outside ``root``, and any
    of ``paths`` that is outside it, as errors naming them (folders are walked without
    following links)."""
    errors: list[ContentError] = []

    def report(path: Path) -> None:
        message = _outside_message(root, path)
        if message is not None:
            shown = path.relative_to(root) if path.is_relative_to(root) else path
            if not path.is_symlink():
                message = (
                    "this folder is outside the repository: statusgen publishes nothing "
                    "from outside it"
                )
            errors.append(ContentError(shown.as_posix(), None, message))

    for top in paths:
        if not top.is_symlink() and not top.exists():
            continue
        report(top)
        if top.is_symlink() or not top.is_dir() or _outside_message(root, top):
            continue
        # Depth first in name order, links reported but not followed; a folder that
        # cannot be listed is skipped. Directory entries say what is a link at no cost.
        pending = [str(top)]
        while pending:
            try:
                with os.scandir(pending.pop()) as listing:
                    found = sorted(listing, key=lambda entry: entry.name)
            except OSError:
                continue
            for entry in found:
                if entry.is_symlink():
                    report(Path(entry.path))
            pending.extend(e.path for e in reversed(found) if e.is_dir(follow_symlinks=False))
    return errors


def is_event_file(name: str) -> bool:
    """Whether a file name under ``incidents/`` is an incident or maintenance (``.md``,
    in any case: ``Outage.MD`` is one, reported for its name rather than ignored)."""
    return name.lower().endswith(EVENT_SUFFIX) and not name.startswith(".")


def event_id_of(path: str) -> str:
    """The id of an incident file: its name without ``.md``."""
    return path.rsplit("/", 1)[-1][: -len(EVENT_SUFFIX)]


class ParsedFiles:
    """The event files of a folder as earlier loads parsed them, for ``statusgen serve``:
    a file whose inode, modification time and size are unchanged is neither read nor
    parsed again, so that an edit costs the parse of one file, not of every file."""

    def __init__(self) -> None:
        self._settings: object = None
        self._files: dict[str, tuple[tuple[int, int, int], Incident | Maintenance]] = {}
        """By path: a file without errors, its stamp when it was parsed and its event (a
        file with errors is read again, to report them)."""

    def use(self, component_ids: Collection[str] | None, audiences: object) -> None:
        """Start a load: what a file parses to also depends on the declared components
        and audiences, so a change of those forgets everything."""
        settings = (None if component_ids is None else frozenset(component_ids), audiences)
        if settings != self._settings:
            self._settings, self._files = settings, {}

    def stamp(self, root: Path, path: str) -> tuple[int, int, int] | None:
        """What says that a file changed; None for one not to keep (a link, whose target
        may change without it, or a file that cannot be read)."""
        try:
            # A string, not a Path: 10,000 Path objects cost more than the lstat calls.
            status = os.lstat(f"{root}/{path}")
        except OSError:
            return None
        if stat.S_ISLNK(status.st_mode):
            return None
        return status.st_ino, status.st_mtime_ns, status.st_size

    def get(self, path: str, stamp: tuple[int, int, int]) -> Incident | Maintenance | None:
        kept = self._files.get(path)
        return kept[1] if kept is not None and kept[0] == stamp else None

    def put(self, path: str, stamp: tuple[int, int, int], event: Incident | Maintenance) -> None:
        self._files[path] = stamp, event

    def keep_only(self, paths: Collection[str]) -> None:
        """Forget the files that are gone."""
        for path in self._files.keys() - set(paths):
            del self._files[path]


def load_site(
    root: Path | ContentSource, parsed: ParsedFiles | None = None, *, cache: Path | None = None
) -> Site:
    """Load and validate the status repository at ``root`` (a folder or a source),
    reusing what ``parsed`` kept of a folder's unchanged files, and with ``cache`` (a
    file), what earlier runs parsed.

    :raises ContentErrors: with every problem found, when there is any.
    """
    site, errors = read_site(root, parsed, cache=cache)
    if errors or site is None:
        raise ContentErrors(errors)
    return site


def read_site(
    root: Path | ContentSource, parsed: ParsedFiles | None = None, *, cache: Path | None = None
) -> tuple[Site | None, list[ContentError]]:
    """Load a repository, returning the site (None if invalid) and all errors; with
    ``parsed`` (a folder only), unchanged files are not parsed again, and with ``cache``
    (the file of :class:`~statusgen.content.stored_events.StoredEvents`), neither are
    the files that earlier runs parsed."""
    folder = root if isinstance(root, Path) else None
    source = FolderSource(root) if isinstance(root, Path) else root
    errors: list[ContentError] = []
    audiences = _declared_audiences(source)
    catalog = _read_catalog(source, errors, audiences)
    component_ids = None if catalog is None else {c.id for c in catalog.components}
    if parsed is not None:
        parsed.use(component_ids, audiences)

    events: list[Incident | Maintenance] = []
    first_path_of_id: dict[str, str] = {}
    try:
        paths = source.event_paths()
    except OSError as error:
        where = Path(error.filename or INCIDENTS_DIR)
        shown = (
            where.relative_to(root)
            if isinstance(root, Path) and where.is_relative_to(root)
            else where
        )
        errors.append(
            ContentError(shown.as_posix(), None, f"cannot be read: {error.strerror or error}")
        )
        paths = []
    stored = None if cache is None else StoredEvents(cache, component_ids, audiences, paths)
    for path in paths:
        log = ErrorLog(path)
        event_id = event_id_of(path)
        if not is_valid_id(event_id):
            log.add(None, invalid_id_message("file name", event_id) + " (rename the file)")
        elif event_id in first_path_of_id:
            log.add(
                None,
                f"id '{event_id}' is already used by {first_path_of_id[event_id]}: "
                "ids must be unique across subfolders (rename one file)",
            )
        else:
            first_path_of_id[event_id] = path
        # Only a file without errors is kept: what a file with errors reports depends on
        # the errors before it (its name's).
        stamp = None
        if parsed is not None and folder is not None and not log:
            stamp = parsed.stamp(folder, path)
        event = parsed.get(path, stamp) if parsed is not None and stamp is not None else None
        if event is None:
            event = _read_event(source, path, event_id, log, component_ids, audiences, stored)
            if parsed is not None and stamp is not None and event is not None and not log:
                parsed.put(path, stamp, event)
        errors.extend(log.errors)
        if event is not None and not log:
            events.append(event)
    if parsed is not None:
        parsed.keep_only(paths)
    if stored is not None:
        stored.save()

    if isinstance(root, Path):
        # Files under incidents/ were checked as they were read; linked folders were not.
        read = set(paths)
        errors += [e for e in links_outside(root, [root / INCIDENTS_DIR]) if e.path not in read]
    if errors or catalog is None:
        return None, errors
    events.sort(key=lambda e: (e.first_update.at, e.id))
    site = Site(catalog=catalog, events=tuple(events), audiences=tuple(audiences or ()))
    return site, errors


def _read_event(
    source: ContentSource,
    path: str,
    event_id: str,
    log: ErrorLog,
    component_ids: Collection[str] | None,
    audiences: tuple[str, ...] | None,
    stored: StoredEvents | None,
) -> Incident | Maintenance | None:
    """The event of one file: parsed, or as an earlier run parsed the same bytes."""
    data = _read(source, path, log)
    if data is None:
        if not log:
            log.add(None, "cannot be read: it does not exist (a link to nothing?)")
        return None
    if stored is not None and not log and (event := stored.get(path, data)) is not None:
        return event  # these bytes passed decoding, the input limits and the parser
    text = decode_source(data, log)
    if text is None:
        return None
    event = parse_event(text, event_id, log, component_ids, audiences)
    if stored is not None and event is not None and not log:
        stored.add(path, data, event)
    return event


def read_catalog(source: ContentSource) -> tuple[Catalog | None, list[ContentError]]:
    """Read components.yml alone: the catalog (None if invalid) and its errors."""
    errors: list[ContentError] = []
    return _read_catalog(source, errors, _declared_audiences(source)), errors


def _declared_audiences(source: ContentSource) -> tuple[str, ...] | None:
    """The audience names of the source's mkdocs.yml (or properdocs.yml; none when it has
    no such file), or None when it cannot be read: its own errors are reported where
    settings are read, and names are then not checked (the build cannot start without
    valid settings anyway)."""
    try:
        for name in CONFIG_FILES:
            data = source.read(name)
            if data is not None:
                return parse_site_config(data.decode("utf-8-sig"), name).audiences
    except (OSError, UnicodeDecodeError, ContentErrors):
        return None
    return ()


def _read_catalog(
    source: ContentSource, errors: list[ContentError], audiences: tuple[str, ...] | None
) -> Catalog | None:
    log = ErrorLog(COMPONENTS_FILE)
    data = _read(source, COMPONENTS_FILE, log)
    if data is None and not log:
        log.add(
            None,
            f"not found in {source.describe()}: every status site declares its components "
            "there (run statusgen in the status repository, or pass --root; "
            "'statusgen init' writes a new one)",
        )
    text = None if data is None else decode_source(data, log)
    catalog = None if text is None else parse_components(text, log, audiences)
    errors.extend(log.errors)
    return catalog


def _read(source: ContentSource, path: str, log: ErrorLog) -> bytes | None:
    try:
        return source.read(path)
    except OSError as error:
        log.add(None, f"cannot be read: {error.strerror or error}")
        return None


#: Input limits (docs/security.md): every build stays linear in the size of its files,
#: whatever they hold. Python-Markdown takes quadratic time over unclosed '[' in one
#: paragraph and recurses once per level of nested lists and quotes.
MAX_FILE_BYTES = 1_000_000
MAX_LINE_LENGTH = 5_000
MAX_NESTING = 20
MAX_BRACKETS_PER_PARAGRAPH = 200
# A line that opens lists or quotes deeper than the limit (a quote, a bullet or a number
# followed by a space, MAX_NESTING + 1 times), or is indented deeper than that.
_TOO_DEEP = re.compile(
    rf"(?:[ \t]*(?:>|[*+-](?=[ \t])|[0-9]{{1,9}}[.)](?=[ \t]))){{{MAX_NESTING + 1}}}"
    rf"|[ \t]{{{4 * MAX_NESTING + 1}}}"
)
# Only a line starting with one of these can open a nested block or be indented (a
# search of the whole text costs twice as much as matching these lines alone).
_NESTING_FIRST_CHARACTERS = frozenset(" \t>*+-0123456789")


def check_limits(text: str, log: ErrorLog) -> bool:
    """Whether ``text`` is within the input limits; each excess is reported at its line."""
    lines = text.split("\n")
    if (
        (len(text) <= MAX_LINE_LENGTH or max(map(len, lines)) <= MAX_LINE_LENGTH)
        and text.count("[") <= MAX_BRACKETS_PER_PARAGRAPH
        and not any(
            _TOO_DEEP.match(line) for line in lines if line[:1] in _NESTING_FIRST_CHARACTERS
        )
    ):
        return True  # nearly every file: no line needs to be looked at one by one
    fine = True
    paragraph_start, brackets = 1, 0
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_LENGTH:
            log.add(
                number,
                f"this line has {len(line):,} characters; at most {MAX_LINE_LENGTH:,} are "
                "read: break it",
            )
            return False
        if _TOO_DEEP.match(line):
            log.add(
                number, f"lists or quotes nested deeper than {MAX_NESTING} levels: flatten them"
            )
            fine = False
        if not line.strip() or line.startswith(("#", "---")):  # a paragraph ends
            paragraph_start, brackets = number + 1, 0
            continue
        brackets += line.count("[")
        if brackets > MAX_BRACKETS_PER_PARAGRAPH:
            log.add(
                paragraph_start,
                f"this paragraph has more than {MAX_BRACKETS_PER_PARAGRAPH} '[': split it "
                "(Markdown reads each as a possible link)",
            )
            return False
    return fine


def decode_source(data: bytes, log: ErrorLog) -> str | None:
    """Decode a content file as UTF-8 (a byte-order mark is allowed); None if it is not
    text or exceeds the input limits."""
    if len(data) > MAX_FILE_BYTES:
        log.add(
            None,
            f"the file has {len(data):,} bytes; at most {MAX_FILE_BYTES:,} (1 MB) are read: "
            "split it",
        )
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        log.add(None, "the file is UTF-16: save it as UTF-8")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        log.add(
            line,
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}): "
            "save the file as UTF-8",
        )
        return None
    control = CONTROL_CHARACTER.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        log.add(
            line,
            f"invisible control character U+{ord(control.group()):04X} in the text: remove it "
            "(if the whole file looks like this, it is not a text file)",
        )
        return None
    return text if check_limits(text, log) else None
