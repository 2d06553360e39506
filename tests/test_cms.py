"""The web editor at /admin/: its configuration made from the models, and the real Decap CMS in
headless Chromium against `bantin serve`'s local backend (decap-server in git mode), as an editor
uses it: create a meeting bulletin with a photo, edit a seed, open and save every demo bulletin.
"""
from __future__ import annotations

import base64
import io
import json
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from PIL import Image

from conftest import ROOT, bantin, make_project, serve_dir
from generator.cms import config as cms_config
from generator.cms import fields as cms_fields
from generator.cms.backend import local_backend
from generator.cms.proxy import reduce_assets
from generator.content import models
from generator.content.reader import Reader, split_front_matter
from generator.vietnamese import slugify
from test_editor_workflow import fetch, free_port, stop_server, wait_for

SEED = "bulletins/2021/giao-ban-du-luan-xa-hoi-thang-11-2021.md"
GIT_USER = ["-c", "user.name=Ban biên tập", "-c", "user.email=bbt@example.vn"]


# ----------------------------------------------------------------- the configuration

def site_data():
    return Reader(ROOT / "content").read_site_data()


def demo_config() -> dict:
    return cms_config.make(ROOT / "content", site_data())


def collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def by_name(fields: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in fields}


def missing_fields(model, fields: list[dict], where: str) -> list[str]:
    """Every field of `model` (and of the models inside it) that has no form field."""
    found, missing = by_name(fields), []
    for name, info in model.model_fields.items():
        if name not in found:
            missing.append(f"{where}.{name}")
            continue
        shape = cms_fields.shape_of(info.annotation, info.metadata)
        inner = shape.model if shape.kind == "model" else shape.item.model if shape.item and shape.item.kind == "model" else None
        if inner is not None:
            missing += missing_fields(inner, found[name].get("fields", []), f"{where}.{name}")
    return missing


def test_every_model_field_has_a_form_field():
    config = demo_config()
    bulletin = collection(config, "bulletins")["fields"]
    assert missing_fields(models.FrontMatter, bulletin, "FrontMatter") == []
    schedules = collection(config, "schedules")
    assert missing_fields(models.ScheduleMatter, schedules["fields"], "ScheduleMatter") == []
    assert schedules["folder"].endswith("/schedules") and schedules["extension"] == "yml"
    files = {f["name"]: f["fields"][0]["fields"] for f in collection(config, "site-data")["files"]}
    assert [f["fields"][0]["name"] for f in collection(config, "site-data")["files"]] == ["items"] * 3
    for name, model in (("units", models.Unit), ("categories", models.Category), ("topics", models.Topic)):
        assert missing_fields(model, files[name], model.__name__) == []
    # The check itself finds a field left out.
    assert missing_fields(models.FrontMatter, [f for f in bulletin if f["name"] != "caption"], "F") == ["F.caption"]


