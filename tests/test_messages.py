"""Every mistake an editor or an operator makes gives a clear message, never a traceback, a silent
loss or a wrong page; and `bantin check` says exactly what `bantin build` would refuse."""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import html as lhtml
from PIL import Image

from conftest import ROOT, bantin, make_project

HEAD = "---\ntitle: {title}\ndate: {date}\ncategory: chinh-quyen\nunit: phuong-gia-thuy\n"


def write(project: Path, name: str, extra: str = "", body: str = "Nội dung bài.", title: str = "Bài thử",
          date: str = "2024-03-03 09:00") -> Path:
    path = project / "content" / "bulletins" / "2024" / name
    path.write_text(HEAD.format(title=title, date=date) + extra + "---\n" + body + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("messages") / "project")
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "- bantin:", "- bantin:\n      search: false", 1), encoding="utf-8")
    return project


@pytest.fixture
def project(base, tmp_path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(base, copy, ignore=shutil.ignore_patterns("site", ".cache"))
    return copy


def check(project: Path, *args: str) -> subprocess.CompletedProcess:
    result = bantin("check", *args, cwd=project, check=False)
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def fails_with(project: Path, *expected: str) -> str:
    """check and build both fail, both with each expected line, neither with a traceback."""
    checked = check(project)
    built = bantin("build", "-q", cwd=project, check=False)
    for result in (checked, built):
        out = result.stdout + result.stderr
        assert result.returncode == 1 and "Traceback" not in out, out
        for text in expected:
            assert text in out, f"{text!r} not in:\n{out}"
    return checked.stdout + checked.stderr


# ------------------------------------------------------------------ silent losses and wrong output

def test_a_missing_cover_or_body_photo_is_an_error_at_its_line(project):
    write(project, "anh.md", "image: /media/2024/khong-co.jpg\ncaption: Ảnh\n",
          body="Đoạn một.\n\n![Ảnh](/media/2024/cung-khong-co.jpg \"Chú thích\")")
    fails_with(project, "content/bulletins/2024/anh.md:6: image: không có tệp content/media/2024/khong-co.jpg "
                        "(đặt tệp vào đó, hoặc sửa lại đường dẫn)",
               "content/bulletins/2024/anh.md:11: body: không có tệp content/media/2024/cung-khong-co.jpg")


def test_a_photo_that_is_not_a_photo_is_an_error_at_its_line(project):
    (project / "content" / "media" / "2024" / "hong.jpg").write_bytes(b"not a jpeg at all")
    write(project, "anh.md", "image: /media/2024/hong.jpg\ncaption: Ảnh\n")
    fails_with(project, "content/bulletins/2024/anh.md:6: image: không đọc được ảnh media/2024/hong.jpg")


DOCUMENT = "meeting:\n  documents:\n    - number: 12-QĐ/UBND\n      file: {file}\n"


def test_a_missing_document_file_is_an_error_naming_the_bulletin_line_and_field(project):
    write(project, "van-ban.md", DOCUMENT.format(file="/media/2024/khong-co.pdf"))
    fails_with(project, "content/bulletins/2024/van-ban.md:9: meeting.documents[0].file: không có tệp "
                        "content/media/2024/khong-co.pdf (đặt tệp vào đó, hoặc sửa lại đường dẫn)")


@pytest.mark.parametrize("file,expected", [
    ("/media/2024/bang.xlsx", "tệp văn bản /media/2024/bang.xlsx phải là PDF, DOC, DOCX hoặc ODT"),
    ("/tai-lieu/qd.pdf", "tệp văn bản /tai-lieu/qd.pdf phải nằm trong thư mục content/media/"),
    ("https://example.com/qd.pdf", "meeting.documents[0].file:"),
])
def test_a_document_file_of_another_kind_or_place_is_refused_at_its_line(project, file, expected):
    write(project, "van-ban.md", DOCUMENT.format(file=file))
    out = fails_with(project, "content/bulletins/2024/van-ban.md:9: ")
    assert expected in out


def test_a_document_file_that_is_not_what_its_name_says_is_refused(project):
    (project / "content" / "media" / "2024" / "qd.pdf").write_text("<html>not a pdf</html>", encoding="utf-8")
    write(project, "van-ban.md", DOCUMENT.format(file="/media/2024/qd.pdf"))
    fails_with(project, "content/bulletins/2024/van-ban.md:9: meeting.documents[0].file: ")


def test_site_yml_problems_are_errors_at_their_line(project):
    site = project / "content" / "site.yml"
    site.write_text("agency: UBND phường Gia Thụy\nphone: 024 1234 5678\nemial: a@b.vn\n"
                    "image: /media/khong-co.jpg\n", encoding="utf-8")
    fails_with(project, "content/site.yml:3: emial: ")
    site.write_text("agency: UBND phường Gia Thụy\nimage: /media/khong-co.jpg\n", encoding="utf-8")
    fails_with(project, "content/site.yml:2: image: không có tệp content/media/khong-co.jpg")
    site.write_text("- agency: UBND phường Gia Thụy\n", encoding="utf-8")
    fails_with(project, "content/site.yml:1: -: tệp phải là các cặp trường: giá trị")


def test_schedule_problems_are_errors_at_their_file_line_and_field(project):
    folder = project / "content" / "schedules"
    folder.mkdir(exist_ok=True)
    (folder / "sai.yml").write_text(
        "kind: lịch họp\nunit: phuong-gia-thuyy\nentries:\n  - day: 2026-12-03\n    time: 25:00\n"
        "    title: Giao ban\n  - day: 03/12/2026\n    title: Tiếp công dân\n    chu_tri: A\n"
        "  - day: 2026-12-04\n    time: '14:00'\n    end: '13:00'\n    title: Họp\n",
        encoding="utf-8")
    fails_with(project, "content/schedules/sai.yml:1: kind: giá trị không hợp lệ: 'lịch họp'",
               "content/schedules/sai.yml:2: unit: đơn vị 'phuong-gia-thuyy' chưa được khai báo "
               "(có phải ý là 'phuong-gia-thuy'?",
               "content/schedules/sai.yml:5: entries[0].time: giờ không đọc được: '25:00' (dạng HH:MM, ví dụ 08:00",
               "content/schedules/sai.yml:7: entries[1].day: ngày không đọc được: '03/12/2026'",
               "content/schedules/sai.yml:9: entries[1].chu_tri: trường 'chu_tri' không được biết đến",
               "content/schedules/sai.yml:12: entries[2].end: giờ kết thúc trước giờ bắt đầu")


@pytest.mark.parametrize("name,what", [("units.yml", "đơn vị"), ("categories.yml", "chuyên mục")])
def test_an_empty_list_of_units_or_categories_stops_everything(project, name, what):
    (project / "content" / name).write_text("# chưa khai báo\n", encoding="utf-8")
    old = project / "site"
    (old / "2020").mkdir(parents=True)
    (old / "index.html").write_text("bản cũ", encoding="utf-8")
    fails_with(project, f"content/{name}:1: -: {name} không có mục nào: mọi tin bài sẽ không có {what}")
    assert (old / "index.html").read_text(encoding="utf-8") == "bản cũ", "the old site was replaced"


@pytest.mark.parametrize("written,shown", [("12:30", "12:30"), ("010", "010"), ("1.50", "1.50"), ("1_000", "1_000"),
                                           ("yes", "yes")])
def test_text_fields_keep_the_text_as_written(project, written, shown):
    write(project, "so.md", f"slug: bai-so\nmeeting:\n  location: {written}\n", title=written)
    bantin("build", "-q", cwd=project)
    page = lhtml.fromstring((project / "site" / "2024" / "03" / "bai-so" / "index.html").read_bytes())
    assert page.cssselect("h1.bt-title")[0].text == shown
    assert shown in page.cssselect(".bt-meeting")[0].text_content()


def test_a_date_with_another_offset_is_placed_shown_and_archived_in_the_sites_zone(project):
    write(project, "gio.md", title="Bài giờ khác", date="2024-05-31T20:00:00-12:00")
    bantin("build", "-q", cwd=project)
    page = project / "site" / "2024" / "06" / "bai-gio-khac" / "index.html"
    tree = lhtml.fromstring(page.read_bytes())
    assert "01/06/2024 | 15:00" in tree.cssselect(".bt-meta")[0].text_content()
    june = (project / "site" / "luu-tru" / "2024" / "06" / "index.html").read_text(encoding="utf-8")
    may = project / "site" / "luu-tru" / "2024" / "05" / "index.html"
    assert "Bài giờ khác" in june and (not may.exists() or "Bài giờ khác" not in may.read_text(encoding="utf-8"))


def test_unit_parents_are_declared_and_never_circle(project):
    units = project / "content" / "units.yml"
    units.write_text(units.read_text(encoding="utf-8") + (
        "\n- key: vong-a\n  name: Vòng A\n  parent: vong-b\n\n- key: vong-b\n  name: Vòng B\n  parent: vong-a\n"
        "\n- key: tu-minh\n  name: Tự mình\n  parent: tu-minh\n\n- key: mo-coi\n  name: Mồ côi\n"
        "  parent: quan-long-bein\n"), encoding="utf-8")
    lines = units.read_text(encoding="utf-8").splitlines()
    line = {text: n for n, text in enumerate(lines, 1)}
    fails_with(project,
               f"content/units.yml:{line['  parent: vong-b']}: parent: các đơn vị là cấp trên của nhau theo vòng: "
               "vong-a → vong-b → vong-a",
               f"content/units.yml:{line['  parent: tu-minh']}: parent: đơn vị 'tu-minh' là cấp trên của chính nó",
               f"content/units.yml:{line['  parent: quan-long-bein']}: parent: đơn vị cấp trên 'quan-long-bein' chưa "
               "được khai báo (có phải ý là 'quan-long-bien'?")


@pytest.mark.parametrize("option,value,expected", [
    ("feed_items", "-5", "feed_items: là -5 (phải là số nguyên từ 1 trở lên, ví dụ feed_items: 20)"),
    ("per_page", "0", "per_page: là 0 (phải là số nguyên từ 1 trở lên, ví dụ per_page: 10)"),
    ("listing_pages", "-1", "listing_pages: là -1 (phải là số nguyên từ 0 trở lên; 0 là không giới hạn, "
                            "ví dụ listing_pages: 100)"),
    ("timezone", "Mars/Phobos", "timezone: múi giờ 'Mars/Phobos' không có"),
])
def test_settings_are_checked_and_named(project, option, value, expected):
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace(f"      {option}: ", f"      {option}_old: ") if f"      {option}:" in text else text
    config.write_text(text.replace("- bantin:\n", f"- bantin:\n      {option}: {value}\n", 1).replace(
        f"      {option}_old: ", "      # "), encoding="utf-8")
    for command in (("check",), ("build", "-q")):
        result = bantin(*command, cwd=project, check=False)
        out = result.stdout + result.stderr
        assert result.returncode == 1 and "Traceback" not in out and expected in out, out
    # check builds nothing, so it says nothing of the site, in the same shape for every option
    lines = (bantin("check", cwd=project, check=False).stderr).strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"mkdocs.yml: plugins › bantin › {option}: "), lines
    assert lines[1] == "mkdocs.yml có lỗi: sửa các dòng trên rồi chạy lại.", lines


