"""`bantin import`, driven as an editor would: seeds, saved portal pages, feeds, a WordPress export, URLs.

Every source is a local file (fixtures shaped like real portal pages, the seed texts in
../shared/seeds/) or a real HTTP server on 127.0.0.1 that the test starts and stops.  Imported
bulletins must pass `bantin check` once their draft flag is cleared.
"""
from __future__ import annotations

import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest
import yaml
from PIL import Image

from conftest import ROOT, SEEDS, bantin, make_project
from generator.content.reader import decode, load_yaml, split_front_matter
from generator.images import reduce_upload

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
SEED = {  # seed file -> (unit, category), as the editor would give them
    "000_0650207afd5352c7.txt": ("phuong-ngoc-thuy", "hoat-dong-cac-phuong"),
    "001_417a237fee2b020e.txt": ("huyen-bach-thong", "du-luan-xa-hoi"),
    "002_76842d5629cf325d.txt": ("quan-long-bien", "dang-doan-the"),
    "003_78f4d4a5d82ccaeb.txt": ("thi-xa-son-tay", "dang-doan-the"),
    "004_c7a263bd4050c1ce.txt": ("tinh-an-giang", "du-luan-xa-hoi"),
}
NGOC_THUY = "https://ngocthuy.longbien.example.vn/Pages/chitiettintuc.aspx?ID=316976"
CHAU_PHU = "https://tuyengiao.chauphu.example.vn/tin-tuc/du-luan-xa-hoi/1234-giao-ban-du-luan-xa-hoi-quy-i-2022.html"


# ----------------------------------------------------------------- helpers

def empty_project(tmp_path: Path) -> Path:
    """The demo project with its site data and no bulletin: what an adopting unit starts from."""
    project = make_project(tmp_path / "site")
    shutil.rmtree(project / "content" / "bulletins")
    shutil.rmtree(project / "content" / "media")
    (project / "content" / "bulletins").mkdir()
    share = yaml.safe_load((project / "content" / "site.yml").read_text(encoding="utf-8")).get("image")
    if share:       # the site data's own picture (link previews) stays: it is part of the site data
        kept = project / "content" / share.lstrip("/")
        kept.parent.mkdir(parents=True)
        shutil.copy(ROOT / "content" / share.lstrip("/"), kept)
    return project


def run_import(project: Path, *args: str, check: bool = True):
    return bantin("import", *args, cwd=project, check=check)


def report(project: Path, *args: str) -> dict:
    result = run_import(project, *args, "--format", "json", check=False)
    return json.loads(result.stdout)


def bulletins(project: Path) -> dict[str, tuple[dict, str]]:
    """Every bulletin by title: (front matter, body)."""
    out = {}
    for path in sorted((project / "content" / "bulletins").rglob("*.md")):
        head, body, _ = split_front_matter(decode(path.read_bytes()))
        data = load_yaml(head).data
        out[data["title"]] = (data, body)
    return out


def publish_all_and_check(project: Path) -> str:
    """Clear every draft flag, as the reviewing editor does, and run `bantin check`."""
    for path in (project / "content" / "bulletins").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert "\ndraft: true\n" in text, f"{path.name} was not imported as a draft"
        path.write_text(text.replace("\ndraft: true\n", "\ndraft: false\n"), encoding="utf-8")
    result = bantin("check", cwd=project, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stderr


def photo(path: Path, size=(1200, 800), mode="RGB", fmt="JPEG", exif_orientation=None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    im = Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30))
    exif = Image.Exif()
    if exif_orientation:
        exif[0x0112] = exif_orientation
        exif[0x010F] = "PhoneMaker"
    im.save(path, fmt, exif=exif.tobytes() if exif_orientation else b"")
    return path


