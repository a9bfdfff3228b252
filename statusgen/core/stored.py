"""Results kept between runs in the user's cache folder: rendered Markdown, parsed files.

Each kind is one SQLite file of :class:`StoredTexts`, never in the repository: the
program trusts what it finds there, and a file that a pull request adds, or a ``.cache``
symbolic link, must not carry markup past the sanitiser, an event past validation, or
make a build write elsewhere.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path


def cache_folder() -> Path:
    """statusgen's folder in the user's cache folder (``$XDG_CACHE_HOME``, else
    ``~/.cache``). What makes it makes it readable by its owner only: it holds what the
    incident files say, restricted sections included."""
    home = Path(os.environ.get("XDG_CACHE_HOME", ""))
    base = home if home.is_absolute() else Path.home() / ".cache"  # relative: ignored, as XDG says
    return base / "statusgen"


def cache_file(kind: str, owner: Path) -> Path:
    """The file of one kind of result (``markdown``, ``events``) for one site, named by
    where ``owner`` (its configuration file, or its folder) really is."""
    site = hashlib.sha256(str(owner.resolve()).encode()).hexdigest()[:16]
    return cache_folder() / f"{kind}-{site}.sqlite"


KEY_SIZE = hashlib.sha256().digest_size
"""The bytes of a key: a SHA-256 digest."""


def _damaged(error: sqlite3.Error | OSError) -> bool:
    """Whether a failed query says that the file is not a store of results (corrupt,
    not SQLite, or another layout), rather than busy or unreadable."""
    if not isinstance(error, sqlite3.DatabaseError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return True
    return code == sqlite3.SQLITE_ERROR and str(error).startswith("no such ")


def _damaged_now(path: Path) -> bool:
    """Whether the file at ``path`` is still no store of results."""
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=1)) as connection:
            connection.execute("SELECT key, value, run FROM stored LIMIT 1").fetchall()
    except (sqlite3.Error, OSError) as error:
        return _damaged(error)
    return False


class StoredTexts:
    """Texts derived from source texts (the HTML of Markdown, the encoding of a parsed
    file), kept in one SQLite file by the hash of the settings and the source text: a new
    setting or version never reuses another's result.

    It is only ever a shortcut: a missing, corrupt, locked or read-only file is as good
    as an empty one (the result is made again, with the same bytes), and never an error.
    One file, not one per text (inodes cost on the disks sites are built on); it holds
    only what the last :data:`KEPT_RUNS` whole runs that changed it used, so edits do not
    make it grow (a run that finds every text it needs, and needs every stored one,
    writes nothing; one that changes it writes the texts it added, used again after a
    run that did not use them, or did not use, never the run of every text it used).
    """

    WRITTEN_FROM = 8_000_000
    """The characters of new results kept before they are written: a run that makes
    many (30,000 files parsed with a cold cache are 45 MB) writes them a few batches at
    a time rather than holding them all until it ends (one write a batch: a commit
    costs tens of milliseconds on some disks)."""

    KEPT_RUNS = 3
    """Builds of other views (an audience's, drills shown) use some other texts: a few
    runs in turn keep each view's texts."""

    def __init__(self, path: Path, settings: str) -> None:
        self.path = path
        self._prefix = hashlib.sha256(settings.encode()).digest()
        # Keys are the digests themselves: 65 bytes an object, against 113 for hex.
        self._entries: dict[bytes, str] | None = None
        self._used: set[bytes] = set()
        self._found: set[bytes] = set()
        """The used keys that the file has."""
        self._others: list[bytes] = []
        """The keys that other processes used for this run (:meth:`use`)."""
        self._new: dict[bytes, str] = {}
        self._again: dict[bytes, str] = {}
        """Results asked for again after they were dropped."""
        self._pending = 0
        """The characters of the new results."""
        self._broken = False
        """The file is not this store's (corrupt, another format): rebuilt when saved."""
        self._unavailable = False
        """A read failed (the file busy, unreadable): not asked again during this run."""

    def _key(self, source: str | bytes) -> bytes:
        data = source.encode() if isinstance(source, str) else source
        return hashlib.sha256(self._prefix + data).digest()

    def load(self) -> dict[bytes, str]:
        if self._entries is None:
            self._entries = self._load()
        return self._entries

    def get(self, source: str | bytes, *, keep: bool = True) -> str | None:
        """The result stored for ``source`` (a text, or a file's bytes), if any, from
        every stored result, read at once (:meth:`load`); without ``keep`` (its caller
        will not ask again), it is dropped from them. A result asked for again after
        that (the same text in two places) is read from the file, or from this run's
        new results."""
        key = self._key(source)
        entries = self.load()
        found = entries.get(key) if keep else entries.pop(key, None)
        if found is None and key in self._used:
            # Asked for again after it was dropped (a text in several places): kept from
            # now on, so that a text in a thousand places costs one read, not a thousand.
            found = self._new.get(key) or self._again.get(key) or self._select([key]).get(key)
            if found is not None:
                self._again[key] = found
        self._used.add(key)
        if found is not None:
            self._found.add(key)
        return found

    def fetch(self, sources: Sequence[str | bytes]) -> list[str | None]:
        """The results stored for ``sources``, in one query: for callers that know which
        results they will need next, and would rather not hold every stored one."""
        keys = [self._key(source) for source in sources]
        self._used.update(keys)
        found = self._select(keys)
        self._found.update(found)
        return [found.get(key) for key in keys]

    def _select(self, keys: Sequence[bytes]) -> dict[bytes, str]:
        if not keys:
            return {}
        marks = ", ".join("?" * len(keys))
        return self._read(f"WHERE key IN ({marks}) AND typeof(value) = 'text'", keys)

    def _read(self, where: str, parameters: Sequence[bytes] = ()) -> dict[bytes, str]:
        """The stored results that ``where`` selects, by key; none once a read failed."""
        if self._unavailable or not self.path.is_file():
            return {}
        try:
            with contextlib.closing(self._connect()) as connection:
                return dict(
                    connection.execute(f"SELECT key, value FROM stored {where}", parameters)
                )
        except (sqlite3.Error, OSError) as error:
            self._failed(error)
            return {}

    def _failed(self, error: sqlite3.Error | OSError) -> None:
        """After a read that failed: every later one of this run would fail too (or wait
        for a busy file again), so none is made; only a file that is not this store's
        is rebuilt, never one that another run is using."""
        self._unavailable = True
        self._broken = _damaged(error)

    def add(self, source: str | bytes, result: str) -> None:
        self._new[self._key(source)] = result
        self._pending += len(result)
        if self._pending >= self.WRITTEN_FROM:
            self.save(prune=False)

    def used(self) -> bytes:
        """The keys this run used, end to end: for the process that saves the run
        (:meth:`use`), in one string rather than an object a key."""
        return b"".join(self._used)

    def use(self, keys: bytes) -> None:
        """Count as used by this run the keys another process used for it (:meth:`used`):
        kept as they came, and read only when the run is saved."""
        self._others.append(keys)

    def _other_keys(self) -> Iterator[bytes]:
        for keys in self._others:
            for start in range(0, len(keys), KEY_SIZE):
                yield keys[start : start + KEY_SIZE]

    def _load(self) -> dict[bytes, str]:
        """Every stored text, read at once (one query is far cheaper than one a text)."""
        return self._read("WHERE typeof(value) = 'text'")

    def _connect(self) -> sqlite3.Connection:
        # Another run holding the file: wait briefly, then do without.
        return sqlite3.connect(self.path, timeout=1, isolation_level=None)

    def save(self, *, prune: bool) -> None:
        """Keep the new results; with ``prune`` (a whole run, which asked for every text
        it needs), forget the texts that no recent run used."""
        if self._unavailable and not self._broken:
            self._new, self._pending = {}, 0
            return  # busy or unreadable: this run does without
        if not self._new and (not prune or self._everything_used()):
            return  # nothing to add or to forget
        try:
            # Another process (the page worker, which inherited the flag) may have
            # rebuilt it since: a file that reads well now is kept.
            if self._broken and _damaged_now(self.path):
                for suffix in ("", "-journal", "-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self._broken = False  # and what this run writes next is kept
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with contextlib.closing(self._connect()) as connection:
                self._write(connection, prune=prune)
        except (sqlite3.Error, OSError):
            pass  # a cache that cannot be written is only a slower next run
        self._new = {}
        self._pending = 0

    def _everything_used(self) -> bool:
        """Whether this run used every stored result."""
        if self._entries is not None:
            unused = self._entries.keys() - self._found
            unused.difference_update(self._other_keys())
            return not unused
        if self._others:
            return False  # keys used elsewhere, and no count of the distinct ones
        if not self.path.is_file():
            return not self._found
        try:
            with contextlib.closing(self._connect()) as connection:
                (count,) = connection.execute("SELECT count(*) FROM stored").fetchone()
        except (sqlite3.Error, OSError):
            return False
        return bool(count == len(self._found))

    def _write(self, connection: sqlite3.Connection, *, prune: bool) -> None:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS stored"
            " (key BLOB PRIMARY KEY, value TEXT NOT NULL, run INTEGER NOT NULL) WITHOUT ROWID"
        )
        # Each key and its run, without the values: what pruning reads, and deletes by.
        connection.execute("CREATE INDEX IF NOT EXISTS stored_run ON stored (run)")
        connection.execute("BEGIN IMMEDIATE")
        # The file's user_version is the run of the texts that the last pruning run used;
        # each pruning run that does not use a text lowers the text's run by one. So a
        # pruning run writes what changed (the texts it added, used again or did not
        # use), never the run of every text it used.
        (run,) = connection.execute("PRAGMA user_version").fetchone()
        connection.executemany(
            "INSERT OR REPLACE INTO stored VALUES (?, ?, ?)",
            ((key, value, run) for key, value in self._new.items()),
        )
        if prune:
            used = self._used.union(self._other_keys(), self._new)
            stored = connection.execute("SELECT key, run FROM stored").fetchall()
            connection.executemany(
                "UPDATE stored SET run = ? WHERE key = ?",
                ((run, key) for key, last in stored if last != run and key in used),
            )
            connection.executemany(
                "UPDATE stored SET run = run - 1 WHERE key = ?",
                ((key,) for key, _ in stored if key not in used),
            )
            connection.execute("DELETE FROM stored WHERE run <= ?", (run - self.KEPT_RUNS,))
        connection.execute("COMMIT")
