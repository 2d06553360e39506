"""The byline and the source line at the end of an article ("Hương Dịu", "(Nguồn: Tổ DLXH)").

They go to `author` and `source` and leave the text, as the editors' guide
asks.  On a saved page the portal's own blocks follow them ("Tiến tới đại hội
đảng", a visitor counter): whatever comes after the credits is not the
article's and is dropped, and the report says what was dropped.
"""
from __future__ import annotations

import re
from typing import Optional

from .article import FIGURE, ITEM, PARAGRAPH, Article
from .clean import is_short

SOURCE = re.compile(r"^\(?\s*(?:[Nn]guồn|NGUỒN)\s*:?\s*(?P<who>[^()]{2,100}?)\s*\)?\s*\.?$")
THEO = re.compile(r"^\(?\s*[Tt]heo\s+(?P<who>[^.,;:]{2,80}?)\s*\)?\s*$")
_PREFIX = re.compile(r"^(?:(?:[Bb]ài|[Tt]in|[Ảả]nh)(?:\s*(?:,|và)\s*(?:ảnh|bài))?|[Tt]ác giả|[Nn]gười viết)\s*:\s*")
_ORG_TAIL = re.compile(r"\s*(?:[-–]\s*[^-–]{2,60}|\([^()]{2,60}\))$")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]*")
# Words a name never starts with: what an organisation's name or a portal's block starts with.
_NOT_FIRST = {"ban", "tổ", "hội", "đảng", "ubnd", "hđnd", "mttq", "quận", "huyện", "tỉnh", "phường", "xã", "phòng",
              "trung", "cổng", "trang", "báo", "đài", "sở", "bộ", "văn", "thành", "thị", "chi", "đoàn", "cục",
              "tin", "bài", "ảnh", "số", "lượt", "các", "những", "thông", "liên", "chuyên", "đồng", "đ/c"}


def _word_ok(word: str) -> bool:
    if not word or not word[0].isupper() or any(c.isdigit() for c in word):
        return False
    if _INITIALS.fullmatch(word):
        return True
    rest = word[1:]
    return not rest or rest.islower() or rest.isupper()


def byline(text: str) -> Optional[str]:
    """The author's name if `text` is a byline: 2-5 capitalised words ('PHẠM HẢO', 'Minh Anh (TTVH)')."""
    text = _PREFIX.sub("", text.strip()).rstrip(". ")
    name = _ORG_TAIL.sub("", text)
    words = name.split()
    if not 2 <= len(words) <= 5 or words[0].lower() in _NOT_FIRST or not all(map(_word_ok, words)):
        return None
    return text


def source(text: str) -> Optional[str]:
    """'(Nguồn: Tổ DLXH)' or 'Theo Báo Hà Nội mới' -> who the text comes from."""
    m = SOURCE.match(text.strip()) or THEO.match(text.strip())
    who = m.group("who").strip() if m else ""
    return who if who and who[0].isupper() else None


DATELINE = re.compile(r"^\(\s*([A-ZĐ][A-ZĐa-z&]{1,11})\s*\)\s*[-–—]")


def take(article: Article) -> None:
    """Move the byline and the source from the end of the text to the article's fields."""
    blocks = article.blocks
    lead = next((b for b in blocks if b.kind == PARAGRAPH), None)
    tag = DATELINE.match(lead.text) if lead else None
    if tag:
        article.review.append(f"Đoạn đầu mở bằng “({tag.group(1)})”, thường là tên viết tắt của nguồn tin: "
                              "điền vào source nếu biết tên đầy đủ.")
    last_prose = max((i for i, b in enumerate(blocks) if b.kind in (PARAGRAPH, ITEM) and not is_short(b.text)),
                     default=-1)
    taken: list[int] = []
    for i in range(last_prose + 1, len(blocks)):
        block = blocks[i]
        if block.kind == FIGURE and block.src:
            if taken:
                break
            continue
        who = source(block.text) if not article.source else None
        name = byline(block.text) if not article.author and not who else None
        if who:
            article.source = who
            article.note("source", who, block.text)
        elif name:
            article.author = name
            article.note("author", name, block.text)
        elif taken:
            break
        else:
            continue
        taken.append(i)
    if not taken:
        return
    dropped = [b.text or b.src for b in blocks[taken[-1] + 1:]]
    if dropped:
        article.review.append("Đã bỏ phần sau dòng tác giả, nguồn (của trang cũ, không thuộc bài): "
                              + " | ".join(dropped[:6]) + (" …" if len(dropped) > 6 else ""))
    article.blocks = [b for i, b in enumerate(blocks[:taken[-1] + 1]) if i not in taken]
