"""What a link shows when it is shared on Zalo or Facebook, and who publishes the portal: Open Graph
and Twitter tags read back with a parser, the picture they name opened at its size, the share
links, the footer's agency details and the schema.org publisher."""
from __future__ import annotations

import base64
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
import yaml
from PIL import Image

from conftest import ROOT, SITE_URL

AGENCY = yaml.safe_load((ROOT / "content" / "site.yml").read_text(encoding="utf-8"))


def bulletin_pages(site: Path) -> list[Path]:
    return sorted(site.glob("[12][0-9][0-9][0-9]/[01][0-9]/*/index.html"))


def meta(doc, attribute: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for el in doc.iter("meta"):
        if el.get(attribute):
            out.setdefault(el.get(attribute), []).append(el.get("content"))
    return out


def site_file(site: Path, url: str) -> Path:
    assert url.startswith(SITE_URL), url
    return site / urlsplit(url).path.lstrip("/")


def test_every_bulletin_has_open_graph_and_twitter_tags_with_a_1200x630_picture(demo_site):
    pages = bulletin_pages(demo_site)
    assert len(pages) > 40
    for path in pages:
        doc = lxml.html.parse(str(path)).getroot()
        og, named = meta(doc, "property"), meta(doc, "name")
        url = SITE_URL + path.parent.relative_to(demo_site).as_posix() + "/"
        where = path.relative_to(demo_site)
        assert og["og:type"] == ["article"], where
        assert og["og:title"] == [doc.findtext(".//h1").strip()], where
        assert og["og:description"][0], where
        assert og["og:url"] == [url], where
        assert og["og:locale"] == ["vi_VN"] and og["og:site_name"] == ["Cổng thông tin Bantin"], where
        assert og["article:published_time"][0].startswith(path.parent.parent.parent.name), where
        assert og["article:section"] == [doc.find('.//p[@class="bt-section"]/a').text_content()], where
        assert named["twitter:card"] == ["summary_large_image"], where
        (image,) = og["og:image"]
        assert og["og:image:width"] == ["1200"] and og["og:image:height"] == ["630"], where
        assert named["twitter:image"] == [image], where
        with Image.open(site_file(demo_site, image)) as im:
            assert im.size == (1200, 630), (where, image)


def test_a_bulletin_with_a_cover_shares_its_cover_and_its_topics(demo_site):
    path = demo_site / "2021/12/giao-ban-du-luan-xa-hoi-thang-11-2021/index.html"
    og = meta(lxml.html.parse(str(path)).getroot(), "property")
    assert og["article:tag"] == ["Dư luận xã hội", "Công tác tuyên giáo", "Phòng, chống dịch Covid-19",
                                 "Giải phóng mặt bằng"]
    covered = demo_site / "2020/12/xuan-son-hdnd-ky-hop-cuoi-nam-2020/index.html"
    og = meta(lxml.html.parse(str(covered)).getroot(), "property")
    assert og["og:image"] == [SITE_URL + "media/2020/xuan-son-ky-hop-hdnd-1200x630.jpg"]


def test_pages_other_than_bulletins_share_the_agency_picture(demo_site):
    for url in ("", "chuyen-muc/du-luan-xa-hoi/", "van-ban/", "du-luan/"):
        og = meta(lxml.html.parse(str(demo_site / url / "index.html")).getroot(), "property")
        assert og["og:type"] == ["website"], url
        assert og["og:url"] == [SITE_URL + url], url
        assert og["og:image"] == [SITE_URL + "media/2024/long-bien-dlxh-2024-1200x630.jpg"], url


def test_share_links_are_plain_links_to_zalo_and_facebook_with_the_page_address(demo_site):
    path = demo_site / "2021/12/giao-ban-du-luan-xa-hoi-thang-11-2021/index.html"
    doc = lxml.html.parse(str(path)).getroot()
    links = {a.text: a.get("href") for a in doc.iterfind('.//p[@class="bt-share"]/a')}
    url = SITE_URL + "2021/12/giao-ban-du-luan-xa-hoi-thang-11-2021/"
    facebook = urlsplit(links["Facebook"])
    assert facebook.netloc == "www.facebook.com" and parse_qs(facebook.query)["u"] == [url]
    zalo = urlsplit(links["Zalo"])
    assert zalo.netloc == "button-share.zalo.me"
    assert json.loads(base64.b64decode(parse_qs(zalo.query)["d"][0])) == {"url": url}
    assert not [s for s in doc.iter("script") if s.get("src") and "//" in s.get("src")]


@pytest.mark.parametrize("url", ["", "2021/12/giao-ban-du-luan-xa-hoi-thang-11-2021/", "van-ban/", "404.html"])
def test_every_page_footer_shows_the_agency_details(demo_site, url):
    path = demo_site / url if url.endswith(".html") else demo_site / url / "index.html"
    footer = lxml.html.parse(str(path)).getroot().find(".//footer[@class='bt-footer']")
    shown = {dt.text_content(): dt.getnext().text_content() for dt in footer.iter("dt")}
    assert shown == {"Cơ quan chủ quản": AGENCY["agency"], "Cơ quan quản lý": AGENCY["name"],
                     "Chịu trách nhiệm nội dung": AGENCY["responsible"], "Địa chỉ": AGENCY["address"],
                     "Điện thoại": AGENCY["phone"], "Thư điện tử": AGENCY["email"]}
    assert AGENCY["licence"] in footer.text_content()
    assert footer.find(f".//a[@href='mailto:{AGENCY['email']}']") is not None


def json_ld(path: Path) -> dict:
    doc = lxml.html.parse(str(path)).getroot()
    data = json.loads(doc.find(".//script[@type='application/ld+json']").text)
    return data[0] if isinstance(data, list) else data


def test_json_ld_names_the_agency_as_publisher_and_cuts_headlines_between_words(demo_site):
    path = next(p for p in bulletin_pages(demo_site) if "toa-dam-du-luan-xa-hoi" in str(p))
    article = json_ld(path)
    assert article["publisher"]["name"] == AGENCY["name"]
    assert article["publisher"]["parentOrganization"]["name"] == AGENCY["agency"]
    assert article["publisher"]["telephone"] == AGENCY["phone"]
    title, headline = article["name"], article["headline"]
    assert len(title) > 110 and len(headline) <= 110
    kept = headline.removesuffix(" …")
    assert headline.endswith(" …") and title.startswith(kept) and title[len(kept)] == " "
