"""Which unit and category each imported article goes to: flags, or a mapping file.

    # mapping.yml
    unit: phuong-ngoc-thuy            # for every article (a flag --unit wins)
    category: tin-tuc-su-kien         # for an article whose section is not listed below
    sections:                         # the old portal's section -> a category key, or category and unit
      Hoạt động các phường: hoat-dong-cac-phuong
      Đảng - đoàn thể: {category: dang-doan-the, unit: quan-long-bien}

Sections are matched however they are spaced and accented ("Đảng đoàn thể" is
"Đảng - đoàn thể").  Every key is checked against units.yml and
categories.yml before anything is written, and so is every article.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import yaml

from ..content.reader import SiteData
from ..vietnamese import slugify


class MappingError(ValueError):
    """A mapping that cannot be used, worded for the editor."""


@dataclass
class Targets:
    unit: Optional[str] = None
    category: Optional[str] = None
    forced_category: bool = False        # --category: for every article, whatever its section
    sections: dict[str, tuple[Optional[str], Optional[str]]] = field(default_factory=dict)  # slug -> (category, unit)
    names: dict[str, str] = field(default_factory=dict)                                       # slug -> as written


def load(path: Optional[Path], unit: Optional[str], category: Optional[str]) -> Targets:
    targets = Targets()
    if path is not None:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise MappingError(f"không đọc được tệp ánh xạ {path}: {exc}") from None
        if not isinstance(data, dict):
            raise MappingError(f"{path}: cần các mục unit:, category:, sections:")
        unknown = set(data) - {"unit", "category", "sections"}
        if unknown:
            raise MappingError(f"{path}: mục không biết: {', '.join(sorted(map(str, unknown)))} "
                               "(các mục hợp lệ: unit, category, sections)")
        targets.unit, targets.category = data.get("unit"), data.get("category")
        for name, value in (data.get("sections") or {}).items():
            if isinstance(value, dict):
                pair = (value.get("category"), value.get("unit"))
            elif isinstance(value, str):
                pair = (value, None)
            else:
                raise MappingError(f"{path}: sections: {name}: cần một mã chuyên mục, hoặc category: và unit:")
            targets.sections[slugify(str(name))] = pair
            targets.names[slugify(str(name))] = str(name)
    if unit:
        targets.unit = unit
    if category:
        targets.category, targets.forced_category = category, True
    return targets


def check(targets: Targets, data: SiteData) -> list[str]:
    """Keys the site does not declare, one message each."""
    problems = []
    keys = [("đơn vị", targets.unit, data.units, "units.yml"), ("chuyên mục", targets.category, data.categories,
                                                                "categories.yml")]
    for slug, (category, unit) in targets.sections.items():
        keys += [("chuyên mục", category, data.categories, "categories.yml"), ("đơn vị", unit, data.units, "units.yml")]
    for what, key, known, file in keys:
        if key and key not in known:
            problems.append(f"{what} {key!r} chưa khai báo trong {file} (có: {', '.join(known)})")
    return problems


def resolve(targets: Targets, section: Optional[str]) -> tuple[Optional[str], Optional[str], str]:
    """(unit, category, how the category was chosen) for an article from `section`."""
    listed = targets.sections.get(slugify(section)) if section else None
    unit = (listed[1] if listed and listed[1] else None) or targets.unit
    if targets.forced_category:
        return unit, targets.category, "--category"
    if listed and listed[0]:
        return unit, listed[0], f"chuyên mục cũ “{section}”"
    return unit, targets.category, "mặc định của tệp ánh xạ" if targets.category else ""
