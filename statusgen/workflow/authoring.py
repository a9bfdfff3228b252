"""Writing incidents: what ``statusgen new``, ``update``, ``resolve`` and ``postmortem`` do.

Every change is validated as part of the whole repository before anything is written,
and written atomically (a temporary file renamed into place): an engineer in the middle
of an incident never ends up with a half-written or invalid file. Times are written in
explicit UTC.
"""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType

import yaml

from statusgen.content.config import SiteConfig
from statusgen.content.event_file import (
    AFFECTED_STATUSES,
    CHANGE_STATUSES,
    parse_event,
    section_starts,
)
from statusgen.content.loader import (
    INCIDENTS_DIR,
    FolderSource,
    OverlaySource,
    decode_source,
    event_id_of,
    read_catalog,
    read_site,
)
from statusgen.core.errors import (
    ContentErrors,
    ErrorLog,
    StatusgenError,
    UsageProblem,
    choose,
    did_you_mean,
    one_of,
)
from statusgen.core.ids import dated_id, invalid_id_message, is_valid_id
from statusgen.core.model import (
    Catalog,
    ComponentStatus,
    Impact,
    Incident,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    UpdateStatus,
)
from statusgen.core.timestamps import format_timestamp
from statusgen.render.i18n import Language
from statusgen.state.events import Transition, event_state
from statusgen.workflow.message_templates import (
    DEFAULT_FOR_STATUS,
    available_templates,
    find_template,
    render_template,
)

HEADING_SEPARATOR = "—"
NEAREST_IDS = 3
"""How many ids the message about an unknown id suggests."""
DRAFT_MARKER = "TODO:"
"""What the postmortem draft writes in each section; ``statusgen diff`` warns while one is left."""

_IMPACT_OF_STATUS = {
    ComponentStatus.MAJOR_OUTAGE: Impact.CRITICAL,
    ComponentStatus.PARTIAL_OUTAGE: Impact.MAJOR,
    ComponentStatus.DEGRADED_PERFORMANCE: Impact.MINOR,
    ComponentStatus.UNDER_MAINTENANCE: Impact.MINOR,
}


@dataclass(frozen=True, slots=True)
class Change:
    """A file written by an authoring command, and how to describe it in a commit."""

    path: Path
    event_id: str
    summary: str
    template: str | None = None
    """The message template the update was written with; None for a message given as
    text, or a change that posts no update (a postmortem draft)."""


@dataclass(frozen=True, slots=True)
class MessageChoice:
    """What the update says: a message as given, or a template by name (or neither: the
    default template of the status)."""

    text: str | None = None
    template: str | None = None


