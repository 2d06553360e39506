"""The live preview (`bantin serve`): the same stages as a build, again after every save,
into the folder being served, writing only what changed.

A preview keeps, between its builds, the bulletins read and the bodies rendered (`Memory`),
what it wrote where (each page's key, each file's digest), and the search folder.  After a
save, the edited bulletin's page is written and shown first; the build that follows writes
only the pages whose key changed and removes those that are gone; the search index is
remade in the background, at low priority, so that the next edit is not kept waiting.
"""
from __future__ import annotations

import contextlib
import html
import json
import logging
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Callable, Optional

from . import search, urls
from .build import STOPS, Made, Memory, Output, collector_tuned, make, pagefind, read, render, stamp
from .sitefolder import swap
from .cache import digest
from .config import Settings
from .content.reader import ContentSet
from .theme import Theme
from .views import bulletins
from .views.base import Asset, Page

log = logging.getLogger("bantin")

# While a file is broken, every page of the preview says so (the frame loads urls.PREVIEW_SCRIPT,
# which reads urls.PREVIEW_STATUS), and reloads when the file is fixed, as after any save.
PREVIEW_JS = """(function () {
  var src = document.currentScript.src, status = src.replace(/preview\\.js(\\?.*)?$/, "status.json");
  fetch(status, {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
    if (s.ok) return;
    var box = document.createElement("section");
    box.id = "bantin-problems"; box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:9999;overflow:auto;padding:2rem;background:#fff8f6;" +
      "color:#3b0a06;font:16px/1.5 system-ui,sans-serif";
    var h = document.createElement("h1"); h.textContent = s.heading; box.appendChild(h);
    var p = document.createElement("p"); p.textContent = s.hint; box.appendChild(p);
    var ul = document.createElement("ul");
    s.problems.forEach(function (t) {
      var li = document.createElement("li"); li.textContent = t; li.style.margin = ".5em 0"; ul.appendChild(li);
    });
    box.appendChild(ul); document.body.appendChild(box);
  }).catch(function () {});
})();
"""
HEADING = "Trang xem thử chưa được dựng lại: có lỗi trong nội dung"
HINT = "Sửa các chỗ dưới đây rồi lưu tệp: trang sẽ tự tải lại. (Lỗi cũng được in trong cửa sổ dòng lệnh.)"


def edited(settings: Settings, last: Made, memory: Memory) -> list[Page]:
    """The pages of bulletins edited since `last`, made at once for a preview.

    Only edits that leave a bulletin where it was (same address, section, unit, date and
    topics) qualify: its page is then the old page with the new text, its neighbours and
    related bulletins unchanged.  The full build that follows brings every other page up
    to date, and redoes these if they came out differently.
    """
    content = read(settings, last.store, memory)
    before = {b.url: b for b in last.site.bulletins}
    changed = []
    for b in content.bulletins:
        old = before.get(b.url)
        if old is None or old is b:
            continue
        if (b.category.key, b.unit.key, b.date, [t.key for t in b.topics]) != \
                (old.category.key, old.unit.key, old.date, [t.key for t in old.topics]):
            continue
        changed.append((b, old))
    if not changed:
        return []
    fresh = ContentSet(content.data, [b for b, _ in changed], [], [])
    render(settings, fresh, last.photos, jobs=1, store=last.store, memory=memory)
    for b, old in changed:
        b.cover = last.photos.get(b.meta.image) if b.meta.image else None
    stamp(fresh.bulletins)
    return [bulletins.bulletin_page(last.site, b) for b, _ in changed]


def file_digest(asset: Asset) -> str:
    """What a file will say: its bytes, or the size and time of the file it is copied from."""
    if asset.content is not None:
        return digest(asset.content)
    try:
        st = asset.source.stat()
    except OSError:
        return digest("missing", asset.source)
    return digest(asset.source, st.st_size, st.st_mtime_ns)


def remove(root: Path, path: str) -> None:
    """A file that is gone from the site, and the folders it leaves empty."""
    target = root / path
    target.unlink(missing_ok=True)
    for folder in target.parents:
        if folder == root or not folder.is_relative_to(root):
            break
        try:
            folder.rmdir()
        except OSError:
            break


