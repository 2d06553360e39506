"""How the search page ranks: for a few queries of the kind readers type (no diacritics, several
words), where the bulletins holding the whole phrase and those with the words in their title
come, under several weightings of the title (Pagefind's `metaWeights`).

    .venv/bin/python bench/search_ranking.py SITE_DIR [--weights 1,5,10,20] [--query "..."]...

The built site is served on 127.0.0.1; headless Chromium runs the search page's own code with
each weighting written into the page (its data-meta-weights attribute).  For each query and
weighting it prints the first results, marked P when the page holds the query as a phrase and T
when its title holds every word, and the mean rank of those P and T results (lower is better).
"""
from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.search_weight import CHROMIUM_FLAGS, serve  # noqa: E402
from generator.vietnamese import fold  # noqa: E402

QUERIES = ("hoi nghi tiep xuc cu tri", "tiem chung vac xin", "giao ban du luan", "ky hop hoi dong nhan dan")
TOP = 8


def words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", fold(text))) + " "


def marks(site: Path, url: str, title: str, query: str) -> str:
    page = (site / url.lstrip("/") / "index.html").read_text(encoding="utf-8")
    body = words(html.unescape(re.sub(r"<[^>]+>", " ", page.split("data-pagefind-body", 1)[-1])))
    mark = "P" if f" {query} " in body else "-"
    return mark + ("T" if all(f" {w} " in words(title) for w in query.split()) else "-")


def measure(site: Path, weights: list[float], queries=QUERIES) -> dict:
    from playwright.sync_api import sync_playwright

    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/tim-kiem/"
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    out: dict = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
            page = browser.new_page()
            for weight in weights:
                chosen = json.dumps({"title": weight, "fold_title": weight, "fold_text": 1.0})

                def rewrite(route, request=None, chosen=chosen):
                    text = route.fetch().text()
                    text = re.sub(r"data-meta-weights='[^']*'", f"data-meta-weights='{chosen}'", text)
                    route.fulfill(body=text, headers={"content-type": "text/html; charset=utf-8"})

                page.unroute("**/tim-kiem/**")
                page.route("**/tim-kiem/**", rewrite)
                for query in queries:
                    page.goto(base + "?" + urlencode({"q": query}))
                    page.wait_for_selector(".bt-search__results[aria-busy=false]", state="attached")
                    page.wait_for_function("document.querySelector('.bt-search__status').textContent.length > 0 && !document.querySelector('.bt-search__status').textContent.startsWith('Đang')")
                    links = page.locator(".bt-result__title a")
                    found = [(links.nth(i).inner_text(), links.nth(i).get_attribute("href"))
                             for i in range(min(links.count(), TOP))]
                    out.setdefault(query, {})[weight] = [(marks(site, url, title, query), title) for title, url in found]
            browser.close()
    finally:
        server.shutdown()
    return out


def mean_rank(rows: list, letter: str) -> str:
    ranks = [n + 1 for n, (m, _) in enumerate(rows) if letter in m]
    return f"{sum(ranks) / len(ranks):.1f}" if ranks else "-"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--weights", default="1,5,10,20")
    parser.add_argument("--query", action="append")
    args = parser.parse_args(argv)
    result = measure(args.site, [float(w) for w in args.weights.split(",")], tuple(args.query or QUERIES))
    for query, by_weight in result.items():
        print(f"== {query}")
        for weight, rows in by_weight.items():
            print(f"  title weight {weight:g}: mean rank of P {mean_rank(rows, 'P')}, of T {mean_rank(rows, 'T')}")
            for mark, title in rows:
                print(f"    {mark} {title[:80]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
