"""Articles from an RSS 2.0 or Atom feed: one per item, read by feedparser.

The full text is taken where the feed carries it (`content:encoded`, Atom
`content`); a feed that carries only a summary gives a bulletin marked for a
human look, with the old page's address to copy the rest from.
"""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import feedparser

from . import credits
from .article import PARAGRAPH, Article, Block
from .clean import tidy
from .html import fragment_blocks


def _html(value: dict) -> str:
    return value.get("value", "") if "html" in value.get("type", "html") else ""


def read(raw: bytes, address: str, tz: ZoneInfo, *, remote: bool = False, root: str = "") -> list[Article]:
    headers = {"content-location": address} if remote else {}
    parsed = feedparser.parse(raw, response_headers=headers, sanitize_html=True, resolve_relative_uris=remote)
    out = []
    for i, entry in enumerate(parsed.entries):
        link = entry.get("link") or entry.get("id") or f"{address}#{i + 1}"
        article = Article(address=link, kind="feed", remote=remote, root=root,
                          photo_base=link if remote else address)
        article.title = tidy(entry.get("title", ""))
        article.note("title", article.title, entry.get("title", ""))
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            article.published = datetime(*stamp[:6], tzinfo=timezone.utc).astimezone(tz)
            article.note("date", article.published, entry.get("published") or entry.get("updated", ""))
        contents = sorted((c for c in entry.get("content", []) if c.get("value")), key=lambda c: len(c["value"]))
        body = _html(contents[-1]) if contents else ""
        if not body:
            body = entry.get("summary", "")
            if body:
                article.review.append(f"Nguồn tin chỉ có phần tóm tắt; chép phần còn lại từ {link}.")
        if contents and "html" not in contents[-1].get("type", "html"):
            article.blocks = [Block(PARAGRAPH, tidy(p)) for p in contents[-1]["value"].split("\n\n") if p.strip()]
        else:
            article.blocks = fragment_blocks(body)
        tags = [tidy(t.get("term", "")) for t in entry.get("tags", []) if t.get("term")]
        if tags:
            article.section, article.tags = tags[0], tags[1:]
            article.note("section", article.section, ", ".join(tags))
        if link.startswith(("http://", "https://")):
            article.old_url = link
        credits.take(article)
        author = entry.get("author_detail", {}).get("name") or entry.get("author") or ""
        named = credits.byline(tidy(author)) if "@" not in author else None
        if not article.author and named:
            article.author = named
            article.note("author", named, author)
        out.append(article)
    return out
