"""Articles from HTML: saved portal pages, and the HTML inside feeds and WordPress exports.

A page's main text, title and images are found by trafilatura; its date by
the portal's own publication line first (dates.py), then by htmldate from the
page's markup, never from a guess in the text.  Captions are read from the
page as its portal lays them out, which trafilatura does not keep:
PublishingPortal's `table.image` with an `image_desc` cell, Joomla's centred
italic paragraph under the photo, `<figure>`/`<figcaption>`, WordPress's
`[caption]`.  The HTML inside a feed or an export is already the article, so
it is read block by block with the same caption rules.
"""
from __future__ import annotations

import copy
import re
from datetime import datetime
from typing import Iterator, Optional
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import htmldate
import lxml.html
import trafilatura
from lxml import etree

from . import credits, dates
from .article import FIGURE, HEADING, ITEM, PARAGRAPH, Article, Block
from .clean import bullets, is_chrome, tidy

BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th", "figure",
              "figcaption", "section", "article", "pre", "dd", "dt", "table", "tbody", "thead", "tr", "ul", "ol",
              "center", "dl", "main", "header", "footer", "aside", "nav", "body"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SKIP_TAGS = {"script", "style", "noscript", "iframe", "object", "embed", "button", "select", "svg", "template"}
# Not <form>: a SharePoint page is one form from top to bottom.
CAPTION_CLASS = re.compile(r"caption|desc|chuthich|chu-thich|ghichu|note|legend", re.I)
CENTRED = re.compile(r"text-align\s*:\s*center", re.I)
CAPTION_LIMIT = 400
LAZY_SRC = ("src", "data-src", "data-original", "data-lazy-src")
_FILE_LIKE = re.compile(r"^[\w\-. ]+\.(?:jpe?g|png|gif|webp)$|^(?:img|image|dsc|anh)[\w\-]*\d+$", re.I)


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def image_src(img) -> str:
    for name in LAZY_SRC:
        value = (img.get(name) or "").strip()
        if value and not value.startswith("data:"):
            return value
    return ""


def inline_text(el) -> str:
    """The words of an element, <br> as a line break, without the text of skipped tags."""
    parts: list[str] = []

    def walk(node):
        tag = _tag(node)
        if tag in SKIP_TAGS:
            return
        if tag == "br":
            parts.append("\n")
        elif node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
    walk(el)
    lines = [tidy(line) for line in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)


def _block_of(el):
    node = el.getparent()
    while node is not None and _tag(node) not in BLOCK_TAGS:
        node = node.getparent()
    return node


def _short(el) -> Optional[str]:
    text = " ".join(inline_text(el).split()) if el is not None else ""
    return text if text and len(text) <= CAPTION_LIMIT else None


def _looks_like_caption(el) -> bool:
    """A block a portal styles as a caption: italic throughout, centred, or classed so."""
    if CAPTION_CLASS.search(el.get("class", "")) or CENTRED.search(el.get("style", "")) \
            or (el.get("align") or "").lower() == "center":
        return True
    text = " ".join(inline_text(el).split())
    emphasised = " ".join(" ".join(inline_text(e).split()) for e in el.iter("em", "i") if e is not el)
    return bool(text) and emphasised == text


def caption_for(img) -> tuple[str, Optional[object]]:
    """(caption, the element that holds it) for a photo, by the portals' layouts; ('', None) if none."""
    for node in img.iterancestors():
        tag = _tag(node)
        if tag == "figure":
            cap = node.find(".//figcaption")
            return (_short(cap) or "", cap) if cap is not None else ("", None)
        if tag == "table":
            rows = node.findall(".//tr")
            if len(rows) <= 4 and len(node.findall(".//img")) == 1:
                cells = [c for c in node.iter("td", "th") if not c.findall(".//img")]
                text = " ".join(" ".join(inline_text(c).split()) for c in cells).strip()
                if text and len(text) <= CAPTION_LIMIT:
                    return text, node
            break
        if tag in ("p", "div", "li", "center", "body"):
            break
    block = _block_of(img)
    if block is not None and _tag(block) != "body":
        own = " ".join(inline_text(block).split())
        if own and len(own) <= CAPTION_LIMIT and len(block.findall(".//img")) == 1:
            return own, block                       # <p><img><br><em>caption</em></p>
        sibling = block.getnext()
        while sibling is not None and not isinstance(sibling.tag, str):
            sibling = sibling.getnext()
        if sibling is not None and not own and _tag(sibling) in BLOCK_TAGS and not sibling.findall(".//img"):
            text = _short(sibling)
            if text and _looks_like_caption(sibling):
                return text, sibling
    title = tidy(img.get("title") or "")
    if title and not _FILE_LIKE.match(title):
        return title, None
    return "", None


