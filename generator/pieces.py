"""What files are made of (a calendar's event, a feed entry's content, a JSON Feed item) and whole
files (a scope's feeds, a page of the export), kept between builds.

Every build makes each feed and calendar again, and nearly all of their entries come from
bulletins that did not change; folding an event's lines and rewriting an entry's links was
most of that work.  So each piece is kept in the store under a key made of what it is made
from: the bulletins (a digest names every field of each), the settings that shape output and
the code.  A piece is made again when any of these changed; within one build it is made or
read once, however many files show it.  A whole file is kept the same way, so that after an
edit only the feeds and the export page that show the edited bulletin are made again.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Optional

from .cache import Store, Uncacheable, code_version, digest, fingerprint
from .config import Settings

KIND = "pieces"


class Pieces:
    def __init__(self, store: Optional[Store] = None, settings: Optional[Settings] = None):
        self.store = store or Store(None)
        self.base = digest(code_version(), fingerprint(settings.output()) if settings else "")
        self._made: dict[str, Any] = {}

    def _key(self, name: str, parts: tuple) -> Optional[str]:
        try:
            return digest(self.base, name, fingerprint(list(parts)))
        except Uncacheable:
            return None

    def text(self, name: str, make: Callable[[], str], *parts: Any) -> str:
        """A text made by `make` from `parts` (a bulletin among them)."""
        return self._get(name, parts, make, lambda v: v.encode("utf-8"), lambda b: b.decode("utf-8"))

    def data(self, name: str, make: Callable[[], Any], *parts: Any) -> Any:
        """A JSON value made by `make` from `parts`; the caller may not change it (it is shared)."""
        return self._get(name, parts, make, lambda v: json.dumps(v, ensure_ascii=False).encode("utf-8"), json.loads)

    def raw(self, name: str, make: Callable[[], bytes], *parts: Any) -> bytes:
        return self._get(name, parts, make, bytes, bytes)

    def file(self, name: str, make: Callable[[], bytes], *parts: Any) -> bytes:
        """A whole file's bytes: not held for the rest of the build, as no other file shows it."""
        return self._get(name, parts, make, bytes, bytes, remember=False)

    def _get(self, name: str, parts: tuple, make: Callable[[], Any], dump: Callable, load: Callable,
             remember: bool = True) -> Any:
        key = self._key(name, parts)
        if key is None:
            return make()
        if key in self._made:
            return self._made[key]
        stored = self.store.get(KIND, key)
        value = None
        if stored is not None:
            try:
                value = load(stored)
            except (ValueError, UnicodeDecodeError):
                value = None
        if value is None:
            value = make()
            self.store.put(KIND, key, dump(value))
        if remember:
            self._made[key] = value
        return value
