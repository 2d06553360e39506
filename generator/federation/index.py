"""The portal's own search index over its members' bulletins, served by the portal itself.

A member's bulletin has no page here to index, so Pagefind is given its record (title,
lead and structured facts, search.plain_text; the same metadata and filters as the
portal's own pages, search.record) with its address on the member's site, through
Pagefind's Node API (records.mjs) run on the build's own Pagefind binary.  The result is
bundles under urls.MEMBERS_BUNDLE that the search page merges with the portal's own
(`bundles`): a query reaches every member and filters by unit work across them, with no
request to another host.

A province holds a hundred thousand records: one Pagefind run over them all takes minutes
and gigabytes.  So the records are cut into parts by month of publication, as the portal's
own pages are by year (search.parts), each part indexed by a run of its own, two at a time,
each kept in the cache under the digest of its records: new bulletins re-index the newest
part alone.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Optional

from .. import search, urls
from ..cache import Store, digest
from ..content.models import Bulletin
from ..site import Site

SCRIPT = Path(__file__).with_name("records.mjs")
NODE_API = "node_modules/pagefind/lib/index.js"
# Records one Pagefind run indexes at most: a run's time and memory grow faster than its records,
# and each part costs a query a few kilobytes of its own.  $BANTIN_MEMBERS_PART_RECORDS sets it, 0 is one index.
PART_RECORDS = 10000
PART_RECORDS_ENV = "BANTIN_MEMBERS_PART_RECORDS"


def part_records() -> int:
    return search.configured(PART_RECORDS_ENV, PART_RECORDS)


def record(site: Site, b: Bulletin) -> dict:
    """A member bulletin's custom record, in the shape Pagefind's addCustomRecord takes."""
    r = search.record(site, b)
    filters: dict[str, list[str]] = {}
    for key, value in r.filters:
        filters.setdefault(key, []).append(value)
    return {"url": b.url, "content": f"{b.title}. {search.plain_text(b)}", "language": search.LANGUAGE,
            "meta": r.meta, "filters": filters, "sort": r.sort}


def parts(site: Site) -> list[tuple[search.Part, list[Bulletin]]]:
    """The members' bulletins by part, newest part first (search.parts over their months)."""
    remote = [b for b in site.bulletins if b.remote]
    if not remote:
        return []
    keyed = [(f"{b.date:%Y/%m}/{n}/", b) for n, b in enumerate(remote)]
    cut = search.parts((k for k, _ in keyed), part_records())
    where = {prefix: part for part in cut for prefix in part.prefixes}
    members: dict[str, list[Bulletin]] = {part.name: [] for part in cut}
    for k, b in keyed:
        part = where.get("") or where.get(k[:5]) or where[k[:8]]
        members[part.name].append(b)
    return [(part, members[part.name]) for part in cut]


def path(part: search.Part) -> str:
    """The site path of a part's bundle."""
    return f"{urls.MEMBERS_BUNDLE}{part.name}/" if part.name else urls.MEMBERS_BUNDLE


def bundles(site: Site) -> list[dict]:
    """The members' bundles as the search page merges them (search.bundles' shape), newest first."""
    return [part.bundle(path(part)) for part, _ in parts(site)]


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
    search.trim(out)


class Indexing:
    """The members' parts indexed in the background, `jobs` Pagefind runs at a time, from the
    moment the site is known: the runs take the core the build's single-process stages leave
    idle.  Each part is kept in the store under the digest of its records; `into` waits for the
    runs and puts every part into the site."""

    def __init__(self, site: Site, binary: Path, store: Store, jobs: int = 0):
        self.store, self.binary = store, binary
        self.project_dir = site.settings.content_dir.resolve().parent
        self.scratch = Path(tempfile.mkdtemp(prefix="bantin-members-"))
        version, script = search.version(binary), SCRIPT.read_bytes()
        used = store.used.setdefault("search", set())
        # The records are made here, before any run starts: the threads below only wait for Pagefind.
        self.parts: list[tuple[search.Part, str]] = []
        todo = []
        self.records = 0
        for part, members in parts(site):
            lines = as_lines([record(site, b) for b in members])
            key = digest("members-index", version, script, lines)
            used.add(key)
            self.parts.append((part, key))
            self.records += len(members)
            if store.tree("search", key) is None:
                todo.append((part, key, lines))
        self.pool = ThreadPoolExecutor(max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1)),
                                       thread_name_prefix="bantin-members-index")
        self.running = [self.pool.submit(self._one, *job) for job in todo]

    def _made(self, part: search.Part) -> Path:
        return self.scratch / (part.name or "index")

    def _one(self, part: search.Part, key: str, lines: bytes) -> None:
        index_records(lines, self._made(part), self.binary, self.project_dir)
        self.store.put_tree("search", key, self._made(part))

    def into(self, site_dir: Path) -> int:
        """Every part into `site_dir`, once made; the number of records."""
        for run in self.running:
            run.result()
        for part, key in self.parts:
            made = self._made(part)
            source = made if made.is_dir() else self.store.tree("search", key)
            search.place(source, Path(site_dir) / path(part))
        return self.records

    def stop(self) -> None:
        """Waits for the runs begun (a build that failed meanwhile) and removes what they made."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.scratch, ignore_errors=True)


def start(site: Site, binary: Optional[Path], store: Store, jobs: int = 0) -> Optional[Indexing]:
    """The members' index begun, for a portal with members' bulletins and a search."""
    if binary is None or not any(b.remote for b in site.bulletins):
        return None
    return Indexing(site, binary, store, jobs)
