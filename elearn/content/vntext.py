"""Vietnamese text helpers for course files: keywords, generated ids, tone-mark placement.

NFC, folding and stripping diacritics have their home in `elearn.text`; this module applies
them to authors' text.
"""

from __future__ import annotations

import re
import unicodedata

from elearn.text import fold, nfc, strip_diacritics

__all__ = ["canonical_tones", "fold_keyword", "nfc", "slugify", "strip_diacritics"]

# The five tone marks; vowel-quality marks (circumflex, breve, horn) are not tones.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_QUALITY = frozenset("\u0302\u0306\u031b")
_VOWELS = frozenset("aeiouy")
_WORD = re.compile(r"[^\W\d_]+")


def fold_keyword(text: str) -> str:
    """Fold a keyword for lenient matching: no accents, no case, single spaces."""
    return fold(text)


def slugify(text: str, max_length: int = 48) -> str:
    """Make an ASCII id from a heading, cut at a hyphen so it stays readable."""
    ascii_text = strip_diacritics(nfc(text)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug


def _split_syllable(word: str) -> list[tuple[str, set[str]]]:
    """Split a lower-case word into (base letter, set of combining marks) pairs."""
    letters: list[tuple[str, set[str]]] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch) and letters:
            letters[-1][1].add(ch)
        else:
            letters.append((ch, set()))
    return letters


def _tone_position(letters: list[tuple[str, set[str]]]) -> int | None:
    """Pick the vowel that carries the tone, using the 'new style' rule (hoà, thuý)."""
    vowels = [i for i, (base, _) in enumerate(letters) if base in _VOWELS]
    if not vowels:
        return None
    start = vowels[0]
    # `qu` and `gi` followed by another vowel: the u/i belongs to the consonant.
    if len(vowels) > 1 and start > 0:
        pair = letters[start - 1][0] + letters[start][0]
        if pair in ("qu", "gi"):
            vowels = vowels[1:]
    run = [vowels[0]]
    for i in vowels[1:]:
        if i != run[-1] + 1:
            break
        run.append(i)
    marked = [i for i in run if letters[i][1] & _QUALITY]
    if marked:
        return marked[-1]
    if len(run) == 1:
        return run[0]
    has_final = run[-1] < len(letters) - 1
    if has_final or len(run) == 3:
        return run[-1] if has_final else run[1]
    pair = letters[run[0]][0] + letters[run[1]][0]
    return run[1] if pair in ("oa", "oe", "uy") else run[0]


def _tone_last(mark: str) -> tuple[bool, str]:
    """Sort key that puts a tone mark after any vowel-quality mark."""
    return (mark in _TONES, mark)


def _place_tone(match: re.Match[str]) -> str:
    """Move the single tone mark of one lower-case word to its canonical vowel."""
    word = match.group(0)
    letters = _split_syllable(word)
    tones = [(i, m) for i, (_, marks) in enumerate(letters) for m in marks if m in _TONES]
    if len(tones) != 1:
        return word
    target = _tone_position(letters)
    old, tone = tones[0]
    if target is None or target == old:
        return word
    letters[old][1].discard(tone)
    letters[target][1].add(tone)
    # Quality marks go before the tone: NFC does not reorder marks of the same class.
    return nfc("".join(base + "".join(sorted(marks, key=_tone_last)) for base, marks in letters))


def canonical_tones(text: str) -> str:
    """Place tone marks one way so `hòa` and `hoà`, `thủy` and `thuỷ` compare equal."""
    return _WORD.sub(_place_tone, text)
