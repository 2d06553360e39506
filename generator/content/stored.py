"""A bulletin as read, in the form the build cache keeps it: JSON, which holds data and never code.

What comes back from the cache is validated again by the same models, so that an entry
that was damaged, or made by hand to look like one, is never more than data the models
accept; an entry that does not read back is made again from the file.
"""
from __future__ import annotations

import json
from typing import Optional

from .errors import Problem
from .models import Bulletin, Category, FrontMatter, Topic, Unit
from .references import Reference

FORMAT = 2


def _refs(found) -> list:
    return [[r.line, r.field, r.kind, r.target, r.path] for r in found]


def _unrefs(rows) -> list[Reference]:
    return [Reference(int(line), str(field), str(kind), str(target), str(path)) for line, field, kind, target, path in rows]


def dump(bulletin: Optional[Bulletin], problems: list[Problem], found: list) -> bytes:
    """The bulletin (None when it has errors), its problems, and what it refers to either way."""
    record = {"format": FORMAT, "problems": [p.as_dict() for p in problems], "bulletin": None,
              "references": _refs(found)}
    if bulletin is not None:
        record["bulletin"] = {
            "meta": bulletin.meta.model_dump(mode="json", exclude_unset=True),
            "source_path": bulletin.source_path, "slug": bulletin.slug, "url": bulletin.url, "body": bulletin.body,
            "category": bulletin.category.key, "unit": bulletin.unit.key,
            "topics": [[t.key, t.name] for t in bulletin.topics],
            "lines": bulletin.lines,
        }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def load(blob: bytes, context: dict) -> Optional[tuple[Optional[Bulletin], list[Problem], list[Reference]]]:
    """The read result in `blob`, or None when it is not one (the file is then read again)."""
    try:
        record = json.loads(blob)
        if record.get("format") != FORMAT:
            return None
        problems = [Problem(**p) for p in record["problems"]]
        references = _unrefs(record["references"])
        found = record["bulletin"]
        if found is None:
            return None, problems, references
        meta = FrontMatter.model_validate(found["meta"], context=context)
        bulletin = Bulletin(
            meta=meta, source_path=str(found["source_path"]), slug=str(found["slug"]), url=str(found["url"]),
            body=str(found["body"]),
            # Stand-ins until the reader puts the site's own objects in their place.
            category=Category.model_construct(key=str(found["category"]), name=""),
            unit=Unit.model_construct(key=str(found["unit"]), name=""),
            topics=[Topic(key=key, name=name) for key, name in found["topics"]],
            references=references,
            lines={"slug": int(found["lines"]["slug"]), "draft": int(found["lines"]["draft"]),
                   "date": int(found["lines"]["date"]), "meeting": int(found["lines"]["meeting"]),
                   "aliases": [int(n) for n in found["lines"]["aliases"]]},
        )
        if len(bulletin.lines["aliases"]) != len(meta.aliases):
            return None
        return bulletin, problems, references
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
