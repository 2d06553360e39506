"""Bulletin pages, their schema.org data, and redirects from old addresses."""
from __future__ import annotations

import html
import json
import textwrap
from typing import Optional

from .. import search, urls
from ..linkcard import Card, CardImage, share_links
from ..content.models import Bulletin
from ..site import Site
from .base import Asset, Feature, Later, Page, headlines

MORE = 6           # newest of the category, for the side column (bantin/bulletin.html)
HEADLINE = 110     # what search engines show of a NewsArticle's headline


def publisher(site: Site) -> dict:
    """The portal's publisher for schema.org: site.yml's agency when there is one, with its details."""
    settings, agency = site.settings, site.data.agency
    out = {"@type": "GovernmentOrganization", "name": settings.publisher or settings.site_name,
           "url": settings.absolute("")}
    if agency is None:
        return out
    out["name"] = agency.name or agency.agency
    if agency.name and agency.name != agency.agency:
        out["parentOrganization"] = {"@type": "GovernmentOrganization", "name": agency.agency}
    for key, value in (("address", agency.address), ("telephone", agency.phone), ("email", agency.email)):
        if value:
            out[key] = value
    return out


def json_ld(site: Site, b: Bulletin, publisher: dict) -> str:
    """NewsArticle, and an Event for a meeting, as search engines read them."""
    settings = site.settings
    url = settings.absolute(b.url)
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": textwrap.shorten(b.title, HEADLINE, placeholder=" …"),
        "name": b.title,
        "datePublished": b.date.isoformat(),
        "dateModified": (b.updated or b.date).isoformat(),
        "inLanguage": settings.language,
        "mainEntityOfPage": url,
        "url": url,
        "articleSection": b.category.name,
        "author": ({"@type": "Person", "name": b.meta.author} if b.meta.author
                   else {"@type": "GovernmentOrganization", "name": b.unit.name}),
        "publisher": publisher,
        "sourceOrganization": {"@type": "GovernmentOrganization", "name": b.unit.name,
                               "url": settings.absolute(b.unit.url)},
        "description": b.lead,
        "keywords": [t.name for t in b.topics],
    }
    if b.meta.image:
        article["image"] = settings.absolute(b.meta.image)
    graph = [article]
    meeting = b.meta.meeting
    if meeting and meeting.start:
        event = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": b.title,
            "startDate": meeting.start.isoformat(),
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "eventStatus": "https://schema.org/EventScheduled",
            "location": {"@type": "Place", "name": meeting.location or b.unit.name,
                         "address": meeting.location or b.unit.name},
            "organizer": {"@type": "GovernmentOrganization", "name": b.unit.name},
            "url": url,
        }
        if meeting.end:
            event["endDate"] = meeting.end.isoformat()
        graph.append(event)
    # The data sits in a <script> element: no '<', '>' or '&' may reach the HTML parser as such.
    data = json.dumps(graph if len(graph) > 1 else article, ensure_ascii=False, indent=None)
    return data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def card(b: Bulletin) -> Card:
    """An article's link preview: its dates, section, topics, and its cover cut to 1200×630."""
    copy = b.cover.card if b.cover is not None else None
    image = CardImage(copy.path, copy.width, copy.height, b.meta.caption or b.title) if copy else None
    return Card("article", image, b.date, b.updated, b.category.name, tuple(t.name for t in b.topics))


def bulletin_page(site: Site, b: Bulletin, made_by: Optional[dict] = None) -> Page:
    """`made_by`: the publisher (the same for every bulletin, made once by the caller)."""
    made_by = made_by if made_by is not None else publisher(site)
    newest = site.by_category.get(b.category.key, [])[:MORE + 1]
    more = headlines([other for other in newest if other is not b][:MORE])
    chain = [u.key for u in site.ancestors(b.unit, include_self=True)]
    record = Later(lambda: search.record(site, b), "record", b, chain) if site.settings.search else None
    schema = Later(lambda: json_ld(site, b, made_by), "json_ld", b, site.settings.site_url,
                   site.settings.language, made_by)
    newer, older = site.newer.get(b.url), site.older.get(b.url)
    return Page(b.url, "bantin/bulletin.html", b.title, {
        "bulletin": b, "json_ld": schema, "search_record": record, "more": more,
        "newer": headlines([newer])[0] if newer else None, "older": headlines([older])[0] if older else None,
        "related": headlines(site.related.get(b.url, [])),
        "share": share_links(site.settings.absolute(b.url)),
    }, description=b.lead, card=card(b), section=b.category.url)


def bulletin_pages(site: Site) -> list[Page]:
    made_by = publisher(site)
    return [bulletin_page(site, b, made_by) for b in site.bulletins if not b.remote]   # members' stay on their sites


REDIRECT = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
<link rel="canonical" href="{url}"><meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={url}"></head>
<body><p>Bài viết đã chuyển đến <a href="{url}">{title}</a>.</p></body></html>
"""


def alias_path(alias: str) -> str:
    """'/tin-tuc/cu.html' -> 'tin-tuc/cu.html'; '/tin/cu/' -> 'tin/cu/index.html'."""
    return urls.file_of(urls.normal(alias))


def redirects(site: Site) -> list[Asset]:
    out = []
    for b in site.bulletins:
        for alias in b.meta.aliases:
            body = REDIRECT.format(title=html.escape(b.title), url=html.escape(site.settings.absolute(b.url)))
            out.append(Asset(alias_path(alias), body.encode("utf-8")))
    return out


FEATURE = Feature("bulletins", pages=bulletin_pages, files=redirects)
