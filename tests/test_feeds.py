"""Feeds: valid for a strict checker, one pair per scope, reproducible, ids that survive edits."""
from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import lxml.html
import yaml
from lxml import etree

from conftest import feedcheck_path, ROOT, SITE_URL, bantin, make_project
from generator.content.reader import Reader

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ATOM = "{http://www.w3.org/2005/Atom}"
SCOPE_DIRS = ("chuyen-muc", "don-vi", "chu-de")


def feed_items_setting() -> int:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "bantin" in plugin:
            return (plugin["bantin"] or {}).get("feed_items", 20)
    return 20


FEED_ITEMS = feed_items_setting()


def all_feeds(site: Path) -> list[Path]:
    return sorted([*site.rglob("feed.xml"), *site.rglob("atom.xml")])


def feedcheck(*args: str) -> subprocess.CompletedProcess:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return subprocess.run([sys.executable, str(feedcheck_path()), "--now", now, "--lang", "vi",
                           "--max-items", str(FEED_ITEMS), *args], capture_output=True, text=True)


def rss_items(path: Path) -> list[dict]:
    """(title, link, guid, pubDate, content) of each RSS item, in feed order."""
    channel = etree.parse(str(path)).getroot().find("channel")
    return [{"title": it.findtext("title"), "link": it.findtext("link"), "id": it.findtext("guid"),
             "date": it.findtext("pubDate"),
             "content": it.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")}
            for it in channel.findall("item")]


def atom_entries(path: Path) -> list[dict]:
    feed = etree.parse(str(path)).getroot()
    return [{"title": en.findtext(f"{ATOM}title"), "id": en.findtext(f"{ATOM}id"),
             "link": next(l.get("href") for l in en.findall(f"{ATOM}link") if l.get("rel", "alternate") == "alternate")}
            for en in feed.findall(f"{ATOM}entry")]


def published(content: Path):
    """The bulletins a build publishes, newest first, read straight from the content folder."""
    return Reader(content, now=datetime.now(VN), history=False).read_or_raise().bulletins


# ------------------------------------------------------------------ the demo build

def test_every_feed_of_the_demo_passes_the_strict_checker(demo_site):
    feeds = all_feeds(demo_site)
    scopes = [d for kind in SCOPE_DIRS for d in (demo_site / kind).iterdir() if (d / "index.html").exists()]
    assert (demo_site / "feed.xml").exists() and (demo_site / "atom.xml").exists()
    assert scopes and all((d / "feed.xml").exists() and (d / "atom.xml").exists() for d in scopes)
    result = feedcheck("--site", str(demo_site), "--site-url", SITE_URL, *map(str, feeds))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
    assert result.stdout.strip().splitlines()[-1].endswith(" 0 failed")


def test_a_scope_feed_holds_exactly_its_newest_items(demo_site):
    bulletins = published(ROOT / "content")
    assert len(bulletins) > FEED_ITEMS, "the demo should have more bulletins than one feed shows"

    def expect(items):
        return [SITE_URL + b.url for b in items][:FEED_ITEMS]

    assert [i["link"] for i in rss_items(demo_site / "feed.xml")] == expect(bulletins)
    assert [i["link"] for i in atom_entries(demo_site / "atom.xml")] == expect(bulletins)

    category = max({b.category.key for b in bulletins}, key=lambda k: sum(b.category.key == k for b in bulletins))
    items = rss_items(demo_site / "chuyen-muc" / category / "feed.xml")
    wanted = [b for b in bulletins if b.category.key == category]
    assert [i["link"] for i in items] == expect(wanted)
    assert [i["title"] for i in items] == [b.title for b in wanted][:FEED_ITEMS]
    assert items[0]["date"] == wanted[0].date.astimezone(VN).strftime("%a, %d %b %Y %H:%M:%S +0700")

    # A unit's feed takes in its sub-units' bulletins too.
    units = yaml.safe_load((ROOT / "content" / "units.yml").read_text(encoding="utf-8"))
    parents = {u["key"]: u.get("parent") for u in units}

    def under(unit_key, key):
        while key:
            if key == unit_key:
                return True
            key = parents.get(key)
        return False

    parent = next(p for p in dict.fromkeys(parents.values()) if p and any(b.unit.key != p and under(p, b.unit.key)
                                                                         for b in bulletins))
    wanted = [b for b in bulletins if under(parent, b.unit.key)]
    assert [e["link"] for e in atom_entries(demo_site / "don-vi" / parent / "atom.xml")] == expect(wanted)

    topic = bulletins[0].topics[0].key
    wanted = [b for b in bulletins if topic in {t.key for t in b.topics}]
    assert [i["link"] for i in rss_items(demo_site / "chu-de" / topic / "feed.xml")] == expect(wanted)


def test_listing_pages_advertise_their_own_feeds(demo_site):
    checked = 0
    for kind in SCOPE_DIRS:
        for feed in sorted((demo_site / kind).glob("*/feed.xml")):
            folder = feed.parent
            own = {SITE_URL + folder.relative_to(demo_site).as_posix() + f"/{name}" for name in ("feed.xml", "atom.xml")}
            for page in [folder / "index.html", *sorted(folder.glob("trang/*/index.html"))]:
                url = SITE_URL + page.parent.relative_to(demo_site).as_posix() + "/"
                doc = lxml.html.parse(str(page)).getroot()
                advertised = {urljoin(url, l.get("href")) for l in doc.xpath('//head/link[@rel="alternate"]')}
                assert own | {SITE_URL + "feed.xml", SITE_URL + "atom.xml"} <= advertised, page
                visible = {urljoin(url, a.get("href")) for a in doc.xpath('//*[contains(@class, "bt-feeds")]//a')}
                assert own <= visible, page
                checked += 1
    assert checked > len(SCOPE_DIRS)
    bulletin = next(demo_site.glob("20*/*/*/index.html"))
    head = lxml.html.parse(str(bulletin)).getroot().xpath('//head/link[@rel="alternate"]/@type')
    assert {"application/rss+xml", "application/atom+xml"} <= set(head)


def test_two_builds_give_identical_feeds(demo_site, tmp_path):
    again = tmp_path / "site"
    bantin("build", "--quiet", "--site-dir", str(again))
    first = {p.relative_to(demo_site): p.read_bytes() for p in all_feeds(demo_site)}
    second = {p.relative_to(again): p.read_bytes() for p in all_feeds(again)}
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []


# ------------------------------------------------------------------ edits between builds

def _edit(path: Path, title: str, **fields: str) -> None:
    """What an editor does to one bulletin: a new title, and other fields set or replaced."""
    text = path.read_text(encoding="utf-8")
    for name in fields:
        text = re.sub(rf"^{name}:.*\n", "", text, flags=re.M)
    extra = "".join(f"\n{name}: {value}" for name, value in fields.items())
    text, n = re.subn(r"^title:.*$", lambda m: f"title: '{title}'{extra}", text, count=1, flags=re.M)
    assert n == 1, path
    path.write_text(text, encoding="utf-8")


def _one_line_title(content: Path, b) -> bool:
    """The title sits on one line of the file, so that a test can rewrite it."""
    return re.search(r"^title: *[^\s>|]", (content.parent / b.source_path).read_text(encoding="utf-8"), re.M) is not None


def test_title_edits_keep_entry_ids_and_content_urls_are_absolute(tmp_path):
    project = make_project(tmp_path / "project")
    content = project / "content"
    media = sorted((content / "media").rglob("*.jpg"))
    assert media, "the demo content ships photos"
    image = "/" + media[0].relative_to(content).as_posix()
    units = yaml.safe_load((content / "units.yml").read_text(encoding="utf-8"))
    when = (datetime.now(VN) - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    tricky = content / "bulletins" / "feed-test.md"
    tricky.write_text(f"""---
title: Bài kiểm tra nguồn tin
date: {when}
category: dang-doan-the
unit: {units[0]["key"]}
summary: Nội dung có liên kết tương đối, ảnh nhiều độ phân giải và mã độc.
---

Xem [chuyên mục](/chuyen-muc/dang-doan-the/) và [phần kết luận](#ket-luan).

<p><img src="{image}" srcset="{image} 1x, {image} 2x" alt="Ảnh" onerror="alert(1)"></p>

<script>alert("x")</script>

<p id="ket-luan">Kết luận của hội nghị.</p>
""", encoding="utf-8")
    bulletins = [b for b in published(content)
                 if b.source_path != "content/bulletins/feed-test.md" and _one_line_title(content, b)]
    keep, move = bulletins[0], next(b for b in bulletins if b.category.key != bulletins[0].category.key
                                    and not b.meta.aliases)
    before = tmp_path / "before"
    bantin("build", "--quiet", "--config-file", str(project / "mkdocs.yml"), "--site-dir", str(before), cwd=project)
    # One editor fixes a title and keeps the address; another retitles, re-slugs and lists the old address.
    _edit(project / keep.source_path, "Tiêu đề đã sửa lại cho đúng", slug=keep.slug)
    _edit(project / move.source_path, "Một tiêu đề hoàn toàn mới sau khi biên tập",
          slug="tieu-de-moi-sau-bien-tap", aliases=f"['/{move.url}']")
    after = tmp_path / "after"
    bantin("build", "--quiet", "--config-file", str(project / "mkdocs.yml"), "--site-dir", str(after), cwd=project)

    scope = Path("chuyen-muc") / keep.category.key
    for name in ("feed.xml", "atom.xml"):
        result = feedcheck("--site", str(after), "--site-url", SITE_URL, "--previous", str(before / scope / name),
                           str(after / scope / name))
        assert result.returncode == 0, result.stdout[-4000:]
        assert "ids.stable" not in result.stdout
    old = {i["link"]: i for i in rss_items(before / scope / "feed.xml")}
    new = {i["link"]: i for i in rss_items(after / scope / "feed.xml")}
    link = SITE_URL + keep.url
    assert new[link]["title"] == "Tiêu đề đã sửa lại cho đúng" != old[link]["title"]
    assert new[link]["id"] == old[link]["id"]

    # The retitled bulletin has a new address but the same id, in RSS and in Atom.
    moved = Path("chuyen-muc") / move.category.key
    for read, name in ((rss_items, "feed.xml"), (atom_entries, "atom.xml")):
        old_item = next(i for i in read(before / moved / name) if i["link"] == SITE_URL + move.url)
        new_item = next(i for i in read(after / moved / name) if i["title"].startswith("Một tiêu đề hoàn toàn mới"))
        assert new_item["link"] != old_item["link"]
        assert new_item["id"] == old_item["id"]

    # Content away from the site: every URL absolute, nothing that runs.
    result = feedcheck("--site", str(after), "--site-url", SITE_URL, *map(str, all_feeds(after)))
    assert result.returncode == 0, result.stdout[-4000:]
    item = next(i for i in rss_items(after / "feed.xml") if i["title"] == "Bài kiểm tra nguồn tin")
    body = lxml.html.fragment_fromstring(item["content"], create_parent="div")
    page = item["link"]
    assert SITE_URL + "chuyen-muc/dang-doan-the/" in body.xpath("//a/@href")
    assert page + "#ket-luan" in body.xpath("//a/@href")
    photo = SITE_URL + image.lstrip("/")
    assert body.xpath("//img[@srcset]/@srcset") == [f"{photo} 1x, {photo} 2x"]
    assert not body.xpath("//script") and "alert" not in item["content"] and "onerror" not in item["content"]


# ------------------------------------------------------------------ configuration

def test_bulletins_posted_in_the_same_minute_still_give_valid_feeds(tmp_path):
    """Three wards post at 8:00 on the same morning: every feed passes the strict checker
    (Atom entries must not share an `updated`), and each keeps the minute its editor gave it."""
    project = make_project(tmp_path / "project")
    content = project / "content"
    units = yaml.safe_load((content / "units.yml").read_text(encoding="utf-8"))
    when = (datetime.now(VN) - timedelta(days=1)).replace(hour=8, minute=0)
    for i, unit in enumerate(units[:3]):
        (content / "bulletins" / f"cung-phut-{i}.md").write_text(f"""---
title: Bản tin số {i + 1} đăng lúc tám giờ
date: {when:%Y-%m-%d %H:%M}
category: dang-doan-the
unit: {unit["key"]}
---

Nội dung bản tin số {i + 1}.
""", encoding="utf-8")
    site = tmp_path / "site"
    bantin("build", "--quiet", "--config-file", str(project / "mkdocs.yml"), "--site-dir", str(site), cwd=project)
    result = feedcheck("--site", str(site), "--site-url", SITE_URL, *map(str, all_feeds(site)))
    assert result.returncode == 0, result.stdout[-4000:]
    feed = etree.parse(str(site / "atom.xml")).getroot()
    stamps = {en.findtext(f"{ATOM}title"): (en.findtext(f"{ATOM}published"), en.findtext(f"{ATOM}updated"))
              for en in feed.findall(f"{ATOM}entry") if en.findtext(f"{ATOM}title").endswith("đăng lúc tám giờ")}
    assert len(stamps) == 3
    minute = f"{when:%Y-%m-%dT%H:%M}"
    assert all(p.startswith(minute) and u.startswith(minute) for p, u in stamps.values()), stamps


def test_a_build_without_site_url_stops_and_keeps_the_old_site(tmp_path):
    project = make_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"^site_url:.*\n", "", text, flags=re.M), encoding="utf-8")
    old = project / "site"
    old.mkdir()
    (old / "index.html").write_text("trang cũ", encoding="utf-8")
    result = bantin("build", "--config-file", str(config), "--site-dir", str(old), cwd=project, check=False)
    assert result.returncode == 1
    message = result.stdout + result.stderr
    assert "site_url" in message and "Traceback" not in message
    assert (old / "index.html").read_text(encoding="utf-8") == "trang cũ"
    assert sorted(p.name for p in project.iterdir()) == ["content", "mkdocs.yml", "site", "theme_overrides"]


