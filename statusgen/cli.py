"""The ``statusgen`` command line.

Every command reports problems in the user's content as ``path:line: message`` and
exits 1; usage errors exit 2 (Click's convention); nothing prints a traceback for a
problem the user can fix.

Modules that import GitPython, apprise, requests or the importers' HTML tools, and
the renderers, the derived state and the authoring tools, are imported inside the
commands that use them, not here: every command imports this module, and ``validate``,
``status`` and ``build`` would otherwise pay for them on each run (a quarter to half a
second; the renderers a tenth of ``validate``). tests/test_cli_imports.py keeps it so.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

import click

from statusgen import __version__
from statusgen.content.config import SiteConfig, read_site_config
from statusgen.content.loader import links_outside, load_site, read_site
from statusgen.content.schema import SCHEMAS
from statusgen.content.stored_events import events_cache
from statusgen.core.collector import fewer_collections
from statusgen.core.errors import (
    ContentError,
    ContentErrors,
    StatusgenError,
    UsageProblem,
    normalize_choice,
)
from statusgen.core.model import (
    ComponentStatus,
    Impact,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    Site,
)
from statusgen.core.timestamps import TimestampError, format_timestamp, parse_timestamp
from statusgen.core.words import counted
from statusgen.view.drills import drill_warnings
from statusgen.workflow.alerts.payloads import FORMATS
from statusgen.workflow.importers import READ_TIMEOUT
from statusgen.workflow.message_templates import available_templates, template_languages

if TYPE_CHECKING:
    import git

    from statusgen.state.events import EventState
    from statusgen.state.page import PageState
    from statusgen.workflow.alerts.run import AlertRun
    from statusgen.workflow.authoring import Change, MessageChoice
    from statusgen.workflow.importers.draft import Draft
    from statusgen.workflow.importers.writer import ImportResult

F = TypeVar("F", bound=Callable[..., Any])

_STATUS_COLOURS = {
    ComponentStatus.OPERATIONAL: "green",
    ComponentStatus.UNDER_MAINTENANCE: "blue",
    ComponentStatus.DEGRADED_PERFORMANCE: "yellow",
    ComponentStatus.PARTIAL_OUTAGE: "bright_red",
    ComponentStatus.MAJOR_OUTAGE: "red",
}


class Timestamp(click.ParamType):  # type: ignore[type-arg]
    """A ``--now`` or ``--at`` value: a FORMAT.md timestamp with a zone."""

    name = "timestamp"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime):
            return value
        try:
            return parse_timestamp(str(value))
        except TimestampError as error:
            self.fail(str(error), param, ctx)


class Spelling(click.Choice):  # type: ignore[type-arg]
    """A status or impact, spelt as FORMAT.md allows (any case, spaces for underscores);
    anything else is a usage error that lists the choices."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return super().convert(normalize_choice(str(value)), param, ctx)


UPDATE_STATUSES = Spelling(
    [*(s.value for s in IncidentStatus), *(s.value for s in MaintenanceStatus)]
)
IMPACTS = Spelling([i.value for i in Impact if i is not Impact.MAINTENANCE])


ROOT_OPTION = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default="the current directory",
    help="The status repository (where components.yml is).",
)
AUDIENCE_OPTION = click.option(
    "--audience",
    default=None,
    metavar="NAME",
    help="The view of this audience (declared in mkdocs.yml); default: the public view.",
)
NOW_OPTION = click.option(
    "--now",
    type=Timestamp(),
    default=None,
    help="Evaluate the page at this time instead of the clock, e.g. '2026-11-28 15:00 UTC'.",
)


