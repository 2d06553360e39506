"""RSS 2.0 and Atom 1.0 feeds for the whole portal and for each category, unit and topic.

Readers subscribe to the portal, one category, one unit (with its sub-units) or
one topic; each gets `feed.xml` (RSS) and `atom.xml` (Atom) in its folder, the
portal's pair at the root.  A feed holds the scope's newest `feed_items`
bulletins, newest first, with full HTML content whose every URL is absolute.

Two builds of the same content give byte-identical feeds: nothing depends on
the build's clock (a channel's `lastBuildDate`/`updated` is its newest item's
date) and every list has a fixed order.

Entry ids are tag URIs (RFC 4151) that survive edits of title, body and slug:
`tag:<host>,<YYYY-MM>:<base path><original path>`, where the original path is
the bulletin's first alias that has the shape of a bulletin address
(`/YYYY/MM/slug/`), else its current address.  So an editor who changes a slug
lists the old address first under `aliases` (oldest first) and readers do not
see the bulletin twice; a title edit with an explicit `slug` changes nothing.

feedgen needs care: the RSS channel `<link>` is the last `link()` set whatever
its rel (so the self link goes first), `add_entry()` prepends unless told to
append, `lastBuildDate` defaults to the clock, and an RSS `<author>` without an
e-mail address is dropped (bylines go into `dc:creator` instead).
"""
from __future__ import annotations

import html
import os
import re
from datetime import datetime, timedelta, timezone
from typing import Iterable, Sequence
from urllib.parse import quote, urljoin, urlsplit
from zoneinfo import ZoneInfo

import lxml.html
from feedgen.feed import FeedGenerator
from lxml import etree
from lxml.etree import ParserError

from .config import Settings
from .content.models import Bulletin
from .feedrecord import record_html
from .site import Site
from .vietnamese import fold, nfc
from .views.base import ATOM_TYPE, RSS_TYPE, Asset, Feature, FeedLink, feed_links
from .views.listings import scope_title, scopes

GENERATOR = "Bantin"
BULLETIN_PATH = re.compile(r"^/?(\d{4})/(0[1-9]|1[0-2])/[^/?#]+/?$")
EMPTY_UPDATED = datetime(1970, 1, 1, tzinfo=timezone.utc)   # a portal with nothing published yet
URL_SAFE = "/:@!$&'()*+,;=-._~%"


def site_feeds(settings: Settings) -> list[FeedLink]:
    """The portal's own pair, advertised on every page."""
    return feed_links(settings.site_name, "")


# ------------------------------------------------------------------ ids and content

def original_path(b: Bulletin) -> str:
    """The first address the bulletin had: its oldest bulletin-shaped alias, else its address."""
    for alias in b.meta.aliases:
        if BULLETIN_PATH.match(alias):
            return alias.strip("/") + "/"
    return b.url


def entry_id(settings: Settings, b: Bulletin) -> str:
    if b.origin is not None:            # a member's bulletin keeps the id its own site gave it
        return b.origin.id
    path = original_path(b)
    year, month = BULLETIN_PATH.match(path).groups()
    host = urlsplit(settings.site_url).hostname.encode("idna").decode("ascii")
    return f"tag:{host},{year}-{month}:{quote(settings.base_path + path, safe=URL_SAFE)}"


def _absolute_srcset(value: str, base: str) -> str:
    parts = []
    for candidate in value.split(","):
        words = candidate.split()
        if words:
            parts.append(" ".join([urljoin(base, words[0]), *words[1:]]))
    return ", ".join(parts)


def absolute_html(fragment: str, base: str) -> str:
    """The fragment with every URL (href, src, srcset, ...) resolved against the page's address."""
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return html.escape(fragment)
    root.make_links_absolute(base, resolve_base_href=False, handle_failures="discard")
    for el in root.iter():
        if isinstance(el.tag, str) and el.get("srcset"):
            el.set("srcset", _absolute_srcset(el.get("srcset"), base))
    inner = html.escape(root.text or "", quote=False)
    return inner + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


def cover_html(settings: Settings, b: Bulletin) -> str:
    """The cover as its largest resized copy, with its size (a feed reader downloads no original)."""
    image = b.meta.image
    if not image:
        return ""
    src, size = settings.absolute(image) if image.startswith("/") else image, ""
    if b.cover is not None:
        src = settings.absolute(b.cover.fallback)
        shown = b.cover.copies[-1] if b.cover.copies else b.cover
        size = f' width="{shown.width}" height="{shown.height}"'
    alt = html.escape(b.meta.caption or b.title)
    caption = f"<figcaption>{html.escape(b.meta.caption)}</figcaption>" if b.meta.caption else ""
    return f'<figure><img src="{html.escape(src)}" alt="{alt}"{size}>{caption}</figure>'


