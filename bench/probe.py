"""Runs one real `bantin build` or `mkdocs build` and records where its time went.

    python bench/probe.py TIMINGS.json [--cprofile OUT.prof] -- bantin build -q -d site

The command runs in this process exactly as from the shell; the probe only
wraps a few MkDocs and Bantin functions with clocks (microseconds per call)
and writes what it saw as JSON when the command ends: Bantin's own stage
timings (`Build.timings`), the time of each MkDocs plugin event, and MkDocs'
per-page work split by page template.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

START = time.perf_counter()

record: dict = {
    "events": defaultdict(lambda: [0, 0.0]),       # plugin event -> [calls, seconds]
    "populate": defaultdict(lambda: [0, 0.0]),     # MkDocs reading + Markdown of a page, by template
    "build_page": defaultdict(lambda: [0, 0.0]),   # MkDocs theme rendering + writing of a page, by template
    "mkdocs_build": 0.0,
    "pipeline": {},
    "counts": {},
}
_build_obj = []


def _timed(table, key_of):
    def wrap(fn):
        def inner(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                slot = table[key_of(*args, **kwargs)]
                slot[0] += 1
                slot[1] += time.perf_counter() - t
        inner.__wrapped__ = fn
        return inner
    return wrap


def _template(page, *args, **kwargs) -> str:
    return (page.meta or {}).get("template") or "main.html"


def instrument() -> None:
    from mkdocs.commands import build as mk_build
    from mkdocs.plugins import PluginCollection

    PluginCollection.run_event = _timed(record["events"], lambda self, name, *a, **k: name)(PluginCollection.run_event)
    mk_build._populate_page = _timed(record["populate"], lambda page, *a, **k: _template(page) if page.meta else "?")(
        mk_build._populate_page)
    mk_build._build_page = _timed(record["build_page"], _template)(mk_build._build_page)
    original_build = mk_build.build

    def build(*args, **kwargs):
        t = time.perf_counter()
        try:
            return original_build(*args, **kwargs)
        finally:
            record["mkdocs_build"] += time.perf_counter() - t
    mk_build.build = build

    try:
        from generator import build as core      # the stages that make the site
        name = "make"
    except ImportError:
        try:
            from generator import pipeline as core   # an older copy of Bantin (--root)
            name = "build"
        except ImportError:
            return
    original = getattr(core, name)

    def made(*args, **kwargs):
        result = original(*args, **kwargs)
        _build_obj.append(result)
        return result
    setattr(core, name, made)


def finish(path: Path, main_seconds: float, exit_code, main_cpu: float = 0.0) -> None:
    if _build_obj:
        b = _build_obj[-1]
        record["pipeline"] = dict(b.timings)   # read after the build: later stages add to it
        files = getattr(b, "files", None) or getattr(b, "assets", [])
        record["counts"] = {"bulletins": len(b.site.bulletins), "pages": len(b.pages), "assets": len(files)}
    record["main"] = main_seconds
    record["main_cpu"] = main_cpu          # this process only: not its workers, not Pagefind
    record["process"] = time.perf_counter() - START
    record["exit_code"] = exit_code
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")


def main() -> None:
    argv = sys.argv[1:]
    if "--" not in argv:
        raise SystemExit(__doc__)
    split = argv.index("--")
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--cprofile", type=Path)
    ap.add_argument("--gc", choices=["on", "off"], default="on",
                    help="off: no cyclic garbage collection during the build (to see what it costs)")
    args = ap.parse_args(argv[:split])
    command = argv[split + 1:]
    tool, rest = command[0], command[1:]
    if tool == "bantin":
        from generator.cli import main as cli
    elif tool == "mkdocs":
        from mkdocs.__main__ import cli
    else:
        raise SystemExit(f"unknown tool {tool!r}: bantin or mkdocs")
    instrument()
    profiler = None
    if args.cprofile:
        import cProfile
        # The default clock: a CPU-time clock is a system call per event and would distort the profile.
        profiler = cProfile.Profile()
    if args.gc == "off":
        import gc
        gc.disable()
    code = 0
    t, cpu = time.perf_counter(), time.process_time()
    try:
        if profiler:
            profiler.enable()
        cli.main(args=rest, prog_name=tool, standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
    except Exception as exc:  # the command's own error: report it and fail like the command would
        print(f"{tool}: {type(exc).__name__}: {exc}", file=sys.stderr)
        code = 1
    finally:
        if profiler:
            profiler.disable()
            profiler.dump_stats(str(args.cprofile))
        finish(args.out, time.perf_counter() - t, code, time.process_time() - cpu)
    if tool == "bantin" and not code:       # ended as the `bantin` program ends (generator.cli.run)
        from generator import cli as program
        if getattr(program, "finished", lambda: False)():
            program.leave()
    sys.exit(code or 0)


if __name__ == "__main__":
    main()