def test_two_people_of_one_name_in_two_provinces_are_two_people(project):
    meeting = "meeting:\n  chairs:\n    - name: Nguyễn Văn Thành\n      role: {role}\n"
    write(project, "ha-noi.md", meeting.format(role="Bí thư Đảng ủy phường"), title="Hội nghị ở Gia Thụy")
    path = write(project, "an-giang.md", meeting.format(role="Chủ tịch UBND huyện"), title="Hội nghị ở Châu Phú")
    path.write_text(path.read_text(encoding="utf-8").replace("unit: phuong-gia-thuy", "unit: huyen-chau-phu"),
                    encoding="utf-8")
    result = check(project)
    assert "Nguyễn Văn Thành ở Thành phố Hà Nội và Nguyễn Văn Thành ở Tỉnh An Giang được coi là hai người khác nhau" \
        in result.stdout, result.stdout
    bantin("build", "-q", cwd=project)
    people = project / "site" / "nhan-su"
    pages = sorted(p.name for p in people.iterdir() if p.name.startswith("nguyen-van-thanh"))
    assert len(pages) >= 2, pages
    roles = {p: (people / p / "index.html").read_text(encoding="utf-8") for p in pages}
    assert any("Chủ tịch UBND huyện" in t and "Bí thư Đảng ủy phường" not in t for t in roles.values())