class Author:
    """Writes changes to the status repository at ``root``, whose settings (checked
    by the caller) are ``config``."""

    def __init__(self, root: Path, config: SiteConfig) -> None:
        self.root = root
        self.source = FolderSource(root)
        catalog, errors = read_catalog(self.source)
        if catalog is None:
            raise ContentErrors(errors)
        self.catalog: Catalog = catalog
        self.config = config

    # Commands --------------------------------------------------------------------------

    def new(
        self,
        title: str,
        components: list[str],
        *,
        message: MessageChoice,
        at: datetime | None = None,
        impact: str | None = None,
        status: str | None = None,
        event_id: str | None = None,
        maintenance: bool = False,
        start: datetime | None = None,
        end: datetime | None = None,
        drill: bool = False,
        alerts: tuple[str, ...] = (),
    ) -> Change:
        """Write a new incident (or maintenance) with its first update; with ``drill``,
        marked ``drill: true`` (a rehearsal, never published); ``alerts`` are the
        fingerprints of the monitoring alerts it covers.

        :raises UsageProblem: for options that do not go together, or no component.
        """
        if not components:
            raise UsageProblem("name the affected components: --component ID[=STATUS]")
        if maintenance and (start is None or end is None):
            raise UsageProblem("a maintenance needs --start and --end (its window)")
        if maintenance and impact is not None:
            raise UsageProblem("a maintenance has no --impact (it is always 'maintenance')")
        if not maintenance and (start is not None or end is not None):
            raise UsageProblem("--start and --end are for a maintenance: add --maintenance")
        at = _moment(at)
        title = " ".join(title.split())
        if not title:
            raise StatusgenError("the title is empty: give the customer-facing title")
        affected = self._affected(components)
        event_id = event_id or dated_id((start if maintenance and start else at).date(), title)
        if not is_valid_id(event_id):
            raise StatusgenError(invalid_id_message("--id", event_id))
        existing = [p for p in self.source.event_paths() if event_id_of(p) == event_id]
        if existing:
            raise StatusgenError(
                f"{existing[0]} already has the id '{event_id}': choose another with --id, "
                f"or post an update with: statusgen update {event_id} --status …"
            )
        fields: dict[str, object] = {"title": title}
        if maintenance:
            assert start is not None  # checked above: a maintenance has both
            assert end is not None
            fields["type"] = "maintenance"
            fields["scheduled_start"] = format_timestamp(start)
            fields["scheduled_end"] = format_timestamp(end)
            default_status: UpdateStatus = MaintenanceStatus.SCHEDULED
            kind = Impact.MAINTENANCE
        else:
            kind = _impact(impact, affected)
            fields["impact"] = kind.value
            default_status = IncidentStatus.INVESTIGATING
        if any(status is not None for status in affected.values()):
            fields["components"] = {
                cid: (s or kind.implied_component_status).value for cid, s in affected.items()
            }
        else:
            fields["components"] = list(affected)
        if drill:
            fields["drill"] = True
        if alerts:
            fields["alerts"] = list(alerts)
        update_status = self._status(status, maintenance, default_status)
        frontmatter = yaml.safe_dump(
            fields, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000
        )
        names = [self.catalog.component(cid).name for cid in affected]
        body = self._message(message, update_status, title, names, start, end, at)
        text = f"---\n{frontmatter}---\n\n{_update_section(at, update_status, body)}"
        path = self.root / INCIDENTS_DIR / f"{event_id}.md"
        noun = "maintenance" if maintenance else "incident"
        self._write(path, text)
        summary = f"Open {'drill ' if drill else ''}{noun} {event_id}: {title}"
        return Change(path, event_id, summary, _template_name(message, update_status))

    def update(
        self,
        event_id: str,
        status: str,
        *,
        message: MessageChoice,
        at: datetime | None = None,
        components: list[str] | None = None,
    ) -> Change:
        """Add an update to an incident or maintenance, newest first; ``components``
        (``id=status``) are the component changes it makes, written in its heading."""
        path, text, event = self._existing(event_id)
        update_status = self._status(status, isinstance(event, Maintenance), None)
        changes = self._components(components or [], CHANGE_STATUSES, "ID=STATUS")
        if any(s is None for s in changes.values()):
            missing = next(cid for cid, s in changes.items() if s is None)
            raise StatusgenError(
                f"--component {missing}: give the status it has from this update on, "
                f"like --component {missing}=operational"
            )
        moment = _moment(at)
        _check_time_is_free(event, moment, given=at is not None)
        return self._add_update(
            path,
            text,
            event,
            update_status,
            message,
            moment,
            changes={cid: s for cid, s in changes.items() if s is not None},
        )

    def resolve(
        self, event_id: str, *, message: MessageChoice, at: datetime | None = None
    ) -> Change:
        """Resolve an incident, or complete a maintenance."""
        path, text, event = self._existing(event_id)
        final: UpdateStatus = IncidentStatus.RESOLVED
        if isinstance(event, Maintenance):
            final = MaintenanceStatus.COMPLETED
        given, at = at is not None, _moment(at)
        _check_time_is_free(event, at, given=given)
        if at < event.last_update.at:
            when = f"--at {format_timestamp(at)}" if given else f"now ({format_timestamp(at)})"
            raise StatusgenError(
                f"{when} is before the latest update of {event_id} "
                f"({format_timestamp(event.last_update.at)}): a resolution must be the latest "
                "update; give a later --at"
            )
        if event.last_update.status is final:
            raise StatusgenError(
                f"{event_id} is already {final.value} ({format_timestamp(event.last_update.at)}): "
                f"to say more, use statusgen update {event_id} --status update"
            )
        verb = "Complete maintenance" if isinstance(event, Maintenance) else "Resolve"
        return self._add_update(path, text, event, final, message, at, summary=f"{verb} {event_id}")

    def cover_alerts(self, event_id: str, fingerprints: tuple[str, ...]) -> Change:
        """Set the incident's ``alerts:`` to ``fingerprints`` (the rest of the file stays
        as written)."""
        path, text, _ = self._existing(event_id)
        self._write(path, _with_alerts(text, fingerprints))
        return Change(path, event_id, f"{event_id} covers the alerts {', '.join(fingerprints)}")

    def postmortem(self, event_id: str) -> Change:
        """Append a blameless postmortem draft, its timeline filled in from the updates."""
        path, text, event = self._existing(event_id)
        if event.postmortem:
            raise StatusgenError(f"{path.relative_to(self.root)} already has a postmortem")
        rows = "\n".join(
            f"| {format_timestamp(u.at)} | {u.status.value.replace('_', ' ')} | "
            f"{_first_line(u.body)} |"
            for u in event.updates
        )
        draft = POSTMORTEM_DRAFT.format(timeline=rows, marker=DRAFT_MARKER, guidance=DRAFT_GUIDANCE)
        self._write(path, text.rstrip("\n") + "\n\n" + draft)
        return Change(path, event_id, f"Add a postmortem draft for {event_id}")

    # Helpers ---------------------------------------------------------------------------

    def _affected(self, components: list[str]) -> dict[str, ComponentStatus | None]:
        return self._components(components, AFFECTED_STATUSES, "ID[=STATUS]")

    def _components(
        self, components: list[str], statuses: tuple[ComponentStatus, ...], form: str
    ) -> dict[str, ComponentStatus | None]:
        """``--component`` options, ``id`` or ``id=status``, checked against
        components.yml and ``statuses``; a component given twice is an error."""
        affected: dict[str, ComponentStatus | None] = {}
        ids = [c.id for c in self.catalog.components]
        allowed = list(statuses)
        for item in components:
            component_id, _, status_text = item.partition("=")
            component_id = component_id.strip()
            if component_id not in ids:
                raise StatusgenError(
                    f"unknown component '{component_id}'{did_you_mean(component_id, ids)}; "
                    f"components are declared in components.yml ({', '.join(ids)})"
                )
            if component_id in affected:
                raise StatusgenError(
                    f"--component {component_id} is given twice: give it once ({form})"
                )
            status = None
            if status_text:
                status, hint = choose(status_text, allowed)
                if status is None:
                    raise StatusgenError(
                        f"unknown component status '{status_text}'{hint}; "
                        f"use one of {', '.join(allowed)}"
                    )
            affected[component_id] = status
        return affected

    def _status(
        self, text: str | None, maintenance: bool, default: UpdateStatus | None
    ) -> UpdateStatus:
        kind = MaintenanceStatus if maintenance else IncidentStatus
        if text is None:
            if default is None:
                raise StatusgenError("give the update's --status")
            return default
        choices: list[UpdateStatus] = list(kind)
        status, hint = choose(text, choices)
        if status is None:
            what = "a maintenance" if maintenance else "an incident"
            raise StatusgenError(
                f"status '{text}' is not one of {what}'s{hint}: use {', '.join(choices)}"
            )
        return status

    def _message(
        self,
        choice: MessageChoice,
        status: UpdateStatus,
        title: str,
        component_names: list[str],
        start: datetime | None,
        end: datetime | None,
        at: datetime,
        changes: str = "",
    ) -> str:
        name = _template_name(choice, status)
        if choice.text is not None:
            return _checked_message(choice.text.strip())
        if name is None:
            raise StatusgenError(
                f"status '{status.value}' has no default message: give --message or --template"
            )
        templates = available_templates(self.root, self.config.language)
        # Written as the pages write them, in the site's language: a message is prose.
        language = Language(self.config.language)
        values = {
            "title": title,
            "components": language.format_list(component_names),
            "start": language.format_datetime(start) if start else "",
            "end": language.format_datetime(end) if end else "",
            "at": language.format_datetime(at),
            "site": self.config.name,
            "changes": changes,
        }
        if self.config.update_every:
            next_update = at + timedelta(minutes=self.config.update_every)
            values["next_update"] = language.format_datetime(next_update)
        return render_template(find_template(templates, name), values)

    def _said(
        self, event: Incident | Maintenance, at: datetime, changes: Mapping[str, ComponentStatus]
    ) -> str:
        """The ``{changes}`` placeholder: each change in words, from the status the
        component has in the event just before the update."""
        state = event_state(event, at)
        transitions = (
            Transition(
                cid, (state and state.component_status(cid, at)) or ComponentStatus.OPERATIONAL, new
            )
            for cid, new in changes.items()
        )
        return "; ".join(Language(self.config.language).changes(self.catalog, transitions))

    def _existing(self, event_id: str) -> tuple[Path, str, Incident | Maintenance]:
        paths = [p for p in self.source.event_paths() if event_id_of(p) == event_id]
        if not paths:
            known = [event_id_of(p) for p in self.source.event_paths()]
            raise StatusgenError(
                f"no incident or maintenance '{event_id}' in {INCIDENTS_DIR}/"
                f"{_nearest_ids(event_id, known)}"
            )
        relative = paths[0]
        log = ErrorLog(relative)
        data = self.source.read(relative) or b""
        text = decode_source(data, log)
        event = None
        if text is not None:
            component_ids = [c.id for c in self.catalog.components]
            event = parse_event(text, event_id, log, component_ids, self.config.audiences)
        if text is None or event is None:
            raise StatusgenError(
                f"{relative} has errors; fix them first:\n" + "\n".join(map(str, log.errors))
            )
        return self.root / relative, text, event

    def _add_update(
        self,
        path: Path,
        text: str,
        event: Incident | Maintenance,
        status: UpdateStatus,
        message: MessageChoice,
        at: datetime,
        summary: str | None = None,
        changes: Mapping[str, ComponentStatus] = MappingProxyType({}),
    ) -> Change:
        start = end = None
        if isinstance(event, Maintenance):
            start, end = event.scheduled_start, event.scheduled_end
        ids = dict.fromkeys([*event.component_ids, *changes])
        names = [self.catalog.component(cid).name for cid in ids]
        body = self._message(
            message, status, event.title, names, start, end, at, self._said(event, at, changes)
        )
        newline = "\r\n" if "\r\n" in text else "\n"
        lines = text.split(newline)
        position = _insertion_line(lines, event, at)
        section = _update_section(at, status, body, changes).replace("\n", newline)
        lines[position:position] = [*section.rstrip(newline).split(newline), ""]
        self._write(path, newline.join(lines))
        summary = summary or f"Update {event.id}: {status.value.replace('_', ' ')}"
        return Change(path, event.id, summary, _template_name(message, status))

    def _write(self, path: Path, text: str) -> None:
        """Validate ``text`` as ``path`` in the whole repository, then write it atomically.

        :raises ContentErrors: with this file's errors; nothing is written.
        """
        relative = path.relative_to(self.root).as_posix()
        if path.is_symlink():
            # Replacing it would cut the link and leave its target as it was.
            raise StatusgenError(
                f"{relative} is a symbolic link: statusgen does not write through links; "
                "edit the file it points to, or put the file itself in its place"
            )
        overlay = OverlaySource(self.source, {relative: text.encode()})
        _, errors = read_site(overlay)
        mine = [e for e in errors if e.path == relative]
        if mine:
            raise ContentErrors(mine)
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, delete=False, newline=""
        ) as temporary:
            temporary.write(text)
        # A temporary file is private (0600): give the file the permissions an editor would,
        # those it had, or for a new file what the umask allows.
        Path(temporary.name).chmod(_mode_of(path))
        Path(temporary.name).replace(path)


