"""Members' exports into the portal's own typed models: units, categories and topics into its
site data, items into `Bulletin`s with an `Origin` (their page stays on the member's site).

Bulletins go through the same FrontMatter model as an editor's file, so a member's meeting
and opinion records are held to the same rules as the portal's own.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from ..content.models import Bulletin, FrontMatter, Origin, Topic
from ..content.reader import ContentSet
from .models import Page

log = logging.getLogger("bantin")


@dataclass
class Member:
    """One member as this build uses it: where it is configured, its site, its checked pages."""

    source: str
    site_url: str
    pages: list[Page] = field(default_factory=list)
    fresh: bool = True          # False: its last good copy, because this time's was refused


def bulletins(member: Member, content: ContentSet, tz: ZoneInfo) -> list[Bulletin]:
    """The member's items as bulletins, its units, categories and topics joined to `content.data`.

    A unit key the portal already has for another unit keeps the portal's; that unit's items
    are left out with a warning (two units of one name would mix their bulletins)."""
    data = content.data
    clashes = set()
    for page in member.pages:
        for unit in page.bantin.units:
            have = data.units.setdefault(unit.key, unit)
            if have.name != unit.name:
                clashes.add(unit.key)
        for category in page.bantin.categories:
            data.categories.setdefault(category.key, category)
        for topic in page.bantin.topics:
            data.topics.setdefault(topic.key, topic)
    for key in sorted(clashes):
        log.warning("Thành viên %s: đơn vị %r trùng khóa với %r của cổng, tin của đơn vị đó không được đưa vào "
                    "(member unit key clashes with the portal's)", member.source, key, data.units[key].name)
    out = []
    for page in member.pages:
        for item in page.items:
            r = item.bantin
            if r.unit in clashes or r.unit not in data.units or r.category not in data.categories:
                continue
            try:
                meta = FrontMatter.model_validate({
                    "title": item.title, "date": item.date_published, "category": r.category, "unit": r.unit,
                    "topics": r.topics, "summary": r.lead or None, "updated": item.date_modified,
                    "author": next((a.name for a in item.authors if a.name), None),
                    "meeting": r.meeting.model_dump() if r.meeting else None,
                    "opinion": r.opinion.model_dump() if r.opinion else None}, context={"tz": tz})
            except ValidationError as exc:
                log.warning("Thành viên %s: bỏ qua %s (%s)", member.source, item.url,
                            exc.errors()[0]["msg"] if exc.errors() else exc)
                continue
            topics = [data.topics.get(k) or Topic(key=k, name=k) for k in r.topics]
            out.append(Bulletin(meta=meta, source_path=item.url, slug=item.url.rstrip("/").rsplit("/", 1)[-1],
                                url=item.url, body="", category=data.categories[r.category],
                                unit=data.units[r.unit], topics=topics, lead=r.lead or "",
                                origin=Origin(r.origin, item.id, r.cover.url if r.cover else None)))
    return out


def join(content: ContentSet, members: list[Member], timezone: str) -> None:
    """The members' bulletins among the portal's own, newest first; one bulletin reached by two
    roads (a ward read directly and through its district) is shown once."""
    tz = ZoneInfo(timezone)
    seen = {b.url for b in content.bulletins}
    added = []
    for member in members:
        for b in bulletins(member, content, tz):
            if b.url not in seen:
                seen.add(b.url)
                added.append(b)
    content.bulletins = sorted([*content.bulletins, *added], key=lambda b: b.sort_key, reverse=True)
