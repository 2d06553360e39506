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
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional

try:
    import fcntl
except ImportError:      # Windows: every build gets a temporary search folder (see `mirror`)
    fcntl = None

from . import urls
from .cache import TREE_CHECK, Store, digest, tree_digest
from .content.markdown import plain_text as html_text
from .content.models import KIND_LABELS, Bulletin
from .site import Site
from .sitefolder import link_or_copy
from .vietnamese import day, fold

PAGEFIND_VERSION = "1.6.0"
BINARY_ENV = "BANTIN_PAGEFIND"
BANTIN_HOME = Path(__file__).resolve().parent.parent   # a checkout's own node_modules serves its projects too
BUNDLE_DIR = "pagefind"
# Pages one Pagefind run indexes at most (its memory grows by some 300 KB a page): consecutive years
# are gathered into parts of at most this many (see `parts`).  $BANTIN_SEARCH_PART_PAGES sets it, 0 is one index.
PART_PAGES = 2000
PART_PAGES_ENV = "BANTIN_SEARCH_PART_PAGES"
LANGUAGE = "vi"
# Filter names as the index stores them; the search page maps them to its query parameters.
FILTERS = ("category", "unit", "topic", "year", "kind")
# Metadata holding the folded copy: the title's words count as much as the title itself.
FOLDED_TITLE, FOLDED_TEXT = "fold_title", "fold_text"
# Metadata the search page sorts merged parts by: the index's own date sort holds within one part only.
WHEN = "when"
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
    when = b.date.strftime("%Y-%m-%dT%H:%M")
    meta = {"title": b.title, "date": day(b.date), WHEN: when, "category": b.category.name, "unit": b.unit.name}
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
    return Record(meta, filters, {"date": when})


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
    made: list[str] = field(default_factory=list)       # parts indexed by this build; the others came from the cache


# --------------------------------------------------------------- parts of the index

@dataclass(frozen=True)
class Part:
    """One part of the index: the bulletins of consecutive years (of consecutive months, for a
    year larger than a part), indexed by a Pagefind run of its own into pagefind/<name>/ and
    merged in the browser."""

    name: str                      # '2024', '2015_2019', '2024-01_2024-06'; '' for one index
    prefixes: tuple[str, ...]      # site paths its pages are under: '2024/', or '2024/05/'...
    pages: int = 0

    @property
    def path(self) -> str:
        return f"{urls.SEARCH_BUNDLE}{self.name}/" if self.name else urls.SEARCH_BUNDLE

    def holds(self, url: str) -> bool:
        return url.startswith(self.prefixes)

    @property
    def span(self) -> tuple[str, str]:
        """The first and last month it covers, 'YYYY-MM'."""
        first, last = self.prefixes[0].strip("/").split("/"), self.prefixes[-1].strip("/").split("/")
        return (f"{first[0]}-{first[1] if len(first) > 1 else '01'}", f"{last[0]}-{last[1] if len(last) > 1 else '12'}")

    def bundle(self, path: str) -> dict:
        """This part as the search page lists it (see `bundles`)."""
        oldest, newest = self.span if self.name else ("", "")
        return {"path": path, "options": {}, "records": self.pages, "oldest": oldest, "newest": newest}

    @property
    def glob(self) -> str:
        globs = [f"{p}**/*.html" for p in self.prefixes]
        return globs[0] if len(globs) == 1 else "{" + ",".join(globs) + "}"


def configured(name: str, default: int) -> int:
    """A count the operator may set in the environment (`name`), else `default`."""
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() else default


def part_pages() -> int:
    """Most pages one Pagefind run indexes (its memory grows with them); 0: one index for all."""
    return configured(PART_PAGES_ENV, PART_PAGES)


def trim(bundle: Path) -> None:
    """A fresh bundle without Pagefind's ready-made interfaces, which the search page does not load."""
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)


def place(bundle: Path, dest: Path) -> None:
    """A made or kept bundle put into the site, linked where the disk allows, without the cache's check."""
    shutil.copytree(bundle, dest, ignore=shutil.ignore_patterns(TREE_CHECK), copy_function=link_or_copy,
                    dirs_exist_ok=True)


