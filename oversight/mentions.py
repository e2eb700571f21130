"""Where a client's code is written down outside the code column: every text column of the database.

Staff write codes into free text (a handover's "keep an eye on ABCD1985M", another client's note, a
shift note), a handover keeps a snapshot of the open visits with their codes, and a page's address can
carry one in its query string (the access log keeps addresses). Retention replaces the code in all of
these and the access-request export finds them, from one list: every character, text and JSON column
of every model, the history tables included, so that a model added later is covered by itself.

A code is found in any letter case, and only where no letter comes right before it: ``AB1985M`` is
not found inside ``CDAB1985M``, another client's code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.functions import Cast

# Columns that hold nobody's words: secrets, keys, random tokens and encoded data. A session is signed
# and encoded, holds no code (only who is logged in and when they were last active) and expires.
_SKIPPED_MODELS = {"auth.Permission", "contenttypes.ContentType", "sessions.Session"}
_SKIPPED_FIELDS = {"password", "token_hash", "session_key", "session_data", "session_hash", "settings_version"}
_TEXT_TYPES = {"CharField", "TextField", "JSONField"}

# How many codes one search asks for at once: a search is one query per column whatever the number of
# rows; the codes of a first run after years (thousands) go in a few searches, not one per client.
CODES_PER_SEARCH = 100

# Written where another person's code stood in an export (GDPR art. 15(4): not another's data).
OTHER_PERSON = "[…]"
# Any client code, or anything shaped like one (the anonymous tokens too), in text.
# Like ``code_regex``, nothing may stand right after it: "KARI1985Ks" is KARI1985K's too.
_ANY_CODE = re.compile(r"(?<![^\W\d_])[^\W\d_]{2,8}[0-9]{4}[MKAmka]")


@dataclass(frozen=True)
class TextColumn:
    """One free-text column: a character, text or JSON field that is not a choice of fixed values."""

    model: type[models.Model]
    field: models.Field

    @property
    def is_json(self) -> bool:
        return self.field.get_internal_type() == "JSONField"

    @property
    def record_model(self) -> type[models.Model]:
        """The model whose records these are: for a history table, the model it keeps the history of."""
        return getattr(self.model, "instance_type", self.model)


@cache
def text_columns() -> tuple[TextColumn, ...]:
    columns = []
    for model in apps.get_models():
        meta = model._meta
        if meta.label in _SKIPPED_MODELS or meta.proxy or not meta.managed:
            continue
        for field in meta.concrete_fields:
            if field.get_internal_type() in _TEXT_TYPES and not field.choices and field.name not in _SKIPPED_FIELDS:
                columns.append(TextColumn(model, field))
    return tuple(columns)


def code_regex(codes: Iterable[str]) -> re.Pattern:
    """Finds any of ``codes`` in text, in any letter case, with no letter right before it."""
    alternatives = "|".join(re.escape(code) for code in sorted(set(codes), key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{alternatives})", re.IGNORECASE)


def _database_pattern(codes: Iterable[str], *, json_text: bool) -> str:
    """A regular expression both databases read alike, finding at least every row ``code_regex`` finds.

    Each letter is spelled in both cases (``[Aa]``) rather than trusting the database's case folding,
    which for Æ, Ø and Å depends on the server's locale. A JSON column on SQLite keeps Æ as ``\\u00c6``.
    """
    alternatives = []
    for code in codes:
        alternatives.append("".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in code))
        if json_text:  # as a code is written (upper case), or as it was asked for
            for variant in {code.upper(), code}:
                if (escaped := json.dumps(variant)[1:-1]) != variant:
                    alternatives.append(re.escape(escaped))
    return "|".join(alternatives)


def chunks(codes: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(codes), CODES_PER_SEARCH):
        yield codes[start : start + CODES_PER_SEARCH]


def rows_naming(column: TextColumn, codes: list[str]) -> models.QuerySet:
    """The rows whose ``column`` may name one of ``codes`` (a few more, never fewer): one query."""
    rows = column.model._base_manager.order_by()
    name = column.field.name
    if column.is_json:
        rows = rows.annotate(_as_text=Cast(name, models.TextField()))
        name = "_as_text"
    return rows.filter(**{f"{name}__regex": _database_pattern(codes, json_text=column.is_json)})


def replace_in(value: Any, pattern: re.Pattern, replacement) -> Any:
    """``value`` with every match of ``pattern`` replaced, in a string or in every string of JSON data."""
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, list):
        return [replace_in(item, pattern, replacement) for item in value]
    if isinstance(value, dict):
        return {key: replace_in(item, pattern, replacement) for key, item in value.items()}
    return value


def names(value: Any, pattern: re.Pattern) -> bool:
    if isinstance(value, str):
        return pattern.search(value) is not None
    if isinstance(value, list):
        return any(names(item, pattern) for item in value)
    if isinstance(value, dict):
        return any(names(item, pattern) for item in value.values())
    return False


def others_redacted(value: Any, codes: Iterable[str]) -> Any:
    """``value`` with every client code but ``codes`` (anything shaped like one) replaced by ``[…]``."""
    own = {code.casefold() for code in codes}
    return replace_in(value, _ANY_CODE, lambda m: m.group(0) if m.group(0).casefold() in own else OTHER_PERSON)
