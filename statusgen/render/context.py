"""What every renderer reads, and what it returns.

A renderer is a function of a :class:`RenderContext` (the derived state, the site's
settings, the shared Markdown renderer and the site's language) returning
``{path: bytes}`` with paths relative to the site root. :mod:`statusgen.render.outputs` lists
the renderers of a build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import orjson

from statusgen.content.config import SiteConfig
from statusgen.render.i18n import Language
from statusgen.render.markup import MarkdownRenderer
from statusgen.state.page import PageState


@dataclass(frozen=True, slots=True)
class RenderContext:
    """What every renderer reads."""

    state: PageState
    config: SiteConfig
    markdown: MarkdownRenderer = field(default_factory=MarkdownRenderer)
    language: Language = field(default_factory=lambda: Language("en"))
    """The site's language (``theme.language``): statusgen's own words and dates."""


Renderer = Callable[[RenderContext], Mapping[str, bytes]]


class MadeWhenRead(Mapping[str, bytes]):
    """Outputs at known paths, each made when it is read and not kept: for a renderer
    whose files are large, so that whoever writes them one by one holds one at a time."""

    def __init__(self, paths: Sequence[str], make: Callable[[str], bytes]) -> None:
        self._paths = paths
        self._make = make

    def __getitem__(self, path: str) -> bytes:
        if path not in self._paths:
            raise KeyError(path)
        return self._make(path)

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def json_bytes(document: object) -> bytes:
    """A JSON document as published: UTF-8, indented by two spaces, newline-terminated.

    orjson writes the bytes ``json.dumps(document, indent=2, ensure_ascii=False)`` gives
    for the strings, integers, booleans, nulls, lists and objects with string keys that
    the documents hold (``tests/test_json_bytes.py`` compares them), about ten times
    faster: the standard library's C encoder does not indent, so an indented document
    went through its pure-Python encoder, most of the API's time at 10,000 incidents.
    """
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
