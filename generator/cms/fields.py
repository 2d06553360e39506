"""Form fields of the web editor, read off the pydantic models that validate the files.

Every field of a model becomes a Decap CMS field: its widget follows the field's
type (text, number, date and time, choice, list, nested block), its required
flag, pattern and range follow the model's constraints, and its label and hint
are the editors' words in `schema.FIELDS`.  A field added to a model thus
appears in the form by itself; what cannot be read off the type (which site
data a key names, which text is long) is said in the tables below.
"""
from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, Optional, Union

import annotated_types
from pydantic import BaseModel, WithJsonSchema
from pydantic.fields import FieldInfo

from ..content import models
from ..schema import FIELDS

# Keys that name an entry of the site data: (model, field) -> data file (units, categories, topics).
REFERENCES = {
    ("FrontMatter", "category"): "categories",
    ("FrontMatter", "unit"): "units",
    ("FrontMatter", "topics"): "topics",
    ("Concern", "topic"): "topics",
    ("Unit", "parent"): "units",
    ("ScheduleMatter", "unit"): "units",
}
# Text that runs to several lines.
LONG_TEXT = {("FrontMatter", "summary"), ("Meeting", "participants"), ("ScheduleEntry", "participants"), ("Concern", "summary"),
             ("Response", "answer"), ("Category", "description"), ("Topic", "description")}
# Fields with a widget of their own (see static/bantin-cms.js).
WIDGETS = {
    ("FrontMatter", "image"): {"widget": "image", "choose_url": False},
    # The text, with photos inserted as Bantin's captioned figure (static/bantin-cms.js).
    ("FrontMatter", "body"): {"widget": "markdown", "editor_components": ["bantin-figure"],
                              "buttons": ["bold", "italic", "link", "heading-two", "heading-three", "quote",
                                          "bulleted-list", "numbered-list"]},
}
# What a validator checks beyond the type, as a pattern the form can apply.
PATTERNS = {("FrontMatter", "aliases"): ("^/", "Địa chỉ cũ bắt đầu bằng dấu /, ví dụ /tin-tuc/bai-cu.html")}
# Choices shown in Vietnamese where the stored value is not.
CHOICE_LABELS = {("Response", "status"): models.STATUS_LABELS, ("ScheduleMatter", "kind"): models.SCHEDULE_LABELS}
# Where the schema's hint speaks of the file (keys, YAML lists, true/false), the form's own words.
HINTS = {
    ("FrontMatter", "category"): "Chọn chuyên mục theo tên (danh sách trong Dữ liệu trang › Chuyên mục).",
    ("FrontMatter", "unit"): "Chọn đơn vị theo tên (danh sách trong Dữ liệu trang › Đơn vị).",
    ("FrontMatter", "topics"): "Chọn một hay nhiều chủ đề theo tên.",
    ("FrontMatter", "image"): "Ảnh hiện đầu bài và trong danh sách bài. Ảnh lớn được thu nhỏ (cạnh dài tối đa 1.600 điểm ảnh).",
    ("FrontMatter", "slug"): "Phần cuối địa chỉ bài: chữ thường không dấu, số, dấu gạch ngang. Để trống: bài mới "
                             "lấy theo tiêu đề khi lưu. Đặt một lần, không đổi sau khi đăng.",
    ("FrontMatter", "draft"): "Bật: bản nháp, chỉ hiện khi xem thử bằng bantin serve. Tắt: đăng lên trang.",
    ("FrontMatter", "body"): "Nội dung bài. Chèn ảnh có chú thích bằng nút «+» (Chèn ảnh, thành phần) › Ảnh có chú thích.",
    ("Meeting", "chairs"): "Người chủ trì: mỗi người một mục, có họ tên và chức vụ.",
    ("Meeting", "guests"): "Đại biểu, khách mời dự chỉ đạo: mỗi người một mục, có họ tên và chức vụ.",
    ("Meeting", "documents"): "Văn bản liên quan: số hiệu, ngày ban hành, trích yếu.",
    ("Meeting", "conclusions"): "Các ý kết luận, mỗi ý một mục.",
    ("Meeting", "format"): "Hình thức của cuộc họp.",
    ("Opinion", "concerns"): "Mỗi vấn đề: tên, nội dung, chủ đề và trả lời (cơ quan, tình trạng).",
    ("Concern", "topic"): "Chọn chủ đề theo tên.",
    ("Response", "status"): "Để trống: chưa trả lời.",
    ("ScheduleMatter", "unit"): "Chọn đơn vị theo tên.",
    ("ScheduleMatter", "kind"): "Lịch công tác tuần, hoặc lịch tiếp công dân.",
    ("ScheduleMatter", "entries"): "Mỗi việc một mục: ngày, giờ, nội dung, chủ trì, địa điểm, thành phần.",
}
KEY_HINT = "Chỉ gồm chữ thường không dấu, số và dấu gạch ngang, ví dụ an-sinh-xa-hoi."
DATE_TIME = dict(widget="datetime", format="YYYY-MM-DD HH:mm", date_format="YYYY-MM-DD", time_format="HH:mm",
                 picker_utc=False)
DAY = dict(widget="datetime", format="YYYY-MM-DD", date_format="YYYY-MM-DD", time_format=False)