def test_people_yml_merges_two_places_into_one_person(project):
    meeting = "meeting:\n  chairs:\n    - name: Lê Văn Hòa\n      role: {role}\n"
    write(project, "mot.md", meeting.format(role="Trưởng ban"), title="Hội nghị một")
    path = write(project, "hai.md", meeting.format(role="Phó ban"), title="Hội nghị hai")
    path.write_text(path.read_text(encoding="utf-8").replace("unit: phuong-gia-thuy", "unit: huyen-chau-phu"),
                    encoding="utf-8")
    (project / "content" / "people.yml").write_text(
        "- name: Lê Văn Hòa\n  units: [thanh-pho-ha-noi, tinh-an-giang]\n  key: le-van-hoa\n", encoding="utf-8")
    assert "Lê Văn Hòa" not in check(project).stdout
    bantin("build", "-q", cwd=project)
    page = (project / "site" / "nhan-su" / "le-van-hoa" / "index.html").read_text(encoding="utf-8")
    assert "Hội nghị một" in page and "Hội nghị hai" in page


def test_a_local_document_number_belongs_to_its_issuing_unit(project):
    path = write(project, "da-nang.md", body="Thực hiện Đề án số 01-ĐA/TU ngày 05/01/2021 của Thành ủy Đà Nẵng.",
                 title="Đà Nẵng triển khai đề án")
    units = project / "content" / "units.yml"
    units.write_text(units.read_text(encoding="utf-8") + "\n- key: thanh-pho-da-nang\n  name: Thành phố Đà Nẵng\n"
                     "  level: thành phố\n", encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace("unit: phuong-gia-thuy", "unit: thanh-pho-da-nang"),
                    encoding="utf-8")
    warning = next(line for line in check(project).stdout.splitlines() if "văn bản 01-ĐA/TU của" in line)
    assert "Thị xã Sơn Tây" in warning and "Thành phố Đà Nẵng" in warning and "hai văn bản khác nhau" in warning
    bantin("build", "-q", cwd=project)
    docs = project / "site" / "van-ban"
    son_tay = (docs / "01-da-tu-thi-xa-son-tay" / "index.html").read_text(encoding="utf-8")
    da_nang = (docs / "01-da-tu-thanh-pho-da-nang" / "index.html").read_text(encoding="utf-8")
    assert "13/06/2016" in son_tay and "Đà Nẵng triển khai đề án" not in son_tay
    assert "Đà Nẵng triển khai đề án" in da_nang and "05/01/2021" in da_nang


