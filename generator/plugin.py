"""The MkDocs adapter: mkdocs.yml in, Bantin's core out (see frontend.py).

MkDocs reads the configuration, provides the theme's Jinja environment, and runs
`mkdocs build` and the live-reload server of `serve`. It renders and copies nothing:
the core writes the whole site, so that the site is the same with any front end.
"""
from __future__ import annotations

import shutil
import tempfile
from importlib.metadata import PackageNotFoundError, version as package_version
from pathlib import Path
from typing import Optional

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

from . import frontend, livereload


class BantinConfig(base.Config):
    content_dir = c.Type(str, default="")          # default: MkDocs' docs_dir
    timezone = c.Type(str, default="Asia/Ho_Chi_Minh")
    per_page = c.Type(int, default=10)
    listing_pages = c.Type(int, default=100)       # pages a listing goes back; 0: all (the month archive is whole)
    feed_items = c.Type(int, default=20)
    publisher = c.Type(str, default="")
    drafts = c.Optional(c.Type(bool))              # default: shown in `serve` only
    future = c.Optional(c.Type(bool))              # default: shown in `serve` only
    jobs = c.Type(int, default=0)                  # processes to share the build; 0: one per core
    members = c.Type(list, default=[])             # a federation portal's member sites (address or folder)
    member_timeout = c.Type((int, float), default=10.0)
    search = c.Type(bool, default=True)            # index the site with Pagefind (needs `npm install`)
    cache = c.Type(bool, default=True)             # keep what the next build can reuse, in .cache/bantin/


class BantinError(PluginError):
    """A problem for the site's editors or operators: reported as it is, without a traceback."""


def versions() -> list[str]:
    """MkDocs' and Material's versions: the theme's templates come with them."""
    found = []
    for name in ("mkdocs", "mkdocs-material"):
        try:
            found.append(f"{name} {package_version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} -")
    return found


class BantinPlugin(BasePlugin[BantinConfig]):
    supports_multiple_instances = False

    def __init__(self):
        self.command: Optional[str] = None
        self.preview: Optional[frontend.Preview] = None
        self.server = None
        self.failed = False
        self.made = None                        # what the last build made (frontend.Made)
        self.scratch: Optional[str] = None      # MkDocs' own output folder, left empty

    def on_startup(self, *, command, dirty):
        self.command = command
        self.preview = frontend.Preview() if command == "serve" else None

    def settings(self, config) -> frontend.Settings:
        project = Path(config.config_file_path or ".").resolve().parent
        content_dir = Path(self.config.content_dir or config.docs_dir)
        preview = self.command == "serve"
        return frontend.Settings(
            site_name=config.site_name,
            site_url=config.site_url or "",
            site_description=config.site_description or "",
            content_dir=content_dir if content_dir.is_absolute() else project / content_dir,
            language=(config.theme.get("language") or "vi") if config.theme else "vi",
            timezone=self.config.timezone,
            per_page=self.config.per_page,
            listing_pages=self.config.listing_pages,
            feed_items=self.config.feed_items,
            preview=preview,
            drafts=preview if self.config.drafts is None else self.config.drafts,
            future=preview if self.config.future is None else self.config.future,
            publisher=self.config.publisher,
            search=self.config.search,
            members=tuple(str(m) if "://" in str(m) else str(project / str(m)) for m in self.config.members),
            member_timeout=float(self.config.member_timeout),
            favicon=(config.theme.get("favicon") or "") if config.theme else "",
            stylesheets=tuple(str(path) for path in config.extra_css),
            scripts=tuple(str(path) for path in config.extra_javascript),
            cache_dir=project / ".cache" / "bantin" if self.config.cache else None,
            jobs=self.config.jobs,
        )

    def on_config(self, config):
        self.site_dir = config.site_dir                 # where the core writes; MkDocs writes to scratch
        self.scratch = self.scratch or tempfile.mkdtemp(prefix="bantin-mkdocs-")
        config.site_dir = self.scratch
        config.theme.static_templates.clear()           # the 404 page and the sitemap are the core's
        return config

    def on_files(self, files: Files, *, config) -> Files:
        return Files([])          # every page and file comes from the core

    def on_env(self, env, *, config, files):
        custom = getattr(config.theme, "custom_dir", None)
        self.theme = frontend.Theme(env, Path(custom) if custom else None, versions())
        return env

    def on_post_build(self, *, config):
        settings = self.settings(config)
        try:
            if self.preview is not None:
                self.made = self.preview.build(settings, self.theme, Path(self.site_dir),
                                               shown=lambda: livereload.show_now(self.server))
            else:
                self.made = frontend.build(settings, self.theme, self.site_dir)
        except frontend.STOPS as exc:
            self.failed = True
            raise BantinError(str(exc)) from None
        config.site_dir = self.site_dir

    def on_serve(self, server, *, config, builder):
        """`serve` watches docs_dir; a content folder kept elsewhere must reload the preview too."""
        self.server = server
        content_dir = self.settings(config).content_dir.resolve()
        if content_dir != Path(config.docs_dir).resolve():
            server.watch(str(content_dir))
        return server

    def on_shutdown(self):
        if self.preview is not None:
            self.preview.close()
        if self.scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)
