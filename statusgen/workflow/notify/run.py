"""One ``statusgen notify`` run: the notices between two revisions, sent to each target
that wants them and has not had them, and the ledger saved for the next run."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from statusgen.content.config import SiteConfig, read_site_config
from statusgen.content.loader import load_site
from statusgen.core.model import Site
from statusgen.core.timestamps import format_timestamp
from statusgen.render.i18n import Language
from statusgen.view.drills import has_drills
from statusgen.view.site_view import site_view
from statusgen.workflow.gitrepo import RevisionSource, open_repository
from statusgen.workflow.notices import Notice, find_notices
from statusgen.workflow.notify.channels import Target, WebhookPayloads, wants
from statusgen.workflow.notify.ledger import GitLedgerStore, Ledger
from statusgen.workflow.notify.messages import Composer, Message
from statusgen.workflow.notify.targets import TargetView, read_targets


@dataclass
class Report:
    sent: list[tuple[str, str]] = field(default_factory=list)
    """(notice key, target description) of each delivery."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0
    """Deliveries the ledger says were made already."""

    def add(self, other: Report) -> None:
        """Count ``other`` (another view's deliveries) in this report."""
        self.sent += other.sent
        self.failed += other.failed
        self.skipped += other.skipped


def deliver(
    notices: Sequence[Notice],
    targets: Sequence[Target],
    composer: Composer,
    ledger: Ledger,
) -> Report:
    """Send each notice to each target that wants it and has not had it; record each
    success in ``ledger``. A failing target does not stop the others."""
    report = Report()
    for notice in notices:
        message = composer.message(notice)
        for target in targets:
            if not wants(target, notice):
                continue
            if ledger.has(target, notice):
                report.skipped += 1
                continue
            if target.send(notice, message):
                ledger.record(target, notice)
                report.sent.append((notice.key, target.description))
            else:
                report.failed.append((notice.key, target.description))
    return report


@dataclass(frozen=True, slots=True)
class Preview:
    """What a dry run shows of one notice: its message and the targets it would go to."""

    notice: Notice
    message: Message
    targets: list[str]


class _ViewRun:
    """What one audience's view (None: the public's) tells its targets: its notices, its
    messages and its webhook payloads, all made from the view, so that no target hears
    of what it may not see. Subscribers' notices come from the view without drills; the
    notices of drills, for the targets bound to drills, from the view with them."""

    def __init__(
        self,
        base: Site,
        head: Site,
        audience: str | None,
        config: SiteConfig,
        now: datetime,
        ledger: Ledger,
    ) -> None:
        base_all = site_view(base, audience=audience, drills=True)
        head_all = site_view(head, audience=audience, drills=True)
        base, head = site_view(base, audience=audience), site_view(head, audience=audience)
        last_run, pending = ledger.last_run, ledger.pending
        self.notices = find_notices(base, head, now, last_run, pending)
        if has_drills(head_all):
            self.notices += [
                notice
                for notice in find_notices(base_all, head_all, now, last_run, pending)
                if notice.state.event.is_drill
            ]
        self.targets = TargetView(
            head.catalog, WebhookPayloads(head, config, now), WebhookPayloads(head_all, config, now)
        )
        self.composer = Composer(head.catalog, config, Language(config.language))


class NotifyRun:
    """The notices from ``since`` to ``until`` of the repository at ``root``, at ``now``:
    those of the public view for the public's targets, those of an audience's view for
    the targets bound to it.

    :raises StatusgenError: when a revision has errors, the ledger cannot be read or a
        target is wrong.
    """

    def __init__(self, root: Path, since: str, until: str, now: datetime) -> None:
        repo = open_repository(root)
        base = load_site(RevisionSource(repo, since, root))
        head = load_site(RevisionSource(repo, until, root))
        config = read_site_config(root)
        self.until, self.now = until, now
        self.store = GitLedgerStore(repo)
        self.ledger = self.store.load()
        self.views: dict[str | None, _ViewRun] = {}

        def view_of(audience: str | None) -> TargetView:
            if audience not in self.views:
                self.views[audience] = _ViewRun(base, head, audience, config, now, self.ledger)
            return self.views[audience].targets

        view_of(None)  # the public's notices, shown by a dry run even without a target
        self.targets = read_targets(view_of)

    @property
    def notices(self) -> list[Notice]:
        """Every view's notices (the same event may be told to several audiences)."""
        return [notice for view in self.views.values() for notice in view.notices]

    def _targets_of(self, audience: str | None) -> list[Target]:
        return [t for t in self.targets if t.audience == audience]

    def preview(self) -> Iterator[Preview]:
        """Each notice's message and the targets still owed it; nothing is sent."""
        for audience, view in self.views.items():
            targets = self._targets_of(audience)
            for notice in view.notices:
                owed = [
                    t.description
                    for t in targets
                    if wants(t, notice) and not self.ledger.has(t, notice)
                ]
                yield Preview(notice, view.composer.message(notice), owed)

    def send(self) -> Report:
        """Deliver what is owed and save the ledger (failures stay pending)."""
        report = Report()
        for audience, view in self.views.items():
            report.add(
                deliver(view.notices, self._targets_of(audience), view.composer, self.ledger)
            )
        self.ledger.last_run = self.now
        self.ledger.pending = {key for key, _ in report.failed}
        self.store.save(
            self.ledger, f"Notifications up to {self.until} at {format_timestamp(self.now)}"
        )
        return report
