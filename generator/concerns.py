"""Concerns residents raised, from every opinion summary: what the opinion tracker is made of.

A concern counts in the month of its summary's period when that is a month
('2021-11'), otherwise in the month the summary was published.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from . import urls
from .content.models import Bulletin, Concern, Topic
from .vietnamese import month_name, period

NO_TOPIC = Topic(key="khac", name="Chưa phân loại")


@dataclass
class Entry:
    concern: Concern
    bulletin: Bulletin
    topic: Topic
    month: tuple[int, int]

    @property
    def status(self) -> str:
        return self.concern.response.status

    @property
    def period_label(self) -> str:
        op = self.bulletin.meta.opinion
        return period(op.period) if op.period else month_name(*self.month).lower()

    @property
    def unit(self):
        return self.bulletin.unit

    @property
    def topic_url(self) -> str:
        """The concern's topic in the tracker (not the topic's listing of bulletins)."""
        return urls.tracker_topic(self.topic.key)


def _month(b: Bulletin) -> tuple[int, int]:
    p = b.meta.opinion.period
    if p and len(p) == 7 and p[4] == "-" and p[5:].isdigit():
        return int(p[:4]), int(p[5:])
    return b.date.year, b.date.month


def collect(bulletins: Iterable[Bulletin], topics: Mapping[str, Topic]) -> list[Entry]:
    """Every concern, newest summary first, in the order the summary gives them."""
    out = []
    for b in bulletins:
        op = b.meta.opinion
        if not op:
            continue
        for c in op.concerns:
            if c.topic:
                topic = topics.get(c.topic) or Topic(key=c.topic, name=c.topic.replace("-", " ").capitalize())
            else:
                topic = NO_TOPIC
            out.append(Entry(c, b, topic, _month(b)))
    return out
