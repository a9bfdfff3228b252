"""statusgen import statuspage: recorded documents of real pages, from a folder and over
HTTP on 127.0.0.1, and every way a source can be wrong."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from statusgen.content.loader import load_site
from statusgen.core.model import ComponentStatus, IncidentStatus
from statusgen.core.timestamps import parse_timestamp
from statusgen.state.page import derive
from statusgen.workflow.importers.markdown import to_markdown
from tests.conftest import run_cli, snapshot, statusgen

DATA = Path(__file__).parent / "data" / "statuspage"
RECORDINGS = sorted(p.name for p in DATA.iterdir() if p.is_dir())
Handler = Callable[[str], tuple[int, bytes]]


def documents(recording: str) -> dict[str, Any]:
    return {p.name: json.loads(p.read_text()) for p in (DATA / recording).glob("*.json")}


def recorded_incidents(docs: dict[str, Any]) -> dict[str, Any]:
    """Every incident and maintenance of a recording, by id."""
    found: dict[str, Any] = {}
    for document in docs.values():
        for key in ("incidents", "scheduled_maintenances"):
            for item in document.get(key, []):
                found.setdefault(item["id"], item)
    return found


def recording_time(docs: dict[str, Any]) -> datetime:
    """When it was recorded: the page's time, or its latest update if that is later."""
    times = [
        parse_timestamp(d["page"]["updated_at"]) for d in docs.values() if "updated_at" in d["page"]
    ]
    for item in recorded_incidents(docs).values():
        times += [
            parse_timestamp(u["display_at"] or u["created_at"]) for u in item["incident_updates"]
        ]
    return max(times)


