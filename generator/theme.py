"""The theme as the core uses it: a Jinja environment with the site's templates, Bantin's filters
and globals in it, the files the theme publishes, and what its templates may read of the site.

A front end (the MkDocs plugin, or any other) hands over a Jinja environment that finds
the templates of `theme_overrides/` (and, for MkDocs, Material's icons); everything else
is decided here, so that the pages do not change with the front end.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from jinja2 import Environment, FileSystemLoader

from . import urls, vietnamese, writer
from .cache import digest, fingerprint, tree_digest
from .config import Settings
from .content.models import KIND_LABELS, STATUS_LABELS

FRAME = "bantin/frame.html"
ASSETS = "assets"              # the theme's folder of files published as they are


@dataclass(frozen=True)
class SiteInfo:
    """What every template may read of the site as a whole."""

    name: str
    description: str
    url: str
    language: str
    publisher: str

    @classmethod
    def of(cls, settings: Settings) -> "SiteInfo":
        return cls(settings.site_name, settings.site_description, settings.site_url, settings.language,
                   settings.publisher)


def escape_ours(name: Optional[str]) -> bool:
    """Autoescape Bantin's own templates; a theme's other partials are left as they were written."""
    return bool(name) and (name.startswith("bantin/") or name == "main.html")


class Theme:
    """The templates of one build, ready to render Bantin's pages.

    `env` is the front end's Jinja environment; `custom_dir` the site's own theme folder
    (templates, and under assets/ the files every page may load); `versions` name the
    front end's packages, whose templates the environment may also read.
    """

    def __init__(self, env: Environment, custom_dir: Optional[Path], versions: Sequence[str] = ()):
        self.env = env
        self.custom_dir = Path(custom_dir) if custom_dir else None
        self.digest = digest(*versions, tree_digest([self.custom_dir] if self.custom_dir else []))
        install(env)

    @classmethod
    def from_folders(cls, folders: Sequence[Path], versions: Sequence[str] = ()) -> "Theme":
        """A theme without any front end: plain Jinja over `folders`, the site's own first."""
        env = Environment(loader=FileSystemLoader([str(f) for f in folders]))
        return cls(env, Path(folders[0]), versions)

    def assets(self) -> list[tuple[str, Path]]:
        """(site path, file) of the theme's own files under assets/: stylesheets, scripts, icons."""
        if self.custom_dir is None or not (self.custom_dir / ASSETS).is_dir():
            return []
        out = []
        for folder, dirnames, filenames in os.walk(self.custom_dir / ASSETS):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if not name.startswith("."):
                    path = Path(folder) / name
                    out.append((path.relative_to(self.custom_dir).as_posix(), path))
        return out

    def frame(self, settings: Settings, nav: Sequence, agency=None) -> writer.Frame:
        """The page frame (header, menu, footer) with the writer's placeholders where pages differ;
        `agency` is site.yml's (models.Agency), which the footer names."""
        context = {
            "site": SiteInfo.of(settings),
            "agency": agency,
            "nav": list(nav),
            "favicon": settings.favicon,
            "stylesheets": list(settings.stylesheets),
            "scripts": list(settings.scripts),
            "year": settings.now.year if settings.now else "",
            "slot": writer.TOKENS,
            "preview_script": urls.PREVIEW_SCRIPT if settings.preview else "",
        }
        return writer.Frame.parse(self.env.get_template(FRAME).render(context))

    def key_base(self, settings: Settings, code: str) -> str:
        """What every page's cache key starts from: the code, the theme, and the settings that shape output."""
        return digest(code, self.digest, fingerprint(settings.output()))


def install(env: Environment) -> None:
    """Bantin's filters and globals, and escaping for its own templates."""
    env.filters.update(
        day=vietnamese.day,
        day_time=vietnamese.day_time,
        clock=vietnamese.clock,
        weekday=vietnamese.weekday,
        period=vietnamese.period,
        count=vietnamese.count,
        url=writer.link,
    )
    env.globals.update(status_labels=STATUS_LABELS, kind_labels=KIND_LABELS, once=writer.once,
                       current=writer.current, urls=urls, split_mark=writer.SPLIT)
    # MkDocs' environment does not escape; Bantin's templates print editors' text, so they do.
    env.autoescape = escape_ours
