"""The build cache never serves a stale page, and a preview rewrites only what an edit changed.

Each change an editor or a developer makes is applied to a project whose cache holds
the previous build; the site built with that cache must be, byte for byte, the site
built from nothing.
"""
from __future__ import annotations

import filecmp
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from PIL import Image

from conftest import bantin, make_project
from generator import search
from generator.cache import Store
from generator.content.reader import Reader
from test_editor_workflow import fetch, free_port, wait_for

SEED = "bulletins/2022/long-bien-giao-ban-du-luan-xa-hoi-thang-9-2022.md"


def differences(a: Path, b: Path) -> list[str]:
    """Files that differ or exist on one side only, as relative paths."""
    out = []
    cmp = filecmp.dircmp(a, b)
    stack = [(cmp, Path())]
    while stack:
        node, rel = stack.pop()
        out += [str(rel / n) for n in node.left_only + node.right_only]
        _, mismatch, errors = filecmp.cmpfiles(node.left, node.right, node.common_files, shallow=False)
        out += [str(rel / n) for n in mismatch + errors]
        stack += [(sub, rel / name) for name, sub in node.subdirs.items()]
    return sorted(out)


def newest_bulletin(content: Path) -> Path:
    dated = []
    for path in (content / "bulletins").rglob("*.md"):
        m = re.search(r"^date:\s*['\"]?(\d{4}-\d\d-\d\d(?:[ T]\d\d:\d\d)?)", path.read_text(encoding="utf-8"), re.M)
        if m and "draft: true" not in path.read_text(encoding="utf-8"):
            dated.append((m.group(1), path))
    return max(dated)[1]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def body_sentence(path: Path) -> str:
    """The last long paragraph: far from the lead, which listings show."""
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    return [line for line in body.splitlines() if len(line) > 80 and not line.startswith(("!", "#", ">", "|"))][-1]


def first_image(content: Path) -> Path:
    return next(p for p in sorted((content / "media").rglob("*.jpg")))


CHANGES = {
    "a sentence deep in a bulletin's body": lambda c: edit(
        c / SEED, body_sentence(c / SEED), body_sentence(c / SEED) + " Câu bổ sung để kiểm tra bộ nhớ đệm."),
    "the newest bulletin's title (side column of every listing)": lambda c: edit(
        newest_bulletin(c), "title: ", "title: Đã sửa – "),
    "a unit's name in units.yml": lambda c: edit(c / "units.yml", "name: Phường", "name: P."),
    "a category's name in categories.yml": lambda c: edit(c / "categories.yml", "name: ", "name: Mục "),
    "a template": lambda c: edit(c.parent / "theme_overrides" / "bantin" / "bulletin.html",
                                 "</article>", "<p>Mẫu mới</p></article>"),
    "a photo replaced by one of another size": lambda c: Image.new("RGB", (1200, 500), "#347").save(first_image(c)),
    "a bulletin's topics (the related bulletins of others)": lambda c: edit(
        c / SEED, "topics: [du-luan-xa-hoi, giai-phong-mat-bang, moi-truong, an-sinh-xa-hoi]",
        "topics: [chuyen-doi-so, cong-tac-tuyen-giao]"),
    "a bulletin removed": lambda c: (c / SEED).unlink(),
    "a bulletin moved to another unit": lambda c: edit(newest_bulletin(c), "unit: ", "unit: x", 1) or
        edit(newest_bulletin(c), "unit: x", "unit: "),
    "the site's configuration (a listing's size)": lambda c: edit(c.parent / "mkdocs.yml", "per_page: 10", "per_page: 7"),
    "a number in a template (how much of a lead a card shows)": lambda c: edit(
        c.parent / "theme_overrides" / "bantin" / "macros.html", "truncate(240)", "truncate(90)"),
    "a number in a template (how many bulletins the home page shows with a photo)": lambda c: edit(
        c.parent / "theme_overrides" / "bantin" / "home.html", "ctx.latest[:3]", "ctx.latest[:2]"),
}


