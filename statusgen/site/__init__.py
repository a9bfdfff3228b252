"""The site generator adapters: the MkDocs/ProperDocs plugin, the build and the dev server."""
