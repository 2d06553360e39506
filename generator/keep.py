"""What a rebuild keeps of the previous site: the file of each page whose key did not change.

A build writes every page into a folder of its own (see sitefolder.py).  A page made from the
same key, in the same frame, as in the last build that succeeded is the same bytes: its file in
the old site/ is hard-linked into that folder (copied where the disk cannot link; left as it is
when the folder is the spare one and holds that very file already) instead of being rendered and
written again.  The last build's list (each page's key and the digest of what
it wrote, in the site and in the search folder) is an entry of the cache, checked like any other;
each kept file is checked first, so that a site/ changed by hand, or replaced in a CI cache, is
written again rather than published.  The check reads a file only when its inode, size or time
of change differ from what the list says (as make and git do): reading back every kept page and
its search copy was a sixth of a rebuild.  Losing either costs only time.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Optional

from . import urls
from .cache import Store, digest
from .sitefolder import clear, link_or_copy

KIND = "site"


def text_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def signature(path: str) -> Optional[list]:
    """What says a file is the one written, without reading it: inode, size, modification time."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def entry(key: str, search_path: Optional[str], search_digest: str, path: str, page_digest: str) -> list:
    """What the next build needs to keep a page just written (and its search copy, if any)."""
    return [key, search_digest, page_digest, signature(path), signature(search_path) if search_digest else None]


def _same(path: str, expected: str, known: Optional[list]) -> Optional[list]:
    """The file's signature when it still holds what was written (read only when its signature changed)."""
    now = signature(path)
    if now is None:
        return None
    if now == known or file_digest(path) == expected:
        return now
    return None


def file_digest(path: str) -> Optional[str]:
    try:
        with open(path, "rb") as handle:
            return hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
    except OSError:
        return None


class Kept:
    """The previous site's pages, by address: [key in its frame, digest of its search copy or '', digest]."""

    def __init__(self, store: Store, final: Path, search_dir: Optional[Path] = None, usable: bool = True):
        self.store, self.old, self.search_dir = store, Path(final), search_dir
        self.key = digest("site", str(self.old))
        self.pages: dict[str, list] = {}
        if usable and store.root is not None and self.old.is_dir():
            try:
                self.pages = json.loads(store.get(KIND, self.key) or b"{}")
            except ValueError:
                self.pages = {}
        self.made: dict[str, list] = {}

    def link(self, url: str, key: Optional[str], dest: str) -> Optional[list]:
        """Puts the last build's file of `url` at `dest` if it was made from `key` and is as it was
        written (its search copy too): the page's entry for the next build; None when it must be written."""
        entry = self.pages.get(url)
        if not key or not entry or entry[0] != key or len(entry) != 5:
            return None
        rel = urls.file_of(url)
        source = os.path.join(self.old, rel)
        found = None
        if entry[1]:
            if self.search_dir is None:
                return None
            found = _same(os.path.join(self.search_dir, rel), entry[1], entry[4])
            if found is None:
                return None
        page = _same(source, entry[2], entry[3])
        if page is None:
            return None
        try:
            there = os.stat(dest)
        except FileNotFoundError:
            there = None
        except OSError:
            return None
        try:
            if there is not None and os.path.samestat(there, os.stat(source)):
                linked = True       # a spare folder's file that is already the live one (sitefolder.py)
            else:
                if there is None:
                    os.makedirs(os.path.dirname(dest), exist_ok=True)
                else:
                    clear(dest)
                linked = link_or_copy(source, dest)
        except OSError:
            return None
        # A copy (a disk without links) is a new file: its own signature, for the next build.
        return [*entry[:3], page if linked else signature(dest), found]

    def save(self, made: dict[str, list]) -> None:
        """The list of this build, for the next one: called once its site is in place (and left as
        it is when nothing changed, so that such a rebuild writes nothing to the cache)."""
        if made != self.pages:
            self.store.put(KIND, self.key, json.dumps(made, sort_keys=True).encode())
