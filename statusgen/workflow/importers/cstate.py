"""cState (a Hugo theme) as a draft: the site's config and ``content/issues/*.md``.

The systems (``params.systems``: name, description, category) and their categories
(``params.categories``) become components and groups. Each issue's front matter gives
its ``title``, ``date``, ``severity`` (``down``, ``disrupted`` or ``notice``),
``affected`` systems, ``resolved`` and ``resolvedWhen``; its body is a list of updates,
newest first, each ended by a ``{{< track "<time>" >}}`` shortcode and usually starting
with its status in emphasis (``*Monitoring* -``). Times without a zone are in the site's
``timeZone``, as Hugo reads them (UTC when it sets none).
"""

from __future__ import annotations

import re
from datetime import tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from statusgen.core.model import ComponentStatus, Impact, IncidentStatus, UpdateStatus
from statusgen.core.words import counted
from statusgen.workflow.importers.draft import (
    Draft,
    DraftComponent,
    DraftEvent,
    DraftGroup,
    DraftUpdate,
    SourceError,
)
from statusgen.workflow.importers.markdown import to_markdown
from statusgen.workflow.importers.sites import (
    close,
    markdown_files,
    moment,
    read_config,
    read_text,
    split_front_matter,
    status_of,
)

CONFIG_FILES = ("config.yml", "config.yaml", "config.toml", "hugo.yml", "hugo.yaml", "hugo.toml")
ISSUES_DIR = Path("content") / "issues"
#: cState's severities: the impact and the status of the affected systems.
SEVERITIES: dict[str, tuple[Impact, ComponentStatus | None]] = {
    "down": (Impact.CRITICAL, ComponentStatus.MAJOR_OUTAGE),
    "disrupted": (Impact.MAJOR, ComponentStatus.PARTIAL_OUTAGE),
    # A notice informs: cState does not change any system's status for it.
    "notice": (Impact.NONE, None),
}
_TRACK = re.compile(r"\{\{[<%]\s*track\s+\"([^\"]+)\"\s*[>%]\}\}")
_STATUS_PREFIX = re.compile(r"\A\s*(\*{1,2}|_{1,2})([^*_\n]{1,40}?)\1\s*[-–—:]?\s*")


def read_cstate(root: Path) -> Draft:
    """Read the cState site at ``root``.

    :raises SourceError: when it is not one, or a file cannot be read.
    """
    issues = root / ISSUES_DIR
    if not issues.is_dir():
        raise SourceError(
            f"{root}: no {ISSUES_DIR.as_posix()}/ folder: give the folder of the cState site "
            "(where its config.yml is)"
        )
    config_path, config = read_config(root, CONFIG_FILES)
    if config_path is None:
        raise SourceError(
            f"{root}: no {' or '.join(CONFIG_FILES[:3])}: the systems are declared there"
        )
    params = config.get("params") if isinstance(config.get("params"), dict) else {}
    assert isinstance(params, dict)
    draft = Draft(
        source=f"cState site {root}",
        kind="cstate",
        name=_text(config.get("title")),
        url=_text(config.get("baseURL") or config.get("baseurl")),
    )
    zone = _zone(config, config_path)
    _systems(draft, params, config_path)
    for path in markdown_files(issues):
        event = _issue(path, draft, zone)
        if event is not None:
            draft.events.append(event)
    draft.events.sort(key=lambda e: (e.updates[0].at, e.key))
    draft.notes.insert(0, counted(len(draft.events), "issue", "issues"))
    return draft


def _zone(config: dict[str, Any], path: Path) -> tzinfo:
    name = config.get("timeZone") or config.get("timezone") or "UTC"
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise SourceError(f"{path}: timeZone '{name}' is not a known time zone") from None


