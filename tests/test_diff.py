"""``statusgen diff BASE [HEAD]`` between real git commits.

Each test builds a small history with GitPython and checks the Markdown report that a
reviewer reads in the pull request.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from statusgen.cli import main
from tests.conftest import COMPONENTS_YML, RepoWriter, commit_all, init_git, snapshot, write_files
from tests.conftest import statusgen as run_statusgen

NOW = "2026-11-30 12:00 UTC"

OPEN_WEBHOOKS = """\
---
title: Webhook delays
impact: minor
components: [webhooks]
---

## 2026-11-30 09:00 UTC — investigating
Webhooks are delivered late.
"""

RESOLVED_DASHBOARD = """\
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

UPCOMING_MAINTENANCE = """\
---
title: Database upgrade
type: maintenance
scheduled_start: 2026-12-15 02:00 UTC
scheduled_end: 2026-12-15 04:00 UTC
components: [api]
---

## 2026-11-27 09:00 UTC — scheduled
We will upgrade the database.
"""

NEW_API_INCIDENT = """\
---
title: Elevated error rates on the API
impact: major
components:
  api: partial_outage
---

## 2026-11-30 11:50 UTC — investigating
We are investigating elevated error rates.
Next update within 30 minutes.
"""

WEBHOOKS = "2026-11-30-webhook-delays"
DASHBOARD = "2026-11-10-slow-dashboard"
MAINTENANCE = "2026-12-15-database-upgrade"
API = "2026-11-30-api-errors"


def link(title: str, event_id: str) -> str:
    return f"[{title}](https://status.example.com/incidents/{event_id}/) (`{event_id}`)"


class History:
    """A status repository in a git repository, committed step by step."""

    def __init__(self, top: Path, root: Path) -> None:
        self.top, self.root = top, root
        self.repo = init_git(top)

    def commit(self, message: str, files: dict[str, str | None]) -> str:
        """Write (or, for None, delete) files relative to the status root; commit all."""
        write_files(self.root, files)
        return commit_all(self.repo, message).hexsha

    def edit(self, name: str, old: str, new: str) -> str:
        text = (self.root / name).read_text(encoding="utf-8")
        assert old in text
        return text.replace(old, new)


@pytest.fixture
def history(make_repo: RepoWriter) -> History:
    """A repository whose first commit has an open incident, a resolved one and an
    upcoming maintenance."""
    root = make_repo(
        {
            f"{WEBHOOKS}.md": OPEN_WEBHOOKS,
            f"{DASHBOARD}.md": RESOLVED_DASHBOARD,
            f"{MAINTENANCE}.md": UPCOMING_MAINTENANCE,
        }
    )
    result = History(root, root)
    result.commit("Status repository", {})
    return result


def diff(root: Path, *revisions: str, now: str | None = NOW) -> Result:
    args = ["diff", *revisions, "--root", str(root)]
    if now is not None:
        args += ["--now", now]
    result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"statusgen diff raised {result.exception!r}")
    return result


def report(root: Path, base: str, head: str = "HEAD", now: str = NOW) -> str:
    result = diff(root, base, head, now=now)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


# What a change shows ---------------------------------------------------------------------


def test_new_incident(history: History) -> None:
    base = history.repo.head.commit.hexsha
    history.commit("Open", {f"incidents/{API}.md": NEW_API_INCIDENT})
    text = report(history.root, base)
    assert text == (
        f"### Status page changes: `{base}` → `HEAD`\n"
        "\n"
        "As the page would be at 2026-11-30 12:00 UTC.\n"
        "\n"
        "**Overall status:** Minor Service Outage → Partial System Outage\n"
        "\n"
        "| Component | Before | After |\n"
        "|---|---|---|\n"
        "| API | Operational | Partial outage |\n"
        "\n"
        f"- **New incident** {link('Elevated error rates on the API', API)}: impact major; "
        "affects API (partial outage)\n"
        f"- **Investigating** on {link('Elevated error rates on the API', API)} "
        "(2026-11-30 11:50 UTC)\n"
        "  > We are investigating elevated error rates.\n"
        "  > Next update within 30 minutes.\n"
    )