def reports_errors(command: F) -> F:
    """Turn a :class:`StatusgenError` into its message on stderr and exit status 1 (a
    :class:`UsageProblem` into Click's usage error, exit status 2)."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except UsageProblem as error:
            raise click.UsageError(str(error)) from None
        except StatusgenError as error:
            click.echo(str(error), err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="statusgen")
def main() -> None:
    """Status pages from incidents written in Markdown and kept in git."""


@main.command(short_help="Check every file; report every error at once.")
@ROOT_OPTION
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="text: path:line: message; github: GitHub Actions annotations; json: one document.",
)
def validate(root: Path, output_format: str) -> None:
    """Check components.yml and every incident; report every error at once.

    Exits 1 when there is any error, 0 otherwise. Drills are warned about: a drill
    file belongs on a drill branch, never in the main branch.
    """
    # The plugin's options are checked without site_config: that would import the
    # renderers (Markdown, Babel, the templates' helpers), which validate never uses.
    from statusgen.site.options import check_options

    errors: list[ContentError] = []
    cache = None
    try:
        config = read_site_config(root)
        cache = events_cache(root, check_options(config.plugin_options, config.file))
        errors += links_outside(root, [*config.published_folders(root), root / config.file])
    except ContentErrors as config_errors:
        errors += config_errors.errors
    with fewer_collections():
        site, content_errors = read_site(root, cache=cache)
    errors += content_errors
    errors.sort(key=lambda e: e.sort_key)
    warnings = drill_warnings(site) if site is not None else []
    if output_format == "json":
        document = {
            "valid": not errors,
            "errors": [{"file": e.path, "line": e.line, "message": e.message} for e in errors],
            "warnings": [{"file": w.path, "line": w.line, "message": w.message} for w in warnings],
        }
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        for error in errors:
            click.echo(_github_annotation(root, error) if output_format == "github" else error)
        for warning in warnings:
            click.echo(
                _github_annotation(root, warning, "warning")
                if output_format == "github"
                else ContentError(warning.path, warning.line, f"warning: {warning.message}")
            )
    if errors:
        files = len({e.path for e in errors})
        click.echo(
            f"{counted(len(errors), 'error', 'errors')} in {counted(files, 'file', 'files')}",
            err=True,
        )
        sys.exit(1)
    assert site is not None
    components, events = len(site.catalog.components), len(site.events)
    drills = f" ({counted(len(warnings), 'drill', 'drills')})" if warnings else ""
    click.echo(
        f"OK: {counted(components, 'component', 'components')}, "
        f"{counted(events, 'incident or maintenance', 'incidents and maintenances')}{drills}",
        err=True,
    )


def _github_annotation(root: Path, error: ContentError, level: str = "error") -> str:
    """``::error file=…,line=…::…`` (or ``::warning``) with the path relative to the
    working directory, which is the repository root in a GitHub Actions job."""
    path = os.path.relpath(root / error.path)
    properties = f"file={_escape_property(path)}"
    if error.line is not None:
        properties += f",line={error.line}"
    return f"::{level} {properties},title=statusgen::{_escape_data(error.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


@main.command(short_help="Show what the page says now (or at --now).")
@ROOT_OPTION
@NOW_OPTION
@AUDIENCE_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print /api/v2/summary.json instead.")
@reports_errors
def status(root: Path, now: datetime | None, audience: str | None, as_json: bool) -> None:
    """Show what the status page says now (or at --now)."""
    from statusgen.render.statuspage import StatuspageDocuments

    state, config = load_state(root, now, audience)
    if as_json:
        summary = StatuspageDocuments(state, config).summary()
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    _print_status(state, config)


def load_state(
    root: Path, now: datetime | None, audience: str | None = None
) -> tuple[PageState, SiteConfig]:
    """Load, validate and derive the page of ``audience`` (None: the public) at ``now``
    (the clock when None).

    :raises ContentErrors: when the repository has problems.
    """
    from statusgen.site.assembly import site_config
    from statusgen.state.page import derive
    from statusgen.view.site_view import site_view

    site = load_site(root)
    config = site_config(root)
    moment = now or datetime.now(UTC)
    return derive(
        site_view(site, audience=audience), moment, uptime_days=config.uptime_days
    ), config


HEADER_COMPONENT = "Component"


def _print_status(state: PageState, config: SiteConfig) -> None:
    from statusgen.state.uptime import shown_ratio

    click.echo(
        f"{click.style(config.name, bold=True)}: {state.description} "
        f"(indicator: {state.indicator.value}) "
        # The clock's microseconds are noise to a reader; --now never has any.
        f"at {format_timestamp(state.now.replace(microsecond=0))}"
    )
    catalog = state.site.catalog
    rows: list[tuple[str, ComponentStatus | None, str]] = []
    shown_groups: set[str] = set()
    for component in catalog.components:
        indent = ""
        if component.group is not None:
            indent = "  "
            if component.group not in shown_groups:
                shown_groups.add(component.group)
                rows.append((catalog.group(component.group).name, None, ""))
        ratio = state.uptime[component.id].ratio
        uptime = "" if ratio is None else f"{shown_ratio(ratio) * 100:.2f}%"
        rows.append((indent + component.name, state.component_statuses[component.id], uptime))
    width = max(len(HEADER_COMPONENT), *(len(name) for name, _, _ in rows)) + 2
    click.echo()
    click.echo(f"{HEADER_COMPONENT:<{width}}{'Status':<22}Uptime ({config.uptime_days} days)")
    for name, component_status, uptime in rows:
        if component_status is None:
            click.echo(click.style(name, bold=True))
            continue
        words = component_status.value.replace("_", " ")
        styled = click.style(f"{words:<22}", fg=_STATUS_COLOURS[component_status])
        click.echo(f"{name:<{width}}{styled}{uptime}")
    sections = (
        ("Active incidents", state.active_incidents),
        ("Maintenance in progress", state.maintenances_in_progress),
        ("Upcoming maintenance", state.upcoming_maintenances),
    )
    for title, events in sections:
        click.echo()
        click.echo(click.style(title, bold=True) + ("" if events else ": none"))
        for event in events:
            click.echo(_event_line(event))


def _event_line(state: EventState) -> str:
    event = state.event
    status = state.status.value.replace("_", " ")
    when = f"updated {format_timestamp(state.updated_at)}"
    if state.is_upcoming and isinstance(event, Maintenance):
        when = (
            f"{format_timestamp(event.scheduled_start)} to {format_timestamp(event.scheduled_end)}"
        )
    impact = "" if state.is_maintenance else f" [{event.impact.value}]"
    return f"  {event.title}{impact}: {status}, {when}  ({event.id})"


@main.command(short_help="Build the site: pages, feeds, calendars, API.")
@ROOT_OPTION
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the site (default: site_dir of mkdocs.yml, site/; for an audience, "
    "site-NAME/).",
)
@NOW_OPTION
@click.option(
    "--drills",
    is_flag=True,
    help="Show drills (drill: true) under a banner: for previews, never for publishing.",
)
@AUDIENCE_OPTION
@reports_errors
def build(
    root: Path, site_dir: Path | None, now: datetime | None, drills: bool, audience: str | None
) -> None:
    """Build the status site: pages, feeds, calendars, badges and the API.

    The build is atomic (a failed build leaves the previous site untouched) and
    reproducible (the same files and --now give the same bytes). Drills are left out
    unless --drills is given.
    """
    # Imported here: MkDocs takes a while to import and validate/status do not need it.
    from statusgen.site.build import build_site

    result = build_site(root, site_dir, now, drills=drills, audience=audience)
    phases = ", ".join(f"{name} {seconds:.2f}" for name, seconds in result.timings.items())
    click.echo(f"Built {result.site_dir} in {result.seconds:.1f} s ({phases})", err=True)


@main.command(short_help="Preview the site, live, while you edit it.")
@ROOT_OPTION
@click.option(
    "--dev-addr", default="127.0.0.1:8000", show_default=True, help="IP:port to serve on."
)
@NOW_OPTION
@AUDIENCE_OPTION
@reports_errors
def serve(root: Path, dev_addr: str, now: datetime | None, audience: str | None) -> None:
    """Preview the site locally: pages are rendered on request from the files as they
    are, and an open page reloads when an incident, components.yml, mkdocs.yml, a
    hand-written page or the theme changes. Content errors show in the browser and in
    the terminal. Drills are shown, under a banner. With --now, the page at that moment."""
    from statusgen.site.serve import serve as serve_preview

    serve_preview(root, dev_addr, now, audience)


# Authoring -------------------------------------------------------------------------------

MESSAGE_OPTIONS = (
    click.option("--message", "-m", default=None, help="The update's text (Markdown)."),
    click.option(
        "--template",
        "-t",
        default=None,
        help="A message template by name (statusgen templates lists them).",
    ),
)
AT_OPTION = click.option(
    "--at",
    type=Timestamp(),
    default=None,
    help="When the update was posted (default: now). Written in UTC.",
)
COMMIT_OPTION = click.option(
    "--commit",
    is_flag=True,
    help="Commit the change (on a new branch status/<id> when on the default branch).",
)


def message_options(command: F) -> F:
    for option in reversed(MESSAGE_OPTIONS):
        command = option(command)
    return command


def _message(message: str | None, template: str | None) -> MessageChoice:
    from statusgen.workflow.authoring import MessageChoice

    if message is not None and template is not None:
        raise click.UsageError("give --message or --template, not both")
    return MessageChoice(text=message, template=template)


def _repository_for(root: Path, commit: bool) -> git.Repo | None:
    """With --commit, the repository, checked before anything is written."""
    from statusgen.workflow.gitrepo import check_can_commit

    return check_can_commit(root) if commit else None


def _written(repo: git.Repo | None, change: Change) -> None:
    """Report a written file (its path on stdout) and commit it if asked."""
    from statusgen.workflow.gitrepo import commit_file

    click.echo(os.path.relpath(change.path))
    if repo is not None:
        branch = commit_file(repo, change.path, change.event_id, change.summary, change.template)
        click.echo(f"Committed on branch {branch}: {change.summary}", err=True)
        click.echo(f"Next: git push -u origin {branch}, then open a pull request.", err=True)


@main.command(short_help="Open an incident or announce a maintenance.")
@click.argument("title")
@click.option(
    "--component",
    "-c",
    "components",
    multiple=True,
    metavar="ID[=STATUS]",
    help="An affected component, with its status (default: from the impact). Repeatable.",
)
@click.option("--impact", type=IMPACTS, default=None, help="The incident's impact.")
@click.option(
    "--status",
    "-s",
    type=UPDATE_STATUSES,
    default=None,
    help="The first update's status (an incident's, or with --maintenance a maintenance's).",
)
@message_options
@AT_OPTION
@click.option("--id", "event_id", default=None, help="The id (default: <date>-<title slug>).")
@click.option("--maintenance", is_flag=True, help="Write a planned maintenance.")
@click.option("--start", type=Timestamp(), default=None, help="Maintenance window start.")
@click.option("--end", type=Timestamp(), default=None, help="Maintenance window end.")
@COMMIT_OPTION
@ROOT_OPTION
@reports_errors
def new(
    title: str,
    components: tuple[str, ...],
    impact: str | None,
    status: str | None,
    message: str | None,
    template: str | None,
    at: datetime | None,
    event_id: str | None,
    maintenance: bool,
    start: datetime | None,
    end: datetime | None,
    commit: bool,
    root: Path,
) -> None:
    """Open an incident (or, with --maintenance, announce one) and print its file."""
    from statusgen.site.assembly import site_config
    from statusgen.workflow.authoring import Author
    from statusgen.workflow.drills.branch import on_drill_branch

    repo = _repository_for(root, commit)
    drill = on_drill_branch(root)
    change = Author(root, site_config(root)).new(
        title,
        list(components),
        message=_message(message, template),
        at=at,
        impact=impact,
        status=status,
        event_id=event_id,
        maintenance=maintenance,
        start=start,
        end=end,
        drill=drill,
    )
    if drill:
        click.echo("On a drill branch: marked drill: true (never published).", err=True)
    _written(repo, change)


@main.command(short_help="Post an update to an incident or maintenance.")
@click.argument("event_id", metavar="ID")
@click.option(
    "--status",
    "-s",
    type=UPDATE_STATUSES,
    required=True,
    help="The update's status (an incident's, or a maintenance's).",
)
@click.option(
    "--component",
    "-c",
    "components",
    multiple=True,
    metavar="ID=STATUS",
    help="A component change this update makes: the component has STATUS from this "
    "update on (a component not yet affected joins the incident). Repeatable.",
)
@message_options
@AT_OPTION
@COMMIT_OPTION
@ROOT_OPTION
@reports_errors
def update(
    event_id: str,
    status: str,
    components: tuple[str, ...],
    message: str | None,
    template: str | None,
    at: datetime | None,
    commit: bool,
    root: Path,
) -> None:
    """Post an update to an incident or maintenance (newest first in the file)."""
    from statusgen.site.assembly import site_config
    from statusgen.workflow.authoring import Author

    repo = _repository_for(root, commit)
    change = Author(root, site_config(root)).update(
        event_id,
        status,
        message=_message(message, template),
        at=at,
        components=list(components),
    )
    _written(repo, change)


@main.command(short_help="Resolve an incident, or complete a maintenance.")
@click.argument("event_id", metavar="ID")
@message_options
@AT_OPTION
@COMMIT_OPTION
@ROOT_OPTION
@reports_errors
def resolve(
    event_id: str,
    message: str | None,
    template: str | None,
    at: datetime | None,
    commit: bool,
    root: Path,
) -> None:
    """Resolve an incident, or complete a maintenance."""
    from statusgen.site.assembly import site_config
    from statusgen.workflow.authoring import Author

    repo = _repository_for(root, commit)
    change = Author(root, site_config(root)).resolve(
        event_id, message=_message(message, template), at=at
    )
    _written(repo, change)


@main.command(short_help="Append a blameless postmortem draft.")
@click.argument("event_id", metavar="ID")
@COMMIT_OPTION
@ROOT_OPTION
@reports_errors
def postmortem(event_id: str, commit: bool, root: Path) -> None:
    """Append a blameless postmortem draft, with the timeline filled in, to complete."""
    from statusgen.site.assembly import site_config
    from statusgen.workflow.authoring import Author

    repo = _repository_for(root, commit)
    _written(repo, Author(root, site_config(root)).postmortem(event_id))


@main.command(short_help="Propose an incident from a monitoring alert.")
@click.argument("payload", metavar="[FILE|-]", type=click.File("rb"), default="-")
@click.option(
    "--source",
    type=click.Choice(sorted(FORMATS)),
    default=None,
    help="The payload's format (default: recognised from its shape).",
)
@click.option(
    "--publish",
    is_flag=True,
    help="Commit on the current branch instead of status/<id> (automatic acknowledgement).",
)
@AT_OPTION
@ROOT_OPTION
@reports_errors
def alert(
    payload: BinaryIO, source: str | None, publish: bool, at: datetime | None, root: Path
) -> None:
    """Turn a monitoring webhook payload (FILE, or - for stdin) into a proposed change:
    firing alerts open an incident on their components; later payloads of the same
    alerts change it only when a component's status changes.

    Alerts are routed by the 'alerts' matchers of components.yml. The change is
    committed on a branch status/<id> for a pull request (or, with --publish, on the
    current branch). Replaying a payload changes nothing.
    """
    from statusgen.site.assembly import site_config
    from statusgen.workflow.alerts.run import run_alert

    name = str(getattr(payload, "name", "-"))
    where = "standard input" if name in ("-", "<stdin>") else name
    moment = (at or datetime.now(UTC)).replace(microsecond=0)
    run = run_alert(root, site_config(root), payload.read(), where, source, moment, publish=publish)
    _report_alerts(run)
    if run.change is None:
        pending = f" (on branch {run.branch}, checked out)" if run.branch else ""
        click.echo(
            f"Nothing to change: the repository already says what these alerts say{pending}",
            err=True,
        )
        return
    click.echo(os.path.relpath(run.change.path))
    click.echo(f"Committed on branch {run.branch}: {run.change.summary}", err=True)


def _report_alerts(run: AlertRun) -> None:
    """What each alert of the payload was taken to mean, on stderr."""
    from statusgen.workflow.alerts.routing import SEVERITY_LABEL

    click.echo(f"{counted(len(run.routed), 'alert', 'alerts')} ({run.source})", err=True)
    for routed in run.routed:
        line = f"  {routed.alert.describe()}: "
        if not routed.components:
            labels = ", ".join(f"{k}={v}" for k, v in sorted(routed.alert.labels.items()))
            line += f"matches no component (labels {labels}): add a matcher under 'alerts:'"
            line += " in components.yml"
        else:
            line += f"{', '.join(routed.components)} {routed.status.value}"
            if not routed.severity_known:
                severity = routed.alert.labels.get(SEVERITY_LABEL)
                what = f"severity '{severity}' is not mapped" if severity else "no severity"
                line += f" ({what}: the mildest of alert_severities)"
        click.echo(line, err=True)


@main.command(short_help="List the message templates.")
@ROOT_OPTION
@reports_errors
def templates(root: Path) -> None:
    """List the message templates: the repository's templates/ first, then the defaults."""
    config = read_site_config(root)
    found = available_templates(root, config.language)
    width = max((len(name) for name in found), default=0) + 2
    for name, template in found.items():
        click.echo(f"{name:<{width}}{template.origin:<14}{template.summary}")


