"""Getting the bytes of a source: files as they are, URLs politely.

Over the network the importer says who it is (a User-Agent naming Bantin),
asks robots.txt first and keeps to it, waits between two requests to one
host (longer if robots.txt asks), gives up after a timeout, and reads no more
than a page or a photo can reasonably weigh.  Nothing else in the importer
opens a connection.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Optional
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx
from charset_normalizer import from_bytes

from .. import __version__ as VERSION

USER_AGENT = f"Bantin/{VERSION} (bantin import; reads an old portal's bulletins for a new one)"   # ASCII: an HTTP header
TIMEOUT = 20.0
DELAY = 1.0
MAX_BYTES = 30 * 1024 * 1024


class FetchError(Exception):
    """A source or a photo that could not be had, worded for the report."""


def decode(raw: bytes) -> str:
    """Text of a file: UTF-8 (with or without BOM) as most are, else what charset_normalizer finds
    (old portals saved pages in windows-1258 or TCVN3-era code pages)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(raw).best()
        if best is None:
            raise FetchError("không đọc được chữ trong tệp (không phải văn bản UTF-8)") from None
        return str(best)


def is_url(text: str) -> bool:
    return urlsplit(text).scheme in ("http", "https")


@dataclass
class Response:
    url: str                # after redirects
    content: bytes
    content_type: str


class Fetcher:
    """One polite HTTP client for a whole import."""

    def __init__(self, delay: float = DELAY, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES):
        self.delay = delay
        self.max_bytes = max_bytes
        self._client: Optional[httpx.Client] = None
        self._timeout = timeout
        self._robots: dict[str, Optional[RobotFileParser]] = {}
        self._last: dict[str, float] = {}
        self.requests = 0

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=httpx.Timeout(self._timeout, connect=min(10.0, self._timeout)),
                                        headers={"User-Agent": USER_AGENT}, follow_redirects=True)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def _wait(self, host: str, extra: float = 0.0) -> None:
        pause = max(self.delay, extra)
        last = self._last.get(host)
        if last is not None and pause > 0:
            left = last + pause - time.monotonic()
            if left > 0:
                time.sleep(left)
        self._last[host] = time.monotonic()

    def _robots_for(self, url: str) -> Optional[RobotFileParser]:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            rules = RobotFileParser(origin + "/robots.txt")
            try:
                self._wait(parts.netloc)
                self.requests += 1
                answer = self.client.get(origin + "/robots.txt")
            except httpx.HTTPError:
                rules.disallow_all = True          # cannot ask: do not go in
            else:
                if answer.status_code in (401, 403) or answer.status_code >= 500:
                    rules.disallow_all = True
                elif answer.status_code >= 400:
                    rules.allow_all = True
                else:
                    rules.parse(answer.text.splitlines())
            self._robots[origin] = rules
        return self._robots[origin]

    def get(self, url: str) -> Response:
        rules = self._robots_for(url)
        if not rules.can_fetch(USER_AGENT, url):
            raise FetchError(f"robots.txt của {urlsplit(url).netloc} không cho phép đọc {url}")
        crawl_delay = rules.crawl_delay(USER_AGENT) or 0
        self._wait(urlsplit(url).netloc, float(crawl_delay))
        self.requests += 1
        try:
            with self.client.stream("GET", url) as answer:
                if answer.status_code >= 400:
                    raise FetchError(f"{url}: máy chủ trả lời {answer.status_code}")
                chunks, size = [], 0
                for chunk in answer.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(f"{url}: quá {self.max_bytes // (1024 * 1024)} MB, bỏ qua")
                    chunks.append(chunk)
                return Response(str(answer.url), b"".join(chunks), answer.headers.get("content-type", ""))
        except httpx.TimeoutException:
            raise FetchError(f"{url}: quá {self._timeout:g} giây không trả lời") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: không kết nối được ({exc.__class__.__name__})") from None
