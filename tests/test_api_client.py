"""The built API served over HTTP on 127.0.0.1 and read by real Statuspage clients from PyPI.

Two clients, each run the way its users run it, in a process of its own:

- ``statuspage-prometheus-exporter`` (a test dependency): one monitoring pass
  (``RUN_MODE=once``) against our ``summary.json``, whose Prometheus metrics file is then
  read back.
- ``statuscheck``, the best known one: it pins Click 7, attrs 20 and httpx 0.16, which
  cannot share statusgen's environment, so it is installed once into a virtual
  environment of its own in pytest's cache folder (``.pytest_cache``). Its Statuspage
  parser is strict (every key read with ``[]``, every status checked against its
  vocabulary), and only its base URL is changed, to point at our server.

What each client reports is compared with statuses worked out by hand from the files.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterator
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from prometheus_client.parser import text_string_to_metric_families

from statusgen.content.config import read_site_config
from statusgen.content.loader import load_site
from statusgen.render.context import RenderContext
from statusgen.render.i18n import Language
from statusgen.render.outputs import render_outputs
from statusgen.state.page import derive
from tests.conftest import RepoWriter
from tests.test_statuspage import FILES, NOW, SCHEMAS, SITE_URL

STATUSCHECK = "statuscheck==3.11.0"
SERVICE = "Example"

# Busy: FILES at NOW (see test_statuspage). Quiet: one resolved incident and one completed
# maintenance. Maintenance: the CDN migration in progress and nothing else.
BUSY = FILES
QUIET = {"old.md": FILES["2026-11-27-dashboard.md"], "done.md": FILES["2026-11-21-network.md"]}
MAINTENANCE = {"2026-11-28-cdn.md": FILES["2026-11-28-cdn.md"]}

ServeSite = Callable[[dict[str, str | bytes]], str]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log on the test output."""


@pytest.fixture
def serve_site(make_repo: RepoWriter, tmp_path: Path) -> Iterator[ServeSite]:
    """Build a site's outputs into a folder and serve it on 127.0.0.1; returns the base URL."""
    servers: list[ThreadingHTTPServer] = []

    def serve(files: dict[str, str | bytes]) -> str:
        root = make_repo(files)
        config = read_site_config(root)
        context = RenderContext(
            state=derive(load_site(root), NOW), config=config, language=Language(config.language)
        )
        site = tmp_path / f"site-{len(servers)}"
        for path, data in render_outputs(context).items():
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_bytes(data)
        handler = functools.partial(_QuietHandler, directory=str(site))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def _client_environment() -> dict[str, str]:
    """The test's environment, with any proxy bypassed for the local server."""
    return {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}


# The documents over HTTP ---------------------------------------------------------------------


def test_every_api_document_is_served_and_matches_the_schema(serve_site: ServeSite) -> None:
    base = serve_site(BUSY)

    for path, schema in SCHEMAS.items():
        with urllib.request.urlopen(base + path, timeout=10) as response:
            assert response.status == 200, path
            assert response.headers.get_content_type() == "application/json", path
            document = json.loads(response.read())
        jsonschema.Draft202012Validator(schema).validate(document)


# statuspage-prometheus-exporter --------------------------------------------------------------


def run_exporter(base: str, folder: Path) -> dict[str, list[dict[str, str]]]:
    """One pass of the exporter over our summary; the labels of each metric's samples
    with value 1 (``_value`` holds the value of the others)."""
    folder.mkdir()
    services = folder / "services.json"
    services.write_text(
        json.dumps({"example": {"url": f"{base}api/v2/summary.json", "name": SERVICE}})
    )
    metrics = folder / "metrics.prom"
    environment = _client_environment() | {
        "RUN_MODE": "once",
        "SERVICES_JSON_PATH": str(services),
        "METRICS_TEXTFILE_PATH": str(metrics),
    }
    subprocess.run(
        [sys.executable, "-m", "statuspage_prometheus_exporter.status_monitoring"],
        cwd=folder,  # it keeps its cache and history in the working folder
        env=environment,
        check=True,
        capture_output=True,
        timeout=120,
    )
    samples: dict[str, list[dict[str, str]]] = {}
    for family in text_string_to_metric_families(metrics.read_text()):
        for sample in family.samples:
            labels = dict(sample.labels) | {"_value": str(sample.value)}
            samples.setdefault(sample.name, []).append(labels)
    return samples


def by_label(samples: list[dict[str, str]], label: str) -> dict[str, float]:
    return {s[label]: float(s["_value"]) for s in samples}


