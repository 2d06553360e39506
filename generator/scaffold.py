"""New bulletins for `bantin new`: every field of the kind, explained in Vietnamese.

An editor who is not a programmer starts from a file that already passes
`bantin check`: the required fields are filled with the site's own keys, the
optional ones are present but empty, and a comment above each says what to
write.  The first comment line points the editor's YAML language server at the
schema (see schema.py), by a path relative to the file so that it works
offline.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Optional, Sequence

import yaml

from . import schema
from .content.models import KIND_LABELS, KIND_MEETING, KIND_NEWS, KIND_OPINION
from .content.reader import SiteData
from .vietnamese import nfc, slugify

KINDS = (KIND_MEETING, KIND_OPINION, KIND_NEWS)
SCHEDULE = "schedule"      # `bantin new schedule`: a week of work, or (--reception) citizen-reception days
# A category whose key holds this is the natural home of the kind.
CATEGORY_HINTS = {KIND_OPINION: "du-luan", KIND_NEWS: "tin-tuc"}
SHOWN_CHOICES = 12  # keys listed in a comment; the rest are in the .yml file
BODY = "Viết nội dung bài ở đây. Để trống một dòng giữa hai đoạn văn."


class ScaffoldError(ValueError):
    """A request `bantin new` cannot fulfil, worded for the editor."""


@dataclass
class NewBulletin:
    kind: str
    title: str
    date: datetime
    category: str
    unit: str
    topics: Sequence[str] = ()
    yml: bool = False          # a .yml file (body in the YAML) instead of .md

    @property
    def slug(self) -> str:
        return slugify(self.title)


def _scalar(value) -> str:
    """One YAML scalar as an editor would write it, quoted only when it must be."""
    if value is None:
        return ""
    text = yaml.safe_dump(value, allow_unicode=True, width=10**6, default_flow_style=True)
    return text.removesuffix("\n...\n").strip()


def _choices(known: dict) -> str:
    keys = list(known)
    shown = ", ".join(keys[:SHOWN_CHOICES])
    return shown + (f", ... ({len(keys)} mã)" if len(keys) > SHOWN_CHOICES else "")


class _Lines:
    """Commented YAML, one field at a time."""

    def __init__(self):
        self.lines: list[str] = []

    def comment(self, text: str, indent: int = 0) -> None:
        self.lines.append(" " * indent + "# " + text)

    def field(self, model: str, name: str, value: str, indent: int = 0, extra: str = "") -> None:
        label, help_text = schema.FIELDS[model][name]
        self.comment(help_text + (" " + extra if extra else ""), indent)
        self.lines.append(f"{' ' * indent}{name}:{(' ' + value) if value else ''}")

    def listing(self, model: str, name: str, example: Sequence[str], indent: int) -> None:
        self.field(model, name, "[]", indent)
        self.comment('Ví dụ (xóa "[]" ở dòng trên rồi bỏ dấu "# " ở các dòng dưới):', indent)
        for line in example:
            self.lines.append(" " * indent + "# " + line)


def front_matter(new: NewBulletin, data: SiteData, schema_ref: str) -> list[str]:
    """The commented YAML of a new bulletin of its kind."""
    when = new.date.strftime("%Y-%m-%d %H:%M")
    out = _Lines()
    out.lines.append(f"# yaml-language-server: $schema={schema_ref}")
    out.comment(f"Bài mới: {KIND_LABELS[new.kind]}. Dòng bắt đầu bằng # là ghi chú, có thể xóa. "
                "Kiểm tra: bantin check; xem thử: bantin serve.")
    out.field("FrontMatter", "title", _scalar(new.title))
    out.field("FrontMatter", "date", when)
    out.field("FrontMatter", "category", new.category, extra=f"Một trong: {_choices(data.categories)}.")
    out.field("FrontMatter", "unit", new.unit, extra=f"Một trong: {_choices(data.units)}.")
    topics_extra = f"Có sẵn: {_choices(data.topics)}." if data.topics else ""
    out.field("FrontMatter", "topics", "[" + ", ".join(new.topics) + "]", extra=topics_extra)
    for name in ("summary", "author", "source", "image", "caption"):
        out.field("FrontMatter", name, "")
    out.field("FrontMatter", "slug", new.slug)
    out.field("FrontMatter", "draft", "true")
    out.field("FrontMatter", "updated", "")
    out.field("FrontMatter", "aliases", "[]")
    out.field("FrontMatter", "imported_from", "")
    if new.kind == KIND_MEETING:
        out.field("FrontMatter", "meeting", "")
        out.field("Meeting", "start", when, 2)
        out.field("Meeting", "end", "", 2)
        out.field("Meeting", "location", "", 2)
        out.field("Meeting", "format", "hội nghị", 2)
        person = ["- name: Nguyễn Văn A", "  role: Bí thư Đảng ủy phường"]
        out.listing("Meeting", "chairs", person, 2)
        out.listing("Meeting", "guests", person, 2)
        out.field("Meeting", "participants", "", 2)
        out.field("Meeting", "contributions", "", 2)
        out.listing("Meeting", "documents", ["- number: 334-QĐ/QU", "  date: 2021-11-26",
                                             "  title: Kiện toàn Tổ cộng tác viên dư luận xã hội"], 2)
        out.listing("Meeting", "conclusions", ["- Ý kết luận thứ nhất", "- Ý kết luận thứ hai"], 2)
    if new.kind == KIND_OPINION:
        out.field("FrontMatter", "opinion", "")
        out.field("Opinion", "period", new.date.strftime("%Y-%m"), 2)
        out.field("Opinion", "network", "", 2)
        out.field("Opinion", "reports", "", 2)
        out.listing("Opinion", "concerns", [
            "- title: Trật tự đô thị",
            "  topic: trat-tu-do-thi",
            "  summary: Ý kiến phản ánh về tình trạng lấn chiếm vỉa hè.",
            "  response:",
            "    agency: UBND phường",
            "    status: pending",
            "    answer:",
        ], 2)
        out.listing("Opinion", "recommendations", ["- Kiến nghị thứ nhất"], 2)
    return out.lines


def render(new: NewBulletin, data: SiteData, schema_ref: str) -> str:
    head = front_matter(new, data, schema_ref)
    if new.yml:
        label, help_text = schema.FIELDS["FrontMatter"]["body"]
        return "\n".join(head + [f"# {help_text}", "body: |", f"  {BODY}", ""])
    return "\n".join(["---", *head, "---", "", BODY, ""])


def default_key(known: dict, hint: Optional[str] = None) -> str:
    for key in known:
        if hint and hint in key:
            return key
    return next(iter(known), "")


def resolve(kind: str, title: str, date: datetime, data: SiteData, *, category: Optional[str] = None,
            unit: Optional[str] = None, topics: Sequence[str] = (), yml: bool = False) -> NewBulletin:
    """Check the request against the site's data and fill in what the editor left out."""
    if kind not in KINDS:
        raise ScaffoldError(f"loại bài {kind!r} không có (chọn một trong: {', '.join(KINDS)})")
    title = " ".join(nfc(title).split())
    if not slugify(title):
        raise ScaffoldError("tiêu đề phải có ít nhất một chữ hoặc số")
    category = category or default_key(data.categories, CATEGORY_HINTS.get(kind))
    unit = unit or default_key(data.units)
    for name, value, known, file in (("chuyên mục", category, data.categories, "categories.yml"),
                                     ("đơn vị", unit, data.units, "units.yml")):
        if not value:
            raise ScaffoldError(f"chưa khai báo {name} nào trong {file}")
        if value not in known:
            raise ScaffoldError(f"{name} {value!r} chưa được khai báo (một khóa trong {file}: {_choices(known)})")
    return NewBulletin(kind, title, date, category, unit, tuple(topics), yml)


