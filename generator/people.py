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
    scope: Optional[str] = None      # the unit within which the name means this person

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


def _scope(data, unit) -> Optional[str]:
    """Where one name means one person: the unit's province or city (the top of its unit tree)."""
    return data.ancestors(unit, include_self=True)[-1].key


def _declared(data, name_key: str, unit) -> Optional[int]:
    """The entry of people.yml that says who this name means in this unit's bulletins, if one does."""
    chain = [u.key for u in data.ancestors(unit, include_self=True)]
    best = None
    for i, entry in enumerate(data.people):
        if person_key(entry.name) != name_key:
            continue
        depth = min((chain.index(k) for k in entry.units if k in chain), default=None)
        if depth is not None and (best is None or depth < best[0]):
            best = (depth, i)          # the entry naming the nearest unit wins
    return best[1] if best else None


def collect(bulletins: Iterable[Bulletin], data) -> list[Person]:
    """Everyone named as chair or guest, in Vietnamese name order; each one's meetings newest first.

    One name is one person within a province or city; people.yml merges (one entry naming
    units of several provinces) or splits (two entries naming different units) by hand.
    Each bulletin learns the address of each person it names (`person_urls`)."""
    groups: dict[tuple, Person] = {}
    spellings: dict[tuple, Counter] = {}
    named: list[tuple[Bulletin, str, tuple]] = []
    for b in bulletins:
        meeting = b.meta.meeting
        if not meeting:
            continue
        for as_, group in (("chair", meeting.chairs), ("guest", meeting.guests)):
            for p in group:
                name_key = person_key(p.name)
                if not name_key:
                    continue
                entry = _declared(data, name_key, b.unit)
                ident = ("entry", entry) if entry is not None else (name_key, _scope(data, b.unit))
                person = groups.setdefault(ident, Person(name_key, person_name(p.name)))
                spellings.setdefault(ident, Counter())[person_name(p.name)] += 1
                named.append((b, p.name, ident))
                if not any(a.bulletin is b and a.as_ == as_ for a in person.appearances):
                    person.appearances.append(Appearance(b, as_, p.role))
    shared = Counter(person.key for person in groups.values())
    for ident, person in groups.items():
        # The spelling most bulletins use; on a tie, the newest bulletin's (Counter keeps first-seen order).
        person.name = spellings[ident].most_common(1)[0][0]
        person.appearances.sort(key=lambda a: a.when, reverse=True)
        if ident[0] == "entry":
            entry = data.people[ident[1]]
            person.scope = entry.units[0]
            person.key = entry.key or (person.key if shared[person.key] == 1 else f"{person.key}-{entry.units[0]}")
        else:
            person.scope = ident[1]
            if shared[person.key] > 1:          # two people of one name: each is named with their place
                person.key = f"{person.key}-{ident[1]}"
    for b, name, ident in named:
        b.person_urls[name] = groups[ident].url
    return sorted(groups.values(), key=lambda p: p.sort_key)


def alike(people: list[Person]) -> list[tuple[Person, Person]]:
    """Pairs of people with one name kept apart (different provinces or people.yml): worth a look."""
    by_name: dict[str, list[Person]] = {}
    for person in people:
        by_name.setdefault(person_key(person.name), []).append(person)
    return [(group[0], other) for group in by_name.values() for other in group[1:]]
