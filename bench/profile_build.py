"""Where a Bantin build spends its time, per page, in the terms one optimises by.

    python bench/profile_build.py [--sizes 1000,2000] [--out bench/out] [--root .] [--jobs 1]

Builds each corpus once under cProfile (in one process: work in forked
processes would be invisible, so the plugin is given `jobs: 1`, which keeps
reading, Markdown, feeds and pages in one process) and once without, and splits the profiled time into: YAML,
validation, Markdown, our Jinja templates, Material's shell (base.html and its
partials), MkDocs' per-page machinery, the rest.  Costs are in ms per page; a
cost whose per-page time grows with N is
flagged as super-linear.  The profile counts CPU time (time.process_time), and
costs are scaled by the CPU time of an unprofiled build, so that other work on
the machine changes the figures little.
"""
from __future__ import annotations

import argparse
import json
import os
import pstats
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import corpus  # noqa: E402
import run as bench_run  # noqa: E402


WAITS = ("'poll' of 'select.poll'", "posix.waitpid", "time.sleep", "'acquire' of '_thread.lock'", "select.select")


def _match(key, file_part: str, func: str) -> bool:
    filename, _, name = key
    return file_part in filename.replace(os.sep, "/") and name == func


class Profile:
    def __init__(self, path: Path):
        self.stats = pstats.Stats(str(path)).stats   # (file, line, func) -> (cc, nc, tt, ct, callers)
        self.total = max(ct for _, _, _, ct, _ in self.stats.values())
        # Waiting for another process (Pagefind, workers) is wall time of that process, not of this one.
        self.waiting = self.own(lambda k: k[0] == "~" and any(w in k[2] for w in WAITS))
        self.busy = self.total - self.waiting

    def cum(self, file_part: str, func: str) -> float:
        """Inclusive time of one function (summed over same-named definitions in matching files)."""
        return sum(v[3] for k, v in self.stats.items() if _match(k, file_part, func))

    def cum_of(self, fn) -> float:
        """Inclusive time of exactly this Python function."""
        code = fn.__code__
        key = (code.co_filename, code.co_firstlineno, code.co_name)
        return self.stats[key][3] if key in self.stats else 0.0

    def calls(self, file_part: str, func: str) -> int:
        return sum(v[1] for k, v in self.stats.items() if _match(k, file_part, func))

    def own(self, predicate) -> float:
        """Exclusive time of every function whose key matches."""
        return sum(v[2] for k, v in self.stats.items() if predicate(k))

    def own_share(self, part: str) -> float:
        """Exclusive time of template code in files whose path contains `part`."""
        return self.own(lambda k: part in k[0].replace(os.sep, "/") and k[0].endswith(".html"))

    def cum_from(self, target_file: str, target_func: str, caller_file: str) -> float:
        """Inclusive time of a function when called from code in `caller_file`."""
        total = 0.0
        for key, (_, _, _, _, callers) in self.stats.items():
            if _match(key, target_file, target_func):
                for caller, (_, _, _, ct) in callers.items():
                    if caller_file in caller[0].replace(os.sep, "/"):
                        total += ct
        return total

    def top(self, n: int = 25) -> list[tuple[float, int, str]]:
        rows = [(v[2], v[1], f"{_short(k[0])}:{k[1]}({k[2]})") for k, v in self.stats.items()]
        return sorted(rows, reverse=True)[:n]


def _short(path: str) -> str:
    path = path.replace(os.sep, "/")
    for marker in ("site-packages/", "theme_overrides/", "generator/"):
        if marker in path:
            return marker.rstrip("/").split("/")[-1] + "/" + path.split(marker, 1)[1] if marker != "site-packages/" \
                else path.split(marker, 1)[1]
    return path


# Templates of theme_overrides/ that make the page around the content, as Material's base.html does.
SHELL_TEMPLATES = ("main.html", "bantin/base.html", "bantin/header.html", "bantin/footer.html", "bantin/frame.html",
                   "partials/", "404.html")


