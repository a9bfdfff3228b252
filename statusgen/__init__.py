"""statusgen: a status-page generator with a git-based workflow."""

__version__ = "0.1.0"
