"""A federation portal at scale, over generated exports: build time, peak memory, bytes per query.

    .venv/bin/python bench/federation.py [--wards 20] [--per-ward 500] [--districts 0] [--out bench/out]

A district: `--wards` ward sites of `--per-ward` bulletins each, as their exports
(jsonfeed.py's format, generated here, not built: a ward's own build is its own CI's
business) in folders; the district portal (a few bulletins of its own) is built over
them by `bantin build`, in a fresh process, measured from outside (bench/run.py: wall
time, peak memory of the process tree), then built again with nothing changed.
A province (`--districts N`): N such districts, each a district export that re-publishes
its wards' bulletins at their own addresses; the province portal reads the N exports.

Bytes per query: the portal served with gzip (bench/search_weight.py), headless Chromium
on its search page loads Pagefind, merges the members' bundle into the portal's own (as the
search page does with its `bundles`: those not marked `later`, and once all of them, as when the
reader asks for the archive), runs a query and loads the first ten results; every response of
a bundle is counted as it came over the wire, each time with an empty cache.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
from pathlib import Path

import lxml.html
import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import run  # noqa: E402
import search_weight  # noqa: E402
from federation_sites import CATEGORIES, TOPICS, bulletin, member_project  # noqa: E402
from generator import jsonfeed, search, urls  # noqa: E402

MiB = 1024 * 1024
WORDS = ("hội nghị tiếp xúc cử tri kiến nghị nhân dân phường quận đảng ủy mặt trận tổ quốc đoàn thanh niên "
         "an sinh xã hội môi trường rác thải ngập úng giải phóng mặt bằng tái định cư trật tự đô thị giao thông "
         "y tế trường học tiêm chủng dịch bệnh điện nước sinh hoạt người cao tuổi trẻ em hộ nghèo chính sách "
         "việc làm thanh niên công an an ninh trật tự khu dân cư văn minh đô thị cải cách hành chính dịch vụ công").split()
QUERIES = ("tiep xuc cu tri", "ngap ung", "Chủ tọa 17")


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def item(rng: random.Random, site_url: str, unit: str, name: str, n: int) -> dict:
    day = 1 + n % 28
    month = 1 + (n // 28) % 12
    year = 2024 - n // 336
    slug = f"tin-{unit}-{n}"
    url = f"{site_url}{year:04d}/{month:02d}/{slug}/"
    lead = words(rng, 40).capitalize() + "."
    record = {"unit": unit, "category": CATEGORIES[n % 2]["key"], "topics": [TOPICS[n % 2]["key"]], "lead": lead,
              "cover": None, "meeting": None, "opinion": None, "origin": site_url}
    if n % 3 == 0:
        record["meeting"] = {"start": f"{year:04d}-{month:02d}-{day:02d}T08:00:00+07:00", "location": f"Hội trường {name}",
                             "format": "hội nghị", "chairs": [{"name": f"Chủ tọa {n % 40}", "role": "Bí thư"}],
                             "documents": [{"number": f"{n % 90 + 1}-QĐ/ĐU"}], "conclusions": [words(rng, 15)]}
    if n % 5 == 0:
        record["opinion"] = {"period": f"{year:04d}-{month:02d}", "network": 20, "reports": 30, "concerns": [
            {"topic": TOPICS[1]["key"], "title": words(rng, 6).capitalize(), "summary": words(rng, 25),
             "response": {"agency": f"UBND {name}", "status": "pending"}} for _ in range(3)]}
    return {"id": f"tag:{unit}.example.vn,{year:04d}-{month:02d}:/{slug}/", "url": url,
            "title": f"{words(rng, 10).capitalize()} ({name}, số {n})", "content_text": lead, "summary": lead,
            "date_published": f"{year:04d}-{month:02d}-{day:02d}T{8 + n % 10:02d}:{n % 60:02d}:00+07:00",
            "authors": [{"name": name}], "language": "vi", "_bantin": record}


def write_export(folder: Path, site_url: str, items: list[dict], units: list[dict], members: list[str]) -> None:
    """`items` as a site's export: pages of jsonfeed.EXPORT_PAGE, each naming the next."""
    items = sorted(items, key=lambda i: i["date_published"], reverse=True)
    size = jsonfeed.EXPORT_PAGE
    count = max(1, -(-len(items) // size))
    for n in range(1, count + 1):
        page = {"version": jsonfeed.VERSION, "title": f"{site_url} {n}", "home_page_url": site_url,
                "feed_url": site_url + urls.export_page(n),
                **({"next_url": site_url + urls.export_page(n + 1)} if n < count else {}),
                "_bantin": {"version": jsonfeed.EXPORT_VERSION, "site_url": site_url, "units": units,
                            "categories": CATEGORIES, "topics": TOPICS, "members": members},
                "items": items[(n - 1) * size:n * size]}
        path = folder / urls.export_page(n)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(page, ensure_ascii=False), encoding="utf-8")


def district(key: str, wards: int, per_ward: int, seed: int) -> tuple[dict, list[tuple[str, str, list[dict], dict]]]:
    """The district's unit, and per ward (site_url, key, items, unit)."""
    rng = random.Random(seed)
    unit = {"key": key, "name": f"Quận {key[5:].replace('-', ' ').title()}", "level": "quận"}
    out = []
    for w in range(wards):
        wkey = f"{key}-phuong-{w:02d}"
        name = f"Phường {w:02d} {unit['name'][5:]}"
        site_url = f"https://{wkey}.example.vn/"
        ward = {"key": wkey, "name": name, "level": "phường", "parent": key}
        out.append((site_url, wkey, [item(rng, site_url, wkey, name, n) for n in range(per_ward)], ward))
    return unit, out


def portal_project(dest: Path, site_url: str, unit: dict, members: list[str]) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    project = member_project(dest, site_url, [unit], [bulletin(unit["key"], unit["name"], 2, "toàn quận")])
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "bantin" in plugin:
            plugin["bantin"]["members"] = members
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return project


def measure_queries(site: Path, unit: str, members: list | None = None) -> dict:
    """Bytes of every bundle a query loads (empty cache each time), and the number of results.

    The bundles are the search page's own (its `data-bundles`), loaded as its script loads them:
    the first, then the others merged.  `members`: [(path, options)...] in place of the portal's
    index of its members, e.g. each member's own index copied in (the other way to search them).
    """
    from playwright.sync_api import sync_playwright

    search_weight.BUNDLE = ""        # every request is seen; those of the bundles are counted
    server = search_weight.serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    # On a page without the search page's own script, which would load the same bundles itself.
    script = """async ([query, unit, bundles]) => {
        const root = new URL("/", location.href);
        const pf = await import(new URL(bundles[0].path + "pagefind.js", root).href);
        await pf.options({baseUrl: root.pathname, ...bundles[0].options});
        for (const b of bundles.slice(1)) await pf.mergeIndex(new URL(b.path, root).href, b.options);
        const found = await pf.search(query, unit ? {filters: {unit}} : {});
        const shown = await Promise.all(found.results.slice(0, 10).map(r => r.data()));
        return {count: found.results.length, bundles: bundles.length,
                hosts: [...new Set(shown.map(d => new URL(d.url, location.href).host))]};
    }"""
    page_html = lxml.html.parse(str(site / urls.file_of(urls.SEARCH))).getroot()
    listed = json.loads(page_html.cssselect(".bt-search")[0].get("data-bundles"))
    if members:
        listed = [b for b in listed if not b["path"].startswith(urls.MEMBERS_BUNDLE)]
        listed += [{"path": path, "options": options} for path, options in members]
    # What the page searches at first; and, for the first query, with the archive the reader can ask for.
    first = [b for b in listed if not b.get("later")]
    asked = [*((q, q, "", first) for q in QUERIES), ("unit filter only", None, unit, first)]
    if len(first) < len(listed):
        asked.append((f"{QUERIES[0]}, with the archive", QUERIES[0], "", listed))
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                        headless=True, args=search_weight.CHROMIUM_FLAGS)
            try:
                for name, query, flt, bundles in asked:
                    context = browser.new_context(locale="vi-VN")
                    page = context.new_page()
                    meter = search_weight.Meter(page)
                    page.goto(base + urls.NOT_FOUND)
                    found = page.evaluate(script, [query, flt, bundles])
                    page.wait_for_timeout(300)
                    files = [(f, n) for f, n in meter.take()["files"] if "pagefind" in f or "_merge/" in f]
                    out[name] = {**found, "bytes": sum(n for _, n in files), "requests": len(files)}
                    context.close()
            finally:
                browser.close()
    finally:
        server.shutdown()
    return out


