"""The site's own data: units, categories, topics (and, when there is one, people.yml), and the
agency that runs the portal (site.yml: a mapping, not a list).

Read and validated as a whole before any bulletin: an empty list of units or categories
would drop every bulletin without a word, a parent that is not declared or a circle of
parents would hide units from the search filter; each is an error at its line.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from pydantic import BaseModel

from ..cache import digest
from .errors import suggest
from . import references
from .models import Agency, Category, PersonEntry, Topic, Unit
from .paths import PHOTOS, Refusal
from .yamlfile import Located, child

FILES = ("units.yml", "categories.yml", "topics.yml", "people.yml", "site.yml")
# What a bulletin loses without the file's entries, for the message.
_WHAT = {"units.yml": ("đơn vị", "phuong-ngoc-thuy"), "categories.yml": ("chuyên mục", "tin-tuc-su-kien")}


@dataclass
class SiteData:
    units: dict[str, Unit] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    topics_declared: bool = False
    people: list[PersonEntry] = field(default_factory=list)     # merges and splits made by hand
    agency: Optional[Agency] = None     # site.yml: who runs the portal, for the footer and schema.org
    image: str = ""                     # content path of the agency's share image, checked
    digest: str = ""          # of the files: a bulletin read against other data is read again

    def chain(self, unit: Optional[Unit]) -> tuple[tuple[str, str], ...]:
        """(key, level) of a unit and its parents, nearest first: what local addresses depend on."""
        return tuple((u.key, u.level) for u in self.ancestors(unit, include_self=True)) if unit else ()

    def ancestors(self, unit: Unit, include_self: bool = False) -> list[Unit]:
        """The unit's chain of parents, nearest first (site data has no circles: see `read`)."""
        chain, seen = ([unit] if include_self else []), {unit.key}
        while unit.parent and unit.parent in self.units and unit.parent not in seen:
            unit = self.units[unit.parent]
            seen.add(unit.key)
            chain.append(unit)
        return chain


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"-"


def read(reader) -> SiteData:
    """Every site-data file, through `reader` (which parses files and records problems)."""
    data = SiteData()
    units, unit_lines = _entries(reader, "units.yml", Unit, required=True)
    data.categories, _ = _entries(reader, "categories.yml", Category, required=True)
    data.topics, _ = _entries(reader, "topics.yml", Topic, required=False)
    people, _ = _entries(reader, "people.yml", PersonEntry, required=False, keyed=False)
    data.people = [entry for entry, _ in people.values()]
    data.units = units
    data.agency, data.image = _agency(reader)
    data.topics_declared = (reader.root / "topics.yml").exists()
    data.digest = digest(*(_bytes(reader.root / name) for name in FILES))
    _check_parents(reader, units, unit_lines)
    for entry, located in people.values():
        for i, key in enumerate(entry.units):
            if key not in units:
                reader.problem(reader.root / "people.yml", located.line(("units", i)), f"units[{i}]",
                               "unknown_unit", value=key, expected_key="known", file="units.yml",
                               choices=", ".join(sorted(units)) or "-")
    return data


def _agency(reader) -> tuple[Optional[Agency], str]:
    """site.yml, when there is one: the agency's details, and its share image checked as a cover is."""
    path = reader.root / "site.yml"
    if not path.exists() and not path.is_symlink():
        return None, ""
    parsed = reader.parse(path)
    if parsed is None:
        return None, ""
    located = parsed[0]
    if not isinstance(located.data, dict):
        reader.problem(path, located.line(), "", "data.mapping")
        return None, ""
    agency = reader.validate(path, Agency, located)
    if agency is None or not agency.image:
        return agency, ""
    line = located.line(("image",))
    try:
        ref = references.check(line, "image", "cover", agency.image)
        if posixpath.splitext(ref.path)[1].lower() not in PHOTOS:
            raise Refusal("file.kind", ref.path)
        reader.files.publishable(ref.path)
    except Refusal as refusal:
        reader.refusal(path, line, "image", refusal)
        return agency, ""
    return agency, ref.path


def _entries(reader, name: str, model: type[BaseModel], required: bool, keyed: bool = True):
    """(entries by key, or (entry, located) by index when not keyed; the located node of each key)."""
    path = reader.root / name
    if not path.exists() and not path.is_symlink():
        if required:
            reader.problem(path, 1, "", "missing_file", file=name)
        return {}, {}
    parsed = reader.parse(path)
    if parsed is None:
        return {}, {}
    located = parsed[0]
    items = located.data if located.data is not None else []
    if not isinstance(items, list):
        reader.problem(path, located.line(), "", "data.list")
        return {}, {}
    entries: dict = {}
    lines: dict[str, Located] = {}
    for i, item in enumerate(items):
        node = child(located.node, i)[1]
        entry_at = Located(item, node, located.offset)
        entry = reader.validate(path, model, entry_at)
        if entry is None:
            continue
        if not keyed:
            entries[i] = (entry, entry_at)
            continue
        if entry.key in entries:
            first = lines[entry.key].line(("key",))
            reader.problem(path, entry_at.line(("key",)), f"[{i}].key", "duplicate_entry", value=entry.key, line=first)
            continue
        entries[entry.key] = entry
        lines[entry.key] = entry_at
    if required and not entries and not any(p.path == reader.rel(path) for p in reader.problems):
        what, example = _WHAT[name]
        reader.problem(path, located.line(), "", "data.empty", file=name, what=what, example=example)
    return entries, lines


def _check_parents(reader, units: dict[str, Unit], lines: dict[str, Located]) -> None:
    path = reader.root / "units.yml"
    choices = ", ".join(sorted(units)) or "-"
    for key, unit in units.items():
        if not unit.parent:
            continue
        line = lines[key].line(("parent",))
        if unit.parent == key:
            reader.problem(path, line, "parent", "self_parent", value=key)
        elif unit.parent not in units:
            close = suggest(unit.parent, units)
            if close:
                reader.problem(path, line, "parent", "unknown_parent", value=unit.parent, expected_key="known.suggest",
                               suggestion=close, file="units.yml", choices=choices)
            else:
                reader.problem(path, line, "parent", "unknown_parent", value=unit.parent, choices=choices)
    reported: set[str] = set()
    for key in units:
        chain, current = [key], units[key].parent
        while current in units and current not in chain and current != key:
            chain.append(current)
            current = units[current].parent
        if current == key and len(chain) > 1 and not reported & set(chain):
            reported.update(chain)
            cycle = " → ".join(chain + [key])
            reader.problem(path, lines[key].line(("parent",)), "parent", "parent_cycle", cycle=cycle)


def scope(data: SiteData, unit: Unit, levels: tuple[str, ...]) -> Optional[Unit]:
    """The nearest of the unit and its parents whose level is one of `levels`."""
    return next((u for u in data.ancestors(unit, include_self=True) if u.level in levels), None)
