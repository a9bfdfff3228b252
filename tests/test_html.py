"""The built example site as files: valid HTML (Nu HTML Checker) and nothing off-site.

The Nu HTML Checker is the npm package ``vnu-jar`` (a jar run with Java). The test
session installs it into ``.cache/npm`` (git-ignored) when it is missing, with npm and
without running the package's install script, then runs it once over every page, served
on 127.0.0.1: no error and no warning.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pytest

from statusgen.content.config import read_site_config
from tests.browser import PROJECT, build_example, serve
from tests.conftest import statusgen
from tests.npm import NpmMissing, npm_package

VNU_VERSION = "26.9.27"

# A page with a known error (no title) and a known warning (a section without heading),
# checked in the same run: proves the checker and the parsing of its report work.
CANARY = (
    "<!doctype html>\n<html lang=en>\n<head></head>\n"
    "<body><section><p>no title</p></section></body>\n</html>\n"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example(tmp_path_factory.mktemp("html"))


@pytest.fixture(scope="module")
def site_host() -> str:
    url = read_site_config(PROJECT).url
    assert url, "mkdocs.yml has no site_url"
    host = urlsplit(url).hostname
    assert host
    return host


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def css_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.css"))


# The Nu HTML Checker ------------------------------------------------------------------


def ensure_vnu() -> Path:
    """``vnu.jar`` of ``VNU_VERSION``, installed with npm into .cache/npm if missing."""
    try:
        jar = npm_package("vnu-jar", VNU_VERSION) / "build" / "dist" / "vnu.jar"
    except NpmMissing:
        pytest.fail("npm not found: the Nu HTML Checker is installed from npm (vnu-jar)")
    if not jar.is_file():
        pytest.fail(f"{jar}: missing from the vnu-jar package")
    return jar


@pytest.fixture(scope="module")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What a new user publishes first: the repository ``statusgen init`` writes, built at
    the clock (no --now)."""
    root = tmp_path_factory.mktemp("new") / "status"
    for args in (("init", root), ("build", "--root", root)):
        result = statusgen(*args)
        assert result.returncode == 0, result.stderr
    return root / "site"


NEW = "new:"
"""The prefix of the new site's pages among the checker's messages."""


@pytest.fixture(scope="module")
def vnu_messages(
    site: Path, new_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[Any]]:
    """The checker's messages (errors, warnings and information) for every HTML file of
    the example site, by path relative to it, of the new site (``new:<path>``), and for
    the canary page under the key ``"canary"``.

    The pages are checked as a browser reads them, over HTTP from 127.0.0.1: from
    ``file:`` URLs, whose origin matches no ``'self'``, the checker would report every
    script and image as blocked by the pages' Content-Security-Policy. Its servlet
    setting ``allow-forbidden-hosts`` lets it fetch from this machine."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found: the Nu HTML Checker needs a Java runtime (11 or later)")
    jar = ensure_vnu()
    canary = tmp_path_factory.mktemp("vnu") / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    pages = [p.relative_to(site).as_posix() for p in html_files(site)]
    new_pages = [p.relative_to(new_site).as_posix() for p in html_files(new_site)]
    with serve(site) as base, serve(new_site) as new_base:
        urls = [*(base + p for p in pages), *(new_base + p for p in new_pages)]
        command = [java, "-Dnu.validator.servlet.allow-forbidden-hosts=true", "-jar", str(jar)]
        result = subprocess.run(
            [*command, "--format", "json", "--stdout", *urls, str(canary)],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"vnu.jar exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    messages: dict[str, list[Any]] = {key: [] for key in [*pages, *(NEW + p for p in new_pages)]}
    messages["canary"] = []
    for message in report["messages"]:
        url = message.get("url", "")
        if url.startswith(base):
            key = url.removeprefix(base)
        elif url.startswith(new_base):
            key = NEW + url.removeprefix(new_base)
        else:
            assert Path(url2pathname(urlsplit(url).path)) == canary, message
            key = "canary"
        messages[key].append(message)
    return messages


def problems(messages: dict[str, list[Any]], pages: list[str]) -> list[str]:
    """Every error and warning (and any page the checker could not read) of ``pages``,
    one a line; the checker's plain information messages are left out."""
    return [
        f"{page}:{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: "
        f"{m.get('subType', m['type'])}: {m['message']}\n"
        f"    {' '.join(m.get('extract', '').split())}"
        for page in pages
        for m in messages[page]
        if m["type"] in ("error", "non-document-error") or m.get("subType") == "warning"
    ]


