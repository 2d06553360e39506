"""Build settings, independent of MkDocs: the plugin fills them from mkdocs.yml."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit


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
    now: Optional[datetime] = None     # the build's clock, for scheduled publishing
    publisher: str = ""                # the organisation that publishes the portal
    extra: dict = field(default_factory=dict)
    cache_dir: Optional[Path] = None   # where builds keep what the next one can reuse; None: nothing kept
    theme_digest: str = ""             # of the templates and the site's configuration, for cache keys
    jobs: int = 0                      # processes to share the work; 0: one per core, 1: this one only

    @property
    def base_path(self) -> str:
        """'/' or '/sub/': where the site lives on its host."""
        path = urlsplit(self.site_url).path if self.site_url else "/"
        return path if path.endswith("/") else path + "/"

    def absolute(self, url: str) -> str:
        """Absolute URL of a site path such as '2022/11/slug/'."""
        root = self.site_url if self.site_url.endswith("/") else self.site_url + "/"
        return root + url.lstrip("/")
