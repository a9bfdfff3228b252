"""What was delivered to whom, kept in git.

The ledger lives on the branch ``statusgen/notifications`` (file ``delivered.json``;
targets are known only by a hash of their URL, never the URL): a rerun sends nothing
twice, and a run that failed half-way is completed by the next one.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import datetime

import git

from statusgen.core.errors import StatusgenError
from statusgen.core.timestamps import isoformat, parse_timestamp
from statusgen.workflow.notices import Notice
from statusgen.workflow.notify.channels import Target

LEDGER_BRANCH = "statusgen/notifications"
LEDGER_FILE = "delivered.json"


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
        """:raises ValueError: when the text is not a ledger, saying what is wrong: a
        value of the wrong type must not be taken for another (a string read as a set
        of its characters would send every notice again)."""
        document = json.loads(text)
        if not isinstance(document, dict):
            raise ValueError(f"expected an object, found {_json_kind(document)}")
        unknown = sorted(set(document) - {"last_run", "pending", "delivered"})
        if unknown:
            raise ValueError(f"unknown key '{unknown[0]}'")
        last_run = document.get("last_run")
        if last_run is not None and not isinstance(last_run, str):
            raise ValueError(f"'last_run' must be a timestamp, found {_json_kind(last_run)}")
        delivered = document.get("delivered", {})
        if not isinstance(delivered, dict):
            raise ValueError(f"'delivered' must be an object, found {_json_kind(delivered)}")
        return cls(
            delivered={t: _strings(keys, f"delivered.{t}") for t, keys in delivered.items()},
            last_run=parse_timestamp(last_run) if last_run else None,
            pending=_strings(document.get("pending", []), "pending"),
        )


def _strings(value: object, where: str) -> set[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"'{where}' must be a list of notice keys, found {_json_kind(value)}")
    return set(value)


def _json_kind(value: object) -> str:
    """What a JSON value is, in words."""
    if isinstance(value, list):
        return "a list" if all(isinstance(i, str) for i in value) else "a list of non-strings"
    if isinstance(value, dict):
        return "an object"
    return "null" if value is None else f"{type(value).__name__} {json.dumps(value)}"


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
