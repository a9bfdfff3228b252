"""The templates' ``_``: a constant message is translated when the template is compiled,
and every call renders what the i18n extension's newstyle ``gettext`` renders."""

from __future__ import annotations

import jinja2
import pytest

from statusgen.render.i18n import Language
from statusgen.render.template_words import CONSTANT_FILTER, TemplateWords

TEMPLATE = (
    '<a title="{{ _("Subscribe") }}">{{ _("Skip to content") }}</a>'
    "{{ _('Updated %(time)s', time=when) }} {{ _('100%%') }} {{ _(\"Today\") ~ '!' }}"
    "{{ words._('Today') }} {% set called = _('History') %}{{ called }}"
    "{% autoescape false %}{{ _('Components') }}{% endautoescape %}"
    "{% autoescape flag %}{{ _('Overview') }}{% endautoescape %}"
)
VALUES = {"when": "<b>now</b>", "words": {"_": str.upper}, "flag": True}
BINDING_TEMPLATES = {
    "macro parameter": '{% macro m(_) %}{{ _("Today") }}{% endmacro %}{{ m("mine:{0}".format) }}',
    "for target": '{% for _ in ["loop:{0}".format] %}{{ _("Today") }}{% endfor %}',
    "set": '{% set _ = "set:{0}".format %}{{ _("Today") }}',
    "with": '{% with _ = "with:{0}".format %}{{ _("Today") }}{% endwith %}',
    "import as": '{% from "own.html" import own as _ %}{{ _("Today") }}',
    "macro name": '{% macro _(text) %}named:{{ text }}{% endmacro %}{{ _("Today") }}',
}
"""Templates that bind ``_`` themselves: their ``_("Today")`` is not statusgen's."""
OWN = {"own.html": "{% macro own(text) %}imported:{{ text }}{% endmacro %}"}


def environment(language: Language, *, constant_words: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        autoescape=True, extensions=["jinja2.ext.i18n"], loader=jinja2.DictLoader(OWN)
    )
    env.install_gettext_translations(language.translations, newstyle=True)  # type: ignore[attr-defined]
    if constant_words:
        TemplateWords(language).install(env)
    return env


@pytest.mark.parametrize("code", ["en", "fr"])
def test_the_same_words_as_the_i18n_extension(code: str) -> None:
    language = Language(code)
    expected = environment(language, constant_words=False).from_string(TEMPLATE)
    folded = environment(language, constant_words=True).from_string(TEMPLATE)
    assert folded.render(VALUES) == expected.render(VALUES)


@pytest.mark.parametrize("template", BINDING_TEMPLATES.values(), ids=list(BINDING_TEMPLATES))
def test_a_template_that_binds_its_own_underscore_keeps_it(template: str) -> None:
    language = Language("fr")
    expected = environment(language, constant_words=False).from_string(template).render()
    folded = environment(language, constant_words=True)
    assert folded.from_string(template).render() == expected
    assert "Today" in expected
    assert CONSTANT_FILTER not in folded.compile(template, raw=True)


def test_constant_messages_are_translated_at_compile_time() -> None:
    env = environment(Language("fr"), constant_words=True)
    code = env.compile(TEMPLATE, raw=True)
    assert "Aller au contenu" in code
    assert "Skip to content" not in code
    # With variables, in a block whose escaping is known only at render time, or
    # called on something else, it is a call at render time.
    assert "'Updated %(time)s'" in code
    assert "'Overview'" in code
    assert "Vue d" not in code
    assert "'_'), 'Today'" in code


def test_the_filter_is_the_only_new_name() -> None:
    env = environment(Language("en"), constant_words=True)
    assert set(env.filters) - set(jinja2.Environment().filters) == {CONSTANT_FILTER}


def test_languages_have_their_own_fingerprint() -> None:
    english, french = TemplateWords(Language("en")), TemplateWords(Language("fr"))
    assert english.fingerprint != french.fingerprint
    assert TemplateWords(Language("de")).fingerprint == english.fingerprint  # no catalog
