"""JSON Feed 1.1: /feed.json and every scope's, and the paged export of every published bulletin."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from conftest import ROOT, SITE_URL
from test_feeds import FEED_ITEMS, published

VERSION = "https://jsonfeed.org/version/1.1"


def absolute(value) -> bool:
    parts = urlsplit(value) if isinstance(value, str) else None
    return bool(parts and parts.scheme in ("http", "https") and parts.netloc)


def problems(feed: dict) -> list[str]:
    """What breaks the JSON Feed 1.1 rules (jsonfeed.org/version/1.1): required fields, types, URLs."""
    out = []
    if feed.get("version") != VERSION:
        out.append(f"version {feed.get('version')!r}")
    if not isinstance(feed.get("title"), str) or not feed["title"]:
        out.append("title")
    for key in ("home_page_url", "feed_url", "next_url", "icon", "favicon"):
        if key in feed and not absolute(feed[key]):
            out.append(f"{key} {feed[key]!r} is not an absolute URL")
    for author in feed.get("authors", []):
        if not isinstance(author, dict) or not (author.get("name") or author.get("url")):
            out.append(f"author {author!r}")
    if not isinstance(feed.get("items"), list):
        return out + ["items is not an array"]
    seen = set()
    for item in feed["items"]:
        where = item.get("id")
        if not isinstance(where, str) or not where:
            out.append(f"item without an id: {item.get('url')}")
        if where in seen:
            out.append(f"item {where} twice")
        seen.add(where)
        if not isinstance(item.get("content_html", item.get("content_text")), str):
            out.append(f"{where}: neither content_html nor content_text")
        for key in ("url", "external_url", "image", "banner_image"):
            if key in item and not absolute(item[key]):
                out.append(f"{where}: {key} {item[key]!r} is not an absolute URL")
        for key in ("date_published", "date_modified"):
            if key in item:
                try:
                    if datetime.fromisoformat(item[key]).tzinfo is None:
                        out.append(f"{where}: {key} without an offset")
                except (TypeError, ValueError):
                    out.append(f"{where}: {key} {item[key]!r} is not RFC 3339")
        if "tags" in item and not all(isinstance(t, str) for t in item["tags"]):
            out.append(f"{where}: tags")
        for key in item:
            if key.startswith("_") and not isinstance(item[key], dict):
                out.append(f"{where}: extension {key} is not an object")
    return out


def local(site: Path, url: str) -> Path:
    assert url.startswith(SITE_URL), url
    return site / url[len(SITE_URL):]


def test_every_json_feed_of_the_demo_follows_the_rules_and_carries_the_record(demo_site):
    feeds = sorted(demo_site.rglob("feed.json"))
    assert demo_site / "feed.json" in feeds
    assert len(feeds) == len(list(demo_site.rglob("feed.xml")))          # one per scope, as RSS
    for path in feeds:
        feed = json.loads(path.read_text(encoding="utf-8"))
        assert problems(feed) == [], path
        assert 0 < len(feed["items"]) <= FEED_ITEMS
        assert feed["_bantin"]["site_url"] == SITE_URL
    home = json.loads((demo_site / "feed.json").read_text(encoding="utf-8"))
    newest = published(ROOT / "content")[:FEED_ITEMS]
    assert [i["url"] for i in home["items"]] == [SITE_URL + b.url for b in newest]
    meeting = next(i for i in home["items"] if i["_bantin"]["meeting"])
    bulletin = next(b for b in newest if SITE_URL + b.url == meeting["url"])
    assert [c["name"] for c in meeting["_bantin"]["meeting"]["chairs"]] == [p.name for p in bulletin.meta.meeting.chairs]
    assert meeting["_bantin"]["unit"] == bulletin.unit.key and "<p>" in meeting["content_html"]


def test_following_next_url_from_the_first_page_gives_every_published_bulletin_once(demo_site):
    from generator import jsonfeed

    bulletins = published(ROOT / "content")
    url, pages, seen = SITE_URL + "du-lieu/1.json", [], []
    while url:
        assert url not in pages, "next_url goes round in a circle"
        pages.append(url)
        page = json.loads(local(demo_site, url).read_text(encoding="utf-8"))
        assert problems(page) == [], url
        assert page["_bantin"]["version"] == jsonfeed.EXPORT_VERSION
        assert {u["key"] for u in page["_bantin"]["units"]} >= {b.unit.key for b in bulletins}
        seen += [i["url"] for i in page["items"]]
        url = page.get("next_url")
    assert sorted(seen) == sorted(SITE_URL + b.url for b in bulletins)
    assert len(pages) == -(-len(bulletins) // jsonfeed.EXPORT_PAGE)


def test_the_export_is_paged_with_next_url(tmp_path, monkeypatch):
    """Small pages, so that the paging is exercised on the demo's few dozen bulletins."""
    from generator import build as core, jsonfeed
    from test_core import settings_of

    monkeypatch.setattr(jsonfeed, "EXPORT_PAGE", 7)
    made = core.make(settings_of(ROOT, cache_dir=None, search=False, jobs=1))
    pages = {a.path: json.loads(a.content) for a in made.files if a.path.startswith("du-lieu/")}
    count = -(-len(made.site.bulletins) // 7)
    assert sorted(pages) == sorted(f"du-lieu/{n}.json" for n in range(1, count + 1))
    url, seen = SITE_URL + "du-lieu/1.json", []
    while url:
        page = pages[url[len(SITE_URL):]]
        assert problems(page) == [] and len(page["items"]) <= 7
        seen += [i["id"] for i in page["items"]]
        url = page.get("next_url")
    assert len(seen) == len(set(seen)) == len(made.site.bulletins)


def test_an_old_address_cannot_take_the_place_of_a_json_feed_or_the_export(tmp_path):
    import shutil

    from generator.content.reader import Reader

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = next((content / "bulletins").rglob("*.md"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n", "\naliases: [/du-lieu/1.json, /feed.json, /don-vi/x/feed.json]\n", 1),
                    encoding="utf-8")
    problems = [p for p in Reader(content, history=False).read().errors if p.field.startswith("aliases")]
    assert sorted(p.field for p in problems) == ["aliases[0]", "aliases[1]", "aliases[2]"], problems
