"""The JSON Schema of a bulletin's front matter, for editors' text editors.

It starts from `FrontMatter.model_json_schema()` and is brought in line with
what the reader accepts (numbers where text is meant, a year as a period, the
key pattern pydantic leaves out of a chained type), then labelled in
Vietnamese so that an editor's editor explains each field on hover.  With the
site's data it also lists the declared categories and units, so that an
unknown key is flagged as it is typed.  The same labels feed the comments of
`bantin new` (see scaffold.py).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from pydantic.json_schema import GenerateJsonSchema

from .content import models
from .content.models import FrontMatter
from .content.reader import SiteData

DRAFT = "http://json-schema.org/draft-07/schema#"  # the draft every YAML language server reads
FILE_NAME = "bulletin.schema.json"
SITE_PATH = f"schema/{FILE_NAME}"                   # in the content folder, and so on the site
SCHEDULE_SITE_PATH = "schema/schedule.schema.json"  # the schedule files' schema, beside it

# (model, field) -> (short label, what to write): the editors' words for every field, in the
# schema, in `bantin new`'s comments and in the web editor's forms (cms/fields.py).
FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "FrontMatter": {
        "title": ("Tiêu đề", "Tiêu đề bài viết, viết hoa đầu câu, không quá 150 ký tự."),
        "date": ("Ngày đăng", "Ngày giờ đăng, dạng YYYY-MM-DD HH:MM (giờ Việt Nam). Ngày trong tương lai: bài được hẹn giờ, chỉ lên trang khi đến giờ."),
        "category": ("Chuyên mục", "Mã chuyên mục, khai báo trong categories.yml."),
        "unit": ("Đơn vị", "Mã đơn vị (phường, xã, quận...), khai báo trong units.yml."),
        "topics": ("Chủ đề", "Danh sách mã chủ đề trong topics.yml, ví dụ [an-sinh-xa-hoi, moi-truong]."),
        "summary": ("Tóm tắt", "Một hai câu tóm tắt, hiện dưới tiêu đề và trong danh sách bài. Để trống: dùng đoạn đầu."),
        "author": ("Tác giả", "Người viết bài, ví dụ: Nguyễn Văn A."),
        "source": ("Nguồn", "Nguồn tin, nếu lấy từ nơi khác."),
        "image": ("Ảnh đại diện", "Đường dẫn ảnh, ví dụ /media/2023/anh.jpg."),
        "caption": ("Chú thích ảnh", "Chú thích cho ảnh đại diện."),
        "slug": ("Đường dẫn", "Phần cuối địa chỉ bài: chữ thường không dấu, số, dấu gạch ngang. Đặt một lần, không đổi sau khi đăng."),
        "draft": ("Bản nháp", "true: bản nháp, chỉ hiện khi xem thử bằng bantin serve; false: đăng lên trang."),
        "updated": ("Cập nhật", "Ngày giờ sửa bài sau khi đăng, dạng YYYY-MM-DD HH:MM. Để trống: lấy từ lịch sử git."),
        "aliases": ("Địa chỉ cũ", "Các địa chỉ cũ của bài (bắt đầu bằng /), tự chuyển về địa chỉ mới."),
        "imported_from": ("Nhập từ", "Địa chỉ bài gốc, do bantin import ghi; giữ nguyên để lần nhập sau không tạo bài trùng."),
        "meeting": ("Hội nghị", "Thông tin hội nghị, cuộc họp, giao ban (bỏ đi nếu không phải)."),
        "opinion": ("Dư luận xã hội", "Tổng hợp dư luận xã hội (bỏ đi nếu không phải)."),
        "body": ("Nội dung", "Nội dung bài (chỉ dùng trong tệp .yml; tệp .md viết nội dung sau dòng --- thứ hai)."),
    },
    "Meeting": {
        "start": ("Bắt đầu", "Giờ bắt đầu, dạng YYYY-MM-DD HH:MM."),
        "end": ("Kết thúc", "Giờ kết thúc, dạng YYYY-MM-DD HH:MM (sau giờ bắt đầu)."),
        "location": ("Địa điểm", "Nơi họp, ví dụ: Hội trường UBND phường."),
        "format": ("Hình thức", "Hình thức: hội nghị, tọa đàm, giao ban, hội thảo, họp, tập huấn, đối thoại, khác."),
        "chairs": ("Chủ trì", "Người chủ trì: mỗi người một mục có name (họ tên) và role (chức vụ)."),
        "guests": ("Khách mời", "Đại biểu, khách mời dự chỉ đạo: name và role."),
        "participants": ("Thành phần", "Thành phần tham dự, viết thành một câu."),
        "contributions": ("Số ý kiến", "Số ý kiến phát biểu."),
        "documents": ("Văn bản", "Văn bản liên quan: number (số hiệu), date (YYYY-MM-DD), title (trích yếu)."),
        "conclusions": ("Kết luận", "Các ý kết luận, mỗi ý một dòng bắt đầu bằng dấu gạch ngang."),
    },
    "Opinion": {
        "period": ("Kỳ", "Kỳ tổng hợp: 2021-11 (tháng), 2022-Q2 (quý) hoặc 2022 (năm)."),
        "network": ("Cộng tác viên", "Số cộng tác viên dư luận xã hội."),
        "reports": ("Số báo cáo", "Số báo cáo, phiếu thu thập được."),
        "concerns": ("Vấn đề Nhân dân quan tâm", "Mỗi vấn đề: title, summary, topic và response (agency, status, answer)."),
        "recommendations": ("Kiến nghị", "Các kiến nghị, đề xuất."),
    },
    "Concern": {
        "topic": ("Chủ đề", "Mã chủ đề trong topics.yml."),
        "title": ("Vấn đề", "Tên vấn đề Nhân dân quan tâm."),
        "summary": ("Nội dung", "Tóm tắt ý kiến, phản ánh."),
        "response": ("Trả lời", "Cơ quan trả lời và tình trạng."),
    },
    "Response": {
        "agency": ("Cơ quan", "Cơ quan trả lời, giải quyết."),
        "status": ("Tình trạng", "pending (chưa trả lời), in-progress (đang xử lý) hoặc answered (đã trả lời)."),
        "answer": ("Nội dung trả lời", "Nội dung trả lời của cơ quan."),
    },
    "Person": {
        "name": ("Họ tên", "Họ và tên."),
        "role": ("Chức vụ", "Chức vụ."),
    },
    "DocumentRef": {
        "number": ("Số hiệu", "Số hiệu văn bản, ví dụ 334-QĐ/QU."),
        "date": ("Ngày ban hành", "Ngày ban hành, dạng YYYY-MM-DD."),
        "title": ("Trích yếu", "Trích yếu nội dung văn bản."),
        "file": ("Tệp văn bản", "Tệp toàn văn (PDF, DOC, DOCX, ODT) đặt trong content/media/, ví dụ /media/2021/334-qd-qu.pdf."),
    },
    # A schedule file (content/schedules/): a unit's week of work, or its days of receiving citizens.
    "ScheduleMatter": {
        "kind": ("Loại lịch", "lịch công tác (work) hoặc lịch tiếp công dân (reception)."),
        "unit": ("Đơn vị", "Mã đơn vị có lịch này, khai báo trong units.yml."),
        "title": ("Tên lịch", "Ví dụ: Lịch công tác tuần 50 của Thường trực Quận ủy."),
        "entries": ("Các việc", "Mỗi việc: day (ngày), time (giờ), end (giờ kết thúc), title (nội dung), chair (chủ trì), location (địa điểm), participants (thành phần)."),
    },
    "ScheduleEntry": {
        "day": ("Ngày", "Ngày, dạng YYYY-MM-DD."),
        "time": ("Giờ", "Giờ bắt đầu, ví dụ 08:00 hoặc 14h30. Để trống: cả ngày."),
        "end": ("Đến", "Giờ kết thúc, ví dụ 11:30 (sau giờ bắt đầu)."),
        "title": ("Nội dung", "Nội dung công việc, ví dụ: Giao ban Thường trực Quận ủy."),
        "chair": ("Chủ trì", "Người chủ trì, ví dụ: Đồng chí Bí thư Quận ủy."),
        "location": ("Địa điểm", "Nơi làm việc, ví dụ: Phòng họp số 1, Quận ủy."),
        "participants": ("Thành phần", "Thành phần tham dự, viết thành một câu."),
    },
    # site.yml: the agency that runs the portal, in every page's footer.
    "Agency": {
        "agency": ("Cơ quan chủ quản", "Ví dụ: Quận ủy Long Biên."),
        "name": ("Cơ quan quản lý", "Đơn vị trực tiếp quản lý cổng, nếu khác cơ quan chủ quản."),
        "responsible": ("Người chịu trách nhiệm", "Họ tên và chức vụ người chịu trách nhiệm nội dung."),
        "address": ("Địa chỉ", "Địa chỉ trụ sở."),
        "phone": ("Điện thoại", "Số điện thoại liên hệ."),
        "email": ("Thư điện tử", "Địa chỉ thư điện tử liên hệ."),
        "licence": ("Giấy phép", "Giấy phép thiết lập trang thông tin điện tử, nếu có."),
        "image": ("Ảnh chia sẻ", "Ảnh hiện khi chia sẻ trang không có ảnh riêng, ví dụ /media/anh-co-quan.jpg."),
    },
    # The site data (units.yml, categories.yml, topics.yml), as the web editor's forms show it.
    "Unit": {
        "key": ("Mã", "Chữ thường không dấu, số, dấu gạch ngang, ví dụ phuong-ngoc-thuy. Đặt một lần, không đổi."),
        "name": ("Tên", "Tên đơn vị, ví dụ Phường Ngọc Thụy."),
        "level": ("Cấp", "Cấp hành chính."),
        "parent": ("Đơn vị cấp trên", "Bài của đơn vị này cũng hiện trong trang của đơn vị cấp trên."),
    },
    "Category": {
        "key": ("Mã", "Chữ thường không dấu, số, dấu gạch ngang, ví dụ tin-tuc-su-kien. Đặt một lần, không đổi."),
        "name": ("Tên", "Tên chuyên mục, hiện trên thanh chuyên mục."),
        "description": ("Mô tả", "Một câu giới thiệu chuyên mục."),
    },
    "Topic": {
        "key": ("Mã", "Chữ thường không dấu, số, dấu gạch ngang, ví dụ an-sinh-xa-hoi. Đặt một lần, không đổi."),
        "name": ("Tên", "Tên chủ đề."),
        "description": ("Mô tả", "Một câu giới thiệu chủ đề."),
    },
}

_KEY_PATTERN = "^[a-z0-9][a-z0-9-]*$"


class _AsTheReaderReads(GenerateJsonSchema):
    """Pydantic's schema, corrected where the reader is more lenient or stricter than it shows."""

    def function_before_schema(self, schema):
        out = super().function_before_schema(schema)
        if schema["function"]["function"] is models._text and out.get("type") == "string":
            out = {**out, "type": ["string", "number"]}   # 'location: 2' is read as the text '2'
        return out

    def chain_schema(self, schema):
        """A chain is every step at once (pydantic shows only the first, losing a key's pattern)."""
        out: dict = {}
        for step in schema["steps"]:
            for key, value in self.generate_inner(step).items():
                out.setdefault(key, value)
        return out


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _labelled(model, top: str) -> dict:
    """A model's schema as the reader reads it, every field with its editors' label and help."""
    schema = model.model_json_schema(schema_generator=_AsTheReaderReads)
    for name_of_model, fields in FIELDS.items():
        owner = schema if name_of_model == top else schema.get("$defs", {}).get(name_of_model, {})
        for name, prop in owner.get("properties", {}).items():
            label, help_text = fields.get(name, (None, None))
            if label:
                prop.update(title=label, description=help_text)
    return schema


