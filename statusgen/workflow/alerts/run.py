"""One ``statusgen alert`` run: a payload read, routed and planned, then written and
committed.

The change is committed on a branch ``status/<id>``, ready for a pull request that a
person approves; with ``publish``, on the current branch instead (teams that choose
automatic acknowledgement). An incident proposed by an earlier payload may still wait on
its branch (its pull request not merged yet): the alerts it covers are looked for on the
``status/*`` branches too (local, and ``origin``'s), and the change goes on that branch,
so that the same pull request follows the alerts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import git

from statusgen.content.config import SiteConfig
from statusgen.content.loader import load_site, read_site
from statusgen.core.errors import StatusgenError
from statusgen.core.model import Incident, IncidentStatus, Site
from statusgen.render.i18n import Language
from statusgen.state.page import derive
from statusgen.workflow.alerts.payloads import read_payload
from statusgen.workflow.alerts.planning import Plan, plan
from statusgen.workflow.alerts.routing import RoutedAlert, route
from statusgen.workflow.authoring import Author, Change, MessageChoice
from statusgen.workflow.gitrepo import (
    BRANCH_PREFIX,
    RevisionSource,
    check_can_commit,
    commit_file,
)
from statusgen.workflow.message_templates import TEMPLATES_DIR, MessageTemplate, render_template

#: A repository's own template for the titles of incidents that alerts open.
TITLE_TEMPLATE = "alert-title"

#: The message template of an update in which the alerts change components.
ALERT_CHANGED = "alert-changed"


@dataclass(frozen=True, slots=True)
class AlertRun:
    """What a run did, for the command's report."""

    source: str
    routed: list[RoutedAlert]
    plan: Plan | None
    change: Change | None
    branch: str | None
    """The branch committed on, or the pending one whose incident covers the alerts."""


def run_alert(
    root: Path,
    config: SiteConfig,
    payload: bytes,
    where: str,
    source: str | None,
    now: datetime,
    *,
    publish: bool,
) -> AlertRun:
    """Read the payload, and write and commit what it changes.

    :raises StatusgenError: for a payload that is not what ``source`` says, a repository
        with errors, or git refusing; nothing is written then.
    """
    name, alerts = read_payload(payload, where, source)
    repo = check_can_commit(root)
    site = load_site(root)
    routed = route(alerts, site.catalog, config.alert_severities)
    fingerprints = {r.alert.fingerprint for r in routed if r.components}
    pending = None
    if not publish and fingerprints and not _covers(site, fingerprints, now):
        pending = _pending_branch(repo, root, fingerprints, now)
        if pending is not None:
            _switch(repo, pending)
            site = load_site(root)
    proposal = plan(site, routed, now)
    if proposal is None:
        return AlertRun(name, routed, None, None, pending)
    change = _write(Author(root, config), root, config, site, proposal, now)
    branch = commit_file(
        repo, change.path, change.event_id, change.summary, change.template, branch_off=not publish
    )
    return AlertRun(name, routed, proposal, change, branch)


def _write(
    author: Author, root: Path, config: SiteConfig, site: Site, proposal: Plan, now: datetime
) -> Change:
    if proposal.incident is None:
        return author.new(
            _title(root, config, site, proposal),
            [f"{cid}={status.value}" for cid, status in proposal.components.items()],
            message=MessageChoice(),
            at=now,
            alerts=proposal.fingerprints,
        )
    incident = proposal.incident
    if proposal.fingerprints != incident.alerts or not proposal.components:
        covered = author.cover_alerts(incident.id, proposal.fingerprints)
        if not proposal.components:
            return covered
    # Monitoring says the components recover with its own template; any other update
    # says what the alerts changed.
    template = None if proposal.status is IncidentStatus.MONITORING else ALERT_CHANGED
    return author.update(
        incident.id,
        proposal.status.value,
        message=MessageChoice(template=template),
        at=now,
        components=[f"{cid}={status.value}" for cid, status in proposal.components.items()],
    )


def _title(root: Path, config: SiteConfig, site: Site, proposal: Plan) -> str:
    """The repository's ``templates/alert-title.md``, else the ``summary`` annotation of
    the worst alert, else its name."""
    worst = max(proposal.alerts, key=lambda r: r.status.severity).alert
    summary = worst.annotations.get("summary", "").strip()
    own = root / TEMPLATES_DIR / f"{TITLE_TEMPLATE}.md"
    if own.is_file():
        names = [site.catalog.component(c).name for c in proposal.components]
        values = {
            "summary": summary,
            "alertname": worst.name,
            "components": Language(config.language).format_list(names),
            "site": config.name,
        }
        template = MessageTemplate(TITLE_TEMPLATE, own, f"{TEMPLATES_DIR}/")
        return render_template(template, values)
    return summary or worst.name


def _covers(site: Site, fingerprints: set[str], now: datetime) -> bool:
    """Whether an active incident of ``site`` covers one of the fingerprints."""
    return any(
        isinstance(state.event, Incident) and fingerprints & set(state.event.alerts)
        for state in derive(site, now).active_incidents
    )


def _pending_branch(
    repo: git.Repo, root: Path, fingerprints: set[str], now: datetime
) -> str | None:
    """The ``status/*`` branch (local, or ``origin``'s) whose incident covers one of the
    fingerprints, the most recently committed first."""
    heads: Sequence[git.Reference] = [
        *repo.heads,
        *(repo.remotes.origin.refs if "origin" in repo.remotes else []),
    ]
    found: dict[str, datetime] = {}
    for ref in heads:
        name = ref.name.removeprefix("origin/")
        if not name.startswith(BRANCH_PREFIX):
            continue
        site, errors = read_site(RevisionSource(repo, ref.name, root))
        if site is not None and not errors and _covers(site, fingerprints, now):
            found.setdefault(name, ref.commit.committed_datetime)
    return max(found, key=lambda n: found[n], default=None)


def _switch(repo: git.Repo, branch: str) -> None:
    """Check out ``branch`` (from ``origin`` when it exists only there)."""
    try:
        repo.git.switch(branch)
    except git.GitCommandError as error:
        raise StatusgenError(
            f"the alerts belong to the incident on branch {branch}, which cannot be checked "
            f"out: {error.stderr.strip() or error}"
        ) from None