def test_drafts_left_out_are_named_by_check_and_build(project):
    write(project, "nhap.md", "draft: true\n", title="Bài còn nháp")
    result = check(project)
    assert "content/bulletins/2024/nhap.md:6: draft: bản nháp, chưa đăng (đổi draft: true thành draft: false để đăng)" \
        in result.stdout and "2 chưa đăng" in result.stderr and result.returncode == 0
    built = bantin("build", cwd=project)
    assert "content/bulletins/2024/nhap.md:6: draft:" in built.stderr and "2 bài chưa đăng" in built.stdout


def test_the_site_gets_ordinary_permissions(project):
    bantin("build", "-q", cwd=project)
    site = project / "site"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(site.stat().st_mode) == 0o777 & ~mask
    assert site.stat().st_mode & stat.S_IROTH and site.stat().st_mode & stat.S_IXOTH


# ------------------------------------------------------------------ what used to be tracebacks

@pytest.mark.parametrize("char", ["\x0b", "\x01", "\x0c", "\u200b"])
def test_pasted_control_characters_are_cleaned_and_the_feeds_build(project, char):
    write(project, "dan.md", title=f"Tiêu đề{char}dán từ Word", body=f"Đoạn một{char}dòng hai.\n\nĐoạn hai.")
    result = check(project)
    assert result.returncode == 0, result.stdout
    bantin("build", "-q", cwd=project)
    feed = (project / "site" / "feed.xml").read_text(encoding="utf-8")
    assert "dán từ Word" in feed and char not in feed


