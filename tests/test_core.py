"""The core owns the build: the same site with or without MkDocs, one frame on every page,
nothing published that no page uses, and a preview that writes only what an edit changed."""
from __future__ import annotations

import importlib.util
import json
import re
import shutil
import socket
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from lxml import etree
from lxml import html as lhtml

from conftest import ROOT, make_project
from generator import frontend
from generator.theme import Theme
from test_cache import differences

MATERIAL_TEMPLATES = Path(importlib.util.find_spec("material").submodule_search_locations[0]) / "templates"


def plain_theme(project: Path = ROOT) -> Theme:
    """The site's templates in a plain Jinja environment: no MkDocs anywhere (Material's icons only)."""
    return Theme.from_folders([project / "theme_overrides", MATERIAL_TEMPLATES])


def settings_of(project: Path, **changes) -> frontend.Settings:
    """Settings read from mkdocs.yml without MkDocs, as a front end of its own would."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    options = next(p["bantin"] for p in config["plugins"] if isinstance(p, dict) and "bantin" in p)
    values = dict(site_name=config["site_name"], site_url=config["site_url"],
                  site_description=config.get("site_description", ""), content_dir=project / "content",
                  language=config["theme"]["language"], publisher=options.get("publisher", ""),
                  per_page=options.get("per_page", 10), feed_items=options.get("feed_items", 20),
                  favicon=config["theme"]["favicon"], stylesheets=tuple(config.get("extra_css", [])),
                  cache_dir=project / ".cache" / "bantin")
    values.update(changes)
    return frontend.Settings(**values)


def test_the_core_alone_builds_the_site_that_bantin_build_makes(demo_site, tmp_path):
    """A front end other than MkDocs (here plain Jinja) calls the core unchanged and gets the same site."""
    project = make_project(tmp_path / "project")
    frontend.build(settings_of(project), plain_theme(project), project / "site")
    assert (project / "site" / "index.html").is_file() and any((project / "site" / "pagefind").glob("*/pagefind.js"))
    assert differences(demo_site, project / "site") == []


def test_a_listing_that_goes_back_no_further_says_where_the_older_bulletins_are(tmp_path, monkeypatch):
    from generator.views import calendar, tracker
    monkeypatch.setattr(tracker, "PER_PAGE", 1)
    monkeypatch.setattr(calendar, "PER_PAGE", 1)
    project = make_project(tmp_path / "project")
    settings = settings_of(project, per_page=3, listing_pages=1, search=False, cache_dir=None)
    frontend.build(settings, plain_theme(project), project / "site")
    site = project / "site"
    assert not (site / "chuyen-muc/du-luan-xa-hoi/trang/2/index.html").exists()
    older = lhtml.fromstring((site / "chuyen-muc/du-luan-xa-hoi/index.html").read_bytes()).cssselect(".bt-older")
    assert older and re.match(r"Còn \d+ tin cũ hơn: xem theo tháng trong Lưu trữ hoặc tìm kiếm\.$",
                              " ".join(older[0].text_content().split()))
    links = [a.get("href") for a in older[0].cssselect("a")]
    assert links[0].endswith("luu-tru/") and links[1].endswith("tim-kiem/")
    for page, what in (("du-luan/moi-truong/", "ý kiến"), ("lich-hop/", "cuộc họp")):
        tree = lhtml.fromstring((site / page / "index.html").read_bytes())
        assert not (site / page / "trang/2/index.html").exists()
        older = " ".join(tree.cssselect(".bt-older")[0].text_content().split())
        assert re.match(rf"Còn \d+ {what} cũ hơn: .*Lưu trữ hoặc tìm kiếm\.$", older), older


# ------------------------------------------------------------------ what is published

# Asked for by hosts, robots and editors (the web editor is opened by its address), not by links.
ENTRY_POINTS = {"sitemap.xml", "sitemap.xml.gz", "404.html", "admin/index.html"}


def references(site: Path) -> set[str]:
    """Every file a page, a stylesheet or a feed refers to, as a path in `site`."""
    found: set[str] = set()

    def add(base: str, value: str) -> None:
        url = urljoin(base, value.strip())
        parts = urlsplit(url)
        if parts.netloc in ("", "h", "bantin.example.vn"):
            path = unquote(parts.path).lstrip("/")
            found.add(path + "index.html" if path.endswith("/") or not path else path)

    for page in site.rglob("*.html"):
        rel = page.relative_to(site).as_posix()
        base = "http://h/" + (rel[:-len("index.html")] if rel.endswith("index.html") else "")
        tree = lhtml.fromstring(page.read_bytes())
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in ("href", "src"):
                if el.get(attr):
                    add(base, el.get(attr))
            if el.tag == "meta" and el.get("property") == "og:image":
                add(base, el.get("content"))      # a link preview's picture (Zalo, Facebook)
            for bundle in json.loads(el.get("data-bundles") or "[]"):   # the search page's index parts
                add(urljoin(base, el.get("data-root")), bundle["path"] + "pagefind.js")
            for candidate in (el.get("srcset") or "").split(","):
                if candidate.split():
                    add(base, candidate.split()[0])
    for css in site.rglob("*.css"):
        base = "http://h/" + css.relative_to(site).as_posix()
        for value in re.findall(r"url\(['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            add(base, value)
    for feed in site.rglob("feed.xml"):
        for item in etree.parse(str(feed)).iter("description"):
            if item.text and "<" in item.text:
                for value in re.findall(r'(?:src|href)="([^"]+)"', item.text):
                    add("https://bantin.example.vn/", value)
    return found


def test_every_published_file_is_used_by_a_page_or_a_feed(demo_site):
    used = references(demo_site)
    unused = []
    for path in demo_site.rglob("*"):
        rel = path.relative_to(demo_site).as_posix()
        if path.is_dir() or rel in ENTRY_POINTS or rel in used:
            continue
        if rel.startswith("pagefind/") and rel.split("/")[1] and f"pagefind/{rel.split('/')[1]}/pagefind.js" in used:
            continue            # the search engine's own pieces, which it loads itself
        if rel.startswith("admin/"):
            continue            # the web editor's own pieces, which its page loads
        if rel.startswith("du-lieu/"):
            continue            # the export, which machines read from its first page on (jsonfeed.py)
        if rel.endswith(".html") and b'http-equiv="refresh"' in path.read_bytes():
            continue            # an old address kept as a redirect
        unused.append(rel)
    assert not unused, f"{len(unused)} published files no page uses, e.g. {unused[:8]}"
    assert "assets/bantin.css" in used and any(p.startswith("media/") for p in used)


def test_drafts_photos_and_the_content_schema_are_not_published(demo_site):
    assert not (demo_site / "media" / "2024" / "bach-thong-cam-quyt.jpg").exists(), "a draft's cover was published"
    assert not (demo_site / "schema").exists() and not list(demo_site.rglob("*.md"))


# ------------------------------------------------------------------ one frame

def frame_of(site: Path, rel: str) -> str:
    """The header and footer of a page, links resolved, the current entry's mark left out."""
    base = "http://h/" + ("" if rel == "404.html" else rel[:-len("index.html")])
    tree = lhtml.fromstring((site / rel).read_bytes())
    for el in tree.iter():
        if isinstance(el.tag, str):
            for attr in ("href", "src", "action"):
                if el.get(attr) is not None:
                    el.set(attr, urljoin(base, el.get(attr)))
            el.attrib.pop("aria-current", None)
    return "".join(lhtml.tostring(el, encoding="unicode") for el in tree.cssselect("header.bt-header, footer.bt-footer"))


