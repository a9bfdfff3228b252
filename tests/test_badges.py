"""Status badges (statusgen.render.badges): well-formed, accessible SVG with the status in words,
and shields.io endpoint documents."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest

from statusgen.content.config import read_site_config
from statusgen.content.loader import load_site, read_site
from statusgen.render.badges import badge_svg, render_badges, text_width
from statusgen.render.context import RenderContext
from statusgen.render.i18n import Language
from statusgen.state.page import derive
from tests.conftest import COMPONENTS_YML, RepoWriter

SVG = "{http://www.w3.org/2000/svg}"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
COMPONENT_IDS = ["api", "webhooks", "dashboard", "website"]


def render(root: Path) -> dict[str, bytes]:
    config = read_site_config(root)
    state = derive(load_site(root), NOW)
    return render_badges(RenderContext(state=state, config=config, language=Language("en")))


def incident(impact: str, components: str) -> str:
    return f"""
        ---
        title: Something
        impact: {impact}
        components: {components}
        ---

        ## 2026-11-28 10:00 UTC — investigating
        Looking.
        """


MAINTENANCE_NOW = """
    ---
    title: Work
    type: maintenance
    scheduled_start: 2026-11-28 11:00 UTC
    scheduled_end: 2026-11-28 13:00 UTC
    components: [api]
    ---

    ## 2026-11-20 10:00 UTC — scheduled
    Announced.
    """


def parse(data: bytes) -> ET.Element:
    svg = ET.fromstring(data)
    assert svg.tag == f"{SVG}svg"
    return svg


def words_of(svg: ET.Element) -> tuple[str, str]:
    """What the badge says: its accessible name and its title."""
    return svg.get("aria-label", ""), svg.findtext(f"{SVG}title", "")


def contrast(foreground: str, background: str) -> float:
    """The WCAG 2 contrast ratio of two ``#rrggbb`` colours."""

    def luminance(color: str) -> float:
        channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# Files and shape ---------------------------------------------------------------------------


def test_every_badge_is_written(make_repo: RepoWriter) -> None:
    badges = render(make_repo({}))

    names = ["status", *COMPONENT_IDS]
    assert set(badges) == {f"badges/{n}.{kind}" for n in names for kind in ("svg", "json")}


def test_badges_are_well_formed_accessible_svg(make_repo: RepoWriter) -> None:
    badges = render(make_repo({"a.md": incident("major", "[api]")}))

    for path in (p for p in badges if p.endswith(".svg")):
        svg = parse(badges[path])
        assert svg.get("role") == "img", path
        label, title = words_of(svg)
        assert label, path
        assert title == label, path
        # The drawn text (a shadow, then the text) is hidden from screen readers, which
        # read the label once.
        drawn = [t.text for t in svg.findall(f"{SVG}g[@aria-hidden='true']/{SVG}text")]
        assert len(drawn) == 4, path
        assert drawn[0] == drawn[1], path
        assert drawn[2] == drawn[3], path
        assert label == f"{drawn[0]}: {drawn[2]}", path


def test_width_adds_up(make_repo: RepoWriter) -> None:
    badges = render(make_repo({}))

    for path in (p for p in badges if p.endswith(".svg")):
        svg = parse(badges[path])
        rects = svg.findall(f"{SVG}g/{SVG}rect")
        label_rect, message_rect = rects[0], rects[1]
        width = int(svg.get("width", "0"))
        assert int(label_rect.get("width", "0")) + int(message_rect.get("width", "0")) == width
        assert int(message_rect.get("x", "0")) == int(label_rect.get("width", "0"))
        assert svg.get("viewBox") == f"0 0 {width} 20"
        # Each text fits in its box with room on both sides.
        texts = svg.findall(f"{SVG}g/{SVG}text")
        for text, rect in ((texts[0], label_rect), (texts[2], message_rect)):
            assert float(text.get("textLength", "0")) + 8 <= int(rect.get("width", "0")), path


def test_width_follows_the_text() -> None:
    assert text_width("iiii") < text_width("MMMM")
    # Verdana 11px: O 8.66, p 6.85, e 6.55, r 4.69, a 6.61, t 4.33, i 3.02, o 6.68, n 6.96, l 3.02.
    assert text_width("Operational") == pytest.approx(63.98)
    assert text_width("é") == text_width("e")  # an accent adds no width
    assert text_width("中文") == 22
    assert text_width("Жж") > 0

    short = parse(badge_svg("API", "Operational", "#1a7f37"))
    long = parse(badge_svg("Website and documentation", "Operational", "#1a7f37"))
    assert int(long.get("width", "0")) - int(short.get("width", "0")) == pytest.approx(
        text_width("Website and documentation") - text_width("API"), abs=1
    )


