"""A build, in order: read -> render -> photos -> collect -> views -> write -> index -> swap.

`make` runs the stages that decide what the site is (plain Python over typed models,
no theme needed); `Output` writes what they made into a folder (pages through the
theme, files, the search index); `build` does both into a fresh folder and swaps it in
for the old site only when everything succeeded.  Each stage is timed, so that the
benchmark can say where the time goes.  The preview (preview.py) runs the same stages.
"""
from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator, Optional, Sequence
from zoneinfo import ZoneInfo

from . import config, documents, federation, feeds, memory, parallel, people, pieces, search, sitefolder, static, urls
from .cache import Store, code_version, digest
from .config import Settings
from .content.markdown import Renderer, first_paragraph
from .content.errors import WARNING, ContentError, Problem, messages
from .content.models import Bulletin
from .content.reader import ContentSet, Reader
from .documents import linker as document_linker
from .features import FEATURES
from .federation import index as federation_index
from .images import Photos
from .linkcard import CardImage
from .keep import Kept
from .site import RELATED_KIND, Site
from .theme import SiteInfo, Theme
from .views.base import Asset, NavItem, Page
from .writer import Writer, write_files

log = logging.getLogger("bantin")

# Extra Markdown tree processors (factories taking the Markdown instance), e.g. document links.
BODY_PROCESSORS: list[Callable] = [document_linker]
# A build makes millions of small objects that live until it ends; at Python's usual rate the
# collector walks them all again and again (2 s of 30 at 10,000 bulletins).
GC_THRESHOLDS = (50_000, 20, 10)      # Python's are (700, 10, 10)
PARALLEL_FROM = parallel.MIN_ITEMS


class BuildError(RuntimeError):
    """The build cannot go on (the search indexer failed, a page would be lost): said in full, no traceback."""


# What stops a build with a message for the person who can fix it, never with a traceback.
STOPS = (ContentError, config.SettingsError, BuildError, sitefolder.FolderError)


@dataclass
class Memory:
    """What a long-running preview keeps between its builds, beside the store on disk."""

    read: dict = field(default_factory=dict)      # source path -> (key, read result, file signature, context)
    html: dict = field(default_factory=dict)      # body key -> (HTML, photos used)


@dataclass
class Made:
    """What the stages made: everything the site is, before anything is written."""

    settings: Settings
    content: ContentSet
    site: Site
    pages: list[Page]
    files: list[Asset]            # emptied once written (write_into)
    nav: list[NavItem]
    photos: Photos
    store: Store
    timings: dict[str, float] = field(default_factory=dict)
    members_index: Optional[federation_index.Indexing] = None     # begun once the site is known

    @property
    def bulletin_urls(self) -> set[str]:
        return {b.url for b in self.content.bulletins if not b.remote}     # members' have no page here


