"""A federation portal: a Bantin site that also shows its member sites' bulletins.

`read` is a reader stage: every member's export (jsonfeed.py) fetched (fetch.py) and
checked as untrusted input (models.py); a member whose export is refused this time is
used as it was last time it was good, with a warning naming it and what was wrong, and
bad data is never published.  `merge.join` then puts the members' bulletins, units,
categories and topics into the same typed models the rest of the build works on.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Optional

import httpx
from pydantic import ValidationError

from ..cache import digest
from ..config import Settings
from .fetch import Kept, MemberError, Reader, USER_AGENT
from .merge import Member, join
from .models import Page, check

__all__ = ["Member", "join", "read"]
log = logging.getLogger("bantin")


def parse(bodies: list[bytes]) -> list[Page]:
    """Each page checked against the models; the first problem found is the member's error."""
    pages = []
    for n, body in enumerate(bodies, 1):
        try:
            pages.append(Page.model_validate(json.loads(body)))
        except ValueError as exc:
            first = exc.errors()[0] if isinstance(exc, ValidationError) and exc.errors() else None
            where = ".".join(str(p) for p in first["loc"]) if first else ""
            raise MemberError(f"page {n}: {where} {first['msg'] if first else 'not JSON'}".strip()) from None
    if not pages:
        raise MemberError("no page")
    problems = check(pages, pages[0].bantin.site_url)
    if problems:
        raise MemberError("; ".join(problems[:3]))
    return pages


def read_member(source: str, kept: Kept, settings: Settings, client: httpx.Client) -> Optional[Member]:
    """The member's export now, or its last good copy (with a warning), or None (with a warning)."""
    reader = Reader(source, kept, settings.member_timeout, settings.member_max_bytes, client)
    try:
        fetched = reader.pages()
        pages = parse([body for _, body in fetched])
        kept.save(fetched)
        if reader.moved:
            log.warning("Thành viên %s đã chuyển hẳn đến %s: sửa địa chỉ này trong `members` của mkdocs.yml "
                        "(the member has moved for good)", source, reader.moved)
        return Member(source, pages[0].bantin.site_url, pages)
    except MemberError as exc:
        problem = str(exc)
    try:
        pages = parse(kept.bodies())
    except MemberError:
        log.warning("Thành viên %s: %s; chưa có bản tốt nào trước đó, tin của thành viên này không có trên cổng "
                    "(member left out: no good copy yet)", source, problem)
        return None
    log.warning("Thành viên %s: %s; dùng bản tốt gần nhất (member's last good copy used)", source, problem)
    return Member(source, pages[0].bantin.site_url, pages, fresh=False)


def read(settings: Settings) -> list[Member]:
    """Every configured member, in the order of the settings; each one's warning said once."""
    folder: Optional[Path] = settings.cache_dir / "members" if settings.cache_dir else None
    out = []
    with httpx.Client(follow_redirects=False, headers={"User-Agent": USER_AGENT}) as client:
        for source in settings.members:
            kept = Kept.load(folder / digest(source)[:16] if folder else None)
            member = read_member(source, kept, settings, client)
            if member is not None:
                out.append(member)
    return out