def test_form_fields_follow_the_models_rules_and_the_site_data():
    fields = by_name(collection(demo_config(), "bulletins")["fields"])
    data = site_data()
    assert [f for f in fields if fields[f]["required"]] == ["title", "date", "category", "unit"]
    for name, labels in (("title", "Tiêu đề"), ("date", "Ngày đăng"), ("meeting", "Hội nghị")):
        assert fields[name]["label"] == labels and fields[name]["hint"]
    # The date as the model reads it, entered as YYYY-MM-DD HH:MM.
    date = fields["date"]
    assert date["widget"] == "datetime" and date["format"] == "YYYY-MM-DD HH:mm"
    assert all(re.match(date["pattern"][0], v) for v in ("2022-11-02 20:32", "2022-11-02", "2022-11-02T20:32+07:00"))
    assert not re.match(date["pattern"][0], "02/11/2022 20:32")
    # Category, unit and topics chosen by name from the site data, stored as keys.
    assert fields["category"]["options"] == [{"label": c.name, "value": k} for k, c in data.categories.items()]
    assert fields["unit"]["options"] == [{"label": u.name, "value": k} for k, u in data.units.items()]
    assert fields["topics"]["multiple"] and len(fields["topics"]["options"]) == len(data.topics)
    meeting = by_name(fields["meeting"]["fields"])
    assert meeting["contributions"]["widget"] == "number" and meeting["contributions"]["min"] == 0
    assert [o["value"] for o in meeting["format"]["options"]] == list(models.MeetingFormat.__args__)
    person = by_name(meeting["chairs"]["fields"])
    assert person["name"]["required"] and not person["role"]["required"]
    assert by_name(meeting["documents"]["fields"])["number"]["required"]
    assert meeting["conclusions"]["field"]["required"]
    opinion = by_name(fields["opinion"]["fields"])
    assert re.match(opinion["period"]["pattern"][0], "2022-Q2") and not re.match(opinion["period"]["pattern"][0], "Q2")
    concern = by_name(opinion["concerns"]["fields"])
    status = by_name(concern["response"]["fields"])["status"]
    assert {o["value"]: o["label"] for o in status["options"]} == \
        {"pending": "Chưa trả lời", "in-progress": "Đang xử lý", "answered": "Đã trả lời"}
    assert concern["topic"]["options"][0] == {"label": next(iter(data.topics.values())).name, "value": next(iter(data.topics))}
    assert fields["aliases"]["field"]["pattern"][0] == "^/"
    assert fields["body"]["widget"] == "markdown" and fields["body"]["editor_components"] == ["bantin-figure"]
    slug = fields["slug"]["pattern"][0]
    assert re.match(slug, "dang-uy-phuong") and not re.match(slug, "Đảng ủy")


def test_the_backend_comes_from_cms_yml_and_serve_uses_the_local_one(tmp_path):
    content = make_project(tmp_path / "site") / "content"
    (content / "cms.yml").write_text("backend:\n  name: gitlab\n  repo: phuong/cong-thong-tin\n"
                                     "  auth_type: pkce\n  app_id: abc\npublish_mode: editorial_workflow\n",
                                     encoding="utf-8")
    made = cms_config.make(content, site_data())
    assert made["backend"]["name"] == "gitlab" and made["publish_mode"] == "editorial_workflow"
    assert "local_backend" not in made
    local = cms_config.make(content, site_data(), local=cms_config.Local("http://127.0.0.1:9/api/v1", "main"))
    assert local["local_backend"] == {"url": "http://127.0.0.1:9/api/v1"} and local["publish_mode"] == "simple"
    assert collection(made, "bulletins")["folder"] == "content/bulletins"


def test_ready_configurations_for_each_forge_are_valid():
    folder = ROOT / "docs" / "cms"
    names = sorted(p.stem for p in folder.glob("*.yml"))
    assert names == ["gitea", "github", "gitlab"]
    for name in names:
        settings = cms_config.read_settings_file(folder / f"{name}.yml")
        assert settings["backend"]["name"] == name and settings["publish_mode"] == "editorial_workflow"
    assert cms_config.read_settings_file(folder / "gitlab.yml")["backend"]["auth_type"] == "pkce"


# ----------------------------------------------------------------- photos

def photo(size=(4000, 3000), fmt="JPEG") -> bytes:
    """A phone-sized photo: noise does not compress, so it weighs what a real one does."""
    bands = [Image.effect_noise(size, 60 + 20 * i) for i in range(3)]
    out = io.BytesIO()
    Image.merge("RGB", bands).save(out, fmt, quality=95)
    return out.getvalue()


def persisted(body: bytes) -> Image.Image:
    asset = json.loads(body)["params"]["asset"]
    return Image.open(io.BytesIO(base64.b64decode(asset["content"])))