def test_new_update_and_resolution(history: History) -> None:
    base = history.repo.head.commit.hexsha
    name = f"incidents/{WEBHOOKS}.md"
    identified = history.edit(
        name,
        "\n## 2026-11-30 09:00",
        "\n## 2026-11-30 10:00 UTC — identified\nA queue is stuck.\n\n## 2026-11-30 09:00",
    )
    middle = history.commit("Identified", {name: identified})
    text = report(history.root, base, middle)
    assert "**Overall status:**" not in text
    assert "| Component |" not in text  # still degraded
    assert (
        f"- **Identified** on {link('Webhook delays', WEBHOOKS)} (2026-11-30 10:00 UTC)\n"
        "  > A queue is stuck.\n" in text
    )
    assert f"- {link('Webhook delays', WEBHOOKS)} is now **identified** (was investigating)" in text

    resolved = history.edit(
        name,
        "\n## 2026-11-30 10:00",
        "\n## 2026-11-30 11:00 UTC — resolved\nAll delivered.\n\n## 2026-11-30 10:00",
    )
    history.commit("Resolved", {name: resolved})
    text = report(history.root, middle)
    assert "**Overall status:** Minor Service Outage → All Systems Operational" in text
    assert "| Webhooks | Degraded performance | Operational |" in text
    assert (
        f"- **Resolved** on {link('Webhook delays', WEBHOOKS)} (2026-11-30 11:00 UTC)\n"
        "  > All delivered.\n" in text
    )
    assert f"- {link('Webhook delays', WEBHOOKS)} is now **resolved** (was identified)" in text
    assert "**Identified** on" not in text  # only what this change adds

    # Over both commits: both updates, oldest first, and one transition.
    text = report(history.root, base)
    assert text.index("**Resolved** on") < text.index("**Identified** on")  # newest first
    assert "is now **resolved** (was investigating)" in text


def test_update_in_the_future_is_shown_from_its_time(history: History) -> None:
    base = history.repo.head.commit.hexsha
    name = f"incidents/{WEBHOOKS}.md"
    history.commit(
        "Later",
        {
            name: history.edit(
                name,
                "\n## 2026-11-30 09:00",
                "\n## 2026-11-30 13:00 UTC — resolved\nSoon.\n\n## 2026-11-30 09:00",
            )
        },
    )
    text = report(history.root, base)
    assert "(2026-11-30 13:00 UTC, shown from then on)\n  > Soon." in text
    assert "| Component |" not in text  # not resolved yet at --now
    later = report(history.root, base, now="2026-11-30 14:00 UTC")
    assert "| Webhooks | Degraded performance | Operational |" in later
    assert "shown from then on" not in later


def test_postmortem_draft_and_completion(history: History) -> None:
    base = history.repo.head.commit.hexsha
    assert (
        CliRunner().invoke(main, ["postmortem", DASHBOARD, "--root", str(history.root)]).exit_code
        == 0
    )
    draft = history.commit("Postmortem draft", {})
    text = report(history.root, base)
    assert text.endswith(
        f"- **Postmortem published** for {link('Slow dashboard', DASHBOARD)} "
        "⚠️ it still contains TODO: complete it before merging\n"
    )
    assert "| Component |" not in text

    name = f"incidents/{DASHBOARD}.md"
    draft_text = (history.root / name).read_text(encoding="utf-8")
    completed = draft_text.split("# Postmortem")[0] + "# Postmortem\nThe cache was cold.\n"
    history.commit("Postmortem", {name: completed})
    assert report(history.root, draft).endswith(
        f"- **Postmortem edited** for {link('Slow dashboard', DASHBOARD)}\n"
    )
    assert report(history.root, base).endswith(
        f"- **Postmortem published** for {link('Slow dashboard', DASHBOARD)}\n"
    )


