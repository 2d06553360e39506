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
MEDIA = "media/"                # where photos and documents' files are kept
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


class ContentFiles:
    """The files of one content folder, as one read sees them: each folder and file resolved once.

    A path is inside when no link on the way to it leads elsewhere: a folder's answer is kept,
    so that ten thousand bulletins in forty folders cost forty resolutions, not ten thousand."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.base = os.path.realpath(root)
        self._folders: dict[str, bool] = {"": True}      # folder (relative) -> inside, no link out
        self._published: dict[str, object] = {}          # rel -> Path, or the Refusal

    def _folder_inside(self, rel_dir: str) -> bool:
        known = self._folders.get(rel_dir)
        if known is None:
            real = os.path.realpath(os.path.join(self.root, rel_dir))
            known = self._folders[rel_dir] = real == self.base or real.startswith(self.base + os.sep)
        return known

    def resolve(self, rel: str) -> Path:
        """The file at `rel`, following links only while they stay inside; raises Refusal."""
        path = os.path.join(self.root, rel)
        if not os.path.islink(path) and self._folder_inside(posixpath.dirname(rel)):
            if os.path.isfile(path):
                return Path(path)
            raise Refusal("file.not_file" if os.path.exists(path) else "file.missing", rel)
        try:
            real = os.path.realpath(path, strict=True)
        except (OSError, RuntimeError):       # missing, a dangling link, a loop
            if os.path.islink(path):
                raise Refusal("file.dangling", rel) from None
            raise Refusal("file.missing", rel) from None
        if not real.startswith(self.base + os.sep):
            raise Refusal("file.outside", rel)
        if not os.path.isfile(real):
            raise Refusal("file.not_file", rel)
        return Path(real)

    def publishable(self, rel: str) -> Path:
        """A content file that may be published as it is: inside, of a published kind, what it says it is."""
        found = self._published.get(rel)
        if found is None:
            try:
                found = self._check(rel)
            except Refusal as refusal:
                found = refusal
            self._published[rel] = found
        if isinstance(found, Refusal):
            raise found
        return found

    def _check(self, rel: str) -> Path:
        suffix = posixpath.splitext(rel)[1].lower()
        if suffix not in PUBLISHED:
            raise Refusal("file.kind", rel)
        real = self.resolve(rel)
        if real.stat().st_size > FILE_LIMIT:
            raise Refusal("file.size", rel)
        starts = ATTACHMENTS.get(suffix)
        if starts:
            with open(real, "rb") as fh:
                head = fh.read(16)
            if not any(head.startswith(s) for s in starts):
                raise Refusal("file.content", rel)
        return real

    def walk(self, folder: str, skip: tuple[str, ...] = ()) -> Iterator[tuple[str, Optional[Refusal]]]:
        """(path relative to the root, None or why it is refused) of every file under `folder`
        (but the folders in `skip`), links included: a link that leads outside, dangles or loops
        is named rather than followed."""
        base = os.path.join(self.root, folder)
        if not os.path.isdir(base):
            return
        for dirpath, dirnames, filenames in os.walk(base):
            rel_dir = os.path.relpath(dirpath, self.root).replace(os.sep, "/")
            rel_dir = "" if rel_dir == "." else rel_dir
            kept = []
            for d in sorted(dirnames):
                rel = f"{rel_dir}/{d}" if rel_dir else d
                if d.startswith(".") or rel in skip:
                    continue
                if os.path.islink(os.path.join(dirpath, d)):
                    yield rel, Refusal("file.link_folder", rel)
                    continue
                kept.append(d)
            dirnames[:] = kept
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                rel = f"{rel_dir}/{name}" if rel_dir else name
                if not os.path.islink(os.path.join(dirpath, name)):
                    yield rel, None            # a file of a folder walked without following links: inside
                    continue
                try:
                    self.resolve(rel)
                    yield rel, None
                except Refusal as refusal:
                    yield rel, refusal