@main.command(short_help="Show what a change does to the public page.")
@click.argument("base")
@click.argument("head", required=False)
@click.option(
    "--worktree",
    is_flag=True,
    help="Compare BASE with the files as they are in the working tree, uncommitted "
    "changes included (instead of HEAD).",
)
@ROOT_OPTION
@NOW_OPTION
@AUDIENCE_OPTION
@reports_errors
def diff(
    base: str,
    head: str | None,
    worktree: bool,
    root: Path,
    now: datetime | None,
    audience: str | None,
) -> None:
    """Show, in Markdown, what the change from BASE to HEAD does to the public page (or,
    with --audience, to that audience's view, marking what only it sees).

    Revisions are read from git objects: nothing is checked out, and uncommitted changes
    are not compared unless --worktree is given.
    """
    from statusgen.view.site_view import site_view
    from statusgen.workflow.diff import compare, render_markdown
    from statusgen.workflow.gitrepo import RevisionSource, open_repository, uncommitted_content

    if worktree and head is not None:
        raise click.UsageError("give HEAD or --worktree, not both")
    repo = open_repository(root)
    sources: list[tuple[str, Path | RevisionSource]] = [
        (f"revision {base}", RevisionSource(repo, base, root))
    ]
    if worktree:
        sources.append(("the working tree", root))
    else:
        head = head or "HEAD"
        sources.append((f"revision {head}", RevisionSource(repo, head, root)))
        uncommitted = uncommitted_content(repo, root) if head == "HEAD" else []
        if uncommitted:
            click.echo(
                f"Not compared, not committed: {', '.join(uncommitted)} "
                f"(statusgen diff {base} --worktree compares the working tree).",
                err=True,
            )
    sites: list[Site] = []
    for label, source in sources:
        try:
            site = load_site(source)
        except ContentErrors as errors:
            raise StatusgenError(f"{label} has errors:\n{errors}") from None
        # The head must declare the audience; a base that does not (the change declares
        # it) is compared as its public view: it restricted nothing to that audience.
        is_base = not sites
        shown = None if is_base and audience not in site.audiences else audience
        sites.append(site_view(site, audience=shown))
    moment = now or datetime.now(UTC)
    change = compare(sites[0], sites[1], moment, read_site_config(root).url or "")
    click.echo(render_markdown(change, base, head or "working tree", moment), nl=False)