def test_completed_draft_is_not_flagged(history: History) -> None:
    base = history.repo.head.commit.hexsha
    assert (
        CliRunner().invoke(main, ["postmortem", DASHBOARD, "--root", str(history.root)]).exit_code
        == 0
    )
    name = f"incidents/{DASHBOARD}.md"
    completed = (history.root / name).read_text(encoding="utf-8").replace("TODO: ", "Done: ")
    assert "TODO:" not in completed
    history.commit("Postmortem", {name: completed})
    assert report(history.root, base).endswith(
        f"- **Postmortem published** for {link('Slow dashboard', DASHBOARD)}\n"
    )


def test_maintenance_rescheduled_and_announced(history: History) -> None:
    base = history.repo.head.commit.hexsha
    name = f"incidents/{MAINTENANCE}.md"
    moved = history.edit(
        name,
        "2026-12-15 02:00 UTC\nscheduled_end: 2026-12-15 04:00",
        "2026-12-16 02:00 UTC\nscheduled_end: 2026-12-16 05:00",
    )
    history.commit(
        "Move the maintenance; announce another",
        {
            name: moved,
            "incidents/2026-11-30-dns.md": (
                "---\ntitle: DNS migration\ntype: maintenance\n"
                "scheduled_start: 2026-11-30 11:00 UTC\nscheduled_end: 2026-11-30 13:00 UTC\n"
                "components: [website]\n---\n\n## 2026-11-29 08:00 UTC — scheduled\nDNS moves.\n"
            ),
        },
    )
    text = report(history.root, base)
    assert (
        f"- **Rescheduled** {link('Database upgrade', MAINTENANCE)}: "
        "2026-12-16 02:00 UTC to 2026-12-16 05:00 UTC\n" in text
    )
    assert (
        f"- **New maintenance** {link('DNS migration', '2026-11-30-dns')}: "
        "2026-11-30 11:00 UTC to 2026-11-30 13:00 UTC; affects Website (under maintenance)\n"
    ) in text
    assert "| Website | Operational | Under maintenance |" in text  # inside its window now
    assert "**Scheduled** on" in text


def test_removed_renamed_and_edited(history: History) -> None:
    base = history.repo.head.commit.hexsha
    name = f"incidents/{WEBHOOKS}.md"
    edited = (
        OPEN_WEBHOOKS.replace("title: Webhook delays", "title: Webhook outage")
        .replace("impact: minor", "impact: critical")
        .replace("delivered late", "not delivered")
    )
    history.commit("Edit", {name: edited, f"incidents/{DASHBOARD}.md": None})
    text = report(history.root, base)
    assert f"- **Renamed** {link('Webhook outage', WEBHOOKS)} (was “Webhook delays”)" in text
    assert f"- **Impact** of {link('Webhook outage', WEBHOOKS)}: minor → critical" in text
    assert f"- **Affected components** of {link('Webhook outage', WEBHOOKS)} changed" in text
    assert (
        f"- **Edited update** of {link('Webhook outage', WEBHOOKS)} at 2026-11-30 09:00 UTC" in text
    )
    assert f"- **Removed** incident {link('Slow dashboard', DASHBOARD)}" in text
    assert "| Webhooks | Degraded performance | Major outage |" in text
    assert "**Overall status:** Minor Service Outage → Major Service Outage" in text


def test_new_component(history: History) -> None:
    base = history.repo.head.commit.hexsha
    history.commit(
        "Search", {"components.yml": COMPONENTS_YML + "  - id: search\n    name: Search\n"}
    )
    assert "| Search | (new) | Operational |" in report(history.root, base)


def test_removed_component_is_reported(history: History) -> None:
    base = history.repo.head.commit.hexsha
    without = COMPONENTS_YML.replace(
        "  - id: website\n    name: Website\n    since: 2026-11-01\n", ""
    )
    assert without != COMPONENTS_YML
    history.commit("No website", {"components.yml": without})
    text = report(history.root, base)
    assert "No change to the public page." not in text
    assert "Website" in text


