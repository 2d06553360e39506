"""What a link to the portal shows when it is shared on Zalo or Facebook: Open Graph and Twitter
card tags, and the plain share links a bulletin offers (no SDK, nothing loaded from those hosts).

Ward news travels by links pasted into Zalo groups; without these tags the link shows no card
and no picture.  The picture is the bulletin's cover cut to 1200×630 by the build (images.py),
or site.yml's image for pages without one.
"""
from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Optional
from urllib.parse import quote, urlencode

LOCALE = "vi_VN"
DESCRIPTION = 300          # what a card shows of a description, at most


@dataclass(frozen=True)
class CardImage:
    """The 1200×630 copy a card shows (site path) and its size."""

    path: str
    width: int
    height: int
    alt: str = ""


@dataclass(frozen=True)
class Card:
    """What a page adds to the site-wide card: an article's dates, section and tags, its own picture."""

    type: str = "website"                  # 'article' for a bulletin
    image: Optional[CardImage] = None      # None: the site's image, when site.yml has one
    published: Optional[datetime] = None
    modified: Optional[datetime] = None
    section: str = ""
    tags: tuple[str, ...] = ()


def _clip(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION:
        return text
    return text[:DESCRIPTION].rsplit(" ", 1)[0] + " …"


def tags(card: Card, title: str, description: str, url: str, site_name: str,
         absolute: Callable[[str], str], default_image: Optional[CardImage] = None) -> str:
    """The <meta> elements of one page, every value escaped; `url` is the page's absolute address."""
    pairs = [("og:type", card.type), ("og:title", title), ("og:description", _clip(description or title)),
             ("og:url", url), ("og:site_name", site_name), ("og:locale", LOCALE)]
    image = card.image or default_image
    if image is not None:
        pairs += [("og:image", absolute(image.path)), ("og:image:width", str(image.width)),
                  ("og:image:height", str(image.height))]
        if image.alt:
            pairs.append(("og:image:alt", image.alt))
    if card.published:
        pairs.append(("article:published_time", card.published.isoformat()))
    if card.modified:
        pairs.append(("article:modified_time", card.modified.isoformat()))
    if card.section:
        pairs.append(("article:section", card.section))
    pairs += [("article:tag", tag) for tag in card.tags]
    names = [("twitter:card", "summary_large_image" if image is not None else "summary"),
             ("twitter:title", title), ("twitter:description", _clip(description or title))]
    if image is not None:
        names.append(("twitter:image", absolute(image.path)))
    out = [f'<meta property="{key}" content="{html.escape(value)}">' for key, value in pairs]
    out += [f'<meta name="{key}" content="{html.escape(value)}">' for key, value in names]
    return "\n  ".join(out)


@dataclass(frozen=True)
class ShareLink:
    name: str
    url: str


def share_links(url: str) -> list[ShareLink]:
    """Plain links to each network's own share page for the absolute address `url`: a reader's
    click leaves the portal; loading the page asks no other host."""
    zalo = base64.b64encode(json.dumps({"url": url}).encode("utf-8")).decode("ascii")
    return [
        ShareLink("Zalo", "https://button-share.zalo.me/share_external?"
                  + urlencode({"layout": "1", "d": zalo, "shareType": "0"})),
        ShareLink("Facebook", "https://www.facebook.com/sharer/sharer.php?u=" + quote(url, safe="")),
    ]