def caption_map(root) -> dict[str, str]:
    """src -> caption for every photo in a page."""
    out: dict[str, str] = {}
    for img in root.iter("img"):
        src = image_src(img)
        if src and src not in out:
            out[src] = caption_for(img)[0]
    return out


def _leaf(el) -> bool:
    return not any(_tag(d) in BLOCK_TAGS for d in el.iterdescendants())


def blocks_of(root, captions: Optional[dict[str, str]] = None) -> list[Block]:
    """The blocks of an article's HTML, in order; photos with their captions.

    `captions` comes from the original page when `root` is trafilatura's rendering of it."""
    out: list[Block] = []
    used: set[str] = set()
    consumed: set = set()

    def figure(img) -> None:
        src = image_src(img)
        if not src:
            return
        if captions is not None:
            text = captions.get(src, "")
        else:
            text, holder = caption_for(img)
            if holder is not None:
                consumed.add(holder)
        if text:
            used.add(" ".join(text.split()))
        out.append(Block(FIGURE, text, src, tidy(img.get("alt") or "")))

    def paragraph(text: str, kind: str) -> None:
        for part in re.split(r"\n{1,}", text) if kind == PARAGRAPH else [text.replace("\n", " ")]:
            part = tidy(part)
            if part:
                out.append(Block(kind, part))

    def walk(el) -> None:
        tag = _tag(el)
        if el in consumed or tag in SKIP_TAGS or not tag:
            return
        if tag == "img":
            figure(el)
            return
        if tag in BLOCK_TAGS and _leaf(el):
            for img in el.iter("img"):
                figure(img)
            if el in consumed:
                return
            text = inline_text(el)
            if text and " ".join(text.split()) not in used:
                paragraph(text, ITEM if tag == "li" else HEADING if tag in HEADINGS else PARAGRAPH)
            return
        if el.text and el.text.strip():
            paragraph(el.text, PARAGRAPH)
        for child in el:
            walk(child)
            if child.tail and child.tail.strip():
                paragraph(child.tail, PARAGRAPH)
    walk(root)
    return [b for b in out if b.kind == FIGURE or " ".join(b.text.split()) not in used]


# --------------------------------------------------------------- WordPress and feed HTML

_CAPTION_CODE = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.S | re.I)
_IMG_THEN_TEXT = re.compile(r"^\s*((?:<a[^>]*>\s*)?<img[^>]*>(?:\s*</a>)?)(.*)$", re.S | re.I)
_BLOCK_START = re.compile(r"^\s*<(?:p|div|h[1-6]|ul|ol|li|table|figure|blockquote|pre|hr|!--)", re.I)


def _caption_shortcode(m: re.Match) -> str:
    inner = _IMG_THEN_TEXT.match(m.group(1))
    if not inner:
        return m.group(1)
    return f"<figure>{inner.group(1)}<figcaption>{inner.group(2).strip()}</figcaption></figure>"


def wordpress_html(text: str) -> str:
    """WordPress's stored post: [caption] shortcodes as figures, blank lines as paragraphs (wpautop)."""
    text = _CAPTION_CODE.sub(_caption_shortcode, text.replace("\r\n", "\n"))
    chunks = re.split(r"\n\s*\n", text)
    return "\n".join(chunk if _BLOCK_START.match(chunk) else f"<p>{chunk.strip()}</p>" for chunk in chunks if chunk.strip())


def fragment_blocks(fragment: str) -> list[Block]:
    if not fragment.strip():
        return []
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return [Block(PARAGRAPH, tidy(fragment))]
    return bullets(blocks_of(root))


# --------------------------------------------------------------- pages

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


def _document(raw: bytes | str):
    """The page's tree; UTF-8 even when the page does not say so (lxml alone would read Latin-1)."""
    if isinstance(raw, bytes):
        try:
            raw = _XML_DECLARATION.sub("", raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            pass                              # another charset: lxml reads the page's <meta charset>
    try:
        return lxml.html.document_fromstring(raw)
    except (etree.ParserError, ValueError):
        return None


def _first(root, paths: list[str]) -> Optional[str]:
    for path in paths:
        for value in root.xpath(path):
            text = tidy(value if isinstance(value, str) else inline_text(value))
            if text:
                return text
    return None


def _after(root, anchor) -> Iterator:
    """Elements in document order from `anchor` on (the page from the title down)."""
    seen = anchor is None
    for el in root.iter():
        if el is anchor:
            seen = True
        if seen and isinstance(el.tag, str):
            yield el


def _publication(root, title_el, tz: ZoneInfo) -> Optional[dates.Stamp]:
    """The portal's publication line nearest below the title (a sidebar's dates come later)."""
    for i, el in enumerate(_after(root, title_el)):
        if i > 200 or _tag(el) in SKIP_TAGS:
            continue
        own = " ".join(" ".join([el.text or ""] + [c.text or "" for c in el if _tag(c) in ("span", "time", "b",
                                                                                             "strong", "em")]).split())
        stamp = dates.portal_line(own, tz) if own else None
        if stamp:
            return stamp
    return None


def _section(root) -> Optional[str]:
    meta = _first(root, ["//meta[@property='article:section']/@content"])
    if meta:
        return meta
    for crumbs in root.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' breadcrumb')"
                             " or contains(@class, 'breadcrumbs') or contains(@class, 'duong-dan')]"):
        links = [tidy(inline_text(a)) for a in crumbs.iter("a")]
        links = [t for t in links if t and t.lower() not in ("trang chủ", "home")]
        if links:
            return links[-1]
    return _first(root, ["//*[@itemprop='genre']", "//*[contains(@class, 'category-name')]//a"])


