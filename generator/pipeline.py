"""The build, stage by stage: read -> render -> collect -> views -> feeds.

Plain Python over typed models; MkDocs only sees the result (see plugin.py).
Each stage is timed, so that the benchmark can say where the time goes.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Optional

from . import feeds
from .config import Settings
from .content.markdown import Renderer, first_paragraph
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
ASSET_VIEWS: list[Callable[[Site, list[Page]], list[Asset]]] = [
    lambda site, pages: bulletins.redirects(site),
    feeds.feed_assets,
    sitemap.sitemap,
    calendar_views.calendar_files,
]
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


@contextmanager
def timed(timings: dict, stage: str):
    start = time.perf_counter()
    yield
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


def read(settings: Settings) -> ContentSet:
    reader = Reader(settings.content_dir, timezone=settings.timezone, language=settings.language,
                    now=settings.now, drafts=settings.drafts, future=settings.future)
    return reader.read_or_raise()


def render(settings: Settings, content: ContentSet, photos: Optional[Photos] = None, jobs: int = 0) -> None:
    """Markdown to HTML once per bulletin; every listing and feed reuses the result.

    Large sites are rendered in forked processes, one per core; each returns its HTML and the
    photos it measured, which are merged here, so the result is the same as in one process.
    """
    bulletins = content.bulletins
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(bulletins) >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods():
        global _RENDER_JOB
        _RENDER_JOB = (settings, [b.body for b in bulletins], photos)
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                parts = pool.map(_render_slice, [(k, jobs) for k in range(jobs)])
        finally:
            _RENDER_JOB = None
        for k, (htmls, measured) in enumerate(parts):
            for b, body_html in zip(bulletins[k::jobs], htmls):
                b.body_html = body_html
            if photos is not None:
                photos.photos.update(measured)
    else:
        renderer = _renderer(settings, photos)
        for b in bulletins:
            b.body_html = renderer.html(b.body)
    for b in bulletins:
        b.lead = b.meta.summary or first_paragraph(b.body_html)


PARALLEL_FROM = 500          # below this, starting processes costs more than it saves
_RENDER_JOB: Optional[tuple] = None


def _renderer(settings: Settings, photos: Optional[Photos]) -> Renderer:
    return Renderer(settings.base_path, BODY_PROCESSORS + ([photos.processor] if photos else []))


def _render_slice(args: tuple[int, int]) -> tuple[list[str], dict]:
    k, step = args
    settings, bodies, photos = _RENDER_JOB
    renderer = _renderer(settings, photos)
    htmls = [renderer.html(body) for body in bodies[k::step]]
    return htmls, (photos.photos if photos is not None else {})


def build(settings: Settings) -> Build:
    timings: dict[str, float] = {}
    with timed(timings, "read"):
        content = read(settings)
    photos = Photos(settings.content_dir, base_path=settings.base_path)
    with timed(timings, "render"):
        render(settings, content, photos)
    with timed(timings, "images"):
        for b in content.bulletins:
            if b.meta.image:
                photos.get(b.meta.image)
        photos.make()
    with timed(timings, "collect"):
        site = Site.build(settings, content)
    with timed(timings, "views"):
        pages = [page for view in PAGE_VIEWS for page in view(site)]
    with timed(timings, "feeds"):
        assets = [asset for view in ASSET_VIEWS for asset in view(site, pages)]
    nav = [item for items in NAV_ITEMS for item in items(site)]
    return Build(settings, content, site, pages, assets, nav, timings, photos)
