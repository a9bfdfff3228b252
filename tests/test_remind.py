"""Regular updates: ``update_every``, the page's promise, ``{next_update}`` and
``statusgen remind`` telling the team once per quiet period.

The repository is a real git repository; the team's reminder goes over a real SMTP
connection on 127.0.0.1 (the server of tests/test_notify.py) and the subscribers' target
is a real HTTP server that must receive nothing. Builds are real MkDocs builds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import git
import pytest
from click.testing import CliRunner, Result

from statusgen.cli import main
from statusgen.workflow.notify.ledger import LEDGER_BRANCH, LEDGER_FILE
from statusgen.workflow.notify.targets import URLS_VARIABLE
from tests.conftest import RepoWriter, commit_all, init_git
from tests.servers import HttpServer, SmtpServer

pytestmark = pytest.mark.usefixtures("notify_environment")

INCIDENT = "2026-11-30-api-errors"
OPENED = """\
---
title: Elevated error rates on the API
impact: major
components:
  api: partial_outage
---

## 2026-11-30 10:00 UTC — investigating
We see elevated error rates.
"""
SECOND_UPDATE = "## 2026-11-30 10:50 UTC — identified\nA configuration change.\n\n"
TEAM = "oncall@example.com"
MKDOCS = """\
site_name: Example Status
site_url: https://status.example.com/
theme: {{name: material}}
plugins:
  - statusgen:{options}
