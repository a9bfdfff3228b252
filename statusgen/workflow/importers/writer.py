"""A draft written as a statusgen repository: ids, files, validation, then the writing.

Ids are readable and stable: components and groups are named after their names,
incidents ``<date>-<slug>`` after their first update and title (the rule of
``statusgen new``), made unique with ``-2``, ``-3``… in the order of the source. The
source's ids and the ids given are kept in ``import-ids.yml``; the next import reads it
first, so an incident keeps its id whatever else the source now holds, and old links
are redirected with it (a ``_redirects`` file for Netlify and Cloudflare Pages, and a
small page at each old address for any other host).

Nothing is written until every file is known valid: the files are checked together with
the rest of the repository by the loader that ``validate`` and ``build`` use, and a file
that exists already is only replaced with ``force``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import yaml

from statusgen.content.components_file import COMPONENTS_FILE, RESERVED_COMPONENT_IDS
from statusgen.content.config import (
    DEFAULT_DOCS_DIR,
    MKDOCS_FILE,
    config_file,
    read_site_config,
)
from statusgen.content.loader import (
    EVENT_SUFFIX,
    INCIDENTS_DIR,
    FolderSource,
    OverlaySource,
    read_site,
)
from statusgen.core.errors import ContentErrors, StatusgenError
from statusgen.core.ids import dated_id, is_valid_id, slugify
from statusgen.core.timestamps import format_timestamp
from statusgen.workflow.authoring import update_heading
from statusgen.workflow.importers.draft import Draft, DraftEvent

ID_MAP_FILE = "import-ids.yml"
REDIRECTS_FILE = "_redirects"
_SAFE_SEGMENT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~")
_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent),
    autoescape=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import wrote, and what the person importing should know."""

    written: tuple[Path, ...]
    incidents: int
    maintenances: int
    components: int
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Ids:
    groups: dict[str, str]
    components: dict[str, str]
    events: dict[str, str]


def write_draft(draft: Draft, root: Path, *, force: bool = False) -> ImportResult:
    """Write ``draft`` into the repository at ``root``.

    :raises ContentErrors: when the files would not be valid; nothing is written.
    :raises StatusgenError: when files exist and ``force`` is false; nothing is written.
    """
    if not draft.components:
        raise StatusgenError(f"{draft.source}: no components to import")
    previous = _read_id_map(root, draft.kind)
    ids = _assign_ids(draft, previous)
    files: dict[str, bytes] = {COMPONENTS_FILE: _components_yml(draft, ids).encode()}
    for event in draft.events:
        path = f"{INCIDENTS_DIR}/{ids.events[event.key]}{EVENT_SUFFIX}"
        files[path] = _event_file(event, ids).encode()
    files[ID_MAP_FILE] = _id_map(root, draft, ids).encode()
    created_config = not config_file(root).exists()
    if created_config:
        files[MKDOCS_FILE] = _mkdocs_yml(draft).encode()
    files.update(_redirects(draft, ids, root, files.get(MKDOCS_FILE)))

    overlay = OverlaySource(FolderSource(root), files)
    _, errors = read_site(overlay)
    if errors:
        raise ContentErrors(errors)
    existing = sorted(p for p in files if (root / p).exists() and p != ID_MAP_FILE)
    if existing and not force:
        listed = "\n".join(f"  {root / p}" for p in existing[:20])
        more = f"\n  … and {len(existing) - 20} more" if len(existing) > 20 else ""
        raise StatusgenError(
            f"these files exist already; nothing was written (use --force to replace them):\n"
            f"{listed}{more}"
        )
    written = _write_all(root, files)
    notes = list(draft.notes)
    if created_config:
        notes.append(f"wrote a minimal {MKDOCS_FILE}: check site_name and site_url")
    return ImportResult(
        written=written,
        incidents=sum(not e.is_maintenance for e in draft.events),
        maintenances=sum(e.is_maintenance for e in draft.events),
        components=len(draft.components),
        notes=tuple(notes),
    )


