"""``statusgen diff``: what a change does to the public page, for reviewers.

Both revisions are read from git objects and evaluated at the same moment, so the
report shows exactly what customers will see change when the pull request is merged:
component status transitions, new incidents, new updates, resolutions, postmortems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from statusgen.i18n import Language
from statusgen.model import Incident, Maintenance, Site, Update
from statusgen.state import EventState, derive
from statusgen.timestamps import format_timestamp

_ENGLISH = Language("en")


@dataclass
class SiteChange:
    """The differences between two page states, as lines of Markdown by section."""

    overall: str | None = None
    components: list[tuple[str, str, str]] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.overall is None and not self.components and not self.events


def compare(base: Site, head: Site, now: datetime) -> SiteChange:
    """What changes between ``base`` and ``head``, both evaluated at ``now``."""
    before, after = derive(base, now, uptime_days=1), derive(head, now, uptime_days=1)
    change = SiteChange()
    if before.indicator is not after.indicator:
        change.overall = (
            f"{_ENGLISH.indicator(before.indicator)} → {_ENGLISH.indicator(after.indicator)}"
        )
    for component in head.catalog.components:
        old = before.component_statuses.get(component.id)
        new = after.component_statuses[component.id]
        if old is not new:
            change.components.append(
                (component.name, _ENGLISH.label(old) if old else "(new)", _ENGLISH.label(new))
            )
    old_events = {e.id: e for e in base.events}
    old_states = {s.id: s for s in before.events}
    new_states = {s.id: s for s in after.events}
    for event in reversed(head.events):
        change.events += _event_changes(
            old_events.get(event.id), event, old_states.get(event.id), new_states.get(event.id)
        )
    head_ids = {e.id for e in head.events}
    for event in base.events:
        if event.id not in head_ids:
            change.events.append(f"- **Removed** {_kind(event)} {_name(event)}")
    return change


def _event_changes(
    old: Incident | Maintenance | None,
    new: Incident | Maintenance,
    old_state: EventState | None,
    new_state: EventState | None,
) -> list[str]:
    lines: list[str] = []
    if old is None:
        detail = f"impact {new.impact.value}" if isinstance(new, Incident) else _window(new)
        affected = ", ".join(
            f"{cid} ({_ENGLISH.label(status).lower()})" for cid, status in new.components.items()
        )
        lines.append(
            f"- **New {_kind(new)}** {_name(new)}: {detail}; affects {affected or 'no component'}"
        )
    else:
        if old.title != new.title:
            lines.append(f"- **Renamed** {_name(new)} (was “{old.title}”)")
        if old.impact is not new.impact:
            lines.append(f"- **Impact** of {_name(new)}: {old.impact.value} → {new.impact.value}")
        if dict(old.components) != dict(new.components):
            lines.append(f"- **Affected components** of {_name(new)} changed")
        if (
            isinstance(old, Maintenance)
            and isinstance(new, Maintenance)
            and (
                (old.scheduled_start, old.scheduled_end) != (new.scheduled_start, new.scheduled_end)
            )
        ):
            lines.append(f"- **Rescheduled** {_name(new)}: {_window(new)}")
    old_updates = {u.at: u for u in (old.updates if old else ())}
    for update in reversed(new.updates):
        previous = old_updates.get(update.at)
        if previous is None:
            lines.append(_update_line(new, update, new_state))
        elif (previous.status, previous.body) != (update.status, update.body):
            lines.append(f"- **Edited update** of {_name(new)} at {format_timestamp(update.at)}")
    if old_state and new_state and old_state.status is not new_state.status:
        lines.append(
            f"- {_name(new)} is now **{_ENGLISH.label(new_state.status).lower()}** "
            f"(was {_ENGLISH.label(old_state.status).lower()})"
        )
    if new.postmortem and not (old and old.postmortem):
        lines.append(f"- **Postmortem published** for {_name(new)}{_draft_warning(new)}")
    elif old and old.postmortem and new.postmortem != old.postmortem:
        lines.append(f"- **Postmortem edited** for {_name(new)}{_draft_warning(new)}")
    return lines


def _update_line(event: Incident | Maintenance, update: Update, state: EventState | None) -> str:
    published = state is not None and update in state.updates
    when = format_timestamp(update.at)
    if not published:
        when += ", shown from then on"
    quoted = "\n".join(f"  > {line}" for line in update.body.splitlines()) or "  > (no text)"
    return f"- **{_ENGLISH.label(update.status)}** on {_name(event)} ({when})\n{quoted}"


def _draft_warning(event: Incident | Maintenance) -> str:
    """Reviewers must not merge the draft that ``statusgen postmortem`` writes as is."""
    if event.postmortem and "TODO" in event.postmortem:
        return " ⚠️ it still contains TODO: complete it before merging"
    return ""


def _name(event: Incident | Maintenance) -> str:
    return f"[{event.title}](incidents/{event.id}/) (`{event.id}`)"


def _kind(event: Incident | Maintenance) -> str:
    return "maintenance" if isinstance(event, Maintenance) else "incident"


def _window(event: Incident | Maintenance) -> str:
    assert isinstance(event, Maintenance)
    return f"{format_timestamp(event.scheduled_start)} to {format_timestamp(event.scheduled_end)}"


def render_markdown(change: SiteChange, base: str, head: str, now: datetime) -> str:
    """The report, for a pull-request comment or a job summary."""
    lines = [f"### Status page changes: `{base}` → `{head}`", ""]
    if change.is_empty:
        lines.append("No change to the public page.")
        return "\n".join(lines) + "\n"
    lines.append(f"As the page would be at {format_timestamp(now)}.")
    lines.append("")
    if change.overall:
        lines += [f"**Overall status:** {change.overall}", ""]
    if change.components:
        lines += ["| Component | Before | After |", "|---|---|---|"]
        lines += [f"| {name} | {old} | {new} |" for name, old, new in change.components]
        lines.append("")
    lines += change.events
    return "\n".join(lines).rstrip() + "\n"
