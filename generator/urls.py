"""Every address of the site, in one place.

Each function gives a site path: relative to the site's root, '/'-separated, a folder
ending in '/' ('chuyen-muc/tin-tuc/') or a file ('feed.xml'); '' is the home page.
Models and views ask here, so that an address is spelled once and templates read an
object's `.url` instead of putting one together.
"""
from __future__ import annotations

import posixpath

HOME = ""
UNITS = "don-vi/"
TOPICS = "chu-de/"
ARCHIVE = "luu-tru/"
DOCUMENTS = "van-ban/"
PEOPLE = "nhan-su/"
TRACKER = "du-luan/"
CALENDAR = "lich-hop/"
CALENDAR_ICS = "lich-hop.ics"
SCHEDULE = "lich-cong-tac/"                  # the units' weekly work schedules
SCHEDULE_ICS = "lich-cong-tac.ics"
RECEPTION = "lich-tiep-cong-dan/"            # their citizen-reception schedules
RECEPTION_ICS = "lich-tiep-cong-dan.ics"
SEARCH = "tim-kiem/"
SEARCH_BUNDLE = "pagefind/"
SITEMAP = "sitemap.xml"
NOT_FOUND = "404.html"
RSS, ATOM = "feed.xml", "atom.xml"
JSON_FEED = "feed.json"
EXPORT = "du-lieu/"                          # every published bulletin, paged (jsonfeed.py)
MEMBERS_BUNDLE = "pagefind-thanh-vien/"      # a federation portal's index of its members' bulletins
PREVIEW_SCRIPT = ".bantin/preview.js"       # the live preview's own files (preview.py)
PREVIEW_STATUS = ".bantin/status.json"
ADMIN = "admin/"                             # the web editor (cms/)
MEDIA = "media/"
ASSETS = "assets/"
_CATEGORIES = "chuyen-muc/"


def bulletin(year: int, month: int, slug: str) -> str:
    return f"{year:04d}/{month:02d}/{slug}/"


def category(key: str) -> str:
    return f"{_CATEGORIES}{key}/"


def is_category(url: str) -> bool:
    """A section's own listing: the header shows these as its tabs."""
    return url.startswith(_CATEGORIES)


def unit(key: str) -> str:
    return f"{UNITS}{key}/"


def topic(key: str) -> str:
    return f"{TOPICS}{key}/"


def year(number: int) -> str:
    return f"{ARCHIVE}{number:04d}/"


def month(year_number: int, month_number: int) -> str:
    return f"{ARCHIVE}{year_number:04d}/{month_number:02d}/"


def listing_page(base: str, number: int) -> str:
    """Page `number` of the listing at `base`: the first is the listing itself."""
    return base if number <= 1 else f"{base}trang/{number}/"


def document(slug: str) -> str:
    return f"{DOCUMENTS}{slug}/"


def person(key: str) -> str:
    return f"{PEOPLE}{key}/"


def tracker_topic(key: str) -> str:
    return f"{TRACKER}{key}/"


def unit_calendar(key: str) -> str:
    return f"{CALENDAR}{key}/"


def unit_calendar_ics(key: str) -> str:
    return f"{CALENDAR}{key}.ics"


def unit_schedule_ics(key: str) -> str:
    """A unit's schedules (work and reception, with its sub-units') as one calendar."""
    return f"{SCHEDULE}{key}.ics"


def rss(scope: str = HOME) -> str:
    """A scope's RSS feed, in the scope's folder ('' for the whole portal)."""
    return scope + RSS


def atom(scope: str = HOME) -> str:
    return scope + ATOM


def json_feed(scope: str = HOME) -> str:
    return scope + JSON_FEED


def export_page(number: int) -> str:
    """Page `number` (from 1) of the site's export."""
    return f"{EXPORT}{number}.json"


def file_of(url: str) -> str:
    """The file a site path is written to: a folder's index.html, or the file itself."""
    return url + "index.html" if url == HOME or url.endswith("/") else url


def depth(url: str) -> int:
    """How many folders down a page is written: 0 for the home page and for '404.html'."""
    return file_of(url).count("/")


def normal(path: str) -> str:
    """A site path with '.', '..' and doubled slashes resolved within the site: never above its root."""
    resolved = posixpath.normpath("/" + path).lstrip("/")
    return resolved + "/" if path.endswith("/") and resolved else resolved


# What the site writes itself, each with the name an editor knows it by: an old address
# (an alias) or a page of the content folder may not stand there.
_OWNERS = {
    _CATEGORIES: "chuyên mục", UNITS: "đơn vị", TOPICS: "chủ đề", ARCHIVE: "lưu trữ", DOCUMENTS: "văn bản",
    PEOPLE: "nhân sự", TRACKER: "theo dõi dư luận", CALENDAR: "lịch họp", SEARCH: "tìm kiếm",
    SCHEDULE: "lịch công tác", RECEPTION: "lịch tiếp công dân",
    SEARCH_BUNDLE: "tìm kiếm", MEDIA: "ảnh và tệp đính kèm", ASSETS: "giao diện", ".bantin/": "xem thử",
    ADMIN: "trình soạn thảo web", EXPORT: "dữ liệu xuất bản", MEMBERS_BUNDLE: "tìm kiếm",
}
_OWNED_FILES = {RSS: "tin RSS", ATOM: "tin Atom", JSON_FEED: "tin JSON Feed", SITEMAP: "sơ đồ trang",
                SITEMAP + ".gz": "sơ đồ trang", NOT_FOUND: "trang báo lỗi", CALENDAR_ICS: "lịch họp",
                SCHEDULE_ICS: "lịch công tác", RECEPTION_ICS: "lịch tiếp công dân", "index.html": "trang chủ"}


def owner(path: str) -> str:
    """Which part of the site writes at `path` (a normal site path), or '' when none does."""
    if path in _OWNED_FILES:
        return _OWNED_FILES[path]
    for folder, name in _OWNERS.items():
        if path == folder.rstrip("/") or path.startswith(folder):
            return name
    return ""
