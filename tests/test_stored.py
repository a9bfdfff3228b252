"""The store of results kept between runs (core/stored.py): a file another run is using
is left alone, and costs one wait at most; only a file that is not a store is rebuilt,
and never after another process has rebuilt it."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from statusgen.core.stored import StoredTexts

SETTINGS = "test settings"


def filled(path: Path, texts: dict[str, str]) -> None:
    store = StoredTexts(path, SETTINGS)
    for source, result in texts.items():
        store.add(source, result)
    store.save(prune=False)


def rows(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        (count,) = connection.execute("SELECT count(*) FROM stored").fetchone()
    return int(count)


def watch_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The statements that write rows (each row of an ``executemany`` is one), as the
    stores execute them from now on."""
    written: list[str] = []
    connect = StoredTexts._connect

    def traced(self: StoredTexts) -> sqlite3.Connection:
        connection = connect(self)
        connection.set_trace_callback(
            lambda sql: (
                written.append(sql)
                if sql.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
                else None
            )
        )
        return connection

    monkeypatch.setattr(StoredTexts, "_connect", traced)
    return written


def test_a_busy_file_is_waited_for_once_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    filled(path, {f"text {n}": f"result {n}" for n in range(10)})
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    store = StoredTexts(path, SETTINGS)
    started = time.perf_counter()
    found = [store.fetch([f"text {n}"]) for n in range(3)]
    store.add("new text", "new result")
    store.save(prune=True)
    waited = time.perf_counter() - started
    holder.execute("ROLLBACK")
    holder.close()
    assert found == [[None]] * 3  # misses: the run does without
    assert waited < 2.5  # one timeout of 1 s, not one a query
    assert rows(path) == 10  # neither deleted nor pruned
    assert StoredTexts(path, SETTINGS).fetch(["text 4"]) == ["result 4"]


def test_a_file_that_is_no_store_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    with sqlite3.connect(path) as connection:  # an older layout
        connection.execute("CREATE TABLE markdown (key TEXT, html TEXT)")
    store = StoredTexts(path, SETTINGS)
    assert store.fetch(["text"]) == [None]
    store.add("text", "result")
    store.save(prune=True)
    assert StoredTexts(path, SETTINGS).fetch(["text"]) == ["result"]
    path.write_bytes(b"not a database" * 100)
    store = StoredTexts(path, SETTINGS)
    assert store.get("text") is None
    store.add("text", "result")
    store.save(prune=True)
    assert StoredTexts(path, SETTINGS).get("text") == "result"


def test_what_another_process_rebuilt_is_not_deleted(tmp_path: Path) -> None:
    """The page worker inherits the build's finding that the file is broken, rebuilds
    it with its own texts; the build's save afterwards keeps them."""
    path = tmp_path / "store.sqlite"
    path.write_bytes(b"not a database" * 100)
    build = StoredTexts(path, SETTINGS)
    build.load()  # finds it broken, before the fork
    worker = StoredTexts(path, SETTINGS)
    worker.load()
    worker.add("worker's text", "worker's result")
    worker.save(prune=False)
    build.add("build's text", "build's result")
    build.save(prune=False)
    again = StoredTexts(path, SETTINGS)
    assert again.fetch(["worker's text", "build's text"]) == ["worker's result", "build's result"]


def test_the_cache_folder_is_its_owners_only(tmp_path: Path) -> None:
    folder = tmp_path / "statusgen"
    filled(folder / "store.sqlite", {"text": "result"})
    assert folder.stat().st_mode & 0o777 == 0o700


def test_a_result_asked_for_again_is_read_once(tmp_path: Path) -> None:
    """A text in many places (a boilerplate "Resolved."), each asked for without keeping
    it: read back from the file the first time it comes again, kept after that."""
    path = tmp_path / "store.sqlite"
    filled(path, {"Resolved.": "<p>Resolved.</p>"})
    store = StoredTexts(path, SETTINGS)
    store.load()
    reads: list[int] = []
    select = store._select

    def watched(keys: Sequence[bytes]) -> dict[bytes, str]:
        reads.append(len(keys))
        return select(keys)

    store._select = watched  # type: ignore[method-assign]
    found = [store.get("Resolved.", keep=False) for _ in range(100)]
    assert found == ["<p>Resolved.</p>"] * 100
    assert reads == [1]


def test_a_pruning_run_writes_what_changed_not_every_text_it_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that needs all but one of the stored texts, and one new one, writes that
    new text and lowers the run of the unused one: not the run of the 99 it used."""
    path = tmp_path / "store.sqlite"
    texts = {f"text {n}": f"result {n}" for n in range(100)}
    filled(path, texts)
    written = watch_writes(monkeypatch)
    store = StoredTexts(path, SETTINGS)
    assert [store.get(f"text {n}") for n in range(1, 100)] == list(texts.values())[1:]
    store.add("new text", "new result")
    store.save(prune=True)
    assert [sql.split(None, 1)[0] for sql in written] == ["INSERT", "UPDATE", "DELETE"]
    assert "run - 1" in written[1]
    assert rows(path) == 101  # the unused text is kept for another view's builds


def test_a_text_used_again_is_kept_for_as_many_runs_again(tmp_path: Path) -> None:
    """Only runs in a row that change the file and do not use a text make it
    forgotten: one that uses it again starts the count afresh."""
    path = tmp_path / "store.sqlite"
    filled(path, {"kept": "result", "other": "other result"})

    def run(*sources: str, new: str | None = None) -> None:
        store = StoredTexts(path, SETTINGS)
        for source in sources:
            assert store.get(source) is not None
        if new is not None:
            store.get(new)
            store.add(new, f"{new} result")
        store.save(prune=True)

    for _ in range(StoredTexts.KEPT_RUNS - 1):
        run("other")
    run("kept", "other", new="new")  # used again, by a run that changes the file
    for _ in range(StoredTexts.KEPT_RUNS - 1):
        run("other", "new")
    assert StoredTexts(path, SETTINGS).fetch(["kept"]) == ["result"]
    run("other", "new")
    assert StoredTexts(path, SETTINGS).fetch(["kept", "other"]) == [None, "other result"]
