"""What only Bantin has: the documents register, the opinion tracker, the meeting calendar, people pages."""
from __future__ import annotations

import textwrap
import unicodedata
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from lxml import html as lhtml

from generator import build as core, documents
from generator.config import Settings
from generator.content.markdown import Renderer
from generator.people import collect as collect_people
from generator.views import tracker

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SEED_002 = "2021/12/giao-ban-du-luan-xa-hoi-thang-11-2021/"
SEED_003 = "2020/06/son-tay-tong-ket-de-an-01-da-tu/"
SEED_004 = "2022/07/an-giang-giao-ban-du-luan-xa-hoi-quy-ii-2022/"
STATUSES = {"Chưa trả lời", "Đang xử lý", "Đã trả lời"}


def doc(site: Path, url: str):
    path = site / url / "index.html"
    assert path.exists(), f"/{url} is missing from the build"
    return lhtml.fromstring(path.read_bytes())


def text(el) -> str:
    return " ".join(el.text_content().split())


def resolve(page_url: str, href: str) -> str:
    """A link as the browser follows it from `page_url`, as a site path ('van-ban/x/')."""
    if href.startswith("/"):
        return href.lstrip("/")
    parts = [p for p in page_url.split("/") if p]
    for part in href.split("/"):
        if part == "..":
            parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/".join(parts) + ("/" if href.endswith("/") else "")


def linked(site: Path, page_url: str, tree, css: str) -> dict[str, str]:
    """{link text: target path} for the links matching `css`, each target checked to exist."""
    out = {}
    for a in tree.cssselect(css):
        target = resolve(page_url, a.get("href"))
        assert (site / target / "index.html").exists() or (site / target).is_file(), f"{target} is missing"
        out[text(a)] = target
    return out


# ------------------------------------------------------------------ document numbers

@pytest.mark.parametrize("written, number, slug, kind, issuer", [
    ("334-QĐ/QU", "334-QĐ/QU", "334-qd-qu", "Quyết định", "Quận ủy"),
    ("Quyết định số 334- QĐ/QU", "334-QĐ/QU", "334-qd-qu", "Quyết định", "Quận ủy"),
    ("Nghị quyết 35 - NQ/TW", "35-NQ/TW", "35-nq-tw", "Nghị quyết", "Trung ương"),
    ("Đề án số 01- ĐA/TU", "01-ĐA/TU", "01-da-tu", "Đề án", "Tỉnh ủy/Thành ủy/Thị ủy"),
    ("Kết luận 100 -KL/TW", "100-KL/TW", "100-kl-tw", "Kết luận", "Trung ương"),
    ("Quyết định số 238-QĐ/TW", "238-QĐ/TW", "238-qd-tw", "Quyết định", "Trung ương"),
    ("Quy định 08-QĐi/TW", "08-QĐi/TW", "08-qdi-tw", "Quy định", "Trung ương"),
    ("Chỉ thị 05-CT/HU", "05-CT/HU", "05-ct-hu", "Chỉ thị", "Huyện ủy"),
    ("Nghị định 15/2020/NĐ-CP", "15/2020/NĐ-CP", "15-2020-nd-cp", "Nghị định", "Chính phủ"),
])
def test_document_numbers_are_normalised(written, number, slug, kind, issuer):
    """One document however written; a local one (QU, TU, HU...) is its issuing unit's, found from
    the citing bulletin's unit: here a ward of Long Biên, a town, a district's commune."""
    chain = {"QU": (("phuong-ngoc-thuy", "phường"), ("quan-long-bien", "quận"), ("thanh-pho-ha-noi", "thành phố")),
             "TU": (("thi-xa-son-tay", "thị xã"), ("thanh-pho-ha-noi", "thành phố")),
             "HU": (("thi-tran-cai-dau", "thị trấn"), ("huyen-chau-phu", "huyện"), ("tinh-an-giang", "tỉnh"))}
    issuers = {"QU": "quan-long-bien", "TU": "thi-xa-son-tay", "HU": "huyen-chau-phu"}
    parsed = documents.parse(written)
    assert (parsed.text, parsed.slug, parsed.kind_name, parsed.issuer_name) == (number, slug, kind, issuer)
    scoped = f"{slug}-{issuers[parsed.issuer]}" if parsed.issuer in issuers else slug
    assert documents.slug(written, chain.get(parsed.issuer, chain["QU"])) == scoped


