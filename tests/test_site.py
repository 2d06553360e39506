"""The core without MkDocs: models, collections and listings over small content folders."""
from __future__ import annotations

import textwrap
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from generator import build as core
from generator.config import Settings
from generator.content.models import FrontMatter
from generator.content.reader import Reader
from generator.vietnamese import fold, period, person_key, slugify

VN = ZoneInfo("Asia/Ho_Chi_Minh")

UNITS = """\
- {key: quan-a, name: Quận A, level: quận}
- {key: phuong-b, name: Phường B, level: phường, parent: quan-a}
- {key: phuong-c, name: Phường C, level: phường, parent: quan-a}
"""
CATEGORIES = """\
- {key: tin-tuc, name: Tin tức}
- {key: dang-doan-the, name: Đảng - đoàn thể}
"""
TOPICS = """\
- {key: du-luan, name: Dư luận xã hội}
- {key: moi-truong, name: Môi trường}
"""


def write_content(root: Path, bulletins: dict[str, str]) -> Path:
    content = root / "content"
    (content / "bulletins").mkdir(parents=True)
    (content / "units.yml").write_text(UNITS, encoding="utf-8")
    (content / "categories.yml").write_text(CATEGORIES, encoding="utf-8")
    (content / "topics.yml").write_text(TOPICS, encoding="utf-8")
    for name, text in bulletins.items():
        path = content / "bulletins" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return content


def bulletin(title: str, date: str, category="tin-tuc", unit="phuong-b", topics=(), extra="", body="Nội dung."):
    topic_line = f"topics: [{', '.join(topics)}]\n" if topics else ""
    return f"---\ntitle: '{title}'\ndate: {date}\ncategory: {category}\nunit: {unit}\n{topic_line}{extra}---\n{body}\n"


def build(content: Path, **settings):
    return core.make(Settings(content_dir=content, site_url="https://x.vn/", **settings))


# ------------------------------------------------------------------ Vietnamese text

def test_slug_folds_vietnamese_and_d_stroke():
    assert slugify("Đảng ủy phường Ngọc Thụy tổ chức tọa đàm") == "dang-uy-phuong-ngoc-thuy-to-chuc-toa-dam"


def test_fold_reads_like_typing_without_diacritics():
    assert fold("Dư luận xã hội") == "du luan xa hoi"
    assert fold("ĐẢNG ỦY") == "dang uy"


def test_person_written_two_ways_is_one_person():
    import unicodedata
    nfd = unicodedata.normalize("NFD", "Nguyễn Viết Tấn")
    assert person_key("Đ/c  Nguyễn Viết Tấn") == person_key(nfd) == "nguyen-viet-tan"


def test_period_labels():
    assert period("2021-11") == "tháng 11/2021"
    assert period("2022-Q2") == "quý II/2022"
    assert period("2022") == "năm 2022"


# ------------------------------------------------------------------ models

def test_local_time_is_in_the_site_zone_and_bare_dates_allowed():
    meta = FrontMatter.model_validate({"title": "A", "date": "2022-11-02 20:32", "category": "c", "unit": "u"},
                                      context={"tz": VN})
    assert meta.date.isoformat() == "2022-11-02T20:32:00+07:00"
    bare = FrontMatter.model_validate({"title": "A", "date": "2023-12-11", "category": "c", "unit": "u"})
    assert (bare.date.year, bare.date.month, bare.date.day) == (2023, 12, 11)
    iso = FrontMatter.model_validate({"title": "A", "date": "2022-11-02T13:32:00Z", "category": "c", "unit": "u"})
    assert iso.date.astimezone(VN).hour == 20


def test_meeting_and_opinion_blocks_are_typed():
    meta = FrontMatter.model_validate({
        "title": "Giao ban", "date": "2021-12-01 14:15", "category": "c", "unit": "u",
        "meeting": {"start": "2021-11-30 14:00", "chairs": [{"name": "Nguyễn Thế Thạch", "role": "Trưởng Ban"}],
                    "contributions": "8", "documents": [{"number": "334-QĐ/QU", "date": "2021-11-26"}]},
        "opinion": {"period": "2021-11", "concerns": [{"title": "Tiêm chủng", "response": {"status": "answered"}}]},
    })
    assert meta.meeting.contributions == 8
    assert meta.meeting.documents[0].date.isoformat() == "2021-11-26"
    assert meta.opinion.concerns[0].response.status == "answered"


