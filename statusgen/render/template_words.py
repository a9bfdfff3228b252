"""The templates' ``_``: statusgen's words, translated and marked safe once, and those
with a constant message translated when the template is compiled.

Templates say ``{{ _("Skip to content") }}`` about thirty times a page, most with a
constant message. A call costs a Jinja template a context call, a translation and an
escape each time a page is rendered; :class:`ConstantWords` rewrites such a call, as it
reads the template, into a filter of the constant (``("Skip to content"|…)``), which
Jinja evaluates once when it compiles the template and writes into its text. The same
templates, a site's own in ``theme/`` included, keep the ``_`` that gettext's tools
extract, and give the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import jinja2
from jinja2.ext import Extension
from jinja2.lexer import (
    TOKEN_DOT,
    TOKEN_LPAREN,
    TOKEN_NAME,
    TOKEN_PIPE,
    TOKEN_RPAREN,
    TOKEN_STRING,
    Token,
    TokenStream,
)
from jinja2.nodes import EvalContext
from markupsafe import Markup

from statusgen.render.i18n import Language

GETTEXT = "_"
"""The name templates call statusgen's words by."""
WORDS_ATTRIBUTE = "statusgen_words"
"""The environment's attribute that holds its words' fingerprint (what a compiled
template's translated words depend on), for a cache of compiled templates."""
CONSTANT_FILTER = "statusgen_constant_word"
"""The filter that :class:`ConstantWords` turns ``_("…")`` into (not for templates)."""
_CALL = [TOKEN_LPAREN, TOKEN_STRING, TOKEN_RPAREN]


class TemplateWords:
    """The templates' words in ``language``: :meth:`gettext` is their ``_``, the i18n
    extension's (newstyle) ``gettext`` with each message translated and marked safe once,
    and :meth:`constant` the same for a message without variables, at compile time."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self._marked: dict[str, Markup] = {}
        self._constant: dict[str, Markup] = {}
        translations = language.translations
        catalog = sorted(getattr(translations, "_catalog", {}).items(), key=repr)
        self.fingerprint = hashlib.sha256(repr(catalog).encode()).hexdigest()[:16]
        """What the translations compiled into a template depend on: the catalog."""

    @jinja2.pass_eval_context
    def gettext(self, eval_context: EvalContext, message: str, /, **variables: Any) -> str:
        if not eval_context.autoescape:
            return self.language.gettext(message) % variables
        if not variables and (found := self._constant.get(message)) is not None:
            return found
        safe = self._marked.get(message)
        if safe is None:
            safe = self._marked[message] = Markup(self.language.gettext(message))
        # Always a format string, as the extension's: "%%" is "%" with or without variables.
        result = safe % variables
        if not variables:
            self._constant[message] = result
        return result

    @jinja2.pass_eval_context
    def constant(self, eval_context: EvalContext, message: str) -> str:
        """``_(message)``, for the filter :class:`ConstantWords` writes."""
        return self.gettext(eval_context, message)

    def install(self, environment: jinja2.Environment) -> None:
        """Make these the words of ``environment``'s templates (which has the i18n
        extension), constant ones compiled in."""
        environment.globals[GETTEXT] = self.gettext
        environment.filters[CONSTANT_FILTER] = self.constant
        environment.add_extension(ConstantWords)
        # Compiled templates hold translated words: a cache of them must know which.
        environment.extend(**{WORDS_ATTRIBUTE: self.fingerprint})


class ConstantWords(Extension):
    """Rewrites ``_("…")`` (one string, no variables) as ``("…"|statusgen_constant_word)``
    when a template is read, so that Jinja's compiler, which evaluates a filter of a
    constant, translates it once. Jinja evaluates it again when a page is rendered if it
    could not at compile time (an ``autoescape`` block whose setting is not constant).

    Only a template in which every name ``_`` is called, and none names a macro, is
    rewritten. Any other ``_`` may bind the name in the template (a macro's or a ``call``
    block's parameter, a ``for`` target, ``set``, ``with``, ``import … as _``, ``from …
    import _``), and the template's ``_("…")`` would then not be statusgen's: such a
    template is left as it is, all of it, even when its other ``_`` only is a keyword
    argument or an attribute. The limit: a binding made by a template that includes (or
    imports with context) this one is not seen, since Jinja passes the includer's
    context, so the included template's ``_("…")`` are still rewritten.
    """

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        tokens = list(stream)
        if not _only_called(tokens):
            yield from tokens
            return
        index = 0
        while index < len(tokens):
            token = tokens[index]
            call = tokens[index + 1 : index + 4]
            if (
                token.type == TOKEN_NAME
                and token.value == GETTEXT
                and [t.type for t in call] == _CALL
                and not (index and tokens[index - 1].type == TOKEN_DOT)
            ):
                line = token.lineno
                yield Token(line, TOKEN_LPAREN, "(")
                yield call[1]
                yield Token(line, TOKEN_PIPE, "|")
                yield Token(line, TOKEN_NAME, CONSTANT_FILTER)
                yield Token(line, TOKEN_RPAREN, ")")
                index += 4
                continue
            yield token
            index += 1


def _only_called(tokens: list[Token]) -> bool:
    """Whether every name ``_`` among ``tokens`` is followed by ``(`` and is no macro's."""
    for index, token in enumerate(tokens):
        if token.type != TOKEN_NAME or token.value != GETTEXT:
            continue
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        before = tokens[index - 1] if index else None
        if after is None or after.type != TOKEN_LPAREN:
            return False
        if before is not None and before.type == TOKEN_NAME and before.value == "macro":
            return False  # {% macro _(…) %} defines the template's own _
    return True
