"""People pages: everyone who chaired a meeting or attended as a guest, with the role held each time."""
from __future__ import annotations

from ..people import URL, Person, collect
from ..site import Site
from .base import Page


def people_pages(site: Site) -> list[Page]:
    people: list[Person] = collect(site.bulletins)
    if not people:
        return []
    pages = [Page(f"{URL}/", "bantin/people.html", "Nhân sự chủ trì, dự hội nghị", {"people": people},
                  description=f"{len(people)} người chủ trì hoặc dự chỉ đạo các hội nghị, với chức vụ tại từng hội nghị.")]
    for person in people:
        role = f", {person.role}" if person.role else ""
        pages.append(Page(person.url, "bantin/person.html", person.name, {"person": person},
                          description=f"{person.name}{role}: {len(person.appearances)} hội nghị đã chủ trì hoặc dự.",
                          depends=()))
    return pages


def nav_items(site: Site) -> list[tuple[str, str]]:
    has_people = any(b.meta.meeting and (b.meta.meeting.chairs or b.meta.meeting.guests) for b in site.bulletins)
    return [("Nhân sự", f"{URL}/")] if has_people else []
