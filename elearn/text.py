"""Vietnamese text helpers: NFC normalisation, diacritic-free search keys, collation keys."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")

# The Vietnamese alphabet in dictionary order; letters with breve, circumflex or horn and đ
# are letters of their own (Ă after A, Đ after D), unlike in the default Unicode order.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Tone marks are secondary: they only break ties between otherwise equal names.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn


def nfc(text: str) -> str:
    """Return text in NFC, the one form stored and compared everywhere."""
    return unicodedata.normalize("NFC", text)


def storable(text: str) -> bool:
    """Whether text can be stored and sent back: valid UTF-8 (JSON may carry lone
    surrogates) and no NUL, which PostgreSQL refuses in text columns."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean(text: str | None) -> str:
    """NFC-normalise, trim and collapse runs of whitespace (for names and cells)."""
    if text is None:
        return ""
    return _SPACES.sub(" ", nfc(text)).strip()


def strip_diacritics(text: str) -> str:
    """Remove every accent and map đ/Đ to d/D, keeping case, so `Đáp án` becomes `Dap an`."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower-case and strip every diacritic, so `nguyen van a` finds `Nguyễn Văn A`."""
    return _SPACES.sub(" ", strip_diacritics(text).casefold()).strip()


def _letter_and_tone(char: str) -> tuple[str, int]:
    """Split one NFC character into its Vietnamese base letter and its tone number."""
    decomposed = unicodedata.normalize("NFD", char.lower())
    tone = 0
    kept = []
    for part in decomposed:
        if part in _TONES:
            tone = _TONES[part]
        elif part in _LETTER_MARKS or not unicodedata.combining(part):
            kept.append(part)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _word_key(text: str) -> tuple[str, str]:
    """Encode text as (primary, secondary) strings that sort in Vietnamese order bytewise."""
    primary: list[str] = []
    tones: list[str] = []
    for char in clean(text):
        letter, tone = _letter_and_tone(char)
        if letter in _RANK:
            primary.append(chr(ord("A") + _RANK[letter]))
        elif letter.isdigit():
            primary.append(letter)
        elif letter == " ":
            primary.append("!")  # above the field separator, below every letter
        else:
            primary.append("~")
        tones.append(str(tone))
    return "".join(primary), "".join(tones)


@lru_cache(maxsize=65_536)
def vi_key(text: str) -> str:
    """An ASCII key that sorts any text (unit names, titles) in Vietnamese dictionary order."""
    primary, tones = _word_key(text)
    return f"{primary} {tones}"


def vi_sort_key(full_name: str) -> str:
    """Return an ASCII key that sorts names as Vietnamese lists do: given name, then full name.

    The key is a plain string so that the database can ORDER BY it with a binary collation.
    """
    name = clean(full_name)
    given = name.rsplit(" ", 1)[-1] if name else ""
    given_primary, given_tones = _word_key(given)
    full_primary, full_tones = _word_key(name)
    # A space separates the fields: it sorts below every encoded character, so "An" < "Anh".
    return f"{given_primary} {full_primary} {given_tones} {full_tones}"[:255]


def normalise_username(username: str) -> str:
    """Usernames are stored and compared in NFC, trimmed and case-folded."""
    return clean(username).casefold()