@pytest.fixture(scope="module")
def cached_project(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("cached") / "site")
    (project / "mkdocs.yml").write_text(
        (project / "mkdocs.yml").read_text(encoding="utf-8").replace("- bantin:", "- bantin:\n      search: false", 1),
        encoding="utf-8")
    bantin("build", "-q", cwd=project)
    return project


def build_fresh(project: Path, dest: Path) -> None:
    """The same project built from nothing: a copy without .cache/ and the built site folders
    (at the top only: content/site.yml is content)."""
    def outputs(folder: str, names: list[str]) -> list[str]:
        if Path(folder) != project:
            return []
        return [n for n in names if n in (".cache", "site") or n.startswith("site.")]

    shutil.copytree(project, dest, ignore=outputs)
    bantin("build", "-q", cwd=dest)


def entries(root: Path) -> set[str]:
    store = Store(root)
    try:
        return store.entries()
    finally:
        store.close()


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_cached_build_after_a_change_equals_a_build_from_nothing(cached_project, tmp_path, change):
    CHANGES[change](cached_project / "content")
    bantin("build", "-q", cwd=cached_project)
    build_fresh(cached_project, tmp_path / "fresh")
    assert any(e.startswith("pages:") for e in entries(cached_project / ".cache" / "bantin")), \
        "the cached build kept nothing"
    assert differences(cached_project / "site", tmp_path / "fresh" / "site") == []


def test_an_unchanged_rebuild_renders_nothing_again(cached_project):
    bantin("build", "-q", cwd=cached_project)
    store = cached_project / ".cache" / "bantin"
    kept = entries(store)
    before = {p: p.stat().st_mtime_ns for p in store.rglob("*") if p.is_file()}
    bantin("build", "-q", cwd=cached_project)
    after = {p: p.stat().st_mtime_ns for p in store.rglob("*") if p.is_file()}
    assert entries(store) == kept, "a rebuild with nothing changed made or dropped cache entries"
    assert before == after, "a rebuild with nothing changed wrote to the cache"


def fragments(bundle: Path) -> list[str]:
    return sorted(p.name for p in bundle.glob("*/fragment/*"))


def test_cached_search_index_is_the_index_of_the_pages(tmp_path):
    """A bulletin edited between two builds is found by its new words: the index was not reused."""
    project = make_project(tmp_path / "site")
    bantin("build", "-q", cwd=project)
    bundle = project / "site" / "pagefind"
    first = fragments(bundle)
    bantin("build", "-q", cwd=project)
    assert fragments(bundle) == first
    edit(project / "content" / SEED, body_sentence(project / "content" / SEED), "Từ khóa zyxwvu mới thêm.")
    bantin("build", "-q", cwd=project)
    assert fragments(bundle) != first
    (project / "content" / SEED).unlink()
    bantin("build", "-q", cwd=project)
    assert len(fragments(bundle)) == len(first) - 1, "a removed bulletin is still in the search index"


def test_only_the_part_of_the_index_whose_pages_changed_is_made_again(tmp_path):
    """The index in parts (of at most 12 bulletins: a year each in the demo): an edit in 2022
    re-indexes 2022 alone, the other years' parts are the files of the last build (the same
    files on disk, not made again)."""
    project = make_project(tmp_path / "site")
    parts = {"BANTIN_SEARCH_PART_PAGES": "12"}
    bantin("build", "-q", cwd=project, env=parts)
    bantin("build", "-q", cwd=project, env=parts)          # every part taken from the cache now
    bundle = project / "site" / "pagefind"
    made = {p.relative_to(bundle): (p.stat().st_ino, p.read_bytes()) for p in bundle.rglob("*") if p.is_file()}
    assert {p.parts[0] for p in made} >= {"2021", "2022", "2023"}
    edit(project / "content" / SEED, body_sentence(project / "content" / SEED), "Từ khóa zyxwvu mới thêm.")
    bantin("build", "-q", cwd=project, env=parts)
    again = {p.relative_to(bundle): (p.stat().st_ino, p.read_bytes()) for p in bundle.rglob("*") if p.is_file()}
    changed = {p.parts[0] for p in made.keys() | again.keys() if made.get(p) != again.get(p)}
    assert changed == {"2022"}
    assert (bundle / "2022" / "pagefind-entry.json").read_bytes() != b""


