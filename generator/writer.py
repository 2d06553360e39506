"""Writing thousands of pages fast: each page's own parts into a frame rendered once.

The theme's frame (header, tabs, footer, scripts) is the same for every page
at the same folder depth, except for a few values: the title, description,
canonical address, head extras and the content.  So the frame is rendered once
per depth with placeholders (see `Frame`), and each page renders only its own
template, with the same Jinja environment and templates as the theme, and is
set into its frame.  Pages are split between processes to use every core.
"""
from __future__ import annotations

import html
import os
import posixpath
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence
from urllib.parse import urlsplit

from jinja2 import pass_context

from .cache import Store, digest
from .parallel import fork_map
from .views.base import Page

SPLIT = "@@BANTIN:SPLIT@@"
ROOT = "@@BANTIN:ROOT@@/"       # in a page's own part, where the way back to the site's root goes
TOKENS = {
    "title": "@@BANTIN:TITLE@@",
    "description": "@@BANTIN:DESCRIPTION@@",
    "canonical": "@@BANTIN:CANONICAL@@",
    "head": "@@BANTIN:HEAD@@",
    "content": "@@BANTIN:CONTENT@@",
}
FRAGMENT_LAYOUT = "bantin/fragment.html"
SEARCH_MARK = "data-pagefind-body"
MIN_PAGES = 200      # pages worth starting processes for
SEARCH_PAGE = '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title></title></head><body>{content}</body></html>'


def depth(url: str) -> int:
    return len([part for part in url.split("/") if part])


def root_prefix(url: str) -> str:
    """What takes ROOT's place in the page at `url`: '../../' for 'a/b/', './' at the root."""
    return "../" * depth(url) or "./"


@lru_cache(maxsize=1 << 16)
def from_root(value: str) -> str:
    """`value` (a site path) as a link from the root, behind ROOT; addresses with a scheme,
    absolute paths and anchors stay as they are, as with MkDocs' `url` filter."""
    value = value or "."
    if urlsplit(value).scheme or urlsplit(value).netloc or value.startswith(("/", "#")):
        return value
    up = 0
    norm = posixpath.normpath(value) + "/"
    while norm.startswith("../", up * 3):
        up += 1
    path = posixpath.normpath("/" + value)[1:]
    if path and value.endswith("/"):
        path += "/"
    return "../" * up + ROOT + path


def url_filter(theme_url: Callable) -> Callable:
    """The theme's `url` filter, except in a page's own part: there a link is written from
    the root, so that the part, and each card in it, is the same at any depth and is made
    once; the writer then puts the way back to the root in ROOT's place."""
    @pass_context
    def url(context, value):
        if context.get("bantin_fragment"):
            return from_root(str(value))
        return theme_url(context, value)
    return url


@pass_context
def once(context, *key, caller):
    """`{% call once(key...) %}`: a piece shown on many pages (a bulletin's card) made once per
    build and writing process, when the piece depends on nothing but `key`."""
    memo = context.get("bantin_once")
    if memo is None:
        return caller()
    found = memo.get(key)
    if found is None:
        found = memo[key] = caller()
    return found


@dataclass
class Frame:
    """A rendered frame cut at its placeholders: joining is all that is left per page."""

    parts: list[str]
    slots: list[str]

    @classmethod
    def parse(cls, text: str, canonical: str) -> "Frame":
        if canonical:
            text = text.replace(canonical, TOKENS["canonical"])
        lookup = {token: name for name, token in TOKENS.items()}
        parts, slots, rest = [], [], text
        while True:
            positions = [(rest.find(token), token) for token in lookup if token in rest]
            if not positions:
                parts.append(rest)
                break
            pos, token = min(positions)
            parts.append(rest[:pos])
            slots.append(lookup[token])
            rest = rest[pos + len(token):]
        return cls(parts, slots)

    def fill(self, values: dict[str, str]) -> str:
        out = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:]):
            out.append(values.get(slot, ""))
            out.append(part)
        return "".join(out)