def test_no_visible_change(history: History) -> None:
    base = history.repo.head.commit.hexsha
    history.commit(
        "Housekeeping",
        {
            "README.md": "# Our status page\n",
            "templates/investigating.md": "We are looking into {components}.\n",
            "components.yml": "# Ids are permanent.\n" + COMPONENTS_YML,
            f"incidents/{DASHBOARD}.md": None,
            f"incidents/2026/{DASHBOARD}.md": RESOLVED_DASHBOARD,  # moved, same id
        },
    )
    expected = f"### Status page changes: `{base}` → `HEAD`\n\nNo change to the public page.\n"
    assert report(history.root, base) == expected
    assert report(history.root, "HEAD", "HEAD") == (
        "### Status page changes: `HEAD` → `HEAD`\n\nNo change to the public page.\n"
    )


# Reading revisions -------------------------------------------------------------------------


def test_reads_commits_not_the_working_tree(history: History) -> None:
    base = history.repo.head.commit.hexsha
    history.commit("Open", {f"incidents/{API}.md": NEW_API_INCIDENT})
    history.repo.create_tag("v1")
    expected = report(history.root, base)
    assert f"**New incident** {link('Elevated error rates on the API', API)}" in expected

    # Uncommitted changes of every kind: a new incident, a deleted one, a broken one,
    # and components.yml emptied.
    root = history.root
    (root / "incidents" / "2026-11-30-uncommitted.md").write_text(
        NEW_API_INCIDENT.replace("title: Elevated error rates on the API", "title: Uncommitted"),
        encoding="utf-8",
    )
    (root / "incidents" / f"{API}.md").unlink()
    (root / "incidents" / f"{WEBHOOKS}.md").write_text("not an incident\n", encoding="utf-8")
    (root / "components.yml").write_text("components: []\n", encoding="utf-8")
    history.repo.git.add("incidents/2026-11-30-uncommitted.md")  # staged, not committed
    before = snapshot(history.top)

    noted = diff(root, base, "HEAD")
    assert noted.stdout == expected
    assert "Not compared, not committed: components.yml, incidents/" in noted.stderr
    assert diff(root, base).stdout == expected  # HEAD is the default
    assert report(root, base, "v1").replace("`v1`", "`HEAD`") == expected
    assert report(root, base, "main").replace("`main`", "`HEAD`") == expected
    assert snapshot(history.top) == before  # nothing checked out or rewritten
    assert history.repo.is_dirty()