def _mode_of(path: Path) -> int:
    """The permission bits ``path`` has, or those of a new file under the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)  # reading the umask means setting it: put it back at once
        return 0o666 & ~umask


def _template_name(choice: MessageChoice, status: UpdateStatus) -> str | None:
    """The template an update is written with: the one asked for, else the status's
    default; None when the message is given as text (or the status has no default)."""
    if choice.text is not None:
        return None
    return choice.template or DEFAULT_FOR_STATUS.get(status)


def _with_alerts(text: str, fingerprints: tuple[str, ...]) -> str:
    """``text`` (an incident file) with its frontmatter's ``alerts:`` replaced by
    ``fingerprints``, or added as the last key; every other line stays as it is."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    end = lines.index("---", 1)  # the frontmatter's closing line (the file is valid)
    root = yaml.compose(newline.join(lines[1:end]))
    start = stop = end
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "alerts":
                start = key.start_mark.line + 1
                stop = value.end_mark.line + 1 + (value.end_mark.column > 0)
                stop = min(stop, end)
    written = yaml.safe_dump(
        {"alerts": list(fingerprints)}, default_flow_style=False, allow_unicode=True, width=1000
    ).rstrip("\n")
    lines[start:stop] = written.split("\n")
    return newline.join(lines)


def _checked_message(text: str) -> str:
    """A message is one update: a ``#`` or ``##`` heading in it would start another
    update, or the postmortem, without anyone meaning to.

    :raises StatusgenError: naming the line of the message.
    """
    for number, line in section_starts(text.splitlines()):
        raise StatusgenError(  # the first is enough to find the problem
            f"line {number} of the message is a level-1 or level-2 heading "
            f"('{line.strip()}'): it would start another update; use ### for a heading "
            "inside an update"
        )
    return text