def members_own_indexes(site: Path, wards: list, binary: Path) -> list[tuple[str, dict]]:
    """Each ward's own index (its records at its own addresses, as its site's bundle would hold
    them), copied into the portal under `_merge/<ward>/`: the other way to search across members."""
    from generator.federation import index

    out = []
    for site_url, key, items, _ in wards:
        records = [{"url": "/" + i["url"][len(site_url):], "content": f"{i['title']}. {i['_bantin']['lead']}",
                    "language": "vi", "meta": {"title": i["title"]},
                    "filters": {"unit": [i["_bantin"]["unit"], key.rsplit("-phuong-", 1)[0]]}} for i in items]
        path = f"_merge/{key}/"
        index.index_records(index.as_lines(records), site / path, binary, ROOT)
        out.append((path, {"baseUrl": site_url}))
    return out


def build(project: Path, work: Path, tag: str, n: int) -> run.Result:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return run.run_build("bantin", n, project, project / "site", work, env, timeout=3600, tag=tag)


def line(label: str, r: run.Result) -> str:
    stages = {k: round(v, 1) for k, v in r.probe.get("pipeline", {}).items() if v >= 0.5}
    return (f"| {label} | {'ok' if r.ok else r.error[:200]} | {r.wall:,.1f} s | {r.peak / MiB:,.0f} MiB | "
            f"{r.site_bytes / MiB:,.0f} MiB | {stages} |")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wards", type=int, default=20)
    parser.add_argument("--per-ward", type=int, default=500)
    parser.add_argument("--districts", type=int, default=0, help="also a province of this many districts")
    parser.add_argument("--compare", action="store_true",
                        help="also measure queries over every member's own index merged (mergeIndex)")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    args = parser.parse_args(argv)
    work = args.out / "federation"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    rows, queries, memory = [], {}, []

    unit, wards = district("quan-mot", args.wards, args.per_ward, seed=1)
    folders = []
    for site_url, key, items, ward in wards:
        folder = work / "wards" / key
        write_export(folder, site_url, items, [unit, ward], [])
        folders.append(str(folder))
    total = args.wards * args.per_ward
    project = portal_project(work / "district", "https://quan-mot.example.vn/", unit, folders)
    first = build(project, work, "-district", total)
    rows.append(line(f"district {args.wards}×{args.per_ward} ({total:,}), first build", first))
    memory.append(("district, first build", first))
    again = build(project, work, "-district-again", total)
    rows.append(line("district, again, members unchanged", again))
    if first.ok:
        queries["district, the portal's index of its members"] = measure_queries(project / "site", wards[0][1])
        if args.compare:
            merged = members_own_indexes(project / "site", wards, search.find_binary(ROOT))
            queries["district, every member's own index merged"] = measure_queries(project / "site", wards[0][1], merged)

    if args.districts:
        exports = []
        for d in range(args.districts):
            dunit, dwards = district(f"quan-{d:02d}", args.wards, args.per_ward, seed=100 + d)
            site_url = f"https://{dunit['key']}.example.vn/"
            folder = work / "districts" / dunit["key"]
            items = [i for _, _, its, _ in dwards for i in its]
            write_export(folder, site_url, items, [dunit, *(w for *_, w in dwards)], [s for s, *_ in dwards])
            exports.append(str(folder))
        province = {"key": "tinh-mot", "name": "Tỉnh Một", "level": "tỉnh"}
        project = portal_project(work / "province", "https://tinh-mot.example.vn/", province, exports)
        n = args.districts * total
        result = build(project, work, "-province", n)
        rows.append(line(f"province {args.districts} districts ({n:,})", result))
        memory.append(("province", result))
        if result.ok:
            queries["province"] = measure_queries(project / "site", "quan-00")

    report = ["| portal | result | wall | peak memory | site | stages ≥ 0.5 s |", "|---|---|---|---|---|---|", *rows, "",
              *(f"- {label}: {run.memory_note(r)}" for label, r in memory), ""]
    for name, found in queries.items():
        report.append(f"Bytes per query, {name} (every bundle, over the wire, empty cache):")
        for q, r in found.items():
            report.append(f"- {q!r}: {r['bytes'] / 1024:,.1f} KB in {r['requests']} requests over {r['bundles']} bundles, "
                          f"{r['count']:,} results, first ten from {len(r['hosts'])} hosts")
    text = "\n".join(report)
    (args.out / "federation.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
