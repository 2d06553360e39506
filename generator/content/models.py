"""Typed content: what an editor's file may say, and what the site is made of.

`FrontMatter` and the site-data entries are the contract with editors; pydantic
checks them and gives the JSON Schema for free.  `Bulletin` is the content
object every later stage works on: validated once, never a raw dict again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time
from typing import Annotated, Any, Literal, Optional
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .. import urls
from .yamlfile import source_text
from ..cache import Uncacheable, fingerprint, unshared

DEFAULT_TZ = "Asia/Ho_Chi_Minh"

# --------------------------------------------------------------- value types

_LOCAL_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


# Dates a bulletin, a meeting or a cited document can have: outside, a typing mistake.
EARLIEST, LATEST = datetime(1900, 1, 1), datetime(2100, 12, 31, 23, 59)


def _tz(info: ValidationInfo) -> ZoneInfo:
    return (info.context or {}).get("tz") or ZoneInfo(DEFAULT_TZ)


def _in_range(value: datetime, tz: ZoneInfo, raw) -> datetime:
    """In the site's zone (a date written with another offset is shown, placed and archived as the
    site sees it), and between EARLIEST and LATEST."""
    if not (EARLIEST.year <= value.year <= LATEST.year):
        raise PydanticCustomError("date_range", "date out of range", {"value": raw})
    local = value.astimezone(tz)
    if not (EARLIEST.replace(tzinfo=tz) <= local <= LATEST.replace(tzinfo=tz)):
        raise PydanticCustomError("date_range", "date out of range", {"value": raw})
    return local


def _parse_datetime(value, info: ValidationInfo) -> datetime:
    """'2022-11-02 20:32' in the site's zone, a bare date, or ISO 8601 with offset."""
    tz = _tz(info)
    if isinstance(value, datetime):
        return _in_range(value if value.tzinfo else value.replace(tzinfo=tz), tz, value)
    if isinstance(value, date):
        return _in_range(datetime.combine(value, time(0, 0), tz), tz, value)
    text = str(value).strip() if isinstance(value, (str, int)) else None
    if text:
        m = _LOCAL_RE.match(text)
        try:
            if m:
                y, mo, d, hh, mm, ss = m.groups()
                parsed = datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0), tzinfo=tz)
            else:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise PydanticCustomError("date", "bad date", {"value": value}) from None
        return _in_range(parsed if parsed.tzinfo else parsed.replace(tzinfo=tz), tz, value)
    raise PydanticCustomError("date", "bad date", {"value": value})


def _parse_day(value) -> date:
    if isinstance(value, datetime):
        value = value.date()
    elif not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            raise PydanticCustomError("day", "bad day", {"value": value}) from None
    if not (EARLIEST.date() <= value <= LATEST.date()):
        raise PydanticCustomError("date_range", "date out of range", {"value": value})
    return value


_PERIOD_RE = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])))?$")


def _check_period(value) -> str:
    text = str(source_text(value)).strip()
    if not _PERIOD_RE.match(text):
        raise PydanticCustomError("period", "bad period", {"value": value})
    return text


def _text(value):
    """Editors write numbers and dates where text is meant ('Phòng 2', '010'); keep them as written."""
    if isinstance(value, (int, float, date)) and not isinstance(value, bool):
        return str(source_text(value))
    return value


LocalDateTime = Annotated[
    datetime,
    BeforeValidator(_parse_datetime),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?)?$",
                    "description": "YYYY-MM-DD HH:MM (giờ Việt Nam) hoặc ISO 8601 có múi giờ"}),
]
Day = Annotated[date, BeforeValidator(_parse_day), WithJsonSchema({"type": "string", "format": "date"})]
Period = Annotated[str, BeforeValidator(_check_period),
                   WithJsonSchema({"type": "string", "pattern": _PERIOD_RE.pattern,
                                   "description": "2021-11, 2022-Q2 hoặc 2022"})]
