"""Problems found in editors' files, worded for editors.

Every problem names the file, the line and the field, says what is wrong and
what was expected, in the site's language.  The reader collects all of them
before giving up, so that an editor fixes a file in one pass.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    expected: str = ""
    severity: str = ERROR

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.field or '-'}: {self.message}"
        return f"{text} ({self.expected})" if self.expected else text

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "expected": self.expected,
            "severity": self.severity,
        }


class ContentError(Exception):
    """Raised when content has errors; carries every problem found."""

    def __init__(self, problems: list[Problem], language: str = "vi"):
        self.problems = sorted(problems)
        self.language = language
        super().__init__(self.report())

    def report(self) -> str:
        head = MESSAGES[self.language if self.language in MESSAGES else "en"]["summary"]
        lines = [str(p) for p in self.problems]
        return "\n".join(lines + [head.format(n=len(self.problems))])


@dataclass
class Messages:
    """The words of one language; keyed by a short message id."""

    language: str
    table: dict = field(default_factory=dict)

    def __call__(self, key: str, **kw) -> str:
        text = self.table.get(key) or MESSAGES["en"].get(key) or key
        return text.format(**kw) if kw else text


MESSAGES: dict[str, dict[str, str]] = {
    "vi": {
        "summary": "Có {n} lỗi trong nội dung; trang chưa được dựng lại, thư mục site/ cũ vẫn giữ nguyên.",
        "missing": "thiếu trường bắt buộc",
        "extra": "trường không được biết đến",
        "extra.expected": "các trường hợp lệ: {allowed}",
        "string": "phải là một đoạn chữ",
        "int": "phải là một số nguyên",
        "int.min": "phải là số không âm",
        "bool": "phải là true hoặc false",
        "list": "phải là một danh sách",
        "dict": "phải là một nhóm trường",
        "choice": "giá trị không hợp lệ",
        "choice.expected": "một trong: {choices}",
        "empty": "không được để trống",
        "date": "ngày giờ không đọc được: {value!r}",
        "date.expected": "dạng YYYY-MM-DD HH:MM, ví dụ 2022-11-02 20:32",
        "day": "ngày không đọc được: {value!r}",
        "day.expected": "dạng YYYY-MM-DD, ví dụ 2021-11-26",
        "period": "kỳ không đọc được: {value!r}",
        "period.expected": "dạng 2021-11, 2022-Q2 hoặc 2022",
        "invalid": "giá trị không hợp lệ",
        "unknown_category": "chuyên mục {value!r} chưa được khai báo",
        "unknown_unit": "đơn vị {value!r} chưa được khai báo",
        "unknown_topic": "chủ đề {value!r} chưa được khai báo",
        "known.expected": "một khóa trong {file}: {choices}",
        "duplicate_url": "trùng địa chỉ {url} với {other}",
        "duplicate_url.expected": "đặt một slug khác",
        "duplicate_key": "khóa {value!r} bị trùng",
        "yaml": "lỗi cú pháp YAML: {detail}",
        "yaml.expected": "kiểm tra dấu hai chấm, thụt lề và dấu nháy",
        "yaml.colon": "dấu hai chấm ':' nằm trong giá trị, hoặc thụt lề sai",
        "yaml.colon.expected": "giá trị có dấu ':' phải đặt trong dấu nháy đơn, ví dụ title: 'Hội nghị: tổng kết năm'",
        "yaml.tab": "có ký tự Tab",
        "yaml.tab.expected": "thụt lề bằng dấu cách, không dùng phím Tab",
        "yaml.list": "danh sách [...] chưa đóng",
        "yaml.list.expected": "các mục cách nhau bằng dấu phẩy, cuối danh sách có dấu ]",
        "yaml.group": "nhóm {...} chưa đóng",
        "yaml.group.expected": "cuối nhóm có dấu }",
        "yaml.quote": "dấu nháy chưa đóng",
        "yaml.quote.expected": "giá trị mở bằng dấu nháy thì đóng bằng đúng dấu nháy đó",
        "yaml.indent": "thụt lề không thẳng cột",
        "yaml.indent.expected": "các trường cùng cấp phải thẳng cột, thụt lề bằng dấu cách; sau dấu nháy đóng không viết thêm gì",
        "front_matter": "không tìm thấy phần đầu YAML",
        "front_matter.expected": "tệp bắt đầu bằng một dòng ---, các trường, rồi một dòng --- nữa",
        "not_mapping": "phần đầu YAML phải là các cặp trường: giá trị",
        "encoding": "tệp không phải UTF-8",
        "encoding.expected": "lưu tệp với bảng mã UTF-8",
        "end_before_start": "giờ kết thúc trước giờ bắt đầu",
        "slug": "slug chỉ gồm chữ thường không dấu, số và dấu gạch ngang",
        "alias": "địa chỉ cũ phải bắt đầu bằng /",
        "unknown_parent": "đơn vị cấp trên {value!r} chưa được khai báo",
        "missing_file": "thiếu tệp {file}",
        "warn.summary": "chưa có phần tóm tắt, sẽ dùng đoạn đầu",
        "warn.caption": "ảnh chưa có chú thích",
        "warn.title": "tiêu đề rất dài ({n} ký tự)",
        "warn.title.expected": "tối đa {limit} ký tự",
    },
    "en": {
        "summary": "{n} problem(s) in the content; nothing was built and the previous site/ is untouched.",
        "missing": "required field is missing",
        "extra": "unknown field",
        "extra.expected": "valid fields: {allowed}",
        "string": "must be text",
        "int": "must be a whole number",
        "int.min": "must not be negative",
        "bool": "must be true or false",
        "list": "must be a list",
        "dict": "must be a group of fields",
        "choice": "invalid value",
        "choice.expected": "one of: {choices}",
        "empty": "must not be empty",
        "date": "unreadable date and time: {value!r}",
        "date.expected": "YYYY-MM-DD HH:MM, e.g. 2022-11-02 20:32",
        "day": "unreadable date: {value!r}",
        "day.expected": "YYYY-MM-DD, e.g. 2021-11-26",
        "period": "unreadable period: {value!r}",
        "period.expected": "2021-11, 2022-Q2 or 2022",
        "invalid": "invalid value",
        "unknown_category": "category {value!r} is not declared",
        "unknown_unit": "unit {value!r} is not declared",
        "unknown_topic": "topic {value!r} is not declared",
        "known.expected": "a key of {file}: {choices}",
        "duplicate_url": "same address {url} as {other}",
        "duplicate_url.expected": "set another slug",
        "duplicate_key": "key {value!r} is declared twice",
        "yaml": "YAML syntax error: {detail}",
        "yaml.expected": "check colons, indentation and quotes",
        "yaml.colon": "a colon ':' inside a value, or wrong indentation",
        "yaml.colon.expected": "put a value holding ':' in single quotes, e.g. title: 'Meeting: year review'",
        "yaml.tab": "a Tab character",
        "yaml.tab.expected": "indent with spaces, not Tab",
        "yaml.list": "a list [...] is not closed",
        "yaml.list.expected": "items separated by commas, the list closed by ]",
        "yaml.group": "a group {...} is not closed",
        "yaml.group.expected": "the group closed by }",
        "yaml.quote": "a quote is not closed",
        "yaml.quote.expected": "a value opened with a quote ends with the same quote",
        "yaml.indent": "the indentation is not aligned",
        "yaml.indent.expected": "fields of one level start in the same column, indented with spaces; nothing after a closing quote",
        "front_matter": "no YAML front matter found",
        "front_matter.expected": "the file starts with a --- line, the fields, then another --- line",
        "not_mapping": "the front matter must be 'field: value' pairs",
        "encoding": "the file is not UTF-8",
        "encoding.expected": "save the file as UTF-8",
        "end_before_start": "end is before start",
        "slug": "a slug holds only lower-case ASCII letters, digits and hyphens",
        "alias": "an old address must start with /",
        "unknown_parent": "parent unit {value!r} is not declared",
        "missing_file": "file {file} is missing",
        "warn.summary": "no summary; the first paragraph will be used",
        "warn.caption": "image without a caption",
        "warn.title": "very long title ({n} characters)",
        "warn.title.expected": "at most {limit} characters",
    },
}


def messages(language: str) -> Messages:
    lang = language.split("-")[0].lower()
    return Messages(lang if lang in MESSAGES else "en", MESSAGES.get(lang, MESSAGES["en"]))