class Preview:
    """One `bantin serve`: its builds, and what it remembers between them."""

    def __init__(self) -> None:
        self.memory = Memory()
        self.last: Optional[Made] = None
        self.written: dict[str, Optional[str]] = {}     # site path -> what was written there
        self.files_written: dict[str, str] = {}
        self.written_dir: Optional[Path] = None
        self.mirror_dir: Optional[Path] = None           # the search copy, kept between builds...
        self._mirror_hold = contextlib.ExitStack()       # ...held (locked) until the preview stops
        self._search_thread: Optional[threading.Thread] = None
        self._search_wanted = 0
        self.failed = False                              # the last build stopped on an error

    def build(self, settings: Settings, theme: Theme, site_dir: Path,
              shown: Optional[Callable[[], None]] = None) -> Optional[Made]:
        """Brings the folder at `site_dir` up to date; `shown` is called once an edited
        bulletin's page is written, so that the browser may reload before the rest is done.
        When the content has errors, the folder stays as it was, every page says what is wrong
        (see urls.PREVIEW_STATUS), and None is returned: the preview goes on, waiting for the fix."""
        site_dir = Path(site_dir)
        try:
            with collector_tuned():
                # After a failed build, the pages say so until the whole build succeeds: no early reload.
                if self.last is not None and self.written_dir == site_dir and not self.failed:
                    self._show_edited_first(settings, theme, site_dir, shown)
                made = make(settings, self.memory)
                binary = pagefind(settings)
                if binary and self.mirror_dir is None:
                    self.mirror_dir = self._mirror_hold.enter_context(search.mirror(made.store))
                out = Output(made, theme, site_dir, self.mirror_dir if binary else None)
                self._write(made, out)
                made.photos.close()
        except STOPS as exc:
            log.error("%s", exc)
            self.failed = True
            self._status(site_dir, [str(p) for p in getattr(exc, "problems", [])] or [str(exc)])
            return None
        self.failed = False
        self._status(site_dir, [])
        self.last = made
        if binary:
            self._index_later(site_dir, binary)
        return made

    def _status(self, site_dir: Path, problems: list[str]) -> None:
        """What every page of the preview shows while something is wrong (nothing when all is well)."""
        (site_dir / urls.PREVIEW_SCRIPT).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / urls.PREVIEW_SCRIPT).write_text(PREVIEW_JS, encoding="utf-8")
        status = {"ok": not problems, "heading": HEADING, "hint": HINT, "problems": problems}
        (site_dir / urls.PREVIEW_STATUS).write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
        if problems and not (site_dir / "index.html").exists():      # nothing built yet: a page that says why
            items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
            page = (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{HEADING}</title></head>'
                    f"<body><h1>{HEADING}</h1><p>{HINT}</p><ul>{items}</ul></body></html>")
            for name in ("index.html", "404.html"):
                (site_dir / name).write_text(page, encoding="utf-8")
            self.written_dir = None          # those two are not the site: the next build writes everything

    def _show_edited_first(self, settings: Settings, theme: Theme, site_dir: Path,
                           shown: Optional[Callable[[], None]]) -> None:
        pages = edited(settings, self.last, self.memory)
        if not pages:
            return
        out = Output(self.last, theme, site_dir, self.mirror_dir)
        out.writer.write(pages, out.feeds, jobs=1)
        log.info("Bantin: %s", ", ".join("/" + page.url for page in pages))
        if shown is not None:
            shown()

    def _write(self, made: Made, out: Output) -> None:
        """Only what changed since the last build into the same folder; everything otherwise."""
        pages = made.pages
        keys = out.keys(pages)
        frame = out.frame_digest()
        written = {page.url: (digest(key, frame) if key else None) for page, key in zip(pages, keys)}
        files = out.files()
        out.check_paths(files)
        file_digests = {asset.path: file_digest(asset) for asset in files}
        if self.written_dir == out.site_dir:
            changed = [i for i, page in enumerate(pages)
                       if written[page.url] is None or self.written.get(page.url) != written[page.url]]
            for gone in set(self.written) - set(written):
                for root in filter(None, (out.site_dir, out.search_dir)):
                    remove(Path(root), urls.file_of(gone))
            for gone in set(self.files_written) - set(file_digests):
                remove(out.site_dir, gone)
            files = [a for a in files if self.files_written.get(a.path) != file_digests[a.path]]
            log.info("Bantin: ghi lại %d/%d trang và %d/%d tệp đã thay đổi", len(changed), len(pages),
                     len(files), len(file_digests))
            pages, keys = [pages[i] for i in changed], [keys[i] for i in changed]
        out.write_pages(pages, keys)
        out.write_files(files)
        self.written, self.files_written, self.written_dir = written, file_digests, out.site_dir

    def _index_later(self, site_dir: Path, binary: Path) -> None:
        """Index the preview in the background, then put the new index in place at once."""
        self._search_wanted += 1
        if self._search_thread and self._search_thread.is_alive():
            return          # the running thread sees the new request and indexes again

        def work():
            done = 0
            while done != self._search_wanted:
                done = self._search_wanted
                made = self.last
                tmp = Path(tempfile.mkdtemp(prefix="bantin-index-", dir=site_dir.parent))
                try:
                    search.prune_mirror(self.mirror_dir, made.bulletin_urls)
                    search.index_cached(tmp, binary, self.mirror_dir, made.store, True, made.bulletin_urls)
                    swap(tmp / search.BUNDLE_DIR, site_dir / search.BUNDLE_DIR)
                except (search.PagefindError, OSError) as exc:
                    log.error("Bantin: %s", exc)
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)

        self._search_thread = threading.Thread(target=work, name="bantin-search", daemon=True)
        self._search_thread.start()

    def close(self) -> None:
        """Releases the search folder: a temporary one goes, the cache's is left for the next build."""
        self._mirror_hold.close()
        self.mirror_dir = None