@contextmanager
def timed(timings: dict, stage: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


@contextmanager
def collector_tuned() -> Iterator[None]:
    """The collector's thresholds raised for the build, as they were after it."""
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


# ------------------------------------------------------------------ the stages

def read(settings: Settings, store: Optional[Store] = None, memory: Optional[Memory] = None) -> ContentSet:
    reader = Reader(settings.content_dir, timezone=settings.timezone, language=settings.language,
                    now=settings.now, drafts=settings.drafts, future=settings.future,
                    store=store, memo=memory.read if memory else None, jobs=settings.jobs)
    return reader.read_or_raise()


def render(settings: Settings, content: ContentSet, photos: Optional[Photos] = None, jobs: int = 0,
           store: Optional[Store] = None, memory: Optional[Memory] = None) -> None:
    """Markdown to HTML once per bulletin and page; every listing and feed reuses the result.

    A body rendered before (same text, same code, same photos) comes from memory or the
    store.  Large sites are rendered in forked processes, one per core; each returns its
    HTML and the photos it measured, which are merged here, so the result is the same as
    in one process.
    """
    store = store or Store(None)
    known = memory.html if memory is not None else {}
    context = digest(code_version(), settings.base_path)
    todo: list[tuple[object, str, tuple]] = []
    for item in [*content.bulletins, *content.pages]:
        chain = content.data.chain(getattr(item, "unit", None))
        key = digest(context, item.body, chain)
        hit = known.get(key) or _stored_html(store.get("html", key))
        if hit is not None and (photos is None or all(photos.signature(p) == sig for p, sig in hit[1])):
            item.body_html = hit[0]
            known[key] = hit
        else:
            todo.append((item, key, chain))
    renderer = Renderer(settings.base_path, BODY_PROCESSORS + ([photos.processor] if photos else []))
    results, measured = parallel.fork_map(lambda bodies: _render_bodies(renderer, bodies, photos),
                                          [(item.body, chain) for item, _, chain in todo], jobs, PARALLEL_FROM,
                                          state=(lambda: photos.photos) if photos is not None else None)
    for found in measured:
        photos.photos.update(found)
    with store.batch():
        for (item, key, _), result in zip(todo, results):
            item.body_html = result[0]
            known[key] = result
            store.put("html", key, json.dumps(result, ensure_ascii=False).encode("utf-8"))
    for b in content.bulletins:
        b.lead = b.meta.summary or first_paragraph(b.body_html)


def _stored_html(blob: Optional[bytes]) -> Optional[tuple]:
    """(HTML, ((photo, signature)...)) as the store keeps it, as JSON; None if it is not that."""
    if blob is None:
        return None
    def tuples(value):
        return tuple(tuples(v) for v in value) if isinstance(value, list) else value

    try:
        html, used = json.loads(blob)
        return str(html), tuples(used)
    except (ValueError, TypeError):
        return None


def _render_bodies(renderer: Renderer, bodies: list[tuple[str, tuple]], photos: Optional[Photos]) -> list[tuple]:
    """(HTML, [(photo, signature)...]) per (body, unit chain): a cached body is good while its photos are the same."""
    out = []
    for body, chain in bodies:
        if photos is None:
            out.append((renderer.html(body, chain), ()))
            continue
        photos.recording = []
        try:
            html = renderer.html(body, chain)
        finally:
            used, photos.recording = photos.recording, None
        out.append((html, tuple((p, photos.signature(p)) for p in dict.fromkeys(used))))
    return out


def unreadable_photos(items: Sequence, photos: Photos, language: str) -> list[Problem]:
    """Every photo the bulletins or pages show that is not a photo Pillow can read, at its line."""
    msg = messages(language)
    out = []
    for item in items:
        for ref in item.references:
            if ref.kind != "link" and ref.path and photos.at(ref.path) is None:
                out.append(Problem(item.source_path, ref.line, ref.field, msg("photo.unreadable", value=ref.path),
                                   msg.expected("photo.unreadable")))
    return out


def measure_covers(settings: Settings, content: ContentSet, photos: Photos) -> None:
    """Each cover photo measured and given its resized copies; the bulletin holds what its pages show.
    A photo that cannot be read stops the build, named with its bulletin and line."""
    problems = unreadable_photos([*content.bulletins, *content.pages], photos, settings.language)
    # Drafts and scheduled bulletins are checked too, with photos of their own: none is published.
    problems += unreadable_photos(content.held_back, Photos(settings.content_dir), settings.language)
    if problems:
        raise ContentError(problems, settings.language)
    for b in content.bulletins:           # link previews show covers cut to 1200×630 (linkcard.py)
        if b.meta.image:
            photos.want_card(b.references[0].path)
    if content.data.image:
        photos.want_card(content.data.image)
    photos.make()
    for b in content.bulletins:
        b.cover = photos.at(b.references[0].path) if b.meta.image else None


def share_image(settings: Settings, content: ContentSet, photos: Photos) -> Optional[CardImage]:
    """site.yml's image, cut for link previews: what a page without a photo of its own shows."""
    photo = photos.at(content.data.image) if content.data.image else None
    if photo is None or photo.card is None:
        return None
    return CardImage(photo.card.path, photo.card.width, photo.card.height, settings.site_name)


def validate(settings: Settings) -> ContentSet:
    """Everything a build would refuse, found without building (`bantin check`): the settings,
    every file (drafts and scheduled bulletins too), every photo they show."""
    config.check(settings)
    reader = Reader(settings.content_dir, timezone=settings.timezone, language=settings.language,
                    now=settings.now, drafts=settings.drafts, future=settings.future, history=False)
    content = reader.read()
    photos = Photos(settings.content_dir)
    everything = [*content.bulletins, *content.held_back]
    content.problems = sorted(content.problems + unreadable_photos([*everything, *content.pages], photos,
                                                                   settings.language)
                              + kept_apart(everything, content.data, settings.language))
    return content


def kept_apart(bulletins: Sequence[Bulletin], data, language: str) -> list[Problem]:
    """Warnings for people and documents of one name that the registers keep apart: worth a look."""
    msg = messages(language)
    out = []
    for first, other in people.alike(people.collect(bulletins, data)):
        b = other.appearances[-1].bulletin
        out.append(Problem(b.source_path, b.lines.get("meeting", 1), "meeting", msg(
            "warn.person_alike", name=other.name, unit=data.units[first.scope].name,
            other_unit=data.units[other.scope].name), msg.expected("warn.person_alike"), WARNING))
    seen: dict[str, documents.Document] = {}
    for doc in documents.collect(bulletins, data.chain):
        earlier = seen.setdefault(doc.number, doc)
        if earlier is not doc and doc.parsed is not None:
            b = doc.citations[-1].bulletin
            names = [data.units[d.scope].name if d.scope in data.units else "trung ương" for d in (earlier, doc)]
            out.append(Problem(b.source_path, b.lines.get("meeting", 1), "", msg(
                "warn.document_alike", number=doc.number, issuer=names[0], other_issuer=names[1]),
                msg.expected("warn.document_alike"), WARNING))
    return out


def stamp(bulletins: Sequence[Bulletin]) -> None:
    """The digests the page cache keys on (Bulletin.stamp)."""
    for b in bulletins:
        b.stamp()


def collect(settings: Settings, content: ContentSet, store: Optional[Store] = None) -> Site:
    site = Site.build(settings, content, store)
    site.nav = [item for feature in FEATURES for item in feature.nav(site)]
    stamp(site.bulletins)
    return site


def make(settings: Settings, memory: Optional[Memory] = None, binary: Optional[Path] = None) -> Made:
    """Every stage that decides what the site is, up to its pages and files (nothing written yet).
    With `binary`, a portal's index of its members is begun as soon as the site is known (it
    depends on nothing else) and runs while the rest is made and written."""
    timings: dict[str, float] = {}
    config.check(settings)
    if settings.now is None:            # the build's clock, for scheduled bulletins and the footer's year
        settings = replace(settings, now=datetime.now(ZoneInfo(settings.timezone)))
    store = Store(settings.cache_dir)
    with timed(timings, "read"):
        content = read(settings, store, memory)
    photos = Photos(settings.content_dir, settings.cache_dir.parent / "images" if settings.cache_dir else None,
                    base_path=settings.base_path)
    with timed(timings, "render"):
        render(settings, content, photos, jobs=settings.jobs, store=store, memory=memory)
    with timed(timings, "images"):
        measure_covers(settings, content, photos)
    if settings.members:                # a federation portal: its members' bulletins join its own
        with timed(timings, "members"):
            federation.join(content, federation.read(settings), settings.timezone)
    with timed(timings, "collect"):
        site = collect(settings, content, store)
        site.share_image = share_image(settings, content, photos)
        site.pieces = pieces.Pieces(store, settings)
    with timed(timings, "members-records"):
        members_index = federation_index.start(site, binary, store, settings.jobs)
    making: list[parallel.Pending] = []
    try:
        with timed(timings, "views"):
            # Files that need only the site are made in forked processes, one per core, each taking
            # every other feature (on two cores: the feeds in one, the JSON Feeds in the other),
            # while this one makes the pages.
            parts = parallel.jobs_for(len(site.bulletins), settings.jobs)
            making = [parallel.later(lambda k=k: site_files(site, store, k, parts), len(site.bulletins), settings.jobs)
                      for k in range(parts)]
            pages = [page for feature in FEATURES for page in feature.pages(site)]
        with timed(timings, "feeds"):       # what is left of them once the pages are made
            # Waited for before any page is written: beside the writing processes and Pagefind, their
            # memory would come on top of theirs.
            made = [pending() for pending in making]
            files = [f for _, group in sorted(item for part, _ in made for item in part) for f in group]
            for _, used in made:
                store.used.setdefault(pieces.KIND, set()).update(used)     # seen by those processes alone
            files += [f for feature in FEATURES for f in feature.index(site, pages)]
    except BaseException:
        for pending in making:
            pending.cancel()
        if members_index is not None:
            members_index.stop()
        raise
    return Made(settings, content, site, pages, files, site.nav, photos, store, timings, members_index)


def site_files(site: Site, store: Store, part: int = 0, parts: int = 1) -> tuple[list[tuple[int, list[Asset]]], set[str]]:
    """The files that need only the site, of every `parts`-th feature that makes any, from the
    `part`-th on, each with the feature's place; and the pieces of them the store gave or kept."""
    making = [(i, feature) for i, feature in enumerate(FEATURES) if feature.makes_files][part::parts]
    with store.batch():
        files = [(i, list(feature.files(site))) for i, feature in making]
    return files, set(store.used.get(pieces.KIND, ()))


# ------------------------------------------------------------------ writing

class Output:
    """Writes what the stages made into `site_dir` with `theme`: pages, files, the search index.

    `search_dir` is the folder of bare bulletin pages Pagefind reads (see writer.py);
    None when the site has no search.
    """

    def __init__(self, made: Made, theme: Theme, site_dir: Path, search_dir: Optional[Path] = None,
                 kept: Optional[Kept] = None):
        self.made, self.theme = made, theme
        self.site_dir = Path(site_dir)
        self.search_dir = search_dir
        settings = made.settings
        self.key_base = theme.key_base(settings, code_version())
        self.feeds = feeds.site_feeds(settings)
        self.frame = theme.frame(settings, made.nav, made.site.data.agency)
        self.writer = Writer(theme.env, self.frame, {"site": SiteInfo.of(settings)}, self.site_dir,
                             settings.absolute, settings.base_path, search_dir, made.store, kept,
                             share_image=made.site.share_image)
        self.written: dict[str, list] = {}      # what the next build needs to keep each page (keep.py)

    def keys(self, pages: Sequence[Page]) -> list[Optional[str]]:
        return [page.key(self.key_base) for page in pages]

    def frame_digest(self) -> str:
        """Names the frame: a preview writes a page again when its frame changed."""
        return self.writer.frame_id

    def write_pages(self, pages: Sequence[Page], keys: Optional[Sequence[Optional[str]]] = None,
                    indexing: Optional[search.Indexing] = None, release: bool = False) -> set[str]:
        """Bulletin pages first, a part of the search index at a time, each part given to
        `indexing` once its pages are written; the other pages are written while it runs.
        `release`: nothing will read these pages or bulletins again (a one-off build), so each
        bulletin's text, HTML and page go as soon as its page is written (see `let_go`).
        Returns the keys used."""
        keys = list(keys) if keys is not None else [None] * len(pages)
        bulletin_urls = self.made.bulletin_urls
        first = [i for i, page in enumerate(pages) if page.url in bulletin_urls]
        rest = [i for i, page in enumerate(pages) if page.url not in bulletin_urls]
        used: set[str] = set()

        def write(chosen: list[int], jobs: int = self.made.settings.jobs) -> list[bool]:
            done = self.writer.write([pages[i] for i in chosen], self.feeds, jobs=jobs,
                                     keys=[keys[i] for i in chosen], key_base=self.key_base)
            used.update(key for _, key, _ in done if key)
            self.written.update((pages[i].url, entry) for i, (_, _, entry) in zip(chosen, done) if entry)
            if release:
                let_go([pages[i] for i in chosen], self.made.content.bulletins)
            return [mirrored for mirrored, _, _ in done]

        if indexing is None:
            write(first)
        else:
            for part in indexing.parts:
                write([i for i in first if part.holds(pages[i].url)])
                indexing.ready(part)
            write([i for i in first if not any(part.holds(pages[i].url) for part in indexing.parts)])
        # While Pagefind indexes, the other pages are written here alone: Pagefind has the other core,
        # and a second writing process would copy most of this one's memory, as the listings show
        # every bulletin (600 MB more at 20,000 bulletins) for little time gained.
        stray = [pages[i].url for i, went in zip(rest, write(rest, 1 if indexing is not None else
                                                             self.made.settings.jobs)) if went]
        if stray and self.search_dir is not None:   # it would be missing from the index, started without it
            raise BuildError(f"Trang /{stray[0]} không phải bài tin nhưng được đánh dấu để tìm kiếm "
                             f"(data-pagefind-body): chỉ mẫu bantin/bulletin.html được có dấu này.")
        # Entries the writing processes used, which this one could not see: kept.
        self.made.store.used.setdefault("pages", set()).update(used)
        return used

    def files(self) -> list[Asset]:
        """Every file written as it is: the views' files, the theme's assets, the content's media, photo copies."""
        made = self.made
        items = [*made.content.bulletins, *made.content.pages]
        return static.files(made.settings, self.theme, items, made.photos) + made.files

    def write_files(self, files: Sequence[Asset]) -> None:
        write_files(self.site_dir, files)

    def check_paths(self, files: Sequence[Asset]) -> set[str]:
        """No two pages or files at one path: the second would silently replace the first.
        Returns the paths."""
        seen: dict[str, str] = {}
        for what, path in [*(("trang /" + p.url, urls.file_of(p.url)) for p in self.made.pages),
                           *(("tệp /" + f.path, f.path) for f in files)]:
            path = urls.normal(path)
            if path in seen:
                raise BuildError(f"Hai nội dung cùng ghi vào /{path}: {seen[path]} và {what}.")
            seen[path] = what
        return set(seen)

    def start_index(self, binary: Path, background: bool = False, staged: bool = False) -> search.Indexing:
        """`staged`: begun before the bulletin pages are written (see write_pages)."""
        search.prune_mirror(self.search_dir, self.made.bulletin_urls)
        try:
            return search.Indexing(self.site_dir, binary, self.search_dir, self.made.store, background,
                                  self.made.bulletin_urls, staged)
        except search.PagefindError as exc:
            raise BuildError(str(exc)) from None


def pagefind(settings: Settings) -> Optional[Path]:
    """The indexer this build uses, or None when the site has no search."""
    if not settings.search:
        return None
    try:
        return search.find_binary(settings.content_dir.resolve().parent)
    except search.PagefindError as exc:
        raise BuildError(str(exc)) from None


def build(settings: Settings, theme: Theme, site_dir: str | os.PathLike) -> Made:
    """The whole build: the stages, every page and file written into a fresh folder beside
    `site_dir`, the search index, then the swap.  Whatever fails, the old site stays as it was
    and the fresh folder is removed; entries of the cache no build uses any more are dropped."""
    final = Path(os.path.abspath(site_dir))
    with collector_tuned():
        binary = pagefind(settings)
        made = make(settings, binary=binary)
        try:
            spare = made.settings.cache_dir.parent / sitefolder.SPARE if made.store.root is not None else None
            with sitefolder.fresh(final, spare) as temp, contextlib.ExitStack() as stack:
                search_dir = stack.enter_context(search.mirror(made.store)) if binary else None
                # The last site's pages are kept only when their search copies are those of the cache.
                own_mirror = search_dir is None or (made.store.root is not None
                                                    and search_dir == made.store.root / search.MIRROR)
                kept = Kept(made.store, final, search_dir, usable=own_mirror)
                written = write_into(made, theme, temp, search_dir, binary, kept)
                sitefolder.swap(temp, final, spare)
                kept.save(written)
        except sitefolder.FolderError:
            raise
        except OSError as exc:
            raise sitefolder.plainly(exc, final) from None
        finally:
            made.photos.close()
            if made.members_index is not None:
                made.members_index.stop()
        forget_unused(made.store)
    return made


def write_into(made: Made, theme: Theme, folder: Path, search_dir: Optional[Path], binary: Optional[Path],
               kept: Optional[Kept] = None) -> dict[str, list]:
    """Pages and files into `folder`, and the search index, started as soon as the bulletins are written.
    Returns what the next build needs to keep the pages (keep.py)."""
    out = Output(made, theme, folder, search_dir, kept)
    files = out.files()
    paths = out.check_paths(files)
    indexing: list[search.Indexing] = []
    try:
        with timed(made.timings, "write"):
            # A spare folder (the site before last) holds only what this build puts there.
            sitefolder.sweep(folder, paths | {sitefolder.LOCK})
            if binary:
                indexing.append(out.start_index(binary, staged=True))
            # The files first, and then let go of: beside the writing processes and Pagefind their
            # bytes (every feed, calendar and the export: 86 MB at 10,000 bulletins) would add to the peak.
            out.write_files(files)
            files.clear()
            made.files.clear()
            memory.give_back()
            out.write_pages(made.pages, indexing=indexing[0] if indexing else None, release=True)
        if indexing:
            with timed(made.timings, "search"):
                try:
                    indexing[0].wait()
                except search.PagefindError as exc:
                    raise BuildError(str(exc)) from None
        if made.members_index is not None:
            with timed(made.timings, "members-search"):     # what is left of it once the pages are written
                try:
                    made.members_index.into(folder)
                except search.PagefindError as exc:
                    raise BuildError(str(exc)) from None
    finally:
        for running in indexing:
            running.stop()      # a build that failed while Pagefind ran
    return out.written


def let_go(written: Sequence[Page], bulletins: Sequence[Bulletin]) -> None:
    """The written bulletin pages' bulletins without their text and HTML, the pages without
    their context (the search record and schema.org data made for them), and that memory given
    back: at 20,000 bulletins they are a third of the build's, beside the writing processes and
    Pagefind.  Listings and registers read neither (the lead and digest are kept)."""
    done = {page.url for page in written}
    for b in bulletins:
        if b.url in done and not b.remote:
            b.body = b.body_html = ""
    for page in written:
        page.context = {}
    memory.give_back()


def forget_unused(store: Store) -> None:
    """Entries this build did not use are for content that no longer exists: the cache stays the site's size."""
    for kind in ("read", "html", "pages", "search", pieces.KIND, RELATED_KIND):
        store.keep_only(kind, store.used.get(kind, set()))
    store.close()
