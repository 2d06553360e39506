"""People who chaired or attended meetings as guests: one person however the name is written.

Titles change; the role a person held is kept with each meeting, as the
bulletin gave it at the time.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Optional

from . import urls
from .content.models import Bulletin
from .vietnamese import fold, person_key, person_name

AS_LABELS = {"chair": "Chủ trì", "guest": "Khách mời, dự chỉ đạo"}


def url(name: str) -> str:
    return urls.person(person_key(name))


@dataclass
class Appearance:
    bulletin: Bulletin
    as_: str                      # 'chair' | 'guest'
    role: Optional[str]           # as the bulletin gave it

    @property
    def as_label(self) -> str:
        return AS_LABELS[self.as_]

    @property
    def when(self):
        meeting = self.bulletin.meta.meeting
        return meeting.start if meeting and meeting.start else self.bulletin.date


@dataclass
class Person:
    key: str
    name: str
    appearances: list[Appearance] = field(default_factory=list)   # newest first

    @property
    def url(self) -> str:
        return urls.person(self.key)

    @property
    def role(self) -> Optional[str]:
        """The latest role given."""
        return next((a.role for a in self.appearances if a.role), None)

    @property
    def units(self) -> list:
        seen: dict = {}
        for a in self.appearances:
            seen.setdefault(a.bulletin.unit.key, a.bulletin.unit)
        return list(seen.values())

    @property
    def sort_key(self):
        """Vietnamese order: by given name, then the whole name."""
        folded = fold(self.name)
        return (folded.split()[-1] if folded.split() else "", folded, self.key)


def collect(bulletins: Iterable[Bulletin]) -> list[Person]:
    """Everyone named as chair or guest, in Vietnamese name order; each one's meetings newest first."""
    people: dict[str, Person] = {}
    spellings: dict[str, Counter] = {}
    for b in bulletins:
        meeting = b.meta.meeting
        if not meeting:
            continue
        for as_, group in (("chair", meeting.chairs), ("guest", meeting.guests)):
            for p in group:
                key = person_key(p.name)
                if not key:
                    continue
                person = people.setdefault(key, Person(key, person_name(p.name)))
                spellings.setdefault(key, Counter())[person_name(p.name)] += 1
                if not any(a.bulletin is b and a.as_ == as_ for a in person.appearances):
                    person.appearances.append(Appearance(b, as_, p.role))
    for key, person in people.items():
        # The spelling most bulletins use; on a tie, the newest bulletin's (Counter keeps first-seen order).
        person.name = spellings[key].most_common(1)[0][0]
        person.appearances.sort(key=lambda a: a.when, reverse=True)
    return sorted(people.values(), key=lambda p: p.sort_key)
