"""Markdown of updates and postmortems, rendered to safe HTML once per build.

Pages, feeds and e-mail show the same text; rendering it here, with the site's own
Markdown extensions, means each text is converted once and looks the same everywhere.

Incident authors are reviewed, not trusted with script: Markdown lets raw HTML through,
so the HTML is then cleaned with nh3 (the Rust ``ammonia`` allow-list sanitiser). What
is kept is what a status update needs: paragraphs, headings, lists, emphasis, code,
quotes, tables, links (http, https, mailto and relative) and images from the site
itself. Everything else goes: scripts and styles with their content, event handlers,
frames, forms, ``javascript:`` and ``data:`` URLs, comments.

Outputs that carry the Markdown itself rather than HTML (the API's update bodies, chat
notifications) get :func:`plain_text`: the same Markdown with every HTML tag taken out,
so that no consumer that renders it can run markup. Calendar descriptions, which
applications show as they are, get :func:`text_of_html` of the rendered HTML: paragraphs
unwrapped, no Markdown syntax left.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
import sys
from collections.abc import Mapping, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import markdown
import nh3

from statusgen.core.errors import ContentError
from statusgen.core.model import Site
from statusgen.core.stored import StoredTexts

DEFAULT_EXTENSIONS = ("tables", "fenced_code", "sane_lists")

ALLOWED_TAGS = frozenset(
    {
        *("p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "blockquote", "div", "span"),
        *("strong", "b", "em", "i", "del", "s", "ins", "mark", "sub", "sup", "small"),
        *("code", "pre", "kbd", "samp", "abbr", "ul", "ol", "li", "dl", "dt", "dd"),
        *("a", "img", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"),
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"style", "align", "colspan", "rowspan"},
    "td": {"style", "align", "colspan", "rowspan"},
    # Heading anchors (the toc extension), code highlighting and admonitions.
    **{tag: {"id"} for tag in ("h2", "h3", "h4", "h5", "h6")},
    **{tag: {"class"} for tag in ("code", "pre", "div", "span")},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
#: Table cells keep their alignment (Python-Markdown writes it as a style), nothing else.
STYLE_PROPERTIES = frozenset({"text-align"})


def _site_images_only(tag: str, attribute: str, value: str) -> str | None:
    """An image is shown only from the site itself: a relative URL, never another host
    (a tracker, or a picture that pretends to be part of the page)."""
    if tag == "img" and attribute == "src" and (":" in value.split("/", 1)[0] or "//" in value):
        return None
    return value


def sanitize(html: str) -> str:
    """``html`` with only the allowed tags, attributes and URLs left."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_site_images_only,
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
        link_rel=None,
    )


# ``<https://example.com>`` is a Markdown link, not a tag: it is kept, without brackets.
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^\s<>]+)>")
# What would start a tag once entities are decoded (``&lt;b&gt;`` written as text).
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


@functools.lru_cache(maxsize=4096)
def plain_text(markdown_text: str) -> str:
    """``markdown_text`` with its raw HTML removed: tags go, the text between them stays
    (but not that of scripts and styles), and nothing left can open a tag."""
    text = nh3.clean(_AUTOLINK.sub(r"\1", markdown_text), tags=set())
    return _TAG_START.sub("&lt;", html.unescape(text))


def text_of_html(sanitised: str, base: str) -> str:
    """Sanitised HTML (:meth:`MarkdownRenderer.html`) as plain text: one line per
    paragraph (the hard line breaks of the Markdown source are gone), list items as
    ``- item`` or ``1. item``, table cells separated by ``|``, code blocks as written, a
    link as ``text (address)``, relative addresses resolved against ``base``."""
    writer = _TextWriter(base)
    writer.feed(sanitised)
    writer.close()
    return writer.text()


# The HTML-to-text libraries write links as Markdown again (inscriptis, GPL-licensed
# html2text) or drop their addresses (html-text); the sanitised HTML has few tags.
_BLOCK_TAGS = frozenset(
    {"p", "div", "blockquote", "pre", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "hr"}
)
_LINE_TAGS = frozenset({"li", "tr", "dt", "dd", "br", "caption"})
_SPACES = re.compile(r"\s+")


