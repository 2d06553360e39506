"""Chairs and guests of a meeting, with their roles, as the reports name them.

A person is introduced by "đồng chí", "Đ/c", "ông" or "bà", a name of two to
five capitalised words, a dash and the role: "đồng chí Đinh Thị Việt Hà –
Phó trưởng Ban tuyên giáo quận ủy".  The clause says what they were:
"chủ trì", "đồng chủ trì" (chairs); "Dự chỉ đạo có", "tới dự" (guests).  A cue
at the start of a clause reaches the people after it; a cue at the end
("...; đồng chí Lê Thị Kim Hồng - Phó Bí thư... chủ trì Hội nghị") the people
listed before it in the same sentence.  Captions and other sentences only
complete a role: the fullest one the text gives the same person, when it says
all the first one said ("Phó bí thư đảng ủy phường" → "Phó bí thư thường trực
đảng ủy phường").  Nobody is named who is not named in the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..vietnamese import fold, person_key, person_name

HONORIFIC = re.compile(r"(?<![\w/])(?:(?P<comrade>[Đđ]ồng\s+chí|[Đđ]\s*/\s*[cC]\.?|[Đđ]\.\s*[cC]\.?)|[Ôô]ng|[Bb]à)\s+")
SURNAMES = set("""Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Lâm Mai Đào Đoàn
Tạ Trịnh Lương Hà Cao Chu Tô Lưu Kiều Quách Thái Văn Tăng Triệu Đàm Hứa Lại Khổng La Châu Doãn Nông Lò Tống Từ Vương
Âu Giang Mạc Tôn Kim Phùng Thân Nghiêm Đồng Ninh Khúc Bạch Quan Ông Lục Ma Sầm Hầu Mẫn Cù Lã Vi Phí Diệp Yên Bế Lạc
Lăng Lữ Mã Nhữ Ôn Quản Thạch Thiều Tiêu Trình Ứng Vy Ksor Siu Điểu Sơn Danh Quàng Giàng Sùng Thào Vàng Mùa Lầu Sình
Cầm Khuất Bàn Chảo""".split())
# Words no name holds: a name stops before them ('đồng chí Trưởng Ban...' names nobody).
TITLE_WORDS = {"phó", "trưởng", "bí", "chủ", "ủy", "uỷ", "ban", "đảng", "quận", "huyện", "tỉnh", "giám", "cán",
               "chánh", "các", "những"}
# Words that start a title but may stand inside a name ('Nguyễn Văn Thành', 'Lê Thị Hội').
TITLE_STARTS = TITLE_WORDS | {"tổ", "hội", "đại", "thường", "tổng", "thành", "thủ", "bộ"}
CHAIR = re.compile(r"(?:đồng\s+)?chủ\s+trì|chủ\s+tọa|chủ\s+toạ", re.I)
GUEST = re.compile(r"dự\s+(?:và\s+)?(?:phát\s+biểu\s+)?chỉ\s+đạo|(?:tới|đến|về)\s+dự|"
                   r"\b(?:[Tt]ham\s+)?[Dd]ự\s+(?:hội\s+nghị|buổi\s+\w+|tọa\s+đàm|giao\s+ban|lễ|hội\s+thảo)?\s*(?:có|gồm)\b",
                   re.I)
# Where a role ends: the verb of the sentence (lower case), or the next person.
ROLE_END = re.compile(
    r"\s+(?:và\s+|cùng\s+)?(?=(?:[Đđ]ồng\s+chí|[Đđ]/[cC])\s)"
    r"|\s+(?:đồng\s+chủ\s+trì|chủ\s+trì|chủ\s+tọa|tới\s+dự|đến\s+dự|về\s+dự|dự\s+và|dự\b(?!\s+(?:án|thảo|toán|báo|kiến|bị|phòng|trữ|định))|tham\s+dự|phát\s+biểu|trình\s+bày"
    r"|kết\s+luận|(?<!Ban )chỉ\s+đạo|cho\s+biết|đánh\s+giá|đề\s+nghị|nhấn\s+mạnh|tiếp\s+thu|biểu\s+dương|khẳng\s+định"
    r"|yêu\s+cầu|quán\s+triệt|thông\s+qua|(?<!Báo )báo\s+cáo(?!\s+viên)|trao|tặng|điều\s+hành|định\s+hướng|giới\s+thiệu"
    r"|ghi\s+nhận|lưu\s+ý|đã|đề\s+xuất|cảm\s+ơn|chúc\s+mừng|cùng|tại|thay\s+mặt|gợi\s+mở|làm\s+việc|thăm|chia\s+sẻ"
    r"|nêu|trả\s+lời|giải\s+đáp|tham\s+gia|được|là)\b")
ABBREVIATIONS = {"UVTV": "Ủy viên Ban Thường vụ", "UVBTV": "Ủy viên Ban Thường vụ", "UV BTV": "Ủy viên Ban Thường vụ",
                 "UVBCH": "Ủy viên Ban Chấp hành", "ĐUV": "Đảng ủy viên"}
_ABBR = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, ABBREVIATIONS)) + r")(?!\w)")
_SEGMENT_DASH = re.compile(r"\s+[–—-]\s+|\s*[–—]\s*")
_COMMITTEE = re.compile(r"\b(Huyện|Quận|Thị|Tỉnh|Thành)\s+(ủy|uỷ)$", re.I)
_SENTENCE_END = re.compile(r"(?<!\bTP)(?<!\bTp)(?<!\bĐ/c)(?<!\b[A-ZĐ])[.!?](?=\s+(\S))")


@dataclass
class Mention:
    name: str
    role: Optional[str]
    start: int = 0              # where the mention starts in its clause


@dataclass
class Person:
    name: str
    role: Optional[str]
    as_: str                    # 'chair' or 'guest'
    sentence: str
    notes: list[str] = field(default_factory=list)


def sentences(text: str) -> list[str]:
    out, last = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.group(1)[0].isupper() or m.group(1)[0] in "“\"(":
            out.append(text[last:m.end()].strip())
            last = m.end()
    out.append(text[last:].strip())
    return [s for s in out if s]


def capitalised(text: str, pos: int, limit: int) -> list[tuple[str, int]]:
    """The capitalised words from pos on, up to `limit` of them, each with where it ends."""
    words = []
    for m in re.finditer(r"\S+", text[pos:]):
        core = m.group(0).rstrip(",;:.”\")")
        if not core or not core[0].isupper() or (core[1:] and not core[1:].islower()) or len(words) == limit:
            break
        words.append((core, pos + m.start() + len(core)))
        if core != m.group(0):
            break
    return words


def _name_at(text: str, pos: int, strict: bool) -> Optional[tuple[str, int]]:
    """A person's name starting at pos: 2-5 capitalised words, the first a surname (or, after
    'đồng chí', three words or more that do not start a title)."""
    words = capitalised(text, pos, 5)
    cut = next((i for i, (w, _) in enumerate(words) if i and w.lower() in TITLE_WORDS), len(words))
    words = words[:cut]
    if len(words) < 2 or words[0][0].lower() in TITLE_STARTS:
        return None
    if words[0][0] not in SURNAMES and (strict or len(words) < 3):
        return None
    return " ".join(w for w, _ in words), words[-1][1]


def _role(text: str) -> Optional[str]:
    """The role written after a name's dash, up to the verb or the next person."""
    end = ROLE_END.search(text)
    text = text[:end.start()] if end else text
    text = re.split(r"[;.]\s|[;.]$|\s\(", text + " ", maxsplit=1)[0]
    segments = []
    for part in re.split(r",\s*", _SEGMENT_DASH.sub(", ", text.strip())):
        part = part.strip(" ,-–")
        if not part:
            continue
        if not part[0].isupper():
            break                  # ', dự hội nghị có các đồng chí...': the sentence goes on
        segments.append(part)
    return ", ".join(segments) or None