@pytest.mark.parametrize("char,code", [("\x00", "U+0000"), ("\uffff", "U+FFFF"), ("\ufffe", "U+FFFE")])
def test_characters_no_text_may_hold_are_refused_at_their_line(project, char, code):
    write(project, "dan.md", title=f"Tiêu {char} đề", body=f"Đoạn một.\n\nĐoạn {char} hai.")
    fails_with(project, f"content/bulletins/2024/dan.md:2: title: có ký tự không dùng được trong văn bản ({code})",
               f"content/bulletins/2024/dan.md:9: body: có ký tự không dùng được trong văn bản ({code})")


@pytest.mark.parametrize("extra,expected", [
    ("", "content/bulletins/2024/xa.md:3: date: ngày '0001-01-01 00:00' nằm ngoài khoảng cho phép (một ngày từ năm 1900"),
    ("meeting:\n  start: 0001-01-01 00:00\n", "meeting.start: ngày '0001-01-01 00:00' nằm ngoài khoảng cho phép"),
    ("updated: 9999-12-31T23:59-12:00\n", "updated: ngày '9999-12-31T23:59-12:00' nằm ngoài khoảng cho phép"),
])
def test_dates_out_of_range_are_errors_not_tracebacks(project, extra, expected):
    write(project, "xa.md", extra, date="0001-01-01 00:00" if not extra else "2024-03-03 09:00")
    fails_with(project, expected)


def test_a_read_only_cache_folder_builds_without_a_cache(project, tmp_path):
    (project / ".cache").write_text("không phải thư mục", encoding="utf-8")   # nothing can be kept there
    bantin("build", "-q", "-d", str(tmp_path / "out"), cwd=project)
    assert (tmp_path / "out" / "index.html").is_file() and any((tmp_path / "out" / "media").rglob("*-320w.jpg"))