@pytest.mark.parametrize("plain", ["nhiệm kỳ 2021-2026", "Covid-19", "ngày 26/11/2021", "A35-NQ/TW", "F0-F1/TW"])
def test_other_numbers_are_not_documents(plain):
    assert documents.parse(plain) is None


def test_mentions_become_links_except_in_links_headings_and_code():
    renderer = Renderer("/cong/", [documents.linker])
    out = renderer.html(textwrap.dedent("""\
        ## Thực hiện Đề án 01-ĐA/TU

        Theo Quyết định số 334- QĐ/QU và *Nghị quyết 35 - NQ/TW*, xem [Kết luận 100-KL/TW](/x/) và `68-NQ/CP`.
        """))
    tree = lhtml.fromstring(f"<div>{out}</div>")
    links = {text(a): a.get("href") for a in tree.cssselect("a.bt-doc-link")}
    assert links == {"334- QĐ/QU": "/cong/van-ban/334-qd-qu/", "35 - NQ/TW": "/cong/van-ban/35-nq-tw/"}
    assert not tree.cssselect("h2 a") and not tree.cssselect("code a")
    assert [a.get("href") for a in tree.cssselect("a:not(.bt-doc-link)")] == ["/cong/x/"]
    assert "Theo Quyết định số" in text(tree) and "và Nghị quyết" in text(tree)