def _insertion_line(lines: list[str], event: Incident | Maintenance, at: datetime) -> int:
    """Where a new update goes (0-based line): newest first, so above the first update
    (in file order) that is older than it; after the last update when it is the oldest."""
    in_file_order = sorted(event.updates, key=lambda u: u.line)
    for update in in_file_order:
        if update.at < at:
            return update.line - 1
    # The oldest: after the last update's section, before the postmortem if any.
    after_heading = in_file_order[-1].line  # 0-based, the line after the heading
    following = section_starts(lines[after_heading:], first_line=after_heading + 1)
    index = next((number - 1 for number, _ in following), len(lines))
    while index > 0 and not lines[index - 1].strip():
        index -= 1
    lines.insert(index, "")  # a blank line between the sections
    return index + 1


def _nearest_ids(event_id: str, known: list[str]) -> str:
    """``; did you mean 'a' or 'b'?``: the ids that contain what was typed (an id is
    often typed without its date), then the most alike; else the latest ids."""
    containing = [k for k in known if event_id in k]
    # Ids share their date prefixes: only a close match is a suggestion.
    alike = difflib.get_close_matches(event_id, known, n=NEAREST_IDS, cutoff=0.75)
    nearest = list(dict.fromkeys([*containing, *alike]))[:NEAREST_IDS]
    if nearest:
        return f"; did you mean {one_of(nearest)}?"
    latest = sorted(known, reverse=True)[:NEAREST_IDS]
    return f"; the latest are {one_of(latest)}" if latest else ""