@pytest.mark.parametrize("field,value", [("date", "02/11/2022"), ("category", "Tin Tức"), ("draft", "có lẽ")])
def test_bad_values_are_refused(field, value):
    data = {"title": "A", "date": "2022-11-02", "category": "c", "unit": "u", field: value}
    with pytest.raises(ValidationError) as refused:
        FrontMatter.model_validate(data)
    assert [error["loc"] for error in refused.value.errors()] == [(field,)]


# ------------------------------------------------------------------ collections and listings

def test_bom_crlf_and_nfd_text_are_read_as_nfc(tmp_path):
    import unicodedata
    text = bulletin(unicodedata.normalize("NFD", "Đảng ủy họp"), "2022-01-02 08:00").replace("\n", "\r\n")
    content = write_content(tmp_path, {"2022/a.md": ""})
    (content / "bulletins/2022/a.md").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = Reader(content).read_or_raise()
    (b,) = result.bulletins
    assert b.title == "Đảng ủy họp" and unicodedata.is_normalized("NFC", b.title)
    assert b.url == "2022/01/dang-uy-hop/"


def test_pure_yaml_bulletin_with_body_field(tmp_path):
    content = write_content(tmp_path, {"2022/b.yml": """\
        title: Tin YAML
        date: 2022-03-04 09:00
        category: tin-tuc
        unit: phuong-c
        body: |
          Đoạn đầu **đậm**.
        """})
    result = build(content)
    (b,) = result.site.bulletins
    assert "<strong>đậm</strong>" in b.body_html
    assert b.lead == "Đoạn đầu đậm."


def test_collections_newest_first_with_unit_tree_and_neighbours(tmp_path):
    files = {f"2022/n{i}.md": bulletin(f"Tin {i}", f"2022-0{1 + i % 9}-1{i % 10} 08:00",
                                        unit="phuong-b" if i % 2 else "phuong-c", topics=["du-luan"] if i % 3 == 0 else [])
             for i in range(9)}
    files["2021/d.md"] = bulletin("Tin Đảng", "2021-05-05 10:00", category="dang-doan-the", unit="quan-a")
    site = build(write_content(tmp_path, files)).site
    dates = [b.date for b in site.bulletins]
    assert dates == sorted(dates, reverse=True)
    assert len(site.by_unit["phuong-b"]) == 4 and len(site.by_unit["phuong-c"]) == 5
    # A district's listing holds its wards' bulletins too.
    assert len(site.by_unit_tree["quan-a"]) == 10
    assert len(site.by_topic["du-luan"]) == 3
    assert list(site.by_year) == [2022, 2021]
    news = site.by_category["tin-tuc"]
    assert news[0].url not in site.newer and site.older[news[0].url] is news[1] and site.newer[news[1].url] is news[0]
    assert site.by_category["dang-doan-the"][0].url not in site.older


def test_related_prefers_shared_topics_and_never_itself(tmp_path):
    files = {
        "a.md": bulletin("Môi trường 1", "2022-01-01", topics=["moi-truong"]),
        "b.md": bulletin("Môi trường 2", "2022-06-01", unit="phuong-c", topics=["moi-truong"]),
        "c.md": bulletin("Khác", "2022-01-02", unit="phuong-c"),
    }
    site = build(write_content(tmp_path, files)).site
    a = next(b for b in site.bulletins if b.title == "Môi trường 1")
    assert site.related[a.url][0].title == "Môi trường 2"
    assert a not in site.related[a.url]


def test_listings_paginate_at_per_page(tmp_path):
    files = {f"2022/n{i:02d}.md": bulletin(f"Tin số {i}", f"2022-02-{1 + i:02d} 08:00") for i in range(23)}
    result = build(write_content(tmp_path, files), per_page=10)
    urls = {p.url: p for p in result.pages}
    assert {"chuyen-muc/tin-tuc/", "chuyen-muc/tin-tuc/trang/2/", "chuyen-muc/tin-tuc/trang/3/"} <= set(urls)
    assert "chuyen-muc/tin-tuc/trang/4/" not in urls
    first, last = urls["chuyen-muc/tin-tuc/"], urls["chuyen-muc/tin-tuc/trang/3/"]
    assert [b.title for b in first.context["bulletins"]][:2] == ["Tin số 22", "Tin số 21"]
    assert len(last.context["bulletins"]) == 3
    assert first.context["pager"].next_url == "chuyen-muc/tin-tuc/trang/2/"
    assert {"luu-tru/2022/", "luu-tru/2022/02/", "don-vi/phuong-b/", "don-vi/quan-a/"} <= set(urls)