def tree(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def mapping(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapping.yml"
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------- the seed texts

def test_the_five_seed_texts_become_drafts_with_their_meeting_record_that_pass_check(tmp_path):
    project = empty_project(tmp_path)
    for name, (unit, category) in SEED.items():
        args = [str(SEEDS / name), "--unit", unit, "--category", category]
        out = run_import(project, *args, check=False)
        if name.startswith("004"):   # no publication date in the text: not written, and the editor is told how
            assert out.returncode == 1 and "không tìm thấy ngày đăng" in out.stdout and "--date" in out.stdout
            assert len(bulletins(project)) == 4
            run_import(project, *args, "--date", "2022-07-01")
    found = bulletins(project)
    assert len(found) == 5

    toa_dam, body = found["Đảng ủy phường Ngọc Thụy tổ chức tọa đàm “Giải pháp nâng cao chất lượng, hiệu quả công "
                          "tác nắm bắt, phối hợp xử lý và định hướng dư luận xã hội”"]
    assert toa_dam["date"] == "2022-11-02 20:32" and toa_dam["source"] == "Tổ DLXH" and toa_dam["draft"] is True
    meeting = toa_dam["meeting"]
    assert meeting["start"] == "2022-11-01 14:00" and meeting["format"] == "tọa đàm" and meeting["contributions"] == 9
    assert meeting["location"] == "Phòng họp 1-UBND phường Ngọc Thụy"
    assert meeting["chairs"] == [
        {"name": "Nguyễn Viết Tấn", "role": "Phó bí thư thường trực đảng ủy phường"},
        {"name": "Trương Phi Long",
         "role": "Đảng ủy viên, Bí thư đoàn thanh niên, Cán bộ Tuyên giáo đảng ủy, Tổ phó tổ DLXH phường"}]
    assert meeting["guests"] == [{"name": "Đinh Thị Việt Hà", "role": "Phó trưởng Ban tuyên giáo quận ủy"}]
    # Captions without photos stay in the text, in italics; the source line and the date line leave it.
    assert "\n*Các ý kiến tham luận tại HN*\n" in body
    assert "Nguồn" not in body and "Lượt xem" not in body and "Ngày đăng" not in body
    assert "\n- Đảng ủy, chính quyền, MTTQ" in body

    opinion, body = found["Bạch Thông nâng cao chất lượng công tác nắm bắt, định hướng dư luận xã hội"]
    assert opinion["date"] == "2023-12-11 08:00" and opinion["author"] == "Hương Dịu"
    assert "meeting" not in opinion, "a summary of the year is not a meeting record"
    assert "Tăng cỡ chữ" not in body and "PublishingPortal" not in body and "Hương Dịu" not in body

    giao_ban = found["Giao ban Dư luận xã hội định kỳ tháng 11/2021"][0]["meeting"]
    assert giao_ban["chairs"] == [{"name": "Nguyễn Thế Thạch", "role": "Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo "
                                   "Quận ủy, Giám đốc Trung tâm Chính trị Quận"}]
    assert giao_ban["location"] == "Phòng họp số 2 - Quận ủy Long Biên"
    assert giao_ban["documents"] == [{"number": "334-QĐ/QU", "date": "2021-11-26",
                                      "title": "Kiện toàn Tổ cộng tác viên dư luận xã hội cấp Quận"},
                                     {"number": "68-NQ/CP"}]

    son_tay, _ = found["Thị ủy tổng kết thực hiện Đề án số 01- ĐA/TU"]
    assert son_tay["author"] == "PHẠM HẢO"
    assert son_tay["meeting"]["start"] == "2020-06-25 14:00", "'Chiều ngày 25/6' takes the year of publication"
    assert son_tay["meeting"]["guests"] == [{"name": "Nguyễn Huy Khánh", "role": "Phó Bí thư Thị ủy, Chủ tịch UBND thị xã"}]

    an_giang, body = found["Tiếp tục đổi mới định hướng dư luận xã hội để tăng cường bảo vệ nền tảng tư tưởng của Đảng"]
    assert an_giang["author"] == "Nguyễn Lam" and an_giang["meeting"]["start"] == "2022-07-01 08:00"
    assert [c["name"] for c in an_giang["meeting"]["chairs"]] == ["Trần Thị Thanh Hương", "Nguyễn Hữu Thịnh",
                                                                  "Lê Thị Kim Hồng"]
    assert an_giang["meeting"]["chairs"][2]["role"] == "Phó Bí thư Thường trực Huyện ủy Châu Phú"
    assert [d["number"] for d in an_giang["meeting"]["documents"]] == ["35-NQ/TW", "07-ĐA/TU", "238-QĐ/TW"]
    assert len(an_giang["meeting"]["conclusions"]) == 4
    assert "Giải phóng miền Nam" not in body and "27163195" not in body, "the portal's blocks after the byline"

    publish_all_and_check(project)


def test_photos_kept_beside_a_text_become_its_captioned_figures_reduced(tmp_path):
    project = empty_project(tmp_path)
    source = tmp_path / "cu" / "toa-dam.txt"
    source.parent.mkdir()
    shutil.copy(SEEDS / "000_0650207afd5352c7.txt", source)
    photo(source.parent / "toa-dam" / "1.jpg", size=(4000, 3000))
    photo(source.parent / "toa-dam" / "2.jpg", size=(3000, 4000))
    out = run_import(project, str(source), "-u", "phuong-ngoc-thuy", "-c", "hoat-dong-cac-phuong").stdout
    assert "4 chú thích" in out and "2 ảnh" in out, "two photos for four captions is for the editor to check"
    data, body = next(iter(bulletins(project).values()))
    slug = data["slug"]
    assert f'![Đ/c Đinh Thị Việt Hà - Phó trưởng BTGQU dự và phát biểu chỉ đạo Hội nghị](/media/2022/{slug}-1.jpg ' \
           '"Đ/c Đinh Thị Việt Hà - Phó trưởng BTGQU dự và phát biểu chỉ đạo Hội nghị")' in body
    assert f"(/media/2022/{slug}-2.jpg " in body and "*Các ý kiến tham luận tại HN*" in body
    for n, size in ((1, (1600, 1200)), (2, (1200, 1600))):
        with Image.open(project / "content" / "media" / "2022" / f"{slug}-{n}.jpg") as im:
            assert (im.format, im.size) == ("JPEG", size)
    publish_all_and_check(project)


# ----------------------------------------------------------------- saved portal pages

def portal_copy(tmp_path: Path) -> Path:
    """The saved pages with photos as a mirror leaves them; one large, one unreadable, one missing."""
    portal = shutil.copytree(FIXTURES / "portal", tmp_path / "mirror")
    upload = portal / "ngocthuy.longbien.example.vn" / "Upload" / "NgocThuy" / "2022" / "11"
    photo(upload / "toa-dam-dlxh-1.jpg", size=(3200, 2400))
    photo(upload / "toa-dam-dlxh-2.jpg")
    (upload / "toa-dam-dlxh-3.jpg").write_bytes(b"<html>404 Not Found</html>")
    photo(portal / "tuyengiao.chauphu.example.vn" / "images" / "2022" / "05" / "giao-ban-dlxh-quy-i.jpg")
    return portal


PORTAL_MAP = """\
sections:
  Hoạt động các phường: {category: hoat-dong-cac-phuong, unit: phuong-ngoc-thuy}
  Dư luận xã hội: {category: du-luan-xa-hoi, unit: huyen-chau-phu}
"""


def test_a_folder_of_saved_portal_pages_imports_each_article_with_its_photos_and_captions(tmp_path):
    project = empty_project(tmp_path)
    portal = portal_copy(tmp_path)
    result = report(project, str(portal), "--map", str(mapping(tmp_path, PORTAL_MAP)))
    assert [w["imported_from"] for w in result["written"]] == [NGOC_THUY, CHAU_PHU]
    found = bulletins(project)

    ngoc_thuy, body = found["Đảng ủy phường Ngọc Thụy tổ chức tọa đàm “Giải pháp nâng cao chất lượng, hiệu quả công "
                            "tác nắm bắt, phối hợp xử lý và định hướng dư luận xã hội”"]
    assert ngoc_thuy["date"] == "2022-11-02 20:32", "the “Ngày đăng” line, not the toolbar's date of the day"
    assert ngoc_thuy["category"] == "hoat-dong-cac-phuong" and ngoc_thuy["unit"] == "phuong-ngoc-thuy"
    assert ngoc_thuy["imported_from"] == NGOC_THUY and "aliases" not in ngoc_thuy
    assert ngoc_thuy["source"] == "Tổ DLXH" and ngoc_thuy["meeting"]["contributions"] == 9
    slug = ngoc_thuy["slug"]
    assert f'(/media/2022/{slug}-1.jpg "Đ/c Đinh Thị Việt Hà - Phó trưởng BTGQU dự và phát biểu chỉ đạo Hội nghị")' \
        in body
    assert f'(/media/2022/{slug}-2.jpg "Đ/c Trương Phi Long - CBTG, Tổ phó tổ DLXH trình bày báo cáo đề dẫn")' in body
    assert "\n*Các ý kiến tham luận tại HN*\n" in body, "the unreadable photo's caption stays, in italics"
    for chrome in ("Tin khác", "Thăm dò ý kiến", "Tổng lượt truy cập", "Lượt xem", "Trang chủ", "CỔNG THÔNG TIN"):
        assert chrome not in body
    with Image.open(project / "content" / "media" / "2022" / f"{slug}-1.jpg") as im:
        assert im.size == (1600, 1200)
    review = "\n".join(result["written"][0]["review"])
    assert "chuỗi truy vấn (?ID=316976)" in review and "toa-dam-dlxh-3.jpg" in review

    chau_phu, body = found["Giao ban công tác dư luận xã hội quý I/2022"]
    assert chau_phu["date"] == "2022-05-15 10:48", "the “Đăng ngày” line, not the side column's"
    assert chau_phu["aliases"] == ["/tin-tuc/du-luan-xa-hoi/1234-giao-ban-du-luan-xa-hoi-quy-i-2022.html"]
    assert chau_phu["author"] == "Nguyễn Lam" and chau_phu["unit"] == "huyen-chau-phu"
    meeting = chau_phu["meeting"]
    assert meeting["start"] == "2022-05-14 08:00", "'Sáng 14-5' in a bulletin of 15/05/2022"
    assert meeting["location"] == "Hội trường UBND huyện Châu Phú" and meeting["format"] == "giao ban"
    assert meeting["chairs"] == [{"name": "Lê Thị Kim Hồng", "role": "Phó Bí thư Thường trực Huyện ủy Châu Phú"}]
    assert meeting["guests"] == [{"name": "Nguyễn Hữu Thịnh", "role": "Phó Trưởng Ban Tuyên giáo Tỉnh ủy"}]
    assert meeting["documents"] == [{"number": "45-KH/HU", "date": "2022-01-10",
                                     "title": "Tăng cường công tác nắm bắt, định hướng dư luận xã hội năm 2022"}]
    assert meeting["conclusions"] == ["Cộng tác viên bám sát cơ sở, phản ánh kịp thời những vấn đề Nhân dân quan tâm",
                                      "Các cơ quan chuyên môn trả lời, giải quyết dứt điểm các kiến nghị đã được "
                                      "phản ánh"]
    assert "![Quang cảnh hội nghị giao ban](/media/2022/" in body and body.count("Quang cảnh hội nghị giao ban") == 2
    assert "*Đồng chí Lê Thị Kim Hồng phát biểu kết luận hội nghị*" in body
    assert "Đang có 318 khách" not in body and "Nguyễn Lam" not in body
    review = "\n".join(result["written"][1]["review"])
    assert "khong-con-anh.jpg" in review and "(TGCP)" in review

    publish_all_and_check(project)
    site = tmp_path / "built"
    bantin("build", "--quiet", "--site-dir", str(site), cwd=project)
    page = next(site.glob(f"2022/11/{slug}/index.html")).read_text(encoding="utf-8")
    assert "<figcaption>Đ/c Trương Phi Long - CBTG, Tổ phó tổ DLXH trình bày báo cáo đề dẫn</figcaption>" in page
    redirect = site / "tin-tuc" / "du-luan-xa-hoi" / "1234-giao-ban-du-luan-xa-hoi-quy-i-2022.html"
    assert chau_phu["slug"] in redirect.read_text(encoding="utf-8"), "the old address leads to the new page"


def test_one_saved_page_finds_its_photos_in_the_mirror_it_was_saved_in(tmp_path):
    project = empty_project(tmp_path)
    portal = portal_copy(tmp_path)
    page = portal / "tuyengiao.chauphu.example.vn" / "tin-tuc" / "du-luan-xa-hoi" / \
        "1234-giao-ban-du-luan-xa-hoi-quy-i-2022.html"
    result = report(project, str(page), "-u", "huyen-chau-phu", "-c", "du-luan-xa-hoi")
    assert result["written"][0]["photos"] == ["content/media/2022/giao-ban-cong-tac-du-luan-xa-hoi-quy-i-2022-1.jpg"]


def test_importing_again_writes_nothing_and_says_so(tmp_path):
    project = empty_project(tmp_path)
    portal = portal_copy(tmp_path)
    args = [str(portal), str(SEEDS / "003_78f4d4a5d82ccaeb.txt"), "--map",
            str(mapping(tmp_path, PORTAL_MAP + "category: dang-doan-the\nunit: thi-xa-son-tay\n"))]
    first = run_import(project, *args, check=False)
    assert "Tổng: 3 bài mới" in first.stdout
    before = tree(project / "content")
    again = run_import(project, *args)
    assert "Không có gì mới: cả 3 bài đã được nhập trước đây, không ghi tệp nào." in again.stdout
    assert again.stdout.count("Đã nhập trước đây, không ghi lại") == 3
    assert tree(project / "content") == before


def test_unknown_unit_or_category_stops_the_import_before_anything_is_written(tmp_path):
    project = empty_project(tmp_path)
    portal = portal_copy(tmp_path)
    before = tree(project / "content")
    out = run_import(project, str(SEEDS / "002_76842d5629cf325d.txt"), "-u", "quan-long-bien", "-c", "the-thao",
                     check=False)
    assert out.returncode == 1 and "chuyên mục 'the-thao' chưa khai báo trong categories.yml" in out.stdout
    # One section is mapped, the other is not and there is no default: neither page is written.
    half = mapping(tmp_path, "unit: phuong-ngoc-thuy\nsections:\n  Hoạt động các phường: hoat-dong-cac-phuong\n")
    out = run_import(project, str(portal), "--map", str(half), check=False)
    assert out.returncode == 1 and "Lỗi, chưa ghi tệp nào" in out.stdout
    assert "chuyên mục trên trang cũ: “Dư luận xã hội”" in out.stdout
    out = run_import(project, str(portal), "--map", str(mapping(tmp_path, "sections:\n  Dư luận xã hội: [a]\n")),
                     check=False)
    assert out.returncode == 1 and "sections: Dư luận xã hội" in out.stdout
    assert tree(project / "content") == before


# ----------------------------------------------------------------- feeds and WordPress

def test_rss_and_atom_feeds_give_one_bulletin_per_item(tmp_path):
    project = empty_project(tmp_path)
    feeds = shutil.copytree(FIXTURES / "feeds", tmp_path / "feeds")
    photo(feeds / "anh" / "doi-thoai-1.jpg")
    photo(feeds / "anh" / "dan-van.png", mode="RGBA", fmt="PNG")
    result = report(project, str(feeds / "giathuy.rss"), str(feeds / "thachban.atom"), "--map",
                    str(FIXTURES / "mapping.yml"), "--unit", "phuong-gia-thuy")
    assert len(result["written"]) == 3 and not result["not_written"]
    found = bulletins(project)

    doi_thoai, body = found["Phường Gia Thụy đối thoại với Nhân dân năm 2022"]
    assert doi_thoai["date"] == "2022-10-18 09:05" and doi_thoai["category"] == "chinh-quyen"
    assert doi_thoai["author"] == "Thu Hà" and doi_thoai["aliases"] == ["/tin-tuc/doi-thoai-voi-nhan-dan-2022.html"]
    meeting = doi_thoai["meeting"]
    assert meeting["format"] == "đối thoại" and meeting["contributions"] == 12
    assert meeting["location"] == "Hội trường UBND phường Gia Thụy"
    assert meeting["chairs"] == [{"name": "Nguyễn Văn Bình", "role": "Bí thư Đảng ủy phường"}]
    assert meeting["guests"] == [{"name": "Hoàng Thị Lan", "role": "Phó Chủ tịch UBND quận Long Biên"}]
    assert meeting["documents"] == [{"number": "112/KH-UBND", "date": "2022-09-05"}]
    assert '"Đồng chí Nguyễn Văn Bình phát biểu tại hội nghị đối thoại")' in body

    summary_only = found["Ra quân tổng vệ sinh môi trường chào mừng ngày 20/10"][0]
    assert summary_only["category"] == "tin-tuc-su-kien" and "aliases" not in summary_only
    review = next(w["review"] for w in result["written"] if w["title"].startswith("Ra quân"))
    assert any("chỉ có phần tóm tắt" in r for r in review) and any("chuỗi truy vấn" in r for r in review)

    dan_van, body = found["Thạch Bàn sơ kết công tác dân vận 6 tháng đầu năm 2023"]
    assert dan_van["date"] == "2023-07-05 15:30" and dan_van["author"] == "Minh Anh"
    assert dan_van["category"] == "dang-doan-the" and dan_van["meeting"]["start"] == "2023-07-04 14:00"
    assert dan_van["meeting"]["contributions"] == 6
    assert dan_van["meeting"]["documents"] == [{"number": "35-NQ/TW", "date": "2018-10-22"}]
    assert '"Quang cảnh hội nghị sơ kết công tác dân vận")' in body
    with Image.open(project / "content" / "media" / "2023" / f"{dan_van['slug']}-1.jpg") as im:
        assert im.format == "JPEG" and im.mode == "RGB", "a transparent PNG is kept as a JPEG on white"
    publish_all_and_check(project)


def test_a_wordpress_export_gives_its_published_posts_with_categories_tags_and_attachments(tmp_path):
    project = empty_project(tmp_path)
    uploads = tmp_path / "wp-content" / "uploads"
    photo(uploads / "2023" / "12" / "giao-ban-quy-iv-1.jpg", size=(2400, 1600))
    photo(uploads / "2023" / "12" / "giao-ban-quy-iv-2.jpg")
    out = run_import(project, str(FIXTURES / "wordpress" / "bachthong.wordpress.xml"), "--map",
                     str(FIXTURES / "mapping.yml"), "--unit", "huyen-bach-thong", "--media", str(uploads)).stdout
    assert "bỏ qua 1 bài nháp" in out and "bỏ qua 1 trang tĩnh" in out
    found = bulletins(project)
    assert list(found) == ["Hội nghị giao ban dư luận xã hội quý IV năm 2023"]
    post, body = found["Hội nghị giao ban dư luận xã hội quý IV năm 2023"]
    assert post["date"] == "2023-12-15 15:30" and post["category"] == "du-luan-xa-hoi"
    assert post["topics"] == ["du-luan-xa-hoi"] and "OCOP" in out, "a tag without a topic is reported"
    assert post["author"] == "Hương Dịu" and post["aliases"] == ["/2023/12/giao-ban-du-luan-xa-hoi-quy-iv/"]
    assert post["image"] == f"/media/2023/{post['slug']}-0.jpg"
    assert post["caption"] == "Đồng chí Nguyễn Thanh Hà chủ trì hội nghị giao ban"
    assert f'(/media/2023/{post["slug"]}-1.jpg "Các cộng tác viên dư luận xã hội phát biểu tại hội nghị")' in body
    assert "[caption" not in body and "Hương Dịu" not in body
    meeting = post["meeting"]
    assert meeting["guests"] == [{"name": "Hà Thị Liễu", "role": "Phó Trưởng Ban Tuyên giáo Tỉnh ủy Bắc Kạn"}]
    assert meeting["chairs"] == [{"name": "Nguyễn Thanh Hà", "role": "Phó Bí thư Thường trực Huyện ủy Bạch Thông"}]
    assert meeting["contributions"] == 10
    assert meeting["documents"] == [{"number": "05-ĐA/HU", "date": "2023-03-20",
                                     "title": "Phát triển sản phẩm OCOP giai đoạn 2023 - 2025"}]
    publish_all_and_check(project)


# ----------------------------------------------------------------- over HTTP

class _Recording(http.server.SimpleHTTPRequestHandler):
    seen: list = []

    def do_GET(self):  # noqa: N802 - the standard library's name
        type(self).seen.append((self.path, self.headers.get("User-Agent", "")))
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def old_portal(tmp_path):
    """The Ngọc Thụy portal served on 127.0.0.1, with a robots.txt that keeps one folder private."""
    root = tmp_path / "served"
    pages = root / "Pages"
    pages.mkdir(parents=True)
    shutil.copy(FIXTURES / "portal" / "ngocthuy.longbien.example.vn" / "Pages" / "chitiettintuc-316976.html",
                pages / "chitiettintuc-316976.html")
    (root / "rieng").mkdir()
    shutil.copy(pages / "chitiettintuc-316976.html", root / "rieng" / "bai.html")
    upload = root / "Upload" / "NgocThuy" / "2022" / "11"
    for n in (1, 2, 3):
        photo(upload / f"toa-dam-dlxh-{n}.jpg")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /rieng/\n", encoding="utf-8")
    handler = type("Handler", (_Recording,), {"seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             lambda *a, **kw: handler(*a, directory=str(root), **kw))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


def test_urls_are_fetched_politely_with_photos_and_robots_txt_is_kept(tmp_path, old_portal):
    base, handler = old_portal
    project = empty_project(tmp_path)
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# các bài cần nhập\n{base}/Pages/chitiettintuc-316976.html\n{base}/rieng/bai.html\n"
                    f"{base}/Pages/khong-co.html\n", encoding="utf-8")
    result = report(project, str(urls), "-u", "phuong-ngoc-thuy", "-c", "hoat-dong-cac-phuong", "--delay", "0")
    assert len(result["written"]) == 1 and len(result["written"][0]["photos"]) == 3
    reasons = " ".join(r["reason"] for r in result["not_written"])
    assert "robots.txt" in reasons and "/rieng/bai.html" in reasons and "404" in reasons
    paths = [p for p, _ in handler.seen]
    assert paths[0] == "/robots.txt" and paths.count("/robots.txt") == 1
    assert "/rieng/bai.html" not in paths, "a path robots.txt disallows is never requested"
    assert all(agent.startswith("Bantin/") for _, agent in handler.seen)
    publish_all_and_check(project)


# ----------------------------------------------------------------- untrusted sources

def test_a_hostile_page_cannot_run_a_script_nor_make_the_importer_read_outside_its_folder(tmp_path):
    project = empty_project(tmp_path)
    secret = tmp_path / "secret.jpg"
    photo(secret)
    page = tmp_path / "nguon" / "bai.html"
    page.parent.mkdir()
    page.write_text(
        "<html><head><title>Bài thử</title></head><body><h1>Bài thử có mã độc</h1>"
        "<p>Ngày đăng 03/01/2023 | 09:00</p><div class='content'>"
        "<p>Sáng ngày 02/01/2023, UBND phường tổ chức hội nghị *không in nghiêng* với [liên kết](javascript:alert(1)) "
        "và thẻ &lt;script&gt;alert(1)&lt;/script&gt; cùng _dấu gạch_ # không phải tiêu đề, dài cho đủ một đoạn văn.</p>"
        "<script>alert('x')</script><p><img src='../secret.jpg' onerror='alert(2)'></p>"
        f"<p><img src='{secret}'></p>"
        "<p>Đoạn thứ hai của bài viết, đủ dài để là một đoạn văn thật sự của bài, không phải chú thích hay dòng tác "
        "giả, có thêm vài chữ nữa cho chắc chắn.</p></div></body></html>", encoding="utf-8")
    media = lambda: sorted((project / "content" / "media").rglob("*"))  # noqa: E731
    before = media()
    result = report(project, str(page), "-u", "phuong-bo-de", "-c", "tin-tuc-su-kien")
    review = "\n".join(result["written"][0]["review"])
    assert "../secret.jpg" in review and str(secret) in review and not result["written"][0]["photos"]
    assert media() == before, "a photo from outside the page's folder was copied in"
    publish_all_and_check(project)
    site = tmp_path / "built"
    bantin("build", "--quiet", "--site-dir", str(site), cwd=project)
    html = next(site.glob("2023/01/*/index.html")).read_text(encoding="utf-8")
    article = html.split('class="bt-article', 1)[1]
    assert "*không in nghiêng*" in article and "_dấu gạch_" in article and "[liên kết](javascript:alert(1))" in article
    assert "<script>alert" not in article and "javascript:alert(1)\"" not in article and "<em>" not in article


def test_unreadable_files_in_a_folder_are_reported_and_the_rest_is_imported(tmp_path):
    project = empty_project(tmp_path)
    folder = project / "bai-cu"
    folder.mkdir()
    shutil.copy(SEEDS / "002_76842d5629cf325d.txt", folder / "giao-ban.txt")
    (folder / "hong.rss").write_bytes(b"\x00\xff\xfe" * 700)
    (folder / "anh.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00" * 50)
    (folder / "dat-ten-sai.xml").write_bytes(b'<?xml version="1.0"?><rss version="2.0"><channel><item>')
    out = run_import(project, "bai-cu", "-u", "quan-long-bien", "-c", "dang-doan-the", check=False)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "Không ghi: bai-cu/hong.rss: không đọc được chữ trong tệp" in out.stdout
    assert "Bỏ qua 2 trang không phải bài viết" in out.stdout, "the photo named .html and the empty feed"
    assert list(bulletins(project)) == ["Giao ban Dư luận xã hội định kỳ tháng 11/2021"]


def test_the_json_report_gives_every_field_with_the_sentence_it_came_from(tmp_path):
    project = empty_project(tmp_path)
    result = report(project, str(SEEDS / "002_76842d5629cf325d.txt"), "-u", "quan-long-bien", "-c", "dang-doan-the")
    fields = {f["field"]: f for f in result["written"][0]["fields"]}
    assert fields["meeting.contributions"]["value"] == "8"
    assert fields["meeting.contributions"]["from"].startswith("Hội nghị đã có 8 ý kiến phát biểu")
    assert fields["meeting.chairs"]["from"].startswith("Dự và trực tiếp chủ trì hội nghị có đồng chí Nguyễn Thế Thạch")
    assert "UVTV" in fields["meeting.chairs"]["note"]
    assert fields["date"]["from"] == "Ngày đăng 01/12/2021 | 14:15"
    assert fields["meeting.location"]["note"] == "tên “Long Biên” thêm theo đơn vị của bài"
    assert result["written"][0]["path"].startswith("content/bulletins/2021/")


def test_reduce_upload_keeps_photos_upright_small_and_without_their_exif(tmp_path):
    phone = photo(tmp_path / "phone.jpg", size=(4000, 3000), exif_orientation=6)
    out = reduce_upload(phone.read_bytes(), tmp_path / "out" / "a.jpg")
    with Image.open(out) as im:
        assert im.size == (1200, 1600), "turned upright as the phone held it, long side 1,600"
        assert not im.getexif(), "no EXIF (no phone maker, no GPS position) travels on"
    small = reduce_upload(photo(tmp_path / "small.png", size=(300, 200), mode="RGBA", fmt="PNG"), tmp_path / "b.webp")
    with Image.open(small) as im:
        assert (im.format, im.size) == ("WEBP", (300, 200))
    with pytest.raises(ValueError, match="không phải một tệp ảnh"):
        reduce_upload(b"<html>not a photo</html>", tmp_path / "c.jpg")
    assert not (tmp_path / "c.jpg").exists()