"""


def repository(make_repo: RepoWriter, options: str = "", text: str = OPENED) -> Path:
    root = make_repo({f"{INCIDENT}.md": text}, mkdocs=MKDOCS.format(options=options or " {}"))
    (root / "docs").mkdir(exist_ok=True)
    commit_all(init_git(root), "Status repository")
    return root


def run(*args: str | Path, urls: list[str] | None = None) -> Result:
    env = {URLS_VARIABLE: "\n".join(urls)} if urls is not None else None
    result = CliRunner().invoke(main, [str(a) for a in args], env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"statusgen {args} raised {result.exception!r}\n{result.output}")
    return result


def remind(root: Path, now: str, *extra: str, urls: list[str] | None = None) -> Result:
    return run("remind", "--root", root, "--now", now, *extra, urls=urls)


def test_remind_before_and_after_the_deadline_tells_the_team_once_per_quiet_period(
    make_repo: RepoWriter, smtp: SmtpServer, http: HttpServer
) -> None:
    root = repository(make_repo)
    urls = [f"@team={smtp.url(TEAM)}", http.json_url("subscribers")]

    before = remind(root, "2026-11-30 10:29 UTC", urls=urls)
    assert before.exit_code == 0, before.output
    assert before.stdout == ""
    assert "No update overdue at 2026-11-30 10:29 UTC" in before.stderr
    assert smtp.mails == []

    # update_every is 30 minutes by default: 10:30 is the deadline, 10:31 is past it.
    after = remind(root, "2026-11-30 10:31 UTC", urls=urls)
    assert after.exit_code == 1, after.output
    assert after.stdout == (
        f"{INCIDENT}: update overdue since 2026-11-30 10:30 UTC (latest update "
        "2026-11-30 10:00 UTC, update_every 30 min)\n"
    )
    assert smtp.subjects(TEAM) == ["Update overdue: Elevated error rates on the API"]
    body = smtp.mails[0].part("text/plain")
    assert "posted at 2026-11-30 10:00 UTC; the next one was due by 2026-11-30 10:30 UTC" in body
    assert f"statusgen update {INCIDENT} --status update" in body
    assert f"https://status.example.com/incidents/{INCIDENT}/" in body

    # The scheduled runs that follow, in the same quiet period: listed, not sent again.
    for now in ("2026-11-30 10:46 UTC", "2026-11-30 10:49 UTC"):
        again = remind(root, now, urls=urls)
        assert again.exit_code == 1
        assert INCIDENT in again.stdout
    assert len(smtp.mails) == 1
    keys = json.loads(git.Repo(root).git.show(f"{LEDGER_BRANCH}:{LEDGER_FILE}"))["delivered"]
    assert [sorted(k) for k in keys.values()] == [[f"{INCIDENT}/overdue/20261130T100000Z"]]

    # A new update starts a new period: on time, nothing; silent again, one more reminder.
    path = root / "incidents" / f"{INCIDENT}.md"
    path.write_text(OPENED.replace("## 2026", SECOND_UPDATE + "## 2026", 1), encoding="utf-8")
    assert remind(root, "2026-11-30 11:20 UTC", urls=urls).exit_code == 0
    assert remind(root, "2026-11-30 11:21 UTC", urls=urls).exit_code == 1
    assert remind(root, "2026-11-30 11:40 UTC", urls=urls).exit_code == 1
    assert smtp.subjects(TEAM) == ["Update overdue: Elevated error rates on the API"] * 2

    # Subscribers are never told about the team's reminders.
    assert http.requests == []


def test_team_reminders_never_reach_subscribers_and_notices_never_reach_the_team(
    make_repo: RepoWriter, smtp: SmtpServer
) -> None:
    root = repository(make_repo)
    repo = git.Repo(root)
    base = repo.head.commit.hexsha
    path = root / "incidents" / f"{INCIDENT}.md"
    path.write_text(OPENED.replace("## 2026", SECOND_UPDATE + "## 2026", 1), encoding="utf-8")
    commit_all(repo, "identified")
    urls = [f"@team={smtp.url(TEAM)}", smtp.url("subscriber@example.com")]
    result = run(
        "notify", "--root", root, "--since", base, "--now", "2026-11-30 11:00 UTC", urls=urls
    )
    assert result.exit_code == 0, result.output
    assert smtp.subjects("subscriber@example.com") == [
        "Identified: Elevated error rates on the API"
    ]
    assert smtp.subjects(TEAM) == []
    assert remind(root, "2026-11-30 11:30 UTC", urls=urls).exit_code == 1
    assert smtp.subjects("subscriber@example.com") == [
        "Identified: Elevated error rates on the API"
    ]
    assert smtp.subjects(TEAM) == ["Update overdue: Elevated error rates on the API"]


def test_remind_as_github_annotations_points_at_the_latest_update(make_repo: RepoWriter) -> None:
    root = repository(make_repo)
    result = remind(root, "2026-11-30 11:00 UTC", "--format", "github")
    assert result.exit_code == 1
    assert re.fullmatch(
        r"::warning file=[^,]*incidents/2026-11-30-api-errors\.md,line=8,title=statusgen::"
        r"2026-11-30-api-errors: update overdue since 2026-11-30 10%3A30 UTC .*\n",
        result.stdout.replace("10:30", "10%3A30"),
    ), result.stdout
    assert "no @team target in STATUSGEN_NOTIFY_URLS: nobody was reminded" in result.stderr


def test_update_every_sets_the_interval_and_zero_turns_it_off(make_repo: RepoWriter) -> None:
    root = repository(make_repo, "\n      update_every: 60")
    assert remind(root, "2026-11-30 10:59 UTC").exit_code == 0
    assert remind(root, "2026-11-30 11:01 UTC").exit_code == 1
    (root / "mkdocs.yml").write_text(MKDOCS.format(options="\n      update_every: 0"))
    off = remind(root, "2026-11-30 23:00 UTC")
    assert off.exit_code == 0
    assert "update_every is 0" in off.stderr


def test_resolved_incidents_and_maintenances_are_never_overdue(make_repo: RepoWriter) -> None:
    resolved = OPENED.replace("## 2026", "## 2026-11-30 10:10 UTC — resolved\nFixed.\n\n## 2026", 1)
    root = repository(make_repo, text=resolved)
    (root / "incidents" / "2026-11-30-db.md").write_text(
        "---\ntitle: Database upgrade\ntype: maintenance\n"
        "scheduled_start: 2026-11-30 09:00 UTC\nscheduled_end: 2026-11-30 18:00 UTC\n"
        "components: [webhooks]\n---\n\n## 2026-11-30 08:00 UTC — scheduled\nUpgrade.\n",
        encoding="utf-8",
    )
    assert remind(root, "2026-11-30 12:00 UTC").exit_code == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "option 'update_every': must be a whole number >= 0"),
        ("thirty", "option 'update_every': must be a whole number >= 0"),
    ],
)
def test_a_bad_update_every_is_an_error_in_validate_and_remind(
    make_repo: RepoWriter, value: str, message: str
) -> None:
    root = repository(make_repo, f"\n      update_every: {value}")
    for result in (run("validate", "--root", root), remind(root, "2026-11-30 12:00 UTC")):
        assert result.exit_code == 1
        assert message in result.output
        assert "Traceback" not in result.output


def build(root: Path, now: str) -> str:
    result = run("build", "--root", root, "--now", now)
    assert result.exit_code == 0, result.output
    return (root / "site" / "incidents" / INCIDENT / "index.html").read_text(encoding="utf-8")


def promise(html: str) -> str:
    """The promise's paragraph, its markup as written."""
    match = re.search(r'<p class="sg-promise".*?</p>', html, flags=re.DOTALL)
    assert match, "no promise on the page"
    return match.group(0)


