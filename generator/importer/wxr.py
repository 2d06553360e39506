"""Articles from a WordPress export (WXR): published posts, their categories, tags and photos.

The export is read with lxml, entities unresolved and nothing fetched, so that
a hostile file cannot make the importer read a local file or the network.
Posts not published on the old site (drafts, private, trash) and pages are
counted and left out.  A post's featured photo is the attachment its
`_thumbnail_id` names; its caption is the attachment's excerpt, as WordPress
keeps it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional
from zoneinfo import ZoneInfo

from lxml import etree

from . import credits
from .article import FIGURE, Article, Block
from .clean import tidy
from .html import fragment_blocks, wordpress_html

WP = "http://wordpress.org/export/"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)


def is_export(raw: bytes) -> bool:
    return WP.encode() in raw[:4000]


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _child(el, name: str, wp: bool = False) -> Optional[str]:
    for child in el:
        if _local(child) == name and (not wp or etree.QName(child).namespace.startswith(WP)):
            return (child.text or "").strip()
    return None


@dataclass
class Export:
    articles: list[Article] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)   # 'draft' -> 3, 'page' -> 2...


def read(raw: bytes, address: str, tz: ZoneInfo, *, remote: bool = False, root: str = "") -> Export:
    out = Export()
    try:
        doc = etree.fromstring(raw, PARSER)
    except etree.XMLSyntaxError:
        doc = None
    channel = doc.find("channel") if doc is not None else None
    if channel is None:
        return out
    authors = {}
    for el in channel:
        if _local(el) == "author":
            authors[_child(el, "author_login", True) or ""] = _child(el, "author_display_name", True) or ""
    items = channel.findall("item")
    attachments = {}
    for item in items:
        if _child(item, "post_type", True) == "attachment":
            attachments[_child(item, "post_id", True)] = (
                _child(item, "attachment_url", True) or _child(item, "guid") or "", tidy(_excerpt(item)))
    for item in items:
        kind = _child(item, "post_type", True) or "post"
        status = _child(item, "status", True) or "publish"
        if kind == "attachment":
            continue
        if kind != "post" or status != "publish":
            key = kind if kind != "post" else status
            out.left_out[key] = out.left_out.get(key, 0) + 1
            continue
        link = _child(item, "link") or _child(item, "guid") or f"{address}#{_child(item, 'post_id', True)}"
        article = Article(address=link, kind="wxr", remote=remote, root=root, photo_base=address)
        article.title = tidy(_child(item, "title") or "")
        article.note("title", article.title, article.title)
        posted = _child(item, "post_date", True)
        try:
            article.published = datetime.strptime(posted or "", "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz)
            article.note("date", article.published, f"wp:post_date {posted}")
        except ValueError:
            pass
        content = next((c.text or "" for c in item if _local(c) == "encoded"
                        and etree.QName(c).namespace == "http://purl.org/rss/1.0/modules/content/"), "")
        article.blocks = fragment_blocks(wordpress_html(content))
        sections = [tidy(c.text or "") for c in item.findall("category") if c.get("domain") == "category"]
        article.tags = [tidy(c.text or "") for c in item.findall("category") if c.get("domain") == "post_tag"]
        if sections:
            article.section = sections[0]
            article.note("section", article.section, ", ".join(sections))
        if link.startswith(("http://", "https://")):
            article.old_url = link
        thumb = next((_child(meta, "meta_value", True) for meta in item if _local(meta) == "postmeta"
                      and _child(meta, "meta_key", True) == "_thumbnail_id"), None)
        if thumb in attachments:
            url, caption = attachments[thumb]
            if url and not any(b.src == url for b in article.blocks):
                article.cover = Block(FIGURE, caption, url)
        credits.take(article)
        creator = authors.get(_child(item, "creator") or "", "") or ""
        named = credits.byline(tidy(creator)) if creator else None
        if not article.author and named:
            article.author = named
            article.note("author", named, f"tác giả trên trang cũ: {creator}")
        out.articles.append(article)
    return out


def _excerpt(item) -> str:
    """An attachment's caption: its excerpt, as WordPress keeps it."""
    for child in item:
        if _local(child) == "encoded" and "excerpt" in (etree.QName(child).namespace or ""):
            return child.text or ""
    return ""
