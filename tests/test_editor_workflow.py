"""The editors' workflow, driven as an editor would: new, check, build, serve, schema, git history."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest
import yaml
from PIL import Image

from conftest import ROOT, bantin, make_project
from generator.content.history import last_changes
from generator.content.models import FrontMatter, Meeting, Opinion
from generator.content.reader import Reader, decode, load_yaml, split_front_matter
from generator.schema import bulletin_schema, dumps

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PACKAGED_SCHEMA = ROOT / "generator" / "schema" / "bulletin.schema.json"


def front_matter(path: Path):
    """A bulletin's fields as the reader parses them (dates stay text)."""
    text = decode(path.read_bytes())
    head = text if path.suffix in (".yml", ".yaml") else split_front_matter(text)[0]
    return load_yaml(head).data


def validator(schema: dict) -> jsonschema.Draft7Validator:
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


# ----------------------------------------------------------------- a small site of our own

SITE_DATA = {
    "units.yml": "- key: phuong-a\n  name: Phường A\n  level: phường\n- key: phuong-b\n  name: Phường B\n  level: phường\n",
    "categories.yml": "- key: tin-tuc\n  name: Tin tức\n- key: du-luan-xa-hoi\n  name: Dư luận xã hội\n",
    "topics.yml": "- key: moi-truong\n  name: Môi trường\n",
}
# Lines 1-6 of every test bulletin; the line numbers below count from here.
HEAD = "---\ntitle: Bài thử\ndate: 2023-05-01 10:00\ncategory: tin-tuc\nunit: phuong-a\nsummary: Tóm tắt.\n"


def small_content(root: Path, bulletins: dict[str, bytes | str]) -> Path:
    content = root / "content"
    (content / "bulletins").mkdir(parents=True)
    for name, text in SITE_DATA.items():
        (content / name).write_text(text, encoding="utf-8")
    for name, text in bulletins.items():
        path = content / "bulletins" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return content


# ----------------------------------------------------------------- bantin new

TITLES = {
    "meeting": ("Hội nghị sơ kết công tác 6 tháng đầu năm", "hoi-nghi-so-ket-cong-tac-6-thang-dau-nam"),
    "opinion": ("Giao ban dư luận xã hội: tháng 11 #2", "giao-ban-du-luan-xa-hoi-thang-11-2"),
    "news": ("Ra quân tổng vệ sinh môi trường", "ra-quan-tong-ve-sinh-moi-truong"),
}


def test_new_writes_every_field_of_its_kind_and_check_passes(tmp_path):
    project = make_project(tmp_path / "site")
    before = datetime.now(HCM).replace(second=0, microsecond=0)
    made = {}
    for kind, (title, slug) in TITLES.items():
        out = bantin("new", kind, title, cwd=project).stdout
        made[kind] = project / "content" / "bulletins" / str(before.year) / f"{slug}.md"
        assert f"content/bulletins/{before.year}/{slug}.md" in out
    after = datetime.now(HCM)

    site_schema = project / "content" / "schema" / "bulletin.schema.json"
    assert site_schema.exists(), "the first `new` writes the schema its files point at"
    check_schema = validator(json.loads(site_schema.read_text(encoding="utf-8")))
    common = set(FrontMatter.model_fields) - {"meeting", "opinion", "body"}
    for kind, path in made.items():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        assert lines[0] == "---"
        modeline = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", lines[1])
        assert modeline and (path.parent / modeline.group(1)).resolve() == site_schema.resolve()
        data = front_matter(path)
        expected = common | ({"meeting"} if kind == "meeting" else set()) | ({"opinion"} if kind == "opinion" else set())
        assert set(data) == expected
        if kind == "meeting":
            assert set(data["meeting"]) == set(Meeting.model_fields)
        if kind == "opinion":
            assert set(data["opinion"]) == set(Opinion.model_fields)
        assert data["title"] == TITLES[kind][0]
        date = datetime.strptime(data["date"], "%Y-%m-%d %H:%M").replace(tzinfo=HCM)
        assert before <= date <= after, "dated now, in Vietnam's time"
        # Every field is explained by a Vietnamese comment on the line above it.
        for i, line in enumerate(lines):
            if re.match(r"^\s*[a-z]+:", line):
                assert lines[i - 1].lstrip().startswith("# "), f"{path.name}: no comment above {line!r}"
        assert re.search(r"# Tiêu đề bài viết", text) and "# Mã chuyên mục" in text
        assert not list(check_schema.iter_errors(data)), f"{path.name} fails its own schema"

    result = bantin("check", cwd=project)
    assert result.returncode == 0
    assert re.search(r"\b0 lỗi\b", result.stderr)


