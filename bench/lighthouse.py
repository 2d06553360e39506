"""Lighthouse scores and page weights of a built portal, as a reader on a cheap phone gets it.

    .venv/bin/python bench/lighthouse.py                 # build the demo into a temp folder, measure
    .venv/bin/python bench/lighthouse.py --site site/    # measure an existing build
    .venv/bin/python bench/lighthouse.py --runs 3        # median of three runs per page

The site is served on 127.0.0.1 with gzip, as any real web host serves text.  Lighthouse
runs with its mobile defaults (simulated slow 4G, 4x CPU slowdown, a small screen) in
Debian's Chromium.  Page weight is the gzip size of a page's HTML, CSS and JS (what a
reader downloads before the first photo); photos are counted apart.  Results go to
bench/out/lighthouse.json; the table goes to standard output.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import mimetypes
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
                "--disable-component-update --disable-sync")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/xml",
              "application/rss+xml", "application/atom+xml", "image/svg+xml")
BUDGET = 100 * 1024   # a bulletin page without its photos, gzip


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip for text, as nginx or any CDN serves them."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()
            path = path / "index.html"
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file() or not wants_gzip or not ctype.startswith(TEXT_TYPES):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        import io
        return io.BytesIO(body)


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass   # Lighthouse drops connections it no longer needs: not worth a traceback


def serve(site: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(GzipHandler, directory=str(site))
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build(dest: Path) -> Path:
    subprocess.run([sys.executable, "-m", "generator", "build", "--quiet", "--site-dir", str(dest)],
                   cwd=ROOT, check=True)
    return dest


def default_pages(site: Path) -> list[str]:
    """Home, the newest bulletin, a category listing, and the search page when there is one."""
    pages = [""]
    html = (site / "index.html").read_text(encoding="utf-8")
    lead = re.search(r'class="bt-lead-story__title"><a href="([^"]+)"', html)
    if lead:
        pages.append(urlsplit(urljoin("http://x/", lead.group(1))).path.lstrip("/"))
    categories = sorted(p.parent.relative_to(site).as_posix() + "/" for p in (site / "chuyen-muc").glob("*/index.html"))
    if categories:
        pages.append(categories[0])
    if (site / "tim-kiem" / "index.html").is_file():
        pages.append("tim-kiem/")
    else:
        print("note: no search page (tim-kiem/) in this build", file=sys.stderr)
    return pages


_REF = re.compile(r'<(?:link[^>]*rel="?stylesheet"?[^>]*href|script[^>]*src)="([^"]+)"')
_IMG = re.compile(r'<img[^>]*\ssrc="([^"]+)"')


def local_file(site: Path, page: str, ref: str) -> Path | None:
    url = urlsplit(urljoin("http://x/" + page, ref))
    if url.netloc != "x":
        return None
    path = site / unquote(url.path).lstrip("/")
    return path / "index.html" if path.is_dir() else path


def weight(site: Path, page: str) -> dict:
    """gzip bytes of the page's HTML, CSS and JS (what a reader downloads before any photo)."""
    html_file = site / page / "index.html" if not page.endswith(".html") else site / page
    html = html_file.read_text(encoding="utf-8")
    sizes = {"html": len(gzip.compress(html.encode(), 6)), "css": 0, "js": 0, "external": []}
    for ref in _REF.findall(html):
        path = local_file(site, page, ref)
        if path is None:
            sizes["external"].append(ref)
            continue
        kind = "css" if path.suffix == ".css" else "js"
        sizes[kind] += len(gzip.compress(path.read_bytes(), 6))
    for ref in set(_IMG.findall(html)):   # photos are not weighed here, but must come from the site
        if local_file(site, page, ref) is None:
            sizes["external"].append(ref)
    sizes["total"] = sizes["html"] + sizes["css"] + sizes["js"]
    return sizes


