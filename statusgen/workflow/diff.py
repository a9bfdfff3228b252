"""``statusgen diff``: what a change does to the public page, for reviewers.

Both revisions are read from git objects and evaluated at the same moment, so the
report shows exactly what customers will see change when the pull request is merged:
component status transitions, new incidents, new updates, resolutions, postmortems.
Compared as an audience's views, it marks what only that audience sees (🔒), so that
reviewers see what goes where.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from statusgen.core.model import (
    Audiences,
    Component,
    ComponentStatus,
    Incident,
    Maintenance,
    Section,
    Site,
    Update,
)
from statusgen.core.timestamps import format_timestamp
from statusgen.render.i18n import Language
from statusgen.render.urls import incident_path
from statusgen.state.events import EventState, event_state
from statusgen.state.page import derive
from statusgen.workflow.authoring import DRAFT_GUIDANCE, DRAFT_MARKER

_ENGLISH = Language("en")


@dataclass
class SiteChange:
    """The differences between two page states, as Markdown lines by section."""

    overall: str | None = None
    components: list[tuple[str, str, str]] = field(default_factory=list)
    transitions: list[str] = field(default_factory=list)
    """What the new or edited updates' brackets do, per component, in time order."""
    events: list[str] = field(default_factory=list)
    audience: str | None = None
    """The audience whose views were compared (None: the public page)."""

    @property
    def is_empty(self) -> bool:
        return self.overall is None and not self.components and not self.events


def compare(base: Site, head: Site, now: datetime, site_url: str = "") -> SiteChange:
    """What changes between ``base`` and ``head`` (two views of the same audience), both
    evaluated at ``now``. Links are absolute when ``site_url`` is given: the report ends up
    in pull-request comments."""
    return _Comparison(base, head, now, site_url).change


class _Comparison:
    def __init__(self, base: Site, head: Site, now: datetime, site_url: str) -> None:
        self.base, self.head, self.site_url = base, head, site_url
        self.names = {
            c.id: c.name + _restricted(_audiences_of(c, site))
            for site in (base, head)
            for c in site.catalog.components
        }
        before, after = derive(base, now), derive(head, now)
        self.change = SiteChange(audience=head.audience)
        if before.indicator is not after.indicator:
            self.change.overall = (
                f"{_ENGLISH.indicator(before.indicator)} → {_ENGLISH.indicator(after.indicator)}"
            )
        self._components(before.component_statuses, after.component_statuses)
        old_events = {e.id: e for e in base.events}
        old_states = {s.id: s for s in before.events}
        new_states = {s.id: s for s in after.events}
        for event in reversed(head.events):
            self.change.events += self._event(
                old_events.get(event.id),
                event,
                old_states.get(event.id),
                new_states.get(event.id),
            )
        self._transitions(base, head)
        head_ids = {e.id for e in head.events}
        for event in base.events:
            if event.id not in head_ids:
                self.change.events.append(f"- **Removed** {_kind(event)} {self._name(event)}")

    def _components(
        self, before: Mapping[str, ComponentStatus], after: Mapping[str, ComponentStatus]
    ) -> None:
        for component_id, name in self.names.items():
            old, new = before.get(component_id), after.get(component_id)
            if old is new:
                continue
            self.change.components.append(
                (
                    name,
                    _ENGLISH.label(old) if old else "(new)",
                    _ENGLISH.label(new) if new else "(removed)",
                )
            )

    def _transitions(self, base: Site, head: Site) -> None:
        """The component changes of every update that the change adds or edits, from the
        head's event as it will be once all its updates are out."""
        old_updates = {(e.id, u.at): u for e in base.events for u in e.updates}
        found: list[tuple[str, datetime, str]] = []
        for event in head.events:
            whole = event_state(event, event.last_update.at)
            assert whole is not None
            for index, update in enumerate(whole.updates):
                previous = old_updates.get((event.id, update.at))
                if previous is not None and _same(previous, update):
                    continue
                changes = whole.changes(index)
                texts = _ENGLISH.changes(head.catalog, changes)
                found += (
                    (t.component_id, update.at, text)
                    for t, text in zip(changes, texts, strict=True)
                )
        order = list(self.names)
        found.sort(key=lambda f: (order.index(f[0]), f[1]))
        self.change.transitions += (f"- {text} at {format_timestamp(at)}" for _, at, text in found)

    def _event(
        self,
        old: Incident | Maintenance | None,
        new: Incident | Maintenance,
        old_state: EventState | None,
        new_state: EventState | None,
    ) -> list[str]:
        name = self._name(new)
        lines: list[str] = []
        if old is None:
            detail = f"impact {new.impact.value}" if isinstance(new, Incident) else _window(new)
            affected = _ENGLISH.format_list(
                [
                    f"{self.names.get(cid, cid)} ({_ENGLISH.label(status).lower()})"
                    for cid, status in new.components.items()
                ]
            )
            lines.append(
                f"- **New {_kind(new)}**{_restricted(new.audiences)} {name}: {detail}; "
                f"affects {affected or 'none'}"
            )
        else:
            if old.title != new.title:
                lines.append(f"- **Renamed** {name} (was “{old.title}”)")
            if old.impact is not new.impact:
                lines.append(f"- **Impact** of {name}: {old.impact.value} → {new.impact.value}")
            if dict(old.components) != dict(new.components):
                lines.append(f"- **Affected components** of {name} changed")
            if (
                isinstance(old, Maintenance)
                and isinstance(new, Maintenance)
                and (old.scheduled_start, old.scheduled_end)
                != (new.scheduled_start, new.scheduled_end)
            ):
                lines.append(f"- **Rescheduled** {name}: {_window(new)}")
        old_updates = {u.at: u for u in (old.updates if old else ())}
        for update in reversed(new.updates):
            previous = old_updates.get(update.at)
            if previous is None:
                lines.append(self._update(new, update, new_state))
            elif not _same(previous, update):
                lines.append(f"- **Edited update** of {name} at {format_timestamp(update.at)}")
        if old_state and new_state and old_state.status is not new_state.status:
            lines.append(
                f"- {name} is now **{_ENGLISH.label(new_state.status).lower()}** "
                f"(was {_ENGLISH.label(old_state.status).lower()})"
            )
        restricted = _restricted(
            frozenset().union(*(s.audiences for s in new.postmortem_sections)), "sections "
        )
        if new.postmortem and not (old and old.postmortem):
            lines.append(f"- **Postmortem published** for {name}{restricted}{_draft_warning(new)}")
        elif old and old.postmortem and new.postmortem != old.postmortem:
            lines.append(f"- **Postmortem edited** for {name}{restricted}{_draft_warning(new)}")
        # Comments are never published, so a reviewer reading the page would not see them:
        # each new one is shown here, where it could otherwise hide something.
        known = {DRAFT_GUIDANCE, *(c.text for c in old.comments)} if old else {DRAFT_GUIDANCE}
        for comment in new.comments:
            if comment.text not in known:
                lines.append(
                    f"- **Hidden comment** in {name}, line {comment.line} (not published):\n"
                    f"{_verbatim(comment.text)}"
                )
        return lines

    def _update(
        self, event: Incident | Maintenance, update: Update, state: EventState | None
    ) -> str:
        when = format_timestamp(update.at)
        if state is None or update not in state.updates:
            when += ", shown from then on"
        quoted = "\n  >\n".join(_quoted(section) for section in update.sections) or "  > (no text)"
        return f"- **{_ENGLISH.label(update.status)}** on {self._name(event)} ({when})\n{quoted}"

    def _name(self, event: Incident | Maintenance) -> str:
        return f"[{event.title}]({self.site_url}{incident_path(event.id)}) (`{event.id}`)"


