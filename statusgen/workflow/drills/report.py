"""``statusgen drill report``: the times that matter, read back from a drill's branch.

Every commit of the branch after its start commit is read from git objects. An update
counts from the first commit that holds it: its commit time is when the team had it
written, its heading's time is when the team said it was posted. Both are kept, and
the report shows both wherever they are more than a minute apart. The measures follow
the commit times (what really happened); in brackets, what the update times claim.

Measures of each drill incident, from the drill's start: the time to the first public
update (acknowledgement), each interval between updates against ``update_every``, the
time to resolution, the largest silence (the longest of those waits, acknowledgement
included: customers heard nothing then either), whether a postmortem was drafted and
completed, and the message templates used. A report saved with ``--save`` keeps its
figures in its frontmatter, so that the next report compares the team's drills.
"""

from __future__ import annotations

import enum
import itertools
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import git
import yaml

from statusgen.content.loader import read_site
from statusgen.core.errors import StatusgenError
from statusgen.core.model import Incident, IncidentStatus, Maintenance, UpdateStatus
from statusgen.core.timestamps import format_timestamp
from statusgen.workflow.authoring import DRAFT_MARKER
from statusgen.workflow.drills.branch import DrillStart, find_start
from statusgen.workflow.gitrepo import TEMPLATE_TRAILER, RevisionSource, open_repository

REPORTS_DIR = "drills/reports"
SAME_WITHIN = timedelta(minutes=1)
"""An update time this close to its commit time is the same moment (the commit of
``statusgen update --commit`` comes a second or two after the time it writes)."""
_TEMPLATE = re.compile(rf"^{TEMPLATE_TRAILER}: (?P<name>\S+)\s*$", re.MULTILINE)


class Clock(enum.Enum):
    """Which time of an update a measure follows."""

    COMMIT = "commit"
    UPDATE = "update"


@dataclass(frozen=True, slots=True)
class Step:
    """One update of a drill incident, as the branch's history shows it."""

    status: UpdateStatus
    at: datetime
    """The time in its heading."""
    committed_at: datetime
    """The commit time of the first commit that holds it."""
    commit: str
    template: str | None
    """The message template it was written with (the commit says so), or None."""

    def time(self, clock: Clock) -> datetime:
        return self.committed_at if clock is Clock.COMMIT else self.at


@dataclass(frozen=True, slots=True)
class Measures:
    acknowledged: timedelta | None
    intervals: tuple[timedelta, ...]
    """Between consecutive updates, up to the resolution."""
    resolved: timedelta | None
    largest_silence: timedelta | None


@dataclass(frozen=True, slots=True)
class DrillEvent:
    """A drill incident (or maintenance) and its history on the branch."""

    id: str
    title: str
    steps: tuple[Step, ...]
    """By update time."""
    postmortem_drafted: datetime | None = None
    """Commit time of the first commit with a postmortem."""
    postmortem_completed: datetime | None = None
    """Commit time of the first commit whose postmortem has no draft marker left."""

    @property
    def is_resolved(self) -> bool:
        return bool(self.steps) and self.steps[-1].status is IncidentStatus.RESOLVED

    def measures(self, start: datetime, clock: Clock) -> Measures:
        times = [s.time(clock) for s in self.steps]
        acknowledged = times[0] - start if times else None
        intervals = tuple(later - earlier for earlier, later in itertools.pairwise(times))
        waits = [w for w in (acknowledged, *intervals) if w is not None]
        return Measures(
            acknowledged=acknowledged,
            intervals=intervals,
            resolved=times[-1] - start if self.is_resolved else None,
            largest_silence=max(waits) if waits else None,
        )


@dataclass(frozen=True, slots=True)
class PastDrill:
    """A saved report's figures, for the comparison."""

    branch: str
    started: str
    acknowledged_after: int | None
    resolved_after: int | None
    largest_silence: int | None