@dataclass
class Shape:
    """What a model field holds, as far as a form needs to know."""

    kind: str                                  # text, int, bool, datetime, date, choice, list, model
    required: bool = False
    min_length: int = 0
    minimum: Optional[int] = None
    pattern: Optional[str] = None
    choices: tuple = ()
    item: Optional["Shape"] = None             # of a list
    model: Optional[type[BaseModel]] = None    # of a nested block
    extra: dict = field(default_factory=dict)


def _constraints(shape: Shape, metadata) -> None:
    for meta in metadata:
        if isinstance(meta, FieldInfo):
            _constraints(shape, meta.metadata)
        elif isinstance(meta, annotated_types.MinLen):
            shape.min_length = meta.min_length
        elif isinstance(meta, annotated_types.Ge):
            shape.minimum = meta.ge
        elif isinstance(meta, WithJsonSchema):
            shape.pattern = meta.json_schema.get("pattern")
        elif getattr(meta, "pattern", None):
            shape.pattern = meta.pattern
        elif getattr(meta, "func", None) is models._parse_datetime:
            shape.kind = "datetime"
        elif getattr(meta, "func", None) is models._parse_day:
            shape.kind = "date"
        elif getattr(meta, "func", None) is models._check_period:
            shape.pattern = models._PERIOD_RE.pattern


def shape_of(annotation, metadata=(), required: bool = False) -> Shape:
    """The Shape of a type annotation, through Optional and Annotated."""
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return shape_of(inner[0], metadata, required)
    if origin is typing.Annotated:
        base, *more = typing.get_args(annotation)
        return shape_of(base, [*metadata, *more], required)
    if origin is list:
        return Shape("list", required, item=shape_of(typing.get_args(annotation)[0]))
    if origin is Literal:
        return Shape("choice", required, choices=typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Shape("model", required, model=annotation)
    kind = {bool: "bool", int: "int", datetime: "datetime", date: "date"}.get(annotation, "text")
    shape = Shape(kind, required)
    _constraints(shape, metadata)
    return shape


def _labels(model: str, name: str) -> tuple[str, str]:
    return FIELDS.get(model, {}).get(name, (name, ""))


def _options(model: str, name: str, shape: Shape, data) -> Optional[list]:
    source = REFERENCES.get((model, name))
    if source is not None:
        return [{"label": entry.name, "value": key} for key, entry in getattr(data, source).items()]
    if shape.kind == "choice":
        labels = CHOICE_LABELS.get((model, name), {})
        return [{"label": labels.get(value, value), "value": value} for value in shape.choices]
    return None


def _validation(shape: Shape) -> dict:
    if shape.pattern == models._PERIOD_RE.pattern:
        return {"pattern": [shape.pattern, "Kỳ dạng 2021-11 (tháng), 2022-Q2 (quý) hoặc 2022 (năm)"]}
    if shape.pattern:
        return {"pattern": [shape.pattern, KEY_HINT]}
    return {}


def form_field(model: type[BaseModel], name: str, info: FieldInfo, data) -> dict:
    """One Decap field for `model.name`."""
    owner = model.__name__
    shape = shape_of(info.annotation, info.metadata, info.is_required())
    label, hint = _labels(owner, name)
    hint = HINTS.get((owner, name), hint)
    out: dict[str, Any] = {"name": name, "label": label}
    if hint:
        out["hint"] = hint
    out["required"] = shape.required
    out.update(_widget(owner, name, shape, data, label))
    if shape.kind == "bool":
        out["default"] = info.get_default()
    return out


def _widget(owner: str, name: str, shape: Shape, data, label: str) -> dict:
    options = _options(owner, name, shape, data)
    if (owner, name) in WIDGETS:
        return {**WIDGETS[(owner, name)], **_validation(shape)}
    if shape.kind == "list":
        return _list(owner, name, shape, data, options, label)
    if options is not None:
        return {"widget": "select", "options": options}
    if shape.kind == "model":
        return {"widget": "object", "collapsed": True, "fields": model_fields(shape.model, data)}
    if shape.kind == "bool":
        return {"widget": "boolean"}
    if shape.kind == "int":
        out = {"widget": "number", "value_type": "int"}
        if shape.minimum is not None:
            out["min"] = shape.minimum
        return out
    if shape.kind == "datetime":
        return {**DATE_TIME, "pattern": [shape.pattern, "Ngày giờ dạng YYYY-MM-DD HH:MM, ví dụ 2024-05-20 08:00"]}
    if shape.kind == "date":
        return {**DAY, "pattern": [r"^\d{4}-\d{2}-\d{2}$", "Ngày dạng YYYY-MM-DD, ví dụ 2021-11-26"]}
    return {"widget": "text" if (owner, name) in LONG_TEXT else "string", **_validation(shape)}


def _list(owner: str, name: str, shape: Shape, data, options, label: str) -> dict:
    item = shape.item
    if options is not None:
        return {"widget": "select", "multiple": True, "options": options}
    if item.kind == "model":
        fields = model_fields(item.model, data)
        return {"widget": "list", "collapsed": True, "summary": "{{fields.%s}}" % fields[0]["name"],
                "fields": fields}
    single = {"name": "item", "label": label, "widget": "string", "required": True}
    if (owner, name) in PATTERNS:
        pattern, message = PATTERNS[(owner, name)]
        single["pattern"] = [pattern, message]
    elif owner in ("Meeting", "Opinion"):
        single["widget"] = "text"
    return {"widget": "list", "field": single}


def model_fields(model: type[BaseModel], data) -> list[dict]:
    """The form fields of every field of `model`, in the model's order."""
    return [form_field(model, name, info, data) for name, info in model.model_fields.items()]
