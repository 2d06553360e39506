"""How long the web editor takes to show the bulletin list and one bulletin's form, on large sites.

`python bench/cms_load.py` makes corpora of 1,000 and 10,000 bulletins (bench/corpus.py), puts each
in a git repository, runs the local backend of `bantin serve` on it (generator/cms/backend.py:
decap-server in git mode behind the photo proxy), publishes /admin/ as the build does (without
building the rest of the site) and opens it in headless Chromium, each time in a new tab:

- list: from opening /admin/#/collections/bulletins until the first bulletin of the list is shown
  (Decap asks the backend for every file of the folder, then sorts and shows them);
- form: from opening one bulletin's address until its form holds its title (the list is loaded too,
  since Decap resolves the bulletin through it).

The median of `--runs` (after one warm-up run, which fills the operating system's file cache) is
written to bench/out/cms_load.md and printed.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import corpus  # noqa: E402
from conftest import CHROMIUM_FLAGS, chromium_path, serve_dir  # noqa: E402
from generator.cms import admin_files, local_backend  # noqa: E402
from generator.config import Settings  # noqa: E402
from generator.content.reader import Reader  # noqa: E402
from generator.site import Site  # noqa: E402


def git_repository(project: Path) -> None:
    if (project / ".git").is_dir():
        return
    (project / ".gitignore").write_text("/site/\n/.cache/\n", encoding="utf-8")
    for step in (["init", "-q", "-b", "main"], ["add", "-A"],
                 ["-c", "user.name=bench", "-c", "user.email=bench@example.vn", "commit", "-qm", "corpus"]):
        subprocess.run(["git", *step], cwd=project, check=True, capture_output=True)


def publish_admin(project: Path, out: Path) -> None:
    """/admin/ and the stylesheet its preview uses, as the build writes them."""
    settings = Settings(content_dir=project / "content", jobs=1)
    content = Reader(settings.content_dir, drafts=True, future=True, history=False).read()
    site = Site.build(settings, content)
    if out.exists():
        shutil.rmtree(out)
    for asset in admin_files(site):
        path = out / asset.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(asset.content)
    (out / "assets").mkdir()
    shutil.copy(ROOT / "theme_overrides" / "assets" / "bantin.css", out / "assets" / "bantin.css")


def first_source(project: Path) -> str:
    path = sorted((project / "content" / "bulletins").rglob("*.md"))[0]
    return path.relative_to(project / "content" / "bulletins").with_suffix("").as_posix()


def measure(browser, base: str, slug: str, runs: int) -> dict[str, float]:
    times: dict[str, list[float]] = {"list": [], "form": []}
    for run in range(runs + 1):
        for kind, url, ready in (
                ("list", f"{base}admin/#/collections/bulletins", "[class*=ListCard], [class*=GridCard]"),
                ("form", f"{base}admin/#/collections/bulletins/entries/{slug}", None)):
            tab = browser.new_page()
            start = time.perf_counter()
            tab.goto(url)
            if ready:
                tab.locator(ready).first.wait_for(timeout=300_000)
            else:
                tab.wait_for_function("() => { const e = document.querySelector('[id^=\"title-field-\"]');"
                                      " return e && e.value; }", timeout=300_000)
            if run:   # the first run warms the caches
                times[kind].append(time.perf_counter() - start)
            tab.close()
    return {kind: statistics.median(values) for kind, values in times.items()}


def login(browser, base: str) -> None:
    tab = browser.new_page()
    tab.goto(base + "admin/")
    tab.get_by_role("button", name="Đăng nhập").click()
    tab.get_by_role("link", name="Bài viết").first.wait_for(timeout=300_000)
    tab.close()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        project = corpus.generate(n, args.out / f"corpus-{n}", layouts=("bantin",)) / "bantin"
        git_repository(project)
        with local_backend(project) as local, sync_playwright() as p:
            assert local is not None, "the local backend did not start"
            publish_admin(project, project / "site")
            server = serve_dir(project / "site")
            base = f"http://127.0.0.1:{server.server_address[1]}/"
            profile = args.out / f"chromium-{n}"
            shutil.rmtree(profile, ignore_errors=True)
            browser = p.chromium.launch_persistent_context(
                str(profile), executable_path=chromium_path(), headless=True,
                args=[f for f in CHROMIUM_FLAGS if f != "--headless"], viewport={"width": 1300, "height": 900})
            try:
                login(browser, base)
                found = measure(browser, base, first_source(project), args.runs)
            finally:
                browser.close()
                server.shutdown()
        rows.append((n, found["list"], found["form"]))
        print(f"{n:,} bulletins: list {found['list']:.1f} s, form {found['form']:.1f} s", flush=True)
    lines = ["| bulletins | list shown | one bulletin's form ready |", "|---:|---:|---:|"]
    lines += [f"| {n:,} | {a:.1f} s | {b:.1f} s |" for n, a, b in rows]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "cms_load.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
