"""Reading a status repository from disk into a validated :class:`~statusgen.model.Site`.

This is the only module that reads content files. It decodes them strictly (UTF-8,
with or without a byte-order mark, nothing guessed), hands the text to the parsers
and collects every error of every file, so that one run reports them all.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from statusgen.components_file import COMPONENTS_FILE, parse_components
from statusgen.errors import ContentError, ContentErrors, ErrorLog
from statusgen.event_file import parse_event
from statusgen.ids import invalid_id_message, is_valid_id
from statusgen.model import Catalog, Incident, Maintenance, Site

INCIDENTS_DIR = "incidents"
EVENT_SUFFIX = ".md"

# Control characters, and the Unicode line separators that YAML counts as line breaks
# (they would shift every line number after them), are never meant in a content file.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """An incident or maintenance file found under ``incidents/``."""

    path: Path
    relative: str
    """Path from the repository root with forward slashes, as shown in messages."""

    @property
    def event_id(self) -> str:
        return self.path.name[: -len(EVENT_SUFFIX)]


def load_site(root: Path) -> Site:
    """Load and validate the status repository at ``root``.

    :raises ContentErrors: with every problem found, when there is any.
    """
    site, errors = read_site(root)
    if errors or site is None:
        raise ContentErrors(errors)
    return site


def read_site(root: Path) -> tuple[Site | None, list[ContentError]]:
    """Load the repository at ``root``, returning the site (None if invalid) and all errors."""
    errors: list[ContentError] = []
    catalog = _read_catalog(root, errors)
    component_ids = None if catalog is None else {c.id for c in catalog.components}

    events: list[Incident | Maintenance] = []
    first_path_of_id: dict[str, str] = {}
    for source in find_event_files(root):
        log = ErrorLog(source.relative)
        event_id = source.event_id
        if not is_valid_id(event_id):
            log.add(None, invalid_id_message("file name", event_id) + " (rename the file)")
        elif event_id in first_path_of_id:
            log.add(
                None,
                f"id '{event_id}' is already used by {first_path_of_id[event_id]}: "
                "ids must be unique across subfolders (rename one file)",
            )
        else:
            first_path_of_id[event_id] = source.relative
        data = _read_bytes(source.path, log)
        text = None if data is None else decode_source(data, log)
        event = None if text is None else parse_event(text, event_id, log, component_ids)
        errors.extend(log.errors)
        if event is not None and not log:
            events.append(event)

    if errors or catalog is None:
        return None, errors
    events.sort(key=lambda e: (e.first_update.at, e.id))
    return Site(catalog=catalog, events=tuple(events)), errors


def _read_catalog(root: Path, errors: list[ContentError]) -> Catalog | None:
    log = ErrorLog(COMPONENTS_FILE)
    path = root / COMPONENTS_FILE
    if not path.exists():
        log.add(
            None,
            f"not found in {root}: every status site declares its components there "
            "(run statusgen in the status repository, or pass --root)",
        )
        errors.extend(log.errors)
        return None
    data = _read_bytes(path, log)
    text = None if data is None else decode_source(data, log)
    catalog = None if text is None else parse_components(text, log)
    errors.extend(log.errors)
    return catalog


def _read_bytes(path: Path, log: ErrorLog) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as error:
        log.add(None, f"cannot be read: {error.strerror or error}")
        return None


def find_event_files(root: Path) -> list[SourceFile]:
    """Every ``*.md`` under ``incidents/``, in path order; hidden files and folders skipped."""
    found: list[SourceFile] = []
    base = root / INCIDENTS_DIR
    if not base.is_dir():
        return found
    for directory, subdirectories, files in os.walk(base):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(EVENT_SUFFIX) and not name.startswith("."):
                path = Path(directory, name)
                found.append(SourceFile(path, path.relative_to(root).as_posix()))
    return found


def decode_source(data: bytes, log: ErrorLog) -> str | None:
    """Decode a content file as UTF-8 (a byte-order mark is allowed); None if it is not text."""
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
    control = _CONTROL_CHARACTER.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        log.add(
            line,
            f"invisible control character U+{ord(control.group()):04X} in the text: remove it "
            "(if the whole file looks like this, it is not a text file)",
        )
        return None
    return text