def test_html_checker_reports_errors_and_warnings(vnu_messages: dict[str, list[Any]]) -> None:
    canary = vnu_messages["canary"]
    assert any(m["type"] == "error" and "title" in m["message"] for m in canary), canary
    assert any(m.get("subType") == "warning" and "heading" in m["message"] for m in canary), canary


def test_every_page_is_valid_html_without_warning(
    site: Path, vnu_messages: dict[str, list[Any]]
) -> None:
    pages = [p.relative_to(site).as_posix() for p in html_files(site)]
    assert "index.html" in pages
    assert "404.html" in pages
    assert "incidents/2026-11-28-api-error-rates/postmortem/index.html" in pages
    assert len(pages) >= 19
    found = problems(vnu_messages, pages)
    assert not found, "Nu HTML Checker:\n" + "\n".join(found)


def test_a_new_page_made_by_init_is_valid_html_without_warning(
    vnu_messages: dict[str, list[Any]],
) -> None:
    pages = [key for key in vnu_messages if key.startswith(NEW)]
    assert NEW + "index.html" in pages
    assert any(key.startswith(NEW + "incidents/") for key in pages)  # init's example
    found = problems(vnu_messages, pages)
    assert not found, "Nu HTML Checker:\n" + "\n".join(found)


# Nothing loaded from another host -----------------------------------------------------

# <link rel> values that only describe a relation; a browser loads nothing for them.
NAVIGATION_RELS = {"author", "bookmark", "canonical", "external", "help", "license", "me"}
# Attributes whose URL a browser loads with the page, on any element.
LOADED = {"src", "poster", "background", "lowsrc", "longdesc", "manifest"}
SRCSETS = {"srcset", "imagesrcset"}
# Elements whose href is loaded too (the <a> and <area> links are followed only on a click).
LOADED_HREF = {"link", "base", "use", "image", "feimage", "script", "tref", "pattern"}

