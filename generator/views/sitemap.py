"""sitemap.xml for every page, so that search engines find every bulletin."""
from __future__ import annotations

import gzip
from typing import Sequence
from xml.sax.saxutils import escape

from .. import urls
from ..site import Site
from .base import Asset, Feature, Page


def sitemap(site: Site, pages: Sequence[Page]) -> list[Asset]:
    modified = {b.url: (b.updated or b.date) for b in site.bulletins}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in sorted((p for p in pages if p.canonical), key=lambda p: p.url):
        lastmod = modified.get(page.url)
        extra = f"<lastmod>{lastmod.date().isoformat()}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{escape(site.settings.absolute(page.url))}</loc>{extra}</url>")
    lines.append("</urlset>\n")
    xml = "\n".join(lines).encode("utf-8")
    # mtime=0: the same content gives the same bytes on every build.
    return [Asset(urls.SITEMAP, xml), Asset(urls.SITEMAP + ".gz", gzip.compress(xml, mtime=0))]


FEATURE = Feature("sitemap", index=sitemap)
