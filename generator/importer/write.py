"""Imported articles as bulletin files: front matter checked by the model, then Markdown.

Every bulletin is a draft (`draft: true`) for an editor to review, keeps the
address it came from (`imported_from`), and gets the old page's path as an
alias where a static host can serve one.  The folder is read first so that
an address imported before is never imported again and no two bulletins get
one address; a file is written only if it does not exist ('x' mode).
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Optional
from urllib.parse import unquote, urlsplit

import yaml
from pydantic import ValidationError

from ..content.models import FrontMatter
from ..content.reader import Reader, decode, load_yaml, split_front_matter
from ..vietnamese import slugify
from .article import FIGURE, HEADING, ITEM, Block

_LEADING = re.compile(r"^(#|>|[-+*](?=\s))")
_NUMBERED = re.compile(r"^(\d+)\.(?=\s)")
_INLINE = re.compile(r"([\\`*_\[\]])")
_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})")


def escape(text: str) -> str:
    """Text that Markdown shows as it is: no emphasis, link, HTML or list made of it."""
    text = _INLINE.sub(r"\\\1", text).replace("<", "&lt;")
    return _NUMBERED.sub(r"\1\\.", _LEADING.sub(r"\\\1", text))


def _title_attr(caption: str) -> str:
    """A caption for a Markdown image title: straight quotes turned curly (editors' guide, section 7)."""
    out, opening = [], True
    for ch in caption:
        if ch == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(ch)
    return "".join(out).replace("\\", "/")


def _alt(caption: str, limit: int = 120) -> str:
    """The caption as the photo's text for screen readers, cut at a word when long."""
    short = caption if len(caption) <= limit else caption[:limit].rsplit(" ", 1)[0] + "…"
    return _INLINE.sub(r"\\\1", short)


def figure(path: str, caption: str) -> str:
    title = f' "{_title_attr(caption)}"' if caption else ""
    return f"![{_alt(caption)}]({path}{title})"


def body(blocks: list[Block], photos: dict[int, str]) -> str:
    """Markdown of the blocks; a photo that could not be kept leaves its caption in italics."""
    out: list[str] = []
    for i, block in enumerate(blocks):
        if block.kind == FIGURE:
            if i in photos:
                out.append(figure(photos[i], block.text))
            elif block.text:
                out.append(f"*{escape(block.text)}*")
        elif block.kind == ITEM:
            line = f"- {escape(block.text)}"
            if out and out[-1].startswith("- ") and blocks[i - 1].kind == ITEM:
                out[-1] += "\n" + line
            else:
                out.append(line)
        elif block.kind == HEADING:
            out.append(f"### {escape(block.text)}")
        else:
            out.append(escape(block.text))
    return "\n\n".join(out) + "\n"


# --------------------------------------------------------------- what the folder already holds

@dataclass
class Existing:
    imported: dict[str, str] = field(default_factory=dict)     # imported_from -> file (relative)
    urls: set[str] = field(default_factory=set)                # '2022/11/slug'
    aliases: set[str] = field(default_factory=set)


def existing(content_dir: Path) -> Existing:
    """What the bulletins already say: their sources, addresses and aliases (unreadable files skipped)."""
    found = Existing()
    for path in Reader(content_dir).bulletin_paths():
        try:
            text = decode(path.read_bytes())
            head = text if path.suffix.lower() in (".yml", ".yaml") else (split_front_matter(text) or ("",))[0]
            data = load_yaml(head).data
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if not isinstance(data, dict):
            continue
        if data.get("imported_from"):
            found.imported[str(data["imported_from"]).strip()] = path.relative_to(content_dir.parent).as_posix()
        m = _DATE.match(str(data.get("date", "")))
        slug = str(data.get("slug") or slugify(str(data.get("title", ""))) or "")
        if m and slug:
            found.urls.add(f"{int(m.group(1)):04d}/{int(m.group(2)):02d}/{slug}")
        found.aliases.update(str(a) for a in data.get("aliases") or [])
    return found


def free_slug(title: str, when: datetime, taken: Existing, content_dir: Path) -> str:
    base = slugify(title, max_length=60) or "bai-nhap"
    slug, n = base, 2
    while (f"{when.year:04d}/{when.month:02d}/{slug}" in taken.urls
           or any((content_dir / "bulletins" / f"{when.year:04d}" / f"{slug}{s}").exists() for s in (".md", ".yml"))):
        slug, n = f"{base}-{n}", n + 1
    return slug


def alias(old_url: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """(the old page's path as an alias, or None; why not, for the report)."""
    if not old_url:
        return None, None
    parts = urlsplit(old_url)
    if parts.query:
        return None, (f"Địa chỉ cũ {old_url} có chuỗi truy vấn (?{parts.query}): máy chủ web tĩnh không chuyển "
                      "hướng được địa chỉ này (cần đặt chuyển hướng ở máy chủ).")
    path = unquote(parts.path)
    if path in ("", "/"):
        return None, None
    clean = posixpath.normpath(path) + ("/" if path.endswith("/") else "")
    if ".." in path.split("/") or not clean.startswith("/") or "\\" in path or any(ord(c) < 32 for c in path):
        return None, f"Địa chỉ cũ {old_url} không dùng làm địa chỉ chuyển hướng được."
    return clean, None


def front_matter(fields: dict, tz) -> FrontMatter:
    """The model's check of what is about to be written (raises ValueError, worded by pydantic)."""
    try:
        return FrontMatter.model_validate(fields, context={"tz": tz})
    except ValidationError as exc:
        raise ValueError("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())) from None


def write(path: Path, fields: dict, markdown: str) -> None:
    head = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=10**6, default_flow_style=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as f:
        f.write(f"---\n{head}---\n\n{markdown}")