def parts(urls: Iterable[str], limit: Optional[int] = None) -> list[Part]:
    """The index's parts for these bulletin addresses ('2024/05/slug/'), newest first.

    Whole years (the months of a year of more than `limit` pages) are gathered, oldest first,
    into parts of at most `limit` pages: a small site is one part, as one index, and a large one
    has as few parts as its size needs, each bounded.  Gathered from the oldest, a bulletin added
    to the newest year changes the newest part alone, and an edit changes its own part alone.
    """
    urls = sorted(urls)
    limit = part_pages() if limit is None else limit
    if limit <= 0 or not urls:
        return [Part("", ("",), len(urls))]
    units: list[tuple[str, int]] = []
    for year, inside in _group(urls, 1).items():
        if len(inside) <= limit:
            units.append((year, len(inside)))
        else:
            units += [(month, len(pages)) for month, pages in _group(inside, 2).items()]
    groups: list[tuple[list[str], int]] = []
    for unit, count in units:
        if groups and groups[-1][1] + count <= limit:
            groups[-1] = (groups[-1][0] + [unit], groups[-1][1] + count)
        else:
            groups.append(([unit], count))
    out = []
    for units_of, count in groups:
        names = [u.replace("/", "-") for u in units_of]
        name = names[0] if len(names) == 1 else f"{names[0]}_{names[-1]}"
        out.append(Part(name, tuple(u + "/" for u in units_of), count))
    return out[::-1]


def _group(urls: list[str], depth: int) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for url in urls:
        groups.setdefault("/".join(url.split("/")[:depth]), []).append(url)
    return groups


def bundles(site: Site) -> list[dict]:
    """What the search page loads of the site's own index: one Pagefind bundle per part, merged by
    the browser (`mergeIndex` options per bundle).  Other indexes' bundles are added to this list
    (a federation portal's index of its members, federation/index.py), then `schedule` orders them."""
    return [p.bundle(p.path) for p in parts(b.url for b in site.bulletins if not b.remote)]


# Records the search page searches at first: a province's hundred thousand would cost a reader
# megabytes a query (every part's page list and filters), so the newest parts holding this many are
# loaded, and the older ones when the reader asks for the archive, an older year or the oldest first.
# $BANTIN_SEARCH_FIRST_RECORDS sets it; 0 loads every part at first.
FIRST_RECORDS = 12000
FIRST_RECORDS_ENV = "BANTIN_SEARCH_FIRST_RECORDS"


def schedule(listed: list[dict], first: Optional[int] = None) -> list[dict]:
    """The bundles newest first, each marked `later` once those before it hold `first` records."""
    if first is None:
        first = configured(FIRST_RECORDS_ENV, FIRST_RECORDS)
    first = first or sum(b["records"] for b in listed) + 1
    # A bundle of no part (one index for all its years) holds the newest too: it comes first.
    ordered = sorted(listed, key=lambda b: b["newest"] or "9999", reverse=True)
    held = 0
    for b in ordered:
        b["later"] = held >= first
        held += b["records"]
    return ordered