def test_new_yml_and_options(tmp_path):
    content = small_content(tmp_path, {})
    out = bantin("new", "opinion", "Tổng hợp dư luận quý II", "--content-dir", str(content), "--yml",
                 "--unit", "phuong-b", "--topic", "moi-truong", "--date", "2030-04-01 08:00", cwd=tmp_path)
    path = content / "bulletins" / "2030" / "tong-hop-du-luan-quy-ii.yml"
    assert path.exists(), out.stdout
    data = front_matter(path)
    assert (data["unit"], data["topics"], data["date"]) == ("phuong-b", ["moi-truong"], "2030-04-01 08:00")
    assert data["category"] == "du-luan-xa-hoi", "an opinion summary goes to the public-opinion category"
    assert data["body"].strip()
    bantin("check", "--content-dir", str(content), cwd=tmp_path)


def test_new_refuses_to_overwrite_and_explains(tmp_path):
    content = small_content(tmp_path, {})
    args = ("new", "news", "Tin thử nghiệm", "--content-dir", str(content))
    bantin(*args, cwd=tmp_path)
    path = content / "bulletins" / str(datetime.now(HCM).year) / "tin-thu-nghiem.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nĐoạn đã viết.\n", encoding="utf-8")

    again = bantin(*args, cwd=tmp_path, check=False)
    assert again.returncode == 1
    assert "tin-thu-nghiem.md" in again.stderr and "không ghi đè" in again.stderr
    assert "Traceback" not in again.stderr
    assert "Đoạn đã viết." in path.read_text(encoding="utf-8")

    unknown = bantin("new", "news", "Tin khác", "--content-dir", str(content), "--category", "the-thao",
                     cwd=tmp_path, check=False)
    assert unknown.returncode == 1
    assert "'the-thao'" in unknown.stderr and "tin-tuc" in unknown.stderr, "the valid keys are listed"


# ----------------------------------------------------------------- bantin check

