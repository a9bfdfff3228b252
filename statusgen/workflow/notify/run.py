"""One ``statusgen notify`` run: the notices between two revisions, sent to each target
that wants them and has not had them, and the ledger saved for the next run."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from statusgen.content.config import read_site_config
from statusgen.content.loader import load_site
from statusgen.core.timestamps import format_timestamp
from statusgen.render.i18n import Language
from statusgen.view.drills import drills_view, has_drills
from statusgen.workflow.gitrepo import RevisionSource, open_repository
from statusgen.workflow.notices import Notice, find_notices
from statusgen.workflow.notify.channels import Target, WebhookPayloads, wants
from statusgen.workflow.notify.ledger import GitLedgerStore, Ledger
from statusgen.workflow.notify.messages import Composer, Message
from statusgen.workflow.notify.targets import read_targets


@dataclass
class Report:
    sent: list[tuple[str, str]] = field(default_factory=list)
    """(notice key, target description) of each delivery."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0
    """Deliveries the ledger says were made already."""


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


class NotifyRun:
    """The notices from ``since`` to ``until`` of the repository at ``root``, at ``now``.

    :raises StatusgenError: when a revision has errors, the ledger cannot be read or a
        target is wrong.
    """

    def __init__(self, root: Path, since: str, until: str, now: datetime) -> None:
        repo = open_repository(root)
        base_all = load_site(RevisionSource(repo, since, root))
        head_all = load_site(RevisionSource(repo, until, root))
        # Subscribers' notices come from the sites without drills; the notices of drills,
        # for the targets bound to drills, from the whole sites.
        base = drills_view(base_all, drills=False)
        head = drills_view(head_all, drills=False)
        config = read_site_config(root)
        self.until, self.now = until, now
        self.store = GitLedgerStore(repo)
        self.ledger = self.store.load()
        last_run, pending = self.ledger.last_run, self.ledger.pending
        self.notices = find_notices(base, head, now, last_run, pending)
        if has_drills(head_all):
            self.notices += [
                notice
                for notice in find_notices(base_all, head_all, now, last_run, pending)
                if notice.state.event.is_drill
            ]
        self.targets = read_targets(
            head.catalog,
            WebhookPayloads(head, config, now),
            WebhookPayloads(head_all, config, now),
        )
        self.composer = Composer(head.catalog, config, Language(config.language))

    def preview(self) -> Iterator[Preview]:
        """Each notice's message and the targets still owed it; nothing is sent."""
        for notice in self.notices:
            owed = [
                t.description
                for t in self.targets
                if wants(t, notice) and not self.ledger.has(t, notice)
            ]
            yield Preview(notice, self.composer.message(notice), owed)

    def send(self) -> Report:
        """Deliver what is owed and save the ledger (failures stay pending)."""
        report = deliver(self.notices, self.targets, self.composer, self.ledger)
        self.ledger.last_run = self.now
        self.ledger.pending = {key for key, _ in report.failed}
        self.store.save(
            self.ledger, f"Notifications up to {self.until} at {format_timestamp(self.now)}"
        )
        return report
