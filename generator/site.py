"""The site as collections: bulletins by category, unit, topic and month, and the registers'
documents, people, meetings and concerns.

Built once per build from the reader's content objects, before any view runs (and before
work is shared between processes, which then all see the same); every view, feed and
search record reads from here.  Lists are newest first.
"""
from __future__ import annotations

import heapq
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Optional

from zoneinfo import ZoneInfo

from . import attachments, concerns as concern_list, schedules as schedule_list, documents as document_list, meetings as meeting_list, people as people_list
from .cache import Store, code_version, digest
from .config import Settings
from .content.models import Bulletin, Category, Topic, Unit
from .content.paths import ContentFiles
from .content.reader import ContentSet, SiteData
from .pieces import Pieces

RELATED_COUNT = 5
RELATED_WINDOW = 25
RELATED_KIND = "related"      # the store's entries of related bulletins (see Site._relate)


@dataclass
class Site:
    settings: Settings
    data: SiteData
    bulletins: list[Bulletin]                     # published, newest first
    by_category: dict[str, list[Bulletin]] = field(default_factory=dict)
    by_unit: dict[str, list[Bulletin]] = field(default_factory=dict)
    by_unit_tree: dict[str, list[Bulletin]] = field(default_factory=dict)  # a unit with its sub-units
    by_topic: dict[str, list[Bulletin]] = field(default_factory=dict)
    by_year: dict[int, list[Bulletin]] = field(default_factory=dict)
    by_month: dict[tuple[int, int], list[Bulletin]] = field(default_factory=dict)
    documents: list[document_list.Document] = field(default_factory=list)  # cited, for /van-ban/
    people: list[people_list.Person] = field(default_factory=list)         # chairs and guests
    meetings: list[meeting_list.MeetingEntry] = field(default_factory=list)  # latest first
    concerns: list[concern_list.Entry] = field(default_factory=list)       # newest summary first
    appointments: list[schedule_list.Appointment] = field(default_factory=list)  # schedules, earliest first
    nav: list = field(default_factory=list)        # the main menu (views.base.NavItem), from the features
    pages: list = field(default_factory=list)      # the content folder's own pages (models.ContentPage)
    # Each bulletin's neighbours in its category and its related bulletins, by address.
    newer: dict[str, Bulletin] = field(default_factory=dict)
    older: dict[str, Bulletin] = field(default_factory=dict)
    related: dict[str, list[Bulletin]] = field(default_factory=dict)
    share_image: object = None        # linkcard.CardImage of site.yml's image, set by the build
    pieces: Pieces = field(default_factory=Pieces)   # what files are made of, kept by the build's store

    @classmethod
    def build(cls, settings: Settings, content: ContentSet, store: Optional[Store] = None) -> "Site":
        site = cls(settings, content.data, list(content.bulletins), pages=list(content.pages))
        site._collect()
        site._link_neighbours()
        site._relate(store or Store(None))
        for b in site.bulletins:          # what the registers tell each bulletin, anew every build
            b.person_urls, b.document_urls = {}, {}
        site.documents = document_list.collect(site.bulletins, site.data.chain)
        files = ContentFiles(settings.content_dir)
        for doc in site.documents:
            if doc.file:
                doc.attachment = attachments.of(settings.content_dir, doc.file, files)
        site.people = people_list.collect(site.bulletins, site.data)
        site.meetings = meeting_list.collect(site.bulletins)
        site.concerns = concern_list.collect(site.bulletins, site.data.topics)
        site.appointments = schedule_list.appointments(content.schedules, ZoneInfo(settings.timezone))
        return site

    # -- collections

    def _collect(self) -> None:
        by_category, by_unit, by_topic = defaultdict(list), defaultdict(list), defaultdict(list)
        by_year, by_month, tree = defaultdict(list), defaultdict(list), defaultdict(list)
        for b in self.bulletins:
            by_category[b.category.key].append(b)
            by_unit[b.unit.key].append(b)
            for unit in self.ancestors(b.unit, include_self=True):
                tree[unit.key].append(b)
            for t in b.topics:
                by_topic[t.key].append(b)
            by_year[b.date.year].append(b)
            by_month[(b.date.year, b.date.month)].append(b)
        order = list(self.data.categories)
        self.by_category = {k: by_category[k] for k in order if by_category.get(k)}
        self.by_unit = {k: by_unit[k] for k in self.data.units if by_unit.get(k)}
        self.by_unit_tree = {k: tree[k] for k in self.data.units if tree.get(k)}
        self.by_topic = dict(sorted(by_topic.items()))
        self.by_year = dict(sorted(by_year.items(), reverse=True))
        self.by_month = dict(sorted(by_month.items(), reverse=True))

    def ancestors(self, unit: Unit, include_self: bool = False) -> list[Unit]:
        chain, seen = ([unit] if include_self else []), {unit.key}
        while unit.parent and unit.parent in self.data.units and unit.parent not in seen:
            unit = self.data.units[unit.parent]
            seen.add(unit.key)
            chain.append(unit)
        return chain

    def children(self, unit: Unit) -> list[Unit]:
        return [u for u in self.data.units.values() if u.parent == unit.key]

    def roots(self) -> list[Unit]:
        """Units with no parent on this site: the tops of the unit tree."""
        return [u for u in self.data.units.values() if not u.parent or u.parent not in self.data.units]

    def _link_neighbours(self) -> None:
        """Previous/next within the category: 'older' and 'newer' for a reader."""
        for items in self.by_category.values():
            for i, b in enumerate(items):
                if i > 0:
                    self.newer[b.url] = items[i - 1]
                if i + 1 < len(items):
                    self.older[b.url] = items[i + 1]

    def _relate(self, store: Store) -> None:
        """Related: most shared topics, then same unit, then nearest in time; never itself.

        Candidates are the bulletins nearest in time within each shared topic and the unit
        (a window around the bulletin in those newest-first lists), so the cost per bulletin
        stays the same however large the portal grows.  What they are depends on each
        bulletin's address, time, topics and unit alone: a rebuild after an edit of some text
        finds them in the store under a key made of exactly that.
        """
        shape = [(b.url, b.date.timestamp(), [t.key for t in b.topics], b.unit.key) for b in self.bulletins]
        key = digest(code_version(), json.dumps(shape, ensure_ascii=False))
        kept = store.get(RELATED_KIND, key)
        if kept is not None:
            for b, picks in zip(self.bulletins, json.loads(kept)):
                self.related[b.url] = [self.bulletins[i] for i in picks]
            return
        self._find_related()
        index = {b: i for i, b in enumerate(self.bulletins)}
        store.put(RELATED_KIND, key, json.dumps([[index[o] for o in self.related[b.url]]
                                                 for b in self.bulletins]).encode("utf-8"))

    def _find_related(self) -> None:
        stamp = {b: b.date.timestamp() for b in self.bulletins}
        position = {}
        for key, items in list(self.by_topic.items()) + [("unit:" + k, v) for k, v in self.by_unit.items()]:
            for i, other in enumerate(items):
                position[(key, other)] = i
        for b in self.bulletins:
            scores: Counter = Counter()
            for key, items, weight in [(t.key, self.by_topic.get(t.key, []), 2) for t in b.topics] + \
                    [("unit:" + b.unit.key, self.by_unit.get(b.unit.key, []), 1)]:
                i = position[(key, b)]
                window = items[max(0, i - RELATED_WINDOW):i + RELATED_WINDOW + 1]
                for _ in range(weight):
                    scores.update(window)       # counted in C
            scores.pop(b, None)
            here = stamp[b]
            # Plain tuples compared in C; `n` keeps ties in the order they were found.
            best = heapq.nsmallest(RELATED_COUNT, ((-score, abs(stamp[o] - here), n, o)
                                                   for n, (o, score) in enumerate(scores.items())))
            self.related[b.url] = [o for *_, o in best]

    def appointments_of(self, unit: Unit, kind: str = "") -> list:
        """The appointments of a unit and its sub-units (of one kind, if given), earliest first."""
        return [a for a in self.appointments if (not kind or a.kind == kind)
                and unit in self.ancestors(a.unit, include_self=True)]

    # -- lookups for templates

    def category(self, key: str) -> Category:
        return self.data.categories[key]

    def unit(self, key: str) -> Unit:
        return self.data.units[key]

    def topic(self, key: str) -> Topic:
        return self.data.topics.get(key) or next(t for b in self.by_topic[key] for t in b.topics if t.key == key)
