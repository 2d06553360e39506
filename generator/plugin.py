"""The MkDocs adapter: hands the pipeline's pages and files to MkDocs, nothing more.

All decisions are made in plain Python (pipeline.py and below); this module
only translates between them and MkDocs' events, so that the core survives a
change of MkDocs or of theme.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Optional
from zoneinfo import ZoneInfo

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from . import pipeline, vietnamese
from .config import Settings
from .content.errors import ContentError
from .views.base import FeedLink, Page

log = logging.getLogger("mkdocs.plugins.bantin")

# Files in the content folder that are sources, not pages or static files.
SOURCE_PREFIXES = ("bulletins/",)
SOURCE_NAMES = {"README.md", "units.yml", "categories.yml", "topics.yml"}


class BantinConfig(base.Config):
    content_dir = c.Type(str, default="")          # default: MkDocs' docs_dir
    timezone = c.Type(str, default="Asia/Ho_Chi_Minh")
    per_page = c.Type(int, default=10)
    feed_items = c.Type(int, default=20)
    publisher = c.Type(str, default="")
    drafts = c.Optional(c.Type(bool))              # default: shown in `serve` only
    future = c.Optional(c.Type(bool))              # default: shown in `serve` only
    swap = c.Type(bool, default=True)              # build into a temporary folder, then swap


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
        self.failed = False

    # -- settings and content

    def on_startup(self, *, command, dirty):
        self.command = command

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
        )

    def on_config(self, config):
        try:
            self.build = pipeline.build(self.settings(config))
        except ContentError as exc:
            self.failed = True
            raise BantinError(exc.report()) from None
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
        for page in self.build.pages:
            files.append(File.generated(config, page.src_uri, content=""))
        for asset in self.build.assets:
            files.append(File.generated(config, asset.path, content=asset.content))
        return files

    def on_page_markdown(self, markdown, *, page, config, files):
        ours = self.pages.get(page.file.src_uri)
        if ours is None:
            return markdown
        page.meta.update(template=ours.template, title=ours.title, description=ours.description,
                         hide=["navigation", "toc"])
        if not ours.search:
            page.meta["search"] = {"exclude": True}
        return ""

    def on_page_context(self, context, *, page, config, nav):
        ours = self.pages.get(page.file.src_uri)
        context["bantin"] = self.build.site
        context["view"] = ours
        context["feeds"] = site_feeds(self.build.site.settings) + (ours.feeds if ours else [])
        return context

    def on_env(self, env, *, config, files):
        env.filters.update(
            day=vietnamese.day,
            day_time=vietnamese.day_time,
            clock=vietnamese.clock,
            weekday=vietnamese.weekday,
            period=vietnamese.period,
        )
        env.globals.update(status_labels=_status_labels(), kind_labels=_kind_labels())
        return env

    # -- the finished site

    def on_post_build(self, *, config):
        if self.final_site_dir:
            swap(config.site_dir, self.final_site_dir)
            config.site_dir, self.final_site_dir, self.temp_dir = self.final_site_dir, None, None

    def on_build_error(self, *, error):
        if self.temp_dir:
            shutil.rmtree(self.temp_dir, ignore_errors=True)
            log.error("Bantin: lỗi khi dựng trang; thư mục %s cũ vẫn giữ nguyên.", self.final_site_dir)


def site_feeds(settings: Settings) -> list[FeedLink]:
    name = settings.site_name
    return [FeedLink(f"{name} (RSS)", "feed.xml", "application/rss+xml"),
            FeedLink(f"{name} (Atom)", "atom.xml", "application/atom+xml")]


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


def _status_labels():
    from .content.models import STATUS_LABELS
    return STATUS_LABELS


def _kind_labels():
    from .content.models import KIND_LABELS
    return KIND_LABELS
