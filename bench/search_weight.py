"""What search costs a reader: the index on disk, and the bytes one search downloads.

    .venv/bin/python bench/search_weight.py SITE_DIR [--query "du luan"] [--filter don-vi=KEY] [--json OUT]

The built site is served on 127.0.0.1 with gzip for text, as any web host serves it
(Pagefind's index files are gzipped by Pagefind already).  Headless Chromium opens the
search page /tim-kiem/ twice, each time with an empty cache: once with a query, once
with a filter only (no words: the case where an index that is not split by filter
downloads everything).  Every response under /pagefind/ is counted as it came over the
wire, until the first page of results is on screen.  A second query on the same page
shows what a reader pays once the search engine itself is loaded.  Then a few queries
for names (a place, a campaign, a document number), each with an empty cache too.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import mimetypes
import re
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import urlencode

BUNDLE = "pagefind/"
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
GOAL = 300 * 1024
DEFAULT_QUERY = "du luan"
SECOND_QUERY = "dang uy"
# Queries for what readers look up by name (a place, a campaign, a document): their words are in
# some bulletins, not in nearly all as "du luan" is, so they show the usual cost of a search.
NAMED_QUERIES = ("son tay", "tiem chung", "334-QĐ/QU")


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files; text gzipped on the way out, like nginx with gzip on."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", "") or not ctype.startswith(TEXT_TYPES):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def index_size(site: Path) -> dict:
    """Bytes on disk of the search bundle, in all and by kind of file."""
    bundle = site / BUNDLE
    kinds = {"index": "index", "fragment": "fragment", "filter": "filter"}
    out = {"total": 0, "index": 0, "fragment": 0, "filter": 0, "runtime": 0, "files": 0}
    for path in bundle.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            out["total"] += size
            out["files"] += 1
            out[kinds.get(path.parent.name, "runtime")] += size
    entries = [json.loads(p.read_text()) for p in entry_files(site)]
    out["pages"] = sum(lang["page_count"] for entry in entries for lang in entry["languages"].values())
    out["version"] = entries[0].get("version", "") if entries else ""
    out["parts"] = len(entries)
    return out


def entry_files(site: Path) -> list[Path]:
    """pagefind-entry.json of one index, or of each part of an index in parts (pagefind/<year>/)."""
    bundle = site / BUNDLE
    return [bundle / "pagefind-entry.json"] if (bundle / "pagefind-entry.json").is_file() \
        else sorted(bundle.glob("*/pagefind-entry.json"))


def first_unit(site: Path) -> str:
    """The first unit the search page offers: a top-level unit, so its filter is a large one."""
    html = (site / "tim-kiem" / "index.html").read_text(encoding="utf-8")
    select = re.search(r'<select name="don-vi".*?</select>', html, re.S)
    values = re.findall(r'<option value="([^"]+)"', select.group(0)) if select else []
    if not values:
        raise SystemExit("no unit filter on tim-kiem/: is this a Bantin site with search?")
    return f"don-vi={values[0]}"


class Meter:
    """Bytes over the wire of every finished request under /pagefind/ (body as sent, plus headers)."""

    def __init__(self, page):
        self.requests: list[tuple[str, int]] = []
        page.on("requestfinished", self._done)

    def _done(self, request):
        if f"/{BUNDLE}" not in request.url:
            return
        sizes = request.sizes()
        self.requests.append((request.url.split(f"/{BUNDLE}", 1)[1],
                              sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    def take(self) -> dict:
        taken, self.requests = self.requests, []
        return {"bytes": sum(n for _, n in taken), "requests": len(taken),
                "files": sorted(taken, key=lambda item: -item[1])}


def wait_results(page) -> None:
    page.wait_for_selector(".bt-search__results[aria-busy=false]", timeout=120_000)


def status(page) -> str:
    return page.locator(".bt-search__status").first.inner_text()


def measure(site: Path, query: str = DEFAULT_QUERY, filter_param: str = "",
            named: tuple = NAMED_QUERIES) -> dict:
    from playwright.sync_api import sync_playwright

    site = Path(site)
    filter_param = filter_param or first_unit(site)
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/tim-kiem/"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
    result = {"site": str(site), "index": index_size(site), "query_text": query, "filter": filter_param}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
            try:
                visits = [("one_query", base + "?" + urlencode({"q": query})),
                          ("filter_only", base + "?" + filter_param)]
                visits += [(f"named:{q}", base + "?" + urlencode({"q": q})) for q in named]
                for name, url in visits:
                    context = browser.new_context(locale="vi-VN")  # an empty cache each time
                    page = context.new_page()
                    meter = Meter(page)
                    page.goto(url)
                    wait_results(page)
                    result[name] = {**meter.take(), "status": status(page)}
                    if name == "one_query":  # the engine is loaded now: what a further query costs
                        box = page.locator("#bt-search-q")
                        box.fill(SECOND_QUERY)
                        box.press("Enter")
                        wait_results(page)
                        result["next_query"] = {**meter.take(), "query": SECOND_QUERY, "status": status(page)}
                    context.close()
            finally:
                browser.close()
    finally:
        server.shutdown()
    return result


def kb(n: int) -> str:
    return f"{n / 1024:,.1f} KB"


def report(r: dict) -> str:
    ix = r["index"]
    lines = [
        f"site: {r['site']}  ({ix['pages']:,} pages indexed in {ix['parts']} part(s), Pagefind {ix['version']})",
        f"index on disk: {kb(ix['total'])} in {ix['files']:,} files "
        f"(word index {kb(ix['index'])}, fragments {kb(ix['fragment'])}, filters {kb(ix['filter'])}, "
        f"runtime {kb(ix['runtime'])})",
    ]
    shown = [("one_query", f"one query ({r['query_text']!r}), empty cache"),
             ("filter_only", f"one filter-only query ({r['filter']}), empty cache"),
             ("next_query", "a further query on the same page")]
    shown += [(k, f"one query ({k.split(':', 1)[1]!r}), empty cache") for k in r if k.startswith("named:")]
    for name, label in shown:
        m = r[name]
        verdict = "" if name == "next_query" else ("  within goal" if m["bytes"] <= GOAL else "  OVER GOAL")
        lines.append(f"{label}: {kb(m['bytes'])} in {m['requests']} requests{verdict}  [{m['status']}]")
    lines.append(f"goal: at most {kb(GOAL)} per query")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built Bantin site (with pagefind/ and tim-kiem/)")
    parser.add_argument("--query", default=DEFAULT_QUERY)
    parser.add_argument("--filter", default="", help="query parameter of the search page, e.g. don-vi=quan-long-bien "
                                                     "(default: the first unit offered)")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    parser.add_argument("--files", action="store_true", help="list every file downloaded")
    parser.add_argument("--check", action="store_true", help="exit 1 when a search costs more than the goal")
    args = parser.parse_args(argv)
    if not entry_files(args.site):
        parser.error(f"{args.site}: no {BUNDLE} in this site (was it built with search?)")
    r = measure(args.site, args.query, args.filter)
    print(report(r))
    if args.files:
        for name in ("one_query", "filter_only", "next_query"):
            print(f"\n{name}:")
            for path, size in r[name]["files"]:
                print(f"  {size:>9,}  {path}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(r, ensure_ascii=False, indent=2), encoding="utf-8")
    over = any(r[k]["bytes"] > GOAL for k in ("one_query", "filter_only"))
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
