"""``statusgen notify`` between real git commits, delivering to real servers.

Every message goes over a real connection on 127.0.0.1: e-mail through apprise's
``mailto://`` to an SMTP server (aiosmtpd), apprise's ``json://`` webhooks and the
Statuspage subscriber webhook (``statuspage+http://``) to an HTTP server, and a target on
a closed port that refuses connections until a server starts there. The status repository
is a real git repository whose commits tell one story: an incident opened, updated,
resolved and given a postmortem, and a maintenance scheduled whose window later runs
start and end by the clock (``--now``). Nothing is mocked in statusgen or apprise; only
apprise's pause between two e-mails to one server (5.5 s) is turned off to keep the
tests fast.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import random
import re
import string
import subprocess
import sys
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import apprise.plugins.base
import git
import jsonschema
import pytest
from click.testing import CliRunner, Result
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

from statusgen.cli import main
from statusgen.workflow.notify.ledger import LEDGER_BRANCH, LEDGER_FILE
from statusgen.workflow.notify.targets import CONFIG_VARIABLE, URLS_VARIABLE
from tests.conftest import RepoWriter, commit_all, init_git, write_files
from tests.servers import HttpServer, SmtpServer, free_port

pytestmark = pytest.mark.usefixtures("notify_environment")

JSON = dict[str, Any]

# The story ------------------------------------------------------------------------------

API = "2026-11-30-api-errors"
MAINTENANCE = "2026-12-01-database-upgrade"
DASHBOARD = "2026-11-10-slow-dashboard"

OLD_DASHBOARD = """\
---
title: Slow dashboard
impact: minor
components: [dashboard]
---

## 2026-11-10 10:30 UTC — resolved
Back to normal.

## 2026-11-10 10:00 UTC — investigating
The dashboard is slow.
"""

API_HEADER = """\
---
title: Elevated error rates on the API
impact: major
components:
  api: partial_outage
---

"""
INVESTIGATING = "## 2026-11-30 11:50 UTC — investigating\nWe see elevated error rates.\n"
IDENTIFIED = "## 2026-11-30 12:10 UTC — identified\nA configuration change overloaded the pool.\n"
RESOLVED = "## 2026-11-30 12:40 UTC — resolved\nError rates are back to normal.\n"
POSTMORTEM = "# Postmortem\nThe connection pool was sized for half the traffic.\n"

SCHEDULED_MAINTENANCE = """\
---
title: Database upgrade
type: maintenance
scheduled_start: 2026-12-01 02:00 UTC
scheduled_end: 2026-12-01 04:00 UTC
components: [webhooks]
---

