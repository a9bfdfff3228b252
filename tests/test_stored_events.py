"""Parsed files kept between runs (``read_site(cache=...)``, content/stored_events.py):
a stored event is exactly what parsing the file gives, a file is parsed again when it,
the declared components or the code change, files with errors always report them, and
a broken cache is only a slower run."""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import statusgen.content.loader as loader
from benchmarks.synthetic import write_repository
from statusgen.cli import main
from statusgen.content.event_file import parse_event
from statusgen.content.loader import read_site
from statusgen.content.stored_events import (
    StoredEvents,
    decode_event,
    encode_event,
    events_cache_file,
)
from statusgen.core.stored import StoredTexts, cache_folder
from statusgen.site.build import build_site
from statusgen.site.serve import Preview
from tests.conftest import COMPONENTS_YML, RepoWriter, statusgen
from tests.test_markdown_cache import INCIDENT, MKDOCS, NOW
from tests.test_site import PROJECT
from tests.test_stored import watch_writes

MAINTENANCE = """\
    ---
    title: Database upgrade
    type: maintenance
    components: [api, webhooks]
    scheduled_start: 2026-12-10 22:00 UTC
    scheduled_end: 2026-12-11 00:00 UTC
    ---

    ## 2026-11-28 09:00 UTC - scheduled
    We will upgrade the database.
    """