def upload(data: bytes) -> bytes:
    return json.dumps({"action": "persistMedia", "params": {"branch": "main", "asset": {
        "path": "content/media/2025/a.jpg", "content": base64.b64encode(data).decode(), "encoding": "base64"},
        "options": {"commitMessage": "x"}}}).encode()


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP"])
def test_uploaded_photos_are_reduced_before_they_are_committed(fmt):
    big = photo(fmt=fmt)
    reduced = persisted(reduce_assets(upload(big)))
    assert reduced.format == fmt and reduced.size == (1600, 1200)
    small = upload(photo((800, 600), fmt))
    assert reduce_assets(small) == small, "a photo already small enough is committed as it is"
    text = json.dumps({"action": "persistEntry", "params": {"assets": [], "entry": {"raw": "---\n"}}}).encode()
    assert reduce_assets(text) == text


# ----------------------------------------------------------------- the editor in a browser

class Served:
    def __init__(self, project: Path, base: str, proc: subprocess.Popen):
        self.project, self.base, self.proc = project, base, proc

    @property
    def content(self) -> Path:
        return self.project / "content"

    def git(self, *args: str) -> str:
        return subprocess.run(["git", *GIT_USER, *args], cwd=self.project, capture_output=True, text=True,
                              check=True).stdout


def parsed(content: Path) -> dict[str, tuple]:
    """Each bulletin as the reader sees it: its data and its text."""
    result = Reader(content, drafts=True, future=True, history=False).read()
    assert not result.errors, result.errors
    return {"bulletins/" + b.source_path.split("bulletins/", 1)[1]: (b.meta.model_dump(), b.body)
            for b in result.bulletins + result.held_back}