PROBLEMS = {
    # file: its text after HEAD (or whole), then (line, field, words of the message)
    "yaml-syntax.md": (HEAD + "topics: [moi-truong, an-ninh\n---\nx\n", [(7, "", "danh sách [...] chưa đóng")]),
    "yaml-colon.md": (HEAD + "author: Ban Tuyên giáo: Quận ủy\n---\nx\n", [(7, "", "trong dấu nháy đơn")]),
    "yaml-tab.md": (HEAD + "meeting:\n\tlocation: Hội trường\n---\nx\n", [(8, "", "Tab")]),
    "missing-field.md": ("---\ntitle: T\ndate: 2023-05-01 10:00\nunit: phuong-a\n---\nx\n",
                         [(2, "category", "thiếu trường bắt buộc")]),
    "wrong-type.md": (HEAD + "draft: có\ntopics: moi-truong\n---\nx\n",
                      [(7, "draft", "true hoặc false"), (8, "topics", "danh sách")]),
    "unknown-category.md": (HEAD.replace("tin-tuc", "the-thao") + "---\nx\n", [(4, "category", "'the-thao'")]),
    "unknown-unit.md": (HEAD.replace("phuong-a", "phuong-z") + "---\nx\n", [(5, "unit", "'phuong-z'")]),
    "bad-date.md": (HEAD.replace("2023-05-01 10:00", "01/05/2023") + "---\nx\n", [(3, "date", "'01/05/2023'")]),
    "bad-period.md": (HEAD + "opinion:\n  period: 2023-13\n---\nx\n", [(8, "opinion.period", "'2023-13'")]),
    "extra-field.md": (HEAD + "tags: [a]\n---\nx\n", [(7, "tags", "không được biết đến")]),
    "duplicate-key.md": (HEAD + "title: Lần nữa\n---\nx\n", [(7, "title", "bị trùng")]),
    "end-before-start.md": (HEAD + "meeting:\n  start: 2023-05-01 10:00\n  end: 2023-05-01 09:00\n---\nx\n",
                            [(9, "meeting.end", "kết thúc trước")]),
    "no-front-matter.md": ("title: Bài thử\n\nNội dung.\n", [(1, "", "phần đầu YAML")]),
    "not-utf8.md": ((HEAD + "---\nx\n").encode("utf-8").replace("Bài thử".encode("utf-8"), b"B\xe0i th\xf6"),
                    [(2, "", "UTF-8")]),
    "same-url-a.md": (HEAD + "slug: trung-dia-chi\n---\nx\n", []),
    "same-url-b.md": (HEAD + "slug: trung-dia-chi\n---\nx\n", [(7, "slug", "same-url-a.md")]),
    "bom-crlf.md": (("\ufeff" + HEAD.replace("Bài thử", "Bài có BOM") + "---\nNội dung.\n").replace("\n", "\r\n").encode("utf-8"), []),
}
EXPECTED = {"line", "field", "message"}


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """One `bantin check` of a content folder holding one broken file per kind of mistake."""
    root = tmp_path_factory.mktemp("broken")
    content = small_content(root, {f"2023/{name}": text for name, (text, _) in PROBLEMS.items()})
    runs = {fmt: bantin("check", "--content-dir", str(content), "--format", fmt, cwd=root, check=False)
            for fmt in ("text", "json", "github")}
    return runs


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_check_names_path_line_and_field(checked, name):
    problems = [p for p in json.loads(checked["json"].stdout)
                if p["path"] == f"content/bulletins/2023/{name}" and p["severity"] == "error"]
    got = sorted((p["line"], p["field"]) for p in problems)
    assert got == sorted((line, field) for line, field, _ in PROBLEMS[name][1])
    for line, field, words in PROBLEMS[name][1]:
        problem = next(p for p in problems if (p["line"], p["field"]) == (line, field))
        assert words in problem["message"] + problem["expected"]
        shown = f"content/bulletins/2023/{name}:{line}: {field or '-'}: {problem['message']}"
        assert shown in checked["text"].stdout
        assert f"file=content/bulletins/2023/{name},line={line}," in checked["github"].stdout


def test_check_fails_listing_every_problem_with_what_was_expected(checked):
    text = checked["text"]
    assert text.returncode == 1 and checked["json"].returncode == 1 and checked["github"].returncode == 1
    assert "Traceback" not in text.stderr
    expected = sum(len(problems) for _, problems in PROBLEMS.values())
    lines = [line for line in text.stdout.splitlines() if line.startswith("content/")]
    assert len(lines) == expected
    for line in lines:
        assert re.fullmatch(r"content/bulletins/2023/[\w.-]+:\d+: [\w.\[\]-]+: .+", line), line
    assert "(dạng YYYY-MM-DD HH:MM, ví dụ 2022-11-02 20:32)" in text.stdout, "what was expected, in brackets"
    assert re.search(rf"\b{expected} lỗi\b", text.stderr)
    assert all(line.startswith("::error file=") for line in checked["github"].stdout.splitlines())


