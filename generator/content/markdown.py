"""Bulletin bodies from Markdown to safe HTML, rendered once per bulletin per build.

A photo with a title becomes a captioned figure, as on ward portals; links to
site paths get the site's base path; raw HTML is cleaned by nh3 so that no
script, event handler or `javascript:` URL reaches a page or a feed.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from typing import Callable, Optional

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from ..vietnamese import nfc

ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "type"},
    "time": {"datetime"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


class FigureProcessor(Treeprocessor):
    """`![alt](src "caption")` alone in a paragraph -> <figure> with <figcaption>."""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for i, child in enumerate(list(parent)):
                if child.tag != "p" or len(child) != 1 or (child.text or "").strip():
                    continue
                img = child[0]
                if img.tag != "img" or (img.tail or "").strip() or not img.get("title"):
                    continue
                figure = etree.Element("figure")
                caption = img.attrib.pop("title")
                img.set("loading", "lazy")
                img.tail = None
                figure.append(img)
                etree.SubElement(figure, "figcaption").text = caption
                figure.tail = child.tail
                parent.remove(child)
                parent.insert(i, figure)


# Python-Markdown's inline patterns (with `extra`), and the characters each needs to match: a text
# holding none of them is left as it is by every one.  A line break is two spaces before a newline.
# `em_strong2` and `not_strong` are the names the emphasis patterns had before Python-Markdown 3.11.
INLINE_MARKS = {
    "backtick": "`", "escape": "\\", "footnote": "[", "reference": "[", "link": "[",
    "image_link": "!", "image_reference": "!", "short_reference": "[", "short_image_ref": "!",
    "autolink": "<", "automail": "<", "linebreak": "", "html": "<", "entity": "&",
    "em_strong": "*_", "em_strong2": "*_", "not_strong": "*_",
}
# `{` opens an attribute list (attr_list); U+0002 and U+0003 enclose Python-Markdown's placeholders.
_MARK_RE = re.compile("[" + re.escape("".join(sorted(set("".join(INLINE_MARKS.values())))) + "{\x02\x03") + "]|  \n")


class PlainTextProcessor(Treeprocessor):
    """Marks each text without any inline mark as done, before the inline patterns run.

    Most of a bulletin is plain sentences, and Python-Markdown tries each of its fifteen inline
    patterns on every text in turn (a third of the Markdown time).  A text that none of them can
    match is passed over as an `AtomicString`, Python-Markdown's own way of saying so: the output
    is the same.  Nothing is marked when a pattern this table does not know is registered, or when
    the body defines abbreviations (they are found in plain words).
    """

    def _applies(self) -> bool:
        patterns = self.md.inlinePatterns
        if len(patterns) != sum(name in patterns for name in INLINE_MARKS):
            return False
        treeprocessors = self.md.treeprocessors
        return "abbr" not in treeprocessors or getattr(treeprocessors["abbr"], "abbrs", True) == {}

    def run(self, root: etree.Element) -> None:
        if not self._applies():
            return
        for el in root.iter():
            text = el.text
            if text and not _MARK_RE.search(text):
                el.text = AtomicString(text)
            tail = el.tail
            if tail and not _MARK_RE.search(tail):
                el.tail = AtomicString(tail)


class SitePathProcessor(Treeprocessor):
    """Root-relative links and images ('/media/a.jpg') follow the site's base path."""

    def __init__(self, md, base_path: str):
        super().__init__(md)
        self.base_path = base_path

    def run(self, root: etree.Element) -> None:
        if self.base_path == "/":
            return
        for el in root.iter():
            for attr in ("src", "href"):
                value = el.get(attr)
                if value and value.startswith("/") and not value.startswith("//"):
                    el.set(attr, self.base_path + value[1:])


class Extension(markdown.Extension):
    def __init__(self, base_path: str = "/", processors: Optional[list[Callable]] = None):
        super().__init__()
        self.base_path = base_path
        self.extra_processors = processors or []

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(PlainTextProcessor(md), "bantin-plain", 21)   # before "inline" (20)
        md.treeprocessors.register(FigureProcessor(md), "bantin-figure", 5)
        md.treeprocessors.register(SitePathProcessor(md, self.base_path), "bantin-paths", 4)
        for priority, factory in enumerate(self.extra_processors):
            md.treeprocessors.register(factory(md), f"bantin-extra-{priority}", 3)


class Renderer:
    """One Markdown instance reused for every bulletin (creating one per page is slow)."""

    def __init__(self, base_path: str = "/", processors: Optional[list[Callable]] = None):
        self.md = markdown.Markdown(
            extensions=["extra", "sane_lists", Extension(base_path, processors)],
            output_format="html",
        )

    def html(self, text: str, chain: tuple = ()) -> str:
        """`chain`: the bulletin's unit and its parents, for processors whose output depends on
        where the bulletin comes from (the address of a local document, see documents.py)."""
        self.md.reset()
        self.md.bantin_chain = chain
        return sanitise(self.md.convert(text))


def sanitise(fragment: str) -> str:
    return nh3.clean(
        fragment,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


_TAG_RE = re.compile(r"<[^>]+>")
_PARA_RE = re.compile(r"<p>(.*?)</p>", re.S)


def first_paragraph(body_html: str) -> str:
    """The lead as plain text: the first paragraph that has words in it."""
    for m in _PARA_RE.finditer(body_html):
        text = " ".join(html.unescape(_TAG_RE.sub("", m.group(1))).split())
        if text:
            return nfc(text)
    return ""


def plain_text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG_RE.sub(" ", fragment)).split())
