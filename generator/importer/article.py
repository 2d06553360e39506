"""What every kind of source is read into: one article, as its old portal showed it.

Feeds, HTML pages, WordPress exports and plain text differ only up to here;
the record, the photos and the bulletin file are made from an `Article`
alone, so each rule is written once for all of them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

PARAGRAPH, ITEM, HEADING, FIGURE = "p", "li", "h", "figure"


@dataclass
class Block:
    """A paragraph, a list item, a subheading, or a photo with its caption (`text`)."""

    kind: str
    text: str = ""
    src: str = ""            # a photo: its address as the source gives it ('' when the source has none)
    alt: str = ""


@dataclass
class Evidence:
    """One field as read, with the words it was read from: what the report shows an editor."""

    field: str
    value: object
    sentence: str
    note: str = ""


@dataclass
class Article:
    address: str                        # where it came from: a URL, or a file path; becomes imported_from
    kind: str                           # 'feed', 'html', 'wxr' or 'text'
    title: str = ""
    published: Optional[datetime] = None
    blocks: list[Block] = field(default_factory=list)
    section: Optional[str] = None       # the old portal's section, for the category mapping
    author: Optional[str] = None
    source: Optional[str] = None
    tags: list[str] = field(default_factory=list)
    cover: Optional[Block] = None       # a featured photo outside the text (WordPress)
    old_url: Optional[str] = None       # the page's address on the old portal, for the alias
    photo_base: str = ""                # what relative photo addresses are relative to (a URL or a file)
    root: str = ""                      # a local source's folder: no photo is read from outside it
    remote: bool = False                # read over the network: its photos may be fetched too
    found: list[Evidence] = field(default_factory=list)
    review: list[str] = field(default_factory=list)

    def note(self, field_name: str, value, sentence: str, note: str = "") -> None:
        self.found.append(Evidence(field_name, value, sentence, note))

    @property
    def paragraphs(self) -> list[Block]:
        """The running text, without photo captions and subheadings."""
        return [b for b in self.blocks if b.kind in (PARAGRAPH, ITEM)]
