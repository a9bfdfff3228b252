"""``_headers``: the HTTP headers the usual static hosts (Netlify, Cloudflare Pages) read
from the site's root folder.

Clients in browsers on other origins read the API and the badges: Atlassian's status
widget fetches ``/api/v2/summary.json`` with ``fetch()``, which a browser allows only
with ``Access-Control-Allow-Origin``. Pages are left alone. docs/deploying.md says how
to set the same header on hosts that do not read this file (S3, GitHub Pages).
"""

from __future__ import annotations

from statusgen.render.context import RenderContext

HEADERS_FILE = "_headers"
CROSS_ORIGIN_PATHS = ("/api/*", "/badges/*")
"""What other origins read: every Statuspage API document and every badge."""


def render_headers(context: RenderContext) -> dict[str, bytes]:
    """``_headers``, the same for every site (``context`` is the renderers' argument)."""
    del context  # nothing in it changes the headers
    rules = "".join(f"{path}\n  Access-Control-Allow-Origin: *\n" for path in CROSS_ORIGIN_PATHS)
    return {HEADERS_FILE: rules.encode()}
