"""Site search: what each bulletin tells Pagefind, and running Pagefind over the finished site.

Pagefind (npm `pagefind`, pinned in package.json) indexes the built pages into a
chunked index of which a browser downloads only the pieces a query needs, so the
portal can grow without its search growing with it. Pagefind folds tone and vowel
marks ("du luan" finds "dư luận") but not "đ", a letter of its own; so each bulletin
also carries its title and its words with "đ", folded, as searchable metadata, which
Pagefind matches but never shows in an excerpt.
"""
from __future__ import annotations

import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional

try:
    import fcntl
except ImportError:      # Windows: every build gets a temporary search folder (see `mirror`)
    fcntl = None

from .cache import TREE_CHECK, Store, digest, tree_digest
from .content.markdown import plain_text as html_text
from .content.models import KIND_LABELS, Bulletin
from .site import Site
from .vietnamese import day, fold

PAGEFIND_VERSION = "1.6.0"
BINARY_ENV = "BANTIN_PAGEFIND"
BANTIN_HOME = Path(__file__).resolve().parent.parent   # a checkout's own node_modules serves its projects too
BUNDLE_DIR = "pagefind"
LANGUAGE = "vi"
# Filter names as the index stores them; the search page maps them to its query parameters.
FILTERS = ("category", "unit", "topic", "year", "kind")
# Metadata holding the folded copy: the title's words count as much as the title itself.
FOLDED_TITLE, FOLDED_TEXT = "fold_title", "fold_text"
META_WEIGHTS = {"title": 5.0, FOLDED_TITLE: 5.0, FOLDED_TEXT: 1.0}
# Pagefind's ready-made interfaces: the search page uses the bare API (pagefind.js) only.
UNUSED_BUNDLE_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                       "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")

log = logging.getLogger(__name__)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_INDEXED = re.compile(r"Indexed (\d+) pages?")


class PagefindError(RuntimeError):
    """Pagefind is missing or failed: the build stops and says what to do."""


# --------------------------------------------------------------- records

@dataclass(frozen=True)
class Record:
    """What one bulletin page tells the index, rendered as data-pagefind-* attributes."""

    meta: dict[str, str]
    filters: list[tuple[str, str]]
    sort: dict[str, str] = field(default_factory=dict)

    def attributes(self) -> Iterable[tuple[str, str]]:
        """(attribute, value) pairs, one element each: Pagefind reads one inline value per attribute."""
        for key, value in self.meta.items():
            yield "data-pagefind-meta", f"{key}:{value}"
        for key, value in self.filters:
            yield "data-pagefind-filter", f"{key}:{value}"
        for key, value in self.sort.items():
            yield "data-pagefind-sort", f"{key}:{value}"


def plain_text(b: Bulletin) -> str:
    """Every word a reader sees in the bulletin, as one line of text."""
    parts: list[Optional[str]] = [b.lead, html_text(b.body_html)]
    mt = b.meta.meeting
    if mt:
        parts += [mt.format, mt.location, mt.participants]
        parts += [f"{p.name} {p.role or ''}" for p in (*mt.chairs, *mt.guests)]
        parts += [f"{d.number} {d.title or ''}" for d in mt.documents]
        parts += list(mt.conclusions)
    op = b.meta.opinion
    if op:
        for c in op.concerns:
            parts += [c.title, c.summary, c.response.agency, c.response.answer]
        parts += list(op.recommendations)
    parts += [b.meta.author, b.meta.source, b.category.name, b.unit.name, *(t.name for t in b.topics)]
    return " ".join(" ".join(p for p in parts if p).split())


def folded_words(text: str) -> str:
    """The words of `text` that Pagefind cannot fold by itself (those with 'đ'), folded, once each.

    Pagefind already matches "du luan" to "dư luận"; only "đ" needs help, so only the
    words holding it are copied, which keeps pages and index small.
    """
    tokens = dict.fromkeys(t for t in text.split() if "đ" in t or "Đ" in t)   # split first: far faster than \w+
    words = dict.fromkeys(w for t in tokens for w in _WORD.findall(t) if "đ" in w or "Đ" in w)
    return " ".join(dict.fromkeys(fold(w) for w in words))


