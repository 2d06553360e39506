"""sitemap.xml for every page, so that search engines find every bulletin."""
from __future__ import annotations

import gzip
from xml.sax.saxutils import escape

from ..site import Site
from .base import Asset, Page


def sitemap(site: Site, pages: list[Page]) -> list[Asset]:
    modified = {b.url: (b.updated or b.date) for b in site.bulletins}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in sorted(pages, key=lambda p: p.url):
        lastmod = modified.get(page.url)
        extra = f"<lastmod>{lastmod.date().isoformat()}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{escape(site.settings.absolute(page.url))}</loc>{extra}</url>")
    lines.append("</urlset>\n")
    xml = "\n".join(lines).encode("utf-8")
    # mtime=0: the same content gives the same bytes on every build.
    return [Asset("sitemap.xml", xml), Asset("sitemap.xml.gz", gzip.compress(xml, mtime=0))]
