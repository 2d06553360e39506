"""The search index in parts (a year each) against one index: build time, peak memory of the
build's whole process tree, the rebuild after a one-sentence edit, and the bytes a reader's
browser downloads per query.

    .venv/bin/python bench/search_parts.py [--size 2000] [--out bench/out]

On a corpus of bench/corpus.py, each layout of the index is built cold (no cache) in a fresh
process, then again after one sentence of one bulletin was edited (cache kept); the sites are then
measured by bench/search_weight.py.  `BANTIN_SEARCH_PART_PAGES=0` gives one index; parts of at most 500
at 2,000 bulletins have the shape of the default (2,000) at 10,000.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import corpus  # noqa: E402
import search_weight  # noqa: E402
from run import MiB, discard, edit_one_sentence, empty_trash, run_build  # noqa: E402

LAYOUTS = (("one index", "0"), ("parts of at most 500", "500"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=2000)
    ap.add_argument("--out", type=Path, default=BENCH / "out")
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    root = BENCH.parent
    rows = []
    for label, parts in LAYOUTS:
        base = corpus.generate(args.size, out / f"corpus-parts-{args.size}-{parts}", seed=args.seed,
                               layouts=("bantin",), config=root / "mkdocs.yml", theme=root / "theme_overrides")
        project = base / "bantin"
        env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("BANTIN_SEARCH_PART_PAGES", None)
        if parts:
            env["BANTIN_SEARCH_PART_PAGES"] = parts
        site = out / f"site-parts-{args.size}-{parts}"
        discard(project / ".cache", out)
        empty_trash(out, settle=True)
        cold = run_build("bantin", args.size, project, site, out, env, 3600, tag=f"-parts{parts}")
        path, before = edit_one_sentence(project)
        edited = run_build("bantin", args.size, project, site, out, env, 3600, tag=f"-parts{parts}-edit", keep_site=True)
        path.write_text(before, encoding="utf-8")
        weight = search_weight.measure(site)
        rows.append((label, cold, edited, weight))
        print(f"{label}: cold {cold.wall:.1f} s (CPU {cold.cpu:.1f} s, peak {cold.peak_tree / MiB:,.0f} MiB, "
              f"load {cold.load:.2f}), edited {edited.wall:.1f} s (CPU {edited.cpu:.1f} s, peak "
              f"{edited.peak_tree / MiB:,.0f} MiB), {'ok' if cold.ok and edited.ok else cold.error or edited.error}",
              flush=True)
        shutil.rmtree(site, ignore_errors=True)
    kb = search_weight.kb
    print(f"\n{args.size:,} bulletins (bench/corpus.py), medians of one run each:\n")
    print("| | one index | parts of at most 500 |")
    print("|---|---:|---:|")
    one, split = rows[0], rows[1]

    def line(name, get):
        print(f"| {name} | {get(one)} | {get(split)} |")

    line("parts of the index", lambda r: str(r[3]["index"]["parts"]))
    line("cold build, wall (CPU)", lambda r: f"{r[1].wall:.1f} s ({r[1].cpu:.1f} s)")
    line("cold build, peak memory of the process tree", lambda r: f"{r[1].peak_tree / MiB:,.0f} MiB")
    line("one sentence edited, wall (CPU)", lambda r: f"{r[2].wall:.1f} s ({r[2].cpu:.1f} s)")
    line("index on disk", lambda r: kb(r[3]["index"]["total"]))
    for key, name in (("one_query", f"one query ({search_weight.DEFAULT_QUERY!r}), empty cache"),
                      ("filter_only", "one filter only, empty cache"),
                      ("next_query", "a further query on the same page")):
        line(name, lambda r, key=key: f"{kb(r[3][key]['bytes'])} in {r[3][key]['requests']} requests")
    for key in [k for k in one[3] if k.startswith("named:")]:
        line(f"one query ({key.split(':', 1)[1]!r}), empty cache",
             lambda r, key=key: f"{kb(r[3][key]['bytes'])} in {r[3][key]['requests']} requests")
    print(f"\nload (1 min) at the cold builds: {one[1].load:.2f}, {split[1].load:.2f}")
    (out / f"search-parts-{args.size}.json").write_text(json.dumps(
        [{"layout": r[0], "cold": r[1].wall, "cold_cpu": r[1].cpu, "peak": r[1].peak_tree, "edited": r[2].wall,
          "edited_cpu": r[2].cpu, "weight": r[3]} for r in rows], ensure_ascii=False, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