def ids(root: Path) -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, dict[str, str]]] = yaml.safe_load(
        (root / "import-ids.yml").read_text()
    )
    return data["statuspage"]


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], str]]:
    """Serve documents from 127.0.0.1: ``serve(handler)`` returns the base URL; the
    handler gets the path and returns the status and the body."""
    servers: list[ThreadingHTTPServer] = []

    def start(handler: Handler) -> str:
        class Answer(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body = handler(self.path)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting: what the timeout test wants

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{server.server_address[1]}/api/v2/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def folder_handler(folder: Path) -> Handler:
    def handle(path: str) -> tuple[int, bytes]:
        name = path.removeprefix("/api/v2/")
        file = folder / name
        return (200, file.read_bytes()) if "/" not in name and file.is_file() else (404, b"{}")

    return handle


@pytest.mark.parametrize("recording", RECORDINGS)
def test_a_recorded_page_imports_to_what_it_showed(recording: str, tmp_path: Path) -> None:
    """The imported repository validates, and at the time of the recording it shows the
    open incidents the page showed, with the statuses their components had then."""
    root = tmp_path / "site"
    result = run_cli("import", "statuspage", DATA / recording, "--root", root)
    assert result.returncode == 0, result.stderr
    assert run_cli("validate", "--root", root).returncode == 0

    docs = documents(recording)
    moment = recording_time(docs)
    status = run_cli("status", "--root", root, "--json", "--now", moment.isoformat())
    assert status.returncode == 0, status.stderr
    summary = json.loads(status.stdout)
    recorded = recorded_incidents(docs)
    mapping = ids(root)
    open_ids = {
        mapping["incidents"][k]
        for k, item in recorded.items()
        if item["status"] not in ("resolved", "postmortem", "completed")
        and item.get("impact") != "maintenance"
    }
    assert {i["id"] for i in summary["incidents"]} == open_ids
    shown = {c["id"]: c["status"] for c in summary["components"] if not c["group"]}
    for item in recorded.values():
        if item["id"] not in {k for k, v in mapping["incidents"].items() if v in open_ids}:
            continue
        for component in item["components"]:
            assert shown[mapping["components"][component["id"]]] == component["status"]
    # A status that no open incident explains is reported, never silently dropped.
    for document in docs.values():
        for component in document.get("components", []):
            own = mapping["components"].get(component["id"])
            if own and component["status"] != shown[own] and not component.get("group"):
                assert f"component '{component['name']}' is {component['status']}" in result.stderr


@pytest.mark.parametrize("recording", RECORDINGS)
def test_every_update_is_imported_with_its_time_status_and_text(
    recording: str, tmp_path: Path
) -> None:
    root = tmp_path / "site"
    assert run_cli("import", "statuspage", DATA / recording, "--root", root).returncode == 0
    site = load_site(root)
    mapping = ids(root)
    by_id = {e.id: e for e in site.events}
    for key, item in recorded_incidents(documents(recording)).items():
        event = by_id[mapping["incidents"][key]]
        assert event.title == " ".join(item["name"].split())
        recorded = sorted(
            item["incident_updates"],
            key=lambda u: parse_timestamp(u["display_at"] or u["created_at"]),
        )
        assert len(event.updates) == len(recorded)
        for update, source in zip(event.updates, recorded, strict=True):
            at = parse_timestamp(source["display_at"] or source["created_at"])
            assert abs((update.at - at).total_seconds()) < 1
            expected = source["status"] if source["status"] != "postmortem" else "update"
            assert update.status.value == expected
            assert update.body == to_markdown(source["body"])


def test_over_http_the_same_files_as_from_the_folder(
    serve: Callable[[Handler], str], tmp_path: Path
) -> None:
    requested: list[str] = []
    handle = folder_handler(DATA / "huobi-linear-swap-2020-02-11")

    def record(path: str) -> tuple[int, bytes]:
        requested.append(path)
        return handle(path)

    url = serve(record).removesuffix("api/v2/")  # the page's address leads to its API
    web, folder = tmp_path / "web", tmp_path / "folder"
    result = statusgen("import", "statuspage", url, "--root", web)
    assert result.returncode == 0, result.stderr
    assert "Fetching" in result.stderr  # the progress bar
    assert (
        statusgen(
            "import", "statuspage", DATA / "huobi-linear-swap-2020-02-11", "--root", folder
        ).returncode
        == 0
    )
    assert sorted(requested) == sorted(
        f"/api/v2/{n}"
        for n in (
            "summary.json",
            "components.json",
            "incidents.json",
            "scheduled-maintenances.json",
        )
    )
    for path in (folder / "incidents").iterdir():
        assert (web / "incidents" / path.name).read_text() == path.read_text()


def test_passing_server_errors_are_retried(serve: Callable[[Handler], str], tmp_path: Path) -> None:
    failures = {"count": 0}
    handle = folder_handler(DATA / "huobi-linear-swap-2020-02-11")

    def flaky(path: str) -> tuple[int, bytes]:
        if path.endswith("summary.json") and failures["count"] < 2:
            failures["count"] += 1
            return 503, b"busy"
        return handle(path)

    result = run_cli("import", "statuspage", serve(flaky), "--root", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert failures["count"] == 2


def test_a_server_that_keeps_failing_is_a_clear_error(
    serve: Callable[[Handler], str], tmp_path: Path
) -> None:
    result = run_cli(
        "import", "statuspage", serve(lambda path: (500, b"oops")), "--root", tmp_path / "site"
    )
    assert result.returncode == 1
    assert "summary.json: the server kept failing after 3 retries" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_an_unreachable_address_is_a_clear_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = statusgen(
        "import", "statuspage", f"http://127.0.0.1:{port}/api/v2/", "--root", tmp_path / "site"
    )
    assert result.returncode == 1
    assert f"cannot connect to 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_slow_server_times_out(serve: Callable[[Handler], str], tmp_path: Path) -> None:
    import time

    def slow(path: str) -> tuple[int, bytes]:
        time.sleep(1.5)
        return 404, b"{}"

    result = run_cli(
        "import", "statuspage", serve(slow), "--timeout", "0.3", "--root", tmp_path / "site"
    )
    assert result.returncode == 1
    assert "no answer within 0.3 s" in result.stderr


def test_an_html_page_is_not_taken_for_the_api(
    serve: Callable[[Handler], str], tmp_path: Path
) -> None:
    page = b"<!doctype html><html><body>Status</body></html>"
    result = run_cli("import", "statuspage", serve(lambda p: (200, page)), "--root", tmp_path / "s")
    assert result.returncode == 1
    assert "summary.json: not valid JSON (it looks like an HTML page)" in result.stderr


def test_a_cut_off_download_names_the_document(tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    whole = (DATA / "huobi-linear-swap-2020-02-11" / "summary.json").read_bytes()
    (folder / "summary.json").write_bytes(whole[: len(whole) // 2])
    result = statusgen("import", "statuspage", folder, "--root", tmp_path / "site")
    assert result.returncode == 1
    assert f"{folder / 'summary.json'}: not valid JSON" in result.stderr
    assert "the download was cut off" in result.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "none of summary.json, components.json, incidents.json"),
        ({"incidents.json": {"page": {}, "incidents": []}}, "components.json: missing"),
        ({"components.json": {"page": {}, "components": []}}, "incidents.json: missing"),
        ({"summary.json": {"incidents": []}}, "not a Statuspage document (it has no 'page'"),
        ({"summary.json": {"page": {}, "components": {"a": 1}}}, "'components' must be a list"),
    ],
)
def test_a_source_that_is_not_statuspage(
    files: dict[str, Any], message: str, tmp_path: Path
) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    for name, document in files.items():
        (folder / name).write_text(json.dumps(document))
    result = run_cli("import", "statuspage", folder, "--root", tmp_path / "site")
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def _page(**incident: Any) -> dict[str, Any]:
    base = {
        "id": "abc123",
        "name": "Elevated errors",
        "status": "investigating",
        "impact": "minor",
        "incident_updates": [
            {
                "id": "u1",
                "status": "investigating",
                "body": "Looking into it.",
                "display_at": "2026-11-28T14:02:00Z",
                "affected_components": None,
            }
        ],
        "components": [],
    }
    return {
        "page": {"id": "p", "name": "Example", "url": "https://status.example.com"},
        "components": [{"id": "c1", "name": "API", "status": "operational", "group": False}],
        "incidents": [base | incident],
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"impact": "catastrophic"},
            "incident 'abc123' (Elevated errors): 'impact' is 'catastrophic'",
        ),
        (
            {"incident_updates": []},
            "incident 'abc123' (Elevated errors): it has no 'incident_updates'",
        ),
        ({"name": " "}, "'name' is missing or empty"),
        (
            {
                "incident_updates": [
                    {"status": "surprise", "body": "", "display_at": "2026-11-28T14:02:00Z"}
                ]
            },
            "status 'surprise' is not one of 'investigating'",
        ),
        (
            {
                "incident_updates": [
                    {"status": "investigating", "body": "", "display_at": "2026-11-28 14:02"}
                ]
            },
            "'display_at': timestamp '2026-11-28 14:02' has no time zone",
        ),
    ],
)
def test_an_incident_that_is_not_what_statuspage_writes(
    change: dict[str, Any], message: str, tmp_path: Path
) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "summary.json").write_text(json.dumps(_page(**change)))
    result = run_cli("import", "statuspage", folder, "--root", tmp_path / "site")
    assert result.returncode == 1
    assert message in result.stderr
    assert not (tmp_path / "site").exists()


