"""Getting a member site's export: over HTTP with httpx, or from a folder holding a built site.

Each file is asked for conditionally (If-None-Match / If-Modified-Since with what the
last good copy was sent with), within a timeout and a size limit; a member that answers
"not modified" for every page costs one small request a page.  What was fetched is kept
(`Kept`) only once the whole export has been checked, so the last good copy is never
replaced by a bad one.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import urljoin, urlsplit

import httpx

from .. import urls
from .. import __version__ as VERSION
from .models import MAX_PAGES, inside

USER_AGENT = f"Bantin/{VERSION} (federation portal; reads its member sites' exports)"
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)


def same_site(address: str, target: str) -> bool:
    """A redirect the portal follows: the same host (and port), or the same host moved to https.
    Anywhere else (another host, a machine inside the CI's network) is not read on its word."""
    a, b = urlsplit(address), urlsplit(target)
    if a.hostname != b.hostname or b.scheme not in ("http", "https"):
        return False
    return a.port == b.port if a.scheme == b.scheme else (a.scheme, b.scheme, b.port) == ("http", "https", None)


class MemberError(Exception):
    """Why a member's export cannot be used this time, worded for the warning."""


def is_url(source: str) -> bool:
    return urlsplit(source).scheme in ("http", "https")


@dataclass
class Kept:
    """A member's last good export: each page's address, the validators it came with, and its bytes."""

    folder: Optional[Path]
    pages: list[dict] = field(default_factory=list)     # {"url", "etag", "modified", "file"}

    @classmethod
    def load(cls, folder: Optional[Path]) -> "Kept":
        try:
            return cls(folder, json.loads((folder / "pages.json").read_text(encoding="utf-8"))) if folder else cls(None)
        except (OSError, ValueError):
            return cls(folder)

    def of(self, url: str) -> Optional[dict]:
        return next((p for p in self.pages if p["url"] == url), None)

    def body(self, entry: dict) -> Optional[bytes]:
        try:
            return (self.folder / entry["file"]).read_bytes() if self.folder else None
        except (OSError, KeyError, TypeError):
            return None

    def bodies(self) -> list[bytes]:
        return [b for b in map(self.body, self.pages) if b is not None]

    def save(self, fetched: list[tuple[dict, bytes]]) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for n, (entry, body) in enumerate(fetched, 1):
            entry["file"] = f"{n}.json"
            (self.folder / entry["file"]).write_bytes(body)
        (self.folder / "pages.json").write_text(json.dumps([e for e, _ in fetched]), encoding="utf-8")
        self.pages = [e for e, _ in fetched]


class Reader:
    """Reads the pages of one member's export, first to last by `next_url`."""

    def __init__(self, source: str, kept: Kept, timeout: float, max_bytes: int, client: Optional[httpx.Client] = None):
        self.source, self.kept = source, kept
        self.timeout, self.max_bytes = timeout, max_bytes
        self.client = client
        self.site_url: Optional[str] = None
        self.moved: Optional[str] = None     # where a page said, for good, that it now lives

    def base(self) -> str:
        return self.source if self.source.endswith("/") else self.source + "/"

    def start(self) -> str:
        return urljoin(self.base(), urls.export_page(1)) if is_url(self.source) else urls.export_page(1)

    def pages(self) -> list[tuple[dict, bytes]]:
        """(entry, bytes) of every page; stops at MAX_PAGES, at a loop, at an address off the site."""
        out, seen, address = [], set(), self.start()
        deadline = time.monotonic() + self.timeout * 10
        while address:
            if address in seen or len(out) >= MAX_PAGES:
                raise MemberError(f"next_url goes round or past {MAX_PAGES} pages ({address})")
            if time.monotonic() > deadline:
                raise MemberError(f"the export took more than {self.timeout * 10:.0f} s")
            seen.add(address)
            entry, body = self.get(address)
            out.append((entry, body))
            try:
                data = json.loads(body)
                following = data.get("next_url") if isinstance(data, dict) else None
                self.site_url = self.site_url or ((data.get("_bantin") or {}).get("site_url"))
            except (ValueError, AttributeError):
                raise MemberError(f"{address}: not JSON") from None
            address = self.next_address(following) if following else None
        return out

    def next_address(self, following) -> str:
        if not isinstance(following, str) or not isinstance(self.site_url, str) or not inside(following, self.site_url):
            raise MemberError(f"next_url {str(following)[:200]!r} is outside the site {self.site_url}")
        # The same path where the member is read from (a built folder, or an address of its own
        # such as a host inside the CI's network): its site_url names where readers find it.
        path = urls.normal(urlsplit(following).path[len(urlsplit(self.site_url).path.rstrip("/")) + 1:])   # no '..' out
        return urljoin(self.base(), path) if is_url(self.source) else path

    def get(self, address: str) -> tuple[dict, bytes]:
        if not is_url(self.source):
            path = (Path(self.source) / address)
            try:
                if path.stat().st_size > self.max_bytes:
                    raise MemberError(f"{address}: larger than {self.max_bytes} bytes")
                return {"url": address}, path.read_bytes()
            except OSError as exc:
                raise MemberError(f"{address}: {exc.strerror or exc}") from None
        before = self.kept.of(address) or {}
        headers = {"User-Agent": USER_AGENT, "Accept": "application/feed+json, application/json"}
        if before.get("etag"):
            headers["If-None-Match"] = before["etag"]
        if before.get("modified"):
            headers["If-Modified-Since"] = before["modified"]
        asked = address
        for _ in range(MAX_REDIRECTS + 1):
            entry, body, target = self.answer(address, before, headers)
            if target is None:
                return {**entry, "url": asked}, body    # kept under the address the portal asks
            if not same_site(address, target):
                raise MemberError(f"{address}: redirected to {target[:200]}, another site (not followed)")
            address = target
        raise MemberError(f"{address}: more than {MAX_REDIRECTS} redirects")

    def answer(self, address: str, before: dict, headers: dict) -> tuple[dict, bytes, Optional[str]]:
        """(entry, body, None) for a page, or (..., where it moved) for a redirect."""
        try:
            with self.client.stream("GET", address, headers=headers, timeout=self.timeout) as response:
                if response.status_code in REDIRECTS and response.headers.get("Location"):
                    target = urljoin(address, response.headers["Location"])
                    if response.status_code in (301, 308):
                        self.moved = target
                    return {}, b"", target
                if response.status_code == 304 and before:
                    body = self.kept.body(before)
                    if body is not None:
                        return before, body, None
                if response.status_code != 200:
                    raise MemberError(f"{address}: HTTP {response.status_code}")
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise MemberError(f"{address}: {declared} bytes, more than the limit of {self.max_bytes}")
                chunks, size, ends = [], 0, time.monotonic() + self.timeout
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise MemberError(f"{address}: more than the limit of {self.max_bytes} bytes")
                    if time.monotonic() > ends:
                        raise MemberError(f"{address}: took more than {self.timeout:g} s")
                    chunks.append(chunk)
                entry = {"url": address, "etag": response.headers.get("ETag"),
                         "modified": response.headers.get("Last-Modified")}
                return entry, b"".join(chunks), None
        except httpx.TimeoutException:
            raise MemberError(f"{address}: no answer within {self.timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise MemberError(f"{address}: {type(exc).__name__} {exc}") from None
