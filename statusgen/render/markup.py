"""Markdown of updates and postmortems, rendered to HTML once per build.

Pages and feeds show the same text; rendering it here, with the site's own Markdown
extensions, means each text is converted once and looks the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import markdown

DEFAULT_EXTENSIONS = ("tables", "fenced_code", "sane_lists")


class MarkdownRenderer:
    """Converts Markdown to HTML with one reusable converter, remembering each result."""

    def __init__(
        self,
        extensions: Sequence[Any] = DEFAULT_EXTENSIONS,
        configs: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self._converter = markdown.Markdown(
            extensions=list(extensions), extension_configs=dict(configs or {})
        )
        self._cache: dict[str, str] = {}

    def html(self, text: str) -> str:
        """The HTML of a Markdown text (empty for an empty text)."""
        if not text.strip():
            return ""
        if text not in self._cache:
            self._cache[text] = self._converter.reset().convert(text)
        return self._cache[text]