def categories(p: Profile) -> dict[str, float]:
    """Inclusive seconds of the costs one would optimise separately; indented lines are parts of the line above."""
    from mkdocs.structure.pages import Page as MkPage

    jinja = p.cum("jinja2/environment.py", "render")
    shell = sum(p.own_share("theme_overrides/" + name) for name in SHELL_TEMPLATES)
    ours = p.own_share("theme_overrides/") - shell
    material = p.own_share("material/templates/")
    known = ours + shell + material or 1.0
    render_in_mkdocs = p.cum_from("jinja2/environment.py", "render", "mkdocs/commands/build.py")
    render_in_writer = p.cum_from("jinja2/environment.py", "render", "generator/writer.py")
    markdown = p.cum("generator/content/markdown.py", "html")
    cleaning = p.cum("generator/content/markdown.py", "sanitise")
    return {
        "YAML parsing (reader.load_yaml)": p.cum("generator/content/reader.py", "load_yaml"),
        "YAML duplicate-key walk": p.cum("generator/content/reader.py", "_duplicate_keys"),
        "validation (pydantic, Reader._validate)": p.cum("generator/content/reader.py", "_validate"),
        "Markdown to HTML (Python-Markdown)": markdown - cleaning,
        "HTML cleaning (nh3)": cleaning,
        "collect (Site.build)": p.cum("generator/site.py", "build"),
        "  of which related bulletins (Site._relate)": p.cum("generator/site.py", "_relate"),
        "views (listing and bulletin Page objects, JSON-LD)": p.cum("generator/views/listings.py", "all_pages")
        + p.cum("generator/views/bulletins.py", "bulletin_pages"),
        "feeds and other assets": p.cum("generator/feeds.py", "feed_assets")
        + p.cum("generator/views/bulletins.py", "redirects"),
        "Jinja: every template render": jinja,
        "  our page templates (bulletin, listing, macros...), by share of own time": jinja * ours / known,
        "  our page shell (main.html, bantin/base, header, footer, frame, partials/)": jinja * shell / known,
        "  Material's templates (base.html, partials), by share of own time": jinja * material / known,
        "  the `url` filter (in both)": p.cum("mkdocs/utils/templates.py", "url_filter"),
        "  select/reject filters (a whole list per page is quadratic)": p.cum("jinja2/filters.py", "select_or_reject"),
        "  search records made in templates (search.record)": p.cum("generator/search.py", "record"),
        "MkDocs: Page objects (Page.__init__)": p.cum_of(MkPage.__init__),
        "MkDocs: per-page Markdown (Page.render)": p.cum_of(MkPage.render),
        "MkDocs: read_source, page events": p.cum("mkdocs/commands/build.py", "_populate_page")
        - p.cum_of(MkPage.render),
        "MkDocs: _build_page without the template (context, events, writing)":
            p.cum("mkdocs/commands/build.py", "_build_page") - render_in_mkdocs,
        "  of which writing files (utils.write_file)": p.cum("mkdocs/utils/__init__.py", "write_file"),
        "MkDocs: File objects, files and nav": p.cum("mkdocs/structure/files.py", "generated")
        + p.cum("mkdocs/structure/files.py", "get_files") + p.cum("mkdocs/structure/nav.py", "get_navigation"),
        "MkDocs: copying theme assets": p.cum("mkdocs/structure/files.py", "copy_static_files"),
        "Bantin writer without the templates (frames, joining, files)":
            p.cum("generator/writer.py", "write") - render_in_writer,
        "search index (in this process, without waiting for Pagefind)": p.cum("generator/search.py", "index")
        - p.waiting,
    }


