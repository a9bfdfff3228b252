"""Telling subscribers, on their channels, exactly once.

Targets come from a secret, never from the repository: ``STATUSGEN_NOTIFY_URLS`` holds
apprise's text configuration (one URL a line; ``api,webhooks=URL`` limits a target to
those components; ``#`` starts a comment), or ``STATUSGEN_NOTIFY_CONFIG`` names a file
with that content. apprise delivers to e-mail, Slack, Discord, Teams, Mattermost,
Telegram, ntfy, Pushover, SMS gateways and plain webhooks. A URL starting with
``statuspage+https://`` (or ``statuspage+http://``) receives the Statuspage
subscriber-webhook payload instead, so that existing receivers work unchanged.

What was delivered to whom is recorded in a ledger kept in git, on the branch
``statusgen/notifications`` (file ``delivered.json``; targets are known only by a hash
of their URL, never the URL): a rerun sends nothing twice, and a run that failed
half-way is completed by the next one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tempfile
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit, urlunsplit

import apprise
import git

from statusgen.content.config import SiteConfig
from statusgen.core.errors import StatusgenError, did_you_mean
from statusgen.core.model import Catalog, Maintenance, MaintenanceStatus
from statusgen.core.timestamps import format_timestamp, isoformat, parse_timestamp
from statusgen.render.i18n import Language
from statusgen.render.statuspage import StatuspageDocuments
from statusgen.render.urls import incident_path, postmortem_path
from statusgen.state.events import event_state
from statusgen.state.page import PageState
from statusgen.workflow.notices import Notice, NoticeKind

URLS_VARIABLE = "STATUSGEN_NOTIFY_URLS"
CONFIG_VARIABLE = "STATUSGEN_NOTIFY_CONFIG"
LEDGER_BRANCH = "statusgen/notifications"
LEDGER_FILE = "delivered.json"
WEBHOOK_PREFIX = "statuspage+"
WEBHOOK_TIMEOUT = 10

# "tag1, tag2 = URL" or "URL": tags come before the first "=" that precedes "://".
_LINE = re.compile(r"(?:(?P<tags>[^=:/]*?)\s*=\s*)?(?P<url>[A-Za-z][\w+.-]*://\S+)")


# Messages ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Message:
    """What a notice says. The body is Markdown: apprise sends it as HTML by e-mail and
    as plain text to chat and SMS."""

    title: str
    body: str


class Composer:
    """Writes the message of each notice: title and status, the update's text, the
    affected components, the link to the page."""

    def __init__(self, catalog: Catalog, config: SiteConfig, language: Language) -> None:
        self.catalog, self.config, self.language = catalog, config, language

    def message(self, notice: Notice) -> Message:
        event = notice.state.event
        language = self.language
        if notice.kind is NoticeKind.POSTMORTEM_PUBLISHED:
            what = language.gettext("Postmortem")
            link = postmortem_path(event.id)
        else:
            status = notice.update.status if notice.update else _WINDOW_STATUS[notice.kind]
            what = language.label(status)
            link = incident_path(event.id)
        parts = []
        if notice.update is not None and notice.update.body:
            parts.append(notice.update.body)
        if isinstance(event, Maintenance):
            window = (
                f"{format_timestamp(event.scheduled_start)} → "
                f"{format_timestamp(event.scheduled_end)}"
            )
            parts.append(f"{language.gettext('Window:')} {window}")
        names = [self.catalog.component(c).name for c in event.components]
        if names:
            parts.append(f"{language.gettext('Affected:')} {', '.join(names)}")
        parts.append(self.config.absolute_url(link))
        return Message(title=f"{what}: {event.title}", body="\n\n".join(parts))


_WINDOW_STATUS = {
    NoticeKind.MAINTENANCE_STARTED: MaintenanceStatus.IN_PROGRESS,
    NoticeKind.MAINTENANCE_COMPLETED: MaintenanceStatus.COMPLETED,
}


# Targets -----------------------------------------------------------------------------


class Target(Protocol):
    """Somewhere to deliver notices."""

    id: str
    """A hash of the URL: what the ledger records (never the URL, which holds secrets)."""
    tags: frozenset[str]
    """Component ids it is limited to; empty for every notice."""
    description: str
    """The URL with its secrets hidden, for messages."""

    def send(self, notice: Notice, message: Message) -> bool:
        """Deliver; False (never an exception) when the target did not accept it."""
        ...


def wants(target: Target, notice: Notice) -> bool:
    """Whether the target asked for this notice: no tags, or a tag among its components."""
    return not target.tags or bool(target.tags & set(notice.component_ids))


def _target_id(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:16]


class AppriseTarget:
    """Any apprise URL: mailto://, slack://, discord://, ntfys://, json://, …"""

    def __init__(self, url: str, tags: frozenset[str]) -> None:
        self.apprise = apprise.Apprise()
        if not self.apprise.add(url):
            raise ValueError(f"'{_describe(url)}' is not a URL apprise understands")
        self.id, self.tags = _target_id(url), tags
        self.description = _describe(url, self.id, tags)

    def send(self, notice: Notice, message: Message) -> bool:
        return bool(
            self.apprise.notify(
                title=message.title, body=message.body, body_format=apprise.NotifyFormat.MARKDOWN
            )
        )


