"""Schedules published ahead of time: the unit's weekly work schedule and its citizen-reception days,
on their pages (this week first, then the weeks ahead, then the archive), on the unit's page and in
calendars that a phone can subscribe to."""
from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from lxml import html as lhtml

from conftest import SITE_URL, bantin, make_project
from generator import build as core
from test_core import settings_of

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SCHEDULE = """kind: {kind}
unit: {unit}
entries:
  - day: {day}
    time: "{time}"
    end: "11:30"
    title: {title}
    chair: Đồng chí Chủ tịch UBND phường Gia Thụy
    location: Phòng tiếp công dân, UBND phường Gia Thụy
    participants: Công chức địa chính, tư pháp; đại diện Ủy ban MTTQ phường
"""


def text(el) -> str:
    return " ".join(el.text_content().split())


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, date]:
    """The demo with a reception day of Gia Thụy three days from now, built by `bantin build`."""
    project = make_project(tmp_path_factory.mktemp("schedules") / "project")
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "- bantin:", "- bantin:\n      search: false", 1), encoding="utf-8")
    day = datetime.now(VN).date() + timedelta(days=3)
    (project / "content" / "schedules" / "gia-thuy.yml").write_text(SCHEDULE.format(
        kind="lịch tiếp công dân", unit="phuong-gia-thuy", day=day.isoformat(), time="08:00",
        title="Chủ tịch UBND phường Gia Thụy tiếp công dân định kỳ"), encoding="utf-8")
    bantin("build", "-q", cwd=project)
    return project / "site", day


def test_a_schedule_entry_is_on_its_page_with_every_detail(built):
    site, day = built
    page = lhtml.fromstring((site / "lich-tiep-cong-dan" / "index.html").read_bytes())
    (item,) = page.xpath("//li[@id='schedules-gia-thuy-1']")
    assert text(item.find(".//h4")) == "Chủ tịch UBND phường Gia Thụy tiếp công dân định kỳ"
    about = {text(dt): text(dt.getnext()) for dt in item.iter("dt")}
    assert about == {"Chủ trì": "Đồng chí Chủ tịch UBND phường Gia Thụy",
                     "Địa điểm": "Phòng tiếp công dân, UBND phường Gia Thụy",
                     "Thành phần": "Công chức địa chính, tư pháp; đại diện Ủy ban MTTQ phường",
                     "Đơn vị": "Phường Gia Thụy"}
    assert text(item.find("p")) == "08:00 – 11:30"
    assert item.xpath("ancestor::section[@class='bt-week__day' or @class='bt-week__day bt-week__day--today']"
                      f"//time[@datetime='{day.isoformat()}']")
    # In the menu, and the page links its calendar.
    assert page.xpath("//nav[@aria-label='Tra cứu nhanh']//a[text()='Lịch tiếp công dân']")
    assert page.xpath("//a[@class='bt-subscribe__link' and @type='text/calendar']")


def test_a_schedule_entry_is_on_its_unit_page_and_the_units_above(built):
    site, day = built
    for unit in ("phuong-gia-thuy", "quan-long-bien"):
        page = lhtml.fromstring((site / "don-vi" / unit / "index.html").read_bytes())
        box = page.xpath("//section[contains(@class, 'bt-unit-schedule')]")
        assert box, unit
        (link,) = box[0].xpath(".//a[text()='Chủ tịch UBND phường Gia Thụy tiếp công dân định kỳ']")
        assert link.get("href").endswith("lich-tiep-cong-dan/#schedules-gia-thuy-1")
    other = lhtml.fromstring((site / "don-vi" / "thi-xa-son-tay" / "index.html").read_bytes())
    assert not other.xpath("//section[contains(@class, 'bt-unit-schedule')]")


def events(path: Path) -> dict[str, object]:
    cal = Calendar.from_ical(path.read_bytes())
    return {str(ev.get("summary")): ev for ev in cal.walk("VEVENT")}


