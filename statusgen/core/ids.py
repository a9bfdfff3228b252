"""Identifiers of components, groups and incidents: ``^[a-z0-9][a-z0-9-]*$``.

Ids are public and permanent (they are URLs and feed ids), so they are checked
strictly and never normalised behind the user's back.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
ID_RULE = "lowercase letters, digits and hyphens, starting with a letter or digit"
#: The longest slug an event id gets from its title, cut at a word boundary.
ID_SLUG_LENGTH = 48


def is_valid_id(value: str) -> bool:
    """Whether ``value`` may be used as an id."""
    return ID_PATTERN.fullmatch(value) is not None


def slugify(text: str) -> str:
    """A valid id derived from free text: ``"API: 5xx errors"`` -> ``"api-5xx-errors"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def dated_id(day: date, title: str) -> str:
    """The conventional id of an event: ``<date>-<slug of the title>``."""
    slug = slugify(title)
    if len(slug) > ID_SLUG_LENGTH:
        slug = slug[:ID_SLUG_LENGTH].rsplit("-", 1)[0]
    return f"{day:%Y-%m-%d}-{slug or 'incident'}"


def invalid_id_message(what: str, value: str) -> str:
    """The error for an id that breaks the rule, with a valid suggestion when one exists."""
    suggestion = slugify(value)
    hint = f" (like '{suggestion}')" if suggestion and suggestion != value else ""
    return f"{what} '{value}' is not a valid id: use {ID_RULE}{hint}"