def assert_same(found: object, expected: object) -> None:
    """``found == expected``, and of the same types all the way down (an enum member is
    equal to its string, a mapping proxy to a dict)."""
    assert found == expected
    assert type(found) is type(expected), (type(found), type(expected))
    if dataclasses.is_dataclass(expected):
        for field in dataclasses.fields(expected):
            assert_same(getattr(found, field.name), getattr(expected, field.name))
    elif isinstance(expected, Mapping):
        assert isinstance(found, Mapping)
        assert list(found) == list(expected)  # and in the same order
        for key, value in expected.items():
            assert_same(found[key], value)
    elif isinstance(expected, tuple | list):
        assert isinstance(found, tuple | list)
        for one, other in zip(found, expected, strict=True):
            assert_same(one, other)
    elif isinstance(expected, frozenset):
        assert isinstance(found, frozenset)
        assert {type(x) for x in found} == {type(x) for x in expected}


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the files the loader parses (the real parser, watched)."""
    parsed: list[str] = []
    real: Callable[..., Any] = parse_event

    def watched(text: str, event_id: str, *arguments: Any) -> Any:
        parsed.append(event_id)
        return real(text, event_id, *arguments)

    monkeypatch.setattr(loader, "parse_event", watched)
    return parsed


def test_stored_forms_give_the_same_events(tmp_path: Path) -> None:
    """Every event of the example site and of a synthetic site, through its stored form:
    the same objects, down to each enum member, time zone and mapping type (``repr``)."""
    write_repository(tmp_path / "synthetic", 300, components=12)
    for root in (PROJECT, tmp_path / "synthetic"):
        site, errors = read_site(root)
        assert site is not None, errors
        for event in site.events:
            assert_same(decode_event(encode_event(event)), event)


def test_a_second_run_parses_nothing(make_repo: RepoWriter, parses: list[str]) -> None:
    root = make_repo({"a.md": INCIDENT, "2026/b.md": MAINTENANCE})
    cache = events_cache_file(root)
    first, _ = read_site(root, cache=cache)
    assert sorted(parses) == ["a", "b"]
    assert cache.is_file()
    assert cache.is_relative_to(cache_folder())
    parses.clear()
    second, _ = read_site(root, cache=cache)
    assert parses == []
    assert second is not None
    assert_same(second, first)


def test_an_edited_file_is_parsed_again(make_repo: RepoWriter, parses: list[str]) -> None:
    root = make_repo({"a.md": INCIDENT, "b.md": MAINTENANCE})
    cache = events_cache_file(root)
    read_site(root, cache=cache)
    parses.clear()
    path = root / "incidents" / "a.md"
    path.write_text(path.read_text().replace("Errors on the API", "Slow API"))
    site, _ = read_site(root, cache=cache)
    assert parses == ["a"]
    assert site is not None
    assert {e.title for e in site.events} == {"Slow API", "Database upgrade"}


def test_a_moved_file_is_parsed_again(make_repo: RepoWriter, parses: list[str]) -> None:
    """The path is part of the key: an event knows its file (links to the source)."""
    root = make_repo({"a.md": INCIDENT})
    cache = events_cache_file(root)
    read_site(root, cache=cache)
    parses.clear()
    (root / "incidents" / "2026").mkdir()
    (root / "incidents" / "a.md").rename(root / "incidents" / "2026" / "a.md")
    site, _ = read_site(root, cache=cache)
    assert parses == ["a"]
    assert site is not None
    assert site.events[0].source.path == "incidents/2026/a.md"


def test_errors_are_reported_on_every_run(make_repo: RepoWriter) -> None:
    root = make_repo({"a.md": INCIDENT.replace("impact: major", "impact: huge")})
    cache = events_cache_file(root)
    first = read_site(root, cache=cache)
    second = read_site(root, cache=cache)
    assert first[0] is None
    assert first[1] == second[1]
    assert "impact" in first[1][0].message


def test_a_component_taken_out_makes_a_stored_file_wrong(make_repo: RepoWriter) -> None:
    """What a file parses to depends on the declared components: their change is in the key."""
    root = make_repo({"a.md": INCIDENT})
    cache = events_cache_file(root)
    assert read_site(root, cache=cache)[0] is not None
    without_api = COMPONENTS_YML.replace("  - id: api\n", "  - id: api-v2\n")
    (root / "components.yml").write_text(without_api)
    site, errors = read_site(root, cache=cache)
    assert site is None
    assert [e.path for e in errors] == ["incidents/a.md"]
    assert "api" in errors[0].message


def test_other_code_never_reuses_a_stored_event(
    make_repo: RepoWriter, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({"a.md": INCIDENT})
    cache = events_cache_file(root)
    read_site(root, cache=cache)
    parses.clear()
    monkeypatch.setattr("statusgen.content.stored_events._code_version", lambda: "another parser")
    read_site(root, cache=cache)
    assert parses == ["a"]


def test_a_broken_cache_file_is_only_a_slower_run(make_repo: RepoWriter, parses: list[str]) -> None:
    root = make_repo({"a.md": INCIDENT})
    cache = events_cache_file(root)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(b"not a database" * 100)
    site, errors = read_site(root, cache=cache)
    assert site is not None, errors
    assert parses == ["a"]
    parses.clear()
    read_site(root, cache=cache)  # rewritten: the next run reads it
    assert parses == []


@pytest.mark.parametrize(
    "value", ["[1, 2", '["Incident", []]', '["Pickle", {}]', "{}", '["Incident", [1, 2, 3]]']
)
def test_a_stored_value_that_is_no_event_is_a_miss(
    make_repo: RepoWriter, parses: list[str], value: str
) -> None:
    root = make_repo({"a.md": INCIDENT})
    cache = events_cache_file(root)
    expected, _ = read_site(root, cache=cache)
    # With the hash of the file's bytes: what follows it is decoded.
    digest = hashlib.sha256((root / "incidents" / "a.md").read_bytes()).hexdigest()
    with sqlite3.connect(cache) as connection:
        connection.execute("UPDATE stored SET value = ?", (digest + value,))
    parses.clear()
    site, errors = read_site(root, cache=cache)
    assert parses == ["a"]
    assert errors == []
    assert_same(site, expected)


def test_validate_keeps_parsed_files_unless_told_not_to(make_repo: RepoWriter) -> None:
    root = make_repo({"a.md": INCIDENT})
    assert statusgen("validate", "--root", root).returncode == 0
    assert events_cache_file(root).is_file()
    events_cache_file(root).unlink()
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text() + "plugins:\n  - statusgen:\n      cache: false\n")
    result = statusgen("validate", "--root", root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not events_cache_file(root).exists()


def _validate(root: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 0, result.output


def _build(root: Path) -> None:
    build_site(root, root / "site", NOW)


def _serve(root: Path) -> None:
    preview = Preview(root, NOW, None)
    preview.refresh()
    assert preview.errors == []


@pytest.mark.parametrize("run", [_validate, _build, _serve])
def test_cache_false_parses_every_file_and_leaves_the_store_alone(
    make_repo: RepoWriter, parses: list[str], run: Callable[[Path], None]
) -> None:
    """``cache: false`` in mkdocs.yml: validate, a build and serve's first load parse
    every file again, even with a store an earlier run filled, and touch it not."""
    root = make_repo({"a.md": INCIDENT, "b.md": MAINTENANCE}, mkdocs=MKDOCS)
    cache = events_cache_file(root)
    read_site(root, cache=cache)  # an earlier run, with the cache
    before = cache.read_bytes(), cache.stat().st_mtime_ns
    (root / "mkdocs.yml").write_text(
        MKDOCS.replace("plugins: [statusgen]", "plugins:\n  - statusgen:\n      cache: false")
    )
    parses.clear()
    run(root)
    assert sorted(parses) == ["a", "b"]
    assert (cache.read_bytes(), cache.stat().st_mtime_ns) == before


def test_entries_are_read_a_batch_at_a_time(
    make_repo: RepoWriter, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {f"{n}.md": INCIDENT.replace("Errors on the API", f"Errors {n}") for n in "abcde"}
    root = make_repo(files)
    cache = events_cache_file(root)
    monkeypatch.setattr(StoredEvents, "BATCH", 2)
    first, _ = read_site(root, cache=cache)
    parses.clear()
    queries: list[int] = []
    fetch = StoredTexts.fetch

    def watched(self: StoredTexts, sources: Any) -> list[str | None]:
        queries.append(len(sources))
        return fetch(self, sources)

    monkeypatch.setattr(StoredTexts, "fetch", watched)
    second, _ = read_site(root, cache=cache)
    assert parses == []
    assert queries == [2, 2, 1]
    assert_same(second, first)


def test_an_edited_file_replaces_its_entry(make_repo: RepoWriter) -> None:
    root = make_repo({"a.md": INCIDENT})
    cache = events_cache_file(root)
    path = root / "incidents" / "a.md"
    for title in ("One", "Two", "Three", "Four"):
        path.write_text(path.read_text().replace("title: ", f"title: {title} "))
        assert read_site(root, cache=cache)[0] is not None
    with sqlite3.connect(cache) as connection:
        assert connection.execute("SELECT count(*) FROM stored").fetchone() == (1,)


def test_serve_starts_from_what_earlier_runs_parsed(
    make_repo: RepoWriter, parses: list[str]
) -> None:
    root = make_repo({"a.md": INCIDENT, "b.md": MAINTENANCE}, mkdocs=MKDOCS)
    read_site(root, cache=events_cache_file(root))  # as validate or a build
    parses.clear()
    preview = Preview(root, NOW, None)
    preview.refresh()
    assert preview.errors == []
    assert parses == []
    path = root / "incidents" / "a.md"
    path.write_text(path.read_text().replace("Errors on the API", "Slow API"))
    preview.refresh()
    assert parses == ["a"]
    assert b"Slow API" in preview.respond("/")[2]


def test_a_deleted_file_costs_its_own_entry_not_a_rewrite(
    make_repo: RepoWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deleted file's entry is kept for :data:`StoredTexts.KEPT_RUNS` runs, and each
    of them writes that entry alone (and the delete that prunes it), never the run of
    every file it read; once the entry is gone, a run writes nothing."""
    files = {f"e{n}.md": INCIDENT.replace("Errors on the API", f"Errors {n}") for n in range(30)}
    root = make_repo(files)
    cache = events_cache_file(root)
    read_site(root, cache=cache)
    written = watch_writes(monkeypatch)
    (root / "incidents" / "e0.md").unlink()
    runs: list[tuple[list[str], int]] = []
    for _ in range(StoredTexts.KEPT_RUNS + 1):
        written.clear()
        site, _ = read_site(root, cache=cache)
        assert site is not None
        assert len(site.events) == 29
        with sqlite3.connect(cache) as connection:
            (count,) = connection.execute("SELECT count(*) FROM stored").fetchone()
        runs.append(([sql.split(None, 1)[0] for sql in written], count))
    once = ["UPDATE", "DELETE"]
    assert runs == [(once, 30), (once, 30), (once, 29), ([], 29)]
