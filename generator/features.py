"""The parts of the portal, in the order their pages, files and menu entries come.

Each part (a `Feature`, views/base.py) says what it adds; the build asks every part
in this order, so adding a register to the portal is one module and one line here.
"""
from __future__ import annotations

from . import cms, feeds, jsonfeed
from .views import (bulletins, calendar, documents, listings, not_found, pages, people, schedules, search, sitemap,
                    tracker)
from .views.base import Feature

FEATURES: tuple[Feature, ...] = (
    listings.FEATURE,      # home, sections, units, topics, archive
    bulletins.FEATURE,     # a page per bulletin; redirects from old addresses
    search.FEATURE,        # /tim-kiem/
    documents.FEATURE,     # /van-ban/
    tracker.FEATURE,       # /du-luan/
    calendar.FEATURE,      # /lich-hop/ and its .ics files
    schedules.FEATURE,     # /lich-cong-tac/, /lich-tiep-cong-dan/ and their .ics files
    people.FEATURE,        # /nhan-su/
    pages.FEATURE,         # the content folder's own pages: /gioi-thieu/...
    not_found.FEATURE,     # 404.html
    feeds.FEATURE,         # RSS and Atom, for the portal and every scope
    jsonfeed.FEATURE,      # JSON Feed, for the portal and every scope, and the paged export
    sitemap.FEATURE,       # sitemap.xml of every page
    cms.FEATURE,           # the web editor, /admin/
)
