"""Estimate how many bits an attacker must guess to find a secret key, patterns discounted.

The method is zxcvbn's idea without its dictionaries (which would cost every web worker
about 15 MB): a character that continues a pattern started by the characters before it is
free to guess, every other character costs log2 of the alphabet the key draws from. The
patterns are the ones people fall into when they make up a "random" key:

- repeats: `aaaa`, and a block said again: `changemechangeme`;
- sequences with a step of up to 3 after two characters: `abcdef`, `13579`, `zyxw`;
- keyboard walks: runs of three or more neighbouring keys, shifted or not: `qwerty`,
  `1qaz2wsx` (after its first key, each run costs nothing).

Random keys lose little (three random characters rarely sit in a row on the keyboard), so the
estimate stays close: in 5,000 draws, the 64 characters of `secrets.token_urlsafe(48)`
(384 random bits) came out at 310–420 bits, and 32 hex digits (128 random bits) at 103–165,
below 112 for about one key in 800.
"""

from __future__ import annotations

import math

ANALYSED = 256  # characters; a key this long is either strong or patterned throughout
_ROWS = ("`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./")
_SHIFTED = ("~!@#$%^&*()_+", "QWERTYUIOP{}|", 'ASDFGHJKL:"', "ZXCVBNM<>?")
_ROW_OFFSET = (0.0, 1.5, 1.75, 2.25)  # where each row starts, in key widths
_POSITION = {
    key: (row, _ROW_OFFSET[row] + column)
    for rows in (_ROWS, _SHIFTED)
    for row, keys in enumerate(rows)
    for column, key in enumerate(keys)
}
_POOLS = (
    (str.islower, 26),
    (str.isupper, 26),
    (str.isdigit, 10),
    (lambda c: c.isascii() and not c.isalnum(), 33),
    (lambda c: not c.isascii(), 100),
)


def estimated_bits(key: str) -> float:
    """Bits of guessing the key takes: log2(alphabet) for each character no pattern predicts."""
    text = key[:ANALYSED]
    if not text:
        return 0.0
    pool = sum(size for test, size in _POOLS if any(test(c) for c in text))
    surprising = sum(1 for i in range(len(text)) if not _predictable(text, i))
    return surprising * math.log2(pool)


def _predictable(text: str, i: int) -> bool:
    if i == 0:
        return False
    if text[i] == text[i - 1]:
        return True
    if _adjacent(text[i - 1], text[i]) and (
        (i >= 2 and _adjacent(text[i - 2], text[i - 1]))
        or (i + 1 < len(text) and _adjacent(text[i], text[i + 1]))
    ):
        return True  # inside a walk of three keys or more
    if i < 2:
        return False
    step = ord(text[i]) - ord(text[i - 1])
    if abs(step) <= 3 and ord(text[i - 1]) - ord(text[i - 2]) == step:
        return True
    return any(text[i - 2 : i + 1] == text[j - 2 : j + 1] for j in range(2, i))


def _adjacent(a: str, b: str) -> bool:
    """Whether two characters are neighbouring keys on a QWERTY keyboard."""
    first, second = _POSITION.get(a), _POSITION.get(b)
    if first is None or second is None or first == second:
        return False
    rows, across = abs(first[0] - second[0]), abs(first[1] - second[1])
    return (rows == 0 and across == 1) or (rows == 1 and across <= 1)
