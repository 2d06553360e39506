"""Files published as they are: the theme's assets, the content's files that pages use, photo copies.

Only what a page or a feed refers to is published: a photo's resized copies, its original
where pages or feeds show it, an attachment a bulletin links to; nothing else of `content/`.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from .config import Settings
from .content.models import Bulletin
from .images import Photos
from .theme import Theme
from .views.base import Asset

# What a body refers to: links, images and their candidate copies.
_REFERENCE = re.compile(r'\b(?:src|href)="([^"]+)"|\bsrcset="([^"]+)"')


def referenced(bulletins: Iterable[Bulletin], photos: Photos) -> set[str]:
    """Site paths the bulletins refer to: covers (shown in feeds as they are) and what bodies link or show."""
    found: set[str] = set()
    for b in bulletins:
        sources = [b.meta.image] if b.meta.image else []
        for m in _REFERENCE.finditer(b.body_html):
            if m.group(1):
                sources.append(m.group(1))
            else:
                sources += [candidate.split()[0] for candidate in m.group(2).split(",") if candidate.split()]
        for src in sources:
            path = photos.site_path(src)
            if path:
                found.add(path)
    return found


def content_files(settings: Settings, bulletins: Iterable[Bulletin], photos: Photos) -> list[Asset]:
    """The content's own files that bulletins use, at their own paths (copies come from `photos`)."""
    root = Path(settings.content_dir)
    out = []
    for path in sorted(referenced(bulletins, photos)):
        source = root / path
        if source.is_file():
            out.append(Asset(path, source=source))
    return out


def files(settings: Settings, theme: Theme, bulletins: Iterable[Bulletin], photos: Photos) -> list[Asset]:
    out = [Asset(path, source=source) for path, source in theme.assets()]
    out += content_files(settings, bulletins, photos)
    out += [Asset(path, source=copy) for path, copy in photos.files()]
    return out