@main.command(short_help="Tell subscribers what changed, exactly once.")
@click.option("--since", required=True, help="The revision last notified (the previous deploy).")
@click.option("--until", default="HEAD", show_default=True, help="The revision to notify up to.")
@click.option("--dry-run", is_flag=True, help="Print each message and its targets; send nothing.")
@ROOT_OPTION
@NOW_OPTION
@reports_errors
def notify(since: str, until: str, dry_run: bool, root: Path, now: datetime | None) -> None:
    """Tell subscribers what changed between two revisions, exactly once.

    Targets come from STATUSGEN_NOTIFY_URLS (or the file STATUSGEN_NOTIFY_CONFIG); what
    was delivered is recorded on the branch statusgen/notifications. Exits 1 when a
    target failed: the next run delivers what it missed.
    """
    from statusgen.workflow.notify.run import NotifyRun

    run = NotifyRun(root, since, until, now or datetime.now(UTC))
    if not run.targets:
        click.echo(
            "no notification targets: set STATUSGEN_NOTIFY_URLS or STATUSGEN_NOTIFY_CONFIG",
            err=True,
        )
    if dry_run:
        for preview in run.preview():
            click.echo(f"== {preview.notice.key} → {', '.join(preview.targets) or 'no target'}")
            click.echo(f"{preview.message.title}\n\n{preview.message.body}\n")
        notices = counted(len(run.notices), "notice", "notices")
        click.echo(
            f"{notices}, {counted(len(run.targets), 'target', 'targets')} (dry run)", err=True
        )
        return
    report = run.send()
    for key, target in report.sent:
        click.echo(f"sent {key} to {target}")
    click.echo(
        f"{len(report.sent)} sent, {report.skipped} already delivered, {len(report.failed)} failed",
        err=True,
    )
    if report.failed:
        for key, target in report.failed:
            click.echo(f"failed: {key} to {target} (the next run retries it)", err=True)
        sys.exit(1)