class Indexing:
    """Pagefind indexing the pages of `source_dir` into <site>/pagefind/, one part at a time,
    started now and finished by `wait()`, so that the build can write the rest of the site meanwhile.

    `source_dir` holds the bulletin pages at their paths without the site's frame (see
    writer.py): indexing it gives the same index for much less time and memory.  Each part
    is keyed on its pages (and so on the records they carry): a part whose pages are as
    when the same Pagefind indexed them before is taken from `store`, and only the others
    are indexed, one run after the other, so that memory is bounded by the largest part.
    `background`: at low priority, so that a preview's next edit is not kept waiting.
    `staged`: the pages are still being written; each part is indexed once `ready(part)` says
    its pages are all there, so that Pagefind begins with the first part written instead of
    after the last (it is most of a cold build's time).
    """

    def __init__(self, site_dir: Path, binary: Path, source_dir: Path, store: Optional[Store] = None,
                 background: bool = False, urls: Optional[Iterable[str]] = None, staged: bool = False):
        self.binary, self.store = binary, store or Store(None)
        self.source_dir = Path(source_dir)
        self.bundle = Path(site_dir) / BUNDLE_DIR
        self.found = version(binary)
        if self.bundle.exists():
            shutil.rmtree(self.bundle)
        if urls is None:
            urls = [os.path.relpath(p.parent, self.source_dir).replace(os.sep, "/") + "/"
                    for p in self.source_dir.rglob("index.html")]
        self.parts = parts(urls)
        self._ready = {p.name: threading.Event() for p in self.parts}
        self.keys: dict[str, str] = {}
        self._checked: dict[str, Optional[Path]] = {}
        self.todo: list[Part] = []      # the parts not found in the store, known once each is ready
        if not staged:
            for part in self.parts:
                self.ready(part)
        self.nice = ["nice", "-n", "10"] if background and shutil.which("nice") else []
        self.proc: Optional[subprocess.Popen] = None
        self.logs: list[str] = []
        self.error: Optional[PagefindError] = None
        self.stopped = False
        self.thread = threading.Thread(target=self._run_all, name="bantin-pagefind", daemon=True)
        self.thread.start()

    def _key(self, part: Part) -> str:
        folders = [self.source_dir / prefix for prefix in part.prefixes]
        return digest(str(self.binary), self.found, part.name, tree_digest([f for f in folders if f.is_dir()]))

    def _kept(self, part: Part) -> Optional[Path]:
        """The part's index as the store holds it, checked once (reading every file of it)."""
        if part.name not in self._checked:
            kept = self.store.tree("search", self.keys[part.name])
            self._checked[part.name] = kept if kept is not None and (kept / "pagefind.js").is_file() else None
        return self._checked[part.name]

    def command(self, part: Part, output: Path) -> list[str]:
        return [*self.nice, str(self.binary), "--site", str(self.source_dir), "--glob", part.glob,
                "--output-path", str(output), "--force-language", LANGUAGE]

    def ready(self, part: Part) -> None:
        """The pages of `part` are all written: it may be indexed."""
        self._ready[part.name].set()

    def _run_all(self) -> None:
        for part in self.parts:
            self._ready[part.name].wait()
            if self.stopped:
                return
            self.keys[part.name] = self._key(part)
            if self._kept(part) is not None:
                continue
            self.todo.append(part)
            try:
                self._run(part)
            except PagefindError as exc:
                self.error = exc
                return

    def _run(self, part: Part) -> None:
        output = self.bundle / part.name if part.name else self.bundle
        command = self.command(part, output)
        with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as out:
            try:
                self.proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
            except OSError as exc:
                raise PagefindError(f"Không chạy được Pagefind ({self.binary}): {exc}") from None
            try:
                code = self.proc.wait(timeout=3600)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                code = self.proc.wait()
            out.seek(0)
            text = out.read()
        if self.stopped:
            return
        if code != 0 or not (output / "pagefind.js").is_file():
            raise PagefindError(f"Pagefind lỗi khi tạo chỉ mục tìm kiếm ({' '.join(command)}):\n{text}".rstrip())
        trim(output)
        self.store.put_tree("search", self.keys[part.name], output)
        self.logs.append(text)

    def stop(self) -> None:
        """Ends a run that is no longer wanted (the build failed meanwhile)."""
        self.stopped = True
        for event in self._ready.values():
            event.set()
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        self.thread.join()

    def wait(self) -> IndexReport:
        self.thread.join()
        if self.error is not None:
            raise self.error
        used = self.store.used.setdefault("search", set())
        for part in self.parts:
            used.add(self.keys[part.name])
            if part not in self.todo:
                output = self.bundle / part.name if part.name else self.bundle
                place(self._kept(part), output)
        if self.todo and self.found.split(".")[:2] != PAGEFIND_VERSION.split(".")[:2]:
            log.warning("Pagefind %s (%s) is not the version Bantin is made for (%s, package.json): "
                        "search may download more per query.", self.found or "?", self.binary, PAGEFIND_VERSION)
        text = "\n".join(self.logs) or "index unchanged: taken from the cache"
        return IndexReport(self.binary, self.found, sum(p.pages for p in self.parts), self.bundle, text,
                           [p.name for p in self.todo])


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
                 background: bool = False, urls: Optional[Iterable[str]] = None) -> IndexReport:
    """The index of the pages in `source_dir`, made now (see `Indexing`)."""
    return Indexing(site_dir, binary, source_dir, store, background, urls).wait()


def bundle_size(bundle: Path) -> int:
    return sum(p.stat().st_size for p in Path(bundle).rglob("*") if p.is_file())

