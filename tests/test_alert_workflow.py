"""The alert workflow's scripts, run as GitHub Actions would run them.

The two ``run:`` scripts of ``.github/workflows/alert.yml`` (the one ``statusgen init``
writes) are run with bash in a real clone of a real repository whose ``origin`` is a
local bare repository, with the environment the workflow gives them. Only the GitHub
API is replaced: ``gh`` is a script on ``PATH`` that records its arguments and answers
``gh pr list`` with the pull request it was told exists (GitHub's API cannot be reached
from a test). Everything else (statusgen, git, the push) is real.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import git
import pytest
import yaml

from tests.conftest import RepoWriter, commit_all, init_git
from tests.test_alerts import COMPONENTS, DATA

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = (
    ROOT / "statusgen" / "workflow" / "scaffold_files" / ".github" / "workflows" / "alert.yml"
)
FAKE_GH = """\
#!/bin/sh
# The GitHub API, replaced: records each call; `gh pr list` prints the open pull request.
printf '%s\\n' "$*" >> "$GH_LOG"
case "$1 $2" in
  "pr list") if [ -f "$GH_OPEN_PR" ]; then cat "$GH_OPEN_PR"; fi ;;
  "pr create"|"pr edit")
    while [ $# -gt 0 ]; do
      if [ "$1" = "--body-file" ]; then cp "$2" "$GH_BODY"; fi
      shift
    done ;;
esac
"""


def scripts() -> dict[str, str]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["propose"]["steps"]
    return {step["name"]: step["run"] for step in steps if "run" in step}


class Runner:
    """One run of the workflow: a fresh checkout of ``origin``, as actions/checkout makes
    it (all history and branches, no token kept), then the scripts."""

    def __init__(self, origin: Path, work: Path, gh: Path) -> None:
        self.origin, self.work, self.gh = origin, work, gh
        self.temp = work / "runner-temp"
        self.temp.mkdir(parents=True)
        self.checkout = work / "checkout"
        git.Repo.clone_from(origin, self.checkout)
        self.output = work / "github-output"
        self.output.touch()

    def environment(self, **extra: str) -> dict[str, str]:
        path = os.pathsep.join(
            [str(self.gh.parent), str(Path(sys.executable).parent), os.environ["PATH"]]
        )
        return {
            "PATH": path,
            "HOME": str(self.work),
            "RUNNER_TEMP": str(self.temp),
            "GITHUB_OUTPUT": str(self.output),
            "GH_LOG": str(self.work / "gh.log"),
            "GH_OPEN_PR": str(self.work / "open-pr"),
            "GH_BODY": str(self.work / "body.md"),
            "GIT_AUTHOR_NAME": "github-actions[bot]",
            "GIT_AUTHOR_EMAIL": "41898282+github-actions[bot]@users.noreply.github.com",
            "GIT_COMMITTER_NAME": "github-actions[bot]",
            "GIT_COMMITTER_EMAIL": "41898282+github-actions[bot]@users.noreply.github.com",
            **extra,
        }

    def step(self, name: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", scripts()[name]],
            cwd=self.checkout,
            env=self.environment(**env),
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )

    @property
    def outputs(self) -> dict[str, str]:
        lines = self.output.read_text(encoding="utf-8").splitlines()
        return dict(line.split("=", 1) for line in lines)

    @property
    def gh_calls(self) -> list[str]:
        log = self.work / "gh.log"
        return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


@pytest.fixture
def origin(make_repo: RepoWriter, tmp_path: Path) -> Path:
    """The repository on GitHub: a bare repository with one commit on main."""
    root = make_repo({}, components=COMPONENTS)
    (root / "incidents" / ".gitkeep").write_text("")
    commit_all(init_git(root), "Status repository")
    bare = tmp_path / "origin.git"
    git.Repo.clone_from(root, bare, bare=True)
    return bare


@pytest.fixture
def gh(tmp_path: Path) -> Path:
    path = tmp_path / "bin" / "gh"
    path.parent.mkdir()
    path.write_text(FAKE_GH, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def dispatch(runner: Runner, payload: Path, source: str = "") -> None:
    """The two steps, with what repository_dispatch puts in client_payload."""
    document = json.loads(payload.read_text(encoding="utf-8"))
    alert = runner.step(
        "Turn the alerts into a change", PAYLOAD=json.dumps(document, indent=2), SOURCE=source
    )
    assert alert.returncode == 0, alert.stdout + alert.stderr
    if runner.outputs["branch"].startswith("status/"):
        pushed = runner.step(
            "Push the branch and open or update its pull request",
            GITHUB_TOKEN="not-a-real-token",
            GH_TOKEN="not-a-real-token",
            BRANCH=runner.outputs["branch"],
            BASE="main",
        )
        assert pushed.returncode == 0, pushed.stdout + pushed.stderr


def test_an_alert_opens_a_pull_request_and_a_replay_only_edits_it(
    origin: Path, gh: Path, tmp_path: Path
) -> None:
    if shutil.which("bash") is None:
        pytest.fail("bash is needed to run the workflow's scripts")
    first = Runner(origin, tmp_path / "run-1", gh)
    dispatch(first, DATA / "alertmanager-firing.json", "alertmanager")
    # Dated by the clock: the run acknowledges now.
    branch = first.outputs["branch"]
    assert branch.startswith("status/")
    assert branch.endswith("-blackbox-probe-failure-https-api-example-com")
    remote = git.Repo(origin)
    assert branch in [head.name for head in remote.heads]
    assert remote.heads["main"].commit.message.strip() == "Status repository"
    label, listed, created = first.gh_calls
    assert label.startswith("label create statusgen-alert ")
    assert listed == f"pr list --head {branch} --state open --json number --jq .[0].number"
    assert created.startswith(f"pr create --base main --head {branch} --title Open incident ")
    assert created.endswith("--label statusgen-alert")
    body = (tmp_path / "run-1" / "body.md").read_text(encoding="utf-8")
    assert "BlackBox Probe Failure" in body
    pushed = remote.heads[branch].commit.hexsha

    # The same payload again, in a new run: the pull request exists; nothing new is pushed.
    (tmp_path / "run-2").mkdir()
    (tmp_path / "run-2" / "open-pr").write_text("7\n", encoding="utf-8")
    second = Runner(origin, tmp_path / "run-2", gh)
    dispatch(second, DATA / "alertmanager-firing.json")
    assert second.outputs == {"branch": branch}
    assert remote.heads[branch].commit.hexsha == pushed
    assert second.gh_calls[-1].startswith("pr edit 7 --body-file ")


def test_alerts_about_no_component_push_nothing(origin: Path, gh: Path, tmp_path: Path) -> None:
    document = json.loads((DATA / "generic-firing.json").read_text(encoding="utf-8"))
    document["labels"] = {"alertname": "DiskFull", "service": "billing"}
    payload = tmp_path / "payload.json"
    payload.write_text(json.dumps(document), encoding="utf-8")
    runner = Runner(origin, tmp_path / "run", gh)
    dispatch(runner, payload, "generic")
    assert runner.outputs == {"branch": "main"}
    assert runner.gh_calls == []
    assert [head.name for head in git.Repo(origin).heads] == ["main"]
