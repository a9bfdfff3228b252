"""statusgen import cstate and statusfy: content folders written to each tool's
documented format (tests/data/cstate, tests/data/statusfy), and their errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from statusgen.content.loader import load_site
from statusgen.core.model import ComponentStatus, Impact, IncidentStatus, Maintenance
from statusgen.core.timestamps import parse_timestamp
from statusgen.state.page import derive
from tests.conftest import run_cli, statusgen

DATA = Path(__file__).parent / "data"


def copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(DATA / name, target)
    return target


def test_cstate_site(tmp_path: Path) -> None:
    root = tmp_path / "site"
    result = statusgen("import", "cstate", DATA / "cstate", "--root", root)
    assert result.returncode == 0, result.stderr
    assert statusgen("validate", "--root", root).returncode == 0
    site = load_site(root)
    assert [c.id for c in site.catalog.components] == ["gateway", "api", "media-proxy"]
    assert [g.id for g in site.catalog.groups] == ["north-coast"]  # 'untitled' is no group
    assert site.catalog.component("gateway").group == "north-coast"
    events = {e.id: e for e in site.events}

    outage = events["2024-05-25-us-east-connection-issues"]
    assert outage.impact is Impact.CRITICAL
    assert dict(outage.components) == {
        "api": ComponentStatus.MAJOR_OUTAGE,
        "media-proxy": ComponentStatus.MAJOR_OUTAGE,
    }
    # Hugo reads times without a zone in the site's timeZone: Paris, +02:00 in May.
    assert [(u.at, u.status) for u in outage.updates] == [
        (parse_timestamp("2024-05-25 02:13 UTC"), IncidentStatus.INVESTIGATING),
        (parse_timestamp("2024-05-25 02:40 UTC"), IncidentStatus.MONITORING),
        (parse_timestamp("2024-05-25 03:54 UTC"), IncidentStatus.RESOLVED),
    ]
    assert outage.updates[1].body.startswith("We believe the connectivity issues")

    # No track shortcode: one update at the date, resolved at resolvedWhen.
    latency = events["2024-07-02-gateway-latency"]
    assert [(u.at, u.status) for u in latency.updates] == [
        (parse_timestamp("2024-07-02 09:00 UTC"), IncidentStatus.INVESTIGATING),
        (parse_timestamp("2024-07-02 10:30 UTC"), IncidentStatus.RESOLVED),
    ]
    # A notice changes no system's status in cState, and none here.
    assert dict(events["2024-02-24-maintenance-announcement"].components) == {}
    assert "a notice; cState shows no system affected by it" in result.stderr

    state = derive(site, parse_timestamp("2024-12-27 12:00 UTC"))
    assert state.component_statuses["api"] is ComponentStatus.MAJOR_OUTAGE
    assert [e.id for e in state.active_incidents] == ["2024-12-27-api-dns-resolution-error"]
    dns = events["2024-12-27-api-dns-resolution-error"]
    assert [u.status for u in dns.updates] == [IncidentStatus.INVESTIGATING, IncidentStatus.UPDATE]

    redirects = (root / "docs" / "_redirects").read_text().splitlines()
    assert (
        "/issues/2024-07-02-gateway-latency /incidents/2024-07-02-gateway-latency/ 301" in redirects
    )
    assert "/incidents/id100 /incidents/2024-07-02-gateway-latency/ 301" in redirects


def test_statusfy_site_in_each_language(tmp_path: Path) -> None:
    root = tmp_path / "en"
    result = run_cli("import", "statusfy", DATA / "statusfy", "--root", root)
    assert result.returncode == 0, result.stderr
    site = load_site(root)
    assert [(c.id, c.name) for c in site.catalog.components] == [
        ("cdn", "CDN"),
        ("api", "API"),
        ("site-delivery", "Site delivery"),
    ]
    events = {e.id: e for e in site.events}
    api = events["2018-01-28-api-issues"]
    assert [u.status for u in api.updates] == [
        IncidentStatus.INVESTIGATING,
        IncidentStatus.MONITORING,
        IncidentStatus.RESOLVED,
    ]
    assert "Our Files Conversion Process were responding slowly." in api.updates[0].body
    networking = events["2018-11-21-networking-issues"]  # TOML front matter
    assert networking.impact is Impact.CRITICAL
    assert dict(networking.components) == {"site-delivery": ComponentStatus.MAJOR_OUTAGE}
    maintenance = events["2018-12-01-cdn-maintenance"]  # JSON front matter
    assert isinstance(maintenance, Maintenance)
    assert maintenance.scheduled_start == parse_timestamp("2018-12-01 02:00 UTC")
    assert maintenance.scheduled_end == parse_timestamp("2018-12-01 03:00 UTC")
    state = derive(site, parse_timestamp("2018-12-01 02:30 UTC"))
    assert state.component_statuses["cdn"] is ComponentStatus.UNDER_MAINTENANCE
    assert state.component_statuses["site-delivery"] is ComponentStatus.MAJOR_OUTAGE
    assert (root / "docs" / "incidents" / "382ee1ab" / "index.html").is_file()

    spanish = tmp_path / "es"
    result = run_cli("import", "statusfy", DATA / "statusfy", "--language", "es", "--root", spanish)
    assert result.returncode == 0, result.stderr
    site = load_site(spanish)
    assert [e.title for e in site.events] == ["Problemas con la API"]
    assert site.catalog.component("site-delivery").name == "Entrega del sitio"
    assert "/es/incidents/382ee1ab " in (spanish / "docs" / "_redirects").read_text()


def test_statusfy_with_a_config_js_takes_the_systems_from_the_incidents(tmp_path: Path) -> None:
    source = copy("statusfy", tmp_path)
    (source / "config.yml").unlink()
    (source / "config.js").write_text("module.exports = { title: 'Example' }\n")
    result = run_cli("import", "statusfy", source, "--root", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "config.js is not read" in result.stderr
    ids = {c.id for c in load_site(tmp_path / "site").catalog.components}
    assert ids == {"api", "cdn", "site-delivery"}


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda s: shutil.rmtree(s / "content"), "no content/issues/ folder"),
        (lambda s: (s / "config.yml").unlink(), "no config.yml or config.yaml or config.toml"),
        (
            lambda s: (s / "content/issues/x.md").write_text("---\ntitle: X\nseverity: bad\n---\n"),
            "x.md: severity 'bad' is not one of down, disrupted, notice",
        ),
        (
            lambda s: (s / "content/issues/x.md").write_text("no front matter"),
            "x.md: no front matter",
        ),
        (
            lambda s: (s / "content/issues/x.md").write_text("---\ntitle: [\n---\n"),
            "x.md: the front matter cannot be read",
        ),
        (
            lambda s: (s / "content/issues/x.md").write_text(
                "---\ntitle: X\nseverity: down\ndate: yesterday\n---\n"
            ),
            "x.md: 'date': 'yesterday' is not a timestamp",
        ),
        (
            lambda s: (s / "config.yml").write_text("timeZone: Mars/Olympus\nparams: {}\n"),
            "timeZone 'Mars/Olympus' is not a known time zone",
        ),
        (lambda s: (s / "content/issues/x.md").write_bytes(b"\xff\xfe---"), "x.md: not UTF-8"),
    ],
)
def test_cstate_errors(edit: object, message: str, tmp_path: Path) -> None:
    source = copy("cstate", tmp_path)
    edit(source)  # type: ignore[operator]
    result = run_cli("import", "cstate", source, "--root", tmp_path / "site")
    assert result.returncode == 1
    assert message in result.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    ("edit", "language", "message"),
    [
        (
            lambda s: (s / "content/x.md").write_text(
                "---\ntitle: X\nseverity: major-outage\ndate: 2018-01-01 10:00\n---\n"
            ),
            "en",
            "x.md: 'date': timestamp '2018-01-01 10:00' has no time zone",
        ),
        (
            lambda s: (s / "content/x.md").write_text(
                "---\ntitle: X\nseverity: under-maintenance\ndate: 2018-01-01T10:00:00Z\n---\n"
            ),
            "en",
            "x.md: a maintenance needs 'scheduled' and 'duration'",
        ),
        (lambda s: shutil.rmtree(s / "content" / "es"), "es", "content/es: no such folder"),
        (lambda s: (s / "locales/es.json").write_text("{"), "es", "es.json: not valid JSON"),
    ],
)
def test_statusfy_errors(edit: object, language: str, message: str, tmp_path: Path) -> None:
    source = copy("statusfy", tmp_path)
    edit(source)  # type: ignore[operator]
    result = run_cli(
        "import", "statusfy", source, "--language", language, "--root", tmp_path / "site"
    )
    assert result.returncode == 1
    assert message in result.stderr
    assert not (tmp_path / "site").exists()