def lighthouse(url: str, out: Path) -> dict:
    cmd = [str(LIGHTHOUSE), url, "--chrome-path=" + (shutil.which("chromium") or "/usr/bin/chromium"),
           "--chrome-flags=" + CHROME_FLAGS, "--form-factor=mobile", "--output=json",
           "--output-path=" + str(out), "--quiet", "--locale=vi"]
    subprocess.run(cmd, check=True, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {k: round(100 * (report["categories"][k]["score"] or 0)) for k in CATEGORIES}
    audits = report["audits"]
    metrics = {k: audits[k]["numericValue"] for k in
               ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")}
    failed = {k: sorted(a["id"] for a in _failing(report, k)) for k in CATEGORIES}
    transfer: dict[str, int] = {}
    for req in audits.get("network-requests", {}).get("details", {}).get("items", []):
        kind = req.get("resourceType") or "Other"
        transfer[kind] = transfer.get(kind, 0) + int(req.get("transferSize") or 0)
    return {"scores": scores, "metrics": metrics, "failed": failed, "transfer": transfer}


def _failing(report: dict, category: str):
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
            yield audit


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the demo into a temp folder)")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page; the median is kept")
    parser.add_argument("--no-lighthouse", action="store_true", help="page weights only")
    parser.add_argument("pages", nargs="*", help="site paths, e.g. '' or 'chuyen-muc/x/' (default: a sample)")
    args = parser.parse_args()
    tmp = None
    if args.site:
        site = args.site.resolve()
    else:
        tmp = Path(tempfile.mkdtemp(prefix="bantin-lh-"))
        site = build(tmp / "site")
    pages = args.pages or default_pages(site)
    out_dir = ROOT / "bench" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    results = {}
    try:
        for page in pages:
            row = {"weight": weight(site, page)}
            if not args.no_lighthouse:
                runs = [lighthouse(base + page, out_dir / f"lh-{re.sub(r'[^a-z0-9]+', '-', page) or 'home'}-{i}.json")
                        for i in range(args.runs)]
                perf = [r["scores"]["performance"] for r in runs]
                median = runs[perf.index(sorted(perf)[len(perf) // 2])]
                row.update(median, performance_runs=perf)
            results[page or "/"] = row
        bulletins = sorted(p.parent.relative_to(site).as_posix() + "/"
                           for p in site.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))
        heaviest = max(bulletins, key=lambda u: weight(site, u)["total"], default=None)
        if heaviest:
            results["heaviest bulletin"] = {"page": heaviest, "weight": weight(site, heaviest), "of": len(bulletins)}
    finally:
        server.shutdown()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    (out_dir / "lighthouse.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print("Scores: Lighthouse, mobile. html/css/js/total: gzip bytes of the page without photos. "
          "sent: what Lighthouse's phone downloaded on load (all requests, photos in the first screen included).")
    print(f"{'page':62} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4}  {'html':>6} {'css':>6} {'js':>6} {'total':>7} {'sent':>7}")
    for page, row in results.items():
        if page == "heaviest bulletin":
            w = row["weight"]
            print(f"heaviest of {row['of']} bulletin pages: /{row['page']}: {w['total'] / 1024:.1f}K gzip "
                  f"(html {w['html'] / 1024:.1f}K, css {w['css'] / 1024:.1f}K, js {w['js'] / 1024:.1f}K); "
                  f"budget {BUDGET // 1024}K")
            continue
        w = row["weight"]
        s = row.get("scores", {})
        cells = [str(s.get(k, "-")) for k in CATEGORIES]
        sent = sum(row.get("transfer", {}).values())
        print(f"{page[:62]:62} {cells[0]:>4} {cells[1]:>4} {cells[2]:>4} {cells[3]:>4}  "
              f"{w['html'] / 1024:5.1f}K {w['css'] / 1024:5.1f}K {w['js'] / 1024:5.1f}K {w['total'] / 1024:6.1f}K "
              + (f"{sent / 1024:6.1f}K" if sent else "     -"))
        if w["total"] > BUDGET and "/" in page:
            print(f"{'':62} OVER BUDGET: {w['total'] / 1024:.1f}K > {BUDGET // 1024}K")
        if "metrics" in row:
            m = row["metrics"]
            print(f"{'':62} FCP {m['first-contentful-paint'] / 1000:.2f}s LCP {m['largest-contentful-paint'] / 1000:.2f}s "
                  f"TBT {m['total-blocking-time']:.0f}ms CLS {m['cumulative-layout-shift']:.3f}"
                  + (f"  runs {row['performance_runs']}" if len(row["performance_runs"]) > 1 else ""))
            for k, ids in row["failed"].items():
                if ids:
                    print(f"{'':62} {k} below 1: {', '.join(ids)}")
        if w["external"]:
            print(f"{'':62} EXTERNAL: {', '.join(w['external'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