def content_html(settings: Settings, b: Bulletin) -> str:
    """Cover photo, the meeting card and the opinion block, then the body, as a feed reader shows
    them away from the site; a member's bulletin, whose body stays on its own site, by its lead."""
    if b.origin is not None:
        return f"<p>{html.escape(nfc(b.lead or b.title))}</p>"
    link = settings.absolute(b.url)
    return absolute_html(cover_html(settings, b) + record_html(b, settings.absolute) + b.body_html, link)


THUMBNAIL = 640          # the width of the cover's copy a feed names as the entry's picture
IMAGE_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


def thumbnail(b: Bulletin):
    """(copy, bytes, MIME type) of the cover's resized copy nearest THUMBNAIL wide, or None."""
    if b.cover is None or not b.cover.copies:
        return None
    copy = min(b.cover.copies, key=lambda c: abs(c.width - THUMBNAIL))
    try:
        size = copy.file.stat().st_size
    except OSError:
        return None
    return copy, size, IMAGE_TYPES.get(os.path.splitext(copy.path)[1].lower(), "image/jpeg")


def distinct(stamps: list[datetime]) -> list[datetime]:
    """Each entry's `updated` apart from the others': a feed reader tells revisions apart by it,
    and editors give minutes, so three wards posting at 8:00 would share one. The later ones in
    the feed are moved on by a second each, which keeps the minute the editor gave."""
    seen: set[datetime] = set()
    out = []
    for when in stamps:
        while when in seen:
            when += timedelta(seconds=1)
        seen.add(when)
        out.append(when)
    return out


def categories(b: Bulletin) -> list[tuple[str, str, str]]:
    """(term, label, scheme path) of the section, then the topics, each name once (a topic may be
    named as the section is)."""
    out, seen = [], set()
    for term, label, url in [(b.category.key, b.category.name, b.category.url),
                             *((t.key, t.name, t.url) for t in b.topics)]:
        name = fold(label)
        if name not in seen:
            seen.add(name)
            out.append((term, label, url))
    return out


# ------------------------------------------------------------------ feeds

