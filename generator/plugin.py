"""The MkDocs adapter: runs the pipeline and hands its pages and files to MkDocs.

All decisions are made in plain Python (pipeline.py and below); this module
only translates between them and MkDocs' events, so that the core survives a
change of MkDocs or of theme.  MkDocs renders the navigation's pages and the
page frame; the writer (writer.py) sets every other page into that frame.
"""
from __future__ import annotations

import contextlib
import gc
import logging
import os
import shutil
import tempfile
import threading
from importlib.metadata import PackageNotFoundError, version as package_version
from datetime import datetime
from pathlib import Path
from typing import Callable, Optional
from zoneinfo import ZoneInfo

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from . import feeds, pipeline, search, vietnamese, writer
from .cache import Store, digest, tree_digest
from .config import Settings
from .content.errors import ContentError
from .content.models import KIND_LABELS, STATUS_LABELS
from .documents import url as document_url
from .people import url as person_url
from .views.base import Page

log = logging.getLogger("mkdocs.plugins.bantin")

# Files in the content folder that are sources, not pages or static files.
SOURCE_PREFIXES = ("bulletins/",)
SOURCE_NAMES = {"README.md", "units.yml", "categories.yml", "topics.yml", "cms.yml"}
GC_THRESHOLDS = (50_000, 20, 10)      # Python's are (700, 10, 10)


class BantinConfig(base.Config):
    content_dir = c.Type(str, default="")          # default: MkDocs' docs_dir
    timezone = c.Type(str, default="Asia/Ho_Chi_Minh")
    per_page = c.Type(int, default=10)
    feed_items = c.Type(int, default=20)
    publisher = c.Type(str, default="")
    drafts = c.Optional(c.Type(bool))              # default: shown in `serve` only
    future = c.Optional(c.Type(bool))              # default: shown in `serve` only
    swap = c.Type(bool, default=True)              # build into a temporary folder, then swap
    jobs = c.Type(int, default=0)                  # processes to share the build; 0: one per core
    search = c.Type(bool, default=True)            # index the site with Pagefind (needs `npm install`)
    cache = c.Type(bool, default=True)             # keep what the next build can reuse, in .cache/bantin/


class BantinError(PluginError):
    """A content problem: reported as a list, without a traceback."""