class StatuspageWebhook:
    """POSTs Statuspage's subscriber-webhook payload (``statuspage+https://…``)."""

    def __init__(self, url: str, tags: frozenset[str], state: PageState, config: SiteConfig):
        self.id, self.tags = _target_id(url), tags
        self.description = _describe(url, self.id, tags)
        parts = urlsplit(url[len(WEBHOOK_PREFIX) :])
        self.headers = {"Content-Type": "application/json", "User-Agent": "statusgen"}
        if parts.username is not None:
            credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            self.headers["Authorization"] = (
                "Basic " + base64.b64encode(credentials.encode()).decode()
            )
            # urllib does not read credentials from a URL: they go in the header instead.
            parts = parts._replace(netloc=parts.netloc.rpartition("@")[2])
        self.url = urlunsplit(parts)
        self.documents = StatuspageDocuments(state, config)
        self.state = state

    def payload(self, notice: Notice) -> dict[str, Any]:
        return {
            "meta": {
                "unsubscribe": None,
                "documentation": None,
                "generated_at": isoformat(notice.at),
            },
            "page": {
                "id": self.documents.config.page_id,
                "status_indicator": self.state.indicator.value,
                "status_description": self.state.description,
            },
            # The incident as it was when this notice happened, not as it is now: a run
            # that delivers several updates at once must not announce the last one thrice.
            "incident": self.documents.incident(
                event_state(notice.state.event, notice.at) or notice.state,
                postmortem_published=notice.kind is NoticeKind.POSTMORTEM_PUBLISHED,
            ),
        }

    def send(self, notice: Notice, message: Message) -> bool:
        request = urllib.request.Request(
            self.url,
            data=json.dumps(self.payload(notice)).encode(),
            headers=self.headers,
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:
                return bool(200 <= response.status < 300)
        except (urllib.error.URLError, OSError):
            return False


def read_targets(state: PageState, config: SiteConfig) -> list[Target]:
    """The targets of ``STATUSGEN_NOTIFY_URLS`` or of the file ``STATUSGEN_NOTIFY_CONFIG``.

    A prefix names components, or groups (meaning their components).

    :raises StatusgenError: for a line that is not a target or names an unknown
        component, with its line number.
    """
    text = os.environ.get(URLS_VARIABLE) or None
    where = URLS_VARIABLE
    if text is None and os.environ.get(CONFIG_VARIABLE):
        where = os.environ[CONFIG_VARIABLE]
        try:
            text = Path(where).read_text(encoding="utf-8")
        except OSError as error:
            raise StatusgenError(f"{CONFIG_VARIABLE}: {where}: {error.strerror}") from None
    targets: list[Target] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            raise StatusgenError(f"{where}, line {number}: expected 'URL' or 'component-id,…=URL'")
        names = [t.strip().lower() for t in (match["tags"] or "").split(",") if t.strip()]
        try:
            tags = _components_of(names, state.site.catalog)
            url = match["url"]
            if url.startswith(WEBHOOK_PREFIX):
                targets.append(StatuspageWebhook(url, tags, state, config))
            else:
                targets.append(AppriseTarget(url, tags))
        except ValueError as error:
            raise StatusgenError(f"{where}, line {number}: {error}") from None
    return targets


def _components_of(names: list[str], catalog: Catalog) -> frozenset[str]:
    component_ids = [c.id for c in catalog.components]
    found: set[str] = set()
    for name in names:
        members = [c.id for c in catalog.members(name)] if name in catalog.group_ids else []
        if members:
            found.update(members)
        elif name in component_ids:
            found.add(name)
        else:
            choices = [*component_ids, *catalog.group_ids]
            raise ValueError(
                f"unknown component or group '{name}'{did_you_mean(name, choices)} in the prefix"
            )
    return frozenset(found)


def _describe(url: str, target_id: str | None = None, tags: frozenset[str] = frozenset()) -> str:
    """A target in words that never show a secret: its scheme, its host, its ledger id and
    its components. (Tokens hide in paths, queries and user names, and job logs are often
    public.)"""
    parts = urlsplit(url)
    where = f"{parts.scheme}://{parts.hostname or '…'}"
    if target_id is None:
        return where
    limited = f", components {','.join(sorted(tags))}" if tags else ""
    return f"{where} (target {target_id}{limited})"


# The ledger --------------------------------------------------------------------------


@dataclass
class Ledger:
    """What was delivered to whom, when the last run happened, and what is still owed
    to a target that failed (the next run retries it, whatever its range)."""

    delivered: dict[str, set[str]] = field(default_factory=dict)
    last_run: datetime | None = None
    pending: set[str] = field(default_factory=set)

    def has(self, target: Target, notice: Notice) -> bool:
        return notice.key in self.delivered.get(target.id, set())

    def record(self, target: Target, notice: Notice) -> None:
        self.delivered.setdefault(target.id, set()).add(notice.key)

    def to_json(self) -> str:
        document = {
            "last_run": isoformat(self.last_run) if self.last_run else None,
            "pending": sorted(self.pending),
            "delivered": {t: sorted(keys) for t, keys in sorted(self.delivered.items())},
        }
        return json.dumps(document, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Ledger:
        document = json.loads(text)
        last_run = document.get("last_run")
        return cls(
            delivered={t: set(keys) for t, keys in document.get("delivered", {}).items()},
            last_run=parse_timestamp(last_run) if last_run else None,
            pending=set(document.get("pending", [])),
        )


class GitLedgerStore:
    """Keeps the ledger on its own branch, written with git objects (no checkout), so
    that the deploy workflow can push it and the next run, anywhere, reads it."""

    def __init__(self, repo: git.Repo) -> None:
        self.repo = repo

    def _head(self) -> git.Commit | None:
        for name in (LEDGER_BRANCH, f"origin/{LEDGER_BRANCH}"):
            try:
                return self.repo.commit(name)
            except (git.BadName, ValueError):
                continue
        return None

    def load(self) -> Ledger:
        head = self._head()
        if head is None:
            return Ledger()
        try:
            blob = head.tree / LEDGER_FILE
        except KeyError:
            return Ledger()
        try:
            return Ledger.from_json(blob.data_stream.read().decode())
        except (ValueError, KeyError, TypeError) as error:
            raise StatusgenError(
                f"{LEDGER_BRANCH}:{LEDGER_FILE} is not a statusgen ledger ({error}): "
                "fix or delete the branch"
            ) from None

    def save(self, ledger: Ledger, message: str) -> None:
        blob = self._git("hash-object", "-w", "--stdin", stdin=ledger.to_json())
        tree = self._git("mktree", stdin=f"100644 blob {blob}\t{LEDGER_FILE}\n")
        parent = self._head()
        arguments = [tree, "-m", message]
        if parent is not None:
            arguments += ["-p", parent.hexsha]
        # A machine's record: its own identity, so that it works where git has none set.
        identity = {
            f"GIT_{who}_{what}": value
            for who in ("AUTHOR", "COMMITTER")
            for what, value in (("NAME", "statusgen"), ("EMAIL", "statusgen@localhost"))
        }
        with self.repo.git.custom_environment(**identity):
            commit = self.repo.git.commit_tree(*arguments)
        self.repo.git.update_ref(f"refs/heads/{LEDGER_BRANCH}", commit)

    def _git(self, command: str, *arguments: str, stdin: str) -> str:
        """Run a git plumbing command with ``stdin`` (a real file: git reads its descriptor)."""
        with tempfile.TemporaryFile() as stream:
            stream.write(stdin.encode())
            stream.seek(0)
            output: str = self.repo.git.execute(
                ["git", command, *arguments], istream=stream, strip_newline_in_stdout=True
            )
        return output


# A run -------------------------------------------------------------------------------


@dataclass
class Report:
    sent: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0


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