@main.command(short_help="List incidents whose update is overdue; remind the team.")
@ROOT_OPTION
@NOW_OPTION
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="text: one line per incident; github: GitHub Actions annotations.",
)
@reports_errors
def remind(root: Path, now: datetime | None, output_format: str) -> None:
    """List active incidents whose next update is overdue (update_every), and tell the
    team once per quiet period.

    The team is every target of STATUSGEN_NOTIFY_URLS prefixed with @team; what was sent
    is recorded in the ledger (branch statusgen/notifications). Exits 1 when an incident
    is overdue.
    """
    from statusgen.site.assembly import site_config
    from statusgen.workflow.reminders import remind as remind_team

    site = load_site(root)
    config = site_config(root)
    moment = now or datetime.now(UTC)
    if config.update_every == 0:
        click.echo("update_every is 0 in mkdocs.yml: no update is ever overdue", err=True)
        return
    result = remind_team(root, site, config, moment)
    for notice in result.notices:
        state = notice.state
        drill = " (a drill)" if state.event.is_drill else ""
        line = (
            f"{state.id}{drill}: update overdue since {format_timestamp(notice.at)} (latest "
            f"update {format_timestamp(state.updated_at)}, update_every {config.update_every} "
            "min)"
        )
        if output_format == "github":
            error = ContentError(state.event.source.path, state.last_update.line, line)
            click.echo(_github_annotation(root, error, "warning"))
        else:
            click.echo(line)
    for key, target in result.report.sent:
        click.echo(f"reminded {target} of {key}", err=True)
    for key, target in result.report.failed:
        click.echo(f"failed: {key} to {target} (the next run retries it)", err=True)
    if result.notices and not result.targets:
        click.echo("no @team target in STATUSGEN_NOTIFY_URLS: nobody was reminded", err=True)
    if result.notices or result.report.failed:
        sys.exit(1)
    click.echo(f"No update overdue at {format_timestamp(moment)}", err=True)