class BantinPlugin(BasePlugin[BantinConfig]):
    supports_multiple_instances = False

    def __init__(self):
        self.command: Optional[str] = None
        self.build: Optional[pipeline.Build] = None
        self.pages: dict[str, Page] = {}
        self.final_site_dir: Optional[str] = None
        self.temp_dir: Optional[str] = None
        self.now: Optional[datetime] = None
        self.pagefind: Optional[Path] = None
        self.failed = False
        # A preview (`bantin serve`, a "dirty" serve) keeps its last build in memory and writes
        # only the pages and files whose content changed; see write_pages.
        self.dirty = False
        self.memory = pipeline.Memory()
        self.written: dict[str, Optional[str]] = {}     # site path -> what was written there
        self.written_dir: Optional[str] = None
        self.files_written: dict[str, str] = {}
        self.mirror_dir: Optional[str] = None           # the preview's search copy, kept between builds
        self.mirror_hold = contextlib.ExitStack()       # ...held (locked) until the preview stops
        self.search_thread: Optional[threading.Thread] = None
        self.search_wanted = 0

    # -- settings and content

    def on_startup(self, *, command, dirty):
        self.command = command
        self.dirty = dirty
        # A build makes millions of small objects that live until it ends; at Python's usual
        # rate the collector walks them all again and again (2 s of 30 at 10,000 bulletins).
        gc.set_threshold(*GC_THRESHOLDS)

    def settings(self, config) -> Settings:
        preview = self.command == "serve"
        docs_dir = Path(config.docs_dir)
        content_dir = Path(self.config.content_dir) if self.config.content_dir else docs_dir
        if not content_dir.is_absolute():
            content_dir = Path(config.config_file_path or ".").parent / content_dir
        language = (config.theme.get("language") or "vi") if config.theme else "vi"
        return Settings(
            site_name=config.site_name,
            site_url=config.site_url or "",
            site_description=config.site_description or "",
            content_dir=content_dir,
            language=language,
            timezone=self.config.timezone,
            per_page=self.config.per_page,
            feed_items=self.config.feed_items,
            drafts=preview if self.config.drafts is None else self.config.drafts,
            future=preview if self.config.future is None else self.config.future,
            now=self.now or datetime.now(ZoneInfo(self.config.timezone)),
            publisher=self.config.publisher,
            cache_dir=project_dir(config) / ".cache" / "bantin" if self.config.cache else None,
            theme_digest=theme_digest(config),
            jobs=self.config.jobs,
        )

    def on_config(self, config):
        settings = self.settings(config)
        try:
            feeds.check_settings(settings)
            if self.command == "serve" and self.dirty and self.build and self.written_dir == config.site_dir:
                self.show_edited_first(config, settings)
            self.build = pipeline.build(settings, self.memory if self.command == "serve" else None)
        except ContentError as exc:
            self.failed = True
            raise BantinError(exc.report()) from None
        except feeds.FeedError as exc:
            self.failed = True
            raise BantinError(str(exc)) from None
        if self.config.search:
            try:
                self.pagefind = search.find_binary(project_dir(config))
            except search.PagefindError as exc:
                raise BantinError(str(exc)) from None
        self.pages = {page.src_uri: page for page in self.build.pages}
        config.nav = [{title: (f"{url}index.md" if url else "index.md")} for title, url in self.build.nav]
        if self.command != "serve" and self.config.swap:
            self.final_site_dir = config.site_dir
            parent = Path(config.site_dir).resolve().parent
            parent.mkdir(parents=True, exist_ok=True)
            config.site_dir = self.temp_dir = tempfile.mkdtemp(prefix=Path(config.site_dir).name + ".tmp-", dir=parent)
        return config

    # -- files and pages

    @event_priority(50)
    def on_files(self, files: Files, *, config) -> Files:
        for file in list(files):
            uri = file.src_uri
            if uri in SOURCE_NAMES or uri.startswith(SOURCE_PREFIXES) or uri in self.pages:
                files.remove(file)
        # MkDocs renders the pages of the navigation; the writer renders the rest (see writer.py).
        nav_uris = {f"{url}index.md" if url else "index.md" for _, url in self.build.nav}
        for page in self.build.pages:
            if page.src_uri in nav_uris:
                files.append(File.generated(config, page.src_uri, content=""))
        for path, copy in self.build.photos.files() if self.build.photos else []:
            files.append(File.generated(config, path, abs_src_path=str(copy)))   # resized photos, from the cache
        self.files = files
        return files

    def on_page_markdown(self, markdown, *, page, config, files):
        ours = self.pages.get(page.file.src_uri)
        if ours is None:
            return markdown
        page.meta.update(template=ours.template, title=ours.title, description=ours.description,
                         hide=["navigation", "toc"])
        return ""

    def on_page_context(self, context, *, page, config, nav):
        ours = self.pages.get(page.file.src_uri)
        context["bantin"] = self.build.site
        context["view"] = ours
        context["feeds"] = feeds.site_feeds(self.build.site.settings) + (ours.feeds if ours else [])
        return context

    def on_nav(self, nav, *, config, files):
        self.nav = nav
        return nav

    def on_env(self, env, *, config, files):
        env.filters.update(
            day=vietnamese.day,
            day_time=vietnamese.day_time,
            clock=vietnamese.clock,
            weekday=vietnamese.weekday,
            period=vietnamese.period,
            document_url=document_url,
            person_url=person_url,
            url=writer.url_filter(env.filters["url"]),
        )
        env.globals.update(status_labels=STATUS_LABELS, kind_labels=KIND_LABELS, once=writer.once,
                           # what a bulletin tells the index; none without one
                           search_record=(lambda b: search.record(self.build.site, b)) if self.config.search else None,
                           photo=lambda src: self.build.photos.get(src) if self.build.photos else None)
        # MkDocs' environment does not escape; Bantin's templates print editors' text, so they do.
        env.autoescape = ours_escape
        self.env = env
        return env

    def show_edited_first(self, config, settings: Settings) -> None:
        """In a preview, an edited bulletin's page is written and shown before the rest is rebuilt."""
        pages = pipeline.edited(settings, self.build, self.memory)
        if not pages:
            return
        out = writer.Writer(self.env, lambda depth: self.frame(config, depth),
                            {"config": config, "nav": self.nav, "bantin": self.build.site}, config.site_dir,
                            settings.absolute, self.mirror_dir)
        out.write(pages, feeds.site_feeds(settings), jobs=1)
        log.info("Bantin: %s", ", ".join("/" + page.url for page in pages))
        server = getattr(self, "server", None)
        cond = getattr(server, "_epoch_cond", None)
        if cond is not None:   # let the browser reload now: the rest of the site follows in this build
            with cond:
                server._visible_epoch = server._wanted_epoch
                cond.notify_all()

    def on_serve(self, server, *, config, builder):
        """`serve` watches docs_dir; a content folder kept elsewhere must reload the preview too."""
        self.server = server
        content_dir = self.settings(config).content_dir.resolve()
        if content_dir != Path(config.docs_dir).resolve():
            server.watch(str(content_dir))
        return server

    # -- the finished site

    def on_post_build(self, *, config):
        preview = self.command == "serve"
        if preview and self.pagefind and self.mirror_dir is None:
            self.mirror_dir = str(self.mirror_hold.enter_context(search.mirror(self.build.store)))
        with contextlib.ExitStack() as stack:
            search_dir = self.mirror_dir if preview else (
                stack.enter_context(search.mirror(self.build.store)) if self.pagefind else None)
            self.write_and_index(config, search_dir, preview)
        if not preview:
            self.forget_unused(self.build.store)
        if self.final_site_dir:
            swap(config.site_dir, self.final_site_dir)
            config.site_dir, self.final_site_dir, self.temp_dir = self.final_site_dir, None, None

    def write_and_index(self, config, search_dir: Optional[Path], preview: bool) -> None:
        """The pages, then the search index: made in a build, left to the background in a preview."""
        indexing: list[search.Indexing] = []

        def start_index() -> None:
            """Called once the bulletin pages are written: Pagefind runs while the rest is written."""
            search.prune_mirror(Path(search_dir), {b.url for b in self.build.content.bulletins})
            try:
                indexing.append(search.Indexing(Path(config.site_dir), self.pagefind, Path(search_dir),
                                                self.build.store))
            except search.PagefindError as exc:
                raise BantinError(str(exc)) from None

        try:
            with pipeline.timed(self.build.timings, "write"):
                self.write_pages(config, search_dir, start_index if self.pagefind and not preview else None)
            if self.pagefind and preview:
                self.index_later(Path(config.site_dir))   # the preview is shown now; search follows
            elif indexing:
                with pipeline.timed(self.build.timings, "search"):
                    try:
                        indexing[0].wait()
                    except search.PagefindError as exc:
                        raise BantinError(str(exc)) from None
        finally:
            for running in indexing:
                if running.proc is not None and running.proc.poll() is None:
                    running.proc.kill()     # a build that failed while Pagefind ran
                    running.proc.wait()

    def on_build_error(self, *, error):
        if self.temp_dir:
            shutil.rmtree(self.temp_dir, ignore_errors=True)
            log.error("Bantin: lỗi khi dựng trang; thư mục %s cũ vẫn giữ nguyên.", self.final_site_dir)

    def on_shutdown(self):
        self.mirror_hold.close()     # a temporary folder goes; the cache's is left for the next build
        self.mirror_dir = None

    def write_pages(self, config, search_dir: Optional[str] = None,
                    indexable: Optional[Callable[[], None]] = None) -> None:
        """Every page outside the navigation, and every plain file, through the writer.

        Bulletin pages come first; `indexable` is called once they are written (and so the
        pages to index are all there), and the other pages are written while it runs.
        In a dirty preview the folder still holds the last build: only what changed is
        written (the edited bulletin's own page first), and what is gone is removed.
        """
        in_mkdocs = {file.src_uri for file in self.files}
        preview = self.command == "serve"
        pages = [page for page in self.build.pages if page.src_uri not in in_mkdocs]
        # A preview compares keys with its last build's, so it makes them here; a build lets
        # each writing process make those of its own pages.
        keys = [page.key(self.build.site_digest) for page in pages] if preview else [None] * len(pages)
        site_feeds = feeds.site_feeds(self.build.site.settings)
        base = {"config": config, "nav": self.nav, "bantin": self.build.site}
        out = writer.Writer(self.env, lambda depth: self.frame(config, depth), base, config.site_dir,
                            self.build.site.settings.absolute, search_dir, self.build.store)
        files = {asset.path: digest(asset.content) for asset in self.build.assets}
        written = {page.url: (digest(key, out.frame_digest(page.url)) if key else None)
                   for page, key in zip(pages, keys)} if preview else {}
        if self.dirty and preview and self.written_dir == config.site_dir:
            changed = [i for i, page in enumerate(pages)
                       if written[page.url] is None or self.written.get(page.url) != written[page.url]]
            bulletin_urls = {b.url for b in self.build.content.bulletins}
            changed.sort(key=lambda i: pages[i].url not in bulletin_urls)    # bulletins' own pages first
            for gone in set(self.written) - set(written):
                for root in filter(None, (config.site_dir, search_dir)):
                    Path(root, gone, "index.html").unlink(missing_ok=True)
            for gone in set(self.files_written) - set(files):
                Path(config.site_dir, gone).unlink(missing_ok=True)
            assets = [a for a in self.build.assets if self.files_written.get(a.path) != files[a.path]]
            log.info("Bantin: ghi lại %d/%d trang và %d/%d tệp đã thay đổi", len(changed), len(pages),
                     len(assets), len(files))
            used = {k for k in keys if k}
            pages, keys = [pages[i] for i in changed], [keys[i] for i in changed]
        else:
            assets, used = self.build.assets, set()

        def write(chosen: list[int]) -> list[bool]:
            done = out.write([pages[i] for i in chosen], site_feeds, jobs=self.config.jobs,
                             keys=[keys[i] for i in chosen], site_digest=self.build.site_digest)
            used.update(key for _, key in done if key)
            return [mirrored for mirrored, _ in done]

        if indexable is not None:
            bulletin_urls = {b.url for b in self.build.content.bulletins}
            first = [i for i, page in enumerate(pages) if page.url in bulletin_urls]
            rest = sorted(set(range(len(pages))) - set(first))
            write(first)
            indexable()
            stray = [pages[i].url for i, went in zip(rest, write(rest)) if went]
            if stray:   # it would be missing from the index, which was started without it
                raise BantinError(f"Trang /{stray[0]} không phải bài tin nhưng được đánh dấu để tìm kiếm "
                                  f"(data-pagefind-body): chỉ mẫu bantin/bulletin.html được có dấu này.")
        else:
            write(list(range(len(pages))))
        # Entries the writing processes used, which this one could not see: kept.
        self.build.store.used.setdefault("pages", set()).update(used)
        writer.write_files(config.site_dir, assets)
        self.written, self.files_written, self.written_dir = written, files, config.site_dir

    def index_later(self, site_dir: Path) -> None:
        """Index the preview in the background, then put the new index in place at once."""
        self.search_wanted += 1
        if self.search_thread and self.search_thread.is_alive():
            return          # the running thread sees the new request and indexes again

        def work():
            done = 0
            while done != self.search_wanted:
                done = self.search_wanted
                tmp = Path(tempfile.mkdtemp(prefix="bantin-index-", dir=site_dir.parent))
                try:
                    search.prune_mirror(Path(self.mirror_dir), {b.url for b in self.build.content.bulletins})
                    search.index_cached(tmp, self.pagefind, Path(self.mirror_dir), self.build.store, background=True)
                    swap(str(tmp / search.BUNDLE_DIR), str(site_dir / search.BUNDLE_DIR))
                except (search.PagefindError, OSError) as exc:
                    log.error("Bantin: %s", exc)
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)

        self.search_thread = threading.Thread(target=work, name="bantin-search", daemon=True)
        self.search_thread.start()

    @staticmethod
    def forget_unused(store: Store) -> None:
        """Entries this build did not use are for content that no longer exists: the cache stays the site's size."""
        for kind in ("read", "html", "pages", "search"):
            store.keep_only(kind, store.used.get(kind, set()))
        store.close()

    def frame(self, config, depth: int) -> writer.Frame:
        """The theme's page frame for pages `depth` folders down, rendered by MkDocs with placeholders."""
        from mkdocs.commands.build import get_context
        from mkdocs.structure.pages import Page as MkPage

        uri = "/".join(["bantin-frame"] * depth) + "/index.md" if depth else "bantin-frame.md"
        page = MkPage(None, File.generated(config, uri, content=""), config)
        page.meta = {"title": writer.TOKENS["title"], "description": writer.TOKENS["description"],
                     "hide": ["navigation", "toc"]}
        page.content, page.toc = writer.TOKENS["content"], []
        context = get_context(self.nav, self.files, config, page)
        context.update(bantin=self.build.site, view=None, feeds=[], bantin_frame=True)
        html = self.env.get_template("bantin/frame.html").render(context)
        return writer.Frame.parse(html, page.canonical_url or "")