URL_START = re.compile(r"\burl\(", re.IGNORECASE)
URL_CALL = re.compile(
    r"""url\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^"'()\s]*))\s*\)""", re.IGNORECASE
)
IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
"""``@import "x.css"``; the ``@import url(x.css)`` form is read as any ``url()``."""
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def is_offsite(url: str, site_host: str) -> bool:
    """Whether loading ``url`` reaches a host other than the site's own.

    Relative URLs and ``data:`` are the site's own; so is an absolute URL on the host of
    ``site_url`` (where the site is published)."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() in ("data", "about", "blob"):
        return False
    return bool(parts.netloc) and parts.hostname != site_host


def offsite_in_css(css: str, site_host: str, where: str, first_line: int = 1) -> list[str]:
    found: list[str] = []
    css = COMMENT.sub(lambda m: "\n" * m.group().count("\n"), css)

    def line(position: int) -> int:
        return first_line + css.count("\n", 0, position)

    for start in URL_START.finditer(css):
        call = URL_CALL.match(css, start.start())
        if call is None:
            found.append(
                f"{where}:{line(start.start())}: unreadable url(): {css[start.start() :][:80]}"
            )
            continue
        url = next(g for g in call.groups() if g is not None)
        if is_offsite(url, site_host):
            found.append(f"{where}:{line(start.start())}: url({url})")
    for match in IMPORT.finditer(css):
        url = next(g for g in match.groups() if g is not None)
        if is_offsite(url, site_host):
            found.append(f"{where}:{line(match.start())}: @import {url}")
    return found


class _ResourceScanner(HTMLParser):
    """Finds every URL an HTML page makes the browser load, and keeps the off-site ones."""

    def __init__(self, site_host: str, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.site_host = site_host
        self.where = where
        self.found: list[str] = []
        self._style_line: int | None = None

    def _check(self, tag: str, attribute: str, url: str, rel: str = "") -> None:
        if is_offsite(url, self.site_host):
            line = self.getpos()[0]
            rel = f" rel={rel!r}" if rel else ""
            self.found.append(f"{self.where}:{line}: <{tag}{rel} {attribute}={url!r}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        rels = set(values.get("rel", "").lower().split())
        for name, value in values.items():
            if name in LOADED or (name == "data" and tag == "object"):
                self._check(tag, name, value)
            elif name in SRCSETS:
                for candidate in value.split(","):
                    if candidate.strip():
                        self._check(tag, name, candidate.split()[0])
            elif name == "href" and tag in LOADED_HREF:
                if tag == "link" and rels and rels <= NAVIGATION_RELS:
                    continue
                self._check(tag, name, value, values.get("rel", ""))
            elif name == "xlink:href" and tag not in ("a", "area"):
                self._check(tag, name, value)
            elif name == "style":
                self.found += offsite_in_css(value, self.site_host, self.where, self.getpos()[0])
        if tag == "style":
            self._style_line = self.getpos()[0]

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._style_line = None

    def handle_data(self, data: str) -> None:
        if self._style_line is not None:
            self.found += offsite_in_css(data, self.site_host, self.where, self._style_line)


def offsite_in_html(html: str, site_host: str, where: str) -> list[str]:
    scanner = _ResourceScanner(site_host, where)
    scanner.feed(html)
    scanner.close()
    return scanner.found


def test_nothing_is_loaded_from_another_host(site: Path, site_host: str) -> None:
    pages, stylesheets = html_files(site), css_files(site)
    # Material's own files are checked too whenever a hand-written page publishes them.
    assert site / "404.html" in pages
    assert site / "assets" / "statusgen" / "status.css" in stylesheets
    found: list[str] = []
    for path in pages:
        found += offsite_in_html(
            path.read_text(encoding="utf-8"), site_host, str(path.relative_to(site))
        )
    for path in stylesheets:
        found += offsite_in_css(
            path.read_text(encoding="utf-8"), site_host, str(path.relative_to(site))
        )
    assert not found, "references to other hosts:\n" + "\n".join(found)


def test_offsite_scanner_finds_every_kind_of_reference() -> None:
    html = """<!doctype html><html><head>
    <link rel="stylesheet" href="https://cdn.example.net/a.css">
    <link rel="icon" href="//cdn.example.net/favicon.ico">
    <link rel="preload" as="font" href="https://fonts.example.net/f.woff2">
    <link rel="preconnect" href="https://fonts.example.net">
    <link rel="manifest" href="https://cdn.example.net/site.webmanifest">
    <link rel="alternate" type="application/atom+xml" href="https://elsewhere.example.net/feed">
    <link rel="canonical" href="https://status.example.com/">
    <link rel="license" href="https://creativecommons.org/licenses/by/4.0/">
    <link rel="alternate" href="feed.atom">
    <style>body { background: url("https://cdn.example.net/bg.png") }
    @import 'https://cdn.example.net/b.css';</style>
    <script src="https://cdn.example.net/x.js"></script>
    </head><body style="background-image: url(https://cdn.example.net/c.png)">
    <img src="https://images.example.net/a.png"
         srcset="b.png 1x, https://images.example.net/c.png 2x">
    <video poster="https://images.example.net/p.jpg"></video>
    <svg><use href="https://cdn.example.net/sprite.svg#a"/>
      <image xlink:href="https://cdn.example.net/i.png"/></svg>
    <a href="https://github.com/">a link is fine</a>
    <img src="assets/logo.svg"><img src="/assets/logo.svg"><img src="data:image/png;base64,AAAA">
    <img src="https://status.example.com/logo.png">
    </body></html>"""
    found = offsite_in_html(html, "status.example.com", "t.html")
    expected = [
        "a.css",
        "favicon.ico",
        "f.woff2",
        "fonts.example.net'",
        "site.webmanifest",
        "elsewhere.example.net/feed",
        "bg.png",
        "b.css",
        "x.js",
        "c.png)",
        "images.example.net/a.png",
        "images.example.net/c.png",
        "p.jpg",
        "sprite.svg",
        "i.png",
    ]
    for fragment in expected:
        assert sum(fragment in f for f in found) == 1, (fragment, found)
    assert len(found) == len(expected), found

    css = """/* url(https://commented.example.net/x.png) */
    @import url("https://cdn.example.net/d.css");
    @font-face { src: url(https://fonts.example.net/e.woff2) format("woff2") }
    .a { background: url("data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>") }
    .b { background: url(img/local.png) }"""
    found = offsite_in_css(css, "status.example.com", "t.css")
    assert found == [
        "t.css:2: url(https://cdn.example.net/d.css)",
        "t.css:3: url(https://fonts.example.net/e.woff2)",
    ]
    assert offsite_in_css("a { b: url(x", "h", "t.css") == ["t.css:1: unreadable url(): url(x"]