def test_exporter_reads_a_page_with_an_incident(serve_site: ServeSite, tmp_path: Path) -> None:
    samples = run_exporter(serve_site(BUSY), tmp_path / "exporter")

    assert by_label(samples["statuspage_probe_check"], "service_name") == {SERVICE: 1}
    assert by_label(samples["statuspage_service_status"], "service_name") == {SERVICE: 0}
    # 1 is operational, 0 anything else; the group is listed as a component too.
    assert by_label(samples["statuspage_component_status"], "component_name") == {
        "Platform": 0,
        "API": 0,
        "Webhooks": 0,
        "Dashboard": 1,
        "Website": 0,
    }
    incidents = [s for s in samples["statuspage_incident_info"] if s["_value"] == "1.0"]
    assert [(s["incident_id"], s["impact"], s["shortlink"]) for s in incidents] == [
        ("2026-11-28-api-errors", "major", f"{SITE_URL}incidents/2026-11-28-api-errors/")
    ]
    assert incidents[0]["incident_name"] == "Elevated API errors"
    assert "API" in incidents[0]["affected_components"]
    assert "Webhooks" in incidents[0]["affected_components"]
    maintenances = [s for s in samples["statuspage_maintenance_info"] if s["_value"] == "1.0"]
    assert {m["maintenance_id"] for m in maintenances} == {
        "2026-11-28-cdn",
        "2026-11-30-certs",
        "2026-12-05-db-upgrade",
    }
    cdn = next(m for m in maintenances if m["maintenance_id"] == "2026-11-28-cdn")
    assert datetime.fromisoformat(cdn["scheduled_start"]) == datetime.fromisoformat(
        "2026-11-28T11:00:00Z"
    )


def test_exporter_reads_a_quiet_page(serve_site: ServeSite, tmp_path: Path) -> None:
    samples = run_exporter(serve_site(QUIET), tmp_path / "exporter")

    assert by_label(samples["statuspage_service_status"], "service_name") == {SERVICE: 1}
    statuses = by_label(samples["statuspage_component_status"], "component_name")
    assert set(statuses.values()) == {1}
    assert len(statuses) == 5
    assert not [s for s in samples.get("statuspage_incident_info", []) if s["_value"] == "1.0"]
    assert not [s for s in samples.get("statuspage_maintenance_info", []) if s["_value"] == "1.0"]


# statuscheck ---------------------------------------------------------------------------------

STATUSCHECK_CLIENT = """
import json, sys
from statuscheck.services.bases._statuspageio import BaseStatusPageAPI

class Statusgen(BaseStatusPageAPI):
    name = "statusgen"

    def _get_base_url(self):
        return sys.argv[1]

print(json.dumps(Statusgen().get_summary().as_dict()))
"""


@pytest.fixture(scope="session")
def statuscheck_python(request: pytest.FixtureRequest) -> Path:
    """The Python of a virtual environment holding statuscheck, made once and reused."""
    folder: Path = request.config.cache.mkdir("statuscheck-venv")
    python = folder / "bin" / "python"
    installed = folder / "installed.txt"
    if python.exists() and installed.exists() and installed.read_text() == STATUSCHECK:
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(folder)], check=True)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            STATUSCHECK,
        ],
        check=True,
        timeout=600,
    )
    installed.write_text(STATUSCHECK)
    return python


def run_statuscheck(python: Path, base: str) -> dict[str, Any]:
    result = subprocess.run(
        [str(python), "-c", STATUSCHECK_CLIENT, f"{base}api/v2/"],
        env=_client_environment(),
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


def test_statuscheck_reads_a_page_with_an_incident(
    serve_site: ServeSite, statuscheck_python: Path
) -> None:
    summary = run_statuscheck(statuscheck_python, serve_site(BUSY))

    status = summary["status"]
    assert (status["code"], status["name"], status["is_ok"]) == ("major", "Major outage", False)
    assert status["description"] == "Partial System Outage"
    assert {c["id"]: c["status"] for c in summary["components"]} == {
        "platform": "Partial outage",
        "api": "Partial outage",
        "webhooks": "Degraded performance",
        "dashboard": "Operational",
        "website": "Under maintenance",
    }
    # Unresolved incidents, then maintenance in progress and upcoming (soonest first).
    assert [(i["id"], i["status"]) for i in summary["incidents"]] == [
        ("2026-11-28-api-errors", "monitoring"),
        ("2026-11-28-cdn", "in_progress"),
        ("2026-11-30-certs", "scheduled"),
        ("2026-12-05-db-upgrade", "scheduled"),
    ]
    affected = summary["incidents"][0]["components"]
    assert [(c["name"], c["status"]) for c in affected] == [
        ("API", "Partial outage"),
        ("Webhooks", "Degraded performance"),
    ]


def test_statuscheck_reads_a_quiet_page(serve_site: ServeSite, statuscheck_python: Path) -> None:
    summary = run_statuscheck(statuscheck_python, serve_site(QUIET))

    status = summary["status"]
    assert (status["code"], status["name"], status["is_ok"]) == ("none", "No issues", True)
    assert {c["status"] for c in summary["components"]} == {"Operational"}
    assert summary["incidents"] == []


def test_statuscheck_reads_a_page_under_maintenance(
    serve_site: ServeSite, statuscheck_python: Path
) -> None:
    summary = run_statuscheck(statuscheck_python, serve_site(MAINTENANCE))

    status = summary["status"]
    assert (status["code"], status["name"]) == ("maintenance", "Maintenance")
    assert status["description"] == "Service Under Maintenance"
    assert {c["id"]: c["status"] for c in summary["components"]}["website"] == "Under maintenance"
    assert [(i["id"], i["status"]) for i in summary["incidents"]] == [
        ("2026-11-28-cdn", "in_progress")
    ]
