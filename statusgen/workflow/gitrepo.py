"""The status repository as git sees it: revisions read from objects, and commits.

``statusgen diff`` and ``notify`` read two revisions straight from git objects (no
checkout, nothing touched in the working tree); the authoring commands' ``--commit``
commits one file, on a branch of its own when run on the default branch.
"""

from __future__ import annotations

import contextlib
from pathlib import Path, PurePosixPath

import git

from statusgen.content.loader import INCIDENTS_DIR, is_event_file
from statusgen.core.errors import StatusgenError

BRANCH_PREFIX = "status/"
TEMPLATE_TRAILER = "Statusgen-Template"
"""The commit-message line naming the message template of the update a commit adds:
``statusgen drill report`` lists the templates a drill used from it."""


def open_repository(root: Path) -> git.Repo:
    """The git repository that contains ``root``.

    :raises StatusgenError: when ``root`` is not inside a git repository.
    """
    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise StatusgenError(
            f"{root} is not in a git repository: run 'git init' there first"
        ) from None


class RevisionSource:
    """A status repository as it is in one git revision (a ``ContentSource``)."""

    def __init__(self, repo: git.Repo, revision: str, root: Path) -> None:
        try:
            # git itself reads the revision: GitPython knows only part of its syntax
            # (HEAD@{yesterday}), and a commit missing from a shallow clone must be caught.
            sha = repo.git.rev_parse("--verify", "--quiet", f"{revision}^{{commit}}")
            self.commit = repo.commit(sha)
        except (git.GitCommandError, git.BadName, ValueError):
            fetch = "fetch the base branch first"
            if repo.git.rev_parse("--is-shallow-repository") == "true":
                fetch += ", or all the history of this shallow clone (git fetch --unshallow)"
            raise StatusgenError(
                f"unknown git revision '{revision}': give a branch, tag or commit "
                f"(for a pull request, {fetch})"
            ) from None
        self.revision = revision
        top = Path(repo.working_tree_dir or ".").resolve()
        prefix = root.resolve().relative_to(top).as_posix()
        self.prefix = "" if prefix == "." else f"{prefix}/"

    def describe(self) -> str:
        return f"revision {self.revision} ({self.commit.hexsha[:12]})"

    def read(self, path: str) -> bytes | None:
        try:
            blob = self.commit.tree / f"{self.prefix}{path}"
        except KeyError:
            return None
        if blob.type != "blob":
            return None
        data: bytes = blob.data_stream.read()
        return data

    def event_paths(self) -> list[str]:
        try:
            base = self.commit.tree / f"{self.prefix}{INCIDENTS_DIR}"
        except KeyError:
            return []
        paths = []
        for item in base.traverse():
            if not isinstance(item, git.Blob):
                continue
            relative = PurePosixPath(item.path).relative_to(self.prefix or ".")
            if is_event_file(relative.name) and not any(
                part.startswith(".") for part in relative.parts[:-1]
            ):
                paths.append(relative.as_posix())
        return sorted(paths)


def uncommitted_content(repo: git.Repo, root: Path) -> list[str]:
    """The content files of ``root`` (components.yml, incidents/) that the working tree
    changes, adds or deletes compared with HEAD, as paths from the repository's top."""
    # --no-optional-locks: a read must not refresh (write) the index.
    command = ["git", "--no-optional-locks", "status", "--porcelain", "--untracked-files=all"]
    paths = [str(root / "components.yml"), str(root / INCIDENTS_DIR)]
    listed = str(repo.git.execute([*command, "--", *paths]))
    return [line[3:] for line in listed.splitlines() if line.strip()]


def default_branches(repo: git.Repo) -> set[str]:
    """The names the default branch goes by: origin's HEAD, init.defaultBranch, main,
    master."""
    names = {"main", "master"}
    with contextlib.suppress(git.GitCommandError, IndexError):
        names.add(repo.git.symbolic_ref("refs/remotes/origin/HEAD", short=True).split("/", 1)[1])
    with contextlib.suppress(git.GitCommandError):
        names.add(repo.git.config("init.defaultBranch"))
    return names


def check_can_commit(root: Path) -> git.Repo:
    """The repository to commit in, checked before anything is written.

    :raises StatusgenError: outside a git repository or on a detached HEAD.
    """
    repo = open_repository(root)
    if repo.head.is_detached:
        raise StatusgenError(
            "HEAD is detached: switch to a branch (git switch main) before --commit"
        )
    return repo


def commit_file(
    repo: git.Repo,
    path: Path,
    event_id: str,
    message: str,
    template: str | None = None,
    *,
    branch_off: bool = True,
) -> str:
    """Commit ``path`` alone (whatever else is staged stays staged) with ``message`` (and
    a ``Statusgen-Template:`` line naming ``template``); on the default branch, first
    switch to a new branch ``status/<id>`` (``-2``, ``-3``… when taken) unless
    ``branch_off`` is False. Returns the branch name.

    :raises StatusgenError: when git refuses.
    """
    branch = repo.active_branch.name
    top = Path(repo.working_tree_dir or ".").resolve()
    relative = path.resolve().relative_to(top).as_posix()
    try:
        if branch_off and branch in default_branches(repo):
            branch = _free_branch_name(repo, f"{BRANCH_PREFIX}{event_id}")
            repo.git.switch("-c", branch)
        repo.git.add("--", relative)
        if template is not None:
            message = f"{message}\n\n{TEMPLATE_TRAILER}: {template}"
        repo.git.commit("-m", message, "--only", "--", relative)
    except git.GitCommandError as error:
        raise StatusgenError(f"git: {error.stderr.strip() or error}") from None
    return branch


def _free_branch_name(repo: git.Repo, name: str) -> str:
    existing = {head.name for head in repo.heads}
    candidate, number = name, 1
    while candidate in existing:
        number += 1
        candidate = f"{name}-{number}"
    return candidate