def git_project(dest: Path) -> Path:
    """A copy of the demo site in its own git repository, as a unit keeps it."""
    project = make_project(dest)
    (project / ".gitignore").write_text("/site/\n/.cache/\n", encoding="utf-8")
    for step in (["init", "-q", "-b", "main"], ["config", "user.name", "Ban biên tập"],
                 ["config", "user.email", "bbt@example.vn"], ["add", "-A"], ["commit", "-qm", "Trang mẫu"]):
        subprocess.run(["git", *step], cwd=project, check=True, capture_output=True)
    return project


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The demo site previewed by `bantin serve`, which runs the local backend."""
    project = git_project(tmp_path_factory.mktemp("cms") / "site")
    port = free_port()
    log_path = project.parent / "serve.log"
    log = open(log_path, "w+", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"],
                            cwd=project, stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(lambda: proc.poll() is not None or "local_backend" in fetch(base + "admin/config.yml")[1]) \
            and proc.poll() is None, "bantin serve did not start:\n" + log_path.read_text(encoding="utf-8")[-3000:]
        local = re.search(r"url: (http://127\.0\.0\.1:\d+)/api/v1", fetch(base + "admin/config.yml")[1]).group(1)
        yield Served(project, base, proc)
    finally:
        stop_server(proc)
        log.close()
    assert fetch_refused(local), "the local backend stops with the preview"


@pytest.fixture(scope="module")
def backend_only(tmp_path_factory):
    """The local backend alone, with the site built once and served as files: saving many bulletins
    does not wait for the preview to rebuild after each."""
    project = git_project(tmp_path_factory.mktemp("cms-backend") / "site")
    with local_backend(project) as local:
        assert local is not None
        bantin("build", "--quiet", "--site-dir", str(project / "site"), cwd=project)   # its config names `local`
        server = serve_dir(project / "site")
        try:
            yield Served(project, f"http://127.0.0.1:{server.server_address[1]}/", None)
        finally:
            server.shutdown()


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["terminate", "kill"])
def test_the_local_backend_stops_with_the_preview(tmp_path, how):
    """However `bantin serve` is stopped, decap-server does not outlive it."""
    project = git_project(tmp_path / "site")
    port = free_port()
    temporary = lambda: {p for pattern in ("bantin-*", "mkdocs_*")  # noqa: E731
                         for p in Path(tempfile.gettempdir()).glob(pattern)}
    before = temporary()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"],
                            cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        config = wait_for(lambda: proc.poll() is None and fetch(f"http://127.0.0.1:{port}/admin/config.yml")[1])
        local = re.search(r"url: (http://127\.0\.0\.1:\d+)/api/v1", config or "")
        assert local, "bantin serve did not start its local backend"
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        assert children, "decap-server runs as the preview's child"
        proc.send_signal(how)
        proc.wait(timeout=30)
        assert wait_for(lambda: all(not Path(f"/proc/{pid}").exists() or
                                    "zombie" in Path(f"/proc/{pid}/status").read_text() for pid in children), 20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        left = temporary() - before
        for folder in left:       # what a killed preview could not remove
            shutil.rmtree(folder, ignore_errors=True)
    if how == signal.SIGTERM:
        assert not left, "a stopped preview left its folders in the temporary folder"


def fetch_refused(url: str) -> bool:
    try:
        fetch(url)
    except OSError:
        return True
    return False


def open_editor(browser, served):
    """/admin/ in Chromium, logged in to the local backend; any request to another host fails the test."""
    tab = browser.new_page()
    tab.set_viewport_size({"width": 1300, "height": 900})
    outside: list[str] = []

    def only_here(route):
        if re.match(r"^(http://127\.0\.0\.1[:/]|blob:|data:)", route.request.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    tab.route("**/*", only_here)
    errors: list[str] = []

    def error(e) -> None:
        # React's nested-update limit (#185) is reached, now and then, inside Decap's own form
        # when a scripted browser fills fields faster than anyone types; it is thrown from an
        # event handler, the form goes on, and what it saves is checked by each test itself.
        if not str(e).startswith("Minified React error #185;"):
            errors.append(f"{e}\n{getattr(e, 'stack', '')}")

    tab.on("pageerror", error)
    tab.page_errors = errors
    asked: list[str] = []   # a question the editor put (Playwright answers "no" to it) is a failure to explain
    tab.on("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    tab.goto(served.base + "admin/")
    login, collections = tab.get_by_role("button", name="Đăng nhập"), tab.get_by_role("link", name="Bài viết")
    login.or_(collections).first.wait_for()
    if login.is_visible():   # once per browser: the login is remembered
        login.click()
    collections.first.wait_for()
    yield tab
    tab.close()
    assert outside == [], "the editor asked another host"
    assert errors == []
    assert asked == [], "the editor asked a question nobody answered"


editor = pytest.fixture(open_editor)


@pytest.fixture
def backend_editor(browser, backend_only):
    yield from open_editor(browser, backend_only)


def field(tab, name: str):
    """A form control by its field name (Decap numbers the ids: title-field-1...)."""
    return tab.locator(f'[id^="{name}-field-"]')


def choose(tab, name: str, label: str, last: bool = False) -> None:
    control = field(tab, name)
    (control.last if last else control.first).click()
    tab.get_by_text(label, exact=True).last.click()


def saved(response) -> bool:
    return response.url.endswith("/api/v1") and '"persistEntry"' in (response.request.post_data or "")


def publish(tab, wait: bool = True) -> None:
    """Publish now (the local backend commits at once); waits for the local backend's answer."""
    tab.get_by_role("button", name="Công bố").click()
    if not wait:
        tab.get_by_text("Công bố ngay", exact=True).click()
        return
    with tab.expect_response(saved, timeout=60_000) as answer:
        tab.get_by_text("Công bố ngay", exact=True).click()
    assert answer.value.ok, answer.value.text()
    # The form counts as unsaved until Decap has taken the answer in; leaving before that is held
    # by its "leave this page?" question, so wait for the toolbar to say the entry is published.
    tab.get_by_text("Đã công bố", exact=True).first.wait_for(timeout=60_000)