def test_a_second_build_at_the_same_time_indexes_from_its_own_folder(tmp_path):
    store = Store(tmp_path)
    with search.mirror(store) as first:
        with search.mirror(store) as second:
            assert first == tmp_path / search.MIRROR
            assert second != first and second.is_dir()
        assert not second.exists(), "the temporary folder was left behind"


def test_serve_shows_an_edit_and_brings_every_listing_up_to_date(tmp_path):
    """What `bantin serve` shows after saves; how little it rewrites is tested on the core (test_core.py)."""
    project = make_project(tmp_path / "site")
    temporary = lambda: {p for pattern in ("bantin-*", "mkdocs_*")  # noqa: E731
                         for p in Path(tempfile.gettempdir()).glob(pattern)}
    before = temporary()
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log_path = tmp_path / "serve.log"
    log = open(log_path, "w+", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"],
                            cwd=project, stdout=log, stderr=subprocess.STDOUT, text=True)
    seed_url = base + "2022/09/long-bien-giao-ban-du-luan-xa-hoi-thang-9-2022/"
    try:
        assert wait_for(lambda: proc.poll() is not None or fetch(base)[0] == 200) and proc.poll() is None, \
            log_path.read_text(encoding="utf-8")[-3000:]
        status, page = fetch(seed_url)
        assert status == 200
        sentence = body_sentence(project / "content" / SEED)
        edit(project / "content" / SEED, sentence, "Nội dung vừa sửa khi xem thử.")
        assert wait_for(lambda: "Nội dung vừa sửa khi xem thử." in fetch(seed_url)[1], 60), \
            log_path.read_text(encoding="utf-8")[-3000:]
        edit(project / "content" / SEED, "title: ", "title: Tiêu đề mới khi xem thử – ")
        assert wait_for(lambda: "Tiêu đề mới khi xem thử" in fetch(seed_url)[1], 60)
        assert wait_for(lambda: "Tiêu đề mới khi xem thử" in fetch(base + "luu-tru/2022/09/")[1], 60), \
            "the month's listing still shows the old title"
        assert wait_for(lambda: "Tiêu đề mới khi xem thử" in fetch(base + "don-vi/quan-long-bien/trang/2/")[1], 60), \
            "the unit's listing still shows the old title"
        assert wait_for(lambda: "Tiêu đề mới khi xem thử" in fetch(base + "chuyen-muc/du-luan-xa-hoi/")[1], 60), \
            "the category's listing (a page of the navigation) still shows the old title"
    finally:
        proc.send_signal(signal.SIGHUP)     # as a closed terminal does
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    assert temporary() <= before, "the preview left its folders in the temporary folder"


def test_a_preview_reads_an_edited_bulletin_again_even_at_its_old_size_and_date(tmp_path):
    """The preview skips files whose size and times are unchanged: an edit that keeps the size
    and puts the old modification time back must still be seen."""
    content = make_project(tmp_path / "site") / "content"
    path = content / SEED
    past = time.time() - 3600
    os.utime(path, (past, past))
    memo: dict = {}
    first = Reader(content, memo=memo).read()
    assert not any(b.title.startswith("Z") for b in first.bulletins)
    data = path.read_bytes()
    assert data.endswith(b"\n")
    path.write_bytes(data.replace(b"title: ", b"title: Z", 1)[:-1])      # same size
    os.utime(path, (past, past))
    second = Reader(content, memo=memo).read()
    edited = next(b for b in second.bulletins if b.source_path.endswith(SEED))
    assert edited.title.startswith("Z"), "the preview showed the bulletin as it was before the edit"


