"""Marking words for translation where they are defined.

The words stay in English where a rule defines them (a status, the page's indicator);
``statusgen.render.i18n`` translates them where they are shown. ``pybabel extract``
(``scripts/update-translations``) finds every call of :func:`_`.
"""

from __future__ import annotations


def _(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


def counted(count: int, singular: str, plural: str) -> str:
    """``1 incident``, ``2 incidents``: for the command line's own messages, which are in
    English only (the site's words go through gettext's plural forms instead)."""
    return f"{count} {singular if count == 1 else plural}"