@main.command(short_help="Create a new status repository, ready to push.")
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default=".", required=False
)
@click.option("--force", is_flag=True, help="Overwrite files that exist already.")
@click.option(
    "--language",
    type=click.Choice(template_languages()),
    default="en",
    show_default=True,
    help="The site's language and that of the message templates.",
)
@click.option(
    "--from",
    "source",
    metavar="PATH_OR_URL",
    help="Install statusgen from this wheel, source folder or URL (git+https://…) "
    "in requirements.txt, instead of from the package index.",
)
@reports_errors
def init(directory: Path, force: bool, language: str, source: str | None) -> None:
    """Create a status repository in DIRECTORY (default: here), ready to push.

    The workflows publish the branch checked out there (main in a new repository)."""
    from statusgen.workflow.scaffold import SCAFFOLD_BRANCH, current_branch, init_repository

    branch = current_branch(directory) or SCAFFOLD_BRANCH
    written = init_repository(
        directory, force=force, language=language, source=source, branch=branch
    )
    for path in written:
        click.echo(os.path.relpath(path))
    if branch != SCAFFOLD_BRANCH:
        click.echo(
            f"\nThe workflows publish the branch '{branch}', the one checked out: "
            "change 'branches:' in .github/workflows/deploy.yml if another one publishes.",
            err=True,
        )
    click.echo(
        f"\nNext: edit components.yml and mkdocs.yml (site_name, site_url), delete the "
        f"example in incidents/, then: statusgen serve --root {directory}",
        err=True,
    )