def one_process(project: Path, jobs: int):
    """mkdocs.yml with the writer in `jobs` processes; gives back the original text."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if jobs and "jobs:" not in text:
        config.write_text(re.sub(r"(\n  - bantin:\n)", rf"\1      jobs: {jobs}\n", text, count=1), encoding="utf-8")
    return config, text


def builds(n: int, project: Path, out: Path, env: dict, jobs: int):
    """The build without and then with cProfile (CPU time), the writer in one process when the plugin allows it."""
    prof = out / f"profile-{n}.prof"
    config, text = one_process(project, jobs)
    try:
        # Both from nothing: the second would otherwise take every page from the first one's cache.
        bench_run.discard(project / ".cache", out)
        plain = bench_run.run_build("bantin", n, project, out / f"site-plain-{n}", out, env, 7200, tag="-plain")
        bench_run.discard(project / ".cache", out)
        profiled = bench_run.run_build("bantin", n, project, out / f"site-profile-{n}", out, env, 7200,
                                       probe_args=("--cprofile", str(prof)), tag="-profiled")
    finally:
        config.write_text(text, encoding="utf-8")
        bench_run.empty_trash(out)
    for r in (plain, profiled):
        if not r.ok:
            raise SystemExit(f"build failed: {r.error}")
    return prof, plain, profiled


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=bench_run.sizes, default=[1000, 2000])
    ap.add_argument("--out", type=Path, default=BENCH / "out")
    ap.add_argument("--root", type=Path, default=bench_run.ROOT)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--jobs", type=int, default=1, help="writer processes while profiling (0: the plugin's default)")
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args(argv)
    root, out = args.root.resolve(), args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
           "PYTHONDONTWRITEBYTECODE": "1"}
    results = {}
    for n in args.sizes:
        base = corpus.generate(n, out / f"corpus-{n}", seed=args.seed, layouts=("bantin",),
                               config=root / "mkdocs.yml", theme=root / "theme_overrides")
        prof, plain, profiled = builds(n, base / "bantin", out, env, args.jobs)
        p = Profile(prof)
        pages = profiled.probe.get("counts", {}).get("pages") or n
        results[n] = (p, plain, profiled.cpu, pages)
        stages = {k: round(v, 2) for k, v in plain.probe.get("pipeline", {}).items()}
        print(f"\n## N = {n:,}: {pages:,} pages; unprofiled {plain.wall:.1f} s wall, {plain.probe['main_cpu']:.1f} s CPU "
              f"in the build process (load {plain.load:.1f}); profiled {p.busy:.1f} s busy "
              f"(factor {p.busy / plain.probe['main_cpu']:.2f}), {p.waiting:.1f} s waiting for other processes; "
              f"stages {json.dumps(stages)}", flush=True)
        print(f"\nTop {args.top} functions by own time (profiled s, calls):")
        for tt, calls, name in p.top(args.top):
            print(f"  {tt:7.2f} {calls:9,d}  {name}")
    print("\n## Costs: CPU seconds and ms per page, scaled to the unprofiled build "
          "(per bulletin for YAML, validation, Markdown, cleaning)\n")
    sizes = list(results)
    header = "| cost | " + " | ".join(f"N={n:,} s (scaled)" for n in sizes) + " | " + \
             " | ".join(f"ms/unit N={n:,}" for n in sizes) + " | growth |"
    print(header)
    print("|---" * (1 + 2 * len(sizes) + 1) + "|")
    per_bulletin = ("YAML", "validation", "Markdown", "HTML cleaning")
    cats = {n: categories(results[n][0]) for n in sizes}
    for name in cats[sizes[0]]:
        secs, units = [], []
        for n in sizes:
            p, plain, profiled_cpu, pages = results[n]
            scale = plain.probe["main_cpu"] / p.busy   # both: CPU of the build process, after start-up
            s = cats[n][name] * scale
            secs.append(s)
            units.append(1000 * s / (n if name.startswith(per_bulletin) else pages))
        growth = units[-1] / units[0] if units[0] > 0.0005 else None
        flag = "" if growth is None else (f"{growth:.2f}" + (" super-linear" if growth > 1.25 else ""))
        print(f"| {name} | " + " | ".join(f"{s:.2f}" for s in secs) + " | "
              + " | ".join(f"{u:.3f}" for u in units) + f" | {flag} |")
    for n in sizes:
        p, plain, profiled_cpu, pages = results[n]
        print(f"\nN={n:,}: profiled {p.total:.1f} s, {p.busy:.1f} s busy; the top-level lines cover "
              f"{sum(v for k, v in cats[n].items() if not k.startswith('  ')):.1f} s of it.")


if __name__ == "__main__":
    main()