def test_a_schedule_entry_is_in_the_calendar_files(built):
    site, day = built
    for ics in ("lich-cong-tac.ics", "lich-tiep-cong-dan.ics", "lich-cong-tac/phuong-gia-thuy.ics",
                "lich-cong-tac/quan-long-bien.ics"):
        ev = events(site / ics)["Chủ tịch UBND phường Gia Thụy tiếp công dân định kỳ"]
        assert ev.decoded("dtstart") == datetime(day.year, day.month, day.day, 8, 0, tzinfo=VN), ics
        assert ev.decoded("dtend") == datetime(day.year, day.month, day.day, 11, 30, tzinfo=VN), ics
        assert str(ev.get("location")) == "Phòng tiếp công dân, UBND phường Gia Thụy"
        assert "Chủ trì: Đồng chí Chủ tịch UBND phường Gia Thụy" in str(ev.get("description"))
        assert str(ev.get("url")) == SITE_URL + "lich-tiep-cong-dan/#schedules-gia-thuy-1"
    son_tay = site / "lich-cong-tac" / "thi-xa-son-tay.ics"
    assert not son_tay.exists()
    # A day without a time is a whole-day event; work schedules are not in the reception calendar.
    whole = events(site / "lich-cong-tac.ics")["Thường trực Quận ủy trực, giải quyết công việc tại trụ sở"]
    assert whole.decoded("dtstart") == date(2026, 12, 5) and whole.decoded("dtend") == date(2026, 12, 6)
    assert "Giao ban Thường trực Quận ủy" not in events(site / "lich-tiep-cong-dan.ics")


def test_the_work_schedule_puts_this_week_first_then_the_weeks_ahead_then_the_archive(tmp_path):
    project = make_project(tmp_path / "project")
    now = datetime(2026, 12, 2, 9, 0, tzinfo=VN)     # a Wednesday of week 49
    made = core.make(settings_of(project, search=False, now=now, cache_dir=None))
    (page,) = [p for p in made.pages if p.url == "lich-cong-tac/"]
    ctx = page.context
    assert ctx["current"].monday == date(2026, 11, 30)
    assert [w.monday for w in ctx["ahead"]] == [date(2026, 12, 7)]
    assert [w.monday for w in ctx["past"]] == [date(2026, 11, 23)]
    days = [d for d, _ in ctx["current"].days]
    assert days == sorted(days) and days[0] == date(2026, 11, 30)
    first = ctx["current"].days[0][1]
    assert [a.start.hour for a in first] == sorted(a.start.hour for a in first)
    # A week later, that week is in the archive, newest first.
    later = core.make(settings_of(project, search=False, now=now + timedelta(days=7), cache_dir=None))
    (page,) = [p for p in later.pages if p.url == "lich-cong-tac/"]
    assert page.context["current"].monday == date(2026, 12, 7) and page.context["ahead"] == []
    assert [w.monday for w in page.context["past"]] == [date(2026, 11, 30), date(2026, 11, 23)]


def test_new_schedule_writes_a_week_that_passes_check_and_its_schema(tmp_path):
    import json

    import jsonschema
    import yaml

    project = make_project(tmp_path / "project")
    shutil.rmtree(project / "content" / "schema")
    out = bantin("new", "schedule", "Lịch công tác tuần 2 của UBND phường", "-u", "phuong-gia-thuy",
                 "--date", "2027-01-06", cwd=project).stdout
    path = project / "content" / "schedules" / "2027" / "lich-cong-tac-tuan-2-cua-ubnd-phuong.yml"
    assert "content/schedules/2027/lich-cong-tac-tuan-2-cua-ubnd-phuong.yml" in out and "04/01/2027" in out
    written = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert written["unit"] == "phuong-gia-thuy" and written["kind"] == "work"
    assert [e["day"] for e in written["entries"]] == [date(2027, 1, d) for d in range(4, 9)]
    schema = json.loads((project / "content" / "schema" / "schedule.schema.json").read_text(encoding="utf-8"))
    entries = [{**e, "day": e["day"].isoformat()} for e in written["entries"]]
    jsonschema.Draft7Validator(schema).validate({**written, "entries": entries})
    bantin("new", "schedule", "Lịch tiếp công dân tháng 1", "--reception", "--date", "2027-01-15", cwd=project)
    result = bantin("check", cwd=project)
    assert "0 lỗi, 0 cảnh báo" in result.stderr