def _title_element(root, title: str):
    want = " ".join(title.split())
    for el in root.iter("h1", "h2", "h3", "div", "span", "a", "p"):
        if " ".join(inline_text(el).split()) == want:
            return el
    return None


def _old_url(root, address: str) -> Optional[str]:
    found = _first(root, ["//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content",
                          "//base/@href"])
    if found and found.startswith(("http://", "https://")):
        return found
    return address if address.startswith(("http://", "https://")) else None


def _trim(article: Article) -> None:
    """Drop the title repeated in the text, date lines, and the portal's blocks below the article."""
    title = " ".join(article.title.split())
    blocks = [b for b in article.blocks if not (b.kind != FIGURE and (" ".join(b.text.split()) == title
                                                                       or is_chrome(b.text)))]
    last_text = max((i for i, b in enumerate(blocks) if b.kind != HEADING), default=-1)
    article.blocks = blocks[:last_text + 1]


def read_page(raw: bytes, address: str, tz: ZoneInfo, *, remote: bool = False) -> Article:
    article = Article(address=address, kind="html", remote=remote)
    root = _document(raw)
    if root is None:
        article.review.append("Tệp không phải trang HTML đọc được.")
        return article
    for bad in list(root.iter(*SKIP_TAGS)):
        bad.drop_tree()
    metadata = trafilatura.extract_metadata(copy.deepcopy(root))
    title = (metadata.title if metadata and metadata.title else None) or _first(root, ["//h1", "//title"]) or ""
    article.title = tidy(title)
    title_el = _title_element(root, article.title)
    article.note("title", article.title, article.title)
    article.old_url = _old_url(root, address)
    base = _first(root, ["//base/@href"])
    article.photo_base = urljoin(address, base) if remote and base else address
    article.address = article.old_url or address      # one page saved twice, or fetched again, is one source
    stamp = _publication(root, title_el, tz)
    if stamp:
        article.published = stamp.when
        article.note("date", stamp.when, stamp.words, "" if stamp.timed else "nguồn không ghi giờ: 08:00 theo quy ước")
    else:
        found = htmldate.find_date(copy.deepcopy(root), extensive_search=False, original_date=True,
                                   outputformat="%Y-%m-%d %H:%M")
        if found:
            day, _, clock = found.partition(" ")
            when = datetime.strptime(found if clock != "00:00" else f"{day} 08:00", "%Y-%m-%d %H:%M")
            article.published = when.replace(tzinfo=tz)
            article.note("date", article.published, "thẻ ngày trong mã trang (htmldate)",
                         "không có dòng “Ngày đăng”: kiểm tra lại")
            article.review.append("Ngày đăng lấy từ thẻ trong mã trang, không có dòng “Ngày đăng”: kiểm tra lại.")
    article.section = _section(root)
    if article.section:
        article.note("section", article.section, article.section)
    captions = caption_map(root)
    body = trafilatura.extract(copy.deepcopy(root), output_format="html", include_images=True, include_tables=True,
                               include_links=False, favor_precision=True, deduplicate=False)
    body_root = _document(body) if body else None
    if body_root is None:
        article.review.append("Không tìm thấy phần nội dung bài trong trang.")
        return article
    article.blocks = blocks_of(body_root.find("body") if body_root.find("body") is not None else body_root, captions)
    bullets(article.blocks)
    _trim(article)
    credits.take(article)
    named = credits.byline(tidy(metadata.author)) if metadata and metadata.author else None
    if not article.author and named:
        article.author = named
        article.note("author", named, "thẻ meta author của trang")
    return article


def resolve(src: str, base: str) -> str:
    """A photo's address made absolute against its page's URL."""
    return urljoin(base, src) if base.startswith(("http://", "https://")) else src
