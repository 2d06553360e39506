"""Meetings the bulletins report: what the meeting calendar is made of."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from .content.models import Bulletin


@dataclass
class MeetingEntry:
    bulletin: Bulletin

    @property
    def meeting(self):
        return self.bulletin.meta.meeting

    @property
    def start(self) -> datetime:
        return self.meeting.start or self.bulletin.date

    @property
    def timed(self) -> bool:
        return self.meeting.start is not None


def collect(bulletins: Iterable[Bulletin]) -> list[MeetingEntry]:
    """Bulletins with a meeting block, latest meeting first."""
    found = [MeetingEntry(b) for b in bulletins if b.meta.meeting]
    return sorted(found, key=lambda m: (m.start, m.bulletin.url), reverse=True)
