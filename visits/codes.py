"""The pseudonymous client code: letters the client chooses (or initials), birth year, gender letter.

In the style of Ontario's harm reduction database: ``MAKO1993K`` is letters MAKO, born 1993, a woman
(K for kvinne; M for mann, A for annet / not stated). The code carries nothing that identifies a
person beyond what the rules need (age and gender), and it can be rebuilt from what the client says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CODE = re.compile(r"^(?P<letters>[A-ZÆØÅ]{2,8})(?P<year>[0-9]{4})(?P<gender>[MKA])$")
_NOT_CODE_CHARS = re.compile(r"[^A-ZÆØÅ0-9]")


def normalise(raw: str) -> str:
    """Upper case, without spaces, dashes or anything else that is not part of a code."""
    return _NOT_CODE_CHARS.sub("", (raw or "").upper())


def build(letters: str, birth_year: int, gender: str) -> str:
    return f"{normalise(letters)}{birth_year:04d}{gender.upper()}"


@dataclass(frozen=True)
class ParsedCode:
    letters: str
    birth_year: int
    gender: str


def parse(code: str) -> ParsedCode | None:
    match = _CODE.match(normalise(code))
    if match is None:
        return None
    return ParsedCode(match["letters"], int(match["year"]), match["gender"])


def one_letter_apart(a: str, b: str) -> bool:
    """True when ``a`` becomes ``b`` by changing, adding, removing or swapping one letter."""
    if a == b:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
        )
    if abs(len(a) - len(b)) != 1:
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))