@contextlib.contextmanager
def small_disk(folder: Path, options: str = "size=600k"):
    """A 600 KB disk of its own mounted at `folder` (tmpfs), unmounted afterwards."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    assert mounted.returncode == 0, f"a small disk for the test could not be mounted: {mounted.stderr!r}"
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_a_full_disk_is_said_plainly_and_leaves_the_old_site(project, tmp_path):
    with small_disk(tmp_path / "disk") as disk:
        (disk / "site").mkdir()
        (disk / "site" / "index.html").write_text("bản cũ", encoding="utf-8")
        result = bantin("build", "-q", "-d", str(disk / "site"), cwd=project, check=False)
        out = result.stdout + result.stderr
        assert result.returncode == 1 and "Traceback" not in out, out
        assert "Hết chỗ trống trên đĩa" in out and f"thư mục {disk / 'site'} cũ vẫn giữ nguyên" in out, out
        assert (disk / "site" / "index.html").read_text(encoding="utf-8") == "bản cũ"
        assert sorted(p.name for p in disk.iterdir()) == ["site"], "a temporary folder was left behind"


# ------------------------------------------------------------------ messages

@pytest.mark.parametrize("extra,expected", [
    ("tittle: Sai tên\n", "content/bulletins/2024/sai.md:6: tittle: trường 'tittle' không được biết đến "
                          "(có phải ý là `title`?"),
    ("unit:quan-son-tra\n", "content/bulletins/2024/sai.md:6: unit: thiếu dấu cách sau dấu hai chấm trong "
                            "'unit:quan-son-tra' (viết unit: quan-son-tra)"),
    ("meeting:\n  chairs:\n    - Nguyễn Văn A - Chủ tịch UBND\n",
     "meeting.chairs[0]: mỗi người phải là một nhóm gồm name: (họ tên) và role: (chức vụ) (viết:  - name: Nguyễn Văn A"),
    ("opinion:\n  concerns:\n    - title: Ngập úng\n      response: {status: đã trả lời}\n", None),
    ("opinion:\n  concerns:\n    - title: Ngập úng\n      response: {status: xong}\n",
     "response.status: giá trị không hợp lệ: 'xong' (một trong: 'chưa trả lời', 'đang xử lý', 'đã trả lời' "
     "(hoặc 'pending', 'in-progress', 'answered'))"),
    ("category: tin-tuc\n", "category: khóa 'category' bị trùng (mỗi khóa chỉ viết một lần"),
    ("x: &a 1\ny: *a\n", "có neo hoặc bí danh YAML (&, *, <<) (viết đầy đủ giá trị ở từng chỗ"),
])
def test_each_mistake_names_file_line_field_and_what_was_expected(project, extra, expected):
    write(project, "sai.md", extra)
    result = check(project)
    if expected is None:
        assert result.returncode == 0, result.stdout
        return
    assert result.returncode == 1 and expected in result.stdout, result.stdout


def test_a_missing_field_says_how_to_write_it(project):
    path = write(project, "thieu.md")
    path.write_text(path.read_text(encoding="utf-8").replace("title: Bài thử\n", ""), encoding="utf-8")
    result = check(project)
    assert "content/bulletins/2024/thieu.md:2: title: thiếu trường bắt buộc (thêm một dòng title: " in result.stdout


def test_the_demo_content_gives_no_warning():
    result = bantin("check", cwd=ROOT)
    assert result.returncode == 0 and "Cảnh báo" not in result.stdout and "0 cảnh báo" in result.stderr


# ------------------------------------------------------------------ check and build agree

BROKEN = {
    "thieu-tieu-de.md": ("", "Bài thử", "2024-03-03 09:00"),
    "ngay-sai.md": ("", "Bài ngày sai", "02/11/2022"),
    "anh-thieu.md": ("image: /media/khong-co.jpg\ncaption: x\n", "Bài ảnh thiếu", "2024-03-03 09:00"),
    "dia-chi-cu.md": ("aliases:\n  - /chuyen-muc/chinh-quyen/\n", "Bài địa chỉ cũ", "2024-03-03 09:00"),
    "tot.md": ("", "Bài tốt", "2024-03-03 09:00"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_check_and_build_agree(project, name):
    extra, title, date = BROKEN[name]
    path = write(project, name, extra, title=title, date=date)
    if name == "thieu-tieu-de.md":
        path.write_text(path.read_text(encoding="utf-8").replace("title: Bài thử\n", ""), encoding="utf-8")
    checked = check(project)
    built = bantin("build", "-q", cwd=project, check=False)
    assert (checked.returncode == 0) == (built.returncode == 0), checked.stdout + built.stderr
    errors = checked.stdout.split("Lỗi:\n", 1)[1].split("\n\n", 1)[0] if "Lỗi:\n" in checked.stdout else ""
    problems = [line.split(" (")[0] for line in errors.splitlines()]
    assert bool(problems) == (name != "tot.md"), checked.stdout
    for problem in problems:
        assert problem in built.stderr, f"check says {problem!r}; build does not:\n{built.stderr}"


# ------------------------------------------------------------------ operations

def test_leftovers_of_a_killed_build_are_removed_by_the_next(project):
    killed = project / "site.tmp-abc123"
    (killed / "2024").mkdir(parents=True)
    (killed / "index.html").write_text("nửa chừng", encoding="utf-8")
    bantin("build", "-q", cwd=project)
    assert not killed.exists() and not list(project.glob("site.tmp-*"))
    gone_soon(project, "site.old-*")


def gone_soon(folder, pattern, within: float = 120.0) -> None:
    """The site a build replaced is removed in the background, once the new one is in place."""
    end = time.monotonic() + within
    while list(folder.glob(pattern)) and time.monotonic() < end:
        time.sleep(0.05)
    assert not list(folder.glob(pattern)), f"{pattern} still beside the site after {within:.0f} s"


def test_an_old_site_being_removed_is_left_to_its_remover_and_one_left_over_is_removed(project):
    """A build neither waits for nor touches an old site whose removal holds its lock (a build just
    before it, still removing what it replaced); an old site whose removal was stopped is removed."""
    old = project / "site.old-abc123"
    (old / "2024").mkdir(parents=True)
    (old / "2024" / "index.html").write_text("trang cũ", encoding="utf-8")
    fd = os.open(old, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        bantin("build", "-q", cwd=project)
        assert (old / "2024" / "index.html").is_file(), "an old site being removed was removed by another build"
    finally:
        os.close(fd)
    bantin("build", "-q", cwd=project)
    assert not old.exists(), "an old site left over was not removed by the next build"
    assert (project / "site" / "index.html").is_file()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(project: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_page(url: str, proc: subprocess.Popen, seconds: float = 90) -> str:
    import urllib.request
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return answer.read().decode("utf-8")
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer: {proc.stderr.read() if proc.poll() is not None else ''}")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def test_a_preview_restarted_at_once_gets_its_port_back(project):
    port = free_port()
    first = serve(project, port)
    try:
        wait_page(f"http://127.0.0.1:{port}/", first)     # a connection: the port lingers once closed
    finally:
        stop(first)
    again = serve(project, port)
    try:
        assert "Cổng thông tin" in wait_page(f"http://127.0.0.1:{port}/", again)
    finally:
        stop(again)


def test_the_preview_shows_a_broken_file_in_the_browser_and_recovers(project, page):
    port = free_port()
    proc = serve(project, port)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_page(base, proc)
        page.goto(base + "chuyen-muc/chinh-quyen/")
        seed = project / "content" / "bulletins" / "2023" / "phu-thong-day-manh-dich-vu-cong-truc-tuyen.md"
        good = seed.read_text(encoding="utf-8")
        seed.write_text(good.replace("date: ", "date: ngay-sai "), encoding="utf-8")
        alert = page.locator("#bantin-problems")
        alert.wait_for(timeout=90_000)
        assert "phu-thong-day-manh-dich-vu-cong-truc-tuyen.md:" in alert.inner_text()
        assert "date: ngày giờ không đọc được" in alert.inner_text()
        seed.write_text(good, encoding="utf-8")
        alert.wait_for(state="detached", timeout=90_000)
        assert page.locator("h1").first.inner_text()
    finally:
        stop(proc)


def test_npm_install_leaves_the_lock_file_as_it_is(tmp_path):
    """The README's commands run `npm install`, which must not rewrite the tracked lock file."""
    for name in ("package.json", "package-lock.json"):
        shutil.copy(ROOT / name, tmp_path / name)
    before = (tmp_path / "package-lock.json").read_bytes()
    installed = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--package-lock-only"],
                               cwd=tmp_path, capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    assert (tmp_path / "package-lock.json").read_bytes() == before, "npm install rewrote package-lock.json"


def test_a_folder_that_cannot_be_written_is_named_as_the_operator_knows_it(project, tmp_path):
    """The build's fresh folder is its own business: the message names the folder given, plainly."""
    with small_disk(tmp_path / "disk", "size=600k,ro") as disk:
        result = bantin("build", "-q", "-d", str(disk / "site"), cwd=project, check=False)
        out = result.stdout + result.stderr
        assert result.returncode == 1 and "Traceback" not in out, out
        assert out.strip() == (f"Không có quyền ghi vào {disk} (Read-only file system); "
                               f"thư mục {disk / 'site'} cũ vẫn giữ nguyên."), out