def test_a_batch_writes_its_entries_together_at_its_end(tmp_path):
    writer, reader = Store(tmp_path), Store(tmp_path)
    try:
        with writer.batch():
            writer.put("pages", "k1", b"one")
            writer.put("pages", "k2", b"two")
            assert writer.get("pages", "k1") == b"one", "an entry put in a batch was not found by its own store"
            assert reader.get("pages", "k1") is None, "the batch wrote before its end"
        assert (reader.get("pages", "k1"), reader.get("pages", "k2")) == (b"one", b"two")
    finally:
        writer.close()
        reader.close()


def site_files(site: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.read_bytes()) for p in site.rglob("*") if p.is_file()}


def test_a_rebuild_keeps_the_unchanged_pages_and_equals_a_build_from_nothing(tmp_path):
    """After an edit, a removal and a renamed address, the pages whose key did not change are the last
    site's files (kept, not written again), and the site is byte for byte the site built from nothing."""
    project = make_project(tmp_path / "site")
    bantin("build", "-q", cwd=project)
    before = site_files(project / "site")
    content = project / "content"
    edit(content / SEED, body_sentence(content / SEED), "Câu đã sửa để kiểm tra lần dựng lại.")
    (content / "bulletins/2023/bac-kan-tong-ket-10-nam-ket-luan-100.md").unlink()
    moved = content / "bulletins/2023/ngoc-thuy-giao-ban-du-luan-xa-hoi-quy-ii-2023.md"
    edit(moved, "slug: ngoc-thuy-giao-ban-du-luan-xa-hoi-quy-ii-2023", "slug: ngoc-thuy-giao-ban-quy-ii-2023")
    bantin("build", "-q", cwd=project)
    after = site_files(project / "site")
    build_fresh(project, tmp_path / "fresh")
    assert differences(project / "site", tmp_path / "fresh" / "site") == []

    pages = [p for p in after if p.endswith("index.html") and p in before]
    kept = [p for p in pages if after[p][0] == before[p][0]]
    assert len(kept) > len(pages) / 2, "most pages were written again"
    edited = "2022/09/long-bien-giao-ban-du-luan-xa-hoi-thang-9-2022/index.html"
    assert edited not in kept and after[edited][1] != before[edited][1]
    assert "2023/06/ngoc-thuy-giao-ban-quy-ii-2023/index.html" in after
    assert "2023/11/bac-kan-tong-ket-10-nam-ket-luan-100/index.html" not in after


def test_a_page_changed_in_the_old_site_is_written_again(tmp_path):
    """A kept page is checked against what the last build wrote: a site/ changed by hand (or a
    CI cache replaced) does not pass its change on."""
    project = make_project(tmp_path / "site")
    bantin("build", "-q", cwd=project)
    page = project / "site" / "2022/09/long-bien-giao-ban-du-luan-xa-hoi-thang-9-2022/index.html"
    good = page.read_bytes()
    page.unlink()
    page.write_bytes(good.replace(b"</body>", b"<script>alert(1)</script></body>"))
    bantin("build", "-q", cwd=project)
    assert page.read_bytes() == good
    # Changed in place, the same length, the same file: only its time says so.
    forged = good.replace("Long Biên".encode(), "Long Bien".encode().ljust(len("Long Biên".encode())), 1)
    assert forged != good and len(forged) == len(good)
    with open(page, "r+b") as handle:
        handle.write(forged)
    bantin("build", "-q", cwd=project)
    assert page.read_bytes() == good


def spare_of(project: Path) -> Path:
    """Where a build keeps the site before last, as the next build's folder."""
    return project / ".cache" / "site-spare"


