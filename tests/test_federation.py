"""A portal of portals: three ward sites built and served over HTTP, a district portal built over them.

The members are real Bantin builds served by real HTTP servers on 127.0.0.1, started and
stopped here; one of them can be made to fail in each way a member can (down, slow,
garbage, oversized, a foreign address and a script in a title), and the portal must
build each time, say which member and what was wrong, and publish none of the bad data.
"""
from __future__ import annotations

import http.server
import json
import logging
import threading
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import serve_dir
from federation_sites import bulletin, member_project
from test_core import plain_theme, settings_of
from test_feeds import feedcheck

from generator import build as core
from generator import search, urls
from generator.federation import index as members_index

DISTRICT = {"key": "quan-long-bien", "name": "Quận Long Biên", "level": "quận"}
WARDS = [("phuong-an-binh", "Phường An Bình", "alpha", "Ngập úng đường Ngô Gia Tự"),
         ("phuong-bao-lam", "Phường Bảo Lâm", "bravo", "Rác thải ven đê"),
         ("phuong-cam-tu", "Phường Cẩm Tú", "charlie", "")]
PORTAL_URL = "https://long-bien.example.vn/"


def ward_url(key: str) -> str:
    return f"https://{key}.example.vn/"


class Switchable(http.server.SimpleHTTPRequestHandler):
    """Serves a built site (with Last-Modified, and 304 for an unchanged file), or fails as told."""

    mode = "ok"
    requests: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).requests.append((self.path, self.headers.get("If-Modified-Since")))
        mode = type(self).mode
        if self.path.startswith("/moi/"):          # where a moved member now lives
            self.path = self.path[len("/moi"):]
            return super().do_GET()
        if mode == "moved":
            return self.redirect(f"/moi{self.path}")
        if mode == "away":                         # the same server under another name: another host
            return self.redirect(f"http://localhost:{self.server.server_address[1]}{self.path}")
        if mode == "slow":
            time.sleep(3)
        if mode == "garbage":
            return self.answer(b"<html><body>502 Bad Gateway</body></html>" * 50, "text/html")
        if mode == "oversized":
            return self.answer(b"[" + b"0," * 3_000_000 + b"0]", "application/json")
        if mode == "hostile" and self.path.startswith("/" + urls.EXPORT):
            page = json.loads((Path(self.directory) / self.path.lstrip("/")).read_bytes())
            page["items"][0]["url"] = "https://lua-dao.example.com/trung-thuong/"
            page["items"][1]["title"] = "<script>alert('xss')</script> Tin giả"
            return self.answer(json.dumps(page).encode(), "application/feed+json")
        return super().do_GET()

    def redirect(self, location: str):
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def answer(self, body: bytes, kind: str):
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