def test_every_page_has_the_same_frame(demo_site):
    """Home, sections, a bulletin, registers, the 404 page: one header and one footer, at any depth."""
    pages = ["index.html", "chuyen-muc/dang-doan-the/index.html", "2021/12/giao-ban-du-luan-xa-hoi-thang-11-2021/index.html",
             "luu-tru/2021/12/index.html", "van-ban/index.html", "chu-de/index.html",
             "404.html"]
    frames = {rel: frame_of(demo_site, rel) for rel in pages}
    assert "Ban Tuyên giáo" in frames["404.html"] and "Tin mới qua RSS" in frames["404.html"]
    assert len(set(frames.values())) == 1, [rel for rel in pages if frames[rel] != frames["index.html"]]


def test_the_current_menu_entry_is_marked_on_its_own_page_only(demo_site):
    def current(rel: str) -> list[str]:
        tree = lhtml.fromstring((demo_site / rel).read_bytes())
        return [a.text_content().strip() for a in tree.cssselect('header a[aria-current="page"]')]
    assert current("index.html") == ["Trang chủ"]
    assert current("chuyen-muc/dang-doan-the/index.html") == ["Đảng - đoàn thể"]
    assert current("van-ban/index.html") == ["Văn bản"]
    assert current("2021/12/giao-ban-du-luan-xa-hoi-thang-11-2021/index.html") == []


def test_the_current_section_is_marked_on_its_listings_and_its_bulletins(demo_site):
    def section(rel: str) -> list[str]:
        tree = lhtml.fromstring((demo_site / rel).read_bytes())
        return [a.text_content().strip() for a in tree.cssselect('header a[aria-current="true"]')]
    assert section("2021/12/giao-ban-du-luan-xa-hoi-thang-11-2021/index.html") == ["Đảng - đoàn thể"]
    assert section("chuyen-muc/du-luan-xa-hoi/trang/2/index.html") == ["Dư luận xã hội"]
    assert section("van-ban/334-qd-qu-quan-long-bien/index.html") == ["Văn bản"]
    assert section("don-vi/phuong-ngoc-thuy/index.html") == ["Đơn vị"]
    assert section("index.html") == [] and section("chuyen-muc/dang-doan-the/index.html") == []


