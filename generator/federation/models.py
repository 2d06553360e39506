"""A member site's export as the portal accepts it: JSON Feed 1.1 pages with Bantin's `_bantin` objects.

Everything a member sends is untrusted input.  These models say what may come (types,
lengths, counts, no unknown version); `check` then says what the pieces must agree on:
every address inside the member's own site (or inside a site it declares as its own
member, for a district re-publishing its wards), and no markup in any text.
"""
from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Optional
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..content.models import TITLE_LIMIT, Category, Key, Meeting, Opinion, Text, Topic, Unit
from ..jsonfeed import EXPORT_VERSION, VERSION

ITEMS_PER_PAGE = 1_000         # a page of the export holds at most this many items
MAX_PAGES = 1_000              # ...and an export at most this many pages
MAX_LIST = 5_000               # units, categories, topics or members a site may declare
Url = Annotated[str, Field(min_length=8, max_length=2_000, pattern=r"^https?://[^\s<>\"']+$")]
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?]|javascript:", re.IGNORECASE)


class Loose(BaseModel):
    """JSON Feed lets a feed carry fields of its own: unknown ones are ignored, never kept."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class Cover(Loose):
    url: Url
    width: Optional[int] = None
    height: Optional[int] = None


class Record(Loose):
    """An item's `_bantin` object."""

    unit: Key
    category: Key
    topics: Annotated[list[Key], Field(max_length=100)] = []
    lead: Text = ""
    cover: Optional[Cover] = None
    meeting: Optional[Meeting] = None
    opinion: Optional[Opinion] = None
    origin: Url


class Author(Loose):
    name: Optional[Text] = None


class Item(Loose):
    id: Annotated[str, Field(min_length=1, max_length=2_000)]
    url: Url
    title: Annotated[str, Field(min_length=1, max_length=TITLE_LIMIT)]
    date_published: str
    date_modified: Optional[str] = None
    authors: Annotated[list[Author], Field(max_length=20)] = []
    bantin: Record = Field(alias="_bantin")


class SiteRecord(Loose):
    """A page's `_bantin` object: the site and what its items name."""

    version: int
    site_url: Url
    units: Annotated[list[Unit], Field(max_length=MAX_LIST)]
    categories: Annotated[list[Category], Field(max_length=MAX_LIST)] = []
    topics: Annotated[list[Topic], Field(max_length=MAX_LIST)] = []
    members: Annotated[list[Url], Field(max_length=MAX_LIST)] = []

    @field_validator("version")
    @classmethod
    def _known(cls, value: int) -> int:
        if value != EXPORT_VERSION:
            raise ValueError(f"export version {value}, this portal reads version {EXPORT_VERSION}")
        return value


class Page(Loose):
    version: Literal[VERSION]  # type: ignore[valid-type]
    title: str
    next_url: Optional[Url] = None
    bantin: SiteRecord = Field(alias="_bantin")
    items: Annotated[list[Item], Field(max_length=ITEMS_PER_PAGE)]


def inside(url: str, site_url: str) -> bool:
    """Whether `url` is an address of the site at `site_url` (same scheme and host, under its path)."""
    a, b = urlsplit(url), urlsplit(site_url)
    return (a.scheme, a.netloc.lower()) == (b.scheme, b.netloc.lower()) and a.path.startswith(b.path or "/")


def texts(value: Any):
    """Every string inside a model or a structure of them."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from texts(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from texts(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from texts(v)


def check(pages: list[Page], site_url: str) -> list[str]:
    """What is wrong with a member's export as a whole (empty when the portal may use it)."""
    problems = []
    sites = {site_url}
    for page in pages:
        if page.bantin.site_url != site_url:
            problems.append(f"site_url {page.bantin.site_url} on one page, {site_url} on another")
        sites.update(page.bantin.members)
        if page.next_url and not inside(page.next_url, site_url):
            problems.append(f"next_url {page.next_url} is outside {site_url}")
    for page in pages:
        for item in page.items:
            origin = item.bantin.origin
            if origin not in sites:
                problems.append(f"{item.url}: origin {origin} is neither {site_url} nor one of its members")
            elif not inside(item.url, origin) or (item.bantin.cover and not inside(item.bantin.cover.url, origin)):
                problems.append(f"{item.url}: address outside {origin}")
            markup = next((t for t in texts(item) if _TAG.search(t)), None)
            if markup is not None:
                problems.append(f"{item.url}: markup in a text ({markup[:80]!r})")
        for entry in (*page.bantin.units, *page.bantin.categories, *page.bantin.topics):
            markup = next((t for t in texts(entry) if _TAG.search(t)), None)
            if markup is not None:
                problems.append(f"{entry.key}: markup in a name ({markup[:80]!r})")
    return problems[:20]