def test_nothing_is_overwritten_without_force(tmp_path: Path) -> None:
    root = tmp_path / "site"
    source = DATA / "quay-2016-06-03"
    assert statusgen("import", "statuspage", source, "--root", root).returncode == 0
    before = snapshot(root)
    again = statusgen("import", "statuspage", source, "--root", root)
    assert again.returncode == 1
    assert "these files exist already; nothing was written (use --force" in again.stderr
    assert snapshot(root) == before
    assert statusgen("import", "statuspage", source, "--root", root, "--force").returncode == 0


def test_ids_are_readable_and_stay_the_same_when_the_source_changes(tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    page = _page(name="Elevated errors")
    (folder / "summary.json").write_text(json.dumps(page))
    root = tmp_path / "site"
    assert run_cli("import", "statuspage", folder, "--root", root).returncode == 0
    assert ids(root)["incidents"] == {"abc123": "2026-11-28-elevated-errors"}
    assert ids(root)["components"] == {"c1": "api"}
    # Later the API also returns an older incident of the same day and title: the first
    # keeps its id, the newcomer gets the next one.
    older = page["incidents"][0] | {
        "id": "zzz999",
        "incident_updates": [
            page["incidents"][0]["incident_updates"][0] | {"display_at": "2026-11-28T09:00:00Z"}
        ],
    }
    page["incidents"].append(older)
    (folder / "summary.json").write_text(json.dumps(page))
    assert run_cli("import", "statuspage", folder, "--root", root, "--force").returncode == 0
    assert ids(root)["incidents"] == {
        "abc123": "2026-11-28-elevated-errors",
        "zzz999": "2026-11-28-elevated-errors-2",
    }
    redirects = (root / "docs" / "_redirects").read_text().splitlines()
    assert "/incidents/abc123 /incidents/2026-11-28-elevated-errors/ 301" in redirects
    page_html = (root / "docs" / "incidents" / "zzz999" / "index.html").read_text()
    assert 'url=https://status.example.com/incidents/2026-11-28-elevated-errors-2/"' in page_html


def test_html_of_the_old_page_becomes_safe_markdown(tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    hostile = (
        "Fixed.<br /><br /><strong>Cause</strong>: a &lt;script&gt; tag <script>alert(1)</script>"
        '<a href="javascript:alert(2)">click</a> <a href="https://example.com/x">details</a>'
        "<h1>Timeline</h1>\n## not an update"
    )
    page = _page()
    page["incidents"][0]["incident_updates"][0]["body"] = hostile
    (folder / "summary.json").write_text(json.dumps(page))
    root = tmp_path / "site"
    result = run_cli("import", "statuspage", folder, "--root", root)
    assert result.returncode == 0, result.stderr
    body = load_site(root).events[0].updates[0].body
    assert body == (
        "Fixed.\n\n**Cause**: a &lt;script> tag click [details](https://example.com/x)\n\n"
        "### Timeline\n\n### not an update"
    )
    built = run_cli("build", "--root", root, "--now", "2026-11-29 00:00 UTC")
    assert built.returncode == 0, built.stderr
    html = (root / "site" / "incidents" / "2026-11-28-elevated-errors" / "index.html").read_text()
    assert "<script>alert" not in html
    assert "javascript:" not in html


def test_component_statuses_set_without_an_incident_are_reported(tmp_path: Path) -> None:
    result = run_cli("import", "statuspage", DATA / "circleci-2016-06-15", "--root", tmp_path / "s")
    assert result.returncode == 0
    assert (
        "component 'Heroku' is degraded_performance on the page, but no open incident says so"
        in result.stderr
    )


def test_the_api_limit_is_explained(tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    page = _page()
    template = page["incidents"][0]
    page["incidents"] = [
        template
        | {
            "id": f"i{n}",
            "status": "resolved",
            "incident_updates": [
                template["incident_updates"][0]
                | {"display_at": f"2026-10-{n % 28 + 1:02d}T10:{n:02d}:00Z"},
                template["incident_updates"][0]
                | {"status": "resolved", "display_at": f"2026-10-{n % 28 + 1:02d}T11:{n:02d}:00Z"},
            ],
        }
        for n in range(50)
    ]
    (folder / "incidents.json").write_text(json.dumps(page))
    (folder / "components.json").write_text(json.dumps(page))
    result = run_cli("import", "statuspage", folder, "--root", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "50 incidents" in result.stderr
    assert "the incidents start on 2026-10-01" in result.stderr
    assert "Statuspage's API returns the latest 50 incidents" in result.stderr
    assert "--csv FILE" in result.stderr


def test_a_csv_export_adds_the_older_history(tmp_path: Path) -> None:
    csv_file = tmp_path / "history.csv"
    csv_file.write_text(
        "Incident ID,Name,Impact,Status,Created At,Body,Components\n"
        "old1,Login failures,major,investigating,2025-03-01T10:00:00Z,We are investigating.,API\n"
        "old1,Login failures,major,resolved,2025-03-01T11:00:00Z,Fixed.,API\n"
        "abc123,Elevated errors,minor,investigating,2026-11-28T14:02:00Z,Duplicate of the API,\n"
    )
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "summary.json").write_text(json.dumps(_page()))
    root = tmp_path / "site"
    result = run_cli("import", "statuspage", folder, "--csv", csv_file, "--root", root)
    assert result.returncode == 0, result.stderr
    assert f"1 older incident from {csv_file}" in result.stderr
    site = load_site(root)
    old = next(e for e in site.events if e.title == "Login failures")
    assert [u.status for u in old.updates] == [
        IncidentStatus.INVESTIGATING,
        IncidentStatus.RESOLVED,
    ]
    assert dict(old.components) == {"api": ComponentStatus.PARTIAL_OUTAGE}
    state = derive(site, parse_timestamp("2025-03-01 10:30 UTC"))
    assert state.component_statuses["api"] is ComponentStatus.PARTIAL_OUTAGE


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        ("Name,Impact\nx,minor\n", "history.csv:1: no column incident_id or id"),
        (
            "id,name,impact,status,created_at,body,components\n"
            "o,T,minor,investigating,2025-01-01T00:00:00Z,x,Nope\n",
            "history.csv:2: component 'Nope' is not one of the page's",
        ),
        ("", "history.csv: the file is empty"),
    ],
)
def test_a_csv_file_with_problems(csv_text: str, message: str, tmp_path: Path) -> None:
    csv_file = tmp_path / "history.csv"
    csv_file.write_text(csv_text)
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "summary.json").write_text(json.dumps(_page()))
    result = run_cli("import", "statuspage", folder, "--csv", csv_file, "--root", tmp_path / "s")
    assert result.returncode == 1
    assert message in result.stderr