def mentions(clause: str) -> list[Mention]:
    """Everyone a clause introduces by an honorific, with the role written after the name."""
    out = []
    for m in HONORIFIC.finditer(clause):
        found = _name_at(clause, m.end(), strict=not m.group("comrade"))
        if not found:
            continue
        name, after = found
        rest = clause[after:]
        dash = re.match(r"\s*[–—-]\s*|\s*,\s*(?=\S)", rest)
        role = _role(rest[dash.end():]) if dash and rest[dash.end():][:1].isupper() else None
        out.append(Mention(person_name(name), role, m.start()))
    return out


def _cue(clause: str, people: list[Mention]) -> tuple[Optional[str], str]:
    """('chair'|'guest'|None, 'before'|'after'): what the clause says its people were, and where."""
    for kind, rx in (("chair", CHAIR), ("guest", GUEST)):
        m = rx.search(clause)
        if m:
            first = people[0].start if people else len(clause)
            return kind, "before" if m.start() < first else "after"
    return None, ""


def _words(role: str) -> set[str]:
    return set(fold(role).replace(",", " ").split())


def _fullest(role: Optional[str], others: list[str]) -> tuple[Optional[str], Optional[str]]:
    """The longest role among `others` that says all `role` says (the role itself if none)."""
    if not role:
        return (max(others, key=len), "chức vụ lấy từ câu khác trong bài") if others else (None, None)
    mine = _words(role)
    better = [o for o in others if _words(o) > mine]
    if better:
        return max(better, key=len), "chức vụ đầy đủ hơn ở câu khác trong bài"
    return role, None


