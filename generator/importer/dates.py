"""Dates as Vietnamese portals and meeting reports write them.

The publication line of a portal ("Ngày đăng 02/11/2022 | 20:32",
"Đăng ngày 15-05-2022 10:48", "Cập nhật: 02/11/2022 08:00"...) is read before
any library guesses, because it is the one date on the page that the editor
typed.  A meeting's start ("Chiều ngày 01/11/2022", "Sáng 17-10", "ngày 25/6")
often has no year: it is the year of publication, never a guess.  Times follow
the editors' guide (content/README.md): morning 08:00, afternoon 14:00, and
08:00 for a publication without a time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Optional
from zoneinfo import ZoneInfo

MORNING, AFTERNOON = time(8, 0), time(14, 0)
NO_TIME = time(8, 0)                 # publication without a time (content/README.md, section 4)
PARTS = {"sáng": MORNING, "chiều": AFTERNOON}

_SEP = r"\s*[/.\-]\s*"
_DMY = rf"(?P<d>\d{{1,2}}){_SEP}(?P<mo>\d{{1,2}}){_SEP}(?P<y>\d{{4}})"
_WORDY = r"(?P<d2>\d{1,2})\s+[Tt]háng\s+(?P<mo2>\d{1,2}),?\s+(?:năm\s+)?(?P<y2>\d{4})"
_HM = r"(?:\s*(?:\||-|–|,|lúc)?\s*(?P<h>\d{1,2})\s*[:hg]\s*(?P<mi>\d{2}))?"
_WEEKDAY = r"(?:(?:[Tt]hứ\s+(?:[Hh]ai|[Bb]a|[Tt]ư|[Nn]ăm|[Ss]áu|[Bb]ảy|\d)|[Cc]hủ\s+[Nn]hật)\s*,?\s*)?"
_LABEL = (r"(?P<label>[Nn]gày\s+đăng|[Đđ]ăng\s+ngày|[Đđ]ược\s+đăng\s+ngày|[Nn]gày\s+xuất\s+bản|[Xx]uất\s+bản(?:\s+ngày)?"
          r"|[Nn]gày\s+cập\s+nhật|[Cc]ập\s+nhật(?:\s+ngày|\s+lúc)?|[Nn]gày\s+viết|[Đđ]ăng\s+lúc)")
PORTAL_LINE = re.compile(rf"{_LABEL}\s*:?\s*{_WEEKDAY}(?:{_DMY}|{_WORDY}){_HM}")
# A date standing alone on a line, as the toolbar of a PublishingPortal page prints it.
LONE_DATE = re.compile(rf"^\s*{_WEEKDAY}{_DMY}{_HM}\s*$")
_UPDATED = ("cập nhật",)


@dataclass(frozen=True)
class Stamp:
    when: datetime
    words: str                       # the text it was read from
    timed: bool                      # the source gave a time
    updated: bool = False            # an "updated" line, weaker than a publication line


def _make(m: re.Match, tz: ZoneInfo) -> Optional[datetime]:
    groups = m.groupdict()
    d, mo, y = (groups.get("d") or groups.get("d2"), groups.get("mo") or groups.get("mo2"),
                groups.get("y") or groups.get("y2"))
    try:
        day = date(int(y), int(mo), int(d))
        clock = time(int(m.group("h")), int(m.group("mi"))) if m.group("h") else NO_TIME
    except (TypeError, ValueError):
        return None
    return datetime.combine(day, clock, tz)


def portal_line(text: str, tz: ZoneInfo) -> Optional[Stamp]:
    """The first publication line in a text; an "updated" line only when there is no other."""
    fallback = None
    for m in PORTAL_LINE.finditer(text):
        when = _make(m, tz)
        if when is None:
            continue
        updated = any(w in m.group("label").lower() for w in _UPDATED)
        stamp = Stamp(when, " ".join(m.group(0).split()), bool(m.group("h")), updated)
        if not updated:
            return stamp
        fallback = fallback or stamp
    return fallback


def lone_date(line: str, tz: ZoneInfo) -> Optional[Stamp]:
    m = LONE_DATE.match(line)
    when = _make(m, tz) if m else None
    return Stamp(when, line.strip(), bool(m.group("h"))) if when else None


def is_date_line(line: str) -> bool:
    """A line that is only a publication line (with a view count, perhaps): not text to keep."""
    m = PORTAL_LINE.search(line)
    if m and m.start() < 4:
        rest = line[m.end():]
        return not re.sub(r"[|\s]*(?:[Ll]ượt\s+xem|[Ll]ượt\s+đọc|[Vv]iew\s+count|[Ss]ố\s+lần\s+xem)\s*:?\s*[\d.,]*", "",
                          rest).strip(" |-–")
    return bool(LONE_DATE.match(line))


# --------------------------------------------------------------- a meeting's start

_PART = r"(?P<part>[Ss]áng|[Cc]hiều|[Tt]rưa|[Tt]ối|[Đđ]êm)"
_CLOCK = r"(?P<h>\d{1,2})\s*(?:giờ|h|g|:)\s*(?P<mi>\d{2})?(?:\s*phút)?"
START = re.compile(
    rf"(?:(?:[Vv]ào\s+)?(?:[Ll]úc\s+){_CLOCK}\s*(?:{_PART.replace('part', 'part0')}\s*)?,?\s*)?"
    rf"(?:{_PART}\s+(?:nay\s*,?\s*)?)?"
    rf"(?P<ngay>[Nn]gày\s+|[Hh]ôm\s+)?"
    rf"(?P<d>\d{{1,2}})\s*[/\-]\s*(?P<mo>\d{{1,2}})(?:\s*[/\-]\s*(?P<y>\d{{4}}))?(?![\d/\-])"
)


@dataclass(frozen=True)
class Start:
    when: datetime
    words: str
    timed: bool                 # a time of day is known (said, or by the morning/afternoon rule)
    year_from_publication: bool


def meeting_start(sentence: str, published: Optional[datetime], tz: ZoneInfo) -> Optional[Start]:
    """The first meeting date in a sentence, when it is said as one ('Chiều ngày…', 'Sáng 17-10',
    'ngày 25/6', 'Lúc 8 giờ 30 ngày…'): a bare '15/15' or a document's date is not one."""
    for m in START.finditer(sentence):
        said = m.group("part") or m.group("ngay") or m.group("h")
        if not said:
            continue
        before = sentence[:m.start()].rstrip()
        if re.search(r"(?:\bsố\b|/[A-ZĐ]{1,6}|,)\s*$", before) and not m.group("part"):
            continue                 # '…số 01-ĐA/TU, ngày 13/6/2016': a document's date
        year = m.group("y")
        if year is None and published is None:
            continue                 # no year, and nothing to take it from
        try:
            day = date(int(year or published.year), int(m.group("mo")), int(m.group("d")))
        except ValueError:
            continue
        if year is None and day > published.date() + timedelta(days=1):
            day = day.replace(year=day.year - 1)   # 'ngày 28/12' in a bulletin of 2 January
        part = (m.group("part") or m.group("part0") or "").lower()
        if m.group("h"):
            hour = int(m.group("h"))
            if part in ("chiều", "tối") and hour < 12:
                hour += 12
            try:
                clock: Optional[time] = time(hour, int(m.group("mi") or 0))
            except ValueError:
                continue
        else:
            clock = PARTS.get(part)
        when = datetime.combine(day, clock or time(0, 0), tz)
        return Start(when, " ".join(m.group(0).split()), clock is not None, year is None)
    return None
