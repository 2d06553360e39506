"""Writing thousands of pages fast: each page's own part set into one frame rendered once.

The theme's frame (header, menu, footer, scripts) is the same for every page except
for a few values: the title, description, canonical address, head extras, content,
the way back to the site's root in every link, and which menu entry is the current
page's.  So the frame is rendered once with placeholders (see `Frame`), and each page
renders only its own template, with links written from the root, and is set into the
frame.  Pages are split between processes to use every core.

Placeholders are made of Unicode noncharacters (U+FDD0, U+FDD1), which the reader
removes from every text it reads, so that no content can forge one.
"""
from __future__ import annotations

import html
import os
import posixpath
import re
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence
from urllib.parse import urlsplit

from jinja2 import pass_context

from . import keep, linkcard, urls
from .cache import Store, digest
from .keep import Kept, text_digest
from .linkcard import Card, CardImage
from .parallel import fork_map
from .sitefolder import clear
from .views.base import Asset, Page

OPEN, CLOSE = "\ufdd0", "\ufdd1"


def token(name: str, argument: str = "") -> str:
    return f"{OPEN}{name}:{argument}{CLOSE}" if argument else f"{OPEN}{name}{CLOSE}"


SPLIT = token("split")          # between a page's head extras and its content
ROOT = token("root")            # where the way back to the site's root goes ('../../', '' at the root)
HOME = token("home")            # a link to the root itself ('../../', './' at the root)
TOKENS = {name: token(name) for name in ("title", "description", "canonical", "card", "head", "content")}
_SLOT = re.compile(f"{OPEN}([a-z]+)(?::([^{CLOSE}]*))?{CLOSE}")
FRAGMENT_LAYOUT = "bantin/fragment.html"
SEARCH_MARK = "data-pagefind-body"
MIN_PAGES = 200      # pages worth starting processes for
SEARCH_PAGE = '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title></title></head><body>{content}</body></html>'


class OutsideSite(ValueError):
    """An output path that would leave the site's folder: nothing is written."""


def root_prefix(page: Page, base_path: str) -> str:
    """What takes HOME's place in a page, and ROOT's when not empty: '../../' for 'a/b/', './'
    at the root, and the host's path to the site for a page served at any address (the 404 page)."""
    if page.anywhere:
        return base_path
    return "../" * urls.depth(page.url) or "./"


def fill_root(text: str, prefix: str) -> str:
    return text.replace(HOME, prefix).replace(ROOT, "" if prefix == "./" else prefix)


@lru_cache(maxsize=1 << 16)
def from_root(value: str) -> str:
    """`value` (a site path) as a link from the root, behind ROOT; addresses with a scheme,
    absolute paths and anchors stay as they are."""
    value = value or "."
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith(("/", "#")):
        return value
    up = 0
    norm = posixpath.normpath(value) + "/"
    while norm.startswith("../", up * 3):
        up += 1
    path = posixpath.normpath("/" + value)[1:]
    if path and value.endswith("/"):
        path += "/"
    return "../" * up + (ROOT + path if path else HOME)


def link(value) -> str:
    """The `url` filter: a site path as a link, the same on every page (the writer completes it)."""
    return from_root(str(value))


def current(url: str) -> str:
    """Marks a menu entry: the writer makes it the page's current entry when `url` is the page's."""
    return token("current", url)


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
    slots: list[tuple[str, str]]

    @classmethod
    def parse(cls, text: str) -> "Frame":
        parts, slots, last = [], [], 0
        for m in _SLOT.finditer(text):
            parts.append(text[last:m.start()])
            slots.append((m.group(1), m.group(2) or ""))
            last = m.end()
        parts.append(text[last:])
        return cls(parts, slots)

    def section(self, url: str) -> Optional[str]:
        """The menu entry a page belongs to: the longest entry its address starts with (a section's
        second page, a document of the register), not the home page's."""
        found = [a for s, a in self.slots if s == "current" and a and a != url and url.startswith(a)]
        return max(found, key=len, default=None)

    def fill(self, values: dict[str, str], current_url: Optional[str] = None,
             section: Optional[str] = None) -> str:
        """`section`: the menu entry the page belongs to, when its address does not say (a bulletin's section)."""
        section = section or (self.section(current_url) if current_url is not None else None)
        out = [self.parts[0]]
        for (slot, argument), part in zip(self.slots, self.parts[1:]):
            if slot == "current":
                out.append(' aria-current="page"' if argument == current_url else
                           ' aria-current="true"' if argument == section else "")
            else:
                out.append(values.get(slot, ""))
            out.append(part)
        return "".join(out)


def inside(root: Path, path: str) -> str:
    """`root / path`, refused when it would land outside `root` (a '..', an absolute path)."""
    base = str(root)
    target = os.path.normpath(os.path.join(base, path))
    if not target.startswith(base + os.sep):
        raise OutsideSite(path)
    return target


