"""What a bulletin shows or links to of the content folder: its cover, and every image and
file link of its body, each with the line an editor wrote it on.

A page may not make a reader's browser ask another host, run a `javascript:` link or
show a `data:` image, and every photo and attachment it shows must be a file of the
content folder (paths.py says which files are): so each reference is checked before
anything is built, and a missing photo is an error at its line, not a broken image.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Iterator, Optional
from urllib.parse import urlsplit

from .paths import MEDIA, Refusal, site_path

LINK_SCHEMES = {"http", "https", "mailto", "tel"}
_DESTINATION = r"\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)"      # one level of brackets, as Markdown allows
_IMAGE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]" + _DESTINATION)
_LINK = re.compile(r"(?<!!)\[(?:[^\]\\]|\\.)*\]" + _DESTINATION)
_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_HTML_LINK = re.compile(r"<a\b[^>]*?\bhref\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_CODE_SPAN = re.compile(r"`+[^`]*`+")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


@dataclass(frozen=True)
class Reference:
    """One thing a bulletin points at: `kind` is 'cover', 'image' or 'link'; `path` the content
    path it names, or '' for a link elsewhere (another site, a page of this one)."""

    line: int
    field: str            # 'image' for the cover, 'body' for the text
    kind: str
    target: str           # as written
    path: str = ""


def in_body(body: str, first_line: int) -> Iterator[tuple[int, str, str]]:
    """(line, kind, target) of every image and link of a Markdown body, code left out."""
    fenced = False
    for number, line in enumerate(body.split("\n"), start=first_line):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or line.startswith("    ") or ("](" not in line and "<" not in line and "]:" not in line):
            continue
        line = _CODE_SPAN.sub("", line) if "`" in line else line
        for pattern, kind in ((_IMAGE, "image"), (_HTML_IMAGE, "image"), (_LINK, "link"), (_HTML_LINK, "link"),
                              (_DEFINITION, "link")):
            for m in pattern.finditer(line):
                yield number, kind, m.group(1)


def check(line: int, field: str, kind: str, target: str) -> Reference:
    """The reference, with the content path it names; raises Refusal when it may not be shown.

    A link to another site or to a page keeps no path; a link that names a file (it has a
    file's suffix) keeps one, for the reader to check that the file is there and may be
    published."""
    text = target.strip()
    if kind == "link":
        scheme = urlsplit(text).scheme.lower()
        if not text or text.startswith(("#", "//")) or scheme in LINK_SCHEMES:
            return Reference(line, field, kind, target)
        if scheme:
            raise Refusal("ref.scheme", target)
        try:
            path = site_path(text) or ""
        except Refusal:
            return Reference(line, field, kind, target)     # a page link of some other shape
        return Reference(line, field, kind, target, path if posixpath.splitext(path)[1] else "")
    path: Optional[str] = site_path(text)
    if not path:
        raise Refusal("ref.shape", target)
    return Reference(line, field, kind, target, path)


# The files a cited document may carry: what offices send and readers open.
ATTACHMENT_KINDS = {".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".odt": "OpenDocument"}


def attachment(line: int, field: str, target: str) -> Reference:
    """A document's file, which must be a PDF, DOC, DOCX or ODT under media/; raises Refusal."""
    path = site_path(target.strip())
    if not path:
        raise Refusal("ref.shape", target)
    if posixpath.splitext(path)[1].lower() not in ATTACHMENT_KINDS:
        raise Refusal("attachment.kind", target)
    if not path.startswith(MEDIA):
        raise Refusal("attachment.folder", target)
    return Reference(line, field, "link", target, path)
