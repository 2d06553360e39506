"""What an import did, for the editor who reviews it: printed, or as JSON for tools.

Each bulletin written is listed with every field read and the words it was
read from, and with what needs a human look; then what was imported before
(and so left alone), what could not be written and why.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..schema import FIELDS
from .article import Evidence

EXTRA_LABELS = {"section": "Chuyên mục trên trang cũ"}


def label(name: str) -> str:
    model, _, key = name.rpartition(".")
    table = FIELDS["Meeting"] if model == "meeting" else FIELDS["FrontMatter"]
    return EXTRA_LABELS.get(name) or table.get(key, (name,))[0]


def shown(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else str(value)


def where(address: str) -> str:
    """A source as the editor typed it: a file under the current folder relative to it."""
    path = Path(address)
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            pass
    return address


@dataclass
class Written:
    path: str
    imported_from: str
    title: str
    found: list[Evidence] = field(default_factory=list)
    photos: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)


@dataclass
class Report:
    written: list[Written] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)   # (source, the bulletin it became)
    not_written: list[tuple[str, str]] = field(default_factory=list)  # (source, why)
    passed: int = 0                                                   # pages that are not articles
    left_out: dict[str, int] = field(default_factory=dict)            # WordPress: drafts, pages...
    errors: list[str] = field(default_factory=list)                   # nothing was written because of these

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.not_written)

    def as_dict(self) -> dict:
        return {
            "written": [{"path": w.path, "imported_from": w.imported_from, "title": w.title,
                         "fields": [{"field": e.field, "value": shown(e.value), "from": e.sentence,
                                     **({"note": e.note} if e.note else {})} for e in w.found],
                         "photos": w.photos, "review": w.review} for w in self.written],
            "already_imported": [{"imported_from": s, "path": p} for s, p in self.unchanged],
            "not_written": [{"source": s, "reason": r} for s, r in self.not_written],
            "not_articles": self.passed,
            "left_out": self.left_out,
            "errors": self.errors,
        }

    def json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def text(self) -> str:
        if self.errors:
            return "\n".join(["Lỗi, chưa ghi tệp nào:"] + [f"  - {e}" for e in self.errors])
        out = []
        for w in self.written:
            out.append(f"Đã ghi {w.path} (bản nháp), từ {where(w.imported_from)}")
            for e in w.found:
                note = f" [{e.note}]" if e.note else ""
                source = e.sentence if len(e.sentence) <= 160 else e.sentence[:157] + "…"
                out.append(f"  {label(e.field)}: {shown(e.value)}{note}  ← “{source}”")
            for photo in w.photos:
                out.append(f"  Ảnh: {photo}")
            if w.review:
                out.append("  Cần xem lại:")
                out += [f"    - {r}" for r in w.review]
        for source, path in self.unchanged:
            out.append(f"Đã nhập trước đây, không ghi lại: {where(source)} → {path}")
        for source, why in self.not_written:
            out.append(f"Không ghi: {where(source)}: {why}" if source else f"Không ghi: {why}")
        if self.passed:
            out.append(f"Bỏ qua {self.passed} trang không phải bài viết (trang danh sách, trang chủ...).")
        for key, n in sorted(self.left_out.items()):
            what = {"page": "trang tĩnh", "draft": "bài nháp", "private": "bài riêng tư", "trash": "bài đã xóa",
                    "pending": "bài chờ duyệt", "future": "bài hẹn giờ", "nav_menu_item": "mục trình đơn"}.get(key, key)
            out.append(f"Tệp xuất WordPress: bỏ qua {n} {what} (không phải bài đã đăng).")
        if not self.written and self.unchanged and not self.not_written:
            out.append(f"Không có gì mới: cả {len(self.unchanged)} bài đã được nhập trước đây, không ghi tệp nào.")
        else:
            out.append(f"Tổng: {len(self.written)} bài mới (bản nháp), {len(self.unchanged)} bài đã có, "
                       f"{len(self.not_written)} không ghi được.")
        return "\n".join(out)