## 2026-11-30 11:55 UTC — scheduled
Webhook deliveries will be delayed during the upgrade.
"""

OPENED_TITLE = "Investigating: Elevated error rates on the API"
IDENTIFIED_TITLE = "Identified: Elevated error rates on the API"
RESOLVED_TITLE = "Resolved: Elevated error rates on the API"
POSTMORTEM_TITLE = "Postmortem: Elevated error rates on the API"
SCHEDULED_TITLE = "Scheduled: Database upgrade"
STARTED_TITLE = "In progress: Database upgrade"
COMPLETED_TITLE = "Completed: Database upgrade"

OPENED_KEY = f"{API}/update/20261130T115000Z"
IDENTIFIED_KEY = f"{API}/update/20261130T121000Z"
RESOLVED_KEY = f"{API}/update/20261130T124000Z"
POSTMORTEM_KEY = f"{API}/postmortem"
SCHEDULED_KEY = f"{MAINTENANCE}/update/20261130T115500Z"
STARTED_KEY = f"{MAINTENANCE}/started"
COMPLETED_KEY = f"{MAINTENANCE}/completed"

API_LINK = f"https://status.example.com/incidents/{API}/"
MAINTENANCE_LINK = f"https://status.example.com/incidents/{MAINTENANCE}/"
POSTMORTEM_LINK = f"https://status.example.com/incidents/{API}/postmortem/"

AT_OPENING = "2026-11-30 12:00 UTC"  # after the opening commit
AFTER_ALL = "2026-11-30 13:00 UTC"  # after the postmortem


def api_incident(*blocks: str) -> str:
    """The API incident with these updates (newest first) and perhaps a postmortem."""
    return API_HEADER + "\n".join(blocks)


@dataclass
class Story:
    """The status repository, one commit per step: ``revisions[step]`` is its SHA."""

    root: Path
    repo: git.Repo
    revisions: dict[str, str] = field(default_factory=dict)

    def commit(self, step: str, files: dict[str, str]) -> None:
        write_files(self.root / "incidents", dict(files))
        self.revisions[step] = commit_all(self.repo, step).hexsha


@pytest.fixture
def story(make_repo: RepoWriter) -> Story:
    root = make_repo({f"{DASHBOARD}.md": OLD_DASHBOARD})
    result = Story(root, init_git(root))
    result.commit("base", {})
    result.commit(
        "opened",
        {f"{API}.md": api_incident(INVESTIGATING), f"{MAINTENANCE}.md": SCHEDULED_MAINTENANCE},
    )
    result.commit("identified", {f"{API}.md": api_incident(IDENTIFIED, INVESTIGATING)})
    result.commit("resolved", {f"{API}.md": api_incident(RESOLVED, IDENTIFIED, INVESTIGATING)})
    result.commit(
        "postmortem",
        {f"{API}.md": api_incident(RESOLVED, IDENTIFIED, INVESTIGATING, POSTMORTEM)},
    )
    return result


# Running notify ----------------------------------------------------------------------------


def notify(
    story: Story,
    since: str,
    until: str,
    *,
    now: str,
    urls: list[str] | None = None,
    dry_run: bool = False,
) -> Result:
    """``statusgen notify`` in-process, with ``urls`` as STATUSGEN_NOTIFY_URLS; ``since``
    and ``until`` are steps of the story or revisions."""
    args = ["notify", "--root", str(story.root), "--now", now]
    args += ["--since", story.revisions.get(since, since)]
    args += ["--until", story.revisions.get(until, until)]
    if dry_run:
        args.append("--dry-run")
    env = {URLS_VARIABLE: "\n".join(urls)} if urls is not None else None
    result = CliRunner().invoke(main, args, env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"statusgen notify raised {result.exception!r}\n{result.output}")
    assert "Traceback" not in result.output
    return result


def ledger(story: Story) -> JSON | None:
    """``delivered.json`` on the ledger branch, or None when there is no branch."""
    if LEDGER_BRANCH not in story.repo.heads:
        return None
    document: JSON = json.loads(story.repo.git.show(f"{LEDGER_BRANCH}:{LEDGER_FILE}"))
    return document


def ledger_text(story: Story) -> str:
    """Everything the ledger branch holds: every version of the file and every message."""
    text: str = story.repo.git.log(LEDGER_BRANCH, "-p", "--format=%H%n%B")
    return text


def ledger_commits(story: Story) -> int:
    if LEDGER_BRANCH not in story.repo.heads:
        return 0
    return int(story.repo.git.rev_list("--count", LEDGER_BRANCH))


def assert_untouched(story: Story) -> None:
    """notify reads git objects and writes only its branch: main, the index and the
    working tree are as they were."""
    assert story.repo.active_branch.name == "main"
    assert story.repo.head.commit.hexsha == story.revisions["postmortem"]
    assert not story.repo.is_dirty(untracked_files=True)


# Each event once, on each channel, for its components ---------------------------------------


def test_each_subscriber_gets_each_event_once_on_its_channel(
    story: Story, smtp: SmtpServer, http: HttpServer
) -> None:
    customers = "customers@lists.example.com"
    urls = [
        "# Customers who subscribed by e-mail: a mailing list",
        smtp.url(customers),
        "api=" + http.json_url("api-team"),
        "",
        "webhooks, dashboard = " + http.json_url("webhooks-team"),
        http.json_url("everything"),
        http.statuspage_url("statuspage"),
    ]
    first = notify(story, "base", "opened", now=AT_OPENING, urls=urls)
    assert first.exit_code == 0, first.output
    assert smtp.subjects(customers) == [OPENED_TITLE, SCHEDULED_TITLE]
    assert http.titles("api-team") == [OPENED_TITLE]
    assert http.titles("webhooks-team") == [SCHEDULED_TITLE]
    assert http.titles("everything") == [OPENED_TITLE, SCHEDULED_TITLE]
    assert http.incidents("statuspage") == [
        (API, "2026-11-30T11:50:00Z"),
        (MAINTENANCE, "2026-11-30T11:55:00Z"),
    ]
    assert "8 sent, 0 already delivered, 0 failed" in first.stderr

    # Identified, resolved and the postmortem in one run (in what order: see
    # test_a_postmortem_comes_after_the_resolution_it_follows).
    second = notify(story, "opened", "postmortem", now=AFTER_ALL, urls=urls)
    assert second.exit_code == 0, second.output
    later = Counter([IDENTIFIED_TITLE, RESOLVED_TITLE, POSTMORTEM_TITLE])
    assert smtp.subjects(customers)[:2] == [OPENED_TITLE, SCHEDULED_TITLE]
    assert Counter(smtp.subjects(customers)[2:]) == later
    assert http.titles("api-team")[0] == OPENED_TITLE
    assert Counter(http.titles("api-team")[1:]) == later
    assert http.titles("webhooks-team") == [SCHEDULED_TITLE]
    assert http.titles("everything")[:2] == [OPENED_TITLE, SCHEDULED_TITLE]
    assert Counter(http.titles("everything")[2:]) == later
    assert [incident for incident, _ in http.incidents("statuspage")] == [
        API,
        MAINTENANCE,
        API,
        API,
        API,
    ]
    assert len(smtp.mails) == 5
    assert len(http.requests) == 15
    recorded = ledger(story)
    assert recorded is not None
    assert recorded["last_run"] == "2026-11-30T13:00:00Z"
    assert recorded["pending"] == []
    api_keys = [OPENED_KEY, IDENTIFIED_KEY, RESOLVED_KEY, POSTMORTEM_KEY]
    assert sorted(map(sorted, recorded["delivered"].values())) == sorted(
        [
            sorted([*api_keys, SCHEDULED_KEY]),  # e-mail
            sorted(api_keys),  # api-team
            [SCHEDULED_KEY],  # webhooks-team
            sorted([*api_keys, SCHEDULED_KEY]),  # everything
            sorted([*api_keys, SCHEDULED_KEY]),  # statuspage
        ]
    )

    # The same range again, then the whole history: nothing is sent twice.
    commits = ledger_commits(story)
    for since, now in (("opened", "2026-11-30 13:05 UTC"), ("base", "2026-11-30 13:10 UTC")):
        again = notify(story, since, "postmortem", now=now, urls=urls)
        assert again.exit_code == 0, again.output
        assert again.stdout == ""
        assert "0 sent" in again.stderr
        assert "0 failed" in again.stderr
    assert len(smtp.mails) == 5
    assert len(http.requests) == 15
    after = ledger(story)
    assert after is not None
    assert after["delivered"] == recorded["delivered"]
    assert after["last_run"] == "2026-11-30T13:10:00Z"
    assert ledger_commits(story) == commits + 2, "each run is recorded"
    assert_untouched(story)


def test_a_maintenance_window_starts_and_ends_by_the_clock(
    story: Story, smtp: SmtpServer, http: HttpServer
) -> None:
    """Scheduled runs with no new commit: the run that crosses the window's start sends
    'started' once, the one that crosses its end 'completed' once."""
    customers = "customers@lists.example.com"
    urls = [
        smtp.url(customers),
        "webhooks=" + http.json_url("webhooks-team"),
        "api=" + http.json_url("api-team"),
    ]
    assert notify(story, "base", "postmortem", now=AFTER_ALL, urls=urls).exit_code == 0
    assert http.titles("webhooks-team") == [SCHEDULED_TITLE]
    head = "postmortem"
    sent_by_run = []
    for now in (
        "2026-12-01 01:30 UTC",  # before the window
        "2026-12-01 02:30 UTC",  # it started at 02:00
        "2026-12-01 02:45 UTC",  # still in it
        "2026-12-01 04:30 UTC",  # it ended at 04:00
        "2026-12-01 05:00 UTC",
    ):
        before = len(http.requests)
        result = notify(story, head, head, now=now, urls=urls)
        assert result.exit_code == 0, result.output
        sent_by_run.append([r.body["title"] for r in http.requests[before:]])
    assert sent_by_run == [[], [STARTED_TITLE], [], [COMPLETED_TITLE], []]
    assert Counter(http.titles("api-team")) == Counter(
        [OPENED_TITLE, IDENTIFIED_TITLE, RESOLVED_TITLE, POSTMORTEM_TITLE]
    )
    mails = [m for m in smtp.mails if m.subject in (STARTED_TITLE, COMPLETED_TITLE)]
    assert [m.subject for m in mails] == [STARTED_TITLE, COMPLETED_TITLE]
    assert "2026-12-01 02:00 UTC → 2026-12-01 04:00 UTC" in mails[0].part("text/plain")
    recorded = ledger(story)
    assert recorded is not None
    for keys in recorded["delivered"].values():
        if SCHEDULED_KEY in keys:
            assert {STARTED_KEY, COMPLETED_KEY} <= set(keys)

    # An "in progress" update merged after the run that announced the start: the same
    # event, not a second "started".
    story.commit(
        "in progress",
        {
            f"{MAINTENANCE}.md": SCHEDULED_MAINTENANCE.replace(
                "\n## 2026-11-30 11:55",
                "\n## 2026-12-01 02:01 UTC — in_progress\nStarted.\n\n## 2026-11-30 11:55",
            )
        },
    )
    before = len(http.requests)
    result = notify(story, head, "in progress", now="2026-12-01 05:10 UTC", urls=urls)
    assert result.exit_code == 0, result.output
    assert http.requests[before:] == []


# A target that is down ----------------------------------------------------------------------


def test_a_failed_target_gets_only_what_it_missed_when_it_comes_back(
    story: Story, smtp: SmtpServer, http: HttpServer
) -> None:
    down = free_port()
    customers = "customers@lists.example.com"
    urls = [
        smtp.url(customers),
        http.json_url("everything"),
        f"api=json://127.0.0.1:{down}/api-team",
        f"statuspage+http://127.0.0.1:{down}/statuspage",
    ]
    first = notify(story, "base", "opened", now=AT_OPENING, urls=urls)
    assert first.exit_code == 1
    assert smtp.subjects(customers) == [OPENED_TITLE, SCHEDULED_TITLE]
    assert http.titles("everything") == [OPENED_TITLE, SCHEDULED_TITLE]
    assert "4 sent, 0 already delivered, 3 failed" in first.stderr
    failures = [line for line in first.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failures) == 3, first.stderr
    assert all("the next run retries it" in line for line in failures)
    recorded = ledger(story)
    assert recorded is not None
    assert recorded["pending"] == sorted([OPENED_KEY, SCHEDULED_KEY])

    # Still down: still owed, nothing again to the others.
    still = notify(story, "opened", "opened", now="2026-11-30 12:05 UTC", urls=urls)
    assert still.exit_code == 1
    assert len(smtp.mails) == 2
    assert len(http.requests) == 2
    recorded = ledger(story)
    assert recorded is not None
    assert recorded["pending"] == sorted([OPENED_KEY, SCHEDULED_KEY])

    # It comes back; meanwhile the incident was identified.
    back = HttpServer(down)
    try:
        result = notify(story, "opened", "identified", now="2026-11-30 12:15 UTC", urls=urls)
        assert result.exit_code == 0, result.output
        assert back.titles("api-team") == [OPENED_TITLE, IDENTIFIED_TITLE]
        assert back.incidents("statuspage") == [
            (API, "2026-11-30T11:50:00Z"),
            (MAINTENANCE, "2026-11-30T11:55:00Z"),
            (API, "2026-11-30T12:10:00Z"),
        ]
        assert smtp.subjects(customers) == [OPENED_TITLE, SCHEDULED_TITLE, IDENTIFIED_TITLE]
        assert http.titles("everything") == [OPENED_TITLE, SCHEDULED_TITLE, IDENTIFIED_TITLE]
        recorded = ledger(story)
        assert recorded is not None
        assert recorded["pending"] == []

        # And once more: nothing to anyone.
        again = notify(story, "base", "identified", now="2026-11-30 12:20 UTC", urls=urls)
        assert again.exit_code == 0, again.output
        assert len(back.requests) == 5
        assert len(smtp.mails) == 3
        assert len(http.requests) == 3
    finally:
        back.stop()


# What the messages say ------------------------------------------------------------------------


def test_email_has_the_title_as_subject_and_the_update_components_and_link_in_the_body(
    story: Story, smtp: SmtpServer
) -> None:
    customers = "customers@lists.example.com"
    result = notify(story, "base", "postmortem", now=AFTER_ALL, urls=[smtp.url(customers)])
    assert result.exit_code == 0, result.output
    by_subject = {mail.subject: mail for mail in smtp.mails}
    assert len(smtp.mails) == 5
    assert set(by_subject) == {
        OPENED_TITLE,
        SCHEDULED_TITLE,
        IDENTIFIED_TITLE,
        RESOLVED_TITLE,
        POSTMORTEM_TITLE,
    }
    for mail in smtp.mails:
        assert mail.recipients == (customers,)
        assert mail.message["From"].addresses[0].addr_spec == "status@example.com"
        assert mail.message["To"].addresses[0].addr_spec == customers

    opened = by_subject[OPENED_TITLE]
    for content_type in ("text/plain", "text/html"):
        body = opened.part(content_type)
        assert "We see elevated error rates." in body
        assert "Affected: API" in body
        assert API_LINK in body
    assert "<p>We see elevated error rates.</p>" in opened.part("text/html")

    scheduled = by_subject[SCHEDULED_TITLE].part("text/plain")
    assert "Webhook deliveries will be delayed during the upgrade." in scheduled
    assert "2026-12-01 02:00 UTC → 2026-12-01 04:00 UTC" in scheduled
    assert "Affected: Webhooks" in scheduled
    assert MAINTENANCE_LINK in scheduled

    postmortem = by_subject[POSTMORTEM_TITLE].part("text/plain")
    assert POSTMORTEM_LINK in postmortem
    assert "Affected: API" in postmortem


# The Statuspage subscriber webhook, written from STATUSPAGE-API.md --------------------------

TIME = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
}
TIME_OR_NULL = {"anyOf": [TIME, {"type": "null"}]}
STRING = {"type": "string", "minLength": 1}
COMPONENT_STATUS = {
    "enum": [
        "operational",
        "degraded_performance",
        "partial_outage",
        "major_outage",
        "under_maintenance",
    ]
}
EVENT_STATUS = {
    "enum": [
        "investigating",
        "identified",
        "monitoring",
        "resolved",
        "postmortem",
        "scheduled",
        "in_progress",
        "verifying",
        "completed",
    ]
}


def strict_object(properties: dict[str, Any]) -> JSON:
    """An object with exactly these keys, every one required."""
    return {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }


def keys_required(properties: dict[str, Any]) -> JSON:
    """An object with at least these keys (Statuspage clients tolerate extra ones)."""
    return {"type": "object", "required": list(properties), "properties": properties}


COMPONENT = keys_required(
    {
        "id": STRING,
        "name": STRING,
        "status": COMPONENT_STATUS,
        "created_at": TIME,
        "updated_at": TIME,
        "position": {"type": "integer"},
        "description": {"type": ["string", "null"]},
        "showcase": {"type": "boolean"},
        "start_date": {"type": ["string", "null"]},
        "group_id": {"type": ["string", "null"]},
        "page_id": STRING,
        "group": {"const": False},
        "only_show_if_degraded": {"type": "boolean"},
    }
)
AFFECTED = strict_object(
    {"code": STRING, "name": STRING, "old_status": COMPONENT_STATUS, "new_status": COMPONENT_STATUS}
)
INCIDENT_UPDATE = keys_required(
    {
        "id": STRING,
        "status": EVENT_STATUS,
        "body": {"type": "string"},
        "incident_id": STRING,
        "created_at": TIME,
        "updated_at": TIME,
        "display_at": TIME,
        "affected_components": {"anyOf": [{"type": "null"}, {"type": "array", "items": AFFECTED}]},
        "deliver_notifications": {"type": "boolean"},
        "custom_tweet": {"type": ["string", "null"]},
        "tweet_id": {"type": ["string", "null"]},
    }
)
INCIDENT = keys_required(
    {
        "id": STRING,
        "name": STRING,
        "status": EVENT_STATUS,
        "impact": {"enum": ["none", "minor", "major", "critical", "maintenance"]},
        "created_at": TIME,
        "updated_at": TIME,
        "monitoring_at": TIME_OR_NULL,
        "resolved_at": TIME_OR_NULL,
        "started_at": TIME_OR_NULL,
        "shortlink": {"type": "string", "pattern": "^https?://"},
        "page_id": STRING,
        "incident_updates": {"type": "array", "items": INCIDENT_UPDATE, "minItems": 1},
        "components": {"type": "array", "items": COMPONENT},
    }
)
# A scheduled maintenance is an incident with its window and impact "maintenance".
INCIDENT["allOf"] = [
    {
        "if": {"properties": {"impact": {"const": "maintenance"}}},
        "then": {
            "required": ["scheduled_for", "scheduled_until"],
            "properties": {"scheduled_for": TIME, "scheduled_until": TIME},
        },
    }
]
WEBHOOK = strict_object(
    {
        "meta": keys_required(
            {
                "unsubscribe": {"type": ["string", "null"]},
                "documentation": {"type": ["string", "null"]},
                "generated_at": TIME,
            }
        ),
        "page": keys_required(
            {
                "id": STRING,
                "status_indicator": {"enum": ["none", "minor", "major", "critical", "maintenance"]},
                "status_description": STRING,
            }
        ),
        "incident": INCIDENT,
    }
)


def test_the_statuspage_webhook_posts_the_subscriber_webhook_payload(
    story: Story, http: HttpServer
) -> None:
    urls = [http.statuspage_url("statuspage"), "webhooks=" + http.statuspage_url("webhooks")]
    result = notify(story, "base", "postmortem", now=AFTER_ALL, urls=urls)
    assert result.exit_code == 0, result.output
    validator = jsonschema.Draft202012Validator(WEBHOOK)
    validator.check_schema(WEBHOOK)
    assert {r.content_type for r in http.requests} == {"application/json"}
    for request in http.requests:
        validator.validate(request.body)
    assert http.incidents("statuspage") == [
        (API, "2026-11-30T11:50:00Z"),
        (MAINTENANCE, "2026-11-30T11:55:00Z"),
        (API, "2026-11-30T12:10:00Z"),
        (API, "2026-11-30T12:40:00Z"),  # the resolution and
        (API, "2026-11-30T12:40:00Z"),  # the postmortem, at the incident's last update
    ]
    assert http.incidents("webhooks") == [(MAINTENANCE, "2026-11-30T11:55:00Z")]

    # The resolution's payload: the incident as it was then, every update newest first.
    incident = http.bodies("statuspage")[3]["incident"]
    assert incident["status"] == "resolved"
    assert http.bodies("statuspage")[4]["incident"]["status"] == "postmortem"
    assert incident["name"] == "Elevated error rates on the API"
    assert incident["impact"] == "major"
    assert incident["shortlink"] == API_LINK
    assert [c["id"] for c in incident["components"]] == ["api"]
    assert [u["body"] for u in incident["incident_updates"]] == [
        "Error rates are back to normal.",
        "A configuration change overloaded the pool.",
        "We see elevated error rates.",
    ], "newest first"
    maintenance = http.bodies("webhooks")[0]["incident"]
    assert maintenance["impact"] == "maintenance"
    assert maintenance["scheduled_for"] == "2026-12-01T02:00:00Z"
    assert maintenance["scheduled_until"] == "2026-12-01T04:00:00Z"
    assert [c["id"] for c in maintenance["components"]] == ["webhooks"]
    page = http.bodies("statuspage")[0]["page"]
    assert page["id"] == http.bodies("webhooks")[0]["page"]["id"]

    # A control: the schema does reject a payload that lacks a key the reference names.
    for path in (("meta", "generated_at"), ("page", "status_indicator"), ("incident", "shortlink")):
        broken = copy.deepcopy(http.bodies("statuspage")[0])
        del broken[path[0]][path[1]]
        assert not validator.is_valid(broken), path
    broken = copy.deepcopy(http.bodies("statuspage")[0])
    del broken["incident"]["incident_updates"][0]["affected_components"]
    assert not validator.is_valid(broken)


def test_each_statuspage_payload_describes_the_update_it_announces(
    story: Story, http: HttpServer
) -> None:
    result = notify(story, "opened", "postmortem", now=AFTER_ALL, urls=[http.statuspage_url("s")])
    assert result.exit_code == 0, result.output
    announced = [
        (b["incident"]["status"], b["incident"]["incident_updates"][0]["body"])
        for b in http.bodies("s")
    ]
    assert announced[:2] == [
        ("identified", "A configuration change overloaded the pool."),
        ("resolved", "Error rates are back to normal."),
    ]


def test_a_postmortem_comes_after_the_resolution_it_follows(story: Story, http: HttpServer) -> None:
    result = notify(story, "opened", "postmortem", now=AFTER_ALL, urls=[http.json_url("a")])
    assert result.exit_code == 0, result.output
    assert http.titles("a") == [IDENTIFIED_TITLE, RESOLVED_TITLE, POSTMORTEM_TITLE]


def test_a_statuspage_webhook_with_credentials_uses_basic_authentication(
    story: Story, http: HttpServer
) -> None:
    url = f"statuspage+http://receiver:s3cret@127.0.0.1:{http.port}/statuspage"
    result = notify(story, "base", "opened", now=AT_OPENING, urls=[url])
    assert result.exit_code == 0, result.output
    assert [i for i, _ in http.incidents("statuspage")] == [API, MAINTENANCE]


# The ledger -------------------------------------------------------------------------------------


def test_the_ledger_never_holds_a_target_url(story: Story, http: HttpServer) -> None:
    down = free_port()
    urls = [
        f"json://alice:s3cret-password@127.0.0.1:{http.port}/hook-token-1234?-X-Key=k3y-value",
        f"api=statuspage+http://127.0.0.1:{http.port}/sp-token-5678?key=0ther-secret",
        f"json://127.0.0.1:{down}/down-token-9999",
    ]
    result = notify(story, "base", "postmortem", now=AFTER_ALL, urls=urls)
    assert result.exit_code == 1  # the third target is down
    assert len(http.requests) == 5 + 4
    text = ledger_text(story)
    assert LEDGER_FILE in text
    for secret in (
        "s3cret-password",
        "0ther-secret",
        "k3y-value",
        "hook-token-1234",
        "sp-token-5678",
        "down-token-9999",
        "alice",
        "127.0.0.1",
        str(http.port),
        str(down),
        "json://",
        "statuspage+",
    ):
        assert secret not in text, secret
    assert "s3cret-password" not in result.output
    recorded = ledger(story)
    assert recorded is not None
    assert len(recorded["delivered"]) == 2
    assert all(len(target) == 16 for target in recorded["delivered"])


def test_the_output_shows_no_token_of_a_target_url(story: Story, http: HttpServer) -> None:
    urls = [
        f"json://127.0.0.1:{http.port}/hook?-token=t0ken-in-the-query",
        f"json://127.0.0.1:{http.port}/hook?+Authorization=Bearer%20b3arer-t0ken",
    ]
    result = notify(story, "base", "opened", now=AT_OPENING, urls=urls)
    assert result.exit_code == 0, result.output
    assert len(http.requests) == 4
    assert "t0ken-in-the-query" not in result.output
    assert "b3arer-t0ken" not in result.output


def test_a_runner_with_no_git_identity_still_records_the_ledger(
    story: Story, http: HttpServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with story.repo.config_writer() as config:
        config.remove_section("user")
    for name in ("NAME", "EMAIL"):
        for who in ("AUTHOR", "COMMITTER"):
            monkeypatch.delenv(f"GIT_{who}_{name}", raising=False)
    monkeypatch.delenv("EMAIL", raising=False)
    (tmp_path / "home").mkdir()
    env = {
        URLS_VARIABLE: http.json_url("hook"),
        "HOME": str(tmp_path / "home"),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        # No guess from the host name either, as on a runner whose name has no domain.
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "user.useConfigOnly",
        "GIT_CONFIG_VALUE_0": "true",
    }
    args = ["notify", "--root", str(story.root), "--now", AT_OPENING]
    args += ["--since", story.revisions["base"], "--until", story.revisions["opened"]]
    for _ in range(2):
        result = CliRunner().invoke(main, args, env=env)
        assert len(http.requests) == 2, "sent once, and never again"
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        assert result.exit_code == 0, result.output
        assert ledger(story) is not None


def test_the_ledger_commit_names_the_revision_notified_up_to(story: Story) -> None:
    """The deploy workflow reads the last notified revision from the ledger branch's
    latest commit subject (docs/notifications.md): keep this format."""
    head = story.revisions["postmortem"]
    result = notify(story, "base", head, now=AFTER_ALL, urls=[])
    assert result.exit_code == 0, result.output
    subject = story.repo.commit(LEDGER_BRANCH).summary
    assert subject == f"Notifications up to {head} at 2026-11-30 13:00 UTC"
    assert story.repo.commit(LEDGER_BRANCH).tree.blobs[0].name == LEDGER_FILE
    assert len(story.repo.commit(LEDGER_BRANCH).tree) == 1


# --dry-run --------------------------------------------------------------------------------------


def test_dry_run_counts_one_notice_and_one_target_in_the_singular(
    story: Story, http: HttpServer
) -> None:
    urls = ["api=" + http.json_url("api-team")]
    result = notify(
        story, "opened", "identified", now="2026-11-30 12:15 UTC", urls=urls, dry_run=True
    )
    assert result.exit_code == 0, result.output
    assert "1 notice, 1 target (dry run)" in result.stderr
    assert http.requests == []


def test_dry_run_prints_each_message_and_its_targets_and_sends_nothing(
    story: Story, smtp: SmtpServer, http: HttpServer
) -> None:
    customers = "customers@lists.example.com"
    urls = [smtp.url(customers), "api=" + http.json_url("api-team")]
    result = notify(story, "base", "opened", now=AT_OPENING, urls=urls, dry_run=True)
    assert result.exit_code == 0, result.output
    assert smtp.mails == []
    assert http.requests == []
    assert ledger(story) is None, "no ledger commit"
    assert "2 notices, 2 targets (dry run)" in result.stderr
    blocks = result.stdout.split("== ")[1:]
    assert len(blocks) == 2
    opened, scheduled = blocks
    head, _, message = opened.partition("\n")
    # Targets are named without anything that could be a secret: scheme and ledger id.
    assert re.fullmatch(
        rf"{re.escape(OPENED_KEY)} → mailto:// \(target [0-9a-f]{{16}}\), "
        r"json:// \(target [0-9a-f]{16}, components api\)",
        head,
    ), head
    assert message.startswith(f"{OPENED_TITLE}\n\nWe see elevated error rates.")
    assert "Affected: API" in message
    assert API_LINK in message
    head, _, message = scheduled.partition("\n")
    assert head.startswith(f"{SCHEDULED_KEY} → mailto://")
    assert "api-team" not in head, "the API team did not ask for webhooks"
    assert message.startswith(SCHEDULED_TITLE)

    # After a real run, a dry run shows that nobody is owed anything.
    assert notify(story, "base", "opened", now=AT_OPENING, urls=urls).exit_code == 0
    commits = ledger_commits(story)
    again = notify(story, "base", "opened", now=AT_OPENING, urls=urls, dry_run=True)
    assert again.exit_code == 0
    assert again.stdout.count("→ no target") == 2
    assert ledger_commits(story) == commits
    assert len(smtp.mails) == 2
    assert len(http.requests) == 1


# Configuration ------------------------------------------------------------------------------------


def test_a_line_that_is_not_a_target_is_an_error_with_its_number(
    story: Story, http: HttpServer
) -> None:
    urls = [http.json_url("fine"), "", "# a comment", "api: https://example.com/hook"]
    result = notify(story, "base", "opened", now=AT_OPENING, urls=urls)
    assert result.exit_code == 1
    assert f"{URLS_VARIABLE}, line 4:" in result.stderr
    assert http.requests == []
    assert ledger(story) is None


def test_an_unknown_kind_of_url_is_an_error_with_its_number_and_no_secret(
    story: Story, http: HttpServer
) -> None:
    urls = [http.json_url("fine"), "slak://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ"]
    result = notify(story, "base", "opened", now=AT_OPENING, urls=urls)
    assert result.exit_code == 1
    assert http.requests == []
    assert ledger(story) is None
    assert f"{URLS_VARIABLE}, line 2" in result.stderr
    assert "TIiajkdnlazkcOXrIdevi7FQ" not in result.stderr


def test_a_prefix_that_is_no_component_is_an_error_with_its_number(
    story: Story, http: HttpServer
) -> None:
    urls = [http.json_url("fine"), "apl=" + http.json_url("api-team")]
    result = notify(story, "base", "opened", now=AT_OPENING, urls=urls)
    assert result.exit_code == 1
    assert f"{URLS_VARIABLE}, line 2" in result.stderr
    assert "apl" in result.stderr


def test_targets_from_the_file_named_by_statusgen_notify_config(
    story: Story, http: HttpServer, tmp_path: Path
) -> None:
    """As a real process, with the file variant of the configuration."""
    config = tmp_path / "targets.txt"
    config.write_text(
        "; apprise's text format\n"
        "# the API team only hears about the API\n"
        f"api = {http.json_url('api-team')}\n"
        "\n"
        f"{http.statuspage_url('statuspage')}\n",
        encoding="utf-8",
    )

    def run(config_path: Path) -> subprocess.CompletedProcess[str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in (URLS_VARIABLE, CONFIG_VARIABLE)
        }
        env[CONFIG_VARIABLE] = str(config_path)
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "statusgen",
                "notify",
                *("--root", str(story.root), "--now", AT_OPENING),
                *("--since", story.revisions["base"], "--until", story.revisions["opened"]),
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=60,
        )

    missing = run(tmp_path / "no-such-file.txt")
    assert missing.returncode == 1
    assert f"{CONFIG_VARIABLE}: {tmp_path / 'no-such-file.txt'}: No such file" in missing.stderr
    assert ledger(story) is None

    result = run(config)
    assert result.returncode == 0, result.stderr
    assert http.titles("api-team") == [OPENED_TITLE]
    assert [i for i, _ in http.incidents("statuspage")] == [API, MAINTENANCE]


# No secret of any apprise URL in any output ---------------------------------------------
# Every kind of URL that apprise ships: each target is a plausible URL of its scheme, built
# from apprise's own templates, with a token-shaped value in each part.

#: The schemes whose host part is the secret (issue 11): each must be among those built.
HOST_IS_SECRET = ("ntfy", "pbul", "join", "pover", "tgram")


@dataclass(frozen=True)
class Sample:
    scheme: str
    url: str
    secrets: tuple[str, ...]


class _Values:
    """Values for the tokens of apprise's URL templates: random letters and digits
    (never a word or a date that could appear in a message by chance)."""

    def __init__(self) -> None:
        self.random = random.Random(11)

    def token(self, length: int, alphabet: str = string.ascii_letters + string.digits) -> str:
        start = "".join(self.random.choice(string.ascii_letters) for _ in range(2))
        return start + "".join(self.random.choice(alphabet) for _ in range(length - 2))

    def candidates(self) -> Iterator[str]:
        yield self.token(24)
        yield "1" + "".join(self.random.choice(string.digits) for _ in range(10))  # a phone
        for length in (12, 32, 16, 20, 10, 36, 40, 43, 44, 64, 8):
            yield self.token(length)
            yield self.token(length, string.ascii_lowercase + string.digits)
            yield self.token(length, "0123456789abcdef")
            yield "".join(self.random.choice(string.digits) for _ in range(length))

    def value(self, name: str, spec: dict[str, Any]) -> str | None:
        kind = str(spec.get("type", "string"))
        if kind == "int":
            return "8443" if name == "port" else str(max(int(spec.get("min", 1)), 1))
        if kind.startswith("choice"):
            return str(spec["values"][0])
        if kind == "bool":
            return "yes"
        regex = spec.get("regex")
        pattern = re.compile(regex[0], re.I if "i" in (regex[1] or "") else 0) if regex else None
        value = next((v for v in self.candidates() if not pattern or pattern.match(v)), None)
        if value is None and pattern is not None:
            alphabet = string.ascii_letters + string.digits + "-_:+="
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # .example() outside a @given test
                try:
                    strategy = st.from_regex(pattern, fullmatch=True, alphabet=alphabet)
                    value = strategy.filter(lambda v: len(v) >= 8).example()
                except HypothesisException:
                    return None  # the scheme is counted as not built
        if value is not None and kind == "email":
            value = f"{value}@{self.token(10).lower()}.example"
        return value


def apprise_samples() -> tuple[list[Sample], list[str]]:
    """One URL for each enabled apprise service, and the schemes none could be built for."""
    values = _Values()
    samples, missing = [], []
    logging.getLogger("apprise").setLevel(logging.CRITICAL)  # its warnings for rejected tries
    for schema in apprise.Apprise().details()["schemas"]:
        tokens = schema["details"]["tokens"]
        protocols = [*(schema.get("protocols") or ()), *(schema.get("secure_protocols") or ())]
        if not protocols:
            continue
        scheme = protocols[0]
        for template in schema["details"]["templates"]:
            parts = {"schema": scheme}
            secrets: list[str] = []
            for name in re.findall(r"{(\w+)}", template):
                if name == "schema":
                    continue
                value = values.value(name, tokens.get(name, {}))
                if value is None:
                    break
                parts[name] = value
                if not str(tokens.get(name, {}).get("type", "")).startswith(("int", "choice")):
                    secrets.append(value)
            else:
                url = template.format(**parts)
                if apprise.Apprise().add(url):
                    samples.append(Sample(scheme, url, tuple(secrets)))
                    break
        else:
            missing.append(scheme)
    logging.getLogger("apprise").setLevel(logging.NOTSET)
    return samples, missing


@pytest.fixture(scope="module")
def samples() -> list[Sample]:
    built, missing = apprise_samples()
    assert {s.scheme for s in built} >= set(HOST_IS_SECRET)
    assert len(built) >= 0.9 * (len(built) + len(missing)), f"no URL built for {missing}"
    return built


def assert_no_secret(samples: list[Sample], *outputs: str) -> None:
    text = "\n".join(outputs)
    leaked = [(s.scheme, secret) for s in samples for secret in s.secrets if secret in text]
    assert not leaked, f"secrets shown: {leaked[:10]}"


def run_notify(
    story: Story, samples: list[Sample], *options: str
) -> subprocess.CompletedProcess[str]:
    """``statusgen notify`` as CI runs it, every sample as a target: what the job log shows."""
    variables = dict(os.environ, **{URLS_VARIABLE: "\n".join(s.url for s in samples)})
    since, until = story.revisions["base"], story.revisions["opened"]
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "statusgen",
            "notify",
            "--root",
            str(story.root),
            *options,
            "--since",
            since,
            "--until",
            until,
            "--now",
            AT_OPENING,
        ],
        capture_output=True,
        text=True,
        env=variables,
        check=False,
    )


def test_a_dry_run_names_every_kind_of_target_without_its_secrets(
    story: Story, samples: list[Sample]
) -> None:
    result = run_notify(story, samples, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert f"2 notices, {len(samples)} targets (dry run)" in result.stderr
    for sample in samples:
        assert f"{sample.scheme}:// (target " in result.stdout
    assert_no_secret(samples, result.stdout, result.stderr)


def test_failed_deliveries_and_the_ledger_show_no_secret(
    story: Story, samples: list[Sample]
) -> None:
    """Every target fails (nothing answers on the network here): the failures, apprise's
    log and the ledger name each target by its scheme and id only."""
    result = run_notify(story, samples)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(r"failed: \S+ to tgram:// \(target [0-9a-f]{16}\)", result.stderr)
    assert_no_secret(samples, result.stdout, result.stderr, ledger_text(story))


@pytest.mark.parametrize(
    "url", ["tgram://N0tAb0tT0kenXyz123/", "join://h0st-s3cret", "pover://h0st-s3cret"]
)
def test_a_rejected_url_is_named_by_its_scheme_only(story: Story, url: str) -> None:
    sample = Sample(url.partition("://")[0], url, ("N0tAb0tT0kenXyz123", "h0st-s3cret"))
    result = run_notify(story, [sample], "--dry-run")
    assert result.returncode == 1
    assert f"{URLS_VARIABLE}, line 1: '{sample.scheme}://…' is not a URL apprise understands" in (
        result.stderr
    )
    assert_no_secret([sample], result.stdout, result.stderr)


# A ledger of the wrong shape -------------------------------------------------------------


def write_ledger(story: Story, text: str) -> None:
    """Put ``text`` as delivered.json on the ledger branch, with git's plumbing."""

    def git(*args: str, stdin: str | None = None) -> str:
        return subprocess.run(
            ["git", *args], cwd=story.root, input=stdin, capture_output=True, text=True, check=True
        ).stdout.strip()

    blob = git("hash-object", "-w", "--stdin", stdin=text)
    tree = git("mktree", stdin=f"100644 blob {blob}\t{LEDGER_FILE}\n")
    commit = git("commit-tree", tree, "-m", "a ledger written by hand")
    git("update-ref", f"refs/heads/{LEDGER_BRANCH}", commit)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[]", "expected an object, found a list"),
        ("null", "expected an object, found null"),
        ('{"delivered": []}', "'delivered' must be an object, found a list"),
        ('{"delivered": {"abc": "key"}}', "'delivered.abc' must be a list of notice keys"),
        ('{"pending": "key"}', "'pending' must be a list of notice keys, found str \"key\""),
        ('{"last_run": 5}', "'last_run' must be a timestamp, found int 5"),
        ('{"last_run": "yesterday"}', "yesterday"),
        ('{"sent": {}}', "unknown key 'sent'"),
        ("{", "Expecting property name"),
    ],
)
def test_a_ledger_of_the_wrong_shape_is_refused_with_a_clear_message(
    story: Story, http: HttpServer, text: str, problem: str
) -> None:
    write_ledger(story, text)
    result = notify(story, "base", "opened", now=AT_OPENING, urls=[http.json_url("hook")])
    assert result.exit_code == 1
    assert f"{LEDGER_BRANCH}:{LEDGER_FILE} is not a statusgen ledger (" in result.stderr
    assert problem in result.stderr
    assert "fix or delete the branch" in result.stderr
    assert http.requests == [], "nothing is sent again"


