"""``statusgen remind``: active incidents whose next update is overdue, and the team told.

An incident goes quiet when its latest published update is older than ``update_every``
minutes. The team's targets (``@team`` in ``STATUSGEN_NOTIFY_URLS``) are told once per
quiet period: the reminder's key names the latest update, and the delivery ledger keeps
it, so the scheduled runs that follow send nothing more until the next update, and then
only if that one is followed by silence too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from statusgen.content.config import SiteConfig
from statusgen.core.model import Site
from statusgen.core.timestamps import format_timestamp
from statusgen.render.i18n import Language
from statusgen.state.cadence import next_update_due
from statusgen.state.page import derive
from statusgen.view.site_view import site_view
from statusgen.workflow.gitrepo import open_repository
from statusgen.workflow.notices import Notice, overdue_notice
from statusgen.workflow.notify.channels import WebhookPayloads
from statusgen.workflow.notify.ledger import GitLedgerStore
from statusgen.workflow.notify.messages import Composer
from statusgen.workflow.notify.run import Report, deliver
from statusgen.workflow.notify.targets import TargetView, read_targets


def overdue(site: Site, config: SiteConfig, now: datetime) -> list[Notice]:
    """The reminders due at ``now``, the most overdue first. Drills are rehearsals of
    the same process: theirs go to the team's targets that are bound to drills too."""
    state = derive(site, now)
    found = []
    for incident in state.active_incidents:
        due = next_update_due(incident, config.update_every)
        if due is not None and now > due:
            found.append(overdue_notice(incident, due))
    return sorted(found, key=lambda n: (n.at, n.key))


@dataclass(frozen=True, slots=True)
class Reminders:
    notices: list[Notice]
    report: Report
    targets: int
    """How many targets are bound to the team."""


def remind(root: Path, site: Site, config: SiteConfig, now: datetime) -> Reminders:
    """Tell the team's targets about every overdue incident they were not told about
    yet, and record it in the ledger (saved only when something was sent). git is
    needed only then: listing works in any folder."""
    notices = overdue(site, config, now)
    views: dict[str | None, Site] = {}  # what each audience's targets may be told about

    def view_of(audience: str | None) -> TargetView:
        shown = views[audience] = site_view(site, audience=audience, drills=True)
        public = site_view(site, audience=audience)
        return TargetView(
            public.catalog,
            WebhookPayloads(public, config, now),
            WebhookPayloads(shown, config, now),
        )

    targets = [t for t in read_targets(view_of) if t.team]
    report = Report()
    if notices and targets:
        store = GitLedgerStore(open_repository(root))
        ledger = store.load()
        for audience, view in views.items():
            bound = [t for t in targets if t.audience == audience]
            if not bound:
                continue
            composer = Composer(view.catalog, config, Language(config.language))
            report.add(deliver(overdue(view, config, now), bound, composer, ledger))
        if report.sent:
            store.save(ledger, f"Reminders at {format_timestamp(now)}")
    return Reminders(notices, report, len(targets))