def test_404_page_links_work_from_any_address(demo_site):
    tree = lhtml.fromstring((demo_site / "404.html").read_bytes())
    links = [a.get("href") for a in tree.cssselect("a[href]") if not a.get("href").startswith("#")]
    absolute = ("/", "tel:", "mailto:")          # the footer's phone and e-mail work from anywhere too
    assert links and all(href.startswith(absolute) for href in links), [h for h in links if not h.startswith(absolute)][:5]


# ------------------------------------------------------------------ the preview

def written_times(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*.html")}


def test_a_preview_rewrites_only_the_pages_an_edit_changes_and_ends_as_a_fresh_build(tmp_path):
    project = make_project(tmp_path / "project")
    settings = lambda: settings_of(project, search=False, drafts=True, future=True)  # noqa: E731
    theme, served = plain_theme(project), tmp_path / "served"
    preview = frontend.Preview()
    try:
        preview.build(settings(), theme, served)
        before = written_times(served)
        seed = project / "content" / "bulletins" / "2022" / "long-bien-giao-ban-du-luan-xa-hoi-thang-9-2022.md"
        text = seed.read_text(encoding="utf-8")
        last = [line for line in text.split("\n---\n", 1)[1].splitlines() if len(line) > 80][-1]
        seed.write_text(text.replace(last, last + " Câu thêm khi xem thử."), encoding="utf-8")
        time.sleep(0.01)
        shown: list[bool] = []
        preview.build(settings(), theme, served, shown=lambda: shown.append(True))
        after = written_times(served)
        rewritten = [rel for rel in after if after[rel] != before.get(rel)]
        assert shown == [True], "the edited bulletin's page was not shown before the rest of the build"
        assert "2022/09/long-bien-giao-ban-du-luan-xa-hoi-thang-9-2022/index.html" in rewritten
        assert len(rewritten) < len(after) / 5, f"{len(rewritten)} of {len(after)} pages rewritten for one sentence"
        # A bulletin removed: its page goes; the folder is then the site a build makes from nothing.
        (project / "content" / "bulletins" / "2021" / "chau-phu-thu-hoach-lua-thu-dong.md").unlink()
        preview.build(settings(), theme, served)
        assert not (served / "2021" / "11" / "chau-phu-thu-hoach-lua-thu-dong" / "index.html").exists()
    finally:
        preview.close()
    fresh = tmp_path / "fresh"
    shutil.rmtree(project / ".cache")
    frontend.build(settings(), theme, fresh)
    assert (served / ".bantin" / "status.json").is_file(), "the preview's own status is there"
    assert [d for d in differences(served, fresh) if not d.startswith(".bantin")] == []


# ------------------------------------------------------------------ live reload

def test_show_now_lets_the_browser_reload_while_the_build_goes_on(tmp_path):
    """MkDocs' server holds page requests until its builder returns; the preview's edited page
    is shown as soon as it is written (generator/livereload.py)."""
    from mkdocs.livereload import LiveReloadServer
    from generator import livereload

    (tmp_path / "index.html").write_text("<html><body>trang</body></html>", encoding="utf-8")
    release, started = threading.Event(), threading.Event()

    def builder():
        started.set()
        release.wait(30)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = LiveReloadServer(builder=builder, host="127.0.0.1", port=port, root=str(tmp_path))
    server.watch(str(tmp_path))
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
                break
            except OSError:
                time.sleep(0.1)
        (tmp_path / "x.txt").write_text("sửa", encoding="utf-8")     # a save: the server starts a build
        assert started.wait(30)
        with pytest.raises(OSError):                                  # held while the build runs...
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
        assert livereload.show_now(server) is True
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:   # ...answered at once
            assert b"trang" in answer.read()
    finally:
        release.set()
        server.shutdown()
    assert livereload.show_now(object()) is False


# ------------------------------------------------------------------ what a build leaves behind

def run_python(code: str, **env) -> str:
    import os
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **env}, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_build_leaves_no_temporary_files(tmp_path):
    """Without a writable cache, photo copies go to a temporary folder that is gone afterwards,
    whether the build was written or only made."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    code = ("from pathlib import Path\nfrom generator import build\nfrom generator.config import Settings\n"
            f"build.make(Settings(content_dir=Path({str(ROOT / 'content')!r}), site_url='https://x.vn/'))\n")
    run_python(code, TMPDIR=str(temp))
    assert list(temp.iterdir()) == []