SEED_002 = ROOT / "content" / "bulletins" / "2021" / "giao-ban-du-luan-xa-hoi-thang-11-2021.md"
STATUS_WORDS = {"pending": "Chưa trả lời", "in-progress": "Đang xử lý", "answered": "Đã trả lời"}
MEDIA = "{http://search.yahoo.com/mrss/}"


def entry_of(feed: Path, slug: str):
    return next(it for it in etree.parse(str(feed)).getroot().find("channel").findall("item")
                if slug in it.findtext("link"))


def test_feed_entry_carries_the_meeting_card_and_the_opinion_block_before_the_body(demo_site):
    front = yaml.safe_load(SEED_002.read_text(encoding="utf-8").split("---")[1])
    item = entry_of(demo_site / "don-vi" / "quan-long-bien" / "feed.xml", "giao-ban-du-luan-xa-hoi-thang-11-2021")
    content = lxml.html.fragment_fromstring(
        item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded"), create_parent="div")
    rows = {dt.text_content(): dt.getnext() for dt in content.iter("dt")}
    for chair in front["meeting"]["chairs"]:
        assert f"{chair['name']} ({chair['role']})" in rows["Chủ trì"].text_content()
    assert rows["Địa điểm"].text_content() == front["meeting"]["location"]
    decision = rows["Văn bản"].xpath(".//a[text()='334-QĐ/QU']")
    assert decision and decision[0].get("href") == SITE_URL + "van-ban/334-qd-qu-quan-long-bien/"
    assert "Kiện toàn Tổ cộng tác viên dư luận xã hội cấp Quận" in rows["Văn bản"].text_content()
    concerns = content.xpath(".//section[h2[starts-with(., 'Tổng hợp dư luận')]]/ol/li")
    assert [c.findtext("p/strong") for c in concerns] == [c["title"] for c in front["opinion"]["concerns"]]
    for li, concern in zip(concerns, front["opinion"]["concerns"]):
        status = concern.get("response", {}).get("status", "pending")
        assert li.find("p").text_content().endswith(f"({STATUS_WORDS[status]})")
    # The record comes before the body's first paragraph, and holds no class or style of the site.
    blocks = [el.tag for el in content]
    assert blocks[:2] == ["section", "section"] and "p" in blocks[2:]
    assert not content.xpath(".//section//@class | .//section//@style")


def test_feed_entries_name_a_resized_cover_with_its_size_and_each_category_once(demo_site):
    slug = "ngoc-thuy-khac-phuc-hau-qua-bao-so-3"
    item = entry_of(demo_site / "feed.xml", slug)
    thumb = item.find(f".//{MEDIA}thumbnail")
    assert thumb is not None and thumb.get("url").endswith("-640w.jpg")
    picture = demo_site / thumb.get("url").removeprefix(SITE_URL)
    from PIL import Image
    with Image.open(picture) as im:
        assert im.size == (int(thumb.get("width")), int(thumb.get("height")))
    atom = etree.parse(str(demo_site / "atom.xml")).getroot()
    entry = next(en for en in atom.findall(f"{ATOM}entry") if slug in en.findtext(f"{ATOM}id") + "".join(
        l.get("href") for l in en.findall(f"{ATOM}link")))
    (enclosure,) = [l for l in entry.findall(f"{ATOM}link") if l.get("rel") == "enclosure"]
    assert enclosure.get("href") == thumb.get("url") and enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) == picture.stat().st_size
    cover = lxml.html.fragment_fromstring(entry.findtext(f"{ATOM}content"), create_parent="div").find(".//figure/img")
    assert "-960w." in cover.get("src") and cover.get("width") == "960"
    for feed in all_feeds(demo_site):
        root = etree.parse(str(feed)).getroot()
        for it in [*root.iter("item"), *root.iter(f"{ATOM}entry")]:
            names = [c.text or c.get("label") for c in [*it.findall("category"), *it.findall(f"{ATOM}category")]]
            assert len(names) == len(set(names)), (feed, names)
