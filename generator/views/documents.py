"""The documents register: every document the bulletins cite, and a page per document."""
from __future__ import annotations

from .. import urls
from ..documents import Document
from ..site import Site
from .base import Feature, NavItem, Page


def by_kind(docs: list[Document]) -> list[tuple[str, list[Document]]]:
    """Sections by kind (Nghị quyết, Quyết định...), each newest document first; unknown kinds last."""
    kinds: dict[str, list[Document]] = {}
    for doc in docs:
        kinds.setdefault(doc.kind_name or "Văn bản khác", []).append(doc)
    for items in kinds.values():
        items.sort(key=lambda d: (d.date is None, -(d.date.toordinal() if d.date else 0), -(d.year or 0), d.number))
    return sorted(kinds.items(), key=lambda kv: (kv[0] == "Văn bản khác", -len(kv[1]), kv[0]))


def document_pages(site: Site) -> list[Page]:
    docs = site.documents
    if not docs:
        return []
    pages = [Page(urls.DOCUMENTS, "bantin/documents.html", "Văn bản được dẫn", {
        "kinds": by_kind(docs), "count": len(docs),
    }, description=f"{len(docs)} nghị quyết, quyết định, kết luận, đề án... được nhắc đến trong các bản tin, "
                   "mỗi văn bản kèm các bài viết dẫn văn bản đó.")]
    for doc in docs:
        what = doc.heading + (f" về {doc.title}" if doc.title else "")
        pages.append(Page(doc.url, "bantin/document.html", doc.heading, {"document": doc},
                          description=f"{what}: {len(doc.citations)} bài viết dẫn văn bản này."))
    return pages


def nav_items(site: Site) -> list[NavItem]:
    return [NavItem("Văn bản", urls.DOCUMENTS)] if site.documents else []


FEATURE = Feature("documents", pages=document_pages, nav=nav_items)