class Writer:
    """Renders pages with the theme's Jinja environment and writes them under `site_dir`.

    A page with a cache key (Page.key) is rendered once: its own part (head extras and
    content, without the frame) is kept in the store, and a later build with the same key
    only sets it into the frame.
    """

    def __init__(self, env, frame: Frame, base_context: dict, site_dir: str | os.PathLike,
                 absolute: Callable[[str], str], base_path: str = "/",
                 search_dir: Optional[str | os.PathLike] = None, store: Optional[Store] = None,
                 kept: Optional[Kept] = None, share_image: Optional[CardImage] = None):
        self.env = env
        self.frame = frame
        self.base_context = base_context
        self.site_dir = Path(os.path.abspath(site_dir))
        self.absolute = absolute
        self.base_path = base_path
        # Indexable pages are also written here bare, without the frame: the search indexer
        # reads a tenth of the bytes and needs far less time and memory than over the site.
        self.search_dir = Path(os.path.abspath(search_dir)) if search_dir is not None else None
        self.store = store or Store(None)
        self.kept = kept
        self.share_image = share_image      # a link preview's picture for pages without their own
        # The frame and what the writer adds to it (the share picture): a page kept from the last
        # build is kept only when these are the same.
        self.frame_id = digest(*frame.parts, *frame.slots, repr(share_image))
        self._once: dict[tuple, str] = {}
        self._mirrored = ""                  # digest of the page's search copy, when it has one
        self._folders: set[str] = set()      # made already by this writer

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
            bantin_once=self._once,
        )
        text = self.env.get_template(page.template).render(context)
        self.store.put("pages", key, text.encode("utf-8"))
        return text

    def render(self, page: Page, feeds: Sequence, key: Optional[str] = None) -> str:
        prefix = root_prefix(page, self.base_path)
        head, _, content = fill_root(self.fragment(page, feeds, key), prefix).partition(SPLIT)
        if self.search_dir is not None and SEARCH_MARK in content:
            bare = SEARCH_PAGE.format(content=content)
            self._write(inside(self.search_dir, urls.file_of(page.url)), bare, True)
            self._mirrored = text_digest(bare)
        site_name = self.base_context["site"].name
        title = page.title if page.url == urls.HOME else f"{page.title} - {site_name}"
        canonical = (f'<link rel="canonical" href="{html.escape(self.absolute(page.url))}">'
                     if page.canonical else "")
        card = linkcard.tags(page.card or Card(), page.title, page.description or page.title,
                             self.absolute(page.url), site_name, self.absolute,
                             self.share_image) if page.canonical else ""
        return self.frame.fill({
            "title": html.escape(title),
            "description": html.escape(page.description or page.title),
            "canonical": canonical,
            "card": card,
            "head": head,
            "content": content,
            "home": prefix,
            "root": "" if prefix == "./" else prefix,
        }, page.url, page.section)

    def write_one(self, page: Page, feeds: Sequence, key: Optional[str] = None) -> tuple[bool, Optional[list]]:
        """Writes the page, or keeps the last build's file of it (see keep.py): whether it also
        went to the search folder, and what the next build needs to keep it."""
        target = inside(self.site_dir, urls.file_of(page.url))
        framed = digest(key, self.frame_id) if key else None
        if self.kept is not None:
            kept = self.kept.link(page.url, framed, target)
            if kept is not None:
                return bool(kept[1]), kept
        self._mirrored = ""
        text = self.render(page, feeds, key)
        self._write(target, text)
        if not framed:
            return bool(self._mirrored), None
        mirror = inside(self.search_dir, urls.file_of(page.url)) if self._mirrored else None
        return bool(self._mirrored), keep.entry(framed, mirror, self._mirrored, target, text_digest(text))

    def _write(self, path: str, text: str, if_changed: bool = False) -> None:
        """`if_changed`: a file kept from the last build is left as it is when it already says this."""
        if if_changed:
            try:
                with open(path, encoding="utf-8") as handle:
                    if handle.read() == text:
                        return
            except (OSError, UnicodeDecodeError):
                pass
        folder = os.path.dirname(path)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        if not if_changed:
            clear(path)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)

    def write(self, pages: Sequence[Page], feeds: Sequence, jobs: int = 0,
              keys: Optional[Sequence[Optional[str]]] = None,
              key_base: Optional[str] = None) -> list[tuple[bool, Optional[str], Optional[list]]]:
        """Write every page; with more than one core, in forked processes that share the loaded theme.

        Each page's cache key is one of `keys`, or, given `key_base`, made where the page
        is written (so that the processes share that work too).  Says for each page whether
        it went to the search folder too, its key, and what the next build needs to keep it.
        """
        keys = list(keys) if keys is not None else [None] * len(pages)

        def work(part):
            out = []
            with self.store.batch():
                for page, key in part:
                    if key is None and key_base is not None:
                        key = page.key(key_base)
                    mirrored, entry = self.write_one(page, feeds, key)
                    out.append((mirrored, key, entry))
            return out

        return fork_map(work, list(zip(pages, keys)), jobs or min(os.cpu_count() or 1, 8), MIN_PAGES)[0]


def write_files(site_dir: str | os.PathLike, files: Iterable[Asset]) -> None:
    """Plain files (feeds, redirects, calendars, copies of photos...) written or copied as they are."""
    root = Path(os.path.abspath(site_dir))
    for asset in files:
        path = inside(root, asset.path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        clear(path)
        if asset.content is not None:
            with open(path, "wb") as handle:
                handle.write(asset.content)
        else:
            shutil.copyfile(asset.source, path)
