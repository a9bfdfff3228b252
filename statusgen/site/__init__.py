"""The site generator adapters: the MkDocs/ProperDocs plugin, the build and the dev server."""

import os

# Material for MkDocs prints an end-of-life banner when it is imported; it is not news
# to a status-page reader. Set here, before any module of the package imports MkDocs.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