class FeedBuilder:
    """Makes the feeds of one site; each bulletin's entry content is made once (see pieces.py)."""

    def __init__(self, site: Site):
        self.site = site
        self.settings = site.settings
        self.tz = ZoneInfo(self.settings.timezone)
        self.enclosures: dict[str, dict[str, str]] = {}    # Atom link attributes by href (see _enclosures)

    def local(self, when: datetime) -> datetime:
        return when.astimezone(self.tz)

    def updated(self, b: Bulletin) -> datetime:
        """The editor's `updated` only: a commit that touched the file (a typo, a mass
        reformat) is not news, and must not bring every entry back to readers."""
        edited = b.meta.updated
        return self.local(max(edited, b.date) if edited else b.date)

    def content(self, b: Bulletin) -> str:
        return self.site.pieces.text("feed-content", lambda: content_html(self.settings, b), b)

    def add_entry(self, fg: FeedGenerator, b: Bulletin, updated: datetime) -> None:
        settings = self.settings
        fe = fg.add_entry(order="append")
        fe.guid(entry_id(settings, b), permalink=False)
        fe.title(nfc(b.title))
        fe.link(href=settings.absolute(b.url), rel="alternate", type="text/html")
        if b.lead:
            # The lead is text, given as escaped HTML (readers take an RSS description, and an Atom
            # summary of type html, as HTML): '<img onerror=...>' stays words.  feedgen's
            # description() also sets the Atom content, so the content is set after it.
            fe.description(html.escape(nfc(b.lead), quote=False))
        fe.content(self.content(b), type="html")
        if b.lead:
            fe.summary(html.escape(nfc(b.lead), quote=False), type="html")
        byline = nfc(b.meta.author or b.unit.name)
        fe.author(name=byline)
        fe.dc.dc_creator(byline)
        fe.published(self.local(b.date))
        fe.updated(updated)
        for term, label, url in categories(b):
            fe.category(term=term, label=nfc(label), scheme=settings.absolute(url))
        picture = thumbnail(b)
        if picture is not None:
            copy, size, kind = picture
            url = settings.absolute(copy.path)
            fe.media.thumbnail(url=url, width=str(copy.width), height=str(copy.height))
            fe.link(href=url, rel="enclosure", type=kind, length=str(size))
            self.enclosures[url] = {"rel": "enclosure", "type": kind, "length": str(size)}

    def feeds(self, title: str, description: str, url: str, items: Sequence[Bulletin],
              links: Iterable[FeedLink]) -> list[Asset]:
        """The RSS and Atom files of one scope: `links` name them, `url` is the scope's page.
        Each is kept between builds by what it shows (pieces.py): an edit makes only the feeds
        that carry the edited bulletin again."""
        items = list(items)[:self.settings.feed_items]
        made: list[FeedGenerator] = []

        def generator() -> FeedGenerator:
            if not made:
                made.append(self.generator(title, description, items))
            return made[0]

        # An enclosure's length is its file's: the copy's bytes are Pillow's, not the bulletin's.
        lengths = [picture[1] if picture else None for picture in map(thumbnail, items)]
        return [Asset(link.url, self.site.pieces.file(
            "feed-file", lambda link=link: self.render(generator(), link, url),
            title, description, url, items, lengths, link))
            for link in links if link.type in (RSS_TYPE, ATOM_TYPE)]     # the JSON Feed beside them is jsonfeed.py's

    def generator(self, title: str, description: str, items: Sequence[Bulletin]) -> FeedGenerator:
        settings = self.settings
        fg = FeedGenerator()
        fg.load_extension("dc", atom=False, rss=True)
        fg.load_extension("media", atom=False, rss=True)
        fg.title(nfc(title))
        fg.description(nfc(description or title))
        fg.language(settings.language)
        fg.generator(GENERATOR)
        fg.author(name=nfc(settings.publisher or settings.site_name))
        stamps = distinct([self.updated(b) for b in items])
        for b, updated in zip(items, stamps):
            self.add_entry(fg, b, updated)
        fg.updated(max(stamps, default=EMPTY_UPDATED))
        return fg

    def render(self, fg: FeedGenerator, link: FeedLink, url: str) -> bytes:
        """One feed file of `fg`: RSS or Atom, as `link` says."""
        settings = self.settings
        atom = link.type == ATOM_TYPE
        self_url = settings.absolute(link.url)
        # Self first: feedgen's RSS <link> is the last link set.
        fg.link(href=self_url, rel="self", type=link.type, replace=True)
        fg.link(href=settings.absolute(url), rel="alternate", type="text/html")
        fg.id(self_url)
        return _markup_as_text(_enclosures(fg.atom_str(pretty=True), self.enclosures)) if atom \
            else fg.rss_str(pretty=True)


_TAG_LIKE = re.compile(r"<[a-zA-Z][^>]*>")
ATOM_NS = "{http://www.w3.org/2005/Atom}"


def _enclosures(atom: bytes, enclosures: dict[str, dict[str, str]]) -> bytes:
    """feedgen writes an Atom entry's links without their rel, type and length (its loop reads them
    from the element it has just made): an enclosure would pass for a second alternate link."""
    if not enclosures:
        return atom
    root = etree.fromstring(atom)
    for link in root.iter(ATOM_NS + "link"):
        for name, value in enclosures.get(link.get("href"), {}).items():
            link.set(name, value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _markup_as_text(atom: bytes) -> bytes:
    """Atom titles that hold something like a tag ('<script>' written by an editor, as words) are
    given as escaped HTML: a reader shows the words, and no checker takes them for markup."""
    if not _TAG_LIKE.search(atom.decode("utf-8", "replace")):
        return atom
    root = etree.fromstring(atom)
    for title in root.iter(ATOM_NS + "title"):
        if title.get("type") in (None, "text") and _TAG_LIKE.search(title.text or ""):
            title.set("type", "html")
            title.text = html.escape(title.text, quote=False)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def feed_assets(site: Site) -> list[Asset]:
    """Every feed of the site: the portal's pair, then each scope's."""
    settings = site.settings
    builder = FeedBuilder(site)
    name = settings.site_name
    out = builder.feeds(name, settings.site_description or name, "", site.bulletins, site_feeds(settings))
    for kind, key, url, items in scopes(site):
        title = scope_title(site, kind, key)
        out += builder.feeds(f"{title} — {name}", scope_description(site, kind, key, title), url, items,
                             feed_links(title, url))
    return out


def scope_description(site: Site, kind: str, key: str, title: str) -> str:
    if kind == "category":
        return site.category(key).description or title
    if kind == "topic":
        return site.topic(key).description or f"Tin bài theo chủ đề {site.topic(key).name}"
    unit = site.unit(key)
    below = " và các đơn vị trực thuộc" if site.children(unit) else ""
    return f"Tin bài của {unit.name}{below}"


FEATURE = Feature("feeds", files=feed_assets)