def _restricted(audiences: Audiences, what: str = "") -> str:
    """`` 🔒 only for internal``: the mark of what the public page does not show."""
    return f" 🔒 {what}only for {', '.join(sorted(audiences))}" if audiences else ""


def _audiences_of(component: Component, site: Site) -> Audiences:
    """Who may see a component: its own restriction and its group's."""
    group = site.catalog.group(component.group) if component.group else None
    return component.audiences | (group.audiences if group else frozenset())


def _quoted(section: Section) -> str:
    """A section of an update as a quote; a restricted one under its mark."""
    lines = [f"  > {line}" for line in section.text.splitlines()]
    if section.audiences:
        mark = _restricted(section.audiences).strip()
        lines.insert(0, f"  > **{mark}** (not on the public page):")
    return "\n".join(lines)


def _verbatim(text: str) -> str:
    """``text`` as a code block inside a list item: shown as written, never rendered
    (a comment may hold markup, and the reviewer must see exactly that)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join(f"  {line}" for line in [fence, *text.splitlines(), fence])


def _same(old: Update, new: Update) -> bool:
    """Whether an update reads the same (its line moves when others are added above it)."""
    return (old.status, old.body, dict(old.changes)) == (new.status, new.body, dict(new.changes))


def _draft_warning(event: Incident | Maintenance) -> str:
    """Reviewers must not merge the draft that ``statusgen postmortem`` writes as it is."""
    if event.postmortem and DRAFT_MARKER in event.postmortem:
        return f" ⚠️ it still contains {DRAFT_MARKER} complete it before merging"
    return ""


def _kind(event: Incident | Maintenance) -> str:
    return "maintenance" if isinstance(event, Maintenance) else "incident"


def _window(event: Incident | Maintenance) -> str:
    assert isinstance(event, Maintenance)
    return f"{format_timestamp(event.scheduled_start)} to {format_timestamp(event.scheduled_end)}"


def render_markdown(change: SiteChange, base: str, head: str, now: datetime) -> str:
    """The report, for a pull-request comment or a job summary."""
    lines = [f"### Status page changes: `{base}` → `{head}`", ""]
    if change.audience:
        lines[0] = f"### Status page changes for {change.audience}: `{base}` → `{head}`"
    if change.is_empty:
        page = f"the view for {change.audience}" if change.audience else "the public page"
        lines.append(f"No change to {page}.")
        return "\n".join(lines) + "\n"
    lines.append(f"As the page would be at {format_timestamp(now.replace(microsecond=0))}.")
    lines.append("")
    if change.overall:
        lines += [f"**Overall status:** {change.overall}", ""]
    if change.components:
        lines += ["| Component | Before | After |", "|---|---|---|"]
        lines += [f"| {name} | {old} | {new} |" for name, old, new in change.components]
        lines.append("")
    if change.transitions:
        lines += ["**Component changes in updates:**", "", *change.transitions, ""]
    lines += change.events
    return "\n".join(lines).rstrip() + "\n"