def test_the_page_promises_the_next_update_then_says_it_is_overdue(make_repo: RepoWriter) -> None:
    root = repository(make_repo)
    on_time = promise(build(root, "2026-11-30 10:20 UTC"))
    assert 'data-due="2026-11-30T10:30:00Z"' in on_time
    assert (
        '<span class="sg-promise__next">Next update by <time datetime="2026-11-30T10:30:00Z"'
        in on_time
    )
    assert '<strong class="sg-promise__overdue" hidden>Update overdue</strong>' in on_time
    overview = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert promise(overview) == on_time

    late = promise(build(root, "2026-11-30 10:40 UTC"))
    assert '<span class="sg-promise__next" hidden>' in late
    assert '<strong class="sg-promise__overdue">Update overdue</strong>' in late


def test_no_promise_when_off_or_resolved(make_repo: RepoWriter) -> None:
    root = repository(make_repo, "\n      update_every: 0")
    assert 'class="sg-promise"' not in build(root, "2026-11-30 10:20 UTC")
    resolved = OPENED.replace("## 2026", "## 2026-11-30 10:10 UTC — resolved\nFixed.\n\n## 2026", 1)
    root = repository(make_repo, text=resolved)
    assert 'class="sg-promise"' not in build(root, "2026-11-30 10:20 UTC")


def test_the_promise_in_french(make_repo: RepoWriter) -> None:
    root = repository(make_repo)
    mkdocs = (
        (root / "mkdocs.yml")
        .read_text()
        .replace("{name: material}", "{name: material, language: fr}")
    )
    (root / "mkdocs.yml").write_text(mkdocs)
    late = promise(build(root, "2026-11-30 10:40 UTC"))
    assert "Prochaine mise à jour au plus tard à" in late
    assert "Mise à jour en retard" in late


def test_next_update_placeholder_follows_update_every(make_repo: RepoWriter) -> None:
    root = repository(make_repo, "\n      update_every: 45")
    result = run(
        "new", "Slow dashboard", "-c", "dashboard", "--at", "2026-11-30 12:00 UTC", "--root", root
    )
    assert result.exit_code == 0, result.output
    text = Path(result.stdout.strip()).read_text(encoding="utf-8")
    assert "We will post an update by Nov 30, 2026, 12:45 UTC, sooner if we learn more." in text


def test_next_update_placeholder_without_update_every_is_a_clear_error(
    make_repo: RepoWriter,
) -> None:
    root = repository(make_repo, "\n      update_every: 0")
    before = sorted(p.name for p in (root / "incidents").iterdir())
    result = run("new", "Slow dashboard", "-c", "dashboard", "--root", root)
    assert result.exit_code == 1
    assert "investigating.md: '{next_update}' needs 'update_every' above 0 in mkdocs.yml" in (
        result.stderr
    )
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (root / "incidents").iterdir()) == before
    # A message given by hand needs no promise.
    given = run("new", "Slow dashboard", "-c", "dashboard", "-m", "Looking.", "--root", root)
    assert given.exit_code == 0, given.output
