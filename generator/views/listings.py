"""Listing pages: home, categories, units, topics and the archive, newest first, paginated."""
from __future__ import annotations

from typing import Iterator, Sequence

from ..site import Site
from ..vietnamese import month_name
from .base import FeedLink, Page, headlines, paginate

ASIDE = 6          # the side column's newest bulletins (bantin/aside.html)

CATEGORY, UNIT, TOPIC, ARCHIVE = "chuyen-muc", "don-vi", "chu-de", "luu-tru"
HOME_BLOCK = 4
RSS, ATOM = "application/rss+xml", "application/atom+xml"


def category_url(key: str) -> str:
    return f"{CATEGORY}/{key}/"


def unit_url(key: str) -> str:
    return f"{UNIT}/{key}/"


def topic_url(key: str) -> str:
    return f"{TOPIC}/{key}/"


def year_url(year: int) -> str:
    return f"{ARCHIVE}/{year:04d}/"


def month_url(year: int, month: int) -> str:
    return f"{ARCHIVE}/{year:04d}/{month:02d}/"


def scopes(site: Site) -> Iterator[tuple[str, str, str, Sequence]]:
    """(kind, key, url, bulletins) for every scope that has a listing and its own feeds."""
    for key, items in site.by_category.items():
        yield "category", key, category_url(key), items
    for key, items in site.by_unit_tree.items():
        yield "unit", key, unit_url(key), items
    for key, items in site.by_topic.items():
        yield "topic", key, topic_url(key), items


def feed_links(title: str, url: str) -> list[FeedLink]:
    """A scope's RSS and Atom pair, in the scope's folder ('' for the whole portal)."""
    return [FeedLink(f"{title} (RSS)", f"{url}feed.xml", RSS), FeedLink(f"{title} (Atom)", f"{url}atom.xml", ATOM)]


def scope_title(site: Site, kind: str, key: str) -> str:
    if kind == "category":
        return f"Chuyên mục {site.category(key).name}"
    if kind == "unit":
        return site.unit(key).name
    return f"Chủ đề {site.topic(key).name}"


def listing(site: Site, url: str, title: str, items: Sequence, **context) -> list[Page]:
    pages = []
    scope = context.get("scope")
    feeds = feed_links(scope_title(site, *scope), url) if scope else []
    for pager in paginate(items, url, site.settings.per_page):
        page_title = title if pager.number == 1 else f"{title} – trang {pager.number}"
        pages.append(Page(pager.url(pager.number), "bantin/listing.html", page_title,
                          {"heading": title, "pager": pager, "bulletins": pager.items, **context},
                          description=context.get("intro") or title, feeds=feeds,
                          depends=(headlines(site.bulletins[:ASIDE]),)))
    return pages


def home(site: Site) -> Page:
    blocks = [(site.category(k), items[:HOME_BLOCK]) for k, items in site.by_category.items()]
    return Page("", "bantin/home.html", site.settings.site_name, {
        "lead": site.bulletins[0] if site.bulletins else None,
        "latest": site.bulletins[1:site.settings.per_page + 1],
        "blocks": blocks,
    }, description=site.settings.site_description or site.settings.site_name)


def category_pages(site: Site) -> list[Page]:
    pages = []
    for key, items in site.by_category.items():
        cat = site.category(key)
        pages += listing(site, category_url(key), cat.name, items, scope=("category", key), intro=cat.description)
    return pages


def unit_pages(site: Site) -> list[Page]:
    pages = [Page(f"{UNIT}/", "bantin/units.html", "Đơn vị", {"roots": [
        u for u in site.data.units.values() if not u.parent or u.parent not in site.data.units]})]
    for key, items in site.by_unit_tree.items():
        unit = site.unit(key)
        pages += listing(site, unit_url(key), unit.name, items, scope=("unit", key), unit=unit,
                         parents=list(reversed(site.ancestors(unit))), children=site.children(unit))
    return pages


def topic_pages(site: Site) -> list[Page]:
    pages = [Page(f"{TOPIC}/", "bantin/topics.html", "Chủ đề", {})]
    for key, items in site.by_topic.items():
        pages += listing(site, topic_url(key), site.topic(key).name, items, scope=("topic", key))
    return pages


def archive_pages(site: Site) -> list[Page]:
    pages = [Page(f"{ARCHIVE}/", "bantin/archive.html", "Lưu trữ", {})]
    for year, items in site.by_year.items():
        months = [(m, len(v)) for (y, m), v in site.by_month.items() if y == year]
        pages += listing(site, year_url(year), f"Năm {year}", items, months=months, year=year)
    for (year, month), items in site.by_month.items():
        pages += listing(site, month_url(year, month), month_name(year, month), items, year=year, month=month)
    return pages


def nav_items(site: Site) -> list[tuple[str, str]]:
    items = [("Trang chủ", "")]
    items += [(site.category(key).name, category_url(key)) for key in site.by_category]
    items += [("Đơn vị", f"{UNIT}/"), ("Chủ đề", f"{TOPIC}/"), ("Lưu trữ", f"{ARCHIVE}/")]
    return items


def all_pages(site: Site) -> list[Page]:
    return [home(site), *category_pages(site), *unit_pages(site), *topic_pages(site), *archive_pages(site)]