# Every text has a length an editor would not reach by mistake, so that no field can multiply
# a site's size (a title is on a hundred pages); the reader says the limit.
TEXT_LIMIT = 5_000
TITLE_LIMIT = 300
SUMMARY_LIMIT = 2_000
Text = Annotated[str, BeforeValidator(_text), Field(max_length=TEXT_LIMIT)]
NonEmpty = Annotated[str, BeforeValidator(_text), Field(min_length=1, max_length=TEXT_LIMIT)]
# Its own type rather than NonEmpty narrowed: the reader then names the title's limit, whatever the length.
Title = Annotated[str, BeforeValidator(_text), Field(min_length=1, max_length=TITLE_LIMIT)]
Key = Annotated[str, BeforeValidator(_text), Field(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


# --------------------------------------------------------------- front matter

class Person(Strict):
    name: NonEmpty
    role: Optional[Text] = None


class DocumentRef(Strict):
    number: NonEmpty = Field(description="Số hiệu, ví dụ 334-QĐ/QU")
    date: Optional[Day] = None
    title: Optional[Text] = None
    file: Optional[Text] = Field(None, description="Tệp văn bản (PDF, DOC, DOCX, ODT) trong content/media/, "
                                                   "ví dụ /media/2021/334-qd-qu.pdf")


MeetingFormat = Literal["hội nghị", "tọa đàm", "giao ban", "hội thảo", "họp", "tập huấn", "đối thoại", "khác"]


class Meeting(Strict):
    start: Optional[LocalDateTime] = None
    end: Optional[LocalDateTime] = None
    location: Optional[Text] = None
    format: Optional[MeetingFormat] = None
    chairs: list[Person] = []
    guests: list[Person] = []
    participants: Optional[Text] = None
    contributions: Optional[Annotated[int, Field(ge=0)]] = None
    documents: list[DocumentRef] = []
    conclusions: list[NonEmpty] = []

    @model_validator(mode="after")
    def _end_after_start(self):
        if self.start and self.end and self.end < self.start:
            raise PydanticCustomError("end_before_start", "end before start")
        return self


STATUS_LABELS = {"pending": "Chưa trả lời", "in-progress": "Đang xử lý", "answered": "Đã trả lời"}


def _status(value):
    """Editors may write a status in Vietnamese as readers see it ('đã trả lời') or by its key."""
    if isinstance(value, str):
        spoken = {label.lower(): key for key, label in STATUS_LABELS.items()}
        return spoken.get(" ".join(value.lower().split()), value)
    return value


ResponseStatus = Annotated[Literal["pending", "in-progress", "answered"], BeforeValidator(_status),
                           WithJsonSchema({"type": "string", "enum": [*STATUS_LABELS, *(
                               label.lower() for label in STATUS_LABELS.values())],
                               "description": "chưa trả lời, đang xử lý, đã trả lời (hoặc pending, in-progress, answered)"})]


class Response(Strict):
    agency: Optional[Text] = None
    status: ResponseStatus = "pending"
    answer: Optional[Text] = None


class Concern(Strict):
    topic: Optional[Key] = None
    title: NonEmpty
    summary: Optional[Text] = None
    response: Response = Response()


class Opinion(Strict):
    period: Optional[Period] = None
    network: Optional[Annotated[int, Field(ge=0)]] = None
    reports: Optional[Annotated[int, Field(ge=0)]] = None
    concerns: list[Concern] = []
    recommendations: list[NonEmpty] = []


class FrontMatter(Strict):
    """The fields of one bulletin, as an editor writes them."""

    title: Title
    date: LocalDateTime
    category: Key
    unit: Key
    topics: list[Key] = []
    summary: Optional[Annotated[Text, Field(max_length=SUMMARY_LIMIT)]] = None
    author: Optional[Text] = None
    source: Optional[Text] = None
    image: Optional[Text] = None
    caption: Optional[Text] = None
    slug: Optional[Key] = None
    draft: bool = False
    updated: Optional[LocalDateTime] = None
    aliases: Annotated[list[NonEmpty], Field(max_length=50)] = []
    imported_from: Optional[Text] = None   # the source address `bantin import` read the bulletin from
    meeting: Optional[Meeting] = None
    opinion: Optional[Opinion] = None
    body: Optional[str] = Field(None, description="Nội dung (chỉ dùng trong tệp .yml)")


# --------------------------------------------------------------- site data

Level = Literal["phường", "xã", "thị trấn", "quận", "huyện", "thị xã", "thành phố", "tỉnh", "khác"]


class Unit(Strict):
    key: Key
    name: NonEmpty
    level: Level = "khác"
    parent: Optional[Key] = None

    @property
    def url(self) -> str:
        return urls.unit(self.key)


class Category(Strict):
    key: Key
    name: NonEmpty
    description: Optional[Text] = None

    @property
    def url(self) -> str:
        return urls.category(self.key)


class Topic(Strict):
    key: Key
    name: NonEmpty
    description: Optional[Text] = None

    @property
    def url(self) -> str:
        return urls.topic(self.key)


class PersonEntry(Strict):
    """One person as people.yml declares them, where the name alone does not tell people apart:
    the bulletins of these units (and of their sub-units) that name this person mean them."""

    name: NonEmpty
    units: Annotated[list[Key], Field(min_length=1)]
    key: Optional[Key] = None          # the person's page, /nhan-su/<key>/


class Agency(Strict):
    """The agency that runs the portal (site.yml), as a government portal must name it in its footer."""

    agency: NonEmpty = Field(description="Cơ quan chủ quản, ví dụ Ủy ban nhân dân quận Long Biên")
    name: Optional[Text] = Field(None, description="Tên cơ quan quản lý cổng, nếu khác cơ quan chủ quản")
    responsible: Optional[Text] = Field(None, description="Người chịu trách nhiệm nội dung, kèm chức vụ")
    address: Optional[Text] = None
    phone: Optional[Text] = None
    email: Optional[Text] = None
    licence: Optional[Text] = Field(None, description="Giấy phép thiết lập trang thông tin điện tử, nếu có")
    image: Optional[Text] = Field(None, description="Ảnh đại diện khi chia sẻ một trang không có ảnh, /media/...")


# --------------------------------------------------------------- schedules (content/schedules/)

SCHEDULE_LABELS = {"work": "Lịch công tác", "reception": "Lịch tiếp công dân"}
_SCHEDULE_WORDS = {"lịch công tác": "work", "công tác": "work", "lịch công tác tuần": "work",
                   "lịch tiếp công dân": "reception", "tiếp công dân": "reception"}
_CLOCK_RE = re.compile(r"^(\d{1,2})\s*(?::|h|giờ)\s*(\d{2})?$", re.I)


def _schedule_kind(value):
    """Editors may name the kind as readers see it ('lịch tiếp công dân') or by its key."""
    if isinstance(value, str):
        return _SCHEDULE_WORDS.get(" ".join(value.lower().split()), value)
    return value


def _clock(value) -> time:
    """'08:00', '8:30', '8h30', '14h' as the day's hour and minute."""
    if isinstance(value, time):
        return value
    m = _CLOCK_RE.match(str(source_text(value)).strip()) if isinstance(value, (str, int)) else None
    if m and int(m.group(1)) < 24 and int(m.group(2) or 0) < 60:
        return time(int(m.group(1)), int(m.group(2) or 0))
    raise PydanticCustomError("clock", "bad time", {"value": value})


ScheduleKind = Annotated[Literal["work", "reception"], BeforeValidator(_schedule_kind),
                         WithJsonSchema({"type": "string", "enum": ["work", "reception", *_SCHEDULE_WORDS],
                                         "description": "lịch công tác (work) hoặc lịch tiếp công dân (reception)"})]
Clock = Annotated[time, BeforeValidator(_clock),
                  WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}(:|h)(\d{2})?$",
                                  "description": "Giờ, ví dụ 08:00 hoặc 14h30"})]


