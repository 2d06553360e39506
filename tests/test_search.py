"""Search: Pagefind's index in the built site, and the search page in a real browser."""
from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.request
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from conftest import ROOT, bantin, make_project, serving
from generator import search
from generator.vietnamese import fold

SEED_000 = "Đảng ủy phường Ngọc Thụy tổ chức tọa đàm"
MONTHLY_2021 = "Giao ban Dư luận xã hội định kỳ tháng 11/2021"


# --------------------------------------------------------------- the index in the built site

# Parts of at most 12 bulletins: the demo's years (6 to 11 bulletins each) are one part each, as the
# years of a portal with thousands of bulletins a year are with the default size.
PARTS = {"BANTIN_SEARCH_PART_PAGES": "12"}


@pytest.fixture(scope="module")
def parted_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("parted") / "site"
    bantin("build", "--quiet", "--site-dir", str(out), env=PARTS)
    return out


@pytest.fixture(scope="module")
def parted_server(parted_site):
    with serving(parted_site) as base:
        yield base


def entries(site) -> dict:
    """Each part of the index (pagefind/<year>/) and what its pagefind-entry.json says."""
    return {p.parent.name: json.loads(p.read_text()) for p in (site / "pagefind").glob("*/pagefind-entry.json")}


def bundles_of(site) -> list[dict]:
    search_page = (site / "tim-kiem" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in search_page
    return json.loads(re.search(r"data-bundles='([^']*)'", search_page).group(1))


def test_build_indexes_every_bulletin_and_nothing_else(demo_site, parted_site):
    for site in (demo_site, parted_site):
        bulletins = [p for p in site.rglob("index.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")]
        assert len(bulletins) > 20
        parts = entries(site)
        assert sum(e["languages"]["vi"]["page_count"] for e in parts.values()) == len(bulletins)
        for name in parts:
            assert (site / "pagefind" / name / "pagefind.js").is_file()
            assert not (site / "pagefind" / name / "pagefind-ui.js").exists()  # the page uses the bare API only
        assert [b["path"] for b in bundles_of(site)] == [f"pagefind/{n}/" for n in sorted(parts, reverse=True)]
    assert list(entries(demo_site)) == ["2020_2024"]             # a small site: one part
    years = {p.relative_to(parted_site).parts[0] for p in parted_site.glob("20*/*/*/index.html")}
    parts = entries(parted_site)
    assert set(parts) == years                                  # parts of at most 12: a year each here
    for year, entry in parts.items():
        assert entry["languages"]["vi"]["page_count"] == len(list((parted_site / year).glob("*/*/index.html")))


def test_bulletin_carries_folded_words_for_d(demo_site):
    """'đ' is the one letter Pagefind does not fold: its words are copied, folded, as metadata."""
    html = next(text for text in (p.read_text(encoding="utf-8") for p in demo_site.rglob("index.html"))
                if re.search(r"<h1[^>]*>" + SEED_000, text))
    folded_title = re.search(r'data-pagefind-meta="fold_title:([^"]*)"', html).group(1)
    assert folded_title.startswith("dang uy phuong ngoc thuy to chuc toa dam")
    assert 'data-pagefind-filter="unit:phuong-ngoc-thuy"' in html
    assert 'data-pagefind-filter="unit:quan-long-bien"' in html  # a district's filter takes its wards' news
    assert 'data-pagefind-sort="date:2022-11-02T20:32"' in html


def test_build_without_pagefind_fails_clearly(tmp_path):
    project = make_project(tmp_path / "portal")
    out = tmp_path / "site"
    result = bantin("build", "-q", "-d", str(out), cwd=project, check=False,
                    env={search.BINARY_ENV: str(tmp_path / "no-such-pagefind")})
    assert result.returncode == 1
    assert "no-such-pagefind" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_missing_binary_names_the_install_command(tmp_path, monkeypatch):
    monkeypatch.delenv(search.BINARY_ENV, raising=False)
    monkeypatch.setattr(search, "BANTIN_HOME", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(search.PagefindError, match="npm install --omit=dev"):
        search.find_binary(tmp_path)


def test_search_can_be_switched_off(tmp_path):
    project = make_project(tmp_path / "portal")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - bantin:\n", "  - bantin:\n      search: false\n"),
                      encoding="utf-8")
    bantin("build", "-q", "-d", str(tmp_path / "site"), cwd=project,
           env={search.BINARY_ENV: str(tmp_path / "no-such-pagefind")})
    assert not (tmp_path / "site" / "pagefind").exists()


def test_preview_has_search_too(tmp_path):
    """`bantin serve` indexes what it serves, drafts included."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    project = make_project(tmp_path / "site")     # a copy: the preview's cache stays out of the checkout
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}", "--no-livereload"],
                              cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        entry = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/tim-kiem/", timeout=5) as r:
                    bundles = json.loads(re.search(r"data-bundles='([^']*)'", r.read().decode()).group(1))
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/{bundles[0]['path']}pagefind-entry.json",
                                            timeout=5) as r:
                    entry = json.loads(r.read())
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.5)
        assert entry and entry["languages"]["vi"]["page_count"] > 20
    finally:
        server.terminate()
        server.wait(timeout=30)


# --------------------------------------------------------------- the search page

def wait_done(page):
    page.wait_for_selector(".bt-search__results[aria-busy=false]")


def search_for(page, base, query):
    page.goto(base + "tim-kiem/")
    box = page.locator("#bt-search-q")
    box.fill(query)
    box.press("Enter")
    wait_done(page)


def count(page) -> int:
    status = page.locator(".bt-search__status").first.inner_text()
    found = re.search(r"(\d[\d.]*) (?:kết quả|tin bài)", status)
    return int(found.group(1).replace(".", "")) if found else 0


def all_titles(page) -> list[str]:
    more = page.locator(".bt-search__more")
    while more.is_visible():
        more.click()
        wait_done(page)
    return page.locator(".bt-result__title").all_inner_texts()


def test_typing_without_diacritics_finds_bulletins(demo_server, page):
    search_for(page, demo_server, "du luan")
    titles = all_titles(page)
    assert MONTHLY_2021 in titles
    assert len(titles) == count(page) > 5
    first = page.locator(".bt-result").first
    assert re.match(r"\d{2}/\d{2}/\d{4} · .+ · .+", first.locator(".bt-result__meta").inner_text())
    assert "dư luận" in " ".join(page.locator(".bt-result__excerpt mark").all_inner_texts()).lower()


def test_d_without_stroke_finds_dang_uy(demo_server, page):
    search_for(page, demo_server, "dang uy")
    titles = all_titles(page)
    assert any(t.startswith(SEED_000) for t in titles)
    excerpts = " ".join(page.locator(".bt-result__excerpt").all_inner_texts())
    assert "Đảng ủy" in excerpts or "đảng ủy" in excerpts
    assert "dang uy" not in excerpts.lower()  # the folded copy is matched, never shown
    marked = {m.lower() for m in page.locator(".bt-result__excerpt mark").all_inner_texts()}
    assert {"đảng", "ủy"} <= marked


def test_decomposed_input_finds_the_same(demo_server, page):
    search_for(page, demo_server, unicodedata.normalize("NFD", "Đảng ủy Ngọc Thụy"))
    assert any(t.startswith(SEED_000) for t in all_titles(page))


def test_quoted_phrase_matches_whole(demo_server, page):
    search_for(page, demo_server, "hội dư")
    loose = count(page)
    search_for(page, demo_server, '"hội dư"')
    phrase = count(page)
    assert loose > 0 and phrase < loose
    search_for(page, demo_server, '"dư luận xã hội"')
    assert count(page) > 0
    for text in page.locator(".bt-result__excerpt").all_inner_texts():
        assert "dư luận xã hội" in text.lower()


def test_unit_filter_narrows_and_stays_in_the_address(demo_server, page):
    search_for(page, demo_server, "du luan")
    everything = count(page)
    page.select_option("select[name=don-vi]", "phuong-ngoc-thuy")
    wait_done(page)
    narrowed = count(page)
    assert 0 < narrowed < everything
    metas = page.locator(".bt-result__meta").all_inner_texts()
    assert metas and all(m.endswith("Phường Ngọc Thụy") for m in metas)
    params = parse_qs(urlsplit(page.url).query)
    assert params == {"q": ["du luan"], "don-vi": ["phuong-ngoc-thuy"]}

    shared = page.context.new_page()  # the address alone gives the same search
    try:
        shared.goto(page.url)
        wait_done(shared)
        assert shared.locator("#bt-search-q").input_value() == "du luan"
        assert shared.locator("select[name=don-vi]").input_value() == "phuong-ngoc-thuy"
        assert count(shared) == narrowed
    finally:
        shared.close()


def test_filter_only_and_newest_first(demo_server, page):
    page.goto(demo_server + "tim-kiem/?loai=opinion&sap-xep=moi-nhat")
    wait_done(page)
    assert count(page) > 3
    dates = [m.split(" · ")[0] for m in page.locator(".bt-result__meta").all_inner_texts()]
    keys = [tuple(reversed(d.split("/"))) for d in dates]
    assert keys == sorted(keys, reverse=True)


def test_header_box_leads_to_the_search_page(demo_server, page):
    page.goto(demo_server)
    box = page.locator("header form[role=search] input[name=q]")
    box.fill("dang uy")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q=dang\+uy$"))
    wait_done(page)
    assert count(page) > 0


def test_folded_words_keep_paragraphs_apart(tmp_path):
    """Paragraphs pasted as HTML on one line (as copied from old portals) stay apart in the search copy."""
    from test_site import bulletin, build, write_content

    body = "<div><p>Một buổi đối thoại</p><p>Đầu năm, đảng bộ họp.</p></div>"
    site = build(write_content(tmp_path, {"a.md": bulletin("Tin", "2022-01-01", body=body)})).site
    words = search.record(site, site.bulletins[0]).meta["fold_text"].split()
    assert "doi" in words and "dau" in words and "dang" in words
    assert not any(w.startswith("doidau") or w.endswith("thoaidau") for w in words)


# --------------------------------------------------------------- ranking, counts, typing, order

def top_urls(page, n: int) -> list[str]:
    return [urlsplit(h).path for h in page.locator(".bt-result__title a").evaluate_all("els => els.map(e => e.href)")][:n]


def test_bulletins_holding_the_words_and_the_phrase_come_first(demo_server, page):
    """Typed without diacritics, several words: the bulletins that hold them all, as a phrase, lead;
    'hoi nghi tiep xuc cu tri' once ranked first a bulletin matching 'kiến nghị' and 'Tiếp tục'."""
    search_for(page, demo_server, "hoi nghi tiep xuc cu tri")
    assert set(top_urls(page, 2)) == {"/2021/06/bach-thong-du-luan-ve-bau-cu-2021/",
                                      "/2022/12/quang-trung-so-ket-du-luan-xa-hoi-nam-2022/"}  # "tiếp xúc cử tri"
    search_for(page, demo_server, "tiem chung vac xin")
    assert top_urls(page, 1) == ["/2021/12/giao-ban-du-luan-xa-hoi-thang-11-2021/"]        # "tiêm chủng vắc xin"
    search_for(page, demo_server, "giao ban du luan")
    titles = page.locator(".bt-result__title").all_inner_texts()[:4]
    assert all({"giao", "ban", "du", "luan"} <= set(fold(t).split()) for t in titles), titles  # in the title, then in the text


def test_filter_counts_are_the_results_of_each_filter(parted_server, page):
    """Each option shows how many of the current results it keeps, and choosing it keeps that many
    (the counts of every part of the index added up)."""
    demo_server = parted_server
    search_for(page, demo_server, "du luan")
    shown = {}
    for name in ("chuyen-muc", "loai", "nam"):
        for text, value in page.locator(f"select[name={name}] option").evaluate_all(
                "os => os.filter(o => o.value).map(o => [o.textContent, o.value])"):
            found = re.search(r"\((\d+)\)$", text)
            assert found, f"{name}={value} shows no count: {text!r}"
            shown[(name, value)] = int(found.group(1))
    assert sum(n for (name, _), n in shown.items() if name == "nam") == count(page)
    assert any(n > 0 for (name, _), n in shown.items() if name == "chuyen-muc")
    for (name, value), n in shown.items():
        page.goto(demo_server + "tim-kiem/?" + urlencode({"q": "du luan", name: value}))
        page.wait_for_selector(".bt-search__status:not(:empty)")
        page.wait_for_function("!document.querySelector('.bt-search__status').textContent.startsWith('Đang')")
        assert count(page) == n, (name, value)


def test_results_come_as_the_reader_types(demo_server, page):
    page.goto(demo_server + "tim-kiem/")
    page.locator("#bt-search-q").press_sequentially("dang uy", delay=30)     # no Enter
    page.wait_for_function("document.querySelectorAll('.bt-result').length > 0")
    assert any(t.startswith(SEED_000) for t in all_titles(page))
    assert parse_qs(urlsplit(page.url).query) == {"q": ["dang uy"]}


def test_the_form_works_without_the_script(demo_server, page):
    page.route("**/assets/search.js", lambda route: route.abort())
    page.goto(demo_server + "tim-kiem/")
    box = page.locator("#bt-search-q")
    box.fill("du luan")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q=du\+luan"))


@pytest.mark.parametrize("order", ["moi-nhat", "cu-nhat"])
def test_results_by_date_across_the_years_of_the_index(parted_server, page, order):
    """The index in parts, a year each: sorted by date, results run across the parts in date order."""
    page.goto(parted_server + "tim-kiem/?" + urlencode({"q": "du luan", "sap-xep": order}))
    wait_done(page)
    all_titles(page)
    dates = [m.split(" · ")[0] for m in page.locator(".bt-result__meta").all_inner_texts()]
    keys = [tuple(reversed(d.split("/"))) for d in dates]
    assert len(keys) == count(page) and len({k[0] for k in keys}) >= 4
    assert keys == sorted(keys, reverse=(order == "moi-nhat"))


def test_a_site_index_made_as_one_bundle_is_searched_first_beside_members_parts():
    """A site's own index in one bundle (BANTIN_SEARCH_PART_PAGES=0) covers no months of its own:
    it must still be searched at first, not put behind the archive button by the members' parts."""
    listed = [{"path": "pagefind/", "records": 3000, "oldest": "", "newest": ""},
              {"path": "pagefind-thanh-vien/2024-06/", "records": 8000, "oldest": "2024-06", "newest": "2024-06"},
              {"path": "pagefind-thanh-vien/2024-05/", "records": 8000, "oldest": "2024-05", "newest": "2024-05"}]
    ordered = search.schedule(listed, first=10000)
    assert [(b["path"], b["later"]) for b in ordered] == [
        ("pagefind/", False), ("pagefind-thanh-vien/2024-06/", False), ("pagefind-thanh-vien/2024-05/", True)]
