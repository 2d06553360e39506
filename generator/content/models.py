"""Typed content: what an editor's file may say, and what the site is made of.

`FrontMatter` and the site-data entries are the contract with editors; pydantic
checks them and gives the JSON Schema for free.  `Bulletin` is the content
object every later stage works on: validated once, never a raw dict again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Annotated, Literal, Optional
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

DEFAULT_TZ = "Asia/Ho_Chi_Minh"

# --------------------------------------------------------------- value types

_LOCAL_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def _tz(info: ValidationInfo) -> ZoneInfo:
    return (info.context or {}).get("tz") or ZoneInfo(DEFAULT_TZ)


def _parse_datetime(value, info: ValidationInfo) -> datetime:
    """'2022-11-02 20:32' in the site's zone, a bare date, or ISO 8601 with offset."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=_tz(info))
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), _tz(info))
    text = str(value).strip() if isinstance(value, (str, int)) else None
    if text:
        m = _LOCAL_RE.match(text)
        try:
            if m:
                y, mo, d, hh, mm, ss = m.groups()
                return datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0), tzinfo=_tz(info))
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=_tz(info))
        except ValueError:
            pass
    raise PydanticCustomError("date", "bad date", {"value": value})


def _parse_day(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise PydanticCustomError("day", "bad day", {"value": value}) from None


_PERIOD_RE = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])))?$")


def _check_period(value) -> str:
    text = str(value).strip()
    if not _PERIOD_RE.match(text):
        raise PydanticCustomError("period", "bad period", {"value": value})
    return text


def _text(value):
    """Editors write numbers and dates where text is meant ('Phòng 2'); keep them as text."""
    if isinstance(value, (int, float, date)) and not isinstance(value, bool):
        return str(value)
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
Text = Annotated[str, BeforeValidator(_text)]
NonEmpty = Annotated[str, BeforeValidator(_text), Field(min_length=1)]
Key = Annotated[str, BeforeValidator(_text), Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9-]*$")]


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


ResponseStatus = Literal["pending", "in-progress", "answered"]


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

    title: NonEmpty
    date: LocalDateTime
    category: Key
    unit: Key
    topics: list[Key] = []
    summary: Optional[Text] = None
    author: Optional[Text] = None
    source: Optional[Text] = None
    image: Optional[Text] = None
    caption: Optional[Text] = None
    slug: Optional[Key] = None
    draft: bool = False
    updated: Optional[LocalDateTime] = None
    aliases: list[NonEmpty] = []
    imported_from: Optional[Text] = None   # the source address `bantin import` read the bulletin from
    meeting: Optional[Meeting] = None
    opinion: Optional[Opinion] = None
    body: Optional[str] = Field(None, description="Nội dung (chỉ dùng trong tệp .yml)")

    @field_validator("aliases")
    @classmethod
    def _aliases_are_paths(cls, value: list[str]) -> list[str]:
        for alias in value:
            if not alias.startswith("/"):
                raise PydanticCustomError("alias", "alias must start with /")
        return value


# --------------------------------------------------------------- site data

Level = Literal["phường", "xã", "thị trấn", "quận", "huyện", "thị xã", "thành phố", "tỉnh", "khác"]


class Unit(Strict):
    key: Key
    name: NonEmpty
    level: Level = "khác"
    parent: Optional[Key] = None


class Category(Strict):
    key: Key
    name: NonEmpty
    description: Optional[Text] = None


class Topic(Strict):
    key: Key
    name: NonEmpty
    description: Optional[Text] = None


# --------------------------------------------------------------- content objects

KIND_MEETING, KIND_OPINION, KIND_NEWS = "meeting", "opinion", "news"
KIND_LABELS = {KIND_MEETING: "Hội nghị", KIND_OPINION: "Tổng hợp dư luận", KIND_NEWS: "Tin tức"}
STATUS_LABELS = {"pending": "Chưa trả lời", "in-progress": "Đang xử lý", "answered": "Đã trả lời"}


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
    prev: Optional["Bulletin"] = field(default=None, repr=False)
    next: Optional["Bulletin"] = field(default=None, repr=False)
    related: list["Bulletin"] = field(default_factory=list, repr=False)
    # Digests for the build's caches (cache.py), set once the bulletin is rendered:
    # `card_digest` names what a listing, a feed entry or a register shows of it,
    # `full_digest` everything its own page shows.
    card_digest: str = field(default="", repr=False)
    full_digest: str = field(default="", repr=False)

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