# Ids ---------------------------------------------------------------------------------------


def _read_id_map(root: Path, kind: str) -> dict[str, dict[str, str]]:
    """The ids a previous import of this kind of source gave (empty when there was none)."""
    path = root / ID_MAP_FILE
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise StatusgenError(f"{path}: cannot be read ({error}): fix or delete it") from None
    section = data.get(kind) if isinstance(data, dict) else None
    if not isinstance(section, dict):
        return {}
    return {
        name: {str(k): str(v) for k, v in table.items()}
        for name in ("groups", "components", "incidents")
        if isinstance(table := section.get(name), dict)
    }


def _assign_ids(draft: Draft, previous: Mapping[str, Mapping[str, str]]) -> _Ids:
    # Groups and components share the API's component ids: one namespace for both.
    taken: set[str] = set(RESERVED_COMPONENT_IDS)
    groups = _unique(
        ((g.key, g.name) for g in draft.groups), previous.get("groups", {}), taken, "group"
    )
    components = _unique(
        ((c.key, c.id_from or c.name) for c in draft.components),
        previous.get("components", {}),
        taken,
        "component",
    )
    events = _unique(
        ((e.key, dated_id(_day_of(e), e.title)) for e in draft.events),
        previous.get("incidents", {}),
        set(),
        "incident",
    )
    return _Ids(groups, components, events)


def _day_of(event: DraftEvent) -> date:
    """The day an id is named after, as ``statusgen new`` does: a maintenance's window, an
    incident's first update."""
    return (event.scheduled_start or event.updates[0].at).date()


def _unique(
    items: Iterable[tuple[str, str]], previous: Mapping[str, str], taken: set[str], fallback: str
) -> dict[str, str]:
    """Each key's id: the one given before if still free, else a new one from its name."""
    items = list(items)
    result: dict[str, str] = {}
    for key, _ in items:
        known = previous.get(key)
        if known is not None and is_valid_id(known) and known not in taken:
            result[key] = known
            taken.add(known)
    for key, name in items:
        if key in result:
            continue
        base = slugify(name) or fallback
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}-{number}", number + 1
        result[key] = candidate
        taken.add(candidate)
    return result


# Files -------------------------------------------------------------------------------------


def _dump(data: object) -> str:
    return yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000
    )


def _components_yml(draft: Draft, ids: _Ids) -> str:
    groups = [
        {"id": ids.groups[g.key], "name": g.name}
        | ({"description": g.description} if g.description else {})
        for g in draft.groups
        if any(c.group == g.key for c in draft.components)
    ]
    components = []
    for component in draft.components:
        item: dict[str, object] = {"id": ids.components[component.key], "name": component.name}
        if component.description:
            item["description"] = component.description
        if component.group is not None:
            item["group"] = ids.groups[component.group]
        if component.since is not None:
            item["since"] = component.since.isoformat()
        components.append(item)
    header = f"# Imported from {draft.source} by statusgen import.\n"
    body = _dump(
        {"groups": groups, "components": components} if groups else {"components": components}
    )
    return header + body


def _event_file(event: DraftEvent, ids: _Ids) -> str:
    fields: dict[str, object] = {"title": event.title}
    if event.is_maintenance:
        assert event.scheduled_start is not None
        assert event.scheduled_end is not None
        fields["type"] = "maintenance"
        fields["scheduled_start"] = format_timestamp(event.scheduled_start)
        fields["scheduled_end"] = format_timestamp(event.scheduled_end)
    else:
        fields["impact"] = event.impact.value
    component_ids = ids.components
    if any(status is not None for status in event.components.values()):
        fields["components"] = {
            component_ids[key]: (status or event.impact.implied_component_status).value
            for key, status in event.components.items()
        }
    else:
        fields["components"] = [component_ids[key] for key in event.components]
    sections = []
    previous_at = None
    for update in event.updates:
        # Whole seconds read best; the source's fraction is kept where two updates would
        # otherwise fall in the same second (FORMAT.md: one update per moment).
        at = update.at.replace(microsecond=0)
        if previous_at is not None and at <= previous_at:
            at = update.at if update.at > previous_at else previous_at + timedelta(microseconds=1)
        previous_at = at
        changes = {component_ids[key]: status for key, status in update.changes.items()}
        heading = update_heading(at, update.status, changes)
        sections.append(f"{heading}\n{update.body}\n" if update.body else f"{heading}\n")
    text = f"---\n{_dump(fields)}---\n\n" + "\n".join(reversed(sections))
    if event.postmortem:
        text += f"\n# Postmortem\n{event.postmortem}\n"
    return text


