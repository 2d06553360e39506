"""The schedules' pages and calendars: /lich-cong-tac/ (this week, the weeks ahead, then the archive),
/lich-tiep-cong-dan/, and iCalendar files for all units, for reception days, and per unit."""
from __future__ import annotations

from datetime import timedelta, timezone
from typing import Optional

from icalendar import Event

from .. import urls
from ..content.models import SCHEDULE_LABELS
from ..schedules import Appointment, monday, split, weeks
from ..site import Site
from .base import Asset, Feature, FeedLink, NavItem, Page
from .calendar import ICS_TYPE, calendar_file, host

UPCOMING = 8        # a unit's next appointments, on its listing page
PAGES = {"work": (urls.SCHEDULE, urls.SCHEDULE_ICS), "reception": (urls.RECEPTION, urls.RECEPTION_ICS)}   # page, calendar
INTROS = {"work": "Lịch công tác tuần của lãnh đạo các đơn vị: tuần này trước, rồi các tuần tới; các tuần đã qua ở phần lưu trữ.",
          "reception": "Lịch lãnh đạo các đơn vị tiếp công dân định kỳ: ngày, giờ, người chủ trì tiếp và địa điểm."}


def _units(site: Site) -> list:
    """Units whose tree has appointments, with how many: each has a calendar of its own."""
    out = []
    for unit in site.data.units.values():
        count = len(site.appointments_of(unit))
        if count:
            page = unit.url if unit.key in site.by_unit_tree else urls.SCHEDULE   # a unit without bulletins has no page
            out.append((unit, page, count, urls.unit_schedule_ics(unit.key)))
    return out


def schedule_page(site: Site, kind: str, items: list[Appointment]) -> Page:
    url, ics_url = PAGES[kind]
    today = site.settings.now.date() if site.settings.now else None
    current, ahead, past = split(weeks(items), today) if today else (None, weeks(items), [])
    other = "reception" if kind == "work" else "work"
    title = SCHEDULE_LABELS[kind]
    return Page(url, "bantin/schedule.html", title, {
        "kind": kind, "current": current, "ahead": ahead, "past": past, "today": today,
        "next_monday": monday(today) + timedelta(days=7) if today else None,
        "ics_url": ics_url, "units": _units(site), "intro": INTROS[kind],
        "other": (SCHEDULE_LABELS[other], PAGES[other][0]) if any(a.kind == other for a in site.appointments) else None,
    }, description=f"{title}: ngày, giờ, nội dung, người chủ trì, địa điểm, thành phần; đăng ký lịch (iCalendar).",
        feeds=[FeedLink(f"{title} (iCalendar)", ics_url, ICS_TYPE)])


def schedule_pages(site: Site) -> list[Page]:
    out = []
    for kind in PAGES:
        items = [a for a in site.appointments if a.kind == kind]
        if items:
            out.append(schedule_page(site, kind, items))
    return out


def upcoming(site: Site, unit) -> list[Appointment]:
    """What a unit's listing shows: its (and its sub-units') appointments from today on."""
    now = site.settings.now
    if now is None:
        return []
    return [a for a in site.appointments_of(unit) if a.day >= now.date()][:UPCOMING]


# --------------------------------------------------------------- iCalendar

def event(site: Site, a: Appointment) -> Event:
    e = a.entry
    ev = Event()
    ev.add("uid", f"{a.anchor}@{host(site)}")
    ev.add("dtstamp", a.start.astimezone(timezone.utc))   # from the schedule, not the clock: rebuilds agree
    if a.all_day:
        ev.add("dtstart", e.day)
        ev.add("dtend", e.day + timedelta(days=1))
    else:
        ev.add("dtstart", a.start)
        if a.end:
            ev.add("dtend", a.end)
    ev.add("summary", e.title)
    ev.add("location", e.location or a.unit.name)
    lines = [f"{a.kind_label} – {a.unit.name}"]
    if e.chair:
        lines.append(f"Chủ trì: {e.chair}")
    if e.participants:
        lines.append(f"Thành phần: {e.participants}")
    page = site.settings.absolute(a.url) + "#" + a.anchor
    lines.append(page)
    ev.add("description", "\n\n".join(lines))
    ev.add("categories", [a.kind_label])
    ev.add("url", page)
    return ev


def _calendar(site: Site, name: str, items: list[Appointment], made: Optional[dict]) -> bytes:
    return calendar_file(site, name, [(a.anchor, lambda a=a: event(site, a).to_ical(),
                                       None if a.all_day else getattr(a.start.tzinfo, "key", None)) for a in items],
                         made, prodid="-//Bantin//Lich cong tac//VI")


def schedule_files(site: Site) -> list[Asset]:
    if not site.appointments:
        return []
    name, made = site.settings.site_name, {}
    files = [Asset(urls.SCHEDULE_ICS, _calendar(site, f"Lịch công tác – {name}", site.appointments, made))]
    reception = [a for a in site.appointments if a.kind == "reception"]
    if reception:
        files.append(Asset(urls.RECEPTION_ICS, _calendar(site, f"Lịch tiếp công dân – {name}", reception, made)))
    for unit, _, _, ics_url in _units(site):
        files.append(Asset(ics_url, _calendar(site, f"Lịch công tác – {unit.name}", site.appointments_of(unit), made)))
    return files


def nav_items(site: Site) -> list[NavItem]:
    return [NavItem(SCHEDULE_LABELS[kind], PAGES[kind][0]) for kind in PAGES
            if any(a.kind == kind for a in site.appointments)]


FEATURE = Feature("schedules", pages=schedule_pages, files=schedule_files, nav=nav_items)
