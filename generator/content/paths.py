"""Where content may point: files inside the content folder, of the kinds a portal publishes.

A content folder takes files from many hands (editors, an import, a web editor), so a
path written in a bulletin, and every file the build reads, is resolved here first:
no symbolic link may lead outside the content folder (to /etc/passwd, to the build's
environment in /proc), no path may climb above it, and only photos and office documents
are published, each checked to be what its name says (a `.pdf` that is a web page is not
a PDF).  SVG is not published: it can carry script, and no sanitiser is trusted with it;
photos are published as JPEG, PNG, WebP or GIF.
"""
from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import unquote, urlsplit

PHOTOS = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
# What a document's file may be, with the bytes such a file starts with.
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ATTACHMENTS = {".pdf": (b"%PDF-",), ".doc": (_OLE,), ".xls": (_OLE,), ".ppt": (_OLE,),
               ".docx": (_ZIP,), ".xlsx": (_ZIP,), ".pptx": (_ZIP,), ".odt": (_ZIP,), ".ods": (_ZIP,),
               ".odp": (_ZIP,), ".rtf": (b"{\\rtf",)}
PUBLISHED = PHOTOS | set(ATTACHMENTS)
FILE_LIMIT = 50 << 20           # a photo or a document larger than this is a mistake


class Refusal(Exception):
    """Why a path or a file is refused: a message key of errors.py and what to show in it."""

    def __init__(self, key: str, value: str = ""):
        super().__init__(key, value)
        self.key, self.value = key, value


def site_path(reference: str) -> Optional[str]:
    """The content path a reference names ('/media/2022/a.jpg' or 'media/2022/a.jpg' -> 'media/2022/a.jpg').

    Raises Refusal for what may not name a content file: a scheme (http:, data:, javascript:),
    another host, a path climbing above the site, a query or a backslash; None for '#anchor'."""
    text = reference.strip()
    if not text or text.startswith("#"):
        return None
    parts = urlsplit(text)
    if parts.scheme or parts.netloc or text.startswith("//"):
        raise Refusal("ref.scheme", text)
    if parts.query or "\\" in text:
        raise Refusal("ref.shape", text)
    path = unquote(parts.path)
    segments = path.strip("/").split("/")
    if any(s in ("", ".", "..") for s in segments):
        raise Refusal("ref.climb", text)
    return posixpath.join(*segments)


def resolve(root: Path, rel: str) -> Path:
    """The file at `rel` inside `root`, following links only while they stay inside; raises Refusal."""
    base = Path(os.path.realpath(root))
    path = Path(root) / rel
    try:
        real = Path(os.path.realpath(path, strict=True))
    except (OSError, RuntimeError):       # missing, a dangling link, a loop
        if path.is_symlink():
            raise Refusal("file.dangling", rel) from None
        raise Refusal("file.missing", rel) from None
    if base not in real.parents:
        raise Refusal("file.outside", rel)
    if not real.is_file():
        raise Refusal("file.not_file", rel)
    return real


def publishable(root: Path, rel: str) -> Path:
    """A content file that may be published as it is: inside, of a published kind, what it says it is."""
    suffix = posixpath.splitext(rel)[1].lower()
    if suffix not in PUBLISHED:
        raise Refusal("file.kind", rel)
    real = resolve(root, rel)
    size = real.stat().st_size
    if size > FILE_LIMIT:
        raise Refusal("file.size", rel)
    starts = ATTACHMENTS.get(suffix)
    if starts:
        with open(real, "rb") as fh:
            head = fh.read(16)
        if not any(head.startswith(s) for s in starts):
            raise Refusal("file.content", rel)
    return real


def walk(root: Path, folder: str) -> Iterator[tuple[str, Optional[Refusal]]]:
    """(path relative to root, None or why it is refused) of every file under `folder`, links
    included: a link that leads outside, dangles or loops is named rather than followed."""
    base = Path(root) / folder
    if not base.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(base):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        kept = []
        for d in sorted(dirnames):
            if d.startswith("."):
                continue
            if os.path.islink(os.path.join(dirpath, d)):
                yield f"{rel_dir}/{d}", Refusal("file.link_folder", f"{rel_dir}/{d}")
                continue
            kept.append(d)
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            rel = f"{rel_dir}/{name}"
            try:
                resolve(root, rel)
                yield rel, None
            except Refusal as refusal:
                yield rel, refusal