def record(site: Site, b: Bulletin) -> Record:
    """Metadata shown with a result, filters for the search page, and the date to sort by."""
    meta = {"title": b.title, "date": day(b.date), "category": b.category.name, "unit": b.unit.name}
    if "đ" in b.title.lower():
        meta[FOLDED_TITLE] = _SPACE.sub(" ", fold(b.title))
    folded_text = folded_words(plain_text(b))
    if folded_text:
        meta[FOLDED_TEXT] = folded_text
    filters = [("category", b.category.key)]
    filters += [("unit", u.key) for u in site.ancestors(b.unit, include_self=True)]
    filters += [("topic", t.key) for t in b.topics]
    filters += [("year", str(b.date.year))]
    filters += [("kind", k) for k in b.kinds]
    return Record(meta, filters, {"date": b.date.strftime("%Y-%m-%dT%H:%M")})


# --------------------------------------------------------------- the search page's choices

@dataclass(frozen=True)
class Option:
    value: str
    label: str
    depth: int = 0          # units: how far below a top-level unit


def filter_options(site: Site) -> dict[str, list[Option]]:
    """Every value a filter can take, for the search page to offer without waiting for the index."""
    units = []

    def walk(key: str, depth: int) -> None:
        units.append(Option(key, site.unit(key).name, depth))
        for child in site.children(site.unit(key)):
            if child.key in site.by_unit_tree:
                walk(child.key, depth + 1)

    for key in site.by_unit_tree:
        unit = site.unit(key)
        if not unit.parent or unit.parent not in site.by_unit_tree:
            walk(key, 0)
    return {
        "category": [Option(k, site.category(k).name) for k in site.by_category],
        "unit": units,
        "topic": sorted((Option(k, site.topic(k).name) for k in site.by_topic), key=lambda o: fold(o.label)),
        "year": [Option(str(y), str(y)) for y in site.by_year],
        "kind": [Option(k, label) for k, label in KIND_LABELS.items() if any(k in b.kinds for b in site.bulletins)],
    }


# --------------------------------------------------------------- running Pagefind

def find_binary(project_dir: Optional[Path] = None) -> Path:
    """$BANTIN_PAGEFIND, then node_modules of the project or of Bantin itself, then PATH."""
    configured = os.environ.get(BINARY_ENV)
    if configured:
        path = Path(configured)
        if path.is_file() and os.access(path, os.X_OK):
            return path
        raise PagefindError(f"{BINARY_ENV}={configured}: không có tệp chạy được ở đó (is not an executable file).")
    for base in dict.fromkeys(p for p in (project_dir, Path.cwd(), BANTIN_HOME) if p):
        for rel in _npm_paths():
            candidate = Path(base) / rel
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return candidate.absolute()
    found = shutil.which("pagefind")
    if found:
        return Path(found)
    raise PagefindError(
        "Không tìm thấy Pagefind, công cụ tạo chỉ mục tìm kiếm (Pagefind, the search indexer, is missing).\n"
        "Cài bằng lệnh `npm install --omit=dev` trong thư mục dự án (cần Node.js và npm), "
        f"hoặc đặt biến môi trường {BINARY_ENV} là đường dẫn đến tệp pagefind.\n"
        "Muốn dựng trang không có tìm kiếm: đặt `search: false` cho plugin bantin trong mkdocs.yml."
    )


def _npm_paths() -> list[str]:
    """Where `npm install` puts Pagefind: the native binary of this platform, then npm's Node wrapper."""
    system = {"win32": "windows"}.get(sys.platform, sys.platform)
    arch = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64"}.get(platform.machine().lower(), platform.machine())
    exe = ".exe" if system == "windows" else ""
    native = f"node_modules/@pagefind/{system}-{arch}/bin/"
    return [native + "pagefind_extended" + exe, native + "pagefind" + exe, "node_modules/.bin/pagefind"]


def version(binary: Path) -> str:
    out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=60)
    return out.stdout.strip().split()[-1] if out.returncode == 0 and out.stdout.strip() else ""


@dataclass
class IndexReport:
    binary: Path
    version: str
    pages: int
    bundle: Path
    log: str