def target(content_dir: Path, new: NewBulletin) -> Path:
    """content/bulletins/<year>/<slug>.md: the year of publication, the slug of the title."""
    suffix = ".yml" if new.yml else ".md"
    return content_dir / "bulletins" / f"{new.date.year:04d}" / f"{new.slug}{suffix}"


def create(content_dir: Path, new: NewBulletin, data: SiteData) -> Path:
    """Write the new bulletin; never over an existing one (of either suffix)."""
    path = target(content_dir, new)
    for existing in (path.with_suffix(s) for s in (".md", ".markdown", ".yml", ".yaml")):
        if existing.exists():
            raise FileExistsError(existing)
    schema_ref = os.path.relpath(content_dir / schema.SITE_PATH, path.parent).replace(os.sep, "/")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as f:  # 'x': a file that appeared meanwhile is kept
        f.write(render(new, data, schema_ref))
    return path


# ------------------------------------------------------------------ schedules (content/schedules/)

def schedule_text(title: str, unit: str, first_day: date, reception: bool, data: SiteData, schema_ref: str) -> str:
    """A new schedule file: every field explained, one entry per working day of the week to fill in."""
    out = _Lines()
    out.lines.append(f"# yaml-language-server: $schema={schema_ref}")
    out.comment(f"Lịch mới: {'lịch tiếp công dân' if reception else 'lịch công tác tuần'}. Dòng bắt đầu bằng # là "
                "ghi chú, có thể xóa. Kiểm tra: bantin check; xem thử: bantin serve.")
    out.field("ScheduleMatter", "kind", "reception" if reception else "work")
    out.field("ScheduleMatter", "unit", unit, extra=f"Một trong: {_choices(data.units)}.")
    out.field("ScheduleMatter", "title", _scalar(title))
    out.field("ScheduleMatter", "entries", "")
    days = [first_day] if reception else [first_day + timedelta(days=i) for i in range(5)]
    for i, day in enumerate(days):
        out.lines.append(f"  - day: {day.isoformat()}")
        if i == 0:
            for name, value in (("time", '"08:00"'), ("end", '"11:30"')):
                out.field("ScheduleEntry", name, value, 4)
            out.field("ScheduleEntry", "title", "Nội dung công việc" if not reception else "Lãnh đạo tiếp công dân định kỳ", 4)
            for name in ("chair", "location", "participants"):
                out.field("ScheduleEntry", name, "", 4)
        else:
            out.lines += ['    time: "08:00"', "    title: Nội dung công việc"]
    return "\n".join(out.lines + [""])


def schedule_target(content_dir: Path, title: str, first_day: date) -> Path:
    """content/schedules/<year>/<slug>.yml."""
    return content_dir / "schedules" / f"{first_day.year:04d}" / f"{slugify(title) or 'lich'}.yml"


def create_schedule(content_dir: Path, title: str, unit: str, first_day: date, reception: bool,
                    data: SiteData) -> Path:
    """Write the new schedule; never over an existing file."""
    title = " ".join(nfc(title).split())
    if not slugify(title):
        raise ScaffoldError("tên lịch phải có ít nhất một chữ hoặc số")
    unit = unit or default_key(data.units)
    if unit not in data.units:
        raise ScaffoldError(f"đơn vị {unit!r} chưa được khai báo (một khóa trong units.yml: {_choices(data.units)})")
    path = schedule_target(content_dir, title, first_day)
    schema_ref = os.path.relpath(content_dir / schema.SCHEDULE_SITE_PATH, path.parent).replace(os.sep, "/")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as f:
        f.write(schedule_text(title, unit, first_day, reception, data, schema_ref))
    return path
