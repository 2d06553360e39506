"""The portal's own search index over its members' bulletins, served by the portal itself.

A member's bulletin has no page here to index, so Pagefind is given its record (title,
lead and structured facts, search.plain_text; the same metadata and filters as the
portal's own pages, search.record) with its address on the member's site, through
Pagefind's Node API (records.mjs) run on the build's own Pagefind binary.  The result is
a second bundle (urls.MEMBERS_BUNDLE) that the search page merges with the portal's own
(search.bundles): a query reaches every member and filters by unit work across them, with no
request to another host.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

from .. import search, urls
from ..cache import TREE_CHECK, Store, digest
from ..site import Site

SCRIPT = Path(__file__).with_name("records.mjs")
NODE_API = "node_modules/pagefind/lib/index.js"

def records(site: Site) -> list[dict]:
    """One custom record per member bulletin, in the shape Pagefind's addCustomRecord takes."""
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

def node_api(project_dir: Optional[Path]) -> Path:
    """npm's `pagefind` package, where find_binary looks for the binary: the project's, then Bantin's."""
    for base in dict.fromkeys(p for p in (project_dir, Path.cwd(), search.BANTIN_HOME) if p):
        if (Path(base) / NODE_API).is_file():
            return (Path(base) / NODE_API).absolute()
    raise search.PagefindError("Không tìm thấy gói npm pagefind (the pagefind npm package is missing): "
                               "chạy `npm install --omit=dev` trong thư mục dự án.")

def as_lines(items: list[dict]) -> bytes:
    """Records as records.mjs reads them: one JSON object a line."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in items).encode("utf-8")


def index_records(lines: bytes, out: Path, binary: Path, project_dir: Optional[Path] = None) -> None:
    """A Pagefind bundle at `out` of these records (`as_lines`), made by records.mjs on `binary`."""
    node = shutil.which("node")
    if node is None:
        raise search.PagefindError("Cần Node.js để tạo chỉ mục tìm kiếm của các trang thành viên (Node.js is needed "
                                   "to index the members' bulletins).")
    env = {"PATH": "/usr/bin:/bin", "PAGEFIND_EXTENDED_BINARY_PATH": str(binary), "PAGEFIND_BINARY_PATH": str(binary)}
    with tempfile.TemporaryFile() as data:
        data.write(lines)
        data.seek(0)
        done = subprocess.run([node, str(SCRIPT), str(node_api(project_dir)), str(out)], stdin=data,
                              capture_output=True, text=True, env=env, timeout=3600)
    if done.returncode != 0:
        raise search.PagefindError(f"Pagefind lỗi khi tạo chỉ mục của các trang thành viên:\n{done.stderr.strip()}")


def write(site: Site, binary: Path, site_dir: Path, store: Store) -> int:
    """The members' bundle into `site_dir`, or the one the store kept for the same records; their count."""
    items = records(site)
    if not items:
        return 0
    out = Path(site_dir) / urls.MEMBERS_BUNDLE
    lines = as_lines(items)
    key = digest("members-index", search.version(binary), SCRIPT.read_bytes(), lines)
    store.used.setdefault("search", set()).add(key)
    kept = store.tree("search", key)
    if kept is not None:
        shutil.copytree(kept, out, ignore=shutil.ignore_patterns(TREE_CHECK))
        return len(items)
    index_records(lines, out, binary, site.settings.content_dir.resolve().parent)
    for name in search.UNUSED_BUNDLE_FILES:
        (out / name).unlink(missing_ok=True)
    store.put_tree("search", key, out)
    return len(items)