def _expand(role: str) -> str:
    return _ABBR.sub(lambda m: ABBREVIATIONS[m.group(1)], role)


def _complete(role: str, text: str) -> tuple[str, Optional[str]]:
    """'...Huyện ủy' completed with the one 'Huyện ủy <Tên>' the text names, if it names exactly one."""
    m = _COMMITTEE.search(role)
    if not m:
        return role, None
    kind = m.group(1).capitalize()
    names = set()
    for named in re.finditer(rf"\b{kind}\s+(?:ủy|uỷ)\s+", text, re.I):
        words = capitalised(text, named.end(), 3)
        if words:
            names.add(" ".join(w for w, _ in words))
    if len(names) == 1:
        place = names.pop()
        return f"{role} {place}", f"“{kind} ủy” là {kind} ủy {place}, nơi duy nhất bài nhắc tên"
    return role, None


def meeting_people(paragraphs: list[str], all_text: str) -> list[Person]:
    """Chairs and guests, in the order the text names them."""
    found: dict[str, Person] = {}
    roles: dict[str, list[str]] = {}
    for paragraph in paragraphs:
        for sentence in sentences(paragraph):
            clauses = [c for c in re.split(r";\s*", sentence) if c.strip()]
            parsed = [(c, mentions(c)) for c in clauses]
            cues = [_cue(c, people) for c, people in parsed]
            for i, (clause, people) in enumerate(parsed):
                for mention in people:
                    if mention.role:
                        roles.setdefault(person_key(mention.name), []).append(mention.role)
                kind, where = cues[i]
                if kind is None and people:
                    later = next((cues[j] for j in range(i + 1, len(parsed)) if cues[j][0]), (None, ""))
                    earlier = next((cues[j] for j in range(i - 1, -1, -1) if cues[j][0]), (None, ""))
                    kind = later[0] if later[1] == "after" else earlier[0] if earlier[1] == "before" else None
                for mention in people if kind else []:
                    key = person_key(mention.name)
                    known = found.get(key)
                    if known is None or (known.as_ == "guest" and kind == "chair"):
                        found[key] = Person(mention.name, mention.role, kind, sentence)
    out = []
    for key, person in found.items():
        others = [r for r in roles.get(key, []) if r != person.role]
        role, note = _fullest(person.role, others)
        if note:
            person.notes.append(note)
        if role:
            expanded = _expand(role)
            if expanded != role:
                person.notes.append("viết đầy đủ chữ tắt: " + ", ".join(a for a in ABBREVIATIONS if a in role))
            role, place_note = _complete(expanded, all_text)
            if place_note:
                person.notes.append(place_note)
        person.role = role
        out.append(person)
    return out
