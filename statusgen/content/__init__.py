"""Reading a status repository: YAML nodes, components.yml, event files, mkdocs.yml settings
and the loader that turns them into a validated model (or every error at once)."""
