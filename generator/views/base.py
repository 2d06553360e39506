"""What a view produces: pages for the theme to render, files to write as they are, menu entries."""
from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from .. import urls
from ..cache import Uncacheable, digest, fingerprint
from ..linkcard import Card

RSS_TYPE, ATOM_TYPE, JSON_FEED_TYPE = "application/rss+xml", "application/atom+xml", "application/feed+json"


@dataclass(frozen=True)
class FeedLink:
    title: str
    url: str          # site path, e.g. 'chuyen-muc/x/feed.xml'
    type: str         # 'application/rss+xml' | 'application/atom+xml' | 'text/calendar'


def feed_links(title: str, scope: str) -> list[FeedLink]:
    """A scope's RSS, Atom and JSON Feed, in the scope's folder ('' for the whole portal)."""
    return [FeedLink(f"{title} (RSS)", urls.rss(scope), RSS_TYPE),
            FeedLink(f"{title} (Atom)", urls.atom(scope), ATOM_TYPE),
            FeedLink(f"{title} (JSON Feed)", urls.json_feed(scope), JSON_FEED_TYPE)]


@dataclass(frozen=True)
class NavItem:
    """An entry of the main menu: the sections are the header's tabs, the rest its quick links."""

    title: str
    url: str

    @property
    def is_section(self) -> bool:
        return urls.is_category(self.url)


@dataclass
class Page:
    """A page of the site, rendered from `template` with `context` (all it may show).

    Its template reads nothing but what it is given, so that what it is rendered from,
    and so its cache key, is known (see `key`).
    """

    url: str                              # site path: '' for home, 'chuyen-muc/x/' ...
    template: str                         # theme template, e.g. 'bantin/listing.html'
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    feeds: list[FeedLink] = field(default_factory=list)
    # Served at any address (the 404 page): its links are written from the host's root.
    anywhere: bool = False
    canonical: bool = True               # a page of its own (not the 404 page) for search engines
    card: Optional[Card] = None          # what a shared link shows beyond title and description (linkcard.py)
    section: str = ""                    # the menu entry it belongs to, when its address does not say

    def key(self, base: str) -> Optional[str]:
        """The page's cache key, from what it is rendered from: its template, its fields and
        its context (`base` names the code, the theme and the settings); None when some
        object in the context cannot be named, and the page is then rendered every time."""
        try:
            return digest(base, fingerprint([self.template, self.url, self.title, self.description,
                                             self.feeds, self.anywhere, self.canonical, self.card, self.section,
                                             self.context]))
        except Uncacheable:
            return None


class Later:
    """A value of a page's context made only when the page is rendered: a rebuild keeps most
    pages, and making a bulletin's search record and schema.org data for each of them was a
    third of a rebuild with nothing changed.  The page's key names it by what it is made
    from (`parts`), which must be all that `make` reads."""

    __slots__ = ("_make", "_parts", "_value")
    _UNSET = object()

    def __init__(self, make: Callable[[], Any], *parts: Any):
        self._make, self._parts, self._value = make, parts, Later._UNSET

    @property
    def value(self) -> Any:
        if self._value is Later._UNSET:
            self._value = self._make()
        return self._value

    def __fingerprint__(self) -> str:
        return fingerprint(self._parts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.value, name)

    def __str__(self) -> str:
        return str(self.value)

    def __bool__(self) -> bool:
        return bool(self.value)


@dataclass(frozen=True)
class Headline:
    """What a side column shows of a bulletin: its address, title and date."""

    url: str
    title: str
    date: Any


def headlines(bulletins: Sequence) -> list[Headline]:
    return [Headline(b.url, b.title, b.date) for b in bulletins]


@dataclass
class Asset:
    """A file of the site written as it is: bytes made by the build, or a file copied."""

    path: str                             # site path of the file, e.g. 'feed.xml'
    content: Optional[bytes] = None
    source: Optional[Path] = None         # copied from here when there is no content


@dataclass
class Pagination:
    number: int
    count: int
    items: Sequence
    base_url: str

    def url(self, number: int) -> str:
        return urls.listing_page(self.base_url, number)

    @property
    def previous_url(self):
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self):
        return self.url(self.number + 1) if self.number < self.count else None

    @property
    def numbers(self) -> list:
        """Page numbers to show: first, last and two either side of the current one."""
        shown = sorted({1, self.count, *range(max(1, self.number - 2), min(self.count, self.number + 2) + 1)})
        out, last = [], 0
        for n in shown:
            if n - last > 1:
                out.append(None)
            out.append(n)
            last = n
        return out


def paginate(items: Sequence, base_url: str, per_page: int) -> list[Pagination]:
    count = max(1, ceil(len(items) / per_page))
    return [Pagination(n + 1, count, items[n * per_page:(n + 1) * per_page], base_url) for n in range(count)]


def paged(items: Sequence, base_url: str, per_page: int, most_pages: int = 0) -> tuple[list[Pagination], int]:
    """The pages of `items` (newest first), `most_pages` of them at most (all when 0), and how many
    items are left out: a province's scopes hold tens of thousands of entries that nobody pages
    through, and the last page says where the older ones are."""
    most = most_pages * per_page
    older = len(items) - most if most and len(items) > most else 0
    return paginate(items[:len(items) - older], base_url, per_page), older


def by_month(items: Sequence, month_of: Callable[[Any], tuple[int, int]]) -> list[tuple[tuple[int, int], list]]:
    """A page's entries under their (year, month), in the order given (a page is already newest first)."""
    months: dict[tuple[int, int], list] = {}
    for item in items:
        months.setdefault(month_of(item), []).append(item)
    return list(months.items())


def numbered(title: str, pager: Pagination) -> str:
    """A page's title: the scope's own on its first page, with its number on the others."""
    return title if pager.number == 1 else f"{title} – trang {pager.number}"


def _nothing(*_args) -> list:
    return []


@dataclass(frozen=True)
class Feature:
    """One part of the portal, saying what it adds: its pages, the files it writes as they are,
    its entries in the main menu, and files made from the finished list of pages (the sitemap).

    `files` needs only the site, so it is made in a second process while the pages are made.
    """

    name: str
    pages: Callable[[Any], list[Page]] = _nothing
    files: Callable[[Any], list[Asset]] = _nothing
    nav: Callable[[Any], list[NavItem]] = _nothing
    index: Callable[[Any, Sequence[Page]], list[Asset]] = _nothing

    @property
    def makes_files(self) -> bool:
        return self.files is not _nothing