def test_a_listing_goes_back_listing_pages_and_the_month_archive_is_whole(tmp_path):
    files = {f"2022/n{i:02d}.md": bulletin(f"Tin số {i}", f"2022-02-{1 + i:02d} 08:00") for i in range(7)}
    result = build(write_content(tmp_path, files), per_page=2, listing_pages=2)
    urls = {p.url: p for p in result.pages}
    for listing in ("chuyen-muc/tin-tuc/", "don-vi/phuong-b/", "luu-tru/2022/"):
        assert f"{listing}trang/2/" in urls and f"{listing}trang/3/" not in urls
        last = urls[f"{listing}trang/2/"]
        assert [b.title for b in last.context["bulletins"]] == ["Tin số 4", "Tin số 3"]
        assert last.context["older"] == 3 and last.context["pager"].next_url is None
    month = [b.title for n in ("", "trang/2/", "trang/3/", "trang/4/") for b in urls["luu-tru/2022/02/" + n].context["bulletins"]]
    assert month == [f"Tin số {i}" for i in range(6, -1, -1)]
    assert "older" not in urls["luu-tru/2022/02/trang/4/"].context


def test_a_province_sized_tracker_topic_and_calendar_are_paged_and_go_back_listing_pages(tmp_path, monkeypatch):
    """A topic of tens of thousands of concerns, or a calendar of as many meetings, is not one page
    of tens of megabytes: it is paged, newest first, and goes back as far as a listing does."""
    from generator.views import calendar, tracker
    monkeypatch.setattr(tracker, "PER_PAGE", 2)
    monkeypatch.setattr(calendar, "PER_PAGE", 2)
    extra = ("meeting: {{start: 2022-0{m}-01 08:00, location: Hội trường}}\n"
             "opinion: {{concerns: [{{topic: du-luan, title: 'Ý kiến tháng {m}'}}]}}\n")
    files = {f"2022/d{m}.md": bulletin(f"Giao ban tháng {m}", f"2022-0{m}-02 08:00", extra=extra.format(m=m))
             for m in range(1, 8)}
    urls = {p.url: p for p in build(write_content(tmp_path, files), listing_pages=3).pages}
    for base, shown in (("du-luan/du-luan/", "months"), ("lich-hop/", "months")):
        assert f"{base}trang/3/" in urls and f"{base}trang/4/" not in urls
        pages = [urls[base], urls[f"{base}trang/2/"], urls[f"{base}trang/3/"]]
        months = [label for page in pages for label, *_ in page.context[shown]]
        assert months == [f"Tháng {m:02d}/2022" for m in range(7, 1, -1)]
        assert [page.context["older"] for page in pages] == [1, 1, 1]
        assert pages[0].context["pager"].next_url == f"{base}trang/2/" and pages[2].context["pager"].next_url is None
        assert pages[1].title.endswith("– trang 2")
    assert urls["du-luan/du-luan/trang/3/"].context["total"] == 7
    assert urls["lich-hop/trang/3/"].context["count"] == 7 and "units" not in urls["lich-hop/trang/2/"].context


def test_drafts_and_future_bulletins_are_held_back_from_a_build(tmp_path):
    now = datetime(2024, 1, 1, 12, 0, tzinfo=VN)
    files = {
        "a.md": bulletin("Đã đăng", "2023-12-31 08:00"),
        "b.md": bulletin("Bản nháp", "2023-12-30 08:00", extra="draft: true\n"),
        "c.md": bulletin("Hẹn giờ", "2024-01-02 08:00"),
    }
    content = write_content(tmp_path, files)
    published = build(content, now=now).site.bulletins
    assert [b.title for b in published] == ["Đã đăng"]
    preview = build(content, now=now, drafts=True, future=True).site.bulletins
    assert {b.title for b in preview} == {"Đã đăng", "Bản nháp", "Hẹn giờ"}
    assert next(b for b in preview if b.title == "Hẹn giờ").scheduled


def test_figures_get_captions_and_raw_html_is_sanitised(tmp_path):
    from lxml import html as lhtml
    from PIL import Image
    body = ('Mở đầu.\n\n![Ảnh](/media/a.jpg "Đ/c A phát biểu")\n\n'
            '<script>alert(1)</script><a href="#tiep" onclick="x()">bấm</a>')
    content = write_content(tmp_path, {"a.md": bulletin("Ảnh", "2022-01-01", body=body)})
    (content / "media").mkdir()
    Image.new("RGB", (800, 600), "#347").save(content / "media" / "a.jpg")
    html = build(content).site.bulletins[0].body_html
    figure = lhtml.fragment_fromstring(html, create_parent="div").cssselect("figure")[0]
    assert figure.cssselect("img")[0].get("alt") == "Ảnh" and figure.cssselect("img")[0].get("src").startswith("/media/a")
    assert figure.cssselect("figcaption")[0].text == "Đ/c A phát biểu"
    assert "<script" not in html and "onclick" not in html and "bấm" in html


