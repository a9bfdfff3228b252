"""Sending a notice to a target: any apprise URL, or a Statuspage subscriber webhook.

apprise delivers to e-mail, Slack, Discord, Teams, Mattermost, Telegram, ntfy, Pushover,
SMS gateways and plain webhooks. A target is known by a hash of its URL and described
by its scheme and that hash only: secrets hide in every part of a URL (the host of
``ntfy://`` and ``tgram://``, paths, queries, user names), and job logs are often public.
For the same reason apprise's own log, which names hosts and URLs, is never shown.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import urllib.error
import urllib.request
from datetime import datetime
from functools import cached_property
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit, urlunsplit

import apprise

from statusgen.content.config import SiteConfig
from statusgen.core.model import Site
from statusgen.core.timestamps import isoformat
from statusgen.render.statuspage import StatuspageDocuments
from statusgen.state.events import event_state
from statusgen.state.page import derive
from statusgen.workflow.notices import Notice, NoticeKind
from statusgen.workflow.notify.messages import Message

WEBHOOK_PREFIX = "statuspage+"
WEBHOOK_TIMEOUT = 10

# apprise logs through the root logger's last-resort handler otherwise (on stderr).
logging.getLogger("apprise").addHandler(logging.NullHandler())
logging.getLogger("apprise").propagate = False


class Target(Protocol):
    """Somewhere to deliver notices."""

    id: str
    """A hash of the URL: what the ledger records (never the URL, which holds secrets)."""
    tags: frozenset[str]
    """Component ids it is limited to; empty for every notice."""
    drills: bool
    """Bound to drills (``@drills``): drill notices only, never a subscriber's notice."""
    team: bool
    """Bound to the team (``@team``): reminders only, never a subscriber's notice."""
    audience: str | None
    """The audience whose view it is told about (``[internal]``; None: the public)."""
    description: str
    """The URL with its secrets hidden, for messages."""

    def send(self, notice: Notice, message: Message) -> bool:
        """Deliver; False (never an exception) when the target did not accept it."""
        ...


def wants(target: Target, notice: Notice) -> bool:
    """Whether the target asked for this notice: a drill's notices go to the targets
    bound to drills only, the team's reminders to the team's targets only, the rest to
    everyone else's; then no tags, or a tag among its components."""
    if target.drills != notice.state.event.is_drill:
        return False
    if target.team != (notice.kind is NoticeKind.UPDATE_OVERDUE):
        return False
    return not target.tags or bool(target.tags & set(notice.component_ids))


def _target_id(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:16]


class AppriseTarget:
    """Any apprise URL: mailto://, slack://, discord://, ntfys://, json://, …"""

    def __init__(
        self,
        url: str,
        tags: frozenset[str],
        drills: bool = False,
        team: bool = False,
        audience: str | None = None,
    ) -> None:
        self.apprise = apprise.Apprise()
        if not self.apprise.add(url):
            raise ValueError(f"'{_scheme(url)}://…' is not a URL apprise understands")
        self.id, self.tags, self.drills, self.team = _target_id(url), tags, drills, team
        self.audience = audience
        self.description = _describe(url, self.id, tags, drills, team, audience)
        # E-mail and other HTML channels get statusgen's sanitised HTML: apprise's own
        # Markdown conversion would pass any HTML and javascript: link through.
        self.wants_html = self.apprise[0].notify_format == apprise.NotifyFormat.HTML

    def send(self, notice: Notice, message: Message) -> bool:
        if self.wants_html:
            body, body_format = message.html, apprise.NotifyFormat.HTML
        else:
            body, body_format = message.body, apprise.NotifyFormat.MARKDOWN
        return bool(self.apprise.notify(title=message.title, body=body, body_format=body_format))


class WebhookPayloads:
    """Statuspage's subscriber-webhook payloads for the notices of one run: the page's
    status at ``now`` and the incident as it was when the notice happened."""

    def __init__(self, head: Site, config: SiteConfig, now: datetime) -> None:
        self.head, self.config, self.now = head, config, now

    @cached_property
    def _documents(self) -> StatuspageDocuments:
        # Only a run with a webhook target reads the page's status.
        return StatuspageDocuments(derive(self.head, self.now), self.config)

    def payload(self, notice: Notice) -> dict[str, Any]:
        documents = self._documents
        return {
            "meta": {
                "unsubscribe": None,
                "documentation": None,
                "generated_at": isoformat(notice.at),
            },
            "page": {
                "id": self.config.page_id,
                "status_indicator": documents.state.indicator.value,
                "status_description": documents.state.description,
            },
            # The incident as it was when this notice happened, not as it is now: a run
            # that delivers several updates at once must not announce the last one thrice.
            "incident": documents.incident(
                event_state(notice.state.event, notice.at) or notice.state,
                postmortem_published=notice.kind is NoticeKind.POSTMORTEM_PUBLISHED,
            ),
        }


class StatuspageWebhook:
    """POSTs Statuspage's subscriber-webhook payload (``statuspage+https://…``)."""

    def __init__(
        self,
        url: str,
        tags: frozenset[str],
        payloads: WebhookPayloads,
        drills: bool = False,
        team: bool = False,
        audience: str | None = None,
    ) -> None:
        self.id, self.tags, self.drills, self.team = _target_id(url), tags, drills, team
        self.audience = audience
        self.description = _describe(url, self.id, tags, drills, team, audience)
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
        self.payloads = payloads

    def send(self, notice: Notice, message: Message) -> bool:
        request = urllib.request.Request(
            self.url,
            data=json.dumps(self.payloads.payload(notice)).encode(),
            headers=self.headers,
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:
                return bool(200 <= response.status < 300)
        except (urllib.error.URLError, OSError):
            return False


def _scheme(url: str) -> str:
    return url.partition("://")[0].lower()


def _describe(
    url: str,
    target_id: str,
    tags: frozenset[str],
    drills: bool = False,
    team: bool = False,
    audience: str | None = None,
) -> str:
    """A target in words that never show a secret: its scheme, its ledger id, whether it
    is bound to drills or to the team, its components and its audience
    (``ntfy:// (target 1a2b…)``)."""
    limited = f", components {','.join(sorted(tags))}" if tags else ""
    bound = (", drills" if drills else "") + (", the team" if team else "")
    viewer = f", audience {audience}" if audience else ""
    return f"{_scheme(url)}:// (target {target_id}{bound}{limited}{viewer})"