class _TextWriter(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self._base = base
        self._out: list[str] = []
        self._lists: list[int | None] = []  # None for <ul>, else the next item's number
        self._links: list[tuple[str, int]] = []  # the address and where its text starts
        self._first_cell = True
        self._in_pre = 0
        # Just after a list item's marker: a paragraph inside the item stays on its line.
        self._after_marker = False

    def _break(self, separator: str) -> None:
        if not self._after_marker:
            self._out.append(separator)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in _BLOCK_TAGS:
            self._break("\n\n")
        elif tag in _LINE_TAGS:
            self._break("\n")
        if tag == "pre":
            self._in_pre += 1
        elif tag in ("ul", "ol"):
            start = values.get("start", "1")
            self._lists.append(None if tag == "ul" else int(start) if start.isdigit() else 1)
        elif tag == "li" and self._lists:
            number = self._lists[-1]
            self._out.append("- " if number is None else f"{number}. ")
            if number is not None:
                self._lists[-1] = number + 1
            self._after_marker = True
        elif tag == "tr":
            self._first_cell = True
        elif tag in ("td", "th"):
            if not self._first_cell:
                self._out.append(" | ")
                self._out[-2:-1] = ["".join(self._out[-2:-1]).rstrip(" ")]
            self._first_cell = False
        elif tag == "a":
            self._links.append((values.get("href", ""), len(self._out)))
        elif tag == "img":
            self.handle_data(values.get("alt", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self._break("\n\n")
        if tag == "pre":
            self._in_pre -= 1
        elif tag in ("ul", "ol") and self._lists:
            self._lists.pop()
        elif tag == "a" and self._links:
            href, start = self._links.pop()
            text = "".join(self._out[start:]).strip()
            address = urljoin(self._base, href)
            # An autolink's text is its address already; an anchor means nothing outside.
            if href and not href.startswith("#") and address not in (text, f"mailto:{text}"):
                self._out.append(f" ({address})")

    def handle_data(self, data: str) -> None:
        if not self._in_pre:
            data = _SPACES.sub(" ", data)
            written = "".join(self._out[-2:])
            if not written or written.endswith("\n") or self._after_marker:
                data = data.lstrip()
        if data:
            self._out.append(data)
            self._after_marker = False

    def text(self) -> str:
        lines = "\n".join(line.rstrip() for line in "".join(self._out).split("\n"))
        # As for plain_text: nothing left can open a tag in an application that renders it.
        return _TAG_START.sub("&lt;", re.sub(r"\n{3,}", "\n\n", lines).strip())


class MarkupError(Exception):
    """A Markdown text that could not be rendered (an extension's bug, a case the input
    limits do not foresee): the build names the file instead of showing a traceback."""

    def __init__(self, text: str, cause: BaseException) -> None:
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.text = text

    def locate(self, site: Site) -> ContentError:
        """The error at the update (or postmortem) whose text this is."""
        advice = f"could not be rendered ({self}): simplify its Markdown"
        for event in site.events:
            for update in event.updates:
                if update.body == self.text:
                    return ContentError(event.source.path, update.line, f"this update {advice}")
            if event.postmortem == self.text:
                return ContentError(event.source.path, None, f"the postmortem {advice}")
        return ContentError("incidents/", None, f"a text {advice}")


class MarkdownRenderer:
    """Converts Markdown to sanitised HTML with one reusable converter, remembering
    each result, and with ``cache`` (a file) keeping the results between builds."""

    def __init__(
        self,
        extensions: Sequence[Any] = DEFAULT_EXTENSIONS,
        configs: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        cache: Path | None = None,
    ) -> None:
        self._converter = markdown.Markdown(
            extensions=list(extensions), extension_configs=dict(configs or {})
        )
        self._cache: dict[str, str] = {}
        settings = _settings(extensions, configs or {})
        self._stored = None if cache is None or settings is None else StoredTexts(cache, settings)

    def html(self, text: str, *, once: bool = False) -> str:
        """The HTML of a Markdown text (empty for an empty text).

        A text asked for ``once`` (by an event's own page, which no other page repeats)
        is not kept once given, so that a build does not hold the HTML of every text it
        has written; a copy kept for an earlier caller (a feed) is given, and dropped.
        """
        if not text.strip():
            return ""
        if once and self._stored is not None:  # without it, the memory is the cache
            found = self._cache.pop(text, None)
            return self._render(text, keep=False) if found is None else found
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = self._render(text, keep=True)
        return found

    def _render(self, text: str, *, keep: bool) -> str:
        stored = self._stored
        if stored is not None and (found := stored.get(text, keep=keep)) is not None:
            return found
        try:
            converted = self._converter.reset().convert(text)
        # Any exception: extensions are third-party code, and recursion limits can
        # be reached by texts that no validator foresees.
        except Exception as error:
            raise MarkupError(text, error) from error
        html = sanitize(converted)
        if stored is not None:
            stored.add(text, html)
        return html

    def save(self, *, prune: bool) -> None:
        """Keep what was rendered for the next builds; with ``prune`` (a whole build,
        which asked for every text), forget the texts no recent build used."""
        if self._stored is not None:
            self._stored.save(prune=prune)

    def load(self) -> None:
        """Read the stored texts now rather than when the first text is asked for: for
        processes that render with the texts they inherit."""
        if self._stored is not None:
            self._stored.load()

    def handover(self) -> bytes:
        """For a process that renders part of a build for another: save the texts it
        converted, and return the keys of the stored texts it used, which the other
        keeps when it saves (:meth:`take_over`)."""
        if self._stored is None:
            return b""
        self._stored.save(prune=False)
        return self._stored.used()

    def take_over(self, used: bytes) -> None:
        """Keep as used by this build the stored texts that another process used for
        it (:meth:`handover`)."""
        if self._stored is not None:
            self._stored.use(used)


def _settings(extensions: Sequence[Any], configs: Mapping[str, Any]) -> str | None:
    """What a rendered text depends on besides the text, as a string: the versions of
    Markdown, nh3 and the extensions' packages, this module's code (the conversion and
    the sanitiser's policy: no other statusgen code touches the HTML), the extensions
    and their options. None when a setting has no stable description (an object given
    as an extension or an option): no cache then, rather than risk another setting's
    HTML."""
    packages = {e.split(".")[0] for e in extensions if isinstance(e, str)} | {"markdown", "nh3"}
    versions = {name: str(getattr(sys.modules.get(name), "__version__", "")) for name in packages}
    module = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    described = [module, versions, list(extensions), configs]
    try:
        return json.dumps(described, sort_keys=True, default=_describe)
    except TypeError:
        return None


def _describe(value: object) -> str:
    """A function or class named in an extension's options (``!!python/name:``), by its
    name; anything else has no stable description."""
    module, name = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
    if module is None or name is None:
        raise TypeError(f"{type(value).__name__} is not described")
    return f"{module}.{name}"
