"""Plain text copied from an old portal, laid out as the seed texts are.

    section line            (optional; only when a date line follows the title)
    title
    Ngày đăng 02/11/2022 | 20:32 | Lượt xem: 492      (or a lone "11/12/2023" above the title)
    body paragraphs, photo captions each on a line of its own, "- " list items
    byline, "(Nguồn: ...)"
    (whatever the portal printed after them)

Lines a copy wrapped ("...tổng kết 10 năm" / "thực hiện Kết luận...") are
joined back: a line that starts in lower case continues the one before.  A
caption has no photo in a text file; photos named after the file
(`bai.txt` with `bai/1.jpg` or `bai-1.jpg`...) are set to the captions in order.
"""
from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

from . import credits, dates
from .article import FIGURE, PARAGRAPH, Article, Block
from .clean import bullets, is_chrome, is_short, tidy
from .fetch import decode

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
_HEADER_LINES = 6       # how far above the title a lone date may stand


def _units(lines: list[str]) -> list[str]:
    """Lines with the wrapped ones joined back; blank lines as ''."""
    out: list[str] = []
    for line in lines:
        if (line and out and out[-1] and line[0].islower()
                and not out[-1].endswith((".", ":", ";", "!", "?", "…"))):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _previous(units: list[str], i: int) -> int:
    """Index of the nearest non-empty unit before i that can be a title, or -1."""
    j = i - 1
    while j >= 0 and (not units[j] or is_chrome(units[j])):
        j -= 1
    return j


def parse(raw: str, address: str, tz: ZoneInfo) -> Article:
    units = _units([tidy(line) for line in raw.splitlines()])
    article = Article(address=address, kind="text")
    line_at = next((i for i, u in enumerate(units) if u and dates.is_date_line(u) and dates.portal_line(u, tz)), None)
    if line_at is not None:
        stamp = dates.portal_line(units[line_at], tz)
        title_at = _previous(units, line_at)
        body_at = line_at + 1
        # Section, blank line, title, date line: the PublishingPortal page head.
        if title_at >= 2 and not units[title_at - 1] and units[title_at - 2] and not is_chrome(units[title_at - 2]) \
                and len(units[title_at - 2]) <= 80:
            article.section = units[title_at - 2]
            article.note("section", article.section, units[title_at - 2])
    else:
        first = next((i for i, u in enumerate(units) if u and not is_short(u) and not is_chrome(u)), None)
        if first is None:
            article.review.append("Không tìm thấy phần nội dung (không có đoạn văn nào).")
            return article
        title_at, body_at = _previous(units, first), first
        stamp = next((dates.lone_date(units[j], tz) for j in range(max(0, title_at - _HEADER_LINES), title_at)
                      if dates.lone_date(units[j], tz)), None)
    if title_at >= 0:
        article.title = units[title_at]
        article.note("title", article.title, units[title_at])
    if stamp:
        article.published = stamp.when
        article.note("date", stamp.when, stamp.words, "" if stamp.timed else "nguồn không ghi giờ: 08:00 theo quy ước")
    body = [u for u in units[body_at:] if u and not is_chrome(u)]
    article.blocks = bullets([Block(PARAGRAPH, u) for u in body])
    credits.take(article)
    for i, block in enumerate(article.blocks):
        if i and block.kind == PARAGRAPH and is_short(block.text):
            block.kind = FIGURE
    return article


def sidecar_photos(path: Path) -> list[Path]:
    """Photos kept beside a text file for its captions, in name order."""
    folder = path.with_suffix("")
    found = [p for p in folder.iterdir() if p.suffix.lower() in PHOTO_SUFFIXES] if folder.is_dir() else []
    pattern = re.compile(rf"^{re.escape(path.stem)}[-_ ](\d+)$")
    found += [p for p in path.parent.iterdir() if p.suffix.lower() in PHOTO_SUFFIXES and pattern.match(p.stem)]

    def order(p: Path):
        digits = re.findall(r"\d+", p.stem)
        return (int(digits[-1]) if digits else 0, p.name)
    return sorted(found, key=order)


def read(path: Path, raw: bytes, tz: ZoneInfo) -> Article:
    article = parse(decode(raw), str(path.resolve()), tz)
    photos = sidecar_photos(path)
    figures = [b for b in article.blocks if b.kind == FIGURE]
    for block, photo in zip(figures, photos):
        block.src = photo.relative_to(path.parent).as_posix()
    if photos and len(photos) != len(figures):
        article.review.append(f"{len(photos)} ảnh kèm tệp nhưng có {len(figures)} chú thích: kiểm tra ảnh nào đi với "
                              "chú thích nào.")
    article.photo_base = str(path)
    return article

