"""A full build of the demo content, read back as a reader would see it."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lhtml

from conftest import ROOT, bantin, make_project

SEEDS = {
    "seed 000": ("2022/11/ngoc-thuy-toa-dam-du-luan-xa-hoi/", "Ngày đăng 02/11/2022 | 20:32",
                 "meeting", None, "Tổ DLXH", "hoat-dong-cac-phuong", "phuong-ngoc-thuy"),
    "seed 001": ("2023/12/bach-thong-nang-cao-chat-luong-du-luan-xa-hoi/", "Ngày đăng 11/12/2023 | 08:00",
                 None, "Hương Dịu", None, "du-luan-xa-hoi", "huyen-bach-thong"),
    "seed 002": ("2021/12/giao-ban-du-luan-xa-hoi-thang-11-2021/", "Ngày đăng 01/12/2021 | 14:15",
                 "meeting+opinion", None, None, "dang-doan-the", "quan-long-bien"),
    "seed 003": ("2020/06/son-tay-tong-ket-de-an-01-da-tu/", "Ngày đăng 25/06/2020 | 07:26",
                 "meeting", "PHẠM HẢO", None, "dang-doan-the", "thi-xa-son-tay"),
    "seed 004": ("2022/07/an-giang-giao-ban-du-luan-xa-hoi-quy-ii-2022/", "Ngày đăng 01/07/2022 | 16:00",
                 "meeting", "Nguyễn Lam", "TUAG", "du-luan-xa-hoi", "tinh-an-giang"),
}


def doc(site: Path, url: str):
    path = site / url / "index.html" if not url.endswith(".html") else site / url
    assert path.exists(), f"/{url} is missing from the build"
    return lhtml.fromstring(path.read_bytes())


def text(tree, css: str) -> str:
    return " ".join(" ".join(el.text_content().split()) for el in tree.cssselect(css))


def listed_urls(site: Path, url: str) -> set[str]:
    """Every bulletin linked from a listing and all its further pages."""
    found, page = set(), url
    while page:
        tree = doc(site, page)
        for a in tree.cssselect(".bt-card__title a"):
            found.add((Path(page) / a.get("href")).as_posix())
        nxt = tree.cssselect('.bt-pager a[rel="next"]')
        page = (Path(page) / nxt[0].get("href")).as_posix().rstrip("/") + "/" if nxt else None
    return {normalise(u) for u in found}


def normalise(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/".join(parts) + "/"


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seed_bulletin_page(demo_site, seed):
    url, meta_line, blocks, author, source, category, unit = SEEDS[seed]
    tree = doc(demo_site, url)
    assert tree.get("lang") == "vi"
    assert meta_line in text(tree, ".bt-meta")
    # The section stands above the title, as on ward portals.
    section = tree.cssselect(".bt-section a")[0]
    assert section.get("href").endswith(f"chuyen-muc/{category}/")
    assert tree.cssselect(".bt-section")[0].getnext().tag == "h1"
    if blocks and "meeting" in blocks:
        card = text(tree, ".bt-meeting")
        assert "Thời gian" in card and ("Chủ trì" in card or "Khách mời" in card), card
    if blocks and "opinion" in blocks:
        assert "Tổng hợp dư luận xã hội tháng 11/2021" in text(tree, ".bt-opinion")
    if author:
        assert text(tree, ".bt-author") == author
    if source:
        assert source in text(tree, ".bt-source")
    data = json.loads(tree.cssselect('script[type="application/ld+json"]')[0].text)
    article = data[0] if isinstance(data, list) else data
    assert article["@type"] == "NewsArticle"
    assert article["datePublished"].endswith("+07:00")
    assert article["headline"] and article["publisher"]["name"]
    if blocks and "meeting" in blocks:
        event = data[1]
        assert event["@type"] == "Event" and event["startDate"].endswith("+07:00") and event["location"]["name"]


def test_seed_002_meeting_card_holds_every_fact(demo_site):
    tree = doc(demo_site, SEEDS["seed 002"][0])
    card = text(tree, ".bt-meeting")
    for fact in ("14:00", "30/11/2021", "Phòng họp số 2", "Nguyễn Thế Thạch", "8 ý kiến", "334-QĐ/QU", "26/11/2021"):
        assert fact in card, fact
    concerns = tree.cssselect(".bt-concern")
    assert len(concerns) >= 3
    assert {s.text_content().strip() for s in tree.cssselect(".bt-status")} <= {"Chưa trả lời", "Đang xử lý", "Đã trả lời"}


def test_seed_000_captions_chairs_and_guests(demo_site):
    tree = doc(demo_site, SEEDS["seed 000"][0])
    captions = [" ".join(c.text_content().split()) for c in tree.cssselect(".bt-body figure figcaption")]
    assert "Các ý kiến tham luận tại HN" in captions
    card = text(tree, ".bt-meeting")
    assert "Nguyễn Viết Tấn" in card and "Đinh Thị Việt Hà" in card and "9 ý kiến" in card
    assert "Tọa đàm" in text(tree, ".bt-meeting h2")


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seed_is_listed_in_its_category_unit_topic_and_archive(demo_site, seed):
    url, _, _, _, _, category, unit = SEEDS[seed]
    year, month = url.split("/")[:2]
    for listing in (f"chuyen-muc/{category}/", f"don-vi/{unit}/", "chu-de/du-luan-xa-hoi/",
                    f"luu-tru/{year}/", f"luu-tru/{year}/{month}/"):
        assert url in listed_urls(demo_site, listing), f"{url} not listed in /{listing}"


def test_home_page_has_lead_latest_and_a_block_per_category(demo_site):
    tree = doc(demo_site, "")
    assert tree.cssselect(".bt-lead-story h2 a")
    assert len(tree.cssselect(".bt-home__latest .bt-card")) >= 5
    categories = {a.get("href").rstrip("/").split("/")[-1] for a in tree.cssselect(".bt-block__title a")}
    assert {"hoat-dong-cac-phuong", "dang-doan-the", "du-luan-xa-hoi"} <= categories
    tabs = text(tree, ".md-tabs")
    assert "Hoạt động các phường" in tabs and "Lưu trữ" in tabs


def test_listings_paginate_newest_first(demo_site):
    tree = doc(demo_site, "chuyen-muc/du-luan-xa-hoi/")
    assert tree.cssselect('.bt-pager a[rel="next"]'), "the demo's biggest section should have a second page"
    dates = [t.get("datetime") for t in tree.cssselect(".bt-card__meta time")]
    assert dates == sorted(dates, reverse=True) and len(dates) == 10
    page2 = doc(demo_site, "chuyen-muc/du-luan-xa-hoi/trang/2/")
    assert page2.cssselect(".bt-card__meta time")[0].get("datetime") <= dates[-1]


def test_bulletins_stay_out_of_the_navigation(demo_site):
    tree = doc(demo_site, "")
    links = [a.get("href") for a in tree.cssselect("nav.md-nav a, .md-tabs a")]
    assert links and not any(re.search(r"\d{4}/\d{2}/", href or "") for href in links)


def test_sources_are_not_published(demo_site):
    assert not (demo_site / "README").exists() and not (demo_site / "README.md").exists()
    assert not (demo_site / "bulletins").exists() and not (demo_site / "units.yml").exists()
    assert (demo_site / "media").is_dir()


def test_plain_mkdocs_build_gives_the_same_pages(tmp_path, demo_site):
    out = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)], cwd=ROOT, check=True)
    ours = sorted(p.relative_to(demo_site).as_posix() for p in demo_site.rglob("index.html"))
    theirs = sorted(p.relative_to(out).as_posix() for p in out.rglob("index.html"))
    assert ours == theirs


def test_bad_bulletin_stops_the_build_and_keeps_the_old_site(tmp_path):
    project = make_project(tmp_path / "p")
    site = project / "site"
    bantin("build", "-q", cwd=project)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    bad = project / "content/bulletins/2024/loi.md"
    bad.parent.mkdir(exist_ok=True)
    bad.write_text("---\ntitle: Lỗi\ndate: 31/12/2024\ncategory: khong-co\nunit: phuong-ngoc-thuy\n---\nx\n",
                   encoding="utf-8")
    result = bantin("build", "-q", cwd=project, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/bulletins/2024/loi.md:3: date:" in result.stderr
    assert "content/bulletins/2024/loi.md:4: category:" in result.stderr
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before
    assert not list(project.glob("site.tmp-*")), "the temporary build folder was left behind"


def test_editors_text_is_escaped_everywhere(tmp_path):
    project = make_project(tmp_path / "p")
    (project / "content/bulletins/2024/dau-nho-hon.md").write_text(
        "---\ntitle: 'Thu & chi: 5 < 7 <script>alert(1)</script>'\nslug: thu-chi\ndate: 2024-03-03 09:00\n"
        "category: chinh-quyen\nunit: phuong-gia-thuy\nauthor: 'Lan <b>Anh</b>'\n"
        "meeting:\n  location: 'Phòng <i>1</i>'\n---\nNội dung.\n", encoding="utf-8")
    bantin("build", "-q", cwd=project)
    site = project / "site"
    page = (site / "2024/03/thu-chi/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "<b>Anh</b>" not in page and "<i>1</i>" not in page
    assert "Thu &amp; chi: 5 &lt; 7 &lt;script&gt;" in page
    tree = lhtml.fromstring(page.encode("utf-8"))
    assert tree.findtext(".//title").startswith("Thu & chi: 5 < 7 <script>")
    assert text(tree, "h1.bt-title") == "Thu & chi: 5 < 7 <script>alert(1)</script>"
    listing = (site / "chuyen-muc/chinh-quyen/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in listing and "Thu &amp; chi" in listing
