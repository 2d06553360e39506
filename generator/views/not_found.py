"""The page a host serves for any address the site does not have."""
from __future__ import annotations

from .. import urls
from ..site import Site
from .base import Feature, Page


def not_found_page(site: Site) -> list[Page]:
    return [Page(urls.NOT_FOUND, "bantin/not_found.html", "Không tìm thấy trang", {"nav": site.nav},
                 description=site.settings.site_description, anywhere=True, canonical=False)]


FEATURE = Feature("not-found", pages=not_found_page)
