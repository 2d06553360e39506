"""Files published as they are: the theme's assets, the content's files that pages use, photo copies.

Only what a page or a feed refers to is published: a photo's resized copies, its original
where pages or feeds show it, an attachment a bulletin links to; nothing else of `content/`.
Each comes through paths.py, so that no file outside the content folder, and no kind of
file that could run in a reader's browser, is ever copied into the site.
"""
from __future__ import annotations

import posixpath
from typing import Iterable

from .config import Settings
from .content.paths import PHOTOS, ContentFiles, Refusal
from .images import Photos
from .theme import Theme
from .views.base import Asset


def content_files(settings: Settings, items: Iterable, photos: Photos) -> list[Asset]:
    """The content's own files that bulletins and pages use, at their own paths.

    A photo's original is published when pages offer it (it is small enough, or no copy was
    made) or when it is a cover (feeds show covers as they are); its copies come from `photos`."""
    wanted: dict[str, bool] = {}
    for item in items:
        for ref in item.references:
            if ref.path:
                wanted[ref.path] = wanted.get(ref.path, False) or ref.kind == "cover"
    content = ContentFiles(settings.content_dir)
    out = []
    for path, cover in sorted(wanted.items()):
        photo = photos.at(path) if posixpath.splitext(path)[1].lower() in PHOTOS else None
        if photo is not None and not cover and path not in {p for p, _ in photo.candidates} \
                and photo.fallback != path:
            continue
        try:
            out.append(Asset(path, source=content.publishable(path)))
        except Refusal:
            continue        # the reader said why, at the bulletin's line; nothing unchecked is published
    return out


def files(settings: Settings, theme: Theme, items: Iterable, photos: Photos) -> list[Asset]:
    out = [Asset(path, source=source) for path, source in theme.assets()]
    out += content_files(settings, items, photos)
    out += [Asset(path, source=copy) for path, copy in photos.files()]
    return out