def test_a_subscriber_of_a_component_is_told_when_it_joins_an_open_incident(
    story: Story, http: HttpServer
) -> None:
    joined = (
        "## 2026-11-30 12:20 UTC — update [webhooks: degraded_performance, api: major_outage]\n"
        "Webhook deliveries are delayed too.\n"
    )
    story.commit("joined", {f"{API}.md": api_incident(joined, IDENTIFIED, INVESTIGATING)})
    urls = ["webhooks=" + http.json_url("webhooks-team"), "api=" + http.json_url("api-team")]
    result = notify(story, "base", "joined", now="2026-11-30 12:30 UTC", urls=urls)
    assert result.exit_code == 0, result.output
    update_title = "Update: Elevated error rates on the API"
    # The webhooks team hears of the incident from the update where webhooks join it.
    assert http.titles("webhooks-team") == [SCHEDULED_TITLE, update_title]
    assert http.titles("api-team") == [OPENED_TITLE, IDENTIFIED_TITLE, update_title]
    (message,) = [b["message"] for b in http.bodies("webhooks-team") if b["title"] == update_title]
    assert "- Webhooks: Operational → Degraded performance" in message
    assert "- API: Partial outage → Major outage" in message
    assert "Affected: API, Webhooks" in message
    (opened,) = [b["message"] for b in http.bodies("api-team") if b["title"] == OPENED_TITLE]
    assert "Affected: API\n" in opened + "\n"
    assert "→" not in opened
