"""The portal's own search index over its members' bulletins, served by the portal itself.

A member's bulletin has no page here to index, so Pagefind is given its record (title,
lead and structured facts, search.plain_text; the same metadata and filters as the
portal's own pages, search.record) with its address on the member's site, through
Pagefind's service API.  The result is a second bundle (urls.MEMBERS_BUNDLE) that the
search page merges with the portal's own (`bundles`): a query reaches every member, and
filters by unit work across them, without a request to another host.
"""
from __future__ import annotations

import asyncio
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from pagefind.index import IndexConfig, PagefindIndex

from .. import search, urls
from ..cache import TREE_CHECK, Store, digest
from ..site import Site

BATCH = 500          # records sent to Pagefind before waiting for its answers


def records(site: Site) -> list[dict]:
    """One custom record per member bulletin, in the shape Pagefind's AddRecord takes."""
    out = []
    for b in site.bulletins:
        if b.remote:
            r = search.record(site, b)
            filters: dict[str, list[str]] = {}
            for key, value in r.filters:
                filters.setdefault(key, []).append(value)
            out.append({"url": b.url, "content": f"{b.title}. {search.plain_text(b)}", "language": search.LANGUAGE,
                        "meta": r.meta, "filters": filters, "sort": r.sort})
    return out


@contextmanager
def binary_set(binary: Path) -> Iterator[None]:
    """The Python API finds Pagefind by this variable: the build's own binary, for this call only."""
    before = os.environ.get("PAGEFIND_BINARY_PATH")
    os.environ["PAGEFIND_BINARY_PATH"] = str(binary)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PAGEFIND_BINARY_PATH", None)
        else:
            os.environ["PAGEFIND_BINARY_PATH"] = before


async def _index(items: list[dict], out: Path) -> None:
    async with PagefindIndex(config=IndexConfig(force_language=search.LANGUAGE, output_path=str(out))) as index:
        for start in range(0, len(items), BATCH):
            await asyncio.gather(*(index.add_custom_record(**r) for r in items[start:start + BATCH]))
        await index.write_files(output_path=str(out))


def write(site: Site, binary: Path, site_dir: Path, store: Store) -> int:
    """The members' bundle into `site_dir`, or the one the store kept for the same records; their count."""
    items = records(site)
    if not items:
        return 0
    out = Path(site_dir) / urls.MEMBERS_BUNDLE
    key = digest("members-index", search.version(binary), repr(items))
    store.used.setdefault("search", set()).add(key)
    kept = store.tree("search", key)
    if kept is not None:
        shutil.copytree(kept, out, ignore=shutil.ignore_patterns(TREE_CHECK))
        return len(items)
    with binary_set(binary):
        asyncio.run(_index(items, out))
    for name in search.UNUSED_BUNDLE_FILES:
        (out / name).unlink(missing_ok=True)
    store.put_tree("search", key, out)
    return len(items)


def bundles(site: Site) -> list[dict]:
    """What the search page merges beside its own bundle (the search page's `bundles` contract)."""
    return [{"path": urls.MEMBERS_BUNDLE, "options": {}}] if any(b.remote for b in site.bulletins) else []