@main.command(short_help="Print JSON Schemas for editors.")
@click.argument("kind", type=click.Choice(sorted(SCHEMAS)), required=False)
def schema(kind: str | None) -> None:
    """Print a JSON Schema for editors: 'components' (components.yml) or 'incident'
    (the frontmatter of incident files). Without KIND, both, keyed by name."""
    if kind is None:
        document: Any = {name: build() for name, build in sorted(SCHEMAS.items())}
    else:
        document = SCHEMAS[kind]()
    click.echo(json.dumps(document, indent=2))


# Drills ----------------------------------------------------------------------------------


@main.group(short_help="Rehearse the incident process, and measure it.")
def drill() -> None:
    """Rehearse the incident process on a drill branch, and measure it (docs/drills.md)."""


@drill.command("start", short_help="Start a drill on a new branch and print its brief.")
@click.argument("scenario", required=False)
@click.option("--at", type=Timestamp(), default=None, help="When the drill starts (default: now).")
@ROOT_OPTION
@reports_errors
def drill_start(scenario: str | None, at: datetime | None, root: Path) -> None:
    """Start a drill on a new branch drill/<date>-<SCENARIO> and print its brief.

    Without SCENARIO, the drill has no brief: the facilitator brings one.
    """
    from statusgen.site.assembly import site_config
    from statusgen.workflow.drills.branch import start_drill
    from statusgen.workflow.drills.scenarios import find_scenario, render_brief

    language = site_config(root).language
    chosen = find_scenario(root, language, scenario) if scenario is not None else None
    started = start_drill(root, chosen, at or datetime.now(UTC))
    click.echo(render_brief(chosen, started.branch))
    click.echo(f"Started drill on branch {started.branch}", err=True)


@drill.command("list", short_help="List the drill scenarios.")
@ROOT_OPTION
@reports_errors
def drill_list(root: Path) -> None:
    """List the drill scenarios: the repository's drills/ first, then the defaults."""
    from statusgen.site.assembly import site_config
    from statusgen.workflow.drills.scenarios import list_scenarios

    scenarios = list_scenarios(root, site_config(root).language)
    width = max((len(s.name) for s in scenarios), default=0) + 2
    for scenario in scenarios:
        click.echo(f"{scenario.name:<{width}}{scenario.origin:<14}{scenario.summary}")


