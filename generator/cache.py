"""What a build keeps for the next one: keys that name every input, and a folder of entries.

An entry is only ever found under a key made from everything that went into it
(the source's bytes, the site's data and settings, and the version of the code and
templates that made it), so a changed input gives a new key and the old entry is
simply not asked for.  Nothing is ever checked for staleness; there is none to check.

`fingerprint` turns what a page shows (its view's context) into text for a key;
an object it does not know raises `Uncacheable`, and that page is always rendered.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import shutil
import tempfile
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional

from pydantic import BaseModel

PACKAGE_DIR = Path(__file__).resolve().parent


class Uncacheable(TypeError):
    """A view's context holds something whose content cannot be named: render it every time."""


def digest(*parts: Any) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


def tree_digest(paths: Iterable[Path], suffixes: Optional[tuple[str, ...]] = None) -> str:
    """One digest of every file under the given folders: their names and their bytes."""
    h = hashlib.blake2b(digest_size=16)
    for root in paths:
        root = Path(root)
        if not root.exists():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if suffixes and path.suffix not in suffixes or "__pycache__" in path.parts:
                continue
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """Bantin's own code: an upgrade or an edit of the generator invalidates every entry."""
    return tree_digest([PACKAGE_DIR], (".py",))


# ------------------------------------------------------------------ fingerprints

def fingerprint(value: Any) -> str:
    """A digest of what a template can read from `value`; bulletins stand for their `card` digest."""
    h = hashlib.blake2b(digest_size=16)
    _feed(h, value, 0)
    return h.hexdigest()


def _feed(h, value: Any, depth: int) -> None:
    if depth > 12:
        raise Uncacheable("nested too deep")
    if value is None or isinstance(value, (str, int, float, bool)):
        h.update(f"{type(value).__name__}:{value}\x1e".encode("utf-8", "surrogatepass"))
        return
    card = getattr(value, "card_digest", None)
    if isinstance(card, str):                        # a bulletin, by what a teaser shows of it
        if not card:
            raise Uncacheable("bulletin without a digest")
        h.update(f"B:{card}\x1e".encode())
        return
    if isinstance(value, (datetime, date)):
        h.update(f"D:{value.isoformat()}\x1e".encode())
    elif isinstance(value, (list, tuple)):
        h.update(b"[")
        for item in value:
            _feed(h, item, depth + 1)
        h.update(b"]")
    elif isinstance(value, dict):
        h.update(b"{")
        for key, item in value.items():
            _feed(h, key, depth + 1)
            _feed(h, item, depth + 1)
        h.update(b"}")
    elif isinstance(value, BaseModel):
        h.update(f"M:{type(value).__name__}:".encode() + value.model_dump_json().encode() + b"\x1e")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        h.update(f"C:{type(value).__name__}(".encode())
        for f in dataclasses.fields(value):
            _feed(h, getattr(value, f.name), depth + 1)
        h.update(b")")
    else:
        raise Uncacheable(f"{type(value).__name__} has no fingerprint")


# ------------------------------------------------------------------ the store

class Store:
    """Entries in a folder, one file each, grouped by kind ('pages', 'read'...).

    Writes go to a temporary file first and are renamed into place, so a build
    that stops half-way, or two builds at once, never leave half an entry.
    `root=None` stores nothing, for builds that must not keep anything.
    """

    def __init__(self, root: Optional[Path]):
        self.root = Path(root) if root else None
        self.used: dict[str, set[str]] = {}

    def path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / key

    def get(self, kind: str, key: Optional[str]) -> Optional[bytes]:
        if self.root is None or not key:
            return None
        try:
            data = self.path(kind, key).read_bytes()
        except OSError:
            return None
        self.used.setdefault(kind, set()).add(key)
        return data

    def put(self, kind: str, key: Optional[str], data: bytes) -> None:
        if self.root is None or not key:
            return
        path = self.path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except OSError:
            return   # a full disk or a read-only checkout costs speed, never the build
        self.used.setdefault(kind, set()).add(key)

    def get_object(self, kind: str, key: Optional[str]) -> Any:
        data = self.get(kind, key)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:   # an entry from an older Python or a damaged file: make it again
            return None

    def put_object(self, kind: str, key: Optional[str], value: Any) -> None:
        self.put(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def keep_only(self, kind: str, keys: set[str]) -> int:
        """Remove the entries of `kind` that this build did not use; returns how many went."""
        if self.root is None or not (self.root / kind).is_dir():
            return 0
        removed = 0
        for folder in (self.root / kind).iterdir():
            for entry in folder.iterdir() if folder.is_dir() else []:
                if entry.name not in keys:
                    try:
                        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
                        removed += 1
                    except OSError:
                        pass
        return removed

    def put_tree(self, kind: str, key: str, source: Path) -> None:
        """A folder entry (a search index), under the same naming as files."""
        if self.root is None:
            return
        dest = self.path(kind, key)
        if dest.exists():
            return
        tmp = Path(tempfile.mkdtemp(dir=self.root, prefix=".tmp-tree-"))
        try:
            shutil.copytree(source, tmp / "t")
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp / "t", dest)
        except OSError:
            pass
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