class Indexing:
    """Pagefind indexing the pages of `source_dir` into <site>/pagefind/, started now and
    finished by `wait()`, so that the build can write the rest of the site meanwhile.

    `source_dir` holds the bulletin pages at their paths without the site's frame (see
    writer.py): indexing it gives the same index for much less time and memory.  When the
    same pages were indexed by the same Pagefind before, the index kept in `store` is used.
    `background`: at low priority, so that a preview's next edit is not kept waiting.
    """

    def __init__(self, site_dir: Path, binary: Path, source_dir: Path, store: Optional[Store] = None,
                 background: bool = False):
        self.binary, self.store = binary, store or Store(None)
        self.source_dir = Path(source_dir)
        self.bundle = Path(site_dir) / BUNDLE_DIR
        self.found = version(binary)
        self.key = digest(str(binary), self.found, tree_digest([self.source_dir]))
        self.kept = self.store.tree("search", self.key)
        self.proc: Optional[subprocess.Popen] = None
        if self.bundle.exists():
            shutil.rmtree(self.bundle)
        if self.kept is not None and (self.kept / "pagefind.js").is_file():
            return
        self.command = [str(binary), "--site", str(self.source_dir), "--output-path", str(self.bundle),
                        "--force-language", LANGUAGE]
        if background and shutil.which("nice"):
            self.command = ["nice", "-n", "10", *self.command]
        self.output = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
        try:
            self.proc = subprocess.Popen(self.command, stdout=self.output, stderr=subprocess.STDOUT)
        except OSError as exc:
            self.output.close()
            raise PagefindError(f"Không chạy được Pagefind ({binary}): {exc}") from None

    def stop(self) -> None:
        """Ends a run that is no longer wanted (the build failed meanwhile)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def wait(self) -> IndexReport:
        self.store.used.setdefault("search", set()).add(self.key)
        if self.proc is None:
            shutil.copytree(self.kept, self.bundle, ignore=shutil.ignore_patterns(TREE_CHECK))
            pages = sum(1 for _ in self.source_dir.rglob("index.html"))
            return IndexReport(self.binary, self.found, pages, self.bundle, "index unchanged: taken from the cache")
        try:
            code = self.proc.wait(timeout=3600)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.output.seek(0)
        text = self.output.read()
        self.output.close()
        if code != 0 or not (self.bundle / "pagefind.js").is_file():
            raise PagefindError(f"Pagefind lỗi khi tạo chỉ mục tìm kiếm ({' '.join(self.command)}):\n"
                                f"{text}".rstrip())
        for name in UNUSED_BUNDLE_FILES:
            (self.bundle / name).unlink(missing_ok=True)
        if self.found.split(".")[:2] != PAGEFIND_VERSION.split(".")[:2]:
            log.warning("Pagefind %s (%s) is not the version Bantin is made for (%s, package.json): "
                        "search may download more per query.", self.found or "?", self.binary, PAGEFIND_VERSION)
        self.store.put_tree("search", self.key, self.bundle)
        pages = _INDEXED.search(text)
        return IndexReport(self.binary, self.found, int(pages.group(1)) if pages else 0, self.bundle, text)


MIRROR = "mirror"


@contextmanager
def mirror(store: Store) -> Iterator[Path]:
    """The folder of bare bulletin pages that Pagefind reads (see writer.py).

    Kept in the cache between builds: a build then writes into folders that exist instead
    of making ten thousand and deleting them at its end, which on some disks costs
    seconds.  A project without a cache, or a second build of it running at the same
    time, gets a temporary folder.
    """
    handle = None
    if store.root is not None and fcntl is not None:
        try:
            store.root.mkdir(parents=True, exist_ok=True)
            handle = open(store.root / (MIRROR + ".lock"), "w")
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            if handle is not None:
                handle.close()
            handle = None
    if handle is not None:
        try:
            yield store.root / MIRROR
        finally:
            handle.close()
        return
    folder = Path(tempfile.mkdtemp(prefix="bantin-search-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def prune_mirror(folder: Path, urls: set[str]) -> None:
    """Removes from the mirror the pages of bulletins no longer published, before indexing."""
    for dirpath, dirnames, filenames in os.walk(folder, topdown=False):
        rel = os.path.relpath(dirpath, folder).replace(os.sep, "/")
        if "index.html" in filenames and ("" if rel == "." else rel + "/") not in urls:
            os.unlink(os.path.join(dirpath, "index.html"))
            filenames = [f for f in filenames if f != "index.html"]
        if rel != "." and not filenames:
            try:
                os.rmdir(dirpath)       # only when empty: folders of bulletins that remain stay
            except OSError:
                pass


def index_cached(site_dir: Path, binary: Path, source_dir: Path, store: Store,
                 background: bool = False) -> IndexReport:
    """The index of the pages in `source_dir`, made now (see `Indexing`)."""
    return Indexing(site_dir, binary, source_dir, store, background).wait()


def bundle_size(bundle: Path) -> int:
    return sum(p.stat().st_size for p in Path(bundle).rglob("*") if p.is_file())