def test_warnings_are_listed_apart_and_fail_only_when_strict(tmp_path):
    long_title = "Tiêu đề " + "rất dài " * 30
    content = small_content(tmp_path, {
        "2023/no-summary.md": HEAD.replace("summary: Tóm tắt.\n", "").replace("Bài thử", "Bài một") + "---\nx\n",
        "2023/no-caption.md": HEAD.replace("Bài thử", "Bài hai") + "image: /media/a.jpg\n---\nx\n",
        "2023/long-title.md": HEAD.replace("Bài thử", long_title) + "---\nx\n",
    })
    (content / "media").mkdir()
    Image.new("RGB", (400, 300), "#347").save(content / "media" / "a.jpg")
    result = bantin("check", "--content-dir", str(content), cwd=tmp_path)
    head, _, listed = result.stdout.partition("Cảnh báo")
    assert "Lỗi" not in head and "0 lỗi, 2 cảnh báo" in result.stderr
    assert "no-summary.md" not in result.stdout, "a summary may be left out: the guide says so"
    assert "content/bulletins/2023/no-caption.md:7: caption:" in listed
    assert "content/bulletins/2023/long-title.md:2: title:" in listed
    strict = bantin("check", "--content-dir", str(content), "--strict", cwd=tmp_path, check=False)
    assert strict.returncode == 1
    github = bantin("check", "--content-dir", str(content), "--format", "github", cwd=tmp_path)
    assert github.stdout.count("::warning file=") == 2


def test_build_with_an_invalid_bulletin_keeps_the_old_site(tmp_path):
    project = make_project(tmp_path / "site")
    old = tmp_path / "out"
    (old / "2020").mkdir(parents=True)
    (old / "index.html").write_text("bản cũ", encoding="utf-8")
    broken = project / "content" / "bulletins" / "2023" / "zz-hong.md"
    unit = first_key(project / "content" / "units.yml")
    broken.write_text(HEAD.replace("2023-05-01 10:00", "hôm qua").replace("tin-tuc", "the-thao")
                      .replace("phuong-a", unit) + "tags: [x]\n---\nx\n", encoding="utf-8")
    result = bantin("build", "--site-dir", str(old), cwd=project, check=False)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    for line, field in ((3, "date"), (4, "category"), (7, "tags")):
        assert f"content/bulletins/2023/zz-hong.md:{line}: {field}: " in output
    assert (old / "index.html").read_text(encoding="utf-8") == "bản cũ"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"], "no half-built folder is left"


# ----------------------------------------------------------------- scheduled, drafts, aliases, history

FUTURE_SLUG, DRAFT_SLUG, MOVED_SLUG, EDITED, EARLY, UNTOUCHED = (
    "thong-bao-lich-tiep-dan-nam-2099", "du-thao-ke-hoach-chua-dang", "bai-da-doi-dia-chi",
    "bai-duoc-sua-sau-khi-dang", "bai-sua-truoc-ngay-dang", "bai-khong-sua")
GIT_ENV = {"GIT_AUTHOR_NAME": "Biên tập", "GIT_AUTHOR_EMAIL": "bt@example.vn",
           "GIT_COMMITTER_NAME": "Biên tập", "GIT_COMMITTER_EMAIL": "bt@example.vn"}


def first_key(path: Path) -> str:
    return yaml.safe_load(path.read_text(encoding="utf-8"))[0]["key"]


def bulletin(content: Path, title: str, slug: str, date: str, extra: str = "") -> str:
    category, unit = first_key(content / "categories.yml"), first_key(content / "units.yml")
    return (f"---\ntitle: {title}\nslug: {slug}\ndate: {date}\ncategory: {category}\n"
            f"unit: {unit}\nsummary: {title}.\n{extra}---\n\nNội dung {slug}.\n")