def project_dir(config) -> Path:
    return Path(config.config_file_path or ".").resolve().parent


def theme_digest(config) -> str:
    """The site's own templates and configuration, and the versions of the theme and of MkDocs."""
    versions = []
    for name in ("mkdocs", "mkdocs-material"):
        try:
            versions.append(package_version(name))
        except PackageNotFoundError:
            versions.append("-")
    custom = getattr(config.theme, "custom_dir", None)
    config_file = Path(config.config_file_path) if config.config_file_path else None
    return digest(*versions, tree_digest([Path(custom)] if custom else []),
                  config_file.read_bytes() if config_file and config_file.is_file() else b"")


def ours_escape(name: Optional[str]) -> bool:
    """Autoescape Bantin's own templates; the theme's own partials are left as they were written."""
    return bool(name) and (name.startswith("bantin/") or name in ("main.html", "404.html"))


def swap(built: str, final: str) -> None:
    """Put a finished build in place of the old one; the old one goes only once the new one is in."""
    old = None
    if os.path.exists(final):
        old = tempfile.mkdtemp(prefix=Path(final).name + ".old-", dir=Path(final).resolve().parent)
        os.rmdir(old)
        os.replace(final, old)
    os.replace(built, final)
    if old:
        shutil.rmtree(old, ignore_errors=True)