@drill.command("report", short_help="Report the drill on a branch, in Markdown.")
@click.argument("branch", required=False)
@click.option("--save", is_flag=True, help="Also write it to drills/reports/<branch>.md.")
@ROOT_OPTION
@reports_errors
def drill_report(branch: str | None, save: bool, root: Path) -> None:
    """Report the drill on BRANCH (default: the current branch) in Markdown: the time to
    acknowledge, each interval against update_every, the time to resolution, the
    postmortem, the templates used and the largest silence, compared with earlier drills."""
    from statusgen.site.assembly import site_config
    from statusgen.workflow.drills.branch import drill_branch
    from statusgen.workflow.drills.report import read_report, render_report, save_report

    name = drill_branch(root, branch)
    text = render_report(read_report(root, name, site_config(root).update_every))
    click.echo(text, nl=False)
    if save:
        click.echo(f"Saved {os.path.relpath(save_report(root, name, text))}", err=True)


@drill.command("end", short_help="End the drill on a branch: print how to clean up.")
@click.argument("branch", required=False)
@ROOT_OPTION
@reports_errors
def drill_end(branch: str | None, root: Path) -> None:
    """End the drill on BRANCH (default: the current branch): nothing is deleted; it
    prints how to keep the report and remove the branch."""
    from statusgen.workflow.drills.branch import drill_branch, end_instructions

    click.echo(end_instructions(root, drill_branch(root, branch)))


# Moving in ---------------------------------------------------------------------------------

FORCE_OPTION = click.option("--force", is_flag=True, help="Replace files that exist already.")


@main.group("import", short_help="Move another status page in, with its history.")
def import_() -> None:
    """Import the components and history of another status page (Statuspage, cState,
    Statusfy) as FORMAT.md files. Everything is validated before anything is written."""


@import_.command("statuspage", short_help="Import an Atlassian Statuspage page.")
@click.argument("source")
@click.option(
    "--csv",
    "history",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="An export of the incident history, for incidents older than the API returns.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=READ_TIMEOUT,
    show_default=True,
    help="Seconds to wait for each answer of the server.",
)
@FORCE_OPTION
@ROOT_OPTION
@reports_errors
def import_statuspage(
    source: str, history: Path | None, timeout: float, force: bool, root: Path
) -> None:
    """Import an Atlassian Statuspage page, from its API or saved documents.

    SOURCE: the page's API address (https://status.example.com/api/v2/) or a folder
    holding summary.json, components.json, incidents.json, scheduled-maintenances.json."""
    from statusgen.workflow.importers.documents import open_documents
    from statusgen.workflow.importers.statuspage import DOCUMENTS as STATUSPAGE_DOCUMENTS
    from statusgen.workflow.importers.statuspage import read_statuspage
    from statusgen.workflow.importers.writer import write_draft

    if "://" in source:
        with click.progressbar(
            length=len(STATUSPAGE_DOCUMENTS), label="Fetching", file=sys.stderr
        ) as bar:
            documents = open_documents(source, lambda _: bar.update(1), timeout)
            draft = read_statuspage(documents, history)
    else:
        draft = read_statuspage(open_documents(source), history)
    _imported(write_draft(draft, root, force=force), draft, root)


@import_.command("cstate", short_help="Import a cState site.")
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
@FORCE_OPTION
@ROOT_OPTION
@reports_errors
def import_cstate(directory: Path, force: bool, root: Path) -> None:
    """Import a cState site.

    DIRECTORY: the cState (Hugo) site, with its config.yml and content/issues/."""
    from statusgen.workflow.importers.cstate import read_cstate
    from statusgen.workflow.importers.writer import write_draft

    draft = read_cstate(directory)
    _imported(write_draft(draft, root, force=force), draft, root)


@import_.command("statusfy", short_help="Import a Statusfy site, in one language.")
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--language", default=None, help="Which language's incidents (default: defaultLocale)."
)
@FORCE_OPTION
@ROOT_OPTION
@reports_errors
def import_statusfy(directory: Path, language: str | None, force: bool, root: Path) -> None:
    """Import a Statusfy site, in one of its languages.

    DIRECTORY: the Statusfy site, with its config and content/ folder."""
    from statusgen.workflow.importers.statusfy import read_statusfy
    from statusgen.workflow.importers.writer import write_draft

    draft = read_statusfy(directory, language)
    _imported(write_draft(draft, root, force=force), draft, root)


def _imported(result: ImportResult, draft: Draft, root: Path) -> None:
    for path in result.written:
        click.echo(os.path.relpath(path))
    click.echo(
        f"\nImported from {draft.source}: {result.components} components, "
        f"{result.incidents} incidents, {result.maintenances} maintenance.",
        err=True,
    )
    for note in result.notes:
        click.echo(f"- {note}", err=True)
    click.echo(
        f"Next: statusgen validate --root {root}, then statusgen serve --root {root}", err=True
    )