def git(project: Path, *args: str, when: str = "") -> None:
    env = {**os.environ, **GIT_ENV, **({"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else {})}
    subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def workflow_project(tmp_path_factory):
    """The demo project in git, with a scheduled bulletin, a draft, a moved one and an edited one."""
    project = make_project(tmp_path_factory.mktemp("workflow") / "site")
    content = project / "content"
    folder = project / "content" / "bulletins" / "2024"
    folder.mkdir(parents=True, exist_ok=True)
    (project / "content" / "bulletins" / "2099").mkdir()
    (project / "content" / "bulletins" / "2099" / f"{FUTURE_SLUG}.md").write_text(
        bulletin(content, "Thông báo lịch tiếp dân năm 2099", FUTURE_SLUG, "2099-01-05 08:00"), encoding="utf-8")
    (folder / f"{DRAFT_SLUG}.md").write_text(
        bulletin(content, "Dự thảo kế hoạch chưa đăng", DRAFT_SLUG, "2024-03-01 09:00", "draft: true\n"), encoding="utf-8")
    (folder / f"{MOVED_SLUG}.md").write_text(
        bulletin(content, "Bài đã đổi địa chỉ", MOVED_SLUG, "2024-03-02 09:00",
                 "aliases:\n  - /tin-tuc/bai-cu.html\n  - /tin/bai-cu/\nupdated: 2024-03-05 10:30\n"),
        encoding="utf-8")
    (folder / f"{EDITED}.md").write_text(bulletin(content, "Bài được sửa sau khi đăng", EDITED, "2024-03-03 09:00"),
                                         encoding="utf-8")
    (folder / f"{EARLY}.md").write_text(bulletin(content, "Bài sửa trước ngày đăng", EARLY, "2024-06-01 09:00"),
                                        encoding="utf-8")
    (folder / f"{UNTOUCHED}.md").write_text(bulletin(content, "Bài không sửa", UNTOUCHED, "2024-03-04 09:00"),
                                            encoding="utf-8")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Nội dung", when="2024-05-01T00:00:00+00:00")
    for slug, when in ((EARLY, "2024-05-02T00:00:00+00:00"), (EDITED, "2025-03-04T05:06:00+00:00")):
        path = folder / f"{slug}.md"
        path.write_text(path.read_text(encoding="utf-8") + "\nĐoạn bổ sung.\n", encoding="utf-8")
        git(project, "commit", "-q", "-am", f"Sửa {slug}", when=when)
    return project


@pytest.fixture(scope="module")
def workflow_site(workflow_project, tmp_path_factory):
    out = tmp_path_factory.mktemp("workflow-out") / "site"
    bantin("build", "--quiet", "--site-dir", str(out), cwd=workflow_project)
    return out


def site_text(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
                     if p.is_file() and p.suffix in (".html", ".xml", ".json", ".txt", ".ics", ".js"))


def test_scheduled_and_draft_bulletins_are_left_out_of_the_build(workflow_site):
    assert (workflow_site / "2024" / "03" / EDITED / "index.html").exists()
    assert not (workflow_site / "2099").exists()
    assert not (workflow_site / "2024" / "03" / DRAFT_SLUG).exists()
    everything = site_text(workflow_site)
    for absent in (FUTURE_SLUG, "Thông báo lịch tiếp dân năm 2099", DRAFT_SLUG, "Dự thảo kế hoạch chưa đăng"):
        assert absent not in everything, f"{absent!r} leaks into a listing, feed or sitemap"
    assert EDITED in (workflow_site / "feed.xml").read_text(encoding="utf-8")


def test_aliases_redirect_from_old_addresses(workflow_site):
    target = f"https://bantin.example.vn/2024/03/{MOVED_SLUG}/"
    for old in ("tin-tuc/bai-cu.html", "tin/bai-cu/index.html"):
        page = (workflow_site / old).read_text(encoding="utf-8")
        assert f'http-equiv="refresh" content="0; url={target}"' in page
        assert f'rel="canonical" href="{target}"' in page and "noindex" in page


def meta_line(site: Path, slug: str, month: str = "03") -> str:
    page = (site / "2024" / month / slug / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<p class="bt-meta">(.*?)</p>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_updated_comes_from_git_when_absent(workflow_site):
    # Last commit 2025-03-04 05:06 UTC, shown in Vietnam's time.
    assert re.search(r"Cập nhật 04/03/2025 \| 12:06", meta_line(workflow_site, EDITED))
    # The field, when present, wins over git.
    assert re.search(r"Cập nhật 05/03/2024 \| 10:30", meta_line(workflow_site, MOVED_SLUG))
    # Changed before its publication date: nothing was updated after publishing.
    assert "Cập nhật" not in meta_line(workflow_site, EARLY, "06")
    # Added and never changed: the commit that adds a file is no update.
    assert "Cập nhật" not in meta_line(workflow_site, UNTOUCHED)


def test_history_is_one_pass_and_quiet_without_git(workflow_project, tmp_path, monkeypatch):
    bulletins = workflow_project / "content" / "bulletins"
    changes = last_changes(bulletins)
    assert changes[f"2024/{EDITED}.md"] == datetime.fromisoformat("2025-03-04T05:06:00+00:00")
    assert changes[f"2024/{EARLY}.md"] == datetime.fromisoformat("2024-05-02T00:00:00+00:00")
    assert f"2024/{UNTOUCHED}.md" not in changes
    assert last_changes(bulletins, [f"2024/{EDITED}.md"])[f"2024/{EDITED}.md"].year == 2025
    assert last_changes(tmp_path) == {}, "outside a work tree"
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{workflow_project}", str(shallow)], check=True)
    assert last_changes(shallow / "content" / "bulletins") == {}, "a shallow clone would date every file alike"
    monkeypatch.setenv("PATH", str(tmp_path))  # no git at all
    assert last_changes(bulletins) == {}
    assert Reader(workflow_project / "content").read().bulletins, "the build goes on"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def wait_for(predicate, limit: float = 120.0):
    """Poll until `predicate()` returns something true (a bounded wait, not a speed check)."""
    deadline = time.monotonic() + limit
    while True:
        try:
            found = predicate()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            found = None
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def stop_server(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)  # as Ctrl+C: the server removes its temporary folder
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_serve_previews_scheduled_and_draft_bulletins_and_reloads_on_save(workflow_project, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"],
                            cwd=workflow_project, stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(lambda: proc.poll() is not None or fetch(base)[0] == 200) and proc.poll() is None, \
            "bantin serve did not start:\n" + (tmp_path / "serve.log").read_text(encoding="utf-8")[-3000:]
        status, page = fetch(f"{base}2099/01/{FUTURE_SLUG}/")
        assert status == 200 and "Thông báo lịch tiếp dân năm 2099" in page
        assert re.search(r'class="bt-badge bt-badge--scheduled">Hẹn giờ<', page)
        status, page = fetch(f"{base}2024/03/{DRAFT_SLUG}/")
        assert status == 200 and re.search(r'class="bt-badge bt-badge--draft">Bản nháp<', page)
        assert "livereload" in page, "the browser reloads when a file is saved"
        draft = workflow_project / "content" / "bulletins" / "2024" / f"{DRAFT_SLUG}.md"
        original = draft.read_text(encoding="utf-8")
        try:
            draft.write_text(original.replace("title: Dự thảo kế hoạch chưa đăng", "title: Dự thảo đã sửa"),
                             encoding="utf-8")
            assert wait_for(lambda: "Dự thảo đã sửa" in fetch(f"{base}2024/03/{DRAFT_SLUG}/")[1]), \
                "the preview did not rebuild after the file was saved"
        finally:
            draft.write_text(original, encoding="utf-8")
    finally:
        stop_server(proc)
        log.close()


# ----------------------------------------------------------------- bantin schema

def test_committed_schema_is_the_generated_one():
    assert json.loads(PACKAGED_SCHEMA.read_text(encoding="utf-8")) == bulletin_schema()
    printed = bantin("schema", "--generic", "-o", "-").stdout
    assert printed == dumps(bulletin_schema()) == PACKAGED_SCHEMA.read_text(encoding="utf-8")


def test_schema_accepts_every_demo_bulletin():
    check = validator(json.loads(PACKAGED_SCHEMA.read_text(encoding="utf-8")))
    paths = [p for p in (ROOT / "content" / "bulletins").rglob("*") if p.suffix in (".md", ".yml", ".yaml")]
    assert len(paths) > 20
    for path in paths:
        errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in check.iter_errors(front_matter(path))]
        assert not errors, f"{path.relative_to(ROOT)}: {errors}"


GOOD = {"title": "Tin", "date": "2023-05-01 10:00", "category": "tin-tuc", "unit": "phuong-a"}
SCHEMA_CASES = [
    # (fields, the reader and the schema both accept)
    ({}, True),
    ({"meeting": {"location": 2, "contributions": 8, "format": "giao ban"}}, True),
    ({"opinion": {"period": 2022}}, True),
    ({"opinion": {"period": "2022-Q2"}}, True),
    ({"date": "2023-05-01T10:00:00+07:00"}, True),
    ({"title": None}, False),
    ({"tags": ["a"]}, False),
    ({"draft": "có"}, False),
    ({"date": "01/05/2023"}, False),
    ({"opinion": {"period": "2023-13"}}, False),
    ({"meeting": {"format": "tiệc"}}, False),
    ({"meeting": {"contributions": -1}}, False),
    ({"meeting": {"chairs": [{"role": "Bí thư"}]}}, False),
    ({"category": "Tin Tức"}, False),
    ({"opinion": {"concerns": [{"title": "A", "response": {"status": "done"}}]}}, False),
]


@pytest.mark.parametrize("change,valid", SCHEMA_CASES)
def test_schema_agrees_with_the_reader(change, valid):
    fields = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    schema_ok = validator(bulletin_schema()).is_valid(fields)
    try:
        FrontMatter.model_validate(fields, context={"tz": HCM})
        reader_ok = True
    except ValueError:
        reader_ok = False
    assert (schema_ok, reader_ok) == (valid, valid)


def test_schema_command_writes_the_sites_schema_with_its_keys(tmp_path):
    content = small_content(tmp_path, {})
    out = bantin("schema", "--content-dir", str(content), cwd=tmp_path)
    path = content / "schema" / "bulletin.schema.json"
    assert "content/schema/bulletin.schema.json" in out.stdout
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["properties"]["category"]["enum"] == ["tin-tuc", "du-luan-xa-hoi"]
    assert schema["properties"]["unit"]["enum"] == ["phuong-a", "phuong-b"]
    check = validator(schema)
    assert check.is_valid(GOOD) and not check.is_valid({**GOOD, "category": "the-thao"})
    assert "đã mới nhất" in bantin("schema", "--content-dir", str(content), cwd=tmp_path).stdout


# ----------------------------------------------------------------- commit hook and CI templates

def readme_build_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return next(line for line in readme.splitlines() if line.startswith("python3 -m venv") and "bantin build" in line)


def test_pre_commit_hook_runs_bantin_check_on_content():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "bantin-check")
    assert (hook["entry"], hook["language"], hook["pass_filenames"]) == ("bantin check", "python", False)
    assert re.search(hook["files"], "content/bulletins/2024/tin.md")
    assert not re.search(hook["files"], "theme_overrides/main.html")


def test_ci_templates_build_with_the_readme_command_and_publish_site():
    command = readme_build_command()
    github = yaml.safe_load((ROOT / "ci-templates" / "github-pages.yml").read_text(encoding="utf-8"))
    steps = github["jobs"]["build"]["steps"]
    assert any(step.get("run") == command for step in steps)
    assert any("bantin check" in step.get("run", "") for step in steps)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0, "the whole history, for the 'Cập nhật' dates"
    assert github["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert github["permissions"]["pages"] == "write" and github["permissions"]["id-token"] == "write"

    gitlab = yaml.safe_load((ROOT / "ci-templates" / "gitlab-ci.yml").read_text(encoding="utf-8"))
    pages = gitlab["pages"]
    assert command in pages["script"] and "cp -al site public || cp -a site public" in pages["script"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert pages["cache"]["paths"] == [".cache/bantin", "site"], \
        "the last site and the cache kept for the next run's rebuild"
    assert gitlab["variables"]["GIT_DEPTH"] == "0"
    assert "ci-templates/github-pages.yml" in (ROOT / "ci-templates" / "README.md").read_text(encoding="utf-8")


def test_serve_on_a_busy_port_says_so(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = bantin("serve", "-a", f"127.0.0.1:{port}", check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"cổng {port} đang bận" in result.stderr