@dataclass(frozen=True, slots=True)
class DrillReport:
    start: DrillStart
    events: tuple[DrillEvent, ...]
    update_every: int
    """Minutes; 0 when updates have no promised cadence."""
    previous: tuple[PastDrill, ...] = ()
    skipped_reports: tuple[str, ...] = ()
    """Saved reports without figures (edited by hand), named in the comparison."""

    @property
    def figures(self) -> PastDrill:
        """This drill's figures: those of its first incident, by commit time."""
        measures = self.events[0].measures(self.start.started_at, Clock.COMMIT)
        return PastDrill(
            branch=self.start.branch,
            started=format_timestamp(self.start.started_at),
            acknowledged_after=_seconds(measures.acknowledged),
            resolved_after=_seconds(measures.resolved),
            largest_silence=_seconds(measures.largest_silence),
        )


def read_report(root: Path, branch: str, update_every: int) -> DrillReport:
    """The report of the drill on ``branch``, its intervals checked against
    ``update_every`` minutes (0: not checked).

    :raises StatusgenError: when the branch is not a drill, or holds no drill incident.
    """
    repo = open_repository(root)
    start = find_start(repo, branch)
    first_seen: dict[tuple[str, datetime], Step] = {}
    drafted: dict[str, datetime] = {}
    completed: dict[str, datetime] = {}
    last: list[Incident | Maintenance] = []
    for commit in _commits_after(repo, start.commit, branch):
        site, errors = read_site(RevisionSource(repo, commit.hexsha, root))
        if site is None or errors:
            continue  # a commit that broke the files: the next one that fixes them counts
        committed_at = commit.committed_datetime.astimezone(UTC)
        drills = [e for e in site.events if e.is_drill]
        new = [(e, u) for e in drills for u in e.updates if (e.id, u.at) not in first_seen]
        templates = _TEMPLATE.findall(str(commit.message))
        # A commit that adds one update says which template wrote it; with several, the
        # commit does not say which is which.
        template = templates[0] if len(new) == 1 and len(templates) == 1 else None
        for event, update in new:
            first_seen[(event.id, update.at)] = Step(
                update.status, update.at, committed_at, commit.hexsha, template
            )
        for event in drills:
            if event.postmortem is not None:
                drafted.setdefault(event.id, committed_at)
                if DRAFT_MARKER not in event.postmortem:
                    completed.setdefault(event.id, committed_at)
        last = drills
    if not last:
        raise StatusgenError(
            f"no drill incident is committed on {branch} yet: open one with statusgen new … "
            "--commit (on a drill branch it is marked drill: true)"
        )
    events = tuple(
        DrillEvent(
            id=event.id,
            title=event.title,
            steps=tuple(first_seen[(event.id, u.at)] for u in event.updates),
            postmortem_drafted=drafted.get(event.id) if event.postmortem else None,
            postmortem_completed=completed.get(event.id) if event.postmortem else None,
        )
        for event in sorted(last, key=lambda e: (e.first_update.at, e.id))
    )
    previous, skipped = _saved_reports(root, branch)
    return DrillReport(
        start=start,
        events=events,
        update_every=update_every,
        previous=previous,
        skipped_reports=skipped,
    )


def _commits_after(repo: git.Repo, start: str, branch: str) -> Iterator[git.Commit]:
    return repo.iter_commits(f"{start}..{branch}", first_parent=True, reverse=True)


def report_path(root: Path, branch: str) -> Path:
    """Where ``--save`` writes the report: ``drills/reports/<branch>.md``."""
    return root / REPORTS_DIR / f"{branch}.md"


def save_report(root: Path, branch: str, text: str) -> Path:
    """Write the report to ``drills/reports/<branch>.md`` (atomically) and return its path."""
    path = report_path(root, branch)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp"
    ) as temporary:
        temporary.write(text)
    Path(temporary.name).replace(path)
    return path