def _id_map(root: Path, draft: Draft, ids: _Ids) -> str:
    """``import-ids.yml`` with this kind's section replaced (others are kept)."""
    path = root / ID_MAP_FILE
    data: Any = {}
    if path.exists():
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    data = data if isinstance(data, dict) else {}
    data[draft.kind] = {
        "source": draft.source,
        "groups": {k: ids.groups[k] for k in sorted(ids.groups)},
        "components": {k: ids.components[k] for k in sorted(ids.components)},
        "incidents": {k: ids.events[k] for k in sorted(ids.events)},
    }
    header = (
        "# Written by statusgen import: the id each imported item had in its source, and its\n"
        "# id here. The next import reads it so that ids stay the same: keep it.\n"
    )
    return header + _dump(data)


def _mkdocs_yml(draft: Draft) -> str:
    data = {
        "site_name": draft.name or "Status",
        "site_url": draft.url.rstrip("/") + "/" if draft.url else "https://status.example.com/",
        "theme": {"name": "material"},
        "plugins": ["statusgen"],
    }
    return _dump(data)


def _redirects(draft: Draft, ids: _Ids, root: Path, new_config: bytes | None) -> dict[str, bytes]:
    """The old addresses of the incidents, each sent to its new page."""
    if new_config is None:
        config = read_site_config(root)
        docs_dir, site_url = config.docs_dir or DEFAULT_DOCS_DIR, config.url
    else:
        docs_dir, site_url = DEFAULT_DOCS_DIR, draft.url
    prefix = urlsplit(site_url or "").path.rstrip("/")
    rules: list[str] = []
    files: dict[str, bytes] = {}
    page = _TEMPLATES.get_template("redirect.html")
    for event in draft.events:
        new = f"incidents/{ids.events[event.key]}/"
        for old in event.old_paths:
            segments = old.strip("/").split("/")
            if not all(s and set(s) <= _SAFE_SEGMENT and s not in (".", "..") for s in segments):
                draft.notes.append(f"no redirect from '{old}': it is not a plain path")
                continue
            if "/".join(segments) + "/" == new:
                continue
            target = f"{site_url.rstrip('/')}/{new}" if site_url else f"/{new}"
            rules.append(f"{prefix}/{'/'.join(segments)} {prefix}/{new} 301")
            html = page.render(target=target, title=event.title)
            files[f"{docs_dir}/{'/'.join(segments)}/index.html"] = html.encode()
    if rules:
        files[f"{docs_dir}/{REDIRECTS_FILE}"] = ("\n".join(rules) + "\n").encode()
    return files


def _write_all(root: Path, files: Mapping[str, bytes]) -> tuple[Path, ...]:
    """Every file written beside its target first, then renamed into place: an error
    while writing leaves no file half-written."""
    staged: list[tuple[Path, Path]] = []
    try:
        for relative, data in files.items():
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as temporary:
                staged.append((Path(temporary.name), target))
                temporary.write(data)
            # Temporary files are private; these are ordinary files of the repository.
            Path(temporary.name).chmod(0o644)
    except OSError as error:
        for temporary_path, _ in staged:
            temporary_path.unlink(missing_ok=True)
        raise StatusgenError(f"cannot write into {root}: {error.strerror or error}") from None
    for temporary_path, target in staged:
        temporary_path.replace(target)
    return tuple(sorted(target for _, target in staged))
