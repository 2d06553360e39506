"""The search page, /tim-kiem/: the form and every filter value are in the HTML, results come from Pagefind."""
from __future__ import annotations

from .. import search, urls
from ..federation import index as members_index
from ..site import Site
from .base import Feature, Page

# Query parameters of the page, so that a search can be shared as a link: filter -> parameter.
PARAMS = {"category": "chuyen-muc", "unit": "don-vi", "topic": "chu-de", "year": "nam", "kind": "loai"}
LABELS = {"category": "Chuyên mục", "unit": "Đơn vị", "topic": "Chủ đề", "year": "Năm", "kind": "Loại tin"}
SORTS = [("", "Phù hợp nhất"), ("moi-nhat", "Mới nhất"), ("cu-nhat", "Cũ nhất")]


def search_page(site: Site) -> list[Page]:
    options = search.filter_options(site)
    facets = [{"name": name, "param": PARAMS[name], "label": LABELS[name], "options": options[name]}
              for name in search.FILTERS if options[name]]
    return [Page(urls.SEARCH, "bantin/search.html", "Tìm kiếm", {
        "facets": facets,
        "sorts": SORTS,
        "bundles": search.schedule(search.bundles(site) + members_index.bundles(site)),
        "meta_weights": search.META_WEIGHTS,
    }, description=f"Tìm tin bài trên {site.settings.site_name}, gõ có dấu hoặc không dấu.")]


FEATURE = Feature("search", pages=search_page)
