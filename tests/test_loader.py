"""Reading a status repository from disk: files, ids, encodings, and collecting errors."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from statusgen.content.loader import FolderSource, ParsedFiles, check_limits, load_site, read_site
from statusgen.core.errors import ContentError, ContentErrors, ErrorLog, StatusgenError
from statusgen.core.model import Site
from tests.conftest import COMPONENTS_YML, RepoWriter, statusgen

# 7 lines; line 7 is the text of the update.
VALID = (
    "---\n"
    "title: API errors\n"
    "impact: major\n"
    "components: [api]\n"
    "---\n"
    "## 2026-11-28 14:02 UTC — investigating\n"
    "We are investigating.\n"
)


def valid_at(timestamp: str) -> str:
    return VALID.replace("2026-11-28 14:02 UTC", timestamp)


def read(root: Path) -> tuple[Site | None, list[ContentError]]:
    return read_site(root)


def only_site(root: Path) -> Site:
    site, errors = read_site(root)
    assert errors == [], "\n".join(str(e) for e in errors)
    assert site is not None
    return site


def assert_error(errors: list[ContentError], path: str, line: int | None, *fragments: str) -> None:
    for error in errors:
        if (error.path, error.line) == (path, line) and all(f in error.message for f in fragments):
            return
    listing = "\n".join(f"  {e}" for e in errors)
    pytest.fail(f"no error at {path}:{line} containing {fragments!r}; got:\n{listing}")


# --- ids and files -------------------------------------------------------------------


def test_ids_come_from_file_names(make_repo: RepoWriter) -> None:
    site = only_site(
        make_repo(
            {
                "2026-11-28-api.md": valid_at("2026-11-28 14:02 UTC"),
                "2026-11-20-dns.md": valid_at("2026-11-20 09:00 UTC"),
            }
        )
    )
    assert [e.id for e in site.events] == ["2026-11-20-dns", "2026-11-28-api"]
    assert [e.source.path for e in site.events] == [
        "incidents/2026-11-20-dns.md",
        "incidents/2026-11-28-api.md",
    ]


def test_events_are_sorted_by_start_then_id(make_repo: RepoWriter) -> None:
    site = only_site(
        make_repo(
            {
                "b.md": valid_at("2026-11-28 14:02 UTC"),
                "a.md": valid_at("2026-11-28 16:02 +02:00"),  # the same instant
                "c.md": valid_at("2026-11-27 23:00 UTC"),
            }
        )
    )
    assert [e.id for e in site.events] == ["c", "a", "b"]
    assert site.events[1].first_update.at == datetime(2026, 11, 28, 14, 2, tzinfo=UTC)


def test_files_in_subfolders_are_read(make_repo: RepoWriter) -> None:
    site = only_site(
        make_repo(
            {
                "2026/11/2026-11-28-api.md": VALID,
                "archive/2025-01-01-old.md": valid_at("2025-01-01 10:00 UTC"),
            }
        )
    )
    assert {e.id: e.source.path for e in site.events} == {
        "2026-11-28-api": "incidents/2026/11/2026-11-28-api.md",
        "2025-01-01-old": "incidents/archive/2025-01-01-old.md",
    }


def test_duplicate_id_across_subfolders(make_repo: RepoWriter) -> None:
    root = make_repo({"2026-11-28-api.md": VALID, "2026/2026-11-28-api.md": VALID})
    site, errors = read(root)
    assert site is None
    assert len(errors) == 1
    (error,) = errors
    assert error.line is None
    paths = {"incidents/2026-11-28-api.md", "incidents/2026/2026-11-28-api.md"}
    assert error.path in paths
    (other,) = paths - {error.path}
    assert "id '2026-11-28-api' is already used by" in error.message
    assert other in error.message
    assert "unique" in error.message


@pytest.mark.parametrize(
    ("name", "file_id", "hint"),
    [
        ("2026-11-28-API.md", "2026-11-28-API", "(like '2026-11-28-api')"),
        ("2026_11_28_api.md", "2026_11_28_api", "(like '2026-11-28-api')"),
        ("-api.md", "-api", "(like 'api')"),
        ("api outage.md", "api outage", "(like 'api-outage')"),
        ("café.md", "café", "(like 'cafe')"),
    ],
)
def test_invalid_file_name_id(make_repo: RepoWriter, name: str, file_id: str, hint: str) -> None:
    site, errors = read(make_repo({name: VALID}))
    assert site is None
    assert_error(
        errors,
        f"incidents/{name}",
        None,
        f"file name '{file_id}' is not a valid id",
        hint,
        "rename",
    )


def test_a_file_named_dot_md_is_hidden(make_repo: RepoWriter) -> None:
    root = make_repo()
    (root / "incidents" / "sub").mkdir()
    (root / "incidents" / "sub" / ".md").write_text(VALID, encoding="utf-8")
    (root / "incidents" / "x.md").write_text(VALID, encoding="utf-8")
    # '.md' is a hidden file: ignored, not read as an empty id.
    site = only_site(root)
    assert [e.id for e in site.events] == ["x"]


def test_hidden_files_and_folders_are_ignored(make_repo: RepoWriter) -> None:
    garbage = b"\x00\xff not an incident"
    root = make_repo(
        {
            "2026-11-28-api.md": VALID,
            ".draft.md": garbage,
            ".drafts/2026-12-01-next.md": garbage,
            "2026/.wip.md": garbage,
        }
    )
    site = only_site(root)
    assert [e.id for e in site.events] == ["2026-11-28-api"]
    assert FolderSource(root).event_paths() == ["incidents/2026-11-28-api.md"]


@pytest.mark.parametrize(
    "name",
    ["README", "notes.txt", "2026-11-28-api.markdown", "2026-11-28-api.md.bak", "x.md~"],
)
def test_files_that_are_not_md_are_ignored(make_repo: RepoWriter, name: str) -> None:
    site = only_site(make_repo({"2026-11-28-api.md": VALID, name: b"\x00\xff garbage"}))
    assert [e.id for e in site.events] == ["2026-11-28-api"]


def test_an_uppercase_suffix_is_read_not_ignored(make_repo: RepoWriter) -> None:
    _, errors = read_site(make_repo({"2026-11-28-api.md": VALID, "Outage.MD": VALID}))
    assert [(e.path, e.line) for e in errors] == [("incidents/Outage.MD", None)]
    assert "file name 'Outage' is not a valid id" in errors[0].message


def test_a_broken_link_is_reported(make_repo: RepoWriter) -> None:
    root = make_repo({"2026-11-28-api.md": VALID})
    (root / "incidents" / "2026-11-29-gone.md").symlink_to(root / "nowhere.md")
    _, errors = read_site(root)
    assert [(e.path, e.message) for e in errors] == [
        ("incidents/2026-11-29-gone.md", "cannot be read: it does not exist (a link to nothing?)")
    ]


def test_incidents_that_is_not_a_folder_is_reported(make_repo: RepoWriter) -> None:
    root = make_repo()
    shutil.rmtree(root / "incidents")
    (root / "incidents").write_text("not a folder")
    _, errors = read_site(root)
    assert [(e.path, e.line) for e in errors] == [("incidents", None)]
    assert errors[0].message.startswith("cannot be read: not a folder")


def test_missing_incidents_folder_is_fine(make_repo: RepoWriter) -> None:
    root = make_repo()
    shutil.rmtree(root / "incidents")
    site = only_site(root)
    assert site.events == ()
    assert [c.id for c in site.catalog.components] == ["api", "webhooks", "dashboard", "website"]


def test_empty_incidents_folder_is_fine(make_repo: RepoWriter) -> None:
    assert only_site(make_repo()).events == ()


# --- encodings -----------------------------------------------------------------------


def test_utf8_with_byte_order_mark_is_accepted(make_repo: RepoWriter) -> None:
    site = only_site(make_repo({"a.md": b"\xef\xbb\xbf" + VALID.encode()}))
    (event,) = site.events
    assert event.title == "API errors"


def test_components_yml_with_byte_order_mark_is_accepted(make_repo: RepoWriter) -> None:
    components = b"\xef\xbb\xbfcomponents:\n  - id: api\n    name: API\n"
    site = only_site(make_repo({"a.md": VALID}, components=components))
    assert [c.id for c in site.catalog.components] == ["api"]


def test_non_ascii_utf8_is_accepted(make_repo: RepoWriter) -> None:
    text = VALID.replace("API errors", "Störung der API — 接続エラー 🚨")
    site = only_site(make_repo({"a.md": text.encode()}))
    assert site.events[0].title == "Störung der API — 接続エラー 🚨"


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
def test_crlf_line_endings_are_accepted(make_repo: RepoWriter, bom: bytes) -> None:
    data = bom + VALID.replace("\n", "\r\n").encode()
    site = only_site(make_repo({"a.md": data}))
    (event,) = site.events
    assert event.first_update.line == 6
    assert event.first_update.body == "We are investigating."
    assert "\r" not in event.first_update.body


@pytest.mark.parametrize(
    ("old", "new", "line", "fragment"),
    [
        ("impact: major", "impact: severe", 3, "unknown impact 'severe'"),
        ("components: [api]", "components: [apii]", 4, "unknown component 'apii'"),
        ("UTC — investigating", "UTC — investigatin", 6, "unknown incident status"),
        ("We are investigating.", "Title\n---", 8, "level-2 heading"),
    ],
)
def test_crlf_line_numbers_are_right(
    make_repo: RepoWriter, old: str, new: str, line: int, fragment: str
) -> None:
    data = VALID.replace(old, new).replace("\n", "\r\n").encode()
    assert old in VALID
    _, errors = read(make_repo({"a.md": data}))
    assert_error(errors, "incidents/a.md", line, fragment)


def test_crlf_components_yml_line_numbers_are_right(make_repo: RepoWriter) -> None:
    components = b"components:\r\n  - id: api\r\n    name: API\r\n    nmae: x\r\n"
    _, errors = read(make_repo({"a.md": VALID}, components=components))
    assert_error(errors, "components.yml", 4, "unknown key 'nmae'")


def test_latin1_is_rejected_with_its_line(make_repo: RepoWriter) -> None:
    text = VALID.replace(" — ", " - ").replace("investigating.", "investigating. Café.")
    data = text.encode("latin-1")
    offset = data.index("é".encode("latin-1"))
    site, errors = read(make_repo({"a.md": data}))
    assert site is None
    assert errors == [
        ContentError(
            "incidents/a.md",
            7,
            f"not valid UTF-8 (byte 0xe9 at offset {offset}): save the file as UTF-8",
        )
    ]


def test_latin1_components_yml_is_rejected_with_its_line(make_repo: RepoWriter) -> None:
    components = "components:\n  - id: api\n    name: Zürich API\n".encode("latin-1")
    site, errors = read(make_repo(components=components))
    assert site is None
    assert_error(errors, "components.yml", 3, "not valid UTF-8", "0xfc")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_rejected(make_repo: RepoWriter, encoding: str) -> None:
    data = VALID.encode(encoding)
    if encoding != "utf-16":
        data = ("\ufeff" + VALID).encode(encoding)  # with a byte-order mark, as editors write
    site, errors = read(make_repo({"a.md": data}))
    assert site is None
    assert_error(errors, "incidents/a.md", None, "UTF-16", "save it as UTF-8")
    assert len(errors) == 1


def test_utf16_without_byte_order_mark_is_rejected(make_repo: RepoWriter) -> None:
    site, errors = read(make_repo({"a.md": VALID.encode("utf-16-le")}))
    assert site is None
    assert len(errors) == 1
    assert errors[0].path == "incidents/a.md"
    assert errors[0].line == 1


@pytest.mark.parametrize(
    ("data", "line", "fragment"),
    [
        (b"\x00\x01\x02\x03", 1, "U+0000"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, "not valid UTF-8 (byte 0x89 at offset 0)"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", 1, "not valid UTF-8 (byte 0xff at offset 0)"),
        (VALID.replace("We are", "We\x00are").encode(), 7, "control character U+0000"),
        (VALID.replace("We are", "We\x1bare").encode(), 7, "control character U+001B"),
        (VALID.encode() + b"\x7f", 8, "control character U+007F"),
        (VALID.encode()[:-3] + b"\xc3", 7, "not valid UTF-8 (byte 0xc3"),
    ],
    ids=["nul-bytes", "png", "jpeg", "nul-in-text", "escape", "delete", "truncated-utf8"],
)
def test_binary_garbage_is_rejected(
    make_repo: RepoWriter, data: bytes, line: int | None, fragment: str
) -> None:
    site, errors = read(make_repo({"a.md": data}))
    assert site is None
    assert len(errors) == 1
    assert_error(errors, "incidents/a.md", line, fragment)


def test_tabs_are_text(make_repo: RepoWriter) -> None:
    site = only_site(make_repo({"a.md": VALID.replace("We are", "We\tare").encode()}))
    assert site.events[0].first_update.body == "We\tare investigating."


@pytest.mark.parametrize("data", [b"", b"\n", b"  \n\n\t\n", b"\xef\xbb\xbf"])
def test_empty_incident_file(make_repo: RepoWriter, data: bytes) -> None:
    site, errors = read(make_repo({"a.md": data}))
    assert site is None
    assert_error(errors, "incidents/a.md", None, "the file is empty")
    assert len(errors) == 1


def test_empty_components_yml(make_repo: RepoWriter) -> None:
    site, errors = read(make_repo({"a.md": VALID}, components=b""))
    assert site is None
    assert_error(errors, "components.yml", None, "the file is empty")


def test_missing_components_yml(make_repo: RepoWriter) -> None:
    root = make_repo({"a.md": VALID}, components=None)
    site, errors = read(root)
    assert site is None
    assert len(errors) == 1
    assert_error(errors, "components.yml", None, "not found")


def test_missing_components_yml_does_not_hide_incident_errors(make_repo: RepoWriter) -> None:
    root = make_repo({"a.md": VALID.replace("impact: major", "impact: huge")}, components=None)
    _, errors = read(root)
    assert_error(errors, "components.yml", None, "not found")
    assert_error(errors, "incidents/a.md", 3, "unknown impact 'huge'")


def test_components_yml_that_is_a_folder(make_repo: RepoWriter) -> None:
    root = make_repo({"a.md": VALID}, components=None)
    (root / "components.yml").mkdir()
    site, errors = read(root)
    assert site is None
    assert_error(errors, "components.yml", None, "cannot be read")


# --- all errors at once --------------------------------------------------------------


def test_errors_from_several_files_are_reported_together(make_repo: RepoWriter) -> None:
    root = make_repo(
        {
            "a.md": VALID.replace("impact: major", "impact: severe"),
            "b.md": VALID.replace("major", "majr").replace("14:02 UTC", "14:02"),
            "sub/c.md": b"caf\xe9",
            "Bad.md": VALID,
            "good.md": VALID,
        },
        components="components:\n  - id: api\n    name: API\n  - id: Web\n    name: Web\n",
    )
    site, errors = read(root)
    assert site is None
    assert_error(errors, "components.yml", 4, "'Web' is not a valid id")
    assert_error(errors, "incidents/a.md", 3, "unknown impact 'severe'")
    assert_error(errors, "incidents/b.md", 3, "unknown impact 'majr'", "(did you mean 'major'?)")
    assert_error(errors, "incidents/b.md", 6, "no time zone")
    assert_error(errors, "incidents/sub/c.md", 1, "not valid UTF-8")
    assert_error(errors, "incidents/Bad.md", None, "file name 'Bad' is not a valid id")
    assert len(errors) == 6
    assert not any(e.path == "incidents/good.md" for e in errors)


def test_load_site_returns_the_site(make_repo: RepoWriter) -> None:
    site = load_site(make_repo({"a.md": VALID}))
    assert [e.id for e in site.events] == ["a"]


def test_load_site_raises_content_errors_with_path_line_message(make_repo: RepoWriter) -> None:
    root = make_repo(
        {
            "b.md": VALID.replace("impact: major", "impact: severe"),
            "a.md": VALID.replace("[api]", "[apii]"),
            "Bad.md": VALID,
        }
    )
    with pytest.raises(ContentErrors) as caught:
        load_site(root)
    error = caught.value
    assert isinstance(error, StatusgenError)
    lines = str(error).splitlines()
    assert lines == [str(e) for e in error.errors]
    assert len(lines) == 3
    # Sorted by path then line, each 'path:line: message' (or 'path: message').
    assert lines[0].startswith("incidents/Bad.md: file name 'Bad' is not a valid id")
    assert lines[1].startswith("incidents/a.md:4: unknown component 'apii'")
    assert lines[2] == (
        "incidents/b.md:3: unknown impact 'severe'; use 'none', 'minor', 'major' or 'critical'"
    )
    assert [(e.path, e.line) for e in error.errors] == [
        ("incidents/Bad.md", None),
        ("incidents/a.md", 4),
        ("incidents/b.md", 3),
    ]


def test_load_site_without_components_raises(make_repo: RepoWriter) -> None:
    with pytest.raises(ContentErrors) as caught:
        load_site(make_repo(components=None))
    assert str(caught.value).startswith("components.yml: not found in ")


def test_content_error_str() -> None:
    assert str(ContentError("incidents/a.md", 7, "boom")) == "incidents/a.md:7: boom"
    assert str(ContentError("incidents/a.md", None, "boom")) == "incidents/a.md: boom"


# --- characters that are never meant in a text file ---------------------------------


@pytest.mark.parametrize("character", ["\x80", "\x9f", "\ufffe"])
def test_c1_control_character_in_frontmatter_has_a_line(
    make_repo: RepoWriter, character: str
) -> None:
    data = VALID.replace("API errors", f"API{character}errors").encode()
    _, errors = read(make_repo({"a.md": data}))
    assert errors
    assert all(e.line == 2 for e in errors), errors
    assert all("<unicode string>" not in e.message for e in errors), errors


@pytest.mark.parametrize("escape", ["\\e", "\\0", "\\uFFFE", "\\x9b", "\\r"])
def test_a_control_character_written_as_an_escape_is_an_error(
    make_repo: RepoWriter, escape: str
) -> None:
    """The raw text has no control character; the value YAML decodes from it does."""
    incident = (
        f'---\ntitle: "API{escape}[31m errors"\nimpact: minor\ncomponents: [api]\n---\n'
        "## 2026-11-28 14:02 UTC — investigating\nLooking.\n"
    )
    root = make_repo(
        {"2026-11-28-api.md": incident},
        components=COMPONENTS_YML.replace("name: Webhooks", f'name: "Web{escape}hooks"'),
    )
    for command in ("validate", "status"):
        result = statusgen(command, "--root", root)
        assert result.returncode == 1
        output = result.stdout + result.stderr
        assert "components.yml:" in output
        assert "(written as an escape): remove it" in output
        assert "\x1b" not in output
        assert "Traceback" not in output
    _, errors = read_site(root)
    assert {(e.path, e.line) for e in errors} == {
        ("components.yml", 11),
        ("incidents/2026-11-28-api.md", 2),
    }


def test_a_component_name_on_two_lines_is_an_error(make_repo: RepoWriter) -> None:
    root = make_repo(components=COMPONENTS_YML.replace("name: Webhooks", 'name: "Web\\nhooks"'))
    _, errors = read_site(root)
    assert [str(e) for e in errors] == [
        "components.yml:11: component 'webhooks': 'name' must be one line"
    ]


# --- parsing again only what changed (statusgen serve) --------------------------------


def test_a_load_with_parsed_files_parses_again_only_what_changed(make_repo: RepoWriter) -> None:
    root = make_repo(
        {
            "2026-11-28-api.md": valid_at("2026-11-28 14:02 UTC"),
            "2026-11-20-dns.md": valid_at("2026-11-20 09:00 UTC"),
        }
    )
    parsed = ParsedFiles()
    first = {e.id: e for e in load_site(root, parsed).events}
    edited = root / "incidents" / "2026-11-28-api.md"
    edited.write_text(VALID.replace("API errors", "API errors, edited"))
    second = {e.id: e for e in load_site(root, parsed).events}
    assert second["2026-11-20-dns"] is first["2026-11-20-dns"]  # the same object: not parsed
    assert second["2026-11-28-api"].title == "API errors, edited"
    # A file made invalid is reported; once fixed, it is read again.
    edited.write_text(VALID.replace("impact: major", "impact: huge"))
    with pytest.raises(ContentErrors) as raised:
        load_site(root, parsed)
    assert_error(list(raised.value.errors), "incidents/2026-11-28-api.md", 3, "impact")
    edited.write_text(VALID)
    assert {e.id for e in load_site(root, parsed).events} == set(first)


def test_parsed_files_are_forgotten_when_the_components_change(make_repo: RepoWriter) -> None:
    root = make_repo({"2026-11-28-api.md": VALID})
    parsed = ParsedFiles()
    load_site(root, parsed)
    components = root / "components.yml"
    components.write_text(components.read_text().replace("id: api", "id: gateway"))
    with pytest.raises(ContentErrors) as raised:
        load_site(root, parsed)  # the unchanged incident names a component no longer declared
    assert_error(list(raised.value.errors), "incidents/2026-11-28-api.md", 4, "api")


def test_a_parsed_file_replaced_by_a_link_outside_is_refused(
    make_repo: RepoWriter, tmp_path: Path
) -> None:
    root = make_repo({"2026-11-28-api.md": VALID})
    parsed = ParsedFiles()
    load_site(root, parsed)
    outside = tmp_path / "outside.md"
    outside.write_text(VALID)
    incident = root / "incidents" / "2026-11-28-api.md"
    incident.unlink()
    incident.symlink_to(outside)
    with pytest.raises(ContentErrors) as raised:
        load_site(root, parsed)
    assert_error(
        list(raised.value.errors), "incidents/2026-11-28-api.md", None, "outside the repository"
    )


@pytest.mark.parametrize(
    ("line", "too_deep"),
    [
        ("- " * 20 + "item", False),
        ("- " * 21 + "item", True),
        ("> " * 10 + "1. " * 11 + "item", True),
        (">" * 21 + " quote", True),  # '>' needs no space after it
        ("-" * 30, False),  # a rule, not a list
        ("1234567890. " * 21, False),  # ten digits are not a list number
        (" " * 80 + "code", False),
        ("\t" * 81 + "code", True),
    ],
)
def test_nesting_limit_at_its_edge(line: str, too_deep: bool) -> None:
    """The whole text is searched at once, and a file beyond the limit then line by line
    to say where: both must agree, at the exact limit."""
    log = ErrorLog("incidents/x.md")
    text = f"---\ntitle: x\n---\n\n{line}\n"
    assert check_limits(text, log) is not too_deep
    assert [(e.line, e.message[:29]) for e in log.errors] == (
        [(5, "lists or quotes nested deeper")] if too_deep else []
    )
