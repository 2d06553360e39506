"""The opinion tracker: every concern of every opinion summary, by topic, and whether it was answered."""
from __future__ import annotations

from collections import Counter
from typing import Optional, Sequence

from .. import urls
from ..concerns import Entry
from ..content.models import STATUS_LABELS, Topic
from ..site import Site
from ..vietnamese import month_name
from . import chart
from .base import Feature, NavItem, Page, by_month, feed_links, numbered, paged
from .listings import scope_title

STATUSES = list(STATUS_LABELS)          # pending, in-progress, answered
# Concerns of a topic shown on the tracker's first page, newest first; the topic's own page has
# them all.  A province holds tens of thousands: all on one page would be tens of megabytes.
SHOWN = 10
PER_PAGE = 100          # concerns on each page of a topic's timeline


def mid_sentence(name: str) -> str:
    """'Phòng, chống dịch Covid-19' -> 'phòng, chống dịch Covid-19': a name inside a sentence."""
    return name[:1].lower() + name[1:]


def counts(items: Sequence[Entry]) -> list[tuple[str, str, int]]:
    """(status, label, count) in the order a reader follows a concern."""
    found = Counter(e.status for e in items)
    return [(s, STATUS_LABELS[s], found.get(s, 0)) for s in STATUSES]


def groups(items: Sequence[Entry]) -> list[tuple[Topic, list[Entry]]]:
    """Concerns by topic; the topic with the newest concern first."""
    by_topic: dict[str, tuple[Topic, list[Entry]]] = {}
    for e in items:
        by_topic.setdefault(e.topic.key, (e.topic, []))[1].append(e)
    return sorted(by_topic.values(), key=lambda g: (-g[1][0].bulletin.date.timestamp(), g[0].name))


def _month_label(month: tuple[int, int]) -> tuple[str, str]:
    return f"T{month[1]:02d}", str(month[0])


def overview_chart(grouped: list[tuple[Topic, list[Entry]]]) -> dict:
    """The topic-by-month grid, as SVG and as the table that says the same."""
    months = sorted({e.month for _, items in grouped for e in items})
    values = Counter((e.topic.key, e.month) for _, items in grouped for e in items)
    rows = [(topic.key, topic.name) for topic, _ in grouped]
    first, last = month_name(*months[0]), month_name(*months[-1])
    desc = (f"Số ý kiến dư luận theo chủ đề (hàng) và theo tháng (cột), từ {first.lower()} đến {last.lower()}; "
            "chỉ hiện các tháng có ý kiến. Ô càng đậm càng nhiều ý kiến; cột cuối là tổng của mỗi chủ đề.")
    svg = chart.heatmap(rows, [(m, *_month_label(m)) for m in months], dict(values),
                        title="Ý kiến dư luận theo chủ đề và tháng", desc=desc, ident="bt-chart-topics",
                        x_label="Tháng", y_label="Chủ đề")
    table = [(topic, [values.get((topic.key, m), 0) for m in months], len(items)) for topic, items in grouped]
    return {"svg": svg, "desc": desc, "columns": [f"{m:02d}/{y}" for y, m in months], "rows": table}


def _timeline(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    out, (y, m) = [], first
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def topic_chart(topic: Topic, items: Sequence[Entry]) -> dict:
    months = _timeline(min(e.month for e in items), max(e.month for e in items))
    values = Counter(e.month for e in items)
    desc = (f"Số ý kiến về {mid_sentence(topic.name)} mỗi tháng, từ {month_name(*months[0]).lower()} "
            f"đến {month_name(*months[-1]).lower()}.")
    svg = chart.bars([(m, f"{m[1]:02d}", str(m[0])) for m in months], dict(values),
                     title=f"Ý kiến về {topic.name} theo tháng", desc=desc, ident="bt-chart-topic",
                     x_label="Tháng", y_label="Số ý kiến")
    rows = [(f"{m:02d}/{y}", values[(y, m)]) for y, m in months if values[(y, m)]]
    return {"svg": svg, "desc": desc, "rows": rows}


def page_months(items: Sequence[Entry]) -> list[tuple[str, list[Entry]]]:
    """A page of a topic's timeline: its concerns, given newest month first, under their months."""
    return [(month_name(*m), entries) for m, entries in by_month(items, lambda e: e.month)]


def _topic_listing(site: Site, topic: Topic) -> Optional[str]:
    return topic.url if topic.key in site.by_topic else None


def _topic_feeds(site: Site, topic: Topic):
    """The topic's bulletin feeds, where the topic has bulletins of its own."""
    listing = _topic_listing(site, topic)
    return feed_links(scope_title(site, "topic", topic.key), listing) if listing else []


def tracker_pages(site: Site) -> list[Page]:
    items = site.concerns
    if not items:
        return []
    grouped = groups(items)
    summaries = len({id(e.bulletin) for e in items})
    pages = [Page(urls.TRACKER, "bantin/tracker.html", "Theo dõi dư luận xã hội", {
        "groups": [(topic, topic_items[:SHOWN], counts(topic_items), len(topic_items)) for topic, topic_items in grouped],
        "counts": counts(items), "total": len(items), "summaries": summaries,
        "chart": overview_chart(grouped),
    }, description=f"{len(items)} vấn đề dư luận từ {summaries} bản tổng hợp, theo chủ đề và tình trạng trả lời.")]
    for topic, topic_items in grouped:
        pages += topic_pages(site, topic, topic_items)
    return pages


def topic_pages(site: Site, topic: Topic, items: Sequence[Entry]) -> list[Page]:
    """A topic's timeline, newest first, a hundred concerns a page (a province's topic holds tens
    of thousands: one page of them would be tens of megabytes on a reader's phone); the counts
    and the chart on every page are the topic's whole."""
    pagers, older = paged(sorted(items, key=lambda e: e.month, reverse=True), urls.tracker_topic(topic.key),
                          PER_PAGE, site.settings.listing_pages)
    whole = {"topic": topic, "counts": counts(items), "total": len(items), "chart": topic_chart(topic, items),
             "listing": _topic_listing(site, topic), "older": older}
    title = f"Dư luận: {topic.name}"
    return [Page(pager.url(pager.number), "bantin/tracker_topic.html", numbered(title, pager),
                 {**whole, "pager": pager, "months": page_months(pager.items)},
                 description=f"{len(items)} ý kiến dư luận về {mid_sentence(topic.name)}, theo thời gian và tình trạng trả lời.",
                 feeds=_topic_feeds(site, topic))
            for pager in pagers]


def nav_items(site: Site) -> list[NavItem]:
    return [NavItem("Theo dõi dư luận", urls.TRACKER)] if site.concerns else []


FEATURE = Feature("tracker", pages=tracker_pages, nav=nav_items)
