"""Documents that bulletins cite: numbers such as `334-QĐ/QU`, found, normalised and gathered.

A Party document is numbered `<số>-<loại>/<cơ quan>` (35-NQ/TW), a state one
`<số>[/<năm>]/<loại>-<cơ quan>` (68/NQ-CP).  Editors space them every way
('01- ĐA/TU', '35 - NQ/TW'); one document gets one key and one page whichever
way it is written.  The register is built from the meeting blocks and from
the rendered text, so that every mention that is linked has a page.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Iterator, Optional

from markdown.treeprocessors import Treeprocessor

from . import urls
from .content.models import Bulletin
from .content.paths import site_path
from .vietnamese import nfc, slugify

KINDS = {
    "NQ": "Nghị quyết", "NQLT": "Nghị quyết liên tịch", "QĐ": "Quyết định", "QĐi": "Quy định",
    "KL": "Kết luận", "ĐA": "Đề án", "CT": "Chỉ thị", "CTr": "Chương trình", "TB": "Thông báo",
    "HD": "Hướng dẫn", "KH": "Kế hoạch", "BC": "Báo cáo", "QC": "Quy chế", "CV": "Công văn",
    "TTr": "Tờ trình", "NĐ": "Nghị định", "TT": "Thông tư", "TTLT": "Thông tư liên tịch",
}
# 'TU' is the code of a province's, a city's and a town's Party committee alike: the text says which.
ISSUERS = {
    "TW": "Trung ương", "TU": "Tỉnh ủy/Thành ủy/Thị ủy", "QU": "Quận ủy", "HU": "Huyện ủy",
    "ĐU": "Đảng ủy", "ĐUK": "Đảng ủy Khối", "CP": "Chính phủ", "TTg": "Thủ tướng Chính phủ",
    "QH": "Quốc hội", "UBTVQH": "Ủy ban Thường vụ Quốc hội", "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân", "BTGTW": "Ban Tuyên giáo Trung ương", "BTGTU": "Ban Tuyên giáo Tỉnh ủy/Thành ủy",
    "BTGQU": "Ban Tuyên giáo Quận ủy", "BTGHU": "Ban Tuyên giáo Huyện ủy", "BDVTW": "Ban Dân vận Trung ương",
    "MTTQ": "Mặt trận Tổ quốc", "BNV": "Bộ Nội vụ", "BTC": "Bộ Tài chính", "BTTTT": "Bộ Thông tin và Truyền thông",
}

_KIND = "|".join(sorted(map(re.escape, KINDS), key=len, reverse=True))   # longest first: QĐi before QĐ
_DASH = r"[ \t\u00a0]*[-\u2010\u2011\u2013][ \t\u00a0]*"
_SLASH = r"[ \t\u00a0]*/[ \t\u00a0]*"
_ISSUER = r"[A-ZĐ][A-Za-zĐđ]{1,9}"
_RIGHT = r"(?![\w/])"
# Starting with a digit lets the regex engine skip ahead quickly; what stands before is checked in `find`.
NUMBER_RE = re.compile(
    rf"(?P<n>\d{{1,5}})(?:"
    rf"{_DASH}(?P<kind>{_KIND}){_SLASH}(?P<issuer>{_ISSUER}(?:-{_ISSUER})?)"
    rf"|(?:/(?P<year>(?:19|20)\d\d))?/(?P<skind>{_KIND})-(?P<sissuer>{_ISSUER}))"
    rf"{_RIGHT}"
)
_JOINED = re.compile(r"[\w/\-.]")      # a number glued to this is the tail of a longer code
_DATE_AFTER = re.compile(r"^\s*,?\s*(?:ban hành\s+)?ngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_UY = "(?:ủy|uỷ)"
_BODY_AFTER = re.compile(
    r"^\s*(?:,?\s*(?:ban hành\s+)?ngày\s+\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4})?\s*,?\s*của\s+("
    r"Bộ Chính trị|Ban Bí thư|Ban Chấp hành Trung ương(?: Đảng)?|Thủ tướng Chính phủ|Chính phủ|Quốc hội"
    rf"|(?:(?:Ban Thường vụ|Ban Chấp hành|Thường trực|Ban Tuyên giáo|Ban Dân vận|Ủy ban Kiểm tra) )?"
    rf"(?:Tỉnh|Thành|Thị|Quận|Huyện|Đảng) {_UY}(?: [A-ZĐ][\wđ]*)*"
    r")")
_COMMITTEE = re.compile(rf"\b(Tỉnh|Thành|Thị) {_UY}")


@dataclass(frozen=True)
class Number:
    """A document number, normalised: what a reader sees and what its page is called."""

    n: str
    kind: str
    issuer: str
    year: Optional[str] = None
    state: bool = False              # state style: 68/NQ-CP

    @property
    def text(self) -> str:
        if self.state:
            return f"{self.n}/{self.year + '/' if self.year else ''}{self.kind}-{self.issuer}"
        return f"{self.n}-{self.kind}/{self.issuer}"

    @property
    def slug(self) -> str:
        # One document written Party-style or state-style by mistake ('68-NQ/CP', '68/NQ-CP') is one page.
        return slugify(" ".join(filter(None, (self.n, self.year, self.kind, self.issuer))))

    @property
    def kind_name(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def issuer_name(self) -> str:
        return ISSUERS.get(self.issuer, self.issuer)


# Issuers whose numbers start again in every unit: a number is then one document within the
# unit that issued it, found from the citing bulletin's unit and its parents by level.
# 'TU' is the Party committee of a province, a centrally governed city, a provincial city or a town.
_PROVINCIAL = ("tỉnh", "thành phố", "thị xã")
LOCAL_ISSUERS = {
    "TU": _PROVINCIAL, "BTGTU": _PROVINCIAL, "QU": ("quận",), "BTGQU": ("quận",), "HU": ("huyện",),
    "BTGHU": ("huyện",), "ĐU": ("phường", "xã", "thị trấn"), "UBND": (), "HĐND": (),
}
Chain = tuple[tuple[str, str], ...]      # (unit key, level) of a unit and its parents, nearest first


def scope(number: Optional["Number"], chain: Chain) -> Optional[str]:
    """The unit whose document `number` is, for a bulletin of the unit at the head of `chain`;
    None for a national document (35-NQ/TW) or when no unit of the right level is there.
    A council's or a committee's own numbers (UBND, HĐND) are the bulletin's unit's."""
    if number is None or not chain:
        return None
    levels = LOCAL_ISSUERS.get(number.issuer.split("-")[0])
    if levels is None:
        return None
    if not levels:
        return chain[0][0]
    return next((key for key, level in chain if level in levels), None)


def slug_in(number: "Number", chain: Chain) -> str:
    """A document's page name: the number, and for a local document its issuer's unit."""
    unit = scope(number, chain)
    return f"{number.slug}-{unit}" if unit else number.slug


def _number(m: re.Match) -> Number:
    if m.group("kind"):
        return Number(m.group("n"), m.group("kind"), m.group("issuer"))
    return Number(m.group("n"), m.group("skind"), m.group("sissuer"), m.group("year"), state=True)


# Every number holds its kind right after a dash or a slash ('-NQ', '/QĐ'), and none goes across a
# line: only the lines where such a pair stands are searched for numbers.  Most of a body has none,
# and finding this pair is several times faster than trying NUMBER_RE at every digit.
_KIND_MARK = re.compile(rf"[-\u2010\u2011\u2013/][ \t\u00a0]*(?:{_KIND})")


def find(text: str) -> Iterator[tuple[re.Match, Number]]:
    """Every document number in a text, with where it stands."""
    if "/" not in text:
        return
    end = 0
    for mark in _KIND_MARK.finditer(text):
        if mark.start() < end:
            continue              # on a line searched already
        start = text.rfind("\n", 0, mark.start()) + 1
        end = text.find("\n", mark.end())
        end = len(text) if end < 0 else end
        for m in NUMBER_RE.finditer(text, start, end):
            if m.start() and _JOINED.match(text, m.start() - 1):
                continue
            yield m, _number(m)


def date_after(text: str) -> Optional[date]:
    """The date written right after a number (', ngày 13/6/2016'), if a real one."""
    d = _DATE_AFTER.match(text)
    if not d:
        return None
    try:
        return date(int(d.group(3)), int(d.group(2)), int(d.group(1)))
    except ValueError:
        return None


def parse(text: str) -> Optional[Number]:
    """The number in what an editor wrote as `number:` ('334 - QĐ/QU', 'Quyết định số 334-QĐ/QU')."""
    found = next(find(nfc(text)), None)
    return found[1] if found else None


def slug(number: str, chain: Chain = ()) -> str:
    """The page name of a document, also for a number written in no known shape."""
    parsed = parse(number)
    return slug_in(parsed, chain) if parsed else (slugify(number) or "khong-so")


# --------------------------------------------------------------- the register

@dataclass
class Citation:
    bulletin: Bulletin
    listed: bool = False             # in the meeting's list of documents
    excerpt: str = ""                # the sentence of the body that names it
    mention: str = ""                # the number as the sentence writes it, to highlight

    @property
    def excerpt_parts(self) -> tuple[str, str, str]:
        """(before, mention, after), for showing the number marked in its sentence."""
        return self.excerpt.partition(self.mention) if self.mention in self.excerpt else (self.excerpt, "", "")


@dataclass
class Document:
    slug: str
    number: str                      # as shown: normalised, or as the editor wrote it
    parsed: Optional[Number] = None
    title: Optional[str] = None
    date: Optional[date] = None
    body: Optional[str] = None       # the issuing body when the text says it ('Ban Bí thư')
    citations: list[Citation] = field(default_factory=list)
    scope: Optional[str] = None      # the unit that issued a local document (see LOCAL_ISSUERS)
    file: Optional[str] = None       # content path of the document's file, as a meeting block gives it
    attachment: Optional[Any] = None  # that file's type and size (attachments.Attachment), set by the site

    @property
    def url(self) -> str:
        return urls.document(self.slug)

    @property
    def kind_name(self) -> Optional[str]:
        return self.parsed.kind_name if self.parsed else None

    @property
    def issuer_name(self) -> Optional[str]:
        if not self.parsed:
            return None
        if self.parsed.issuer == "TU" and self.body:
            m = _COMMITTEE.search(self.body)
            if m:
                return f"{m.group(1)} ủy"
        return self.parsed.issuer_name

    @property
    def year(self) -> Optional[int]:
        if self.date:
            return self.date.year
        return int(self.parsed.year) if self.parsed and self.parsed.year else None

    @property
    def heading(self) -> str:
        return f"{self.kind_name} số {self.number}" if self.kind_name else self.number


_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|figcaption|td|th|blockquote|dd|dt|div)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")


def body_text(body_html: str) -> str:
    """Rendered body as text, one line per block: what readers see, so what gets linked."""
    return html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", body_html)))


def _excerpt(text: str, start: int, end: int, width: int = 260) -> str:
    """The sentence around a mention (numbers have no full stops; dates like '30/5/2014.' end with one)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    stop = text.rfind(". ", line_start, start)
    begin = line_start if stop < 0 else stop + 2
    stop = text.find(". ", end, line_end)
    finish = line_end if stop < 0 else stop + 1
    sentence = " ".join(text[begin:finish].split())
    if len(sentence) > width:
        mid = len(" ".join(text[begin:start].split()))
        left = max(0, min(mid - width // 3, len(sentence) - width))
        sentence = ("…" if left else "") + sentence[left:left + width].strip() + ("…" if left + width < len(sentence) else "")
    return sentence


def _texts(b: Bulletin) -> Iterator[str]:
    """Where a bulletin may name a document besides its body."""
    yield b.title
    if b.meta.summary:
        yield b.meta.summary
    if b.meta.caption:
        yield b.meta.caption
    if b.meta.meeting:
        yield from b.meta.meeting.conclusions
    op = b.meta.opinion
    if op:
        for c in op.concerns:
            yield from filter(None, (c.title, c.summary, c.response.answer))
        yield from op.recommendations


def collect(bulletins: Iterable[Bulletin], chain_of) -> list[Document]:
    """Every document cited, with the bulletins citing it newest first (bulletins come newest first).

    `chain_of(unit)` gives a unit's Chain; a local number is one document per issuing unit.
    Each bulletin learns the address of each document its meeting block lists (`document_urls`)."""
    docs: dict[str, Document] = {}
    forms: dict[str, Counter] = {}
    dates: dict[str, Counter] = {}
    bodies: dict[str, Counter] = {}
    chain: Chain = ()

    def doc_for(number: Optional[Number], written: str) -> Document:
        key = slug_in(number, chain) if number else (slugify(written) or "khong-so")
        if key not in docs:
            docs[key] = Document(key, number.text if number else " ".join(written.split()), number,
                                 scope=scope(number, chain))
            forms[key], dates[key], bodies[key] = Counter(), Counter(), Counter()
        return docs[key]

    for b in bulletins:
        chain = chain_of(b.unit)
        cited: dict[str, Citation] = {}

        def cite(doc: Document) -> Citation:
            if doc.slug not in cited:
                cited[doc.slug] = Citation(b)
                doc.citations.append(cited[doc.slug])
            return cited[doc.slug]

        for ref in (b.meta.meeting.documents if b.meta.meeting else []):
            doc = doc_for(parse(ref.number), ref.number)
            b.document_urls[ref.number] = doc.url
            cite(doc).listed = True
            if ref.title and not doc.title:
                doc.title = ref.title
            if ref.file and not doc.file:
                doc.file = site_path(ref.file)
            if ref.date:
                dates[doc.slug][ref.date] += 10      # what the editor filled in beats what the text says
        body = body_text(b.body_html) if b.body_html else b.body
        for source, text in [("body", nfc(body))] + [("meta", nfc(t)) for t in _texts(b)]:
            for m, number in find(text):
                doc = doc_for(number, m.group(0))
                citation = cite(doc)
                if source == "body" and not citation.excerpt:
                    citation.excerpt = _excerpt(text, m.start(), m.end())
                    citation.mention = " ".join(m.group(0).split())
                after = text[m.end():m.end() + 160]
                said = date_after(after)
                if said:
                    dates[doc.slug][said] += 1
                body_m = _BODY_AFTER.match(after)
                if body_m:
                    bodies[doc.slug][body_m.group(1)] += 1
    for key, doc in docs.items():
        if dates[key]:
            doc.date = dates[key].most_common(1)[0][0]
        if bodies[key]:
            doc.body = bodies[key].most_common(1)[0][0]
    return list(docs.values())


# --------------------------------------------------------------- links in bulletin text

SKIP_TAGS = {"a", "code", "pre", "kbd", "samp", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6"}


class DocumentLinks(Treeprocessor):
    """Each document number in the text becomes a link to its page (not in links, headings or code)."""

    def run(self, root: etree.Element) -> None:
        base = getattr(self.md.treeprocessors["bantin-paths"], "base_path", "/") \
            if "bantin-paths" in self.md.treeprocessors else "/"
        self.base = base if base.endswith("/") else base + "/"
        self.chain = getattr(self.md, "bantin_chain", ())     # the unit of the bulletin being rendered
        self._walk(root)

    def _walk(self, el: etree.Element) -> None:
        if el.text:
            head, links = self._split(el.text)
            if links:
                el.text = head
                for i, link in enumerate(links):
                    el.insert(i, link)
        for child in list(el):
            if child.tag not in SKIP_TAGS:
                self._walk(child)
            if child.tail:
                tail, links = self._split(child.tail)
                if links:
                    child.tail = tail
                    at = list(el).index(child) + 1
                    for j, link in enumerate(links):
                        el.insert(at + j, link)

    def _split(self, text: str) -> tuple[str, list[etree.Element]]:
        """Text before the first number, and a link per number with the text up to the next as its tail."""
        links: list[etree.Element] = []
        head, last = text, 0
        for m, number in find(text):
            a = etree.Element("a", {"href": self.base + urls.document(slug_in(number, self.chain)), "class": "bt-doc-link",
                                    "title": f"{number.kind_name} {number.text}"})
            a.text = m.group(0)
            if links:
                links[-1].tail = text[last:m.start()]
            else:
                head = text[:m.start()]
            links.append(a)
            last = m.end()
        if links:
            links[-1].tail = text[last:] or None
        return head, links


def linker(md) -> Treeprocessor:
    return DocumentLinks(md)
