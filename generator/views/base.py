"""What a view produces: pages for the theme to render, and files to write as they are."""
from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil
from typing import Any, Sequence


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

    @property
    def src_uri(self) -> str:
        """The virtual Markdown file that stands for this page in MkDocs."""
        return f"{self.url}index.md" if self.url else "index.md"


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