def _units(props: dict, data: Optional[SiteData]) -> None:
    if data is not None and data.units:
        props["unit"]["enum"] = list(data.units)
        props["unit"]["description"] += " Một trong: " + "; ".join(f"{k} ({v.name})" for k, v in data.units.items())


def schedule_schema(data: Optional[SiteData] = None) -> dict:
    """The schema of a schedule file (content/schedules/); with `data`, the site's units as the only choices."""
    schema = _labelled(models.ScheduleMatter, "ScheduleMatter")
    out = {"$schema": DRAFT, **schema, "title": "Lịch Bantin",
           "description": "Một tệp lịch công tác tuần hoặc lịch tiếp công dân trong content/schedules/."}
    _units(out["properties"], data)
    return out


def bulletin_schema(data: Optional[SiteData] = None, schema_id: str = "") -> dict:
    """The front-matter schema; with `data`, the site's categories and units as the only choices."""
    schema = _labelled(FrontMatter, "FrontMatter")
    for node in list(_walk(schema)):
        if node.get("pattern") == models._PERIOD_RE.pattern and node.get("type") == "string":
            node.pop("type")                        # 'period: 2022' is a YAML number
            pattern, description = node.pop("pattern"), node.pop("description", "")
            node.update(anyOf=[{"type": "string", "pattern": pattern},
                               {"type": "integer", "minimum": 1000, "maximum": 9999}], description=description)
    for model, fields in FIELDS.items():
        owner = schema if model == "FrontMatter" else schema["$defs"].get(model, {})
        for name, prop in owner.get("properties", {}).items():
            label, help_text = fields.get(name, (None, None))
            if label:
                prop.update(title=label, description=help_text)
    out = {"$schema": DRAFT}
    if schema_id:
        out["$id"] = schema_id
    out.update(schema)
    out.update(title="Bài viết Bantin", description="Phần đầu (front matter) của một bài viết trong content/bulletins/.")
    if data is not None:
        props = out["properties"]
        if data.categories:
            props["category"]["enum"] = list(data.categories)
            props["category"]["description"] += " Một trong: " + "; ".join(
                f"{k} ({v.name})" for k, v in data.categories.items())
        _units(props, data)
        if data.topics:
            props["topics"]["items"]["examples"] = list(data.topics)
    return out


def dumps(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write(path: Path, schema: dict) -> bool:
    """Write the schema if it changed; True when the file was written."""
    text = dumps(schema)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True