def open_entry(tab, source: str, title: str):
    """The bulletin's form, once it shows this bulletin; returns its title control."""
    slug = source.removeprefix("bulletins/").removesuffix(".md")
    if "/entries/" in tab.url:   # Decap keeps the form it shows when only the address's #part changes:
        tab.get_by_role("link", name="Bài viết").first.click()   # back to the list first
        tab.locator("[class*=ListCard]").first.wait_for()
    tab.evaluate(f"location.hash = '#/collections/bulletins/entries/{slug}'")
    control = field(tab, "title").first
    tab.wait_for_function("([sel, title]) => { const e = document.querySelector(sel); return e && e.value === title; }",
                          arg=['[id^="title-field-"]', title])
    return control


YEAR = datetime.now().year
TITLE = f"Đảng ủy phường Ngọc Thụy sơ kết công tác tuyên giáo quý I/{YEAR}"
HARD_TITLES = [
    "Đảng ủy", "ĐOÀN THANH NIÊN PHƯỜNG", "  Hội nghị: 'Tổng kết' năm 2024 — 1,000 hộ  ", "Quý I/2025 (lần 2)",
    "Nghị quyết số 68-NQ/CP", "10.000 người dân & “Dân vận khéo”", "Covid-19...", "Tổ dân phố số 5",
    "Hội nghị tổng kết công tác tuyên giáo năm 2024 và triển khai nhiệm vụ trọng tâm năm 2025 của Đảng ủy phường "
    "Ngọc Thụy, quận Long Biên", "Đảng bộ phường Gia Thụy quán triệt, triển khai thực hiện Nghị quyết Trung ương "
    "bốn khóa mười ba về xây dựng, chỉnh đốn Đảng",
]


def test_addresses_are_made_from_titles_as_bantin_makes_them(editor):
    """The browser's slug of every demo title and of hard cases is `generator.vietnamese.slugify`'s."""
    titles = [meta["title"] for meta, _ in parsed(ROOT / "content").values()] + HARD_TITLES
    made = editor.evaluate("titles => titles.map(t => window.bantinSlugify(t))", titles)
    assert dict(zip(titles, made)) == {t: slugify(t) for t in titles}