def serve_switchable(directory: Path, handler=None, port: int = 0):
    handler = handler or type("Ward", (Switchable,), {"mode": "ok", "requests": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                             lambda *a, **k: handler(*a, directory=str(directory), **k))
    server.directory, server.handler = directory, handler
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, handler


@contextmanager
def stopped(servers: list, n: int):
    """Member `n`'s server stopped (its address refuses connections), then started again at that address."""
    server = servers[n]
    server.shutdown()
    server.server_close()
    try:
        yield
    finally:
        servers[n], _ = serve_switchable(Path(server.directory), server.handler, server.server_address[1])


@pytest.fixture(scope="module")
def federation(tmp_path_factory):
    """Three ward sites built and served; yields (members' URLs, the last ward's handler, a build function)."""
    base = tmp_path_factory.mktemp("federation")
    servers, sources, handler = [], [], None
    for n, (key, name, word, concern) in enumerate(WARDS):
        site = base / key / "site"
        site.mkdir(parents=True)
        server, handler = serve_switchable(site)
        servers.append(server)
        sources.append(f"http://127.0.0.1:{server.server_address[1]}/")
        # Each ward's public address; the portal reads it where it is served here.
        project = member_project(base / key, ward_url(key), [DISTRICT, {"key": key, "name": name, "level": "phường",
                                                              "parent": DISTRICT["key"]}],
                                 [bulletin(key, name, 3, word, concern, hour=8 + n),
                                  bulletin(key, name, 9, word + " lần hai", hour=8 + n, month=6)])
        core.build(settings_of(project, search=False, jobs=1, cache_dir=None), plain_theme(project), site)
    portal = member_project(base / "portal", PORTAL_URL, [DISTRICT],
                            [bulletin(DISTRICT["key"], "Quận Long Biên", 1, "quận")])
    runs = iter(range(1000))

    def build_portal(search: bool = False, **changes) -> tuple[Path, object]:
        out = base / f"portal-site-{next(runs)}"
        settings = settings_of(portal, **{"members": tuple(sources), "member_timeout": 1.0,
                                          "member_max_bytes": 1_000_000, "search": search, "jobs": 1, **changes})
        # The members' index in parts of a month (three records) each, as a province's is.
        with pytest.MonkeyPatch.context() as env:
            env.setenv(members_index.PART_RECORDS_ENV, "3")
            return out, core.build(settings, plain_theme(portal), out)

    yield sources, handler, build_portal, servers
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def portal(federation):
    sources, handler, build_portal, servers = federation
    return build_portal(search=True)


def text_of(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
                     if p.is_file() and p.suffix in (".html", ".xml", ".json", ".ics"))


def test_the_portal_mixes_its_members_bulletins_linked_to_their_own_sites(federation, portal):
    sources, *_ = federation
    site, made = portal
    home = (site / "index.html").read_text(encoding="utf-8")
    for key, name, word, _ in WARDS:
        assert f'href="{ward_url(key)}2024/05/hoi-nghi-{word}-cua-' in home, name
        unit_page = site / "don-vi" / key / "index.html"
        assert unit_page.exists() and f"Hội nghị {word} của {name}" in unit_page.read_text(encoding="utf-8")
        assert not (site / "2024" / "05" / f"hoi-nghi-{word}-cua-{key}").exists()      # no copies
    assert "Hội nghị quận của Quận Long Biên" in home
    district = (site / "don-vi" / DISTRICT["key"] / "index.html").read_text(encoding="utf-8")
    assert all(name in district for _, name, _, _ in WARDS)        # the wards under the district in the tree
    calendar = (site / "lich-hop.ics").read_text(encoding="utf-8")
    assert all(f"Hội trường {name}" in calendar.replace("\r\n ", "") for _, name, _, _ in WARDS)
    documents = (site / "van-ban" / "index.html").read_text(encoding="utf-8")
    assert "3-QĐ/ĐU" in documents and "9-QĐ/ĐU" in documents
    people = (site / "nhan-su" / "index.html").read_text(encoding="utf-8")
    assert "Chủ tọa alpha" in people and "Chủ tọa bravo" in people


def test_the_merged_tracker_lists_concerns_from_two_members(portal):
    site, _ = portal
    tracker = (site / "du-luan" / "index.html").read_text(encoding="utf-8")
    assert "Ngập úng đường Ngô Gia Tự" in tracker and "Rác thải ven đê" in tracker


def test_the_merged_feeds_pass_the_checker(portal, federation):
    sources, *_ = federation
    site, _ = portal
    feeds = [site / "feed.xml", site / "atom.xml", site / "don-vi" / DISTRICT["key"] / "feed.xml"]
    result = feedcheck("--site", str(site), "--site-url", PORTAL_URL, *map(str, feeds))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
    assert result.stdout.strip().splitlines()[-1].endswith(" 0 failed")
    rss = (site / "feed.xml").read_text(encoding="utf-8")
    assert all(ward_url(key) in rss for key, *_ in WARDS)


def test_the_portals_export_carries_its_members_bulletins_with_their_origin(portal, federation):
    """A district portal is itself a member of a province portal: its export keeps each bulletin's origin."""
    site, made = portal
    page = json.loads((site / urls.export_page(1)).read_text(encoding="utf-8"))
    origins = {i["_bantin"]["origin"] for i in page["items"]}
    wards = {ward_url(key) for key, *_ in WARDS}
    assert origins == {PORTAL_URL, *wards}
    assert set(page["_bantin"]["members"]) == wards
    assert all(i["url"].startswith(i["_bantin"]["origin"]) for i in page["items"])


def test_a_province_reads_the_district_and_keeps_each_wards_address(federation, portal, tmp_path):
    sources, *_ = federation
    district_site, _ = portal
    province = member_project(tmp_path / "province", "https://an-giang.example.vn/",
                              [{"key": "tinh-x", "name": "Tỉnh X", "level": "tỉnh"}], [])
    settings = settings_of(province, members=(str(district_site),), search=False, jobs=1, cache_dir=None)
    # The district's export names its own address: a built folder is read as that site.
    made = core.make(settings)
    remote = [b for b in made.site.bulletins if b.remote]
    assert {b.origin.site_url for b in remote} == {PORTAL_URL, *(ward_url(key) for key, *_ in WARDS)}
    first = ward_url(WARDS[0][0])
    assert {b.url for b in remote if b.unit.key == WARDS[0][0]} == {
        f"{first}2024/05/hoi-nghi-alpha-cua-phuong-an-binh/", f"{first}2024/06/hoi-nghi-alpha-lan-hai-cua-phuong-an-binh/"}


def test_an_unchanged_member_is_asked_conditionally(federation):
    sources, handler, build_portal, servers = federation
    build_portal()
    handler.requests.clear()
    build_portal()
    assert handler.requests and all(since for _, since in handler.requests)


def test_the_search_index_of_members_is_served_by_the_portal(portal):
    site, made = portal
    # In two parts, a month each, both on the search page's list of what it merges.
    page = (site / urls.file_of(urls.SEARCH)).read_text(encoding="utf-8")
    parts = [f"{urls.MEMBERS_BUNDLE}2024-06/", f"{urls.MEMBERS_BUNDLE}2024-05/"]
    assert all(f'"{part}"' in page for part in parts), page
    counts = [json.loads((site / part / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]["vi"]["page_count"]
              for part in parts]
    assert counts == [3, 3]


@pytest.fixture(scope="module")
def portal_server(portal):
    server = serve_dir(portal[0])
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def result_hosts(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_selector(".bt-search__results[aria-busy=false]")
    links = page.locator(".bt-result__title a").evaluate_all("links => links.map(a => a.href)")
    return [urlsplit(link).netloc for link in links]


def test_one_search_finds_every_members_bulletins_and_a_unit_filter_narrows_to_one(portal_server, page):
    hosts = result_hosts(page, portal_server + "tim-kiem/?q=hoi+nghi")
    for key, *_ in WARDS:
        assert hosts.count(f"{key}.example.vn") == 2, hosts
    assert "127.0.0.1" in " ".join(hosts)               # and the portal's own bulletin, on the portal
    hosts = result_hosts(page, portal_server + "tim-kiem/?q=hoi+nghi&don-vi=phuong-bao-lam")
    assert hosts == ["phuong-bao-lam.example.vn"] * 2
    hosts = result_hosts(page, portal_server + "tim-kiem/?q=charlie")
    assert hosts == ["phuong-cam-tu.example.vn"] * 2


@pytest.fixture(scope="module")
def portal_in_parts(federation):
    """The portal again, its search page loading at first only the newest parts holding 4 records:
    its own (1) and the members' June part (3); their May part is the archive."""
    sources, handler, build_portal, servers = federation
    with pytest.MonkeyPatch.context() as env:
        env.setenv(search.FIRST_RECORDS_ENV, "4")
        site, _ = build_portal(search=True)
    server = serve_dir(site)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_large_portal_searches_its_newest_parts_and_the_archive_when_asked(portal_in_parts, page):
    asked = []
    page.on("request", lambda r: asked.append(r.url))
    hosts = result_hosts(page, portal_in_parts + "tim-kiem/?q=hoi+nghi")
    own = urlsplit(portal_in_parts).netloc
    assert sorted(hosts) == sorted([own] + [f"{key}.example.vn" for key, *_ in WARDS]), hosts
    assert not [u for u in asked if "/2024-05/" in u]        # the archive costs nothing until asked for
    assert "Đã tìm trong các tin mới nhất" in page.locator(".bt-search__status").text_content()
    archive = page.locator(".bt-search__archive")
    assert archive.text_content() == "Tìm cả trong 3 tin cũ hơn (đến tháng 5/2024)"
    archive.click()
    page.wait_for_function("document.querySelectorAll('.bt-result').length === 7")
    hosts = page.locator(".bt-result__title a").evaluate_all("links => links.map(a => new URL(a.href).host)")
    for key, *_ in WARDS:
        assert hosts.count(f"{key}.example.vn") == 2, hosts
    assert archive.is_hidden()
    assert "Tìm thấy 7 kết quả" in page.locator(".bt-search__status").text_content()
    # The oldest first, or a year the archive holds, searches the archive by itself.
    for asking in ("q=hoi+nghi&sap-xep=cu-nhat", "q=hoi+nghi&nam=2024"):
        page.goto(portal_in_parts + "tim-kiem/?" + asking)
        page.wait_for_function("document.querySelectorAll('.bt-result').length === 7")
        assert archive.is_hidden()


# ------------------------------------------------------------------ faults

def ward_c_items(made) -> set[str]:
    return {b.title for b in made.site.bulletins if b.unit.key == WARDS[2][0]}


@pytest.mark.parametrize("mode, said", [
    ("down", "ConnectError"), ("slow", "no answer within"), ("garbage", "not JSON"),
    ("oversized", "limit of"), ("hostile", "address outside"), ("hostile", "markup in a text"),
    ("away", "another site (not followed)"),
])
def test_a_failing_member_leaves_its_last_good_copy_and_a_warning(federation, portal, caplog, mode, said):
    sources, handler, build_portal, servers = federation
    build_portal()                        # every member good: the cache holds their last good copies
    caplog.clear()
    handler.mode = mode
    try:
        with caplog.at_level(logging.WARNING, logger="bantin"), (stopped(servers, 2) if mode == "down" else nullcontext()):
            out, made = build_portal()
    finally:
        handler.mode = "ok"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(sources[2] in w and said in w for w in warnings), warnings
    assert ward_c_items(made) == {"Hội nghị charlie của Phường Cẩm Tú", "Hội nghị charlie lần hai của Phường Cẩm Tú"}
    assert (out / "index.html").exists() and "Hội nghị charlie của Phường Cẩm Tú" in text_of(out)
    published = text_of(out)
    assert "lua-dao.example.com" not in published and "alert('xss')" not in published
    assert "Tin giả" not in published and "Bad Gateway" not in published


def test_a_member_that_moved_on_its_own_host_is_read_where_it_went(federation, caplog):
    """A ward that moves its site (a 301 on the same host) is read at its new address, fresh,
    and the operator is told the address to write in mkdocs.yml."""
    sources, handler, build_portal, _ = federation
    build_portal()
    handler.mode, handler.requests[:] = "moved", []
    try:
        with caplog.at_level(logging.WARNING, logger="bantin"):
            out, made = build_portal()
    finally:
        handler.mode = "ok"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(sources[2] in w and f"{sources[2]}moi/{urls.EXPORT}" in w for w in warnings), warnings
    assert not any("bản tốt gần nhất" in w for w in warnings), "read fresh, not from the last good copy"
    assert any(path.startswith(f"/moi/{urls.EXPORT}") for path, _ in handler.requests)
    assert len(ward_c_items(made)) == 2


def test_a_member_never_read_well_is_left_out_with_a_warning(federation, caplog):
    sources, _, build_portal, _ = federation
    with caplog.at_level(logging.WARNING, logger="bantin"):
        out, made = build_portal(members=(*sources[:2], "http://127.0.0.1:9/"), cache_dir=None)
    assert any("http://127.0.0.1:9/" in r.getMessage() and "ConnectError" in r.getMessage() for r in caplog.records)
    assert not ward_c_items(made) and (out / "index.html").exists()


def test_a_folder_members_next_url_cannot_lead_out_of_its_folder(portal, tmp_path, caplog):
    """A next_url with '..' is read inside the member's folder, never beside it."""
    import shutil

    district_site, _ = portal
    member = tmp_path / "member"
    shutil.copytree(district_site / "du-lieu", member / "du-lieu")
    page = json.loads((member / urls.export_page(1)).read_text(encoding="utf-8"))
    page["next_url"] = PORTAL_URL + "du-lieu/../../outside/1.json"
    (member / urls.export_page(1)).write_text(json.dumps(page), encoding="utf-8")
    outside = tmp_path / "outside" / "1.json"
    outside.parent.mkdir()
    outside.write_text(json.dumps({**page, "next_url": None}), encoding="utf-8")
    province = member_project(tmp_path / "province", "https://tinh.example.vn/",
                              [{"key": "tinh-x", "name": "Tỉnh X", "level": "tỉnh"}], [])
    with caplog.at_level(logging.WARNING, logger="bantin"):
        made = core.make(settings_of(province, members=(str(member),), search=False, jobs=1, cache_dir=None))
    assert not [b for b in made.site.bulletins if b.remote]
    assert any(str(member) in r.getMessage() and "outside/1.json" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("target, followed", [
    ("https://phuong-x.example.vn/du-lieu/1.json", True),           # moved to https
    ("http://phuong-x.example.vn/moi/du-lieu/1.json", True),        # moved within the host
    ("http://phuong-x.example.vn:8080/du-lieu/1.json", False),      # another port
    ("https://phuong-x.example.vn:8443/du-lieu/1.json", False),
    ("http://169.254.169.254/latest/meta-data/", False),            # a machine of the CI's network
    ("file:///etc/passwd", False),
])
def test_a_member_is_followed_only_on_its_own_host(target, followed):
    from generator.federation.fetch import same_site

    assert same_site("http://phuong-x.example.vn/du-lieu/1.json", target) is followed


def test_a_member_on_https_is_not_followed_back_to_http():
    from generator.federation.fetch import same_site

    assert not same_site("https://phuong-x.example.vn/du-lieu/1.json", "http://phuong-x.example.vn/du-lieu/1.json")
