"""Member sites for the federation tests: small content folders, built by the real core."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from conftest import ROOT

CATEGORIES = [{"key": "tin-tuc", "name": "Tin tức"}, {"key": "du-luan-xa-hoi", "name": "Dư luận xã hội"}]
TOPICS = [{"key": "moi-truong", "name": "Môi trường"}, {"key": "an-sinh-xa-hoi", "name": "An sinh xã hội"}]


def bulletin(unit: str, name: str, day: int, word: str, concern: str = "", hour: int = 8, month: int = 5) -> str:
    """A news bulletin with a meeting record, and with an opinion summary when `concern` is given."""
    matter = {
        "title": f"Hội nghị {word} của {name}", "date": f"2024-{month:02d}-{day:02d} {hour:02d}:00",
        "category": "du-luan-xa-hoi" if concern else "tin-tuc", "unit": unit, "topics": ["moi-truong"],
        "summary": f"{name} tổ chức hội nghị {word} với nhân dân.",
        "meeting": {"start": f"2024-{month:02d}-{day:02d} 08:00", "location": f"Hội trường {name}", "format": "hội nghị",
                    "chairs": [{"name": f"Chủ tọa {word}", "role": "Bí thư"}],
                    "documents": [{"number": f"{day}-QĐ/ĐU", "title": "Quyết định thành lập tổ"}]},
    }
    if concern:
        matter["opinion"] = {"period": "2024-Q2", "network": 10, "reports": 12, "concerns": [
            {"topic": "an-sinh-xa-hoi", "title": concern, "response": {"agency": f"UBND {name}", "status": "in-progress"}}]}
    return "---\n" + yaml.safe_dump(matter, allow_unicode=True, sort_keys=False) + "---\n\nNội dung hội nghị.\n"


def member_project(dest: Path, site_url: str, units: list[dict], bulletins: list[str]) -> Path:
    """A project of one ward (or district): its units (with the one above it), the shared categories
    and topics, its bulletins."""
    content = dest / "content"
    (content / "bulletins").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    text = (dest / "mkdocs.yml").read_text(encoding="utf-8").replace("https://bantin.example.vn/", site_url)
    (dest / "mkdocs.yml").write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "theme_overrides", dest / "theme_overrides")
    (content / "units.yml").write_text(yaml.safe_dump(units, allow_unicode=True), encoding="utf-8")
    (content / "categories.yml").write_text(yaml.safe_dump(CATEGORIES, allow_unicode=True), encoding="utf-8")
    (content / "topics.yml").write_text(yaml.safe_dump(TOPICS, allow_unicode=True), encoding="utf-8")
    for n, text in enumerate(bulletins):
        (content / "bulletins" / f"tin-{n}.md").write_text(text, encoding="utf-8")
    return dest
