"""One course, one way of placing tone marks on oa, oe and uy (hóa or hoá, thủy or thuỷ).

Both placements are correct Vietnamese, and answers are compared without regard to them, but
a course that mixes them looks careless. State documents write the mark on the first vowel
(hóa, khóa, thủy, Ủy ban): that is the style to prefer when a course is evenly split.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import Literal

from elearn.content import messages as msg
from elearn.content.model import Problem
from elearn.content.vntext import nfc

Style = Literal["old", "new"]  # mark on the first vowel (hóa) / on the second (hoá)

_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VOWELS = frozenset("aeiouy")
_PAIRS = frozenset({("o", "a"), ("o", "e"), ("u", "y")})
# Words ending in one of the ambiguous pairs with a tone on either vowel; the rest of the
# rules (no final consonant, no `qu`) are checked on the decomposed word.
_PAIR = r"(?:[òóỏõọ][ae]|[ùúủũụ]y|o[àáảãạèéẻẽẹ]|u[ỳýỷỹỵ])"
_CANDIDATE = re.compile(_PAIR + "$", re.IGNORECASE)
_CANDIDATE_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]*?" + _PAIR + r"(?![^\W\d_])", re.IGNORECASE)
STATE_STYLE: Style = "old"


def tone_style(word: str) -> Style | None:
    """Say where a word ending in oa/oe/uy carries its tone, or None when it is unambiguous."""
    if not _CANDIDATE.search(word):
        return None
    letters: list[tuple[str, set[str]]] = []
    for char in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(char) and letters:
            letters[-1][1].add(char)
        else:
            letters.append((char, set()))
    if len(letters) < 2:
        return None
    (first, first_marks), (second, second_marks) = letters[-2], letters[-1]
    if (first, second) not in _PAIRS or (first_marks | second_marks) - _TONES:
        return None
    onset = [base for base, _ in letters[:-2]]
    if any(base in _VOWELS for base in onset) or (first == "u" and onset[-1:] == ["q"]):
        return None
    if first_marks and not second_marks:
        return "old"
    if second_marks and not first_marks:
        return "new"
    return None


def restyle(word: str, style: Style) -> str:
    """Write `word` with its tone mark moved to the vowel `style` puts it on."""
    decomposed = unicodedata.normalize("NFD", word)
    marks = [ch for ch in decomposed if ch in _TONES]
    bases = [ch for ch in decomposed if ch not in _TONES]
    if len(marks) != 1:
        return word
    target = len(bases) - 2 if style == "old" else len(bases) - 1
    bases.insert(target + 1, marks[0])
    return nfc("".join(bases))


def mixed_style_warnings(files: Iterable[tuple[str, tuple[str, ...]]]) -> list[Problem]:
    """Warn at each line written in a course's minority style, naming the words to change."""
    found: list[tuple[str, int, str, Style]] = []
    for rel, lines in files:
        for index, line in enumerate(lines):
            for match in _CANDIDATE_WORD.finditer(line):
                style = tone_style(match.group())
                if style is not None:
                    found.append((rel, index + 1, match.group(), style))
    counts = Counter(style for *_, style in found)
    if len(counts) < 2:
        return []
    other: Style = "new" if STATE_STYLE == "old" else "old"
    majority = other if counts[other] > counts[STATE_STYLE] else STATE_STYLE
    sample = ", ".join(list(dict.fromkeys(w for *_, w, s in found if s == majority))[:4])
    by_line: dict[tuple[str, int], list[str]] = {}
    for rel, line, word, style in found:
        if style != majority:
            by_line.setdefault((rel, line), []).append(word)
    problems = []
    for (rel, line), words in by_line.items():
        fixes = ", ".join(f"`{restyle(w, majority)}` thay cho `{w}`" for w in dict.fromkeys(words))
        problems.append(msg.warning(rel, line, msg.MIXED_TONES, fixes, counts[majority], sample))
    return problems
