"""Pages of the content folder outside bulletins/ ('gioi-thieu.md' -> /gioi-thieu/): an about page, contacts."""
from __future__ import annotations

from ..site import Site
from .base import Feature, Page


def content_pages(site: Site) -> list[Page]:
    return [Page(p.url, "bantin/page.html", p.meta.title, {"page": p}, description=p.meta.description or "")
            for p in site.pages]


FEATURE = Feature("pages", pages=content_pages)
