"""What a view produces: pages for the theme to render, and files to write as they are."""
from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil
from typing import Any, Optional, Sequence

from ..cache import Uncacheable, digest, fingerprint


@dataclass(frozen=True)
class FeedLink:
    title: str
    url: str          # site path, e.g. 'chuyen-muc/x/feed.xml'
    type: str         # 'application/rss+xml' | 'application/atom+xml'


@dataclass
class Page:
    url: str                              # site path: '' for home, 'chuyen-muc/x/' ...
    template: str                         # theme template, e.g. 'bantin/listing.html'
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    feeds: list[FeedLink] = field(default_factory=list)
    # What the page's template reads besides `context` (a bulletin's neighbours, the side
    # column's newest...). None: the view does not say, and the page is rendered every time.
    depends: Optional[tuple] = None

    def key(self, site_digest: str) -> Optional[str]:
        """The page's cache key: it changes whenever anything the page shows changes."""
        if self.depends is None:
            return None
        try:
            return digest(site_digest, self.template, self.url, self.title, self.description,
                          fingerprint(self.feeds), fingerprint(self.context), fingerprint(self.depends))
        except Uncacheable:
            return None

    @property
    def src_uri(self) -> str:
        """The virtual Markdown file that stands for this page in MkDocs."""
        return f"{self.url}index.md" if self.url else "index.md"


def headlines(bulletins: Sequence) -> list[tuple]:
    """What a side column shows of each bulletin: address, title and date."""
    return [(b.url, b.title, b.date) for b in bulletins]


@dataclass
class Asset:
    path: str                             # site path of the file, e.g. 'feed.xml'
    content: bytes


@dataclass
class Pagination:
    number: int
    count: int
    items: Sequence
    base_url: str

    def url(self, number: int) -> str:
        return self.base_url if number <= 1 else f"{self.base_url}trang/{number}/"

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
