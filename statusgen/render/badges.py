"""Status badges: small SVG images in the flat style of shields.io, and shields.io
endpoint documents for sites that prefer shields' own rendering.

A badge is a grey label and a coloured message: ``status | All Systems Operational`` for
the page, ``API | Partial outage`` for a component. Screen readers get the same words
(``role="img"``, ``aria-label`` and a ``<title>``); the colours are the pages' own and
keep white text at a contrast of at least 4.5:1. Widths are computed from the text with
Verdana's character widths, so a badge needs no font or request at build time.
"""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET

from statusgen.core.model import ComponentStatus
from statusgen.render.context import RenderContext, json_bytes
from statusgen.render.urls import badge_paths

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
STATUS_BADGE = "status"
LABEL_COLOR = "#555555"
FONT_FAMILY = "Verdana,Geneva,DejaVu Sans,sans-serif"
FONT_SIZE = 11
HEIGHT = 20
PADDING = 6
"""Space on each side of a text, in pixels (shields' flat style)."""

#: The pages' status colours (light theme), each with white text at >= 4.5:1.
COMPONENT_COLORS = {
    ComponentStatus.OPERATIONAL: "#1a7f37",
    ComponentStatus.UNDER_MAINTENANCE: "#0b62b8",
    ComponentStatus.DEGRADED_PERFORMANCE: "#8a6100",
    ComponentStatus.PARTIAL_OUTAGE: "#bc4c00",
    ComponentStatus.MAJOR_OUTAGE: "#c62828",
}

# Advance widths of the printable ASCII characters (space to tilde) in Verdana at 11px,
# from the anafanafo package's table (MIT licence), which shields.io measures with.
_ASCII_WIDTHS = (
    (3.87, 4.33, 5.05, 9, 6.99, 11.84, 7.99, 2.95, 5, 5, 6.99, 9, 4, 5, 4, 5)
    + (6.99,) * 10
    + (5, 5, 9, 9, 9, 6, 11, 7.52, 7.54, 7.68, 8.48, 6.96, 6.32, 8.53, 8.27, 4.63, 5)
    + (7.62, 6.12, 9.27, 8.23, 8.66, 6.63, 8.66, 7.65, 7.52, 6.78, 8.05, 7.52, 10.88)
    + (7.54, 6.77, 7.54, 5, 5, 5, 9, 6.99, 6.99, 6.61, 6.85, 5.73, 6.85, 6.55, 3.87)
    + (6.85, 6.96, 3.02, 3.79, 6.51, 3.02, 10.7, 6.96, 6.68, 6.85, 6.85, 4.69, 5.73)
    + (4.33, 6.96, 6.51, 9, 6.51, 6.51, 5.78, 6.98, 5, 6.98, 9)
)
_WIDTHS = {chr(32 + index): width for index, width in enumerate(_ASCII_WIDTHS)}
_WIDE = 11.0
"""A full-width character (CJK) is one em."""
_UNKNOWN = 8.0
"""Any other character: wider than most letters, so that the text never overflows."""


def render_badges(context: RenderContext) -> dict[str, bytes]:
    """``badges/status.svg`` and ``badges/<component-id>.svg``, each with its shields.io
    endpoint document (``.json``). ``status`` is a reserved component id (the loader
    rejects it), so the page's badge and a component's never collide.
    """

    state = context.state
    language = context.language
    badges = {
        STATUS_BADGE: (
            language.gettext("status"),
            language.indicator(state.indicator),
            COMPONENT_COLORS[state.indicator.component_status],
        )
    }
    for component in state.site.catalog.components:
        status = state.component_statuses[component.id]
        badges[component.id] = (component.name, language.label(status), COMPONENT_COLORS[status])
    files = {}
    for name, (label, message, color) in badges.items():
        svg, endpoint = badge_paths(name)
        files[svg] = badge_svg(label, message, color)
        files[endpoint] = json_bytes(endpoint_document(label, message, color))
    return files


def endpoint_document(label: str, message: str, color: str) -> dict[str, object]:
    """A shields.io endpoint document (https://shields.io/badges/endpoint-badge)."""
    return {"schemaVersion": 1, "label": label, "message": message, "color": color.lstrip("#")}


def text_width(text: str) -> float:
    """The width of ``text`` in Verdana 11px, estimated character by character.

    Accented letters count as their base letter; full-width characters as one em.
    """
    width = 0.0
    for char in text:
        base = unicodedata.normalize("NFKD", char)[:1] or char
        if base in _WIDTHS:
            width += _WIDTHS[base]
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            width += _WIDE
        elif not unicodedata.combining(char):
            width += _UNKNOWN
    return width


def badge_svg(label: str, message: str, color: str) -> bytes:
    """A flat badge: ``label`` on grey, ``message`` on ``color``."""
    label_text = round(text_width(label), 1)
    message_text = round(text_width(message), 1)
    label_width = round(label_text + 2 * PADDING)
    message_width = round(message_text + 2 * PADDING)
    width = label_width + message_width
    words = f"{label}: {message}"

    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NAMESPACE,
            "width": str(width),
            "height": str(HEIGHT),
            "viewBox": f"0 0 {width} {HEIGHT}",
            "role": "img",
            "aria-label": words,
        },
    )
    ET.SubElement(svg, "title").text = words
    gradient = ET.SubElement(svg, "linearGradient", {"id": "s", "x2": "0", "y2": "100%"})
    ET.SubElement(gradient, "stop", {"offset": "0", "stop-color": "#bbb", "stop-opacity": ".1"})
    ET.SubElement(gradient, "stop", {"offset": "1", "stop-opacity": ".1"})
    clip = ET.SubElement(svg, "clipPath", {"id": "r"})
    ET.SubElement(
        clip, "rect", {"width": str(width), "height": str(HEIGHT), "rx": "3", "fill": "#fff"}
    )
    shapes = ET.SubElement(svg, "g", {"clip-path": "url(#r)"})
    ET.SubElement(
        shapes, "rect", {"width": str(label_width), "height": str(HEIGHT), "fill": LABEL_COLOR}
    )
    ET.SubElement(
        shapes,
        "rect",
        {"x": str(label_width), "width": str(message_width), "height": str(HEIGHT), "fill": color},
    )
    ET.SubElement(shapes, "rect", {"width": str(width), "height": str(HEIGHT), "fill": "url(#s)"})
    # The words are in the title and aria-label: the drawn text is hidden from
    # assistive technology so that it is not read twice.
    texts = ET.SubElement(
        svg,
        "g",
        {
            "fill": "#fff",
            "text-anchor": "middle",
            "font-family": FONT_FAMILY,
            "font-size": str(FONT_SIZE),
            "aria-hidden": "true",
        },
    )
    for text, center, length in (
        (label, label_width / 2, label_text),
        (message, label_width + message_width / 2, message_text),
    ):
        # A shadow one pixel below, then the text; textLength keeps the text inside its
        # box whatever font the viewer substitutes for Verdana.
        for y, extra in (("15", {"fill": "#010101", "fill-opacity": ".3"}), ("14", {})):
            element = ET.SubElement(
                texts,
                "text",
                {"x": f"{center:g}", "y": y, "textLength": f"{length:g}", **extra},
            )
            element.text = text
    return ET.tostring(svg, encoding="unicode").encode() + b"\n"
