"""JSON Feed 1.1: /feed.json and one per scope (the newest `feed_items`), and the export.

The export (`du-lieu/1.json`, `du-lieu/2.json`...) is every published bulletin, newest
first, EXPORT_PAGE bulletins a page, each page naming the next in `next_url`: what a
federation portal (federation/) and any other tool reads to reuse a site's bulletins.
Each item carries the record in a `_bantin` extension object (unit, category, topics,
lead, cover, meeting, opinion); each feed carries, in its own `_bantin`, the export's
version, the site's address and its units, categories and topics.  A portal's export
holds its members' bulletins too, at their own addresses, with the site they come from.
"""
from __future__ import annotations

import json
from math import ceil
from typing import Callable, Optional, Sequence

from . import urls
from .cache import fingerprint
from .content.models import Bulletin
from .feeds import FeedBuilder, entry_id
from .site import Site
from .vietnamese import nfc
from .views.base import Asset, Feature
from .views.listings import scope_title, scopes

VERSION = "https://jsonfeed.org/version/1.1"
EXPORT_VERSION = 1          # of the `_bantin` objects; a reader refuses a version it does not know
EXPORT_PAGE = 200           # bulletins per page of the export


def cover(site: Site, b: Bulletin) -> Optional[dict]:
    """The cover as the site serves it: its largest copy no wider than a page shows, with its size."""
    if b.origin is not None:
        return {"url": b.origin.cover} if b.origin.cover else None
    if b.cover is None:
        return None
    path, width = b.cover.candidates[-1]
    return {"url": site.settings.absolute(path), "width": width,
            "height": round(b.cover.height * width / b.cover.width) if b.cover.width else b.cover.height}


def record(site: Site, b: Bulletin) -> dict:
    """The `_bantin` object of one item: the bulletin's structured data."""
    m = b.meta
    return {
        "unit": b.unit.key,
        "category": b.category.key,
        "topics": [t.key for t in b.topics],
        "lead": nfc(b.lead),
        "cover": cover(site, b),
        "meeting": m.meeting.model_dump(mode="json", exclude_defaults=True) if m.meeting else None,
        "opinion": m.opinion.model_dump(mode="json", exclude_defaults=True) if m.opinion else None,
        "origin": b.origin.site_url if b.origin else site.settings.absolute(""),
    }


def item(site: Site, b: Bulletin, content: Optional[str] = None) -> dict:
    """One bulletin as a JSON Feed item; `content` is its HTML (the export carries the lead as text)."""
    settings = site.settings
    out = {
        "id": b.origin.id if b.origin else entry_id(settings, b),
        "url": settings.absolute(b.url),
        "title": nfc(b.title),
    }
    if content:
        out["content_html"] = content
    else:
        out["content_text"] = nfc(b.lead or b.title)
    if b.lead:
        out["summary"] = nfc(b.lead)
    shown = cover(site, b)
    if shown:
        out["image"] = shown["url"]
    out["date_published"] = b.date.isoformat()
    if b.meta.updated:
        out["date_modified"] = b.meta.updated.isoformat()
    out["authors"] = [{"name": nfc(b.meta.author or b.unit.name)}]
    out["tags"] = list(dict.fromkeys([b.category.name, *(t.name for t in b.topics)]))
    out["language"] = settings.language
    out["_bantin"] = record(site, b)
    return out


def site_record(site: Site, **more) -> dict:
    """The feed's `_bantin` object: what a reader needs to place the items (units, categories, topics)."""
    data = site.data
    return {
        "version": EXPORT_VERSION,
        "site_url": site.settings.absolute(""),
        "units": [u.model_dump(mode="json", exclude_none=True) for u in data.units.values()],
        "categories": [c.model_dump(mode="json", exclude_none=True) for c in data.categories.values()],
        "topics": [site.topic(k).model_dump(mode="json", exclude_none=True) for k in site.by_topic],
        "members": sorted({b.origin.site_url for b in site.bulletins if b.origin}),
        **more,
    }


def feed(site: Site, title: str, path: str, home: str, bulletins: Sequence[Bulletin], item_of: Callable[[Bulletin], dict],
         record: tuple[dict, str], **extension) -> Asset:
    """One JSON Feed file of `bulletins`, each as `item_of(b)`; `record` is `site_record(site)`
    with its fingerprint, made once for all of a build's feeds (its member list is a walk over every
    bulletin: a province has a hundred thousand).  The file is kept between builds by what it is
    made of (pieces.py): after an edit, only the files that show the edited bulletin are made."""
    def make() -> bytes:
        settings = site.settings
        body = {
            "version": VERSION,
            "title": nfc(title),
            "home_page_url": settings.absolute(home),
            "feed_url": settings.absolute(path),
            "language": settings.language,
        }
        more = dict(extension)
        if more.get("next_url"):
            body["next_url"] = more.pop("next_url")
        if settings.site_description:
            body["description"] = nfc(settings.site_description)
        body["authors"] = [{"name": nfc(settings.publisher or settings.site_name), "url": settings.absolute("")}]
        body["_bantin"] = {**record[0], **more}
        body["items"] = [item_of(b) for b in bulletins]
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    return Asset(path, site.pieces.file("json-feed-file", make, title, path, home, list(bulletins), record[1],
                                        sorted(extension.items())))


def records(site: Site) -> tuple[dict, str]:
    """`site_record(site)` and its fingerprint, which the key of each file names."""
    record = site_record(site)
    return record, fingerprint(record)


def feed_files(site: Site) -> list[Asset]:
    """/feed.json and each scope's, of the newest `feed_items` bulletins with their full content."""
    builder = FeedBuilder(site)
    count = site.settings.feed_items
    name = site.settings.site_name

    def item_of(b: Bulletin) -> dict:
        return site.pieces.data("json-item", lambda: item(site, b, builder.content(b)), b)

    record = records(site)
    out = [feed(site, name, urls.json_feed(), urls.HOME, site.bulletins[:count], item_of, record)]
    for kind, key, url, scoped in scopes(site):
        out.append(feed(site, f"{scope_title(site, kind, key)} — {name}", urls.json_feed(url), url, scoped[:count],
                        item_of, record))
    return out


def export_files(site: Site) -> list[Asset]:
    """Every published bulletin, EXPORT_PAGE a page, each page pointing at the next."""
    bulletins = site.bulletins
    count = max(1, ceil(len(bulletins) / EXPORT_PAGE))
    record = records(site)

    def item_of(b: Bulletin) -> dict:
        return site.pieces.data("json-export-item", lambda: item(site, b), b)

    out = []
    for n in range(1, count + 1):
        chunk = bulletins[(n - 1) * EXPORT_PAGE:n * EXPORT_PAGE]
        more = {"next_url": site.settings.absolute(urls.export_page(n + 1))} if n < count else {}
        out.append(feed(site, f"{site.settings.site_name} — dữ liệu tin bài, trang {n}/{count}",
                        urls.export_page(n), urls.HOME, chunk, item_of, record,
                        page=n, pages=count, total=len(bulletins), **more))
    return out


FEATURE = Feature("json-feed", files=lambda site: feed_files(site) + export_files(site))