def _saved_reports(root: Path, branch: str) -> tuple[tuple[PastDrill, ...], tuple[str, ...]]:
    folder = root / REPORTS_DIR
    mine = report_path(root, branch)
    found: list[PastDrill] = []
    skipped: list[str] = []
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        if path == mine:
            continue
        figures = _read_figures(path)
        if figures is None:
            skipped.append(path.relative_to(root).as_posix())
        else:
            found.append(figures)
    found.sort(key=lambda d: d.started)
    return tuple(found), tuple(skipped)


def _read_figures(path: Path) -> PastDrill | None:
    try:
        text = path.read_text(encoding="utf-8")
        _, frontmatter, _ = text.split("---\n", 2)
        data: Any = yaml.safe_load(frontmatter)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("branch"), str):
        return None
    numbers = [data.get(k) for k in ("acknowledged_after", "resolved_after", "largest_silence")]
    if not all(n is None or (isinstance(n, int) and not isinstance(n, bool)) for n in numbers):
        return None
    return PastDrill(data["branch"], str(data.get("started", "")), *numbers)


def _seconds(duration: timedelta | None) -> int | None:
    return None if duration is None else int(duration.total_seconds())


# Markdown -------------------------------------------------------------------------------


def format_duration(duration: timedelta) -> str:
    """``1 h 5 min 30 s``: the units that are not zero; ``0 s`` for nothing."""
    seconds = int(duration.total_seconds())
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{n} {unit}" for n, unit in ((hours, "h"), (minutes, "min"), (seconds, "s")) if n]
    return sign + (" ".join(parts) or "0 s")


def render_report(report: DrillReport) -> str:
    """The report in Markdown, its figures in a YAML frontmatter."""
    figures = report.figures
    header = yaml.safe_dump(
        {
            "branch": figures.branch,
            "scenario": report.start.scenario,
            "started": figures.started,
            "acknowledged_after": figures.acknowledged_after,
            "resolved_after": figures.resolved_after,
            "largest_silence": figures.largest_silence,
        },
        sort_keys=False,
        allow_unicode=True,
    )
    lines = [
        "---",
        header.rstrip("\n"),
        "---",
        "",
        f"# Drill report: {report.start.title}",
        "",
        f"Branch `{report.start.branch}`, started {format_timestamp(report.start.started_at)}. "
        "A blameless review: these figures describe the process and the tools, not people.",
        "Times are commit times; an update's own time is shown where it differs by more "
        "than a minute.",
    ]
    for event in report.events:
        lines += ["", *_event_section(report, event)]
    lines += ["", *_comparison(report)]
    return "\n".join(lines) + "\n"


def _event_section(report: DrillReport, event: DrillEvent) -> list[str]:
    start = report.start.started_at
    by_commit = event.measures(start, Clock.COMMIT)
    by_update = event.measures(start, Clock.UPDATE)
    lines = [
        f"## {event.title} (`{event.id}`)",
        "",
        "| Commit time | Update time | Status | Commit | Template |",
        "|---|---|---|---|---|",
        f"| {format_timestamp(start)} | | drill started | {report.start.commit[:10]} | |",
    ]
    for step in event.steps:
        update_time = format_timestamp(step.at) if _differ(step.at, step.committed_at) else ""
        lines.append(
            f"| {format_timestamp(step.committed_at)} | {update_time} | "
            f"{step.status.value.replace('_', ' ')} | {step.commit[:10]} | "
            f"{step.template or 'by hand'} |"
        )
    lines.append("")
    lines.append(
        "- Time to the first public update (acknowledgement): "
        + _both(by_commit.acknowledged, by_update.acknowledged)
    )
    lines.append("- " + _intervals(report.update_every, event, by_commit, by_update))
    if by_commit.resolved is None:
        lines.append("- Resolution: not resolved on this branch")
    else:
        lines.append("- Time to resolution: " + _both(by_commit.resolved, by_update.resolved))
    lines.append(
        "- Largest silence: " + _both(by_commit.largest_silence, by_update.largest_silence)
    )
    lines.append("- " + _postmortem(start, event))
    used = sorted({s.template for s in event.steps if s.template})
    by_hand = sum(1 for s in event.steps if s.template is None)
    templates = ", ".join(f"`{name}`" for name in used) or "none"
    lines.append(f"- Templates used: {templates}; written by hand: {by_hand}")
    return lines


