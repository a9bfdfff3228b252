"""What cState and Statusfy content have in common: Markdown files with front matter,
dates that may lack a zone, and update titles written as words.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

import yaml

from statusgen.core.model import IncidentStatus, MaintenanceStatus, UpdateStatus
from statusgen.core.timestamps import TimestampError, parse_timestamp
from statusgen.workflow.importers.draft import DraftUpdate, SourceError

_FRONT_MATTER = re.compile(
    r"\A\ufeff?(?P<open>---(?P<lang>json|toml|yaml|yml)?|\+\+\+)[ \t]*\n(?P<head>.*?)\n"
    r"(?P<close>---|\+\+\+)[ \t]*(\n|\Z)(?P<body>.*)\Z",
    re.DOTALL,
)
_NAIVE = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)")
_WORDS: dict[str, UpdateStatus] = {
    **{s.value: s for s in IncidentStatus},
    **{s.value: s for s in MaintenanceStatus},
    "in_progress": MaintenanceStatus.IN_PROGRESS,
    "in progress": MaintenanceStatus.IN_PROGRESS,
    "investigation": IncidentStatus.INVESTIGATING,
    "updated": IncidentStatus.UPDATE,
    "fixed": IncidentStatus.RESOLVED,
}
_MAINTENANCE_OF = {
    IncidentStatus.INVESTIGATING: MaintenanceStatus.IN_PROGRESS,
    IncidentStatus.IDENTIFIED: MaintenanceStatus.IN_PROGRESS,
    IncidentStatus.MONITORING: MaintenanceStatus.VERIFYING,
    IncidentStatus.UPDATE: MaintenanceStatus.IN_PROGRESS,
    IncidentStatus.RESOLVED: MaintenanceStatus.COMPLETED,
}
_INCIDENT_OF = {
    MaintenanceStatus.SCHEDULED: IncidentStatus.UPDATE,
    MaintenanceStatus.IN_PROGRESS: IncidentStatus.UPDATE,
    MaintenanceStatus.VERIFYING: IncidentStatus.MONITORING,
    MaintenanceStatus.COMPLETED: IncidentStatus.RESOLVED,
}


class _Loader(yaml.SafeLoader):
    """YAML front matter as data; tags of other tools are read as plain values."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def markdown_files(folder: Path) -> Iterator[Path]:
    """The ``.md`` files of a folder (not its subfolders), by name; README.md skipped."""
    try:
        names = sorted(folder.iterdir())
    except OSError as error:
        raise SourceError(f"{folder}: cannot be read: {error.strerror or error}") from None
    for path in names:
        if path.suffix.lower() == ".md" and path.name.lower() != "readme.md" and path.is_file():
            yield path


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise SourceError(f"{path}: cannot be read: {error.strerror or error}") from None


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """The front matter (YAML, or TOML and JSON where marked so) and the body."""
    match = _FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if match is None:
        raise SourceError(f"{path}: no front matter (the file must start with a line '---')")
    head, lang = match["head"], match["lang"]
    try:
        if match["open"] == "+++" or lang == "toml":
            data: Any = tomllib.loads(head)
        elif lang == "json":
            data = json.loads(head)
        else:
            data = yaml.load(head, Loader=_Loader)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        raise SourceError(f"{path}: the front matter cannot be read: {error}") from None
    if not isinstance(data, dict):
        raise SourceError(f"{path}: the front matter is not a mapping of keys")
    return data, match["body"]


def read_config(root: Path, names: tuple[str, ...]) -> tuple[Path | None, dict[str, Any]]:
    """The first of ``names`` that exists in ``root``, read as YAML or TOML."""
    for name in names:
        path = root / name
        if not path.is_file():
            continue
        text = read_text(path)
        try:
            data: Any = (
                tomllib.loads(text) if path.suffix == ".toml" else yaml.load(text, Loader=_Loader)
            )
        except (yaml.YAMLError, tomllib.TOMLDecodeError) as error:
            raise SourceError(f"{path}: cannot be read: {error}") from None
        return path, data if isinstance(data, dict) else {}
    return None, {}


def moment(value: Any, where: str, zone: tzinfo | None) -> datetime:
    """A time of the front matter or a shortcode, in UTC. A time without zone is read in
    ``zone``, the one the source's own generator would use; with no such zone, it is an
    error (times are never guessed)."""
    if isinstance(value, datetime):
        aware: datetime = value
        if aware.tzinfo is None:
            if zone is None:
                raise SourceError(f"{where}: {value} has no time zone: add Z or an offset")
            aware = aware.replace(tzinfo=zone)
        return aware.astimezone(UTC)
    if isinstance(value, date):
        return moment(datetime.combine(value, time()), where, zone)
    if not isinstance(value, str) or not value.strip():
        raise SourceError(f"{where}: a date is missing")
    text = value.strip()
    try:
        return parse_timestamp(text)
    except TimestampError as error:
        naive = _NAIVE.fullmatch(text)
        if naive is None or zone is None:
            raise SourceError(f"{where}: {error}") from None
        return moment(datetime.fromisoformat(f"{naive[1]}T{naive[2]}"), where, zone)


def status_of(word: str, maintenance: bool) -> UpdateStatus | None:
    """The status a title like 'Resolved' or 'In progress' names, for this kind of event."""
    status = _WORDS.get(" ".join(word.lower().replace("_", " ").split()).replace(" ", "_"))
    status = status or _WORDS.get(word.strip().lower())
    if status is None:
        return None
    if maintenance and isinstance(status, IncidentStatus):
        return _MAINTENANCE_OF[status]
    if not maintenance and isinstance(status, MaintenanceStatus):
        return _INCIDENT_OF[status]
    return status


def close(updates: list[DraftUpdate], resolved_at: datetime | None, maintenance: bool) -> None:
    """Make a resolved (or completed) event end so in FORMAT.md terms: its latest update
    resolves it, or a resolution is added at ``resolved_at`` when that is later."""
    final: UpdateStatus = MaintenanceStatus.COMPLETED if maintenance else IncidentStatus.RESOLVED
    updates.sort(key=lambda u: u.at)
    if updates[-1].status is final:
        return
    if resolved_at is not None and resolved_at > updates[-1].at:
        updates.append(DraftUpdate(at=resolved_at, status=final, body=""))
    else:
        updates[-1].status = final
        updates[-1].changes.clear()  # FORMAT.md: a resolution changes no component itself