@pytest.mark.parametrize("body", [
    "*[UBND]: Ủy ban nhân dân\n\nUBND phường họp.\n\nUBND phường tiếp dân.",   # abbreviations: plain words
    "Dòng một  \nDòng hai\n\nHết.",                                              # a line break
    "Đoạn văn {: .bt-note }\n\n## Mục {#muc}\n\nHết.",                           # attribute lists
    "Theo ý kiến[^1].\n\n[^1]: Ghi chú.\n\nHết.",
    "| Ý kiến | Số |\n|---|---|\n| Đồng ý | *12* |\n\nAT&T &amp; <b>đậm</b> `mã`",
    "Dòng\nxuống dòng\nkhông dấu gì",
])
def test_plain_text_is_rendered_as_python_markdown_renders_it(body):
    """Texts without inline marks skip the inline patterns (content/markdown.py): never what they show."""
    from generator.content.markdown import Renderer
    fast, plain = Renderer(), Renderer()
    plain.md.treeprocessors.deregister("bantin-plain")
    assert fast.html(body) == plain.html(body)


def test_only_the_adapter_and_the_command_import_mkdocs():
    """Every module of the package but the MkDocs adapter and the command line runs without MkDocs."""
    import pkgutil
    import subprocess
    import sys
    import generator
    modules = sorted(m.name for m in pkgutil.walk_packages(generator.__path__, "generator."))
    core = [m for m in modules if m not in ("generator.plugin", "generator.cli", "generator.__main__")]
    assert "generator.build" in core and "generator.preview" in core and len(core) > 20
    code = (f"import sys; import {', '.join(core)}; "
            "print(any(m == 'mkdocs' or m.startswith('mkdocs.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
    adapter = subprocess.run([sys.executable, "-c", "import sys, generator.plugin; print('mkdocs' in sys.modules)"],
                             capture_output=True, text=True, check=True).stdout
    assert adapter.strip() == "True", "the check above would pass on any code if nothing imported MkDocs"


def test_parallel_rendering_gives_the_same_html_and_photos(monkeypatch):
    """Large sites render in forked processes; what they give back must match one process exactly."""
    from conftest import ROOT
    from generator.images import Photos

    def rendered(jobs: int):
        settings = Settings(content_dir=ROOT / "content", site_url="https://x.vn/")
        content = core.read(settings)
        photos = Photos(settings.content_dir, base_path=settings.base_path)
        core.render(settings, content, photos, jobs=jobs)
        return [(b.url, b.body_html, b.lead) for b in content.bulletins], sorted(photos.photos)

    monkeypatch.setattr(core, "PARALLEL_FROM", 1)
    one, photos_one = rendered(1)
    two, photos_two = rendered(2)
    assert any("<figure>" in html for _, html, _ in one) and any("bt-doc-link" in html for _, html, _ in one)
    assert two == one
    assert photos_two == photos_one and photos_one


def test_a_build_split_between_processes_gives_the_same_pages_and_files(monkeypatch):
    """Reading, rendering, and feeds made beside the pages: forked or not, the same result."""
    from conftest import ROOT
    from generator import parallel

    def built(jobs: int):
        monkeypatch.setattr(parallel, "jobs_for", lambda count, j=0, min_items=0: jobs)
        result = core.make(Settings(content_dir=ROOT / "content", site_url="https://x.vn/"))
        return [(p.url, p.title) for p in result.pages], {a.path: a.content for a in result.files}

    one, two = built(1), built(2)
    assert any(path.endswith(".xml") for path in one[1]) and any(path.endswith(".ics") for path in one[1])
    assert two == one


def test_work_done_in_another_process_gives_back_its_result_or_its_error(monkeypatch):
    import os
    from generator import parallel

    monkeypatch.setattr(parallel, "jobs_for", lambda count, j=0, min_items=0: 2)
    pid, value = parallel.later(lambda: (os.getpid(), ["kết quả"]))()
    assert value == ["kết quả"] and pid != os.getpid()

    def fails():
        raise ValueError("site_url thiếu")

    with pytest.raises(ValueError, match="site_url thiếu"):
        parallel.later(fails)()
