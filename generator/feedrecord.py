"""The meeting card and the opinion block as a feed reader shows them: plain, classless HTML set
before the body of a feed entry, every field escaped.

What makes a Bantin feed worth following is the record: who chaired, where, which documents, what
was concluded, each concern residents raised and whether it was answered.  Feed readers drop
stylesheets and scripts, so the blocks are headings, definition lists and lists only.
"""
from __future__ import annotations

from html import escape
from typing import Callable, Optional

from .content.models import STATUS_LABELS, Bulletin, Meeting, Opinion
from .vietnamese import clock, day, period, weekday


def _people(people) -> str:
    return "; ".join(escape(p.name) + (f" ({escape(p.role)})" if p.role else "") for p in people)


def _when(meeting: Meeting) -> str:
    start, end = meeting.start, meeting.end
    text = f"{clock(start)}, {weekday(start)} {day(start)}"
    if end:
        text += f" – {clock(end)}" + (f" {day(end)}" if day(end) != day(start) else "")
    return text


def _rows(rows: list[tuple[str, Optional[str]]]) -> str:
    """A definition list of the rows that have a value (already HTML)."""
    shown = "".join(f"<dt>{escape(label)}</dt><dd>{value}</dd>" for label, value in rows if value)
    return f"<dl>{shown}</dl>" if shown else ""


def meeting_html(meeting: Meeting, document_url: Callable[[str], Optional[str]]) -> str:
    """`document_url` gives a cited document's absolute address on the portal, or None."""
    documents = []
    for d in meeting.documents:
        url = document_url(d.number)
        number = f'<a href="{escape(url)}">{escape(d.number)}</a>' if url else escape(d.number)
        documents.append(f"<li>{number}" + (f", ngày {day(d.date)}" if d.date else "")
                         + (f": {escape(d.title)}" if d.title else "") + "</li>")
    rows = [
        ("Thời gian", _when(meeting) if meeting.start else None),
        ("Địa điểm", escape(meeting.location) if meeting.location else None),
        ("Chủ trì", _people(meeting.chairs)),
        ("Khách mời, dự chỉ đạo", _people(meeting.guests)),
        ("Thành phần", escape(meeting.participants) if meeting.participants else None),
        ("Ý kiến phát biểu", f"{meeting.contributions} ý kiến" if meeting.contributions is not None else None),
        ("Văn bản", f"<ul>{''.join(documents)}</ul>" if documents else None),
        ("Kết luận", "<ol>" + "".join(f"<li>{escape(c)}</li>" for c in meeting.conclusions) + "</ol>"
         if meeting.conclusions else None),
    ]
    title = escape((meeting.format or "hội nghị").capitalize())
    return f"<section><h2>{title}</h2>{_rows(rows)}</section>"


def opinion_html(opinion: Opinion) -> str:
    heading = "Tổng hợp dư luận xã hội" + (f" {period(opinion.period)}" if opinion.period else "")
    parts = [f"<h2>{escape(heading)}</h2>", _rows([
        ("Mạng lưới cộng tác viên", f"{opinion.network} người" if opinion.network is not None else None),
        ("Báo cáo nhận được", str(opinion.reports) if opinion.reports is not None else None)])]
    if opinion.concerns:
        items = []
        for c in opinion.concerns:
            response = c.response
            item = f"<li><p><strong>{escape(c.title)}</strong> ({escape(STATUS_LABELS[response.status])})</p>"
            if c.summary:
                item += f"<p>{escape(c.summary)}</p>"
            said = " ".join(filter(None, [f"Cơ quan xử lý: {escape(response.agency)}." if response.agency else "",
                                          f"Trả lời: {escape(response.answer)}" if response.answer else ""]))
            items.append(item + (f"<p>{said}</p>" if said else "") + "</li>")
        parts.append(f"<h3>Vấn đề dư luận quan tâm</h3><ol>{''.join(items)}</ol>")
    if opinion.recommendations:
        parts.append("<h3>Kiến nghị, đề xuất</h3><ul>"
                     + "".join(f"<li>{escape(r)}</li>" for r in opinion.recommendations) + "</ul>")
    return f"<section>{''.join(parts)}</section>"


def record_html(b: Bulletin, absolute: Callable[[str], str]) -> str:
    """The bulletin's meeting card and opinion block, or '' for plain news."""
    def document_url(number: str) -> Optional[str]:
        url = b.document_urls.get(number)
        return absolute(url) if url else None

    out = meeting_html(b.meta.meeting, document_url) if b.meta.meeting else ""
    return out + (opinion_html(b.meta.opinion) if b.meta.opinion else "")
