"""What a saved page holds that is not the article: toolbars, counters, date lines.

The editors' guide asks for "Lượt xem", "Tăng cỡ chữ", "Truy cập hiện tại"
and the like to be deleted by hand; the importer deletes the ones it knows.
"""
from __future__ import annotations

import re
import unicodedata

from . import dates
from .article import ITEM, PARAGRAPH, Block

CHROME = re.compile(
    r"^\s*(?:PublishingPortal\b|Tăng cỡ chữ|Giảm cỡ chữ|In bài(?: viết)?$|Bản in$|Gửi (?:bài|email)|Chia sẻ\b"
    r"|Lượt xem|Lượt đọc|View count|Số lần xem|Truy cập hiện tại|Đang có \d+ khách|Đang truy cập|"
    r"Tổng lượt truy cập|Thống kê truy cập|Tin (?:khác|liên quan|cùng chuyên mục|mới)$|Các tin (?:khác|đã đưa)"
    r"|Bài viết liên quan|Thăm dò ý kiến|\d+$)",
    re.I,
)
BULLET = re.compile(r"^[-+•*–]\s+")
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def tidy(text: str) -> str:
    """NFC, one space between words, no spaces at either end."""
    return SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def is_chrome(line: str) -> bool:
    return bool(CHROME.match(line)) or dates.is_date_line(line)


def is_short(text: str) -> bool:
    """A caption, a byline or a heading rather than running text: up to 120 characters, or up to
    320 that do not end a sentence (a caption may run over three lines, without a full stop)."""
    text = text.rstrip()
    return len(text) <= 120 or (len(text) <= 320 and not text.endswith((".", ":", ";", "…", "!", "?")))


def bullets(blocks: list[Block]) -> list[Block]:
    """Paragraphs written as '- item' (as portals and copied text write lists) made list items."""
    for block in blocks:
        if block.kind == PARAGRAPH and BULLET.match(block.text):
            block.kind, block.text = ITEM, BULLET.sub("", block.text, count=1)
    return blocks
