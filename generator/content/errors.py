"""Problems found in editors' files, worded for editors.

Every problem names the file, the line and the field, says what is wrong and
what was expected, in the site's language (messages.py).  The reader collects all of
them before giving up, so that an editor fixes a file in one pass.
"""
from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from pydantic import BaseModel

from .messages import MESSAGES, Messages, messages
from .models import STATUS_LABELS

ERROR = "error"
WARNING = "warning"
NOTE = "note"          # worth knowing, never wrong (a draft left out)

__all__ = ["ERROR", "WARNING", "NOTE", "Problem", "ContentError", "Messages", "messages", "describe",
           "field_name", "suggest"]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    expected: str = ""
    severity: str = ERROR

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.field or '-'}: {self.message}"
        return f"{text} ({self.expected})" if self.expected else text

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "expected": self.expected,
            "severity": self.severity,
        }


class ContentError(Exception):
    """Raised when content has errors; carries every problem found."""

    def __init__(self, problems: list[Problem], language: str = "vi"):
        self.problems = sorted(problems)
        self.language = language
        super().__init__(self.report())

    def report(self) -> str:
        head = MESSAGES[self.language if self.language in MESSAGES else "en"]["summary"]
        lines = [str(p) for p in self.problems]
        return "\n".join(lines + [head.format(n=len(self.problems))])


# --------------------------------------------------------------- pydantic's errors, in editors' words

# pydantic's error types -> message keys.
_TYPE_KEYS = {
    "missing": "missing",
    "extra_forbidden": "extra",
    "string_type": "string",
    "int_type": "int",
    "int_parsing": "int",
    "int_from_float": "int",
    "greater_than_equal": "int.min",
    "bool_type": "bool",
    "bool_parsing": "bool",
    "list_type": "list",
    "model_type": "dict",
    "model_attributes_type": "dict",
    "dict_type": "dict",
    "literal_error": "choice",
    "string_too_short": "empty",
    "string_pattern_mismatch": "slug",
    "too_long": "too_long",
    "string_too_long": "too_long",
}
# A group of fields written as something else: say which fields the group has.
_GROUP_KEYS = {"Person": "person", "DocumentRef": "document", "Concern": "concern"}
# What a missing field looks like when written (the rest get 'field: ...').
_EXAMPLES = {"title": "title: Hội nghị giao ban dư luận xã hội quý I/2025", "date": "date: 2025-03-28 14:30",
             "category": "category: tin-tuc-su-kien", "unit": "unit: phuong-ngoc-thuy", "name": "name: Nguyễn Văn A",
             "number": "number: 334-QĐ/QU", "key": "key: phuong-ngoc-thuy"}


def field_name(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def suggest(value: str, choices) -> Optional[str]:
    """The choice closest to a misspelt `value` ('tittle' -> 'title'), if one is close."""
    return _closest(str(value), tuple(choices))


@lru_cache(maxsize=4096)
def _closest(value: str, choices: tuple) -> Optional[str]:
    """Remembered: one undeclared topic, used in thousands of bulletins, is compared with
    every declared one once, not once per use."""
    found = difflib.get_close_matches(value, choices, n=1, cutoff=0.75)
    return found[0] if found else None


def _inner_model(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def model_at(model: type[BaseModel], loc: tuple) -> Optional[type[BaseModel]]:
    """The model class that owns the last part of a pydantic error location."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = _inner_model(current.model_fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _field_model(model: type[BaseModel], loc: tuple) -> Optional[type[BaseModel]]:
    """The model a location's value should have been (a chair: Person), if it is a group."""
    while loc and isinstance(loc[-1], int):       # an item of a list: the list's field says its model
        loc = loc[:-1]
    owner = model_at(model, loc) if loc else None
    if owner is None or loc[-1] not in owner.model_fields:
        return None
    return _inner_model(owner.model_fields[loc[-1]].annotation)


def describe(error: dict, model: type[BaseModel], msg: Messages) -> tuple[str, str]:
    """(what is wrong, what was expected) for one pydantic error, in the editor's words."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    loc = tuple(error["loc"])
    key = _TYPE_KEYS.get(kind, kind)
    value = ctx.get("value", error.get("input"))
    name = next((str(p) for p in reversed(loc) if not isinstance(p, int)), "")
    if key in ("date", "day", "period", "date_range", "clock"):
        return msg(key, value=value), msg.expected(key)
    if key == "missing":
        return msg("missing"), msg.expected("missing", example=_EXAMPLES.get(name, f"{name}: ..."))
    if key == "extra":
        owner = model_at(model, loc)
        allowed = ", ".join(owner.model_fields) if owner else ""
        close = suggest(name, owner.model_fields) if owner else None
        if close:
            return msg("extra", value=name), msg("extra.suggest", suggestion=close, allowed=allowed)
        return msg("extra", value=name), msg.expected("extra", allowed=allowed) if allowed else ""
    if key == "choice":
        choices = str(ctx.get("expected", "")).replace(" or ", ", ")  # pydantic's English 'a, b or c'
        if name == "status" and msg.language == "vi":     # the words the guide and the site use first
            choices = ", ".join(repr(label.lower()) for label in STATUS_LABELS.values()) + f" (hoặc {choices})"
        return msg("choice") + f": {value!r}", msg.expected("choice", choices=choices)
    if key == "too_long":
        limit, n = ctx.get("max_length"), ctx.get("actual_length")
        if isinstance(error.get("input"), (list, tuple)):
            return msg("too_many", n=n, limit=limit), msg.expected("too_many", limit=limit)
        return msg("too_long", n=n, limit=limit), msg.expected("too_long", limit=limit)
    if key == "dict":
        group = _field_model(model, loc)
        if group is not None and group.__name__ in _GROUP_KEYS:
            shape = _GROUP_KEYS[group.__name__]
            return msg(shape), msg.expected(shape)
    if key in msg.table:
        return msg(key), msg.expected(key, name=name)
    return msg("invalid"), error.get("msg", "")
