"""Errors that statusgen reports to people, as opposed to bugs.

Every problem in a status repository becomes a :class:`ContentError` that names the
file, the line where one applies, what is wrong and how to fix it. Loading collects
them all, so that one run of ``statusgen validate`` shows every problem at once.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

Choice = TypeVar("Choice", bound=str)


# Control characters, and the Unicode line separators that YAML counts as line breaks
# (they would shift every line number after them), are never meant in a content file:
# neither in its text nor in a value decoded from an escape ("\e", "\0", "\uFFFE").
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


class StatusgenError(Exception):
    """An error the user can fix; its message is shown without a traceback."""


class UsageProblem(StatusgenError):
    """Options that do not go together, or a missing one: a usage error (exit status 2)."""


@dataclass(frozen=True, slots=True)
class ContentError:
    """One problem in one file: ``path:line: message``."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"

    @property
    def sort_key(self) -> tuple[str, int, str]:
        """File, then line (an error of the whole file first), then message."""
        return (self.path, self.line or 0, self.message)


class ContentErrors(StatusgenError):
    """Raised when a status repository has problems; carries every one of them."""

    def __init__(self, errors: Sequence[ContentError]) -> None:
        self.errors = tuple(sorted(errors, key=lambda e: e.sort_key))
        super().__init__("\n".join(str(e) for e in self.errors))


def visible(text: str) -> str:
    """``text`` with invisible characters (zero-width spaces, directional marks, other
    format and control characters) written as ``<U+200B>``: a message must show what
    is wrong even when the culprit cannot be seen."""
    return "".join(
        f"<U+{ord(c):04X}>" if unicodedata.category(c) in ("Cf", "Cc") else c for c in text
    )


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A `` (did you mean 'x'?)`` hint for a mistyped value, or an empty string."""
    matches = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


_SEPARATORS = re.compile(r"[\s_]+")


def normalize_choice(text: str) -> str:
    """Choices are case-insensitive and spaces equal underscores: 'In Progress' = in_progress."""
    return _SEPARATORS.sub("_", text.strip().lower())


def choose(text: str, choices: Iterable[Choice]) -> tuple[Choice | None, str]:
    """The choice ``text`` names (see :func:`normalize_choice`) and an empty hint; or
    None and a `` (did you mean 'x'?)`` hint for a near miss (empty when none is near)."""
    value = normalize_choice(text)
    options = list(choices)
    for choice in options:
        if choice == value:
            return choice, ""
    return None, did_you_mean(value, options)


def one_of(choices: Iterable[str]) -> str:
    """``'a', 'b' or 'c'``: the choices, quoted, for an error message."""
    quoted = [f"'{c}'" for c in choices]
    if len(quoted) < 2:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


class ErrorLog:
    """Collects the errors found in one file, so that parsing can go on after one."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[ContentError] = []

    def add(self, line: int | None, message: str) -> None:
        self.errors.append(ContentError(self.path, line, visible(message)))

    def __bool__(self) -> bool:
        return bool(self.errors)