def test_an_editor_creates_a_meeting_bulletin_with_a_photo(editor, served, tmp_path, screenshots):
    tab = editor
    phone = tmp_path / f"IMG_{YEAR}0102_0930.jpg"
    phone.write_bytes(photo())
    commits = served.git("rev-list", "--count", "HEAD")
    tab.locator("[class*=ListCard]").first.wait_for()
    tab.screenshot(path=str(screenshots / "cms-list-1280.png"))
    tab.evaluate("location.hash = '#/collections/bulletins/new'")
    field(tab, "title").first.fill(TITLE)
    field(tab, "date").first.fill(f"{YEAR}-01-02T09:30")
    choose(tab, "category", "Đảng - đoàn thể")
    choose(tab, "unit", "Phường Ngọc Thụy")
    field(tab, "meeting").locator("[data-testid=expand-button]").first.click()
    field(tab, "location").fill("Hội trường UBND phường Ngọc Thụy")
    field(tab, "participants").fill("14:30")   # YAML 1.1 reads it unquoted as a number (870)
    choose(tab, "format", "hội nghị")
    for name, role in (("Nguyễn Văn An", "Bí thư Đảng ủy phường"), ("Trần Thị Bình", "Chủ tịch UBND phường")):
        tab.get_by_role("button", name="Thêm chủ trì").click()
        field(tab, "name").last.fill(name)
        field(tab, "role").last.fill(role)
    tab.get_by_role("button", name="Thêm văn bản").click()
    field(tab, "number").last.fill("12-NQ/ĐU")
    field(tab, "date").last.fill(f"{YEAR}-01-01")
    field(tab, "title").last.fill(f"Nghị quyết về công tác tuyên giáo quý I/{YEAR}")
    tab.get_by_role("button", name="Thêm kết luận").click()
    field(tab, "item").last.fill("Đẩy mạnh tuyên truyền trên mạng xã hội")
    body = tab.locator("div[class*=ControlContainer]").filter(has=tab.locator('label[for^="body-field-"]')).last
    body.locator("[contenteditable=true]").first.click()
    tab.keyboard.type(f"Sáng 2/1, Đảng ủy phường Ngọc Thụy tổ chức hội nghị sơ kết công tác tuyên giáo quý I/{YEAR}.")
    tab.keyboard.press("Enter")
    tab.get_by_role("button", name="Chèn ảnh, thành phần").click()
    tab.get_by_text("Ảnh có chú thích", exact=True).click()
    tab.get_by_role("button", name="Chọn một hình").last.click()
    tab.locator("input[type=file]").last.set_input_files(str(phone))
    tab.get_by_role("button", name="Lấy những cái đã chọn").click()
    field(tab, "alt").last.fill("Toàn cảnh hội nghị")
    field(tab, "caption").last.fill("Đồng chí Nguyễn Văn An phát biểu tại hội nghị")
    preview = tab.frame_locator("iframe").last
    preview.locator(".bt-meeting").get_by_text("Trần Thị Bình").wait_for()
    preview.locator(".bt-body figure figcaption").get_by_text("Đồng chí Nguyễn Văn An phát biểu").wait_for()
    tab.screenshot(path=str(screenshots / "cms-editor-1280.png"))
    with tab.expect_request(lambda r: '"persistEntry"' in (r.post_data or "")) as sent:
        publish(tab)
    assert len(sent.value.post_data) < 2_000_000, "the photo was reduced in the browser, before the upload"
    slug = slugify(TITLE)
    path = served.content / "bulletins" / str(YEAR) / f"{slug}.md"
    assert wait_for(lambda: path.is_file() and served.git("status", "--porcelain") == "", 60), \
        "the bulletin was not saved and committed"
    assert int(served.git("rev-list", "--count", "HEAD")) > int(commits)
    assert served.git("ls-files", "--error-unmatch", f"content/bulletins/{YEAR}/{slug}.md")
    meta, text = parsed(served.content)[f"bulletins/{YEAR}/{slug}.md"]
    assert meta["title"] == TITLE and meta["slug"] == slug and meta["unit"] == "phuong-ngoc-thuy"
    assert [p["name"] for p in meta["meeting"]["chairs"]] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert meta["meeting"]["documents"][0]["number"] == "12-NQ/ĐU"
    assert meta["meeting"]["conclusions"] == ["Đẩy mạnh tuyên truyền trên mạng xã hội"]
    assert meta["meeting"]["participants"] == "14:30"
    keys = list(yaml.safe_load(split_front_matter(path.read_text(encoding="utf-8"))[0]))
    assert keys == [k for k in models.FrontMatter.model_fields if k in keys], "keys in the form's order"
    assert meta["opinion"] is None, "an untouched opinion block is not saved"
    figure = re.search(rf'^!\[Toàn cảnh hội nghị\]\((/media/{YEAR}/[^ ]+\.jpg) "Đồng chí Nguyễn Văn An phát biểu tại hội nghị"\)$',
                       text, re.M)
    assert figure, text
    stored = served.content / figure.group(1).lstrip("/")
    assert served.git("ls-files", "--error-unmatch", f"content/{figure.group(1).lstrip('/')}")
    with Image.open(stored) as im:
        assert max(im.size) == 1600 and im.format == "JPEG"
    assert stored.stat().st_size < phone.stat().st_size / 5
    bantin("check", cwd=served.project)
    page_url = f"{served.base}{YEAR}/01/{slug}/"
    assert wait_for(lambda: TITLE in fetch(page_url)[1]), "the preview did not rebuild with the new bulletin"
    page = fetch(page_url)[1]
    card = re.search(r'<section class="bt-box bt-meeting".*?</section>', page, re.S).group(0)
    assert "Nguyễn Văn An" in card and "Trần Thị Bình" in card and "12-NQ/ĐU" in card
    assert "Đẩy mạnh tuyên truyền trên mạng xã hội" in card
    assert re.search(rf"<figure>\s*<img[^>]+/media/{YEAR}/.*?<figcaption>Đồng chí Nguyễn Văn An phát biểu tại hội nghị"
                     r"</figcaption>", page, re.S)


