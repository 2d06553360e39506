"""People pages: everyone who chaired a meeting or attended as a guest, with the role held each time."""
from __future__ import annotations

from .. import urls
from ..site import Site
from .base import Feature, NavItem, Page


def people_pages(site: Site) -> list[Page]:
    people = site.people
    if not people:
        return []
    pages = [Page(urls.PEOPLE, "bantin/people.html", "Nhân sự chủ trì, dự hội nghị", {"people": people},
                  description=f"{len(people)} người chủ trì hoặc dự chỉ đạo các hội nghị, với chức vụ tại từng hội nghị.")]
    for person in people:
        role = f", {person.role}" if person.role else ""
        pages.append(Page(person.url, "bantin/person.html", person.name, {"person": person},
                          description=f"{person.name}{role}: {len(person.appearances)} hội nghị đã chủ trì hoặc dự."))
    return pages


def nav_items(site: Site) -> list[NavItem]:
    return [NavItem("Nhân sự", urls.PEOPLE)] if site.people else []


FEATURE = Feature("people", pages=people_pages, nav=nav_items)