def _check_time_is_free(event: Incident | Maintenance, at: datetime, *, given: bool) -> None:
    """Two updates of an event never share a time (to the second): say so before
    writing anything, rather than report the file's error after.

    :raises StatusgenError: when ``at`` is taken.
    """
    if any(u.at == at for u in event.updates):
        when = f"--at {format_timestamp(at)}" if given else f"now ({format_timestamp(at)})"
        hint = "give another --at" if given else "wait a second, or give --at"
        raise StatusgenError(
            f"{event.id} has an update at {when} already, and two updates cannot share a "
            f"time: {hint}; nothing was written"
        )


def _moment(at: datetime | None) -> datetime:
    """``--at``, or now; in UTC, to the second."""
    return (at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)


def _impact(text: str | None, affected: dict[str, ComponentStatus | None]) -> Impact:
    """The impact given, else the one matching the worst status given, else minor."""
    if text is not None:
        choices = [i for i in Impact if i is not Impact.MAINTENANCE]
        impact, hint = choose(text, choices)
        if impact is None:
            raise StatusgenError(f"unknown impact '{text}'{hint}; use {', '.join(choices)}")
        return impact
    statuses = [s for s in affected.values() if s is not None]
    if not statuses:
        return Impact.MINOR
    return _IMPACT_OF_STATUS[max(statuses, key=lambda s: s.severity)]


def _update_section(
    at: datetime,
    status: UpdateStatus,
    body: str,
    changes: Mapping[str, ComponentStatus] | None = None,
) -> str:
    return f"{update_heading(at, status, changes)}\n{body}\n"


def update_heading(
    at: datetime, status: UpdateStatus, changes: Mapping[str, ComponentStatus] | None = None
) -> str:
    """An update's heading as statusgen writes it: ``## 2026-11-28 14:02 UTC — monitoring``,
    with the component changes in brackets when there are any."""
    heading = f"## {format_timestamp(at)} {HEADING_SEPARATOR} {status.value}"
    if changes:
        heading += " [" + ", ".join(f"{cid}: {s.value}" for cid, s in changes.items()) + "]"
    return heading


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line.replace("|", "\\|")


DRAFT_GUIDANCE = (
    "A blameless postmortem: describe what happened and what the systems allowed, not\n"
    "who did what. Complete each section marked to do before this is merged: it is published\n"
    "as written, and statusgen diff warns while a marker is left."
)
"""The comment at the top of the draft; statusgen diff knows it and does not repeat it."""
POSTMORTEM_DRAFT = """\
# Postmortem

<!-- {guidance} -->

## Summary
{marker} two or three sentences: what happened, when, who was affected, and how it ended.

## Impact
{marker} what customers saw (errors, delays, data), how many of them, for how long.

## Timeline
| Time (UTC) | Status | What we said |
|---|---|---|
{timeline}

## Root cause
{marker} the technical cause, explained so that a customer's engineer can follow it.

## Contributing factors
{marker} what made it possible, larger or longer: missing alerts, risky defaults, gaps in tests.

## What went well
{marker} what limited the impact or sped up the recovery.

## What we change
{marker} each action, and when it will be done.
"""
