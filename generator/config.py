"""Build settings, independent of any front end: the MkDocs plugin fills them from mkdocs.yml."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

# A setting that changes how a build runs, never what it makes: left out of cache keys.
HOW = {"output": False}


@dataclass
class Settings:
    site_name: str = "Bantin"
    site_url: str = ""                 # 'https://phuong.example.vn/' (required for feeds)
    site_description: str = ""
    content_dir: Path = Path("content")
    language: str = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"
    per_page: int = 10
    feed_items: int = 20
    drafts: bool = False               # show drafts (preview)
    future: bool = False               # show bulletins dated in the future (preview)
    now: Optional[datetime] = field(default=None, metadata=HOW)   # the build's clock, for scheduled publishing
    publisher: str = ""                # the organisation that publishes the portal
    search: bool = True                # index the bulletins with Pagefind
    favicon: str = ""                  # site path of the icon, e.g. 'assets/bantin-icon.svg'
    stylesheets: tuple[str, ...] = ()  # site paths of the stylesheets every page loads
    scripts: tuple[str, ...] = ()      # ...and of the scripts
    cache_dir: Optional[Path] = field(default=None, metadata=HOW)   # kept for the next build; None: nothing
    jobs: int = field(default=0, metadata=HOW)   # processes to share the work; 0: one per core, 1: this one only

    @property
    def base_path(self) -> str:
        """'/' or '/sub/': where the site lives on its host."""
        path = urlsplit(self.site_url).path if self.site_url else "/"
        return path if path.endswith("/") else path + "/"

    def absolute(self, url: str) -> str:
        """Absolute URL of a site path such as '2022/11/slug/'."""
        root = self.site_url if self.site_url.endswith("/") else self.site_url + "/"
        return root + url.lstrip("/")

    def output(self) -> list[tuple[str, object]]:
        """The settings that decide what a build makes, for cache keys (every field not marked HOW)."""
        return [(f.name, getattr(self, f.name)) for f in fields(self) if f.metadata.get("output", True)]
