"""Translations: every string statusgen shows is extracted and every catalog is complete."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from statusgen.core.model import ComponentStatus, IncidentStatus, MaintenanceStatus
from statusgen.render.i18n import LABELS, LOCALES_DIR, Language, available_languages
from statusgen.state.page import Indicator

PROJECT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}


def extracted_messages() -> set[str]:
    """What ``scripts/update-translations`` extracts: Python and templates."""
    method_map = [
        ("statusgen/**.py", "python"),
        ("statusgen/render/templates/**.html", "jinja2"),
    ]
    options = {"statusgen/render/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    messages = set()
    for _, _, message, _, _ in extract_from_dir(
        str(PROJECT), method_map, options, keywords=KEYWORDS
    ):
        messages.add(message if isinstance(message, str) else message[0])
    return messages


def catalog_ids(path: Path) -> dict[str, str]:
    """Translations by singular id; a plural message counts as translated only when
    every one of its forms is (they are joined, so one empty form leaves a gap)."""
    with path.open("rb") as source:
        catalog = read_po(source)
    found: dict[str, str] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.string, str):
            found[str(message.id)] = message.string
        else:
            forms = list(message.string or ())
            found[message.id[0]] = "|".join(forms) if all(forms) else ""
    return found


def test_french_is_available() -> None:
    assert "fr" in available_languages()


def test_the_template_catalog_is_up_to_date() -> None:
    stored = set(catalog_ids(LOCALES_DIR / "statusgen.pot"))
    assert stored == extracted_messages(), "run scripts/update-translations"


@pytest.mark.parametrize("language", available_languages())
def test_every_catalog_translates_every_string(language: str) -> None:
    translations = catalog_ids(LOCALES_DIR / language / "LC_MESSAGES" / "statusgen.po")
    untranslated = sorted(m for m in extracted_messages() if not translations.get(m))
    assert untranslated == [], f"translate these in {language}: {untranslated}"


@pytest.mark.parametrize("language", available_languages())
def test_placeholders_are_kept(language: str) -> None:
    translations = catalog_ids(LOCALES_DIR / language / "LC_MESSAGES" / "statusgen.po")
    for message, translation in translations.items():
        for placeholder in ("{date}", "{time}", "{site}", "{title}", "%(site)s", "%(time)s"):
            assert (placeholder in message) == (placeholder in translation), (message, language)


def test_french_words() -> None:
    french = Language("fr")
    assert french.label(ComponentStatus.PARTIAL_OUTAGE) == "Panne partielle"
    assert french.label(IncidentStatus.RESOLVED) == "Résolu"
    assert french.indicator(Indicator.NONE) == "Tous les systèmes sont opérationnels"
    assert Language("fr-CA").label(ComponentStatus.OPERATIONAL) == "Opérationnel"


def test_unknown_language_falls_back_to_english() -> None:
    for code in ("xx", "de", ""):
        assert Language(code).label(ComponentStatus.MAJOR_OUTAGE) == "Major outage"


def test_every_status_has_a_label() -> None:
    assert set(LABELS) == {*ComponentStatus, *IncidentStatus, *MaintenanceStatus}


def test_languages_know_whether_they_are_translated() -> None:
    assert Language("fr").translated
    assert not Language("de").translated
    assert not Language("en").translated  # English is the source: nothing to translate


@pytest.mark.parametrize(
    ("language", "minutes", "text"),
    [
        ("en", 98, "1 h 38 min"),
        ("fr", 98, "1 h 38 min"),
        ("en", 60, "1 h"),
        ("en", 24 * 60 + 60, "1 day 1 h"),
        ("fr", 2 * 24 * 60, "2 j"),
        ("en", 3 * 24 * 60 + 5, "3 days 5 min"),
        ("fr", 0.5, "30 s"),
    ],
)
def test_durations_read_in_hours_and_minutes(language: str, minutes: float, text: str) -> None:
    written = Language(language).format_duration(timedelta(minutes=minutes))
    # French keeps a number and its unit together with CLDR's non-breaking spaces.
    assert written.replace("\u202f", " ").replace("\xa0", " ") == text


def test_lists_and_plurals_follow_the_language() -> None:
    assert Language("en").format_list(["Payments", "Public API"]) == "Payments and Public API"
    assert Language("fr").format_list(["A", "B", "C"]) == "A, B et C"
    french = Language("fr")
    assert french.ngettext("{days} day ago", "{days} days ago", 1) == "il y a {days} jour"
    assert french.ngettext("{days} day ago", "{days} days ago", 30) == "il y a {days} jours"
    assert Language("en").ngettext("{days} day ago", "{days} days ago", 1) == "{days} day ago"
