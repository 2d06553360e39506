"""Old addresses (`aliases`): a redirect may only stand where nothing else of the site is.

An alias becomes a file of the site, so it is checked as strictly as any output path:
a path on this site (no scheme, host, '..', '//' or backslash), not the home page, not
a place the site writes itself (a listing, a register, a feed: urls.owner), and not an
address another bulletin already has, new or old.  An address with a query string
(`chitiettintuc.aspx?ID=316976`) is refused with the reason: a static host serves files
by path and cannot tell such addresses apart.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional
from urllib.parse import unquote, urlsplit

from .. import urls
from .paths import Refusal


def alias_path(alias: str) -> str:
    """The site path an alias redirects from ('/tin-tuc/cu.html' -> 'tin-tuc/cu.html'); raises Refusal."""
    text = alias.strip()
    if not text.startswith("/"):
        raise Refusal("alias.start", text)
    parts = urlsplit(text)
    if parts.query or text.endswith("?"):
        raise Refusal("alias.query", text)
    if parts.scheme or parts.netloc or parts.fragment or text.startswith("//") or "\\" in text:
        raise Refusal("alias.shape", text)
    path = unquote(parts.path)
    segments = path.strip("/").split("/")
    if path.strip("/") == "":
        raise Refusal("alias.home", text)
    if any(s in ("", ".", "..") for s in segments) or any(ord(c) < 32 for c in path):
        raise Refusal("alias.shape", text)
    return urls.normal(path.lstrip("/"))


@dataclass(frozen=True)
class Claim:
    """An address and who has it: a bulletin's own ('bulletin'), an old one ('alias'), a page ('page')."""

    path: str          # the file written there, e.g. 'tin-tuc/cu.html' or '2022/11/slug/index.html'
    what: str
    source: str        # the content file that claims it
    line: int
    field: str = ""


def collisions(claims: Iterable[Claim]) -> list[tuple[Claim, Claim]]:
    """(later claim, the claim it collides with), in a stable order: the first claim of an address keeps it."""
    order = {"bulletin": 0, "page": 1, "alias": 2}
    first: dict[str, Claim] = {}
    out = []
    for claim in sorted(claims, key=lambda c: (order[c.what], c.source, c.line)):
        taken: Optional[Claim] = first.get(claim.path)
        if taken is None:
            first[claim.path] = claim
        elif not (taken.source == claim.source and taken.what == claim.what == "alias"):
            out.append((claim, taken))
    return out
