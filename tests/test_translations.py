"""Every Vietnamese text has an English translation, and the compiled catalogues are current."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "elearn" / "translations"
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}


def _source_messages() -> set[str]:
    found = extract_from_dir(ROOT / "elearn", METHODS, keywords=KEYWORDS)
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


def test_every_message_has_an_english_translation():
    with (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file)
    translated = {m.id for m in catalog if m.id and m.string}
    missing = sorted(_source_messages() - translated)
    assert missing == [], "run `make translations` and translate these in en/messages.po"


def test_compiled_catalogues_match_their_sources():
    for language in ("vi", "en"):
        folder = TRANSLATIONS / language / "LC_MESSAGES"
        with (folder / "messages.po").open("rb") as po, (folder / "messages.mo").open("rb") as mo:
            source = {m.id: m.string for m in read_po(po) if m.id and m.string}
            compiled = {m.id: m.string for m in read_mo(mo) if m.id and m.string}
        assert source == compiled, f"run `make translations` to recompile {language}"
