"""The meeting record read out of a report: what Bantin's `meeting:` block has a field for.

Rules for the phrasing these reports use, each field with the sentence it came
from.  An article is a meeting record when its opening names a meeting's day
and kind ("Chiều ngày 01/11/2022, ... tổ chức hội nghị Tọa đàm"), or names who
chaired or attended it; otherwise it gets no `meeting:` block at all.  What
the text does not say is left out.
"""
from __future__ import annotations

import re
from typing import Optional
from zoneinfo import ZoneInfo

from .. import documents
from ..content.models import Unit
from .article import Article
from .dates import meeting_start
from .people import meeting_people, sentences

LEAD_PARAGRAPHS = 2
# Most specific first: "hội nghị Tọa đàm" is a tọa đàm, "Hội nghị giao ban" a giao ban.
FORMATS = [("tọa đàm", r"t[oọ]a\s+đàm|toạ\s+đàm"), ("giao ban", r"giao\s+ban"), ("hội thảo", r"hội\s+thảo"),
           ("tập huấn", r"tập\s+huấn"), ("đối thoại", r"đối\s+thoại"), ("hội nghị", r"hội\s+nghị"),
           ("họp", r"kỳ\s+họp|cuộc\s+họp|buổi\s+họp|\bhọp\b")]
_PLACE_HEADS = (r"phòng|hội\s+trường|trụ\s+sở|nhà\s+văn\s+ho[áa]|văn\s+phòng|ubnd|ủy\s+ban|uỷ\s+ban|hđnd"
                r"|(?:huyện|quận|thị|tỉnh|thành|đảng)\s+(?:ủy|uỷ)|trung\s+tâm|điểm\s+cầu|các\s+điểm\s+cầu|sân|trường"
                r"|nhà|khu|cơ\s+quan|hội\s+quán|đình|công\s+viên|thôn|tổ\s+dân\s+phố|ấp|bản|cụm|trạm")
PLACE = re.compile(rf"\btại\s+(?P<place>(?:{_PLACE_HEADS})\b[^,.;(]*)", re.I)
_PLACE_MORE = re.compile(r"^,\s*((?:phường|xã|thị\s+trấn|quận|huyện|thị\s+xã|tỉnh|thành\s+phố)\s+[^\W\d_][^,.;]*)",
                         re.I)
_TAIL_UNIT = re.compile(r"\b(?P<body>UBND|Ủy ban nhân dân|Uỷ ban nhân dân|HĐND|Đảng ủy|Đảng uỷ)\s+"
                        r"(?P<level>phường|xã|thị trấn|quận|huyện|thị xã|tỉnh|thành phố)$", re.I)
_TAIL_COMMITTEE = re.compile(r"\b(?P<level>Quận|Huyện|Thị|Tỉnh|Thành)\s+(?:ủy|uỷ)$", re.I)
_COMMITTEE_LEVEL = {"quận": "quận", "huyện": "huyện", "thị": "thị xã", "tỉnh": "tỉnh", "thành": "thành phố"}
CONTRIBUTIONS = re.compile(
    r"(?<![\d.,])(?P<n>\d{1,3})\s+(?:lượt\s+)?(?:ý\s+kiến\s+(?:tham\s+luận|phát\s+biểu|thảo\s+luận|tham\s+gia|trao\s+đổi"
    r"|góp\s+ý|đóng\s+góp)|(?:bài\s+)?tham\s+luận)", re.I)
PARTICIPANTS = re.compile(r"(?:[Cc]ùng\s+dự|[Tt]ham\s+dự|\b[Dd]ự)(?:\s+(?:hội\s+nghị|buổi\s+\w+))?\s+(?:có|gồm)\s+"
                          r"(?P<who>(?:các|đại\s+diện|toàn\s+thể)\b[^.]+)")
DOC_TITLE = re.compile(r"^(?:\s*,?\s*(?:ban hành\s+)?ngày\s+\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4})?\s*,?\s*"
                       r"(?:của\s+[^“\"”]{1,80}?\s+)?về(?:\s+việc)?\s*[“\"](?P<title>[^”\"]{3,300})[”\"]")
CONCLUDING = re.compile(r"\b[Kk]ết\s+luận\b(?!\s*(?:số\s*)?\d)")
ENUMERATED = re.compile(r"\((\d{1,2})\)\s*")


def _level_name(unit: Unit, level: str, units: dict[str, Unit]) -> Optional[str]:
    """'Ngọc Thụy' for level 'phường' when the unit (or one above it) is Phường Ngọc Thụy."""
    current: Optional[Unit] = unit
    while current is not None:
        if current.level == level.lower():
            name = current.name
            return name[len(current.level):].strip() if name.lower().startswith(current.level) else name
        current = units.get(current.parent) if current.parent else None
    return None


def _place(text: str, unit: Unit, units: dict[str, Unit]) -> Optional[tuple[str, Optional[str]]]:
    m = PLACE.search(text)
    if not m:
        return None
    place = m.group("place").strip()
    more = _PLACE_MORE.match(text[m.end():])
    if more:
        place = f"{place}, {more.group(1).strip()}"
    note = None
    tail = _TAIL_UNIT.search(place) or _TAIL_COMMITTEE.search(place)
    if tail:
        level = tail.group("level").lower()
        level = _COMMITTEE_LEVEL.get(level, level) if tail.re is _TAIL_COMMITTEE else level
        name = _level_name(unit, level, units)
        if name:
            place, note = f"{place} {name}", f"tên “{name}” thêm theo đơn vị của bài"
    return place[0].upper() + place[1:], note