class Writer:
    """Renders pages with the theme's Jinja environment and writes them under `site_dir`.

    A page with a cache key (Page.key) is rendered once: its own part (head extras and
    content, without the frame) is kept in the store, and a later build with the same key
    only sets it into the frame.
    """

    def __init__(self, env, frame_for: Callable[[int], Frame], base_context: dict, site_dir: str | os.PathLike,
                 absolute: Callable[[str], str], search_dir: Optional[str | os.PathLike] = None,
                 store: Optional[Store] = None):
        self.env = env
        self.frame_for = frame_for
        self.base_context = base_context
        self.site_dir = Path(site_dir)
        self.absolute = absolute
        # Indexable pages are also written here bare, without the frame: the search indexer
        # reads a tenth of the bytes and needs far less time and memory than over the site.
        self.search_dir = Path(search_dir) if search_dir is not None else None
        self.store = store or Store(None)
        self._frames: dict[int, Frame] = {}
        self._frame_digests: dict[int, str] = {}
        self._once: dict[tuple, str] = {}
        self._mirrored = False

    def frame(self, url: str) -> Frame:
        d = depth(url)
        if d not in self._frames:
            self._frames[d] = self.frame_for(d)
        return self._frames[d]

    def frame_digest(self, url: str) -> str:
        """Names the frame a page is set into: a page is written again when its frame changed."""
        d = depth(url)
        if d not in self._frame_digests:
            frame = self.frame(url)
            self._frame_digests[d] = digest(*frame.parts, *frame.slots)
        return self._frame_digests[d]

    def fragment(self, page: Page, feeds: Sequence, key: Optional[str] = None) -> str:
        """The page's own part: head extras, SPLIT, content."""
        cached = self.store.get("pages", key)
        if cached is not None:
            return cached.decode("utf-8")
        context = dict(self.base_context)
        context.update(
            view=page,
            feeds=list(feeds) + list(page.feeds),
            bantin_layout=FRAGMENT_LAYOUT,
            bantin_fragment=True,
            bantin_once=self._once,
        )
        text = self.env.get_template(page.template).render(context)
        self.store.put("pages", key, text.encode("utf-8"))
        return text

    def render(self, page: Page, feeds: Sequence, key: Optional[str] = None) -> str:
        head, _, content = self.fragment(page, feeds, key).replace(ROOT, root_prefix(page.url)).partition(SPLIT)
        if self.search_dir is not None and SEARCH_MARK in content:
            self._write(self.search_dir / page.url / "index.html", SEARCH_PAGE.format(content=content), True)
            self._mirrored = True
        return self.frame(page.url).fill({
            "title": html.escape(page.title),
            "description": html.escape(page.description or page.title),
            "canonical": self.absolute(page.url),
            "head": head,
            "content": content,
        })

    def write_one(self, page: Page, feeds: Sequence, key: Optional[str] = None) -> bool:
        """Writes the page; True when it also went to the search folder."""
        self._mirrored = False
        self._write(self.site_dir / page.url / "index.html", self.render(page, feeds, key))
        return self._mirrored

    @staticmethod
    def _write(path: Path, text: str, if_changed: bool = False) -> None:
        """`if_changed`: a file kept from the last build is left as it is when it already says this."""
        if if_changed:
            try:
                if path.read_text(encoding="utf-8") == text:
                    return
            except (OSError, UnicodeDecodeError):
                pass
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def write(self, pages: Sequence[Page], feeds: Sequence, jobs: int = 0,
              keys: Optional[Sequence[Optional[str]]] = None,
              site_digest: Optional[str] = None) -> list[tuple[bool, Optional[str]]]:
        """Write every page; with more than one core, in forked processes that share the loaded theme.

        Each page's cache key is one of `keys`, or, given `site_digest`, made where the page
        is written (so that the processes share that work too).  Says for each page whether
        it went to the search folder too, and its key.
        """
        keys = list(keys) if keys is not None else [None] * len(pages)
        for url in {p.url for p in pages}:  # frames are made before forking, so that children share them
            self.frame(url)

        def work(part):
            out = []
            with self.store.batch():
                for page, key in part:
                    if key is None and site_digest is not None:
                        key = page.key(site_digest)
                    out.append((self.write_one(page, feeds, key), key))
            return out

        return fork_map(work, list(zip(pages, keys)), jobs or min(os.cpu_count() or 1, 8), MIN_PAGES)[0]


def write_files(site_dir: str | os.PathLike, files: Iterable) -> None:
    """Plain files (feeds, redirects, calendars...) written as they are."""
    root = Path(site_dir)
    for asset in files:
        path = root / asset.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(asset.content)
