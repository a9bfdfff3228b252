"""Text of other status pages as the Markdown of an update.

Statuspage returns update bodies as text with some HTML (``<br />``, links, emphasis);
cState and Statusfy write Markdown. Bodies with HTML tags are converted by markdownify
(a maintained converter built on BeautifulSoup's forgiving parser, whose rules can be
overridden one tag at a time); text without tags is already Markdown and is kept as it
is, so that statusgen's own API imports back to the same text. Either way, what would
change the structure of an incident file or run in a reader's browser is neutralised:
headings become level 3 at most (a level-1 or level-2 heading would start an update),
links keep only web and mail addresses, and a ``<`` of the text never becomes a tag.
"""

from __future__ import annotations

import re
from typing import Any

from markdownify import MarkdownConverter

_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_SAFE_LINK = re.compile(r"(https?:|mailto:)", re.IGNORECASE)
# A line that Markdown reads as a level-1 or level-2 heading, or as the underline of one.
_SECTION_HEADING = re.compile(r"^( {0,3})(#{1,2})(?=\s|$)", re.MULTILINE)
_SETEXT_UNDERLINE = re.compile(r"^( {0,3})(=+|-+)[ \t]*$", re.MULTILINE)
_BLANK_LINES = re.compile(r"[ \t]*\n[ \t]*(\n[ \t]*)+")
_TRAILING_BREAK = re.compile(r"[ \t]+\n")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)
#: The shallowest heading inside an update (FORMAT.md: ``###`` and deeper).
UPDATE_HEADING_LEVEL = 3


class _UpdateConverter(MarkdownConverter):
    """markdownify's converter with the rules an update needs.

    (markdownify's stubs declare only its public functions, hence the ignores.)
    """

    def convert_hN(self, n: int, el: Any, text: str, parent_tags: set[str]) -> str:
        level = max(n, UPDATE_HEADING_LEVEL)
        return str(super().convert_hN(level, el, text, parent_tags))  # type: ignore[misc]

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if not _SAFE_LINK.match(str(el.get("href") or "")):
            return text  # a script or relative link of the old site: keep its words only
        return str(super().convert_a(el, text, parent_tags))  # type: ignore[misc]

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if not _SAFE_LINK.match(str(el.get("src") or "")):
            return str(el.get("alt") or "")
        return str(super().convert_img(el, text, parent_tags))  # type: ignore[misc]

    def escape(self, text: str, parent_tags: set[str]) -> str:
        # '&lt;b&gt;' in the HTML is the text '<b>': written as an entity, it stays text.
        escaped = str(super().escape(text, parent_tags))  # type: ignore[misc]
        return escaped.replace("<", "&lt;")


_CONVERTER = _UpdateConverter(heading_style="ATX", bullets="-", newline_style="SPACES")


def to_markdown(text: str) -> str:
    """The Markdown of an update body or postmortem given as HTML, Markdown or plain text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if _TAG.search(text):
        # Statuspage keeps the line breaks of what was typed; HTML would fold them.
        text = _CONVERTER.convert(text.replace("\n", "<br>\n"))
        text = _TRAILING_BREAK.sub("  \n", text)
        text = _BLANK_LINES.sub("\n\n", text)
    else:
        # A comment left open would hide the rest of the file: its opening becomes text.
        opening = text.rfind("<!--")
        if opening >= 0 and "-->" not in text[opening:]:
            text = text[:opening] + "&lt;!--" + text[opening + 4 :]
    if len(_FENCE.findall(text)) % 2:
        text += "\n```"  # an unclosed code block would swallow the updates after it
    return demote_headings(text.strip())


def demote_headings(text: str) -> str:
    """``text`` with its level-1 and level-2 headings made level 3, and lines of ``=`` or
    ``-`` that would underline the line above into a heading set apart by a blank line."""
    text = _SECTION_HEADING.sub(lambda m: m.group(1) + "#" * UPDATE_HEADING_LEVEL, text)
    return _SETEXT_UNDERLINE.sub(lambda m: "\n" + m.group(0), text)