def test_rebuilds_through_the_site_before_last_equal_a_build_from_nothing(tmp_path):
    """The third build writes into the first one's folder: what that folder held and this build does
    not make (a removed bulletin, an old address) is gone, and the site is the one built from nothing."""
    project = make_project(tmp_path / "site")
    content = project / "content"
    bantin("build", "-q", cwd=project)
    edit(content / SEED, body_sentence(content / SEED), "Câu sửa lần thứ nhất.")
    bantin("build", "-q", cwd=project)
    assert (spare_of(project) / "index.html").is_file(), "the site before last was not kept for the next build"
    (content / "bulletins/2023/bac-kan-tong-ket-10-nam-ket-luan-100.md").unlink()
    moved = content / "bulletins/2023/ngoc-thuy-giao-ban-du-luan-xa-hoi-quy-ii-2023.md"
    edit(moved, "slug: ngoc-thuy-giao-ban-du-luan-xa-hoi-quy-ii-2023", "slug: ngoc-thuy-giao-ban-quy-ii-2023")
    edit(content / SEED, "Câu sửa lần thứ nhất.", "Câu sửa lần thứ hai.")
    bantin("build", "-q", cwd=project)
    build_fresh(project, tmp_path / "fresh")
    assert differences(project / "site", tmp_path / "fresh" / "site") == []
    assert not (project / "site/2023/11/bac-kan-tong-ket-10-nam-ket-luan-100").exists()


def test_a_rebuild_never_writes_into_a_file_of_the_live_site(tmp_path):
    """The site before last shares most of its files with the live site (kept pages are links to
    one file): a rebuild that writes every page again into it must leave the live site as it was,
    for readers while it runs and for good if it fails.  Once replaced, the live site is the next
    spare folder, byte for byte as readers had it."""
    project = make_project(tmp_path / "site")
    bantin("build", "-q", cwd=project)
    bantin("build", "-q", cwd=project)
    live = {p.relative_to(project / "site").as_posix(): p.read_bytes()
            for p in (project / "site").rglob("*") if p.is_file()}
    shared = [p for p in live if (spare_of(project) / p).is_file()
              and os.path.samefile(spare_of(project) / p, project / "site" / p)]
    pages = [p for p in live if p.endswith(".html")]
    assert len([p for p in shared if p.endswith(".html")]) > len(pages) / 2, "the rebuild kept few pages"
    edit(project / "content" / "site.yml", "name: ", "name: Cổng mới ", 1)       # every page changes
    bantin("build", "-q", cwd=project)
    assert b"C\xe1\xbb\x95ng m\xe1\xbb\x9bi" in (project / "site" / "index.html").read_bytes()
    before = {p.relative_to(spare_of(project)).as_posix(): p.read_bytes()
              for p in spare_of(project).rglob("*") if p.is_file()}
    changed = [p for p in live if before.get(p) != live[p]]
    assert changed == [], f"the rebuild wrote into files of the site readers had: {changed[:5]}"


def test_what_lies_in_the_spare_folder_is_never_published(tmp_path):
    """A file, or a link to a file outside content/, put into the kept folder is removed by the build
    that takes it; a spare folder that is itself a link is not used at all."""
    project = make_project(tmp_path / "site")
    bantin("build", "-q", cwd=project)
    bantin("build", "-q", cwd=project)
    spare = spare_of(project)
    (spare / "lay.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (spare / "passwd.txt").symlink_to("/etc/passwd")
    page = next(p for p in spare.rglob("index.html") if p.parent != spare)
    rel = page.relative_to(spare)
    page.unlink()
    page.symlink_to("/etc/passwd")
    bantin("build", "-q", cwd=project)
    site = project / "site"
    assert not (site / "lay.html").exists() and not (site / "passwd.txt").exists()
    assert not (site / rel).is_symlink() and b"root:" not in (site / rel).read_bytes()
    assert not [p for p in site.rglob("*") if p.is_symlink()]

    shutil.rmtree(spare)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "lay.html").write_text("lạ", encoding="utf-8")
    spare.symlink_to(elsewhere)
    bantin("build", "-q", cwd=project)
    assert not (site / "lay.html").exists()
    assert (elsewhere / "lay.html").read_text(encoding="utf-8") == "lạ", "a build wrote through a link"