def _systems(draft: Draft, params: dict[str, Any], path: Path) -> None:
    categories = params.get("categories") or []
    named = {}
    for category in categories if isinstance(categories, list) else []:
        if isinstance(category, dict) and _text(category.get("name")):
            name = _text(category["name"])
            assert name is not None
            named[name] = category
            if not category.get("untitled"):
                draft.groups.append(
                    DraftGroup(key=name, name=name, description=_text(category.get("description")))
                )
    systems = params.get("systems")
    if not isinstance(systems, list) or not systems:
        raise SourceError(f"{path}: 'params.systems' lists no system")
    grouped = {g.key for g in draft.groups}
    for system in systems:
        name = _text(system.get("name")) if isinstance(system, dict) else _text(system)
        if name is None:
            raise SourceError(f"{path}: each of 'params.systems' needs a name")
        category = _text(system.get("category")) if isinstance(system, dict) else None
        draft.components.append(
            DraftComponent(
                key=name,
                name=name,
                description=_text(system.get("description")) if isinstance(system, dict) else None,
                group=category if category in grouped else None,
            )
        )


def _issue(path: Path, draft: Draft, zone: tzinfo) -> DraftEvent | None:
    meta, body = split_front_matter(read_text(path), path)
    if meta.get("draft") is True:
        draft.notes.append(f"{path.name}: a draft, not imported")
        return None
    title = _text(meta.get("title"))
    if title is None:
        raise SourceError(f"{path}: 'title' is missing")
    severity = str(meta.get("severity") or "").strip().lower()
    if severity not in SEVERITIES:
        raise SourceError(
            f"{path}: severity '{meta.get('severity')}' is not one of {', '.join(SEVERITIES)}"
        )
    impact, status = SEVERITIES[severity]
    if str(meta.get("informational")).lower() == "true":
        impact, status = SEVERITIES["notice"]
    start = moment(meta.get("date"), f"{path}: 'date'", zone)
    updates = _updates(body, start, path, zone)
    if meta.get("resolved") is True:
        when = meta.get("resolvedWhen") or meta.get("resolvedwhen")
        close(updates, moment(when, f"{path}: 'resolvedWhen'", zone) if when else None, False)
    components: dict[str, ComponentStatus | None] = {}
    affected = meta.get("affected") or []
    for name in affected if isinstance(affected, list) else [affected]:
        key = _text(name)
        if key is None:
            continue
        if key not in draft.component_keys():
            draft.components.append(DraftComponent(key=key, name=key))
            draft.notes.append(f"{path.name}: system '{key}' is not in params.systems: added")
        if status is not None:
            components[key] = status
    if status is None and affected:
        draft.notes.append(
            f"{path.name}: a notice; cState shows no system affected by it, nor does statusgen"
        )
    stem = path.stem
    # Hugo publishes an issue at /issues/<file name or slug>/, and at each of its aliases.
    old = {f"issues/{stem}"}
    if _text(meta.get("slug")):
        old.add(f"issues/{_text(meta['slug'])}")
    aliases = meta.get("aliases")
    for alias in aliases if isinstance(aliases, list) else []:
        if isinstance(alias, str) and alias.strip("/"):
            old.add(alias.strip("/"))
    return DraftEvent(
        key=stem,
        title=title,
        impact=impact,
        components=components,
        updates=updates,
        old_paths=tuple(sorted(old)),
    )


def _updates(body: str, start: Any, path: Path, zone: tzinfo) -> list[DraftUpdate]:
    """One update per ``track`` shortcode, from the text before it; text after the last
    one (or a body without any) is the first update, at the issue's date."""
    updates: list[DraftUpdate] = []
    position = 0
    for match in _TRACK.finditer(body):
        at = moment(match[1], f"{path}: track shortcode '{match[1]}'", zone)
        updates.append(_update(body[position : match.start()], at))
        position = match.end()
    rest = body[position:]
    if rest.strip() or not updates:
        updates.append(_update(rest, start))
    updates.sort(key=lambda u: u.at)
    first = updates[0]
    if first.status is IncidentStatus.UPDATE:
        first.status = IncidentStatus.INVESTIGATING
    return updates


def _update(text: str, at: Any) -> DraftUpdate:
    status: UpdateStatus = IncidentStatus.UPDATE
    prefix = _STATUS_PREFIX.match(text)
    if prefix is not None:
        found = status_of(prefix[2], maintenance=False)
        if found is not None:
            status = found
            text = text[prefix.end() :]
    return DraftUpdate(at=at, status=status, body=to_markdown(text))


def _text(value: Any) -> str | None:
    return " ".join(str(value).split()) if value is not None and str(value).strip() else None