@pytest.mark.parametrize("recording", RECORDINGS)
def test_each_update_gives_the_components_the_statuses_it_recorded(
    recording: str, tmp_path: Path
) -> None:
    """At the moment of each update, every component its ``affected_components`` names
    has the ``new_status`` it gives (and everything is operational again once resolved)."""
    root = tmp_path / "site"
    assert run_cli("import", "statuspage", DATA / recording, "--root", root).returncode == 0
    site = load_site(root)
    mapping = ids(root)
    by_id = {e.id: e for e in site.events}
    checked = 0
    for key, item in recorded_incidents(documents(recording)).items():
        if item.get("impact") == "maintenance":
            continue  # a maintenance's statuses follow its window (FORMAT.md), not its updates
        event = by_id[mapping["incidents"][key]]
        recorded = sorted(
            item["incident_updates"],
            key=lambda u: parse_timestamp(u["display_at"] or u["created_at"]),
        )
        for update, source in zip(event.updates, recorded, strict=True):
            statuses = derive(site, update.at).component_statuses
            for entry in source["affected_components"] or []:
                if "code" not in entry:
                    continue  # "No components were affected by this update."
                expected = entry["new_status"]
                if update.status is IncidentStatus.RESOLVED:
                    expected = ComponentStatus.OPERATIONAL.value
                assert statuses[mapping["components"][entry["code"]]].value == expected
                checked += 1
    has_changes = any(
        "code" in entry
        for item in recorded_incidents(documents(recording)).values()
        for u in item["incident_updates"]
        for entry in u["affected_components"] or []
    )
    assert checked > 0 or not has_changes


def test_an_incident_resolved_without_a_resolving_update_is_not_shown_open(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    page = _page(status="resolved", resolved_at="2026-11-28T15:00:00Z")
    (folder / "summary.json").write_text(json.dumps(page))
    root = tmp_path / "site"
    assert run_cli("import", "statuspage", folder, "--root", root).returncode == 0
    event = load_site(root).events[0]
    assert [(u.at, u.status) for u in event.updates] == [
        (parse_timestamp("2026-11-28 14:02 UTC"), IncidentStatus.INVESTIGATING),
        (parse_timestamp("2026-11-28 15:00 UTC"), IncidentStatus.RESOLVED),
    ]
    assert derive(load_site(root), parse_timestamp("2026-11-28 16:00 UTC")).active_incidents == ()