def test_a_new_bulletin_cannot_take_an_existing_address(editor, served):
    tab = editor
    before = served.git("rev-parse", "HEAD")
    tab.evaluate("location.hash = '#/collections/bulletins/new'")
    field(tab, "title").first.fill("Giao ban dư luận xã hội tháng 11/2021 (bản mới)")
    field(tab, "date").first.fill("2021-12-20T08:00")
    field(tab, "slug").first.fill("giao-ban-du-luan-xa-hoi-thang-11-2021")   # the seed's, the same month
    choose(tab, "category", "Đảng - đoàn thể")
    choose(tab, "unit", "Quận Long Biên")
    publish(tab, wait=False)
    tab.get_by_text("/2021/12/giao-ban-du-luan-xa-hoi-thang-11-2021/").first.wait_for()
    tab.page_errors.clear()   # Decap reports the refused save on the console too
    assert served.git("rev-parse", "HEAD") == before and served.git("status", "--porcelain") == ""


def test_editing_a_seed_title_changes_only_the_title(editor, served, screenshots):
    tab = editor
    before = parsed(served.content)[SEED]
    title = open_entry(tab, SEED, before[0]["title"])
    title.fill("Giao ban Dư luận xã hội định kỳ tháng 11 năm 2021")
    tab.frame_locator("iframe").last.locator(".bt-opinion").wait_for()
    tab.screenshot(path=str(screenshots / "cms-seed-1280.png"))
    publish(tab)
    assert wait_for(lambda: parsed(served.content)[SEED][0]["title"] != before[0]["title"], 60)
    after = parsed(served.content)[SEED]
    changed = {k for k in before[0] if before[0][k] != after[0][k]}
    assert changed == {"title"} and after[0]["title"] == "Giao ban Dư luận xã hội định kỳ tháng 11 năm 2021"
    assert after[1] == before[1], "the text is unchanged"
    assert served.git("status", "--porcelain") == ""
    bantin("check", cwd=served.project)


def test_every_demo_bulletin_survives_a_save_unchanged(backend_editor, backend_only):
    """Open each bulletin, save it with nothing changed but a space after the title (which the model
    strips, and without which Decap offers no save): every file reads as before, and check passes."""
    tab = backend_editor
    before = parsed(backend_only.content)
    for source in sorted(before):
        title = open_entry(tab, source, before[source][0]["title"])
        title.press("End")
        title.press("Space")
        publish(tab)
    after = parsed(backend_only.content)
    assert sorted(after) == sorted(before)
    for source in before:
        assert after[source] == before[source], source
    bantin("check", cwd=backend_only.project)


def test_units_are_edited_as_their_own_entry(editor, served):
    tab = editor
    before = Reader(served.content).read_site_data().units
    tab.evaluate("location.hash = '#/collections/site-data/entries/units'")
    tab.get_by_text("Phường Ngọc Thụy (phuong-ngoc-thuy)").first.wait_for()
    tab.get_by_role("button", name="Thêm đơn vị").click()
    field(tab, "key").last.fill("phuong-phuc-loi")
    field(tab, "name").last.fill("Phường Phúc Lợi")
    choose(tab, "level", "phường", last=True)
    choose(tab, "parent", "Quận Long Biên", last=True)
    publish(tab)
    units = Reader(served.content).read_site_data().units
    assert list(units) == [*before, "phuong-phuc-loi"]
    assert units["phuong-phuc-loi"] == models.Unit(key="phuong-phuc-loi", name="Phường Phúc Lợi", level="phường",
                                                    parent="quan-long-bien")
    assert all(units[k] == before[k] for k in before), "the other units are as they were"
    assert served.git("status", "--porcelain") == ""
    bantin("check", cwd=served.project)
