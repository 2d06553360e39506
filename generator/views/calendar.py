"""The meeting calendar: meetings by month, and iCalendar files to subscribe to (all, and per unit).

The .ics files are made with `icalendar` (RFC 5545): one event per meeting,
in the site's time zone with its VTIMEZONE, linking back to the bulletin.
Stamps come from the bulletins, not the clock, so that a rebuild changes nothing.
"""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from typing import Callable, Iterable, Optional, Sequence
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from .. import urls
from ..content.models import Bulletin
from ..meetings import MeetingEntry, collect as meetings
from ..site import Site
from ..vietnamese import month_name
from .base import Asset, Feature, FeedLink, NavItem, Page, by_month, numbered, paged

ICS_TYPE = "text/calendar"
PER_PAGE = 100          # meetings on each page of a calendar


def page_months(entries: Sequence[MeetingEntry]) -> list[tuple[str, str, list[MeetingEntry]]]:
    """(label, anchor, meetings) per month, as the entries are ordered."""
    return [(month_name(y, m), f"thang-{y:04d}-{m:02d}", items)
            for (y, m), items in by_month(entries, lambda e: (e.start.year, e.start.month))]


# --------------------------------------------------------------- iCalendar

@lru_cache(maxsize=8)
def _vtimezone(tzid: str):
    """The VTIMEZONE of a zone, made once per build (it takes a while)."""
    cal = Calendar()
    event = Event()
    event.add("dtstart", datetime(2000, 1, 1, tzinfo=ZoneInfo(tzid)))
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.timezones[0] if cal.timezones else None


def host(site: Site) -> str:
    return urlsplit(site.settings.site_url).hostname or "bantin"


def description(site: Site, b: Bulletin) -> str:
    meeting = b.meta.meeting
    lines = [b.lead] if b.lead else []
    if meeting.chairs:
        lines.append("Chủ trì: " + "; ".join(p.name + (f" – {p.role}" if p.role else "") for p in meeting.chairs))
    if meeting.participants:
        lines.append(f"Thành phần: {meeting.participants}")
    if site.settings.site_url:
        lines.append(site.settings.absolute(b.url))
    return "\n\n".join(lines)


def event(site: Site, e: MeetingEntry) -> Event:
    b, meeting = e.bulletin, e.meeting
    ev = Event()
    ev.add("uid", f"{b.url.strip('/').replace('/', '-')}@{host(site)}")
    ev.add("dtstamp", (b.updated or b.date).astimezone(timezone.utc))
    if b.updated:
        ev.add("last-modified", b.updated.astimezone(timezone.utc))
    ev.add("dtstart", meeting.start)
    if meeting.end:
        ev.add("dtend", meeting.end)
    ev.add("summary", b.title)
    ev.add("location", meeting.location or b.unit.name)
    ev.add("description", description(site, b))
    if meeting.format:
        ev.add("categories", [meeting.format])
    if site.settings.site_url:
        ev.add("url", site.settings.absolute(b.url))
    return ev


def calendar_file(site: Site, name: str, events: Iterable[tuple[str, Callable[[], bytes], Optional[str]]],
                  made: Optional[dict] = None, prodid: str = "-//Bantin//Lich hop//VI") -> bytes:
    """One calendar of (key, maker of the event's text, zone) items; `made` keeps each event's text
    between calendars by key (an event is in its unit's and every parent's), since folding the
    lines is most of the work."""
    made = {} if made is None else made
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", site.settings.timezone)
    out, zones = [], {}
    for key, make, tzid in events:
        if key not in made:
            made[key] = make()
        out.append(made[key])
        if tzid and tzid not in zones:
            zones[tzid] = _vtimezone(tzid)
    for tz in zones.values():
        if tz is not None:
            cal.add_component(tz)
    head, end = cal.to_ical().rsplit(b"END:VCALENDAR", 1)
    return head + b"".join(out) + b"END:VCALENDAR" + end


def ics(site: Site, entries: Sequence[MeetingEntry], name: str) -> bytes:
    """The meetings' calendar; a meeting without a time is listed on the page, not guessed into a
    calendar.  Each event's text is made once per build and kept between builds (pieces.py)."""
    def text(e: MeetingEntry) -> bytes:
        return site.pieces.raw("event", lambda: event(site, e).to_ical(), e.bulletin)

    return calendar_file(site, name, [(e.bulletin.url, lambda e=e: text(e),
                                       getattr(e.meeting.start.tzinfo, "key", None)) for e in entries if e.timed])


# --------------------------------------------------------------- pages and files

def _feed(title: str, url: str) -> FeedLink:
    return FeedLink(title, url, ICS_TYPE)


def _units(site: Site) -> list[tuple]:
    out = []
    for key, items in site.by_unit_tree.items():
        count = sum(1 for b in items if b.meta.meeting)
        if count:
            out.append((site.unit(key), count))
    return out


def calendar_page(site: Site, url: str, title: str, entries: list[MeetingEntry], ics_url: str,
                  unit=None, units: Optional[list] = None) -> list[Page]:
    """A calendar's pages, newest month first, a hundred meetings a page (a province holds tens of
    thousands); the first shows the upcoming ones and the units' calendars, and the .ics file has
    every meeting."""
    now = site.settings.now
    upcoming = sorted((e for e in entries if now and e.timed and e.start >= now), key=lambda e: e.start)
    pagers, older = paged(entries, url, PER_PAGE, site.settings.listing_pages)
    whole = {"heading": title, "count": len(entries), "ics_url": ics_url, "unit": unit, "older": older,
             "parents": list(reversed(site.ancestors(unit))) if unit else []}
    first = {"upcoming": upcoming,
             "units": [(u, urls.unit_calendar(u.key), count, urls.unit_calendar_ics(u.key)) for u, count in units or []]}
    return [Page(pager.url(pager.number), "bantin/calendar.html", numbered(title, pager),
                 {**whole, **(first if pager.number == 1 else {}), "pager": pager, "months": page_months(pager.items)},
                 description=f"{title}: thời gian, địa điểm, thành phần chủ trì; đăng ký lịch (iCalendar).",
                 feeds=[_feed(f"{title} (iCalendar)", ics_url)])
            for pager in pagers]


def calendar_pages(site: Site) -> list[Page]:
    if not site.meetings:
        return []
    pages = calendar_page(site, urls.CALENDAR, "Lịch họp", site.meetings, urls.CALENDAR_ICS, units=_units(site))
    for unit, _ in _units(site):
        pages += calendar_page(site, urls.unit_calendar(unit.key), f"Lịch họp – {unit.name}",
                               meetings(site.by_unit_tree[unit.key]), urls.unit_calendar_ics(unit.key), unit=unit)
    return pages


def calendar_files(site: Site) -> list[Asset]:
    if not site.meetings:
        return []
    name = site.settings.site_name
    files = [Asset(urls.CALENDAR_ICS, ics(site, site.meetings, f"Lịch họp – {name}"))]
    for unit, _ in _units(site):
        files.append(Asset(urls.unit_calendar_ics(unit.key), ics(site, meetings(site.by_unit_tree[unit.key]),
                                                                f"Lịch họp – {unit.name}")))
    return files


def nav_items(site: Site) -> list[NavItem]:
    return [NavItem("Lịch họp", urls.CALENDAR)] if site.meetings else []


FEATURE = Feature("calendar", pages=calendar_pages, files=calendar_files, nav=nav_items)