def test_numbers_are_found_as_by_trying_every_place_of_the_text():
    """`find` searches only the lines where a kind follows a dash or a slash: never other numbers."""
    import random

    def everywhere(text):
        return [(m.span(), documents._number(m)) for m in documents.NUMBER_RE.finditer(text)
                if not (m.start() and documents._JOINED.match(text, m.start() - 1))]

    rng = random.Random(7)

    def piece():
        head = rng.choice(["", " ", "x", "/", "-", "\n", ". ", ", ngày 1/2/2020 của Quận ủy\n"]) + rng.choice(["1", "35", "2019", "123456"])
        if rng.random() < 0.5:
            return (head + rng.choice(["-", " - ", "–", "\u00a0-\u00a0", " ", "/", "\n-", "-\n"])
                    + rng.choice(["NQ", "QĐ", "QĐi", "ĐA", "XX"]) + rng.choice(["/", " / ", "-", "/\n", ""])
                    + rng.choice(["TW", "CP", "ĐU", "HU-ĐU", "TWx", "T"]))
        return head + rng.choice(["", "/2019"]) + "/" + rng.choice(["NQ", "KH", "XX"]) + rng.choice(["-", " -"]) + rng.choice(["CP", "UBND", "x"])

    texts = ["Theo 35 - NQ/TW,\n68/NQ-CP và 01- ĐA/TU; x12-QĐ/QU 12-QĐ/QU", "Số 35\n- NQ/TW", "1/QĐ-UBND/2/KH-UBND\n3-KL/TW"]
    texts += ["".join(piece() for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    found = [everywhere(t) for t in texts]
    assert sum(map(bool, found)) > 300, "the texts must hold numbers for this to say anything"
    assert [[(m.span(), n) for m, n in documents.find(t)] for t in texts] == found


# ------------------------------------------------------------------ core, over a small content folder

UNITS = "- {key: quan-a, name: Quận A, level: quận}\n- {key: phuong-b, name: Phường B, level: phường, parent: quan-a}\n"
CATEGORIES = "- {key: tin-tuc, name: Tin tức}\n"
TOPICS = "- {key: moi-truong, name: Môi trường}\n"


def small_site(root: Path, bulletins: dict[str, str]):
    content = root / "content"
    (content / "bulletins").mkdir(parents=True)
    for name, body in {"units.yml": UNITS, "categories.yml": CATEGORIES, "topics.yml": TOPICS}.items():
        (content / name).write_text(body, encoding="utf-8")
    for name, body in bulletins.items():
        (content / "bulletins" / name).write_text(textwrap.dedent(body), encoding="utf-8")
    return core.make(Settings(content_dir=content, site_url="https://x.vn/", now=datetime(2030, 1, 1, tzinfo=VN)))


def test_one_person_written_many_ways_is_one_person_with_each_role(tmp_path):
    nfd = unicodedata.normalize("NFD", "Đ/c  Nguyễn  Viết Tấn")
    build = small_site(tmp_path, {
        "a.md": f"""\
            ---
            title: Giao ban quý I
            date: 2022-04-01 10:00
            category: tin-tuc
            unit: phuong-b
            meeting:
              start: 2022-04-01 08:00
              chairs: [{{name: "{nfd}", role: Phó Bí thư Đảng ủy}}]
            ---
            Nội dung.
            """,
        "b.md": """\
            ---
            title: Giao ban quý II
            date: 2022-07-01 10:00
            category: tin-tuc
            unit: quan-a
            meeting:
              start: 2022-07-01 08:00
              guests: [{name: "Nguyễn Viết Tấn", role: Bí thư Đảng ủy phường B}]
            ---
            Nội dung.
            """,
    })
    people = collect_people(build.site.bulletins, build.content.data)
    assert [p.key for p in people] == ["nguyen-viet-tan"]
    person = people[0]
    assert person.name == unicodedata.normalize("NFC", "Nguyễn Viết Tấn")
    assert [(a.bulletin.title, a.as_, a.role) for a in person.appearances] == [
        ("Giao ban quý II", "guest", "Bí thư Đảng ủy phường B"),
        ("Giao ban quý I", "chair", "Phó Bí thư Đảng ủy"),
    ]
    assert [p.url for p in build.pages if p.url.startswith("nhan-su/")] == ["nhan-su/", "nhan-su/nguyen-viet-tan/"]


def test_concerns_count_in_their_period_month_and_by_status(tmp_path):
    build = small_site(tmp_path, {
        "a.md": """\
            ---
            title: Dư luận tháng 11
            date: 2021-12-01 10:00
            category: tin-tuc
            unit: quan-a
            opinion:
              period: 2021-11
              concerns:
                - {topic: moi-truong, title: Rác thải, response: {status: answered, agency: UBND}}
                - {title: Giá điện}
            ---
            Nội dung.
            """,
        "b.md": """\
            ---
            title: Dư luận quý II
            date: 2022-07-02 10:00
            category: tin-tuc
            unit: phuong-b
            opinion:
              period: 2022-Q2
              concerns:
                - {topic: moi-truong, title: Ngập úng, response: {status: in-progress}}
            ---
            Nội dung.
            """,
    })
    entries = build.site.concerns
    assert [(e.concern.title, e.month, e.status) for e in entries] == [
        ("Ngập úng", (2022, 7), "in-progress"), ("Rác thải", (2021, 11), "answered"), ("Giá điện", (2021, 11), "pending")]
    groups = tracker.groups(entries)
    assert [(t.key, len(items)) for t, items in groups] == [("moi-truong", 2), ("khac", 1)]
    assert tracker.counts(entries) == [("pending", "Chưa trả lời", 1), ("in-progress", "Đang xử lý", 1),
                                       ("answered", "Đã trả lời", 1)]
    page = next(p for p in build.pages if p.url == "du-luan/moi-truong/")
    assert [m for m, _ in page.context["months"]] == ["Tháng 07/2022", "Tháng 11/2021"]


# ------------------------------------------------------------------ the demo build

@pytest.mark.parametrize("slug, seed, kind, issuer", [
    ("334-qd-qu-quan-long-bien", SEED_002, "Quyết định", "Quận ủy"),
    ("35-nq-tw", SEED_004, "Nghị quyết", "Trung ương"),
    ("01-da-tu-thi-xa-son-tay", SEED_003, "Đề án", "Thị ủy"),
    ("238-qd-tw", SEED_004, "Quyết định", "Trung ương"),
])
def test_document_pages_list_the_bulletins_citing_them(demo_site, slug, seed, kind, issuer):
    url = f"van-ban/{slug}/"
    tree = doc(demo_site, url)
    facts = text(tree.cssselect(".bt-document .bt-box")[0])
    assert kind in facts and issuer in facts
    citing = linked(demo_site, url, tree, ".bt-citation__title a")
    assert seed in citing.values()
    register = doc(demo_site, "van-ban/")
    assert url in linked(demo_site, "van-ban/", register, ".bt-doc-table a").values()


def test_seed_documents_have_their_dates_and_titles(demo_site):
    facts = text(doc(demo_site, "van-ban/334-qd-qu-quan-long-bien/").cssselect(".bt-box")[0])
    assert "26/11/2021" in facts and "Kiện toàn Tổ cộng tác viên dư luận xã hội cấp Quận" in facts
    assert "13/06/2016" in text(doc(demo_site, "van-ban/01-da-tu-thi-xa-son-tay/").cssselect(".bt-box")[0])


@pytest.mark.parametrize("seed, mention, target", [
    (SEED_002, "334-QĐ/QU", "van-ban/334-qd-qu-quan-long-bien/"),
    (SEED_003, "01-ĐA/TU", "van-ban/01-da-tu-thi-xa-son-tay/"),
    (SEED_004, "07- ĐA/TU", "van-ban/07-da-tu-tinh-an-giang/"),
    (SEED_004, "35-NQ/TW", "van-ban/35-nq-tw/"),
])
def test_mentions_in_bulletin_text_link_to_the_document(demo_site, seed, mention, target):
    tree = doc(demo_site, seed)
    links = linked(demo_site, seed, tree, ".bt-body a.bt-doc-link")
    assert links.get(mention) == target
    assert not tree.cssselect(".bt-body h1 a.bt-doc-link, .bt-body h2 a.bt-doc-link, .bt-body h3 a.bt-doc-link")


def test_meeting_card_links_documents_and_people(demo_site):
    tree = doc(demo_site, SEED_002)
    assert linked(demo_site, SEED_002, tree, ".bt-meeting a.bt-doc__number")["334-QĐ/QU"] == \
        "van-ban/334-qd-qu-quan-long-bien/"
    assert "nhan-su/nguyen-the-thach/" in linked(demo_site, SEED_002, tree, ".bt-meeting a.bt-person").values()


def test_tracker_lists_seed_002_concerns_with_their_status(demo_site):
    seed = doc(demo_site, SEED_002)
    expected = {text(c.cssselect(".bt-concern__title strong")[0]): text(c.cssselect(".bt-status")[0])
                for c in seed.cssselect(".bt-concern")}
    assert len(expected) >= 3
    tree = doc(demo_site, "du-luan/")
    found = {}
    for entry in tree.cssselect(".bt-concern-entry"):
        if SEED_002 in linked(demo_site, "du-luan/", entry, ".bt-concern-entry__source a").values():
            title = entry.cssselect(".bt-concern-entry__title")[0]
            status = text(title.cssselect(".bt-status")[0])
            found[text(title).removesuffix(status).strip()] = status
            assert "Quận Long Biên" in text(entry) and "tháng 11/2021" in text(entry)
    assert found == expected
    # Counts by status add up to every concern of every topic (each topic's newest are listed here).
    counts = tree.cssselect(".bt-register > .bt-status-counts li")
    total = int(counts[0].cssselect("strong")[0].text)
    by_status = {text(li.cssselect(".bt-status")[0]): int(li.cssselect("strong")[0].text) for li in counts[1:]}
    per_topic = [int(text(li).rsplit("(", 1)[1].rstrip(")")) for li in tree.cssselect(".bt-jump li")]
    assert set(by_status) == STATUSES and sum(by_status.values()) == total == sum(per_topic)
    assert len(tree.cssselect(".bt-concern-entry")) == sum(min(n, tracker.SHOWN) for n in per_topic)


def test_tracker_chart_is_inline_svg_with_a_table_of_the_same_numbers(demo_site):
    tree = doc(demo_site, "du-luan/")
    svg = tree.cssselect(".bt-chart svg")[0]
    assert svg.get("role") == "img" and svg.get("aria-labelledby")
    assert svg.find("title") is not None and svg.find("desc") is not None
    labels = {t.text for t in svg.iter("text")}
    assert {"Chủ đề", "Tháng", "Tổng"} <= labels and "T11" in labels and "2021" in labels
    table = tree.cssselect(".bt-chart__data table")[0]
    assert "11/2021" in [text(th) for th in table.cssselect("thead th")]
    totals = [int(text(row.cssselect("td")[-1])) for row in table.cssselect("tbody tr")]
    assert totals == [int(text(li).rsplit("(", 1)[1].rstrip(")")) for li in tree.cssselect(".bt-jump li")]
    assert sum(totals) == int(tree.cssselect(".bt-register > .bt-status-counts li strong")[0].text)
    assert not tree.cssselect(".bt-chart script")


def test_tracker_topic_page_has_its_timeline_chart_and_feed(demo_site):
    tree = doc(demo_site, "du-luan/covid-19/")
    assert tree.cssselect(".bt-chart svg[role=img]")
    months = [text(h) for h in tree.cssselect(".bt-timeline__month > h2")]
    assert "Tháng 11/2021" in months
    assert SEED_002 in linked(demo_site, "du-luan/covid-19/", tree, ".bt-concern-entry__source a").values()
    assert tree.cssselect('link[rel=alternate][href$="chu-de/covid-19/feed.xml"]')


def meeting_pages(site: Path) -> set[str]:
    """Every bulletin page of the build that shows a meeting card."""
    found = set()
    for path in site.glob("[12][0-9][0-9][0-9]/[01][0-9]/*/index.html"):
        if lhtml.fromstring(path.read_bytes()).cssselect("section.bt-meeting"):
            found.add(path.parent.relative_to(site).as_posix() + "/")
    return found


def test_ics_holds_an_event_for_each_demo_meeting(demo_site):
    cal = Calendar.from_ical((demo_site / "lich-hop.ics").read_bytes())
    events = cal.walk("VEVENT")
    urls = {str(e["URL"]).removeprefix("https://bantin.example.vn/") for e in events}
    expected = meeting_pages(demo_site)
    assert len(expected) >= 5 and urls == expected and len(events) == len(expected)
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == {"Asia/Ho_Chi_Minh"}
    seed = next(e for e in events if str(e["URL"]).endswith(SEED_002))
    assert seed.decoded("DTSTART") == datetime(2021, 11, 30, 14, 0, tzinfo=VN)
    assert "Phòng họp số 2" in str(seed["LOCATION"]) and str(seed["SUMMARY"]).startswith("Giao ban Dư luận xã hội")


def test_unit_calendars_hold_their_own_meetings(demo_site):
    events = Calendar.from_ical((demo_site / "lich-hop/quan-long-bien.ics").read_bytes()).walk("VEVENT")
    urls = {str(e["URL"]) for e in events}
    assert any(u.endswith(SEED_002) for u in urls) and not any(u.endswith(SEED_004) for u in urls)


def test_calendar_pages_list_meetings_by_month_and_link_their_ics(demo_site):
    tree = doc(demo_site, "lich-hop/")
    assert tree.cssselect('link[rel=alternate][type="text/calendar"]')[0].get("href").endswith("lich-hop.ics")
    assert linked(demo_site, "lich-hop/", tree, "a.bt-subscribe__link")
    november = tree.cssselect("#thang-2021-11")[0]
    assert "Tháng 11/2021" in text(november)
    assert SEED_002 in linked(demo_site, "lich-hop/", november, ".bt-meeting-entry__title a").values()
    unit_page = doc(demo_site, "lich-hop/quan-long-bien/")
    link = unit_page.cssselect('link[rel=alternate][type="text/calendar"]')[0]
    assert resolve("lich-hop/quan-long-bien/", link.get("href")) == "lich-hop/quan-long-bien.ics"


def test_seed_004_chairs_have_people_pages_with_their_role_then(demo_site):
    seed = doc(demo_site, SEED_004)
    card = seed.cssselect(".bt-meeting")[0]
    chairs_dd = next(dt.getnext() for dt in card.cssselect("dt") if text(dt) == "Chủ trì")
    chairs = linked(demo_site, SEED_004, chairs_dd, "a.bt-person")
    assert set(chairs) == {"Trần Thị Thanh Hương", "Nguyễn Hữu Thịnh", "Lê Thị Kim Hồng"}
    for name, url in chairs.items():
        tree = doc(demo_site, url)
        assert text(tree.cssselect("h1")[0]) == name
        entry = next(li for li in tree.cssselect(".bt-appearance")
                     if SEED_004 in linked(demo_site, url, li, ".bt-appearance__title a").values())
        assert "Chủ trì" in text(entry)
        role = next(text(li).split(" – ", 1)[1] for li in chairs_dd.cssselect("li") if text(li).startswith(name))
        assert role in text(entry)
    assert "nhan-su/tran-thi-thanh-huong/" in linked(demo_site, "nhan-su/", doc(demo_site, "nhan-su/"),
                                                     ".bt-people-list a").values()


def test_registers_are_in_the_navigation(demo_site):
    tree = doc(demo_site, "")
    targets = {resolve("", a.get("href")) for a in tree.cssselect("header a, nav a")}
    assert {"van-ban/", "du-luan/", "lich-hop/", "nhan-su/"} <= targets


def test_a_document_page_links_its_file_with_its_type_and_size(demo_site):
    page = doc(demo_site, "van-ban/334-qd-qu-quan-long-bien/")
    (link,) = page.xpath("//a[@class='bt-attachment']")
    target = resolve("van-ban/334-qd-qu-quan-long-bien/", link.get("href"))
    assert target == "media/2021/334-qd-qu-kien-toan-to-cong-tac-vien.pdf"
    published = demo_site / target
    assert published.read_bytes().startswith(b"%PDF-") and link.get("type") == "application/pdf"
    assert text(link.getnext()) == f"(PDF, {round(published.stat().st_size / 1024)} KB)"


def test_the_trackers_first_page_shows_each_topics_newest_concerns_and_links_the_rest(tmp_path, monkeypatch):
    from conftest import make_project
    from test_core import plain_theme, settings_of

    from generator import frontend

    monkeypatch.setattr(tracker, "SHOWN", 1)
    project = make_project(tmp_path / "project")
    frontend.build(settings_of(project, search=False, cache_dir=None, jobs=1), plain_theme(project), project / "site")
    tree = lhtml.fromstring((project / "site" / "du-luan" / "index.html").read_bytes())
    topics = tree.cssselect(".bt-tracker__topic")
    assert topics and all(len(t.cssselect(".bt-concern-entry")) == 1 for t in topics)
    more = [t for t in topics if t.cssselect(".bt-more a")]
    assert more, "no topic links the rest of its concerns"
    for t in more:
        link = t.cssselect(".bt-more a")[0]
        total = int(link.text_content().split()[2])
        page = lhtml.fromstring((project / "site" / "du-luan" / t.get("id")[len("chu-de-"):] / "index.html").read_bytes())
        assert total > 1 and len(page.cssselect(".bt-concern-entry")) == total
