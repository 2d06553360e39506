"""The build, stage by stage: read -> render -> collect -> views -> feeds.

Plain Python over typed models; MkDocs only sees the result (see plugin.py).
Each stage is timed, so that the benchmark can say where the time goes.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Optional

from . import cms, feeds, parallel
from .cache import Store, code_version, digest
from .config import Settings
from .content.markdown import Renderer, first_paragraph
from .content.models import Bulletin
from .content.reader import ContentSet, Reader
from .images import Photos
from .site import Site
from .views import bulletins, listings, sitemap
from .views import search as search_view
from .views import calendar as calendar_views, documents as document_views, people as people_views, tracker
from .documents import linker as document_linker
from .views.base import Asset, Page

# Every view that makes pages, and every producer of plain files (feeds, redirects...).
PAGE_VIEWS: list[Callable[[Site], list[Page]]] = [
    listings.all_pages,
    bulletins.bulletin_pages,
    search_view.search_page,
    document_views.document_pages,
    tracker.tracker_pages,
    calendar_views.calendar_pages,
    people_views.people_pages,
]
# Those that need only the site are made in a second process while this one makes the pages.
ASSET_VIEWS: list[Callable[[Site], list[Asset]]] = [
    bulletins.redirects,
    feeds.feed_assets,
    calendar_views.calendar_files,
    cms.admin_files,
]
PAGE_ASSET_VIEWS: list[Callable[[Site, list[Page]], list[Asset]]] = [sitemap.sitemap]
# Main navigation: each entry is (title, site path); the categories become the header's tabs.
NAV_ITEMS: list[Callable[[Site], list[tuple[str, str]]]] = [
    listings.nav_items,
    document_views.nav_items,
    tracker.nav_items,
    calendar_views.nav_items,
    people_views.nav_items,
]
# Extra Markdown tree processors (factories taking the Markdown instance), e.g. document links.
BODY_PROCESSORS: list[Callable] = [document_linker]


@dataclass
class Build:
    settings: Settings
    content: ContentSet
    site: Site
    pages: list[Page]
    assets: list[Asset]
    nav: list[tuple[str, str]]
    timings: dict[str, float] = field(default_factory=dict)
    photos: Optional[Photos] = None      # resized copies of the photos, to publish
    store: Store = field(default_factory=lambda: Store(None))
    site_digest: str = ""                # what every page depends on: code, theme, settings, site data


@dataclass
class Memory:
    """What a long-running preview keeps between its builds, beside the store on disk."""

    read: dict = field(default_factory=dict)      # source path -> (key, read result, file signature, context)
    html: dict = field(default_factory=dict)      # body key -> (HTML, photos used)


@contextmanager
def timed(timings: dict, stage: str):
    start = time.perf_counter()
    yield
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


def read(settings: Settings, store: Optional[Store] = None, memory: Optional[Memory] = None) -> ContentSet:
    reader = Reader(settings.content_dir, timezone=settings.timezone, language=settings.language,
                    now=settings.now, drafts=settings.drafts, future=settings.future,
                    store=store, memo=memory.read if memory else None, jobs=settings.jobs)
    return reader.read_or_raise()


def render(settings: Settings, content: ContentSet, photos: Optional[Photos] = None, jobs: int = 0,
           store: Optional[Store] = None, memory: Optional[Memory] = None) -> None:
    """Markdown to HTML once per bulletin; every listing and feed reuses the result.

    A body rendered before (same text, same code, same photos) comes from memory or the
    store.  Large sites are rendered in forked processes, one per core; each returns its
    HTML and the photos it measured, which are merged here, so the result is the same as
    in one process.
    """
    store = store or Store(None)
    known = memory.html if memory is not None else {}
    context = digest(code_version(), settings.base_path)
    todo: list[tuple[Bulletin, str]] = []
    for b in content.bulletins:
        key = digest(context, b.body)
        hit = known.get(key) or store.get_object("html", key)
        if hit is not None and (photos is None or all(photos.signature(p) == sig for p, sig in hit[1])):
            b.body_html = hit[0]
            known[key] = hit
        else:
            todo.append((b, key))
    renderer = _renderer(settings, photos)
    results, measured = parallel.fork_map(lambda bodies: _render_bodies(renderer, bodies, photos),
                                          [b.body for b, _ in todo], jobs, PARALLEL_FROM,
                                          state=(lambda: photos.photos) if photos is not None else None)
    for found in measured:
        photos.photos.update(found)
    with store.batch():
        for (b, key), result in zip(todo, results):
            b.body_html = result[0]
            known[key] = result
            store.put_object("html", key, result)
    for b in content.bulletins:
        b.lead = b.meta.summary or first_paragraph(b.body_html)


PARALLEL_FROM = parallel.MIN_ITEMS


def _renderer(settings: Settings, photos: Optional[Photos]) -> Renderer:
    return Renderer(settings.base_path, BODY_PROCESSORS + ([photos.processor] if photos else []))


def _render_bodies(renderer: Renderer, bodies: list[str], photos: Optional[Photos]) -> list[tuple]:
    """(HTML, [(photo, signature)...]) per body: a cached body is good while its photos are the same."""
    out = []
    for body in bodies:
        if photos is None:
            out.append((renderer.html(body), ()))
            continue
        photos.recording = []
        try:
            html = renderer.html(body)
        finally:
            used, photos.recording = photos.recording, None
        out.append((html, tuple((p, photos.signature(p)) for p in dict.fromkeys(used))))
    return out


def stamp(content: ContentSet) -> None:
    """The digests the page cache keys on (see Bulletin.card_digest)."""
    for b in content.bulletins:
        b.card_digest = digest(b.meta.model_dump_json(), b.source_path, b.url, b.lead, b.updated,
                               b.scheduled, b.category.key, b.unit.key, *(t.key for t in b.topics))
        b.full_digest = digest(b.card_digest, b.body_html)


def site_digest(settings: Settings, content: ContentSet, photos: Optional[Photos], nav: list) -> str:
    """What every page may show besides its own view: settings (not the clock), site data, photos, theme."""
    fixed = {k: v for k, v in vars(settings).items() if k not in ("now", "cache_dir", "jobs")}
    shown = sorted((p, photos.signature(p)) for p in photos.photos) if photos else []
    return digest(code_version(), settings.theme_digest, sorted(fixed.items(), key=lambda kv: kv[0]),
                  content.data.digest, shown, nav)


def edited(settings: Settings, last: Build, memory: Memory) -> list[Page]:
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
    stamp(fresh)
    for b, old in changed:
        b.prev, b.next, b.related = old.prev, old.next, old.related
    return [bulletins.bulletin_page(last.site, b) for b, _ in changed]


def build(settings: Settings, memory: Optional[Memory] = None) -> Build:
    timings: dict[str, float] = {}
    store = Store(settings.cache_dir)
    with timed(timings, "read"):
        content = read(settings, store, memory)
    photos = Photos(settings.content_dir, base_path=settings.base_path)
    with timed(timings, "render"):
        render(settings, content, photos, jobs=settings.jobs, store=store, memory=memory)
        stamp(content)
    with timed(timings, "images"):
        for b in content.bulletins:
            if b.meta.image:
                photos.get(b.meta.image)
        photos.make()
    with timed(timings, "collect"):
        site = Site.build(settings, content)
    with timed(timings, "views"):
        # A preview keeps the calendars' events for its next build, from whichever process made them.
        made_assets = parallel.later(lambda: ([asset for view in ASSET_VIEWS for asset in view(site)],
                                              calendar_views.made_events() if memory is not None else None),
                                     len(site.bulletins), settings.jobs)
        pages = [page for view in PAGE_VIEWS for page in view(site)]
    with timed(timings, "feeds"):       # what is left of them once the pages are made
        assets, events = made_assets()
        if events is not None:
            calendar_views.keep_events(events)
        assets += [asset for view in PAGE_ASSET_VIEWS for asset in view(site, pages)]
    nav = [item for items in NAV_ITEMS for item in items(site)]
    return Build(settings, content, site, pages, assets, nav, timings, photos, store,
                 site_digest(settings, content, photos, nav))