def test_root_in_a_subfolder_of_the_git_repository(tmp_path: Path) -> None:
    top = tmp_path / "project"
    root = top / "status"
    root.mkdir(parents=True)
    history = History(top, root)
    base = history.commit(
        "Code and status page",
        {
            "components.yml": COMPONENTS_YML,
            f"incidents/{WEBHOOKS}.md": OPEN_WEBHOOKS,
            "../code.py": "print('hello')\n",
        },
    )
    code = history.commit("Code only", {"../code.py": "print('world')\n"})
    assert report(root, base, code) == (
        f"### Status page changes: `{base}` → `{code}`\n\nNo change to the public page.\n"
    )
    history.commit("Open", {f"incidents/{API}.md": NEW_API_INCIDENT})
    text = report(root, base)
    assert "| API | Operational | Partial outage |" in text
    # No mkdocs.yml in the subfolder, so no site_url: links stay relative.
    relative = link("Elevated error rates on the API", API).replace(
        "https://status.example.com/", ""
    )
    assert f"**New incident** {relative}" in text
    assert "Webhook delays" not in text
    # A relative --root, from the top of the repository.
    result = subprocess.run(
        [sys.executable, "-m", "statusgen", "diff", base, "--root", "status", "--now", NOW],
        capture_output=True,
        text=True,
        cwd=top,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == text


# Errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("revisions", [("nope",), ("HEAD", "nope"), ("HEAD~5", "HEAD")])
def test_unknown_revision(history: History, revisions: tuple[str, ...]) -> None:
    result = diff(history.root, *revisions)
    assert result.exit_code == 1
    bad = revisions[0] if revisions[0] != "HEAD" else revisions[1]
    assert f"unknown git revision '{bad}': give a branch, tag or commit" in result.stderr
    assert result.stdout == ""


def test_invalid_file_in_head(history: History) -> None:
    base = history.repo.head.commit.hexsha
    broken = NEW_API_INCIDENT.replace("11:50 UTC", "11:50").replace("api:", "apii:")
    history.commit("Broken", {f"incidents/{API}.md": broken})
    # The working tree is fixed, the commit is not: the commit is what counts.
    (history.root / "incidents" / f"{API}.md").write_text(NEW_API_INCIDENT, encoding="utf-8")
    result = diff(history.root, base)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert any(
        line.startswith(f"incidents/{API}.md:5: unknown component 'apii' (did you mean 'api'?)")
        for line in lines
    ), lines
    assert any(
        line.startswith(f"incidents/{API}.md:8: ") and "no time zone" in line for line in lines
    ), lines
    assert "Traceback" not in result.output
    # The other way round too: an invalid base is reported, not skipped.
    assert diff(history.root, "HEAD", base).exit_code == 1


def test_not_a_git_repository(make_repo: RepoWriter) -> None:
    root = make_repo({f"{WEBHOOKS}.md": OPEN_WEBHOOKS})
    result = diff(root, "HEAD~1")
    assert result.exit_code == 1
    assert "is not in a git repository" in result.stderr


def test_story_of_a_pull_request_as_real_processes(history: History) -> None:
    """The reviewer's view of a branch made with the authoring commands and --commit."""
    root = history.root

    def statusgen(*args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "statusgen", *args],
            capture_output=True,
            text=True,
            cwd=root,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result

    statusgen(
        "new", "API errors", "-c", "api=major_outage", "--at", "2026-11-30 11:00 UTC", "--commit"
    )
    statusgen(
        "update",
        API,
        "-s",
        "identified",
        "-m",
        "A bad deploy.",
        "--at",
        "2026-11-30 11:20 UTC",
        "--commit",
    )
    text = statusgen("diff", "main", "--now", NOW).stdout
    assert history.repo.active_branch.name == f"status/{API}"
    assert "**Overall status:** Minor Service Outage → Major Service Outage" in text
    assert "| API | Operational | Major outage |" in text
    assert (
        f"- **New incident** {link('API errors', API)}: impact critical; affects API (major outage)"
        in text
    )
    assert "- **Investigating** on" in text
    assert "- **Identified** on" in text
    assert "  > A bad deploy." in text

    statusgen("resolve", API, "--at", "2026-11-30 11:45 UTC", "--commit")
    statusgen("postmortem", API, "--commit")
    text = statusgen("diff", "main", "HEAD", "--now", NOW).stdout
    assert "| Component |" not in text  # opened and resolved within the change
    assert "**Overall status:**" not in text
    assert f"- **Resolved** on {link('API errors', API)} (2026-11-30 11:45 UTC)" in text
    assert "it still contains TODO" in text
    step = statusgen("diff", "HEAD~1", "--now", NOW).stdout
    assert step.endswith(
        f"- **Postmortem published** for {link('API errors', API)} "
        "⚠️ it still contains TODO: complete it before merging\n"
    )


def test_uncommitted_changes_are_named_or_compared_with_worktree(history: History) -> None:
    resolved = history.edit(
        f"incidents/{WEBHOOKS}.md",
        "---\n\n",
        "---\n\n## 2026-11-30 11:00 UTC — resolved\nFixed.\n\n",
    )
    (history.root / f"incidents/{WEBHOOKS}.md").write_text(resolved, encoding="utf-8")

    committed = diff(history.root, "HEAD")
    assert committed.exit_code == 0, committed.output
    assert "No change to the public page." in committed.stdout
    assert f"Not compared, not committed: incidents/{WEBHOOKS}.md" in committed.stderr
    assert "--worktree" in committed.stderr

    working = diff(history.root, "HEAD", "--worktree")
    assert working.exit_code == 0, working.output
    assert "`HEAD` → `working tree`" in working.stdout
    assert "**Resolved**" in working.stdout
    assert working.stderr == ""

    both = diff(history.root, "HEAD", "HEAD", "--worktree")
    assert both.exit_code == 2
    assert "give HEAD or --worktree, not both" in both.stderr


def test_hidden_comments_are_shown_to_reviewers_verbatim(history: History) -> None:
    base = history.repo.head.commit.hexsha
    name = f"incidents/{DASHBOARD}.md"
    text = (history.root / name).read_text(encoding="utf-8")
    hidden = "<!-- <img src=https://tracker.example/p.gif> call ```ops``` -->"
    history.commit("A comment", {name: text.replace("\n## ", f"\n{hidden}\n## ", 1)})
    shown = report(history.root, base)
    assert f"- **Hidden comment** in {link('Slow dashboard', DASHBOARD)}, line " in shown
    assert "  ````\n  <img src=https://tracker.example/p.gif> call ```ops```\n  ````" in shown


def test_revisions_in_any_syntax_git_knows(history: History) -> None:
    result = run_statusgen("diff", "HEAD@{yesterday}", "--root", history.root, "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert "`HEAD@{yesterday}` → `HEAD`" in result.stdout


def test_a_commit_missing_from_a_shallow_clone_is_a_clear_error(
    history: History, tmp_path: Path
) -> None:
    history.commit("Another step", {})
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{history.top}", str(clone)], check=True
    )
    root = clone / history.root.relative_to(history.top)
    result = run_statusgen("diff", "HEAD~1", "--root", root, "--now", NOW)
    assert result.returncode == 1
    assert "unknown git revision 'HEAD~1'" in result.stderr
    assert "git fetch --unshallow" in result.stderr
    assert "Traceback" not in result.stderr


def test_component_changes_in_updates_are_reported_per_component_in_time_order(
    history: History,
) -> None:
    base = history.repo.head.commit.hexsha
    name = f"incidents/{WEBHOOKS}.md"
    changed = history.edit(
        name,
        "\n## 2026-11-30 09:00",
        "\n## 2026-11-30 11:00 UTC — monitoring [webhooks: operational, api: operational]\n"
        "Delivered again.\n\n"
        "## 2026-11-30 10:00 UTC — identified [webhooks: major_outage, api: degraded_performance]\n"
        "A queue is stuck; the API is slow too.\n\n## 2026-11-30 09:00",
    )
    head = history.commit("Changes", {name: changed})
    text = report(history.root, base, head)
    # At noon both are operational again: the table shows the webhooks' recovery only...
    assert "| Webhooks | Degraded performance | Operational |" in text
    assert "| API |" not in text
    # ...but the reviewer reads each transition, component by component, oldest first.
    assert (
        "**Component changes in updates:**\n\n"
        "- API: Operational → Degraded performance at 2026-11-30 10:00 UTC\n"
        "- API: Degraded performance → Operational at 2026-11-30 11:00 UTC\n"
        "- Webhooks: Degraded performance → Major outage at 2026-11-30 10:00 UTC\n"
        "- Webhooks: Major outage → Operational at 2026-11-30 11:00 UTC\n"
    ) in text

    # Editing only a bracket is an edit, and its new transition is reported.
    edited = history.edit(name, "[webhooks: major_outage,", "[webhooks: partial_outage,")
    history.commit("Edited bracket", {name: edited})
    text = report(history.root, head)
    assert (
        f"- **Edited update** of {link('Webhook delays', WEBHOOKS)} at 2026-11-30 10:00 UTC" in text
    )
    assert "- Webhooks: Degraded performance → Partial outage at 2026-11-30 10:00 UTC\n" in text
    assert "Major outage → Operational" not in text  # the unchanged update is not repeated
