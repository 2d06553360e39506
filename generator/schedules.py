"""Schedules published ahead of time: each unit's weekly work schedule (lịch công tác tuần) and its
citizen-reception days (lịch tiếp công dân), as appointments placed in the site's time zone.

The meeting calendar knows meetings once a bulletin reports them; these say what is coming, so
the pages put this week first, then the weeks ahead, then what is past.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterable, Optional
from zoneinfo import ZoneInfo

from . import urls
from .content.models import SCHEDULE_LABELS, Schedule, ScheduleEntry, Unit
from .vietnamese import slugify

PAGES = {"work": urls.SCHEDULE, "reception": urls.RECEPTION}


@dataclass(frozen=True)
class Appointment:
    """One entry of a schedule, with its unit, kind and place in time."""

    entry: ScheduleEntry
    unit: Unit
    kind: str                  # 'work' | 'reception'
    start: datetime            # the day at 00:00 when the entry has no time
    end: Optional[datetime]
    source: str                # the schedule file, for the calendar's ids
    index: int                 # the entry's place in its file

    @property
    def all_day(self) -> bool:
        return self.entry.time is None

    @property
    def kind_label(self) -> str:
        return SCHEDULE_LABELS[self.kind]

    @property
    def day(self) -> date:
        return self.entry.day

    @property
    def anchor(self) -> str:
        """Its place on its schedule page, and its calendar id: the file and the entry's number."""
        return f"{slugify(self.source.removeprefix('content/').rsplit('.', 1)[0])}-{self.index + 1}"

    @property
    def url(self) -> str:
        """Its schedule page (the anchor is the appointment's own place there)."""
        return PAGES[self.kind]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def appointments(schedules: Iterable[Schedule], tz: ZoneInfo) -> list[Appointment]:
    """Every entry of every schedule, earliest first."""
    out = []
    for s in schedules:
        for i, e in enumerate(s.meta.entries):
            start = datetime.combine(e.day, e.time or time(0, 0), tz)
            end = datetime.combine(e.day, e.end, tz) if e.end else None
            out.append(Appointment(e, s.unit, s.kind, start, end, s.source_path, i))
    return sorted(out, key=lambda a: (a.start, a.all_day is False, a.unit.key, a.source, a.index))


@dataclass(frozen=True)
class Week:
    """A week of appointments (Monday to Sunday), by day."""

    monday: date
    days: tuple[tuple[date, tuple[Appointment, ...]], ...]

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def number(self) -> int:
        return self.monday.isocalendar()[1]

    @property
    def anchor(self) -> str:
        year, week, _ = self.monday.isocalendar()
        return f"tuan-{year}-{week:02d}"

    @property
    def count(self) -> int:
        return sum(len(items) for _, items in self.days)


def weeks(items: Iterable[Appointment]) -> list[Week]:
    """The appointments by week and day, earliest first."""
    found: dict[date, dict[date, list[Appointment]]] = {}
    for a in items:
        found.setdefault(monday(a.day), {}).setdefault(a.day, []).append(a)
    return [Week(m, tuple((d, tuple(v)) for d, v in sorted(days.items()))) for m, days in sorted(found.items())]


def split(items: list[Week], today: date) -> tuple[Optional[Week], list[Week], list[Week]]:
    """(this week, the weeks ahead earliest first, the weeks past latest first)."""
    this = monday(today)
    current = next((w for w in items if w.monday == this), None)
    ahead = [w for w in items if w.monday > this]
    past = sorted((w for w in items if w.monday < this), key=lambda w: w.monday, reverse=True)
    return current, ahead, past
