"""One content file cannot write, read or run anything outside the site.

Each hostile file is put into a copy of the demo project, whose site is built first; then
`bantin check` and `bantin build` are run as an editor would run them.  Either the file is
refused with a clear message (file, line, field) and nothing changed, in the project, in a
folder beside it or in the old site; or the build succeeds with the hostile text inert.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import time
from pathlib import Path

import pytest
from icalendar import Calendar
from lxml import etree
from lxml import html as lhtml
from PIL import Image

from conftest import feedcheck_path, bantin, make_project

HEAD = "---\ntitle: {title}\nslug: {slug}\ndate: 2024-03-03 09:00\ncategory: chinh-quyen\nunit: phuong-gia-thuy\n"


def bulletin(project: Path, name: str, extra: str = "", body: str = "Nội dung.", title: str = "Bài thử",
             slug: str = "") -> Path:
    path = project / "content" / "bulletins" / "2024" / name
    path.write_text(HEAD.format(title=title, slug=slug or name.removesuffix(".md")) + extra + "---\n" + body + "\n",
                    encoding="utf-8")
    return path


def snapshot(*folders: Path) -> dict[str, str]:
    """Every file under the folders (the project, a sibling), by path, with its bytes' digest."""
    out = {}
    for folder in folders:
        for path in (folder.rglob("*") if folder.is_dir() else [folder]):
            if ".cache" in path.parts or not path.is_file() or path.is_symlink():
                continue
            out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The demo project, built once with search off; each test works on a copy of it."""
    root = tmp_path_factory.mktemp("contained")
    project = make_project(root / "base" / "project")
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "- bantin:", "- bantin:\n      search: false", 1), encoding="utf-8")
    bantin("build", "-q", cwd=project)
    return project


@pytest.fixture
def project(built, tmp_path) -> Path:
    import shutil
    copy = tmp_path / "work" / "project"
    shutil.copytree(built, copy, symlinks=True)
    (tmp_path / "work" / "beside").mkdir()
    (tmp_path / "work" / "beside" / "note.txt").write_text("một tệp bên cạnh dự án", encoding="utf-8")
    return copy


def refused(project: Path, *expected: str) -> str:
    """`check` and `build` both refuse, with each expected text; nothing changed anywhere."""
    before = snapshot(project, project.parent / "beside")
    check = bantin("check", cwd=project, check=False)
    build = bantin("build", "-q", cwd=project, check=False)
    for result in (check, build):
        out = result.stdout + result.stderr
        assert result.returncode == 1, out
        assert "Traceback" not in out, out
        for text in expected:
            assert text in out, f"{text!r} not in:\n{out}"
    assert snapshot(project, project.parent / "beside") == before, "a refused build changed files"
    assert not list(project.parent.glob("*.tmp-*")) and not list(project.glob("site.tmp-*"))
    return check.stdout


# ------------------------------------------------------------------ aliases

@pytest.mark.parametrize("alias,expected", [
    ("/../README.md", "aliases[0]: địa chỉ cũ '/../README.md' không phải một đường dẫn"),
    ("/../../x/", "aliases[0]: địa chỉ cũ '/../../x/' không phải một đường dẫn"),
    ("/tin/%2e%2e/%2e%2e/x.html", "không phải một đường dẫn"),
    ("/index.html", "thuộc phần trang chủ"),
    ("/chuyen-muc/chinh-quyen/", "thuộc phần chuyên mục"),
    ("/feed.xml", "thuộc phần tin RSS"),
    ("/2024/03/bai-thu/", "là địa chỉ hiện tại của chính bài này"),
    ("/chitiettintuc.aspx?ID=316976", "máy chủ web tĩnh không chuyển hướng được"),
    ("https://evil.example/x", "phải bắt đầu bằng /"),
])
def test_an_alias_may_only_name_a_free_address_on_the_site(project, alias, expected):
    path = bulletin(project, "bai-thu.md", f"aliases:\n  - '{alias}'\n")
    out = refused(project, f"content/bulletins/2024/{path.name}:8: ", expected)
    assert "(" in out.split(expected, 1)[1].splitlines()[0], "what was expected is said too"


def test_an_alias_that_is_another_bulletins_address_or_old_address_names_both(project):
    other = "2021/12/giao-ban-du-luan-xa-hoi-thang-11-2021"
    bulletin(project, "mot.md", f"aliases:\n  - /{other}/\n  - /tin-tuc/cu.html\n")
    bulletin(project, "hai.md", "aliases:\n  - /tin-tuc/cu.html\n")
    refused(project,
            f"content/bulletins/2024/mot.md:8: aliases[0]: địa chỉ cũ '/{other}/' đã là địa chỉ của "
            "content/bulletins/2021/giao-ban-du-luan-xa-hoi-thang-11-2021.md:3",
            "content/bulletins/2024/mot.md:9: aliases[1]: địa chỉ cũ '/tin-tuc/cu.html' đã là địa chỉ cũ của "
            "content/bulletins/2024/hai.md:8")


def test_a_good_alias_redirects_and_writes_nothing_else(project):
    bulletin(project, "bai-thu.md", "aliases:\n  - /tin-tuc/hoi-nghi-cu.html\n  - /2019/05/ten-cu/\n")
    (project / "README.md").write_text("# Cổng thông tin phường", encoding="utf-8")
    before = snapshot(project.parent / "beside", project / "README.md")
    bantin("build", "-q", cwd=project)
    site = project / "site"
    for old in ("tin-tuc/hoi-nghi-cu.html", "2019/05/ten-cu/index.html"):
        assert "0; url=https://bantin.example.vn/2024/03/bai-thu/" in (site / old).read_text(encoding="utf-8")
    assert snapshot(project.parent / "beside", project / "README.md") == before


# ------------------------------------------------------------------ links out of content/

@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "work" / "beside" / "secret.txt"
    path.write_text("BANTIN_SECRET=mat-khau-ci", encoding="utf-8")
    return path


@pytest.mark.parametrize("target", ["secret", "/etc/passwd", "/proc/self/environ"])
def test_a_symlink_out_of_content_is_refused_and_nothing_of_it_is_published(project, secret, target):
    media = project / "content" / "media" / "2024"
    media.mkdir(parents=True, exist_ok=True)
    (media / "p.pdf").symlink_to(secret if target == "secret" else target)
    (media / "p.jpg").symlink_to(secret if target == "secret" else target)
    bulletin(project, "bai-thu.md", "image: /media/2024/p.jpg\ncaption: Ảnh\n", body="[Tải](/media/2024/p.pdf)")
    refused(project, "content/bulletins/2024/bai-thu.md:7: image: content/media/2024/p.jpg là liên kết tượng trưng",
            "content/bulletins/2024/bai-thu.md:10: body: content/media/2024/p.pdf là liên kết tượng trưng (symlink) "
            "trỏ ra ngoài thư mục content/")
    leaked = [p for p in (project / "site").rglob("*") if p.is_file() and any(
        mark in p.read_bytes() for mark in (b"mat-khau-ci", b"root:x:0:0", b"PATH=/"))]
    assert not leaked, leaked


def test_symlinked_bulletins_and_site_data_are_refused_not_read(project, secret):
    (project / "content" / "bulletins" / "2024" / "ngoai.md").symlink_to(secret)
    (project / "content" / "bulletins" / "2024" / "hong.md").symlink_to(project / "khong-co.md")
    loop = project / "content" / "bulletins" / "2024" / "vong.md"
    loop.symlink_to(loop)
    out = refused(project, "content/bulletins/2024/ngoai.md:1: -: content/bulletins/2024/ngoai.md là liên kết tượng trưng",
                  "content/bulletins/2024/hong.md:1: -: content/bulletins/2024/hong.md là liên kết tượng trưng (symlink) hỏng",
                  "content/bulletins/2024/vong.md:1")
    assert "mat-khau-ci" not in out
    units = project / "content" / "units.yml"
    units.unlink()
    units.symlink_to("/etc/passwd")
    out = refused(project, "content/units.yml:1: -: content/units.yml là liên kết tượng trưng")
    assert "root:x:0:0" not in out


# ------------------------------------------------------------------ what may be shown and published

@pytest.mark.parametrize("image,expected", [
    ("'javascript:alert(1)'", "'javascript:alert(1)' trỏ ra ngoài trang"),
    ("'data:image/png;base64,iVBORw0KGgo='", "trỏ ra ngoài trang (http:, data:, javascript:...)"),
    ("../../../../etc/passwd", "'../../../../etc/passwd' có .., . hoặc //: ảnh và tệp ghi theo đường dẫn từ thư mục content/"),
    # inside content/ as a path from the file, but paths are from content/: said so, not "outside"
    ("../media/anh.jpg", "'../media/anh.jpg' có .., . hoặc //: ảnh và tệp ghi theo đường dẫn từ thư mục content/ "
                         "(viết /media/2024/ten-anh.jpg)"),
    ("https://anh.example.vn/a.jpg", "trỏ ra ngoài trang"),
    ("/media/2024/khong-co.jpg", "không có tệp content/media/2024/khong-co.jpg"),
    ("/media/2024/anh.svg", "không đăng được loại tệp của content/media/2024/anh.svg"),
])
def test_a_cover_must_be_a_photo_of_the_content_folder(project, image, expected):
    (project / "content" / "media" / "2024").mkdir(parents=True, exist_ok=True)
    (project / "content" / "media" / "2024" / "anh.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>', encoding="utf-8")
    bulletin(project, "bai-thu.md", f"image: {image}\ncaption: Ảnh\n")
    refused(project, "content/bulletins/2024/bai-thu.md:7: image: ", expected)


def test_body_images_and_files_must_be_of_the_content_folder_at_their_line(project):
    media = project / "content" / "media" / "2024"
    media.mkdir(parents=True, exist_ok=True)
    (media / "trang.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (media / "gia.pdf").write_text("<html><script>alert(1)</script></html>", encoding="utf-8")
    body = ("Đoạn đầu.\n\n![Ảnh](/media/2024/mat.jpg \"Chú thích\")\n\n<img src=\"https://x.example/a.png\">\n\n"
            "[Xem](/media/2024/trang.html) · [Tải](/media/2024/gia.pdf) · [Bấm](javascript:alert(1))")
    bulletin(project, "bai-thu.md", body=body)
    refused(project, "bai-thu.md:10: body: không có tệp content/media/2024/mat.jpg",
            "bai-thu.md:12: body: 'https://x.example/a.png' trỏ ra ngoài trang",
            "bai-thu.md:14: body: không đăng được loại tệp của content/media/2024/trang.html",
            "bai-thu.md:14: body: content/media/2024/gia.pdf không phải là tệp đúng như đuôi tên của nó",
            "bai-thu.md:14: body: 'javascript:alert(1)' trỏ ra ngoài trang")


def test_a_page_outside_bulletins_is_sanitised_like_a_bulletin(project):
    (project / "content" / "gioi-thieu.md").write_text(
        "---\ntitle: Giới thiệu\n---\nPhường Gia Thụy <script>alert(1)</script>"
        "<b onmouseover=alert(2)>đậm</b> <a href=\"#lien-he\" onclick=\"alert(3)\">liên hệ</a>\n", encoding="utf-8")
    (project / "content" / "media" / "x.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (project / "content" / "media" / "x.js").write_text("alert(1)", encoding="utf-8")
    bantin("build", "-q", cwd=project)
    page = (project / "site" / "gioi-thieu" / "index.html").read_text(encoding="utf-8")
    assert "Phường Gia Thụy" in page and "liên hệ" in page
    assert "alert(" not in page.split("<main", 1)[1]
    assert not (project / "site" / "media" / "x.html").exists() and not (project / "site" / "media" / "x.js").exists()
    assert not [p for p in (project / "site").rglob("*") if p.is_file() and b"alert(1)" in p.read_bytes()]


# ------------------------------------------------------------------ hostile text, inert

HOSTILE = "</script><script>alert(1)</script> \" ' & a < b <img src=x onerror=alert(2)> @@BANTIN:SPLIT@@ @@BANTIN:ROOT@@/"


def test_hostile_text_is_inert_in_pages_json_ld_feeds_calendars_and_search(project):
    text = HOSTILE.replace("'", "''")
    bulletin(project, "bai-thu.md", f"summary: '{text}'\nmeeting:\n  start: 2024-03-03 08:00\n"
                                    f"  location: '{text}'\n  chairs:\n    - name: Nguyễn Văn A\n      role: '{text}'\n",
             title=f"'{text}'")
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "      search: false\n", ""), encoding="utf-8")
    bantin("build", "-q", cwd=project)
    site = project / "site"
    page = (site / "2024/03/bai-thu/index.html").read_text(encoding="utf-8")
    tree = lhtml.fromstring(page.encode("utf-8"))
    assert not tree.xpath("//script[not(@type='application/ld+json')][contains(., 'alert')]")
    assert not tree.xpath("//img[@onerror]") and not tree.xpath("//script[contains(., '</script>')]")
    assert tree.cssselect("h1.bt-title")[0].text_content() == HOSTILE
    data = json.loads(tree.cssselect('script[type="application/ld+json"]')[0].text)
    assert data[0]["headline"].startswith("</script>") and data[0]["name"] == HOSTILE
    record = "".join(tree.xpath("//span[starts-with(@data-pagefind-meta, 'title:')]/@data-pagefind-meta"))
    assert record == f"title:{HOSTILE}"
    rss = etree.parse(str(site / "feed.xml"))
    item = next(i for i in rss.iter("item") if i.findtext("title") == HOSTILE)
    assert item.findtext("description") == HOSTILE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), \
        "the description is text, escaped for readers that take it as HTML"
    atom = etree.parse(str(site / "atom.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    escaped = HOSTILE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    entry = next(e for e in atom.iterfind("a:entry", ns) if e.findtext("a:title", namespaces=ns) == escaped)
    assert entry.find("a:title", ns).get("type") == entry.find("a:summary", ns).get("type") == "html"
    assert entry.findtext("a:summary", namespaces=ns) == escaped, "escaped: a reader shows the words"
    event = next(e for e in Calendar.from_ical((site / "lich-hop.ics").read_bytes()).walk("VEVENT")
                 if str(e["SUMMARY"]) == HOSTILE)
    assert str(event["LOCATION"]) == HOSTILE
    import subprocess
    import sys
    for feed in ("feed.xml", "atom.xml"):
        result = subprocess.run([sys.executable, str(feedcheck_path()), str(site / feed)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_a_writers_placeholder_in_content_is_refused_at_its_line(project):
    bulletin(project, "bai-thu.md", body="Đoạn một.\n\nĐoạn hai \ufdd0split\ufdd1 tiếp.")
    refused(project, "content/bulletins/2024/bai-thu.md:10: body: có ký tự không dùng được trong văn bản (U+FDD0)")


# ------------------------------------------------------------------ bounded work

def test_a_yaml_alias_bomb_is_refused_in_a_moment(project):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(9)]
    path = bulletin(project, "bom.md", "\n".join(lines) + "\nmeeting:\n  conclusions: *j\n")
    assert path.stat().st_size < 700
    start = time.monotonic()
    refused(project, "content/bulletins/2024/bom.md:", "có neo hoặc bí danh YAML (&, *, <<)")
    assert time.monotonic() - start < 60, "refusing the bomb took minutes"


def test_an_oversized_title_and_an_oversized_file_are_refused_with_the_limit(project):
    bulletin(project, "dai.md", title="'" + "Tiêu đề dài " * 90_000 + "'")          # about 1 MB
    bulletin(project, "rat-dai.md", body="Chữ " * 300_000)                          # over the file limit
    refused(project, "content/bulletins/2024/dai.md:1: -: tệp dài", "quá giới hạn 1048576 byte",
            "content/bulletins/2024/rat-dai.md:1: -: tệp dài")
    bulletin(project, "dai.md", title="'" + "Tiêu đề dài" * 40 + "'")
    (project / "content" / "bulletins" / "2024" / "rat-dai.md").unlink()
    refused(project, "content/bulletins/2024/dai.md:2: title: dài 440 ký tự, quá giới hạn 300")
    bulletin(project, "dai.md", title="'" + "Tiêu đề dài" * 600 + "'")      # longer than any other text may be
    refused(project, "content/bulletins/2024/dai.md:2: title: dài 6600 ký tự, quá giới hạn 300")


# ------------------------------------------------------------------ the cache holds data

def test_a_cache_entry_replaced_by_crafted_bytes_runs_nothing_and_is_made_again(project, tmp_path):
    import pickle
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    database = project / ".cache" / "bantin" / "store.sqlite"
    with sqlite3.connect(database) as db:
        ids = [row[0] for row in db.execute("SELECT id FROM entries")]
        assert any(i.startswith("read:") for i in ids) and any(i.startswith("pages:") for i in ids)
        db.execute("UPDATE entries SET data = ?", (pickle.dumps(Payload()),))
    copies = sorted((project / ".cache" / "images").glob("*-320.jpg"))
    copies[0].write_bytes(b"<svg onload=alert(1)>")
    bantin("build", "-q", cwd=project)
    assert not marker.exists(), "a cache entry ran code"
    with sqlite3.connect(database) as db:
        data = [bytes(row[0]) for row in db.execute("SELECT data FROM entries WHERE id LIKE 'read:%'")]
    assert data and all(d.startswith(b"{") for d in data), "crafted entries were not made again"
    Image.open(copies[0]).verify()
    published = project / "site" / "media"
    assert not any(b"<svg" in p.read_bytes() for p in published.rglob("*-320w.jpg"))
