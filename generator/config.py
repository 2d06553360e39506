"""Build settings, independent of any front end: the MkDocs plugin fills them from mkdocs.yml."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
    # Pages a listing goes back (section, unit, topic, year); older bulletins are in the month
    # archive, which is always whole, and in search.  0: every page.
    listing_pages: int = 100
    feed_items: int = 20
    drafts: bool = False               # show drafts (preview)
    future: bool = False               # show bulletins dated in the future (preview)
    now: Optional[datetime] = field(default=None, metadata=HOW)   # the build's clock, for scheduled publishing
    publisher: str = ""                # the organisation that publishes the portal
    preview: bool = False              # a live preview (`bantin serve`): pages say when the content has errors
    search: bool = True                # index the bulletins with Pagefind
    favicon: str = ""                  # site path of the icon, e.g. 'assets/bantin-icon.svg'
    stylesheets: tuple[str, ...] = ()  # site paths of the stylesheets every page loads
    scripts: tuple[str, ...] = ()      # ...and of the scripts
    cache_dir: Optional[Path] = field(default=None, metadata=HOW)   # kept for the next build; None: nothing
    jobs: int = field(default=0, metadata=HOW)   # processes to share the work; 0: one per core, 1: this one only
    # A federation portal's member sites: each the address of a Bantin site, or a folder holding one built.
    members: tuple[str, ...] = ()
    member_timeout: float = 10.0       # seconds a member may take to answer one request
    member_max_bytes: int = 8_000_000  # the largest file of a member's export that is read

    @property
    def base_path(self) -> str:
        """'/' or '/sub/': where the site lives on its host."""
        path = urlsplit(self.site_url).path if self.site_url else "/"
        return path if path.endswith("/") else path + "/"

    def absolute(self, url: str) -> str:
        """Absolute URL of a site path such as '2022/11/slug/' (a member's address stays as it is)."""
        if url.startswith(("https://", "http://")):
            return url
        root = self.site_url if self.site_url.endswith("/") else self.site_url + "/"
        return root + url.lstrip("/")

    def output(self) -> list[tuple[str, object]]:
        """The settings that decide what a build makes, for cache keys (every field not marked HOW)."""
        return [(f.name, getattr(self, f.name)) for f in fields(self) if f.metadata.get("output", True)]


class SettingsError(ValueError):
    """The configuration cannot give a site: every problem, each naming its option, then no build."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems + ["mkdocs.yml có lỗi; trang chưa được dựng lại, thư mục site/ cũ vẫn giữ nguyên."]))


def check(settings: Settings) -> None:
    """Raises SettingsError naming each option that is wrong, what it is, and what it should be."""
    problems = []
    parts = urlsplit(settings.site_url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        found = f"là {settings.site_url!r}, không phải địa chỉ http(s) đầy đủ" if settings.site_url else "chưa có"
        problems.append(f"mkdocs.yml: site_url: {found} (RSS và Atom cần địa chỉ công khai của trang để mọi liên kết "
                        "là tuyệt đối; thêm ví dụ `site_url: https://phuong.example.vn/`)")
    for name in ("per_page", "feed_items"):
        value = getattr(settings, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            problems.append(f"mkdocs.yml: plugins › bantin › {name}: là {value!r} (phải là số nguyên từ 1 trở lên, "
                            f"ví dụ {name}: {Settings.__dataclass_fields__[name].default})")
    value = settings.listing_pages
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        problems.append(f"mkdocs.yml: plugins › bantin › listing_pages: là {value!r} (phải là số nguyên từ 0 trở lên; "
                        f"0 là không giới hạn, ví dụ listing_pages: {Settings.listing_pages})")
    for n, member in enumerate(settings.members):
        if urlsplit(member).scheme not in ("http", "https") and not Path(member).is_dir():
            problems.append(f"mkdocs.yml: plugins › bantin › members[{n}]: {member!r} không phải địa chỉ http(s) "
                            "hay thư mục có trang đã dựng (a member is a site's address or a built site's folder)")
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"mkdocs.yml: plugins › bantin › timezone: múi giờ {settings.timezone!r} không có "
                        "(tên múi giờ IANA, ví dụ timezone: Asia/Ho_Chi_Minh)")
    if problems:
        raise SettingsError(problems)
