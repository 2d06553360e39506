"""Vietnamese text: slugs, accent folding and the date formats readers expect."""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

from slugify import slugify as _slugify

_FOLD = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=65536)
def slugify(text: str, max_length: int = 80) -> str:
    """ASCII slug: 'Đảng ủy phường' -> 'dang-uy-phuong'.

    Remembered: the same names and document numbers come back in thousands of bulletins.  The
    transliteration is named, not left to whichever library is installed: addresses stay the same
    everywhere (and the library does not try a missing import on every call)."""
    return _slugify(nfc(text).translate(_FOLD), max_length=max_length, word_boundary=True,
                    backend="text-unidecode")


def fold(text: str) -> str:
    """Lower-case text without tone or vowel marks, 'đ' read as 'd': what people type on phones."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.lower()


_HONORIFIC = re.compile(r"^(?:(?:đ\s*/\s*c|đ\.\s*c|đc|đồng chí|ông|bà)\b[.:]?\s*)+", re.I)


def person_name(name: str) -> str:
    """A name as written, without 'Đ/c', 'Đồng chí', 'Ông', 'Bà' and stray spaces: 'Đ/c.  Nguyễn Văn A' -> 'Nguyễn Văn A'."""
    text = " ".join(nfc(name).split())
    return _HONORIFIC.sub("", text) or text


def person_key(name: str) -> str:
    """One person written two ways ('Đ/c  Nguyễn Văn A', NFD) gets one key."""
    return slugify(person_name(name))


# Formatted by hand rather than by strftime, which reads the C locale on every call: a site of
# 10,000 bulletins formats a quarter of a million dates.
def day(value: date | datetime) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def day_time(value: datetime) -> str:
    """The meta line of ward portals: '02/11/2022 | 20:32'."""
    return f"{day(value)} | {clock(value)}"


def clock(value: datetime) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def weekday(value: date | datetime) -> str:
    return WEEKDAYS[value.weekday()]


def count(value: int) -> str:
    """12345 -> '12.345': thousands as Vietnamese writes them."""
    return f"{value:,}".replace(",", ".")


def month_name(year: int, month: int) -> str:
    return f"Tháng {month:02d}/{year}"


_QUARTERS = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def period(value: str) -> str:
    """'2021-11' -> 'tháng 11/2021', '2022-Q2' -> 'quý II/2022', '2022' -> 'năm 2022'."""
    year, _, rest = value.partition("-")
    if not rest:
        return f"năm {year}"
    if rest.startswith("Q"):
        return f"quý {_QUARTERS.get(rest[1:], rest[1:])}/{year}"
    return f"tháng {rest}/{year}"