class ScheduleEntry(Strict):
    """One engagement of a schedule: when, what, who presides, where, with whom."""

    day: Day
    time: Optional[Clock] = None          # none: the whole day
    end: Optional[Clock] = None
    title: NonEmpty = Field(description="Nội dung công việc")
    chair: Optional[Text] = Field(None, description="Người chủ trì")
    location: Optional[Text] = None
    participants: Optional[Text] = None

    @model_validator(mode="after")
    def _end_after_start(self):
        if self.end and (self.time is None or self.end <= self.time):
            raise PydanticCustomError("end_before_start", "end before start")
        return self


class ScheduleMatter(Strict):
    """A schedule file as an editor writes it: a unit's week of work, or its days of receiving citizens."""

    kind: ScheduleKind
    unit: Key
    title: Optional[Text] = None
    entries: Annotated[list[ScheduleEntry], Field(min_length=1, max_length=500)]


class PageMatter(Strict):
    """The fields of a page of the content folder outside bulletins/ (an 'about' page...)."""

    title: Title
    description: Optional[Annotated[Text, Field(max_length=SUMMARY_LIMIT)]] = None
    draft: bool = False


@dataclass(eq=False)
class ContentPage:
    """A page of the content folder outside bulletins/, read and rendered like a bulletin's body."""

    meta: PageMatter
    source_path: str
    url: str
    body: str
    references: list = field(default_factory=list)
    body_html: str = ""


