"""Listing pages: home, categories, units, topics and the archive, newest first, paginated."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

from .. import urls
from ..content.models import Topic, Unit
from ..site import Site
from ..vietnamese import month_name
from . import schedules
from .base import Feature, NavItem, Page, feed_links, headlines, numbered, paged

ASIDE = 6          # the side column's newest bulletins (bantin/aside.html)
HOME_BLOCK = 4


def scopes(site: Site) -> Iterator[tuple[str, str, str, Sequence]]:
    """(kind, key, url, bulletins) for every scope that has a listing and its own feeds."""
    for key, items in site.by_category.items():
        yield "category", key, urls.category(key), items
    for key, items in site.by_unit_tree.items():
        yield "unit", key, urls.unit(key), items
    for key, items in site.by_topic.items():
        yield "topic", key, urls.topic(key), items


def scope_title(site: Site, kind: str, key: str) -> str:
    if kind == "category":
        return f"Chuyên mục {site.category(key).name}"
    if kind == "unit":
        return site.unit(key).name
    return f"Chủ đề {site.topic(key).name}"


def listing(site: Site, url: str, title: str, items: Sequence, whole: bool = False, **context) -> list[Page]:
    """A scope's pages, `listing_pages` of them at most unless `whole` (the month archive): a
    province's hundred thousand bulletins would be ten thousand pages a section that nobody
    turns; the last page says where the older ones are."""
    pages = []
    scope = context.get("scope")
    feeds = feed_links(scope_title(site, *scope), url) if scope else []
    aside = headlines(site.bulletins[:ASIDE])
    pagers, older = paged(items, url, site.settings.per_page, 0 if whole else site.settings.listing_pages)
    if not whole:
        context["older"] = older
    for pager in pagers:
        pages.append(Page(pager.url(pager.number), "bantin/listing.html", numbered(title, pager),
                          {"heading": title, "pager": pager, "bulletins": pager.items, "aside": aside, **context},
                          description=context.get("intro") or title, feeds=feeds))
    return pages


def home(site: Site) -> Page:
    blocks = [(site.category(k), items[:HOME_BLOCK]) for k, items in site.by_category.items()]
    return Page(urls.HOME, "bantin/home.html", site.settings.site_name, {
        "lead": site.bulletins[0] if site.bulletins else None,
        "latest": site.bulletins[1:site.settings.per_page + 1],
        "blocks": blocks,
        "units": len(site.by_unit),
        "topics": len(site.by_topic),
    }, description=site.settings.site_description or site.settings.site_name)


def category_pages(site: Site) -> list[Page]:
    pages = []
    for key, items in site.by_category.items():
        cat = site.category(key)
        pages += listing(site, cat.url, cat.name, items, scope=("category", key), intro=cat.description)
    return pages


@dataclass
class UnitNode:
    """A unit in the tree of the units page, with how many bulletins it and its sub-units have."""

    unit: Unit
    count: int
    children: list["UnitNode"]


def unit_tree(site: Site, units: Sequence[Unit]) -> list[UnitNode]:
    return [UnitNode(u, len(site.by_unit_tree.get(u.key, [])), unit_tree(site, site.children(u))) for u in units]


def unit_pages(site: Site) -> list[Page]:
    pages = [Page(urls.UNITS, "bantin/units.html", "Đơn vị", {"tree": unit_tree(site, site.roots())},
                  description=f"Tin bài của {len(site.by_unit_tree)} đơn vị trên {site.settings.site_name}, "
                              "mỗi đơn vị cùng các đơn vị trực thuộc.")]
    for key, items in site.by_unit_tree.items():
        unit = site.unit(key)
        pages += listing(site, unit.url, unit.name, items, scope=("unit", key), unit=unit,
                         parents=list(reversed(site.ancestors(unit))), children=site.children(unit),
                         schedule=schedules.upcoming(site, unit))
    return pages


def topic_pages(site: Site) -> list[Page]:
    topics: list[tuple[Topic, int]] = [(site.topic(key), len(items)) for key, items in site.by_topic.items()]
    pages = [Page(urls.TOPICS, "bantin/topics.html", "Chủ đề", {"topics": topics},
                  description=f"{len(topics)} chủ đề tin bài trên {site.settings.site_name}.")]
    for key, items in site.by_topic.items():
        pages += listing(site, urls.topic(key), site.topic(key).name, items, scope=("topic", key))
    return pages


def _months(site: Site, year: int) -> list[tuple[int, int, str]]:
    """(month, count, address) of a year's months that have bulletins, newest first."""
    return [(m, len(v), urls.month(y, m)) for (y, m), v in site.by_month.items() if y == year]


def archive_pages(site: Site) -> list[Page]:
    years = [(year, len(items), urls.year(year), _months(site, year)) for year, items in site.by_year.items()]
    pages = [Page(urls.ARCHIVE, "bantin/archive.html", "Lưu trữ", {"years": years},
                  description=f"Tin bài trên {site.settings.site_name} theo năm và tháng, mới nhất trước.")]
    for year, items in site.by_year.items():
        pages += listing(site, urls.year(year), f"Năm {year}", items, months=_months(site, year), year=year)
    for (year, month), items in site.by_month.items():
        pages += listing(site, urls.month(year, month), month_name(year, month), items, whole=True,
                         year=year, month=month)
    return pages


def nav_items(site: Site) -> list[NavItem]:
    items = [NavItem("Trang chủ", urls.HOME)]
    items += [NavItem(site.category(key).name, urls.category(key)) for key in site.by_category]
    items += [NavItem("Đơn vị", urls.UNITS), NavItem("Chủ đề", urls.TOPICS), NavItem("Lưu trữ", urls.ARCHIVE)]
    return items


def all_pages(site: Site) -> list[Page]:
    return [home(site), *category_pages(site), *unit_pages(site), *topic_pages(site), *archive_pages(site)]


FEATURE = Feature("listings", pages=all_pages, nav=nav_items)