# Words and colours ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "message", "color"),
    [
        pytest.param({}, "Operational", "#1a7f37", id="operational"),
        pytest.param(
            {"a.md": incident("minor", "{api: degraded_performance}")},
            "Degraded performance",
            "#8a6100",
            id="degraded",
        ),
        pytest.param(
            {"a.md": incident("major", "{api: partial_outage}")},
            "Partial outage",
            "#bc4c00",
            id="partial",
        ),
        pytest.param(
            {"a.md": incident("critical", "{api: major_outage}")},
            "Major outage",
            "#c62828",
            id="major",
        ),
        pytest.param({"m.md": MAINTENANCE_NOW}, "Under maintenance", "#0b62b8", id="maintenance"),
    ],
)
def test_component_badge_words_and_colour(
    make_repo: RepoWriter, files: dict[str, str | bytes], message: str, color: str
) -> None:
    badges = render(make_repo(files))

    svg = parse(badges["badges/api.svg"])
    assert words_of(svg) == (f"API: {message}", f"API: {message}")
    assert svg.findall(f"{SVG}g/{SVG}rect")[1].get("fill") == color
    assert [t.text for t in svg.findall(f"{SVG}g/{SVG}text")] == ["API", "API", message, message]
    endpoint = json.loads(badges["badges/api.json"])
    assert endpoint == {
        "schemaVersion": 1,
        "label": "API",
        "message": message,
        "color": color[1:],
    }
    # The other components are untouched.
    assert words_of(parse(badges["badges/dashboard.svg"]))[0] == "Dashboard: Operational"


@pytest.mark.parametrize(
    ("files", "message", "color"),
    [
        pytest.param({}, "All Systems Operational", "#1a7f37", id="none"),
        pytest.param(
            {"a.md": incident("minor", "[api]")}, "Minor Service Outage", "#8a6100", id="minor"
        ),
        pytest.param(
            {"a.md": incident("major", "[api]")}, "Partial System Outage", "#bc4c00", id="major"
        ),
        pytest.param(
            {"a.md": incident("critical", "[api]")},
            "Major Service Outage",
            "#c62828",
            id="critical",
        ),
        pytest.param(
            {"m.md": MAINTENANCE_NOW}, "Service Under Maintenance", "#0b62b8", id="maintenance"
        ),
    ],
)
def test_status_badge_words_and_colour(
    make_repo: RepoWriter, files: dict[str, str | bytes], message: str, color: str
) -> None:
    badges = render(make_repo(files))

    svg = parse(badges["badges/status.svg"])
    assert words_of(svg) == (f"status: {message}", f"status: {message}")
    assert svg.findall(f"{SVG}g/{SVG}rect")[1].get("fill") == color
    assert json.loads(badges["badges/status.json"]) == {
        "schemaVersion": 1,
        "label": "status",
        "message": message,
        "color": color[1:],
    }


def test_colours_keep_white_text_readable(make_repo: RepoWriter) -> None:
    files = {
        "a.md": incident("critical", "{api: major_outage, webhooks: partial_outage}"),
        "b.md": incident("minor", "{dashboard: degraded_performance}"),
        "m.md": MAINTENANCE_NOW.replace("[api]", "[website]"),
    }
    badges = render(make_repo(files))

    fills = set()
    for path in (p for p in badges if p.endswith(".svg")):
        for rect in parse(badges[path]).findall(f"{SVG}g/{SVG}rect")[:2]:
            fills.add(rect.get("fill", ""))
    assert len(fills) == 5  # grey label, and four statuses on this page
    for fill in fills:
        assert contrast("#ffffff", fill) >= 4.5, fill


def test_endpoint_documents_have_the_shields_shape(make_repo: RepoWriter) -> None:
    badges = render(make_repo({"a.md": incident("major", "[api]")}))

    for path in (p for p in badges if p.endswith(".json")):
        document = json.loads(badges[path])
        assert set(document) == {"schemaVersion", "label", "message", "color"}, path
        assert document["schemaVersion"] == 1
        assert isinstance(document["label"], str)
        assert document["message"]
        assert re.fullmatch(r"[0-9a-f]{6}", document["color"]), path
        svg = parse(badges[path.replace(".json", ".svg")])
        assert words_of(svg)[0] == f"{document['label']}: {document['message']}"


# Text that needs care --------------------------------------------------------------------------


def test_names_are_escaped(make_repo: RepoWriter) -> None:
    components = COMPONENTS_YML.replace("name: API", 'name: R&D <API> "v2"')
    badges = render(make_repo({}, components=components))

    svg = parse(badges["badges/api.svg"])
    assert words_of(svg)[0] == 'R&D <API> "v2": Operational'
    assert b"R&amp;D &lt;API&gt;" in badges["badges/api.svg"]
    assert json.loads(badges["badges/api.json"])["label"] == 'R&D <API> "v2"'


class Shouting(Language):
    """A language whose every word is upper case: shows which words are translated."""

    def gettext(self, message: str) -> str:
        return message.upper()


def test_words_come_from_the_language(make_repo: RepoWriter) -> None:
    root = make_repo({"a.md": incident("major", "{api: partial_outage}")})
    context = RenderContext(
        state=derive(load_site(root), NOW), config=read_site_config(root), language=Shouting("en")
    )

    badges = render_badges(context)

    assert words_of(parse(badges["badges/api.svg"]))[0] == "API: PARTIAL OUTAGE"
    assert words_of(parse(badges["badges/status.svg"]))[0] == "STATUS: PARTIAL SYSTEM OUTAGE"
    assert json.loads(badges["badges/status.json"])["label"] == "STATUS"


def test_a_component_named_status_is_refused(make_repo: RepoWriter) -> None:
    """Its badge would replace the page's: the loader refuses the id."""
    components = COMPONENTS_YML.replace("id: dashboard", "id: status")

    _, errors = read_site(make_repo({}, components=components))

    assert [(e.path, e.line) for e in errors] == [("components.yml", 13)]
    assert "component id 'status' is reserved" in errors[0].message


def test_badges_are_deterministic(make_repo: RepoWriter) -> None:
    root = make_repo({"a.md": incident("major", "[api]")})

    assert render(root) == render(root)
