"""The meeting calendar: meetings by month, and iCalendar files to subscribe to (all, and per unit).

The .ics files are made with `icalendar` (RFC 5545): one event per meeting,
in the site's time zone with its VTIMEZONE, linking back to the bulletin.
Stamps come from the bulletins, not the clock, so that a rebuild changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Optional, Sequence
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from ..content.models import Bulletin
from ..site import Site
from ..vietnamese import month_name
from .base import Asset, FeedLink, Page

URL = "lich-hop"
ICS = "lich-hop.ics"
ICS_TYPE = "text/calendar"


def unit_page_url(key: str) -> str:
    return f"{URL}/{key}/"


def unit_ics_url(key: str) -> str:
    return f"{URL}/{key}.ics"


@dataclass
class MeetingEntry:
    bulletin: Bulletin

    @property
    def meeting(self):
        return self.bulletin.meta.meeting

    @property
    def start(self) -> datetime:
        return self.meeting.start or self.bulletin.date

    @property
    def timed(self) -> bool:
        return self.meeting.start is not None


def meetings(bulletins: Sequence[Bulletin]) -> list[MeetingEntry]:
    """Bulletins with a meeting block, latest meeting first."""
    found = [MeetingEntry(b) for b in bulletins if b.meta.meeting]
    return sorted(found, key=lambda m: (m.start, m.bulletin.url), reverse=True)


def by_month(entries: Sequence[MeetingEntry]) -> list[tuple[str, str, list[MeetingEntry]]]:
    """(label, anchor, meetings) per month, as the entries are ordered."""
    months: dict[tuple[int, int], list[MeetingEntry]] = {}
    for e in entries:
        months.setdefault((e.start.year, e.start.month), []).append(e)
    return [(month_name(y, m), f"thang-{y:04d}-{m:02d}", items) for (y, m), items in months.items()]


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


def _host(site: Site) -> str:
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
    ev.add("uid", f"{b.url.strip('/').replace('/', '-')}@{_host(site)}")
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


# Each event's text by what it was made from, kept for the next build of a preview (`bantin serve`).
_EVENTS: dict[tuple, bytes] = {}


def ics(site: Site, entries: Sequence[MeetingEntry], name: str, made: Optional[dict] = None) -> bytes:
    """One calendar; `made` keeps each event's text between calendars (a meeting is in its unit's and
    every parent's), since folding the lines is most of the work."""
    made = {} if made is None else made
    cal = Calendar()
    cal.add("prodid", "-//Bantin//Lich hop//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", site.settings.timezone)
    events, zones = [], {}
    for e in entries:
        if not e.timed:
            continue               # a meeting without a time is listed on the page, not guessed into a calendar
        key = (e.bulletin.url, e.bulletin.card_digest, site.settings.site_url, site.settings.timezone)
        if key not in made:
            made[key] = _EVENTS.get(key) if e.bulletin.card_digest else None
            if made[key] is None:
                made[key] = event(site, e).to_ical()
        events.append(made[key])
        tzid = getattr(e.meeting.start.tzinfo, "key", None)
        if tzid and tzid not in zones:
            zones[tzid] = _vtimezone(tzid)
    for tz in zones.values():
        if tz is not None:
            cal.add_component(tz)
    head, end = cal.to_ical().rsplit(b"END:VCALENDAR", 1)
    return head + b"".join(events) + b"END:VCALENDAR" + end


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
                  unit=None, units: Optional[list] = None) -> Page:
    now = site.settings.now
    upcoming = sorted((e for e in entries if now and e.timed and e.start >= now), key=lambda e: e.start)
    return Page(url, "bantin/calendar.html", title, {
        "months": by_month(entries), "upcoming": upcoming, "count": len(entries),
        "ics_url": ics_url, "unit": unit, "units": units or [],
        "parents": list(reversed(site.ancestors(unit))) if unit else [],
    }, description=f"{title}: thời gian, địa điểm, thành phần chủ trì; đăng ký lịch (iCalendar).",
        feeds=[_feed(f"{title} (iCalendar)", ics_url)])


def calendar_pages(site: Site) -> list[Page]:
    entries = meetings(site.bulletins)
    if not entries:
        return []
    pages = [calendar_page(site, f"{URL}/", "Lịch họp", entries, ICS, units=_units(site))]
    for unit, _ in _units(site):
        pages.append(calendar_page(site, unit_page_url(unit.key), f"Lịch họp – {unit.name}",
                                   meetings(site.by_unit_tree[unit.key]), unit_ics_url(unit.key), unit=unit))
    return pages


def calendar_files(site: Site) -> list[Asset]:
    entries = meetings(site.bulletins)
    if not entries:
        return []
    name, made = site.settings.site_name, {}
    files = [Asset(ICS, ics(site, entries, f"Lịch họp – {name}", made))]
    for unit, _ in _units(site):
        files.append(Asset(unit_ics_url(unit.key), ics(site, meetings(site.by_unit_tree[unit.key]),
                                                      f"Lịch họp – {unit.name}", made)))
    keep_events(made)
    return files


def made_events() -> dict[tuple, bytes]:
    """The events the last calendars were made of (see `_EVENTS`)."""
    return dict(_EVENTS)


def keep_events(made: dict[tuple, bytes]) -> None:
    """What the next build may reuse: this build's events only, so that the memo stays the site's size."""
    if made is not _EVENTS:
        _EVENTS.clear()
        _EVENTS.update(made)


def nav_items(site: Site) -> list[tuple[str, str]]:
    return [("Lịch họp", f"{URL}/")] if any(b.meta.meeting for b in site.bulletins) else []
