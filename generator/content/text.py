"""Editors' text as it arrives (pasted from Word, a PDF, a web page), made safe to build on.

Harmless leftovers are cleaned: zero-width characters and control characters are
removed, vertical tabs and form feeds (Word's line and page breaks) become line breaks
in the body and spaces in the fields.  What cannot be meant as text is refused, with
its line: NUL, and the Unicode noncharacters (U+FFFE, U+FFFF, U+FDD0...), which no
feed or page may hold and which the writer uses for its own placeholders.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# C0 and C1 controls but tab and line feed; the zero-width space, joiner-less marks and the BOM.
_REMOVED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\u00ad]")
_BREAKS = "\x0b\x0c\u2028\u2029"
_REFUSED = re.compile("[\x00\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0001ffff\U0010fffe\U0010ffff]")


@dataclass(frozen=True)
class Refused:
    """A character that cannot be in an editor's text, where it stands."""

    line: int
    char: str

    @property
    def code(self) -> str:
        return f"U+{ord(self.char):04X}"


def decode(raw: bytes) -> str:
    """UTF-8 with or without BOM, any line ends, NFC."""
    text = raw.decode("utf-8-sig")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def refused(text: str) -> list[Refused]:
    """Every character that is refused, with its line (1-based), in the order found."""
    return [Refused(text.count("\n", 0, m.start()) + 1, m.group()) for m in _REFUSED.finditer(text)]


def clean(text: str, breaks: str = " ") -> str:
    """The text without removable characters; vertical tabs and form feeds become `breaks`.

    Refused characters must have been reported first (`refused`); what is left of them
    is removed here, so that nothing built from the text can carry one."""
    if any(c in text for c in _BREAKS):
        text = text.translate({ord(c): breaks for c in _BREAKS})
    text = _REMOVED.sub("", text)
    return _REFUSED.sub("", text)
