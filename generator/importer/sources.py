"""From what an editor names on the command line to articles.

A SOURCE is a URL, a file or a folder.  A file is a feed, a WordPress export,
an HTML page, a list of URLs (a text file of nothing but URLs) or a plain
text, told apart by its content; a folder is walked at any depth, as a site
mirror leaves it, for pages, feeds, exports and texts.  A page without a
publication date and without a paragraph of running text (a listing, a home
page) is not an article, and is counted rather than imported.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from . import feeds, html, text, wxr
from .article import Article
from .clean import is_short
from .fetch import FetchError, Fetcher, decode, is_url

PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".aspx", ".asp", ".php", ".jsp", ".cfm")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
TEXT_SUFFIXES = (".txt",)
SKIPPED_FOLDERS = {".git", "node_modules", "__pycache__"}
_XML_HEAD = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.S)
_HTML_HEAD = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!doctype\s+html|<html|<head|<body|<div|<p\b)", re.I)


@dataclass
class Gathered:
    articles: list[Article] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)   # (source, why it could not be read)
    passed: list[str] = field(default_factory=list)        # read, but not an article


def _kind(name: str, raw: bytes, content_type: str = "") -> str:
    if wxr.is_export(raw):
        return "wxr"
    if _XML_HEAD.match(raw[:2000]) or any(t in content_type for t in ("rss", "atom")):
        return "feed"
    lower = name.lower().split("?", 1)[0]
    if _HTML_HEAD.match(raw[:2000]) or "html" in content_type or lower.endswith(PAGE_SUFFIXES):
        return "html"
    return "text"


def _url_list(raw: bytes) -> list[str]:
    """The URLs of a file that holds nothing else (comments with # allowed), or []."""
    try:
        lines = [line.strip() for line in decode(raw).splitlines()]
    except FetchError:
        return []
    lines = [line for line in lines if line and not line.startswith("#")]
    return lines if lines and all(is_url(line) and " " not in line for line in lines) else []


def _is_article(article: Article) -> bool:
    return bool(article.title) and any(not is_short(b.text) for b in article.paragraphs)


class Gatherer:
    def __init__(self, fetcher: Fetcher, tz: ZoneInfo):
        self.fetcher = fetcher
        self.tz = tz
        self.out = Gathered()
        self.left_out: dict[str, int] = {}

    def _add(self, articles: list[Article], name: str, listed: bool) -> None:
        for article in articles:
            if _is_article(article):
                self.out.articles.append(article)
            elif listed:
                self.out.problems.append((name, "không tìm thấy tiêu đề và đoạn văn nào của một bài viết"))
            else:
                self.out.passed.append(name)

    def _read(self, name: str, raw: bytes, *, remote: bool, root: str, content_type: str = "",
              listed: bool = True) -> None:
        """Read one source; whatever goes wrong in the parsers is this source's problem, not the import's."""
        try:
            self._parse(name, raw, remote=remote, root=root, content_type=content_type, listed=listed)
        except FetchError as exc:
            self.out.problems.append((name, str(exc)))
        except Exception as exc:     # noqa: BLE001 - third-party parsers on untrusted files: report, go on
            self.out.problems.append((name, f"không đọc được tệp này ({exc.__class__.__name__}: {exc})"))

    def _parse(self, name: str, raw: bytes, *, remote: bool, root: str, content_type: str, listed: bool) -> None:
        kind = _kind(name, raw, content_type)
        if kind == "wxr":
            export = wxr.read(raw, name, self.tz, remote=remote, root=root)
            for key, n in export.left_out.items():
                self.left_out[key] = self.left_out.get(key, 0) + n
            self._add(export.articles, name, listed=False)
        elif kind == "feed":
            self._add(feeds.read(raw, name, self.tz, remote=remote, root=root), name, listed=False)
        elif kind == "html":
            article = html.read_page(raw, name, self.tz, remote=remote)
            article.root = root if remote else _mirror_root(Path(name), Path(root), article.old_url)
            self._add([article], name, listed)
        else:
            urls = _url_list(raw) if not remote else []
            if urls:
                for url in urls:
                    self.url(url)
            elif not remote:
                article = text.read(Path(name), raw, self.tz)
                article.root = root
                self._add([article], name, listed)
            else:
                self.out.problems.append((name, "không phải trang HTML, nguồn tin hay tệp xuất WordPress"))

    def url(self, url: str) -> None:
        try:
            answer = self.fetcher.get(url)
        except FetchError as exc:
            self.out.problems.append(("", str(exc)))
            return
        self._read(answer.url, answer.content, remote=True, root="", content_type=answer.content_type)

    def file(self, path: Path, root: Path, listed: bool = True) -> None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            self.out.problems.append((str(path), f"không đọc được ({exc.strerror})"))
            return
        self._read(str(path.resolve()), raw, remote=False, root=str(root.resolve()), listed=listed)

    def folder(self, folder: Path) -> None:
        for path in _walk(folder):
            self.file(path, folder, listed=False)

    def source(self, source: str) -> None:
        if is_url(source):
            self.url(source)
            return
        path = Path(source)
        if path.is_dir():
            self.folder(path)
        elif path.is_file():
            self.file(path, path.parent)
        else:
            self.out.problems.append((source, "không có tệp, thư mục hay địa chỉ web này"))


def _mirror_root(page: Path, root: Path, old_url: Optional[str]) -> str:
    """Where a saved page's photos may be looked for: the folder given, or, for a page inside a site
    mirror, the mirror's folder named after the old site's host (where '/Upload/...' was saved)."""
    host = urlsplit(old_url).netloc if old_url else ""
    if "." not in host:               # a host name, as mirrors name their folders ('tuyengiao.example.vn')
        return str(root)
    for folder in page.parents:
        if host and folder.name == host:
            return str(folder) if not folder.is_relative_to(root) else str(root)
    return str(root)


def _walk(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_FOLDERS and not d.startswith("."))
        for name in sorted(filenames):
            lower = name.lower().split("?", 1)[0]
            if lower.endswith(PAGE_SUFFIXES + FEED_SUFFIXES + TEXT_SUFFIXES) or "?" in name:
                yield Path(dirpath) / name


def gather(sources: list[str], fetcher: Fetcher, tz: ZoneInfo) -> tuple[Gathered, dict[str, int]]:
    gatherer = Gatherer(fetcher, tz)
    for source in sources:
        gatherer.source(source)
    return gatherer.out, gatherer.left_out