def _differ(first: datetime, second: datetime) -> bool:
    return abs(first - second) > SAME_WITHIN


def _both(by_commit: timedelta | None, by_update: timedelta | None) -> str:
    if by_commit is None or by_update is None:
        return "none"
    text = format_duration(by_commit)
    if abs(by_commit - by_update) > SAME_WITHIN:
        text += f" (update times: {format_duration(by_update)})"
    return text


def _intervals(
    update_every: int, event: DrillEvent, by_commit: Measures, by_update: Measures
) -> str:
    if not by_commit.intervals:
        return "Intervals between updates: none (one update)"
    limit = timedelta(minutes=update_every)
    shown = []
    pairs = zip(
        itertools.pairwise(event.steps), by_commit.intervals, by_update.intervals, strict=True
    )
    for (earlier, later), gap, claimed in pairs:
        text = f"{earlier.status.value.replace('_', ' ')} → {later.status.value.replace('_', ' ')}"
        text += f" {_both(gap, claimed)}"
        if update_every and gap > limit:
            text += f", **{format_duration(gap - limit)} over**"
        shown.append(text)
    cadence = f"update_every {update_every} min" if update_every else "update_every off"
    late = sum(1 for gap in by_commit.intervals if update_every and gap > limit)
    verdict = f"; {late} late" if update_every else ""
    return f"Intervals between updates ({cadence}{verdict}): " + "; ".join(shown)


def _postmortem(start: datetime, event: DrillEvent) -> str:
    if event.postmortem_drafted is None:
        return "Postmortem: not drafted (statusgen postmortem ID --commit writes the draft)"
    text = f"Postmortem: drafted after {format_duration(event.postmortem_drafted - start)}"
    if event.postmortem_completed is None:
        return text + f", not completed ('{DRAFT_MARKER}' markers are left)"
    return text + f", completed after {format_duration(event.postmortem_completed - start)}"


def _comparison(report: DrillReport) -> list[str]:
    lines = ["## Compared with previous drills", ""]
    if not report.previous:
        lines.append(
            f"No earlier report in {REPORTS_DIR}/: save this one with --save to compare "
            "the next drill with it."
        )
    else:
        lines += [
            "| Drill | Started | Acknowledged after | Resolved after | Largest silence |",
            "|---|---|---|---|---|",
        ]
        for drill in (*report.previous, report.figures):
            lines.append(
                f"| `{drill.branch}` | {drill.started} | {_figure(drill.acknowledged_after)} | "
                f"{_figure(drill.resolved_after)} | {_figure(drill.largest_silence)} |"
            )
        lines += ["", _trend(report.previous, report.figures)]
    for path in report.skipped_reports:
        lines.append(f"\n({path} is left out: its frontmatter has no drill figures.)")
    return lines


def _figure(seconds: int | None) -> str:
    return "-" if seconds is None else format_duration(timedelta(seconds=seconds))


def _trend(previous: Sequence[PastDrill], current: PastDrill) -> str:
    known = [d.acknowledged_after for d in (*previous, current) if d.acknowledged_after is not None]
    if current.acknowledged_after is None or len(known) < 2:
        return "Time to acknowledge: not enough drills to compare."
    before, now = known[-2], known[-1]
    direction = "going down" if now < before else "going up" if now > before else "unchanged"
    steps = " → ".join(_figure(s) for s in known)
    return f"Time to acknowledge: {steps} ({direction})."