# --------------------------------------------------------------- content objects


KIND_MEETING, KIND_OPINION, KIND_NEWS = "meeting", "opinion", "news"
KIND_LABELS = {KIND_MEETING: "Hội nghị", KIND_OPINION: "Tổng hợp dư luận", KIND_NEWS: "Tin tức"}


DIGEST = {"digest": True}
NOT_SHOWN = {"shown": False}    # not on any page: left out of the digest


@dataclass(frozen=True)
class Origin:
    """Where a member site's bulletin lives (a federation portal shows it, links to it, copies nothing)."""

    site_url: str             # the member site that published it, 'https://phuong.example.vn/'
    id: str                   # its feed entry id there, kept so that subscribers never see it twice
    cover: Optional[str] = None   # its cover photo on that site, an absolute address


@dataclass(eq=False)
class Bulletin:
    """One bulletin, validated and resolved: the unit of everything after the reader."""

    meta: FrontMatter
    source_path: str          # relative to the content folder, for messages
    slug: str
    url: str                  # '2022/11/slug/'
    body: str                 # Markdown
    category: Category
    unit: Unit
    topics: list[Topic]
    body_html: str = ""       # filled once by the renderer
    lead: str = ""            # summary, or the first paragraph as plain text
    updated: Optional[datetime] = None
    scheduled: bool = False   # dated in the future at build time
    references: list = field(default_factory=list)   # what it shows of content/ (references.Reference)
    # Where the slug (or title), `draft` and each alias stand in the file, for messages after reading.
    lines: dict = field(default_factory=dict, repr=False, metadata=NOT_SHOWN)
    cover: Optional[Any] = None  # the cover photo as measured (images.Photo), set by the build
    # The addresses of the people and documents the meeting block names (site.py sets them).
    person_urls: dict = field(default_factory=dict)
    document_urls: dict = field(default_factory=dict)
    # What the bulletin is made of, as a digest for the build's caches (see cache.fingerprint),
    # set once per build from every other field, so that a field added is in it.
    digest: str = field(default="", repr=False, metadata=DIGEST)
    origin: Optional[Origin] = None   # a member site's bulletin: `url` is then its absolute address there

    @property
    def remote(self) -> bool:
        """A member site's bulletin: it has no page here."""
        return self.origin is not None

    def stamp(self) -> None:
        self.digest = fingerprint([(f.name, unshared(getattr(self, f.name))) for f in fields(self) if not f.metadata])

    def __fingerprint__(self) -> str:
        if not self.digest:
            raise Uncacheable("a bulletin not stamped by this build")
        return self.digest

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def date(self) -> datetime:
        return self.meta.date

    @property
    def kinds(self) -> list[str]:
        kinds = [k for k, block in ((KIND_MEETING, self.meta.meeting), (KIND_OPINION, self.meta.opinion)) if block]
        return kinds or [KIND_NEWS]

    @property
    def kind_labels(self) -> list[str]:
        return [KIND_LABELS[k] for k in self.kinds]

    @property
    def draft(self) -> bool:
        return self.meta.draft

    @property
    def sort_key(self):
        return (self.meta.date, self.url)


@dataclass(eq=False)
class Schedule:
    """A schedule file, validated: its entries with the unit that keeps them."""

    meta: ScheduleMatter
    source_path: str
    unit: Unit
    lines: list = field(default_factory=list, repr=False, metadata=NOT_SHOWN)   # each entry's line

    @property
    def kind(self) -> str:
        return self.meta.kind