def _format(texts: list[str]) -> Optional[tuple[str, str]]:
    for name, rx in FORMATS:
        for text in texts:
            if re.search(rx, text, re.I):
                return name, text
    return None


def _documents(article: Article, texts: list[str]) -> list[tuple[dict, str]]:
    found: dict[str, tuple[dict, str]] = {}
    for text in texts:
        for sentence in sentences(text):
            for m, number in documents.find(sentence):
                entry, _ = found.setdefault(number.slug, ({"number": number.text}, sentence))
                after = sentence[m.end():]
                said = documents.date_after(after)
                if said and "date" not in entry:
                    entry["date"] = said.isoformat()
                title = DOC_TITLE.match(after)
                if title and "title" not in entry:
                    entry["title"] = title.group("title").strip()
    return list(found.values())


def _conclusions(article: Article) -> Optional[tuple[list[str], str]]:
    """The points of a conclusion the text lists: '(1) ... (2) ...' in the concluding paragraph,
    or the list items right after a concluding paragraph that ends with ':'."""
    blocks = article.paragraphs
    for i, block in enumerate(blocks):
        if not CONCLUDING.search(block.text):
            continue
        parts = ENUMERATED.split(block.text)
        if len(parts) >= 5:                       # text, '1', item, '2', item...
            items = [p.strip().rstrip(";.").strip() for p in parts[2::2]]
            return [p for p in items if p], block.text
        if block.kind == "p" and block.text.rstrip().endswith(":"):
            items = []
            for following in blocks[i + 1:]:
                if following.kind != "li":
                    break
                items.append(following.text.rstrip(";.").strip())
            if len(items) >= 2:
                return items, block.text
    return None


def extract(article: Article, unit: Unit, units: dict[str, Unit], tz: ZoneInfo) -> Optional[dict]:
    """The `meeting:` block for an article, or None when it is not a meeting record."""
    paragraphs = [b.text for b in article.paragraphs]
    if not paragraphs:
        return None
    lead = [s for p in paragraphs[:LEAD_PARAGRAPHS] for s in sentences(p)]
    meeting: dict = {}
    start = None
    for sentence in lead[:3]:
        start = meeting_start(sentence, article.published, tz)
        if start:
            note = "năm lấy theo ngày đăng" if start.year_from_publication else ""
            if not start.timed:
                note = (note + "; " if note else "") + "bài không nói giờ"
                article.review.append(f"Giờ bắt đầu hội nghị không có trong bài (“{start.words}”): đã ghi ngày, "
                                      "cần điền giờ.")
            value = start.when.strftime("%Y-%m-%d %H:%M") if start.timed else start.when.strftime("%Y-%m-%d")
            meeting["start"] = value
            article.note("meeting.start", value, sentence, note)
            break
    kind = _format([s for s in lead if start and start.words in s] + [article.title] + lead[:2])
    everyone = "\n".join([article.title] + [b.text for b in article.blocks])
    people = meeting_people(paragraphs, everyone)
    if not ((start and kind) or people):
        return None
    if kind:
        meeting["format"] = kind[0]
        article.note("meeting.format", kind[0], kind[1])
    for sentence in lead:
        place = _place(sentence, unit, units)
        if place:
            meeting["location"] = place[0]
            article.note("meeting.location", place[0], sentence, place[1] or "")
            break
    for as_, key in (("chair", "chairs"), ("guest", "guests")):
        group = [p for p in people if p.as_ == as_]
        if group:
            meeting[key] = [{"name": p.name, **({"role": p.role} if p.role else {})} for p in group]
            for p in group:
                article.note(f"meeting.{key}", f"{p.name} – {p.role or '(không rõ chức vụ)'}", p.sentence,
                             "; ".join(p.notes))
    for paragraph in paragraphs:
        m = PARTICIPANTS.search(paragraph)
        if m and not any(p.name in m.group("who") for p in people):
            who = m.group("who").strip().rstrip(";,")
            who = re.sub(r"^các đồng chí\s+(?=[A-ZĐ])", "", who)
            meeting["participants"] = who[0].upper() + who[1:]
            article.note("meeting.participants", meeting["participants"], m.group(0))
            break
    for paragraph in paragraphs:
        counts = {int(m.group("n")): m.group(0) for m in CONTRIBUTIONS.finditer(paragraph)}
        if counts:
            n, words = next(iter(counts.items()))
            meeting["contributions"] = n
            article.note("meeting.contributions", n, next(s for s in sentences(paragraph) if words in s))
            if len(counts) > 1:
                article.review.append("Bài nêu nhiều số ý kiến: " + "; ".join(counts.values()) + ". Đã lấy số đầu.")
            break
    cited = _documents(article, [article.title] + paragraphs)
    if cited:
        meeting["documents"] = [entry for entry, _ in cited]
        for entry, sentence in cited:
            value = entry["number"] + (f", ngày {entry['date']}" if "date" in entry else "")
            article.note("meeting.documents", value, sentence)
    conclusions = _conclusions(article)
    if conclusions:
        meeting["conclusions"] = conclusions[0]
        article.note("meeting.conclusions", f"{len(conclusions[0])} ý", conclusions[1])
    return meeting
