"""A drill's git branch: ``drill/<date>-<scenario>``, opened by a start commit.

The start commit changes no file; its message records the scenario and the start time
(``--at`` sets both its git dates and the recorded time, so that a rehearsed drill has
the times it claims). ``statusgen drill report`` finds it again by that message, and
``statusgen drill end`` deletes nothing: removing the branch is left to the team.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import git

from statusgen.core.errors import StatusgenError
from statusgen.core.timestamps import TimestampError, format_timestamp, isoformat, parse_timestamp
from statusgen.workflow.drills.scenarios import Scenario
from statusgen.workflow.gitrepo import check_can_commit, default_branches, open_repository

BRANCH_PREFIX = "drill/"
SCENARIO_TRAILER = "Statusgen-Drill"
STARTED_TRAILER = "Statusgen-Drill-Started"
UNSCRIPTED = "unscripted"
"""The scenario of a drill started without one (the facilitator brings the brief)."""


@dataclass(frozen=True, slots=True)
class DrillStart:
    """What a drill's start commit records."""

    branch: str
    scenario: str
    title: str
    started_at: datetime
    commit: str


def is_drill_branch(name: str) -> bool:
    return name.startswith(BRANCH_PREFIX)


def on_drill_branch(root: Path) -> bool:
    """Whether the repository at ``root`` is a git repository on a drill branch: what
    ``statusgen new`` writes there is marked ``drill: true``."""
    try:
        repo = open_repository(root)
    except StatusgenError:
        return False
    return not repo.head.is_detached and is_drill_branch(repo.active_branch.name)


def start_drill(root: Path, scenario: Scenario | None, at: datetime) -> DrillStart:
    """Create the branch ``drill/<date>-<scenario>`` with its start commit and switch to it.

    :raises StatusgenError: on a drill branch already, when the drill was started
        already, or when git refuses.
    """
    at = at.astimezone(UTC).replace(microsecond=0)
    repo = check_can_commit(root)
    current = repo.active_branch.name
    if is_drill_branch(current):
        started = find_start(repo, current)
        raise StatusgenError(
            f"you are on the drill branch {current} (started "
            f"{format_timestamp(started.started_at)}): finish it with statusgen drill end, "
            "switch back (git switch main), then start the next drill"
        )
    name = scenario.name if scenario is not None else UNSCRIPTED
    branch = f"{BRANCH_PREFIX}{at:%Y-%m-%d}-{name}"
    if branch in repo.heads:
        started = find_start(repo, branch)
        raise StatusgenError(
            f"the drill {branch} was started already ({format_timestamp(started.started_at)}): "
            f"continue it with git switch {branch}, or remove it first (statusgen drill end "
            f"{branch} says how)"
        )
    title = scenario.title if scenario is not None else "Drill"
    message = (
        f"Start drill: {title}\n\n{SCENARIO_TRAILER}: {name}\n"
        f"{STARTED_TRAILER}: {format_timestamp(at)}\n"
    )
    stamp = isoformat(at)
    try:
        parent = repo.head.commit
    except ValueError:
        raise StatusgenError(
            "the repository has no commit yet: commit the status site first (git commit)"
        ) from None
    try:
        commit = repo.git.commit_tree(
            parent.tree.hexsha,
            "-p",
            parent.hexsha,
            "-m",
            message,
            env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
        )
        # From a commit whose tree is HEAD's: the index and the working tree stay as
        # they are, so nothing the team was editing is lost or committed.
        repo.git.switch("-c", branch, commit)
    except git.GitCommandError as error:
        raise StatusgenError(f"git: {error.stderr.strip() or error}") from None
    return DrillStart(branch, name, title, at, commit)


_TRAILER = re.compile(r"^(?P<key>[A-Za-z-]+): (?P<value>.+)$", re.MULTILINE)


def find_start(repo: git.Repo, branch: str) -> DrillStart:
    """The start of the drill on ``branch``: its latest start commit in first-parent
    history.

    :raises StatusgenError: when ``branch`` does not exist or is not a drill.
    """
    how = "drills are branches drill/<date>-<scenario> made by statusgen drill start"
    if not is_drill_branch(branch):
        raise StatusgenError(f"'{branch}' is not a drill branch: {how}")
    if branch not in repo.heads:
        raise StatusgenError(f"there is no branch '{branch}' (git branch --list 'drill/*')")
    for commit in repo.iter_commits(branch, first_parent=True):
        trailers = {m["key"]: m["value"].strip() for m in _TRAILER.finditer(str(commit.message))}
        if STARTED_TRAILER in trailers and SCENARIO_TRAILER in trailers:
            try:
                started = parse_timestamp(trailers[STARTED_TRAILER])
            except TimestampError as error:
                raise StatusgenError(
                    f"{branch}: the start commit {commit.hexsha[:12]} has a broken "
                    f"{STARTED_TRAILER} line: {error}"
                ) from None
            title = str(commit.summary).removeprefix("Start drill: ")
            return DrillStart(branch, trailers[SCENARIO_TRAILER], title, started, commit.hexsha)
    raise StatusgenError(f"'{branch}' is not a drill: it has no start commit; {how}")


def drill_branch(root: Path, branch: str | None) -> str:
    """``branch``, or the branch checked out at ``root`` when it is None.

    :raises StatusgenError: outside git or on a detached HEAD.
    """
    return branch or check_can_commit(root).active_branch.name


def end_instructions(root: Path, branch: str) -> str:
    """What ``statusgen drill end`` prints: nothing is deleted, here is how to.

    :raises StatusgenError: when ``branch`` is not a drill.
    """
    repo = open_repository(root)
    start = find_start(repo, branch)
    names = default_branches(repo)
    main = next((name for name in ("main", "master") if name in repo.heads), None)
    main = main or next((name for name in sorted(names) if name in repo.heads), "main")
    return "\n".join(
        [
            f"Drill {start.branch} ({start.title}), started {format_timestamp(start.started_at)}.",
            "Nothing was deleted. To keep its report and remove the drill:",
            f"  statusgen drill report {start.branch} --save",
            f"  git switch {main}",
            f"  git add drills/reports && git commit -m 'Drill report: {start.title}'",
            f"  git branch -D {start.branch}",
            f"  git push origin --delete {start.branch}   (if you pushed it; close its pull "
            "request without merging)",
        ]
    )
