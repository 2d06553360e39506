"""YAML as editors write it: read with its node tree kept, by YAML 1.2's core rules, bounded.

- Every value keeps its line, so that a problem found later is pinned to where it is.
- Plain scalars resolve by YAML 1.2's core schema, not PyYAML's YAML 1.1: `12:30` is text,
  not the sexagesimal 750; `yes`, `on` and `1_000` are text.  A number keeps the text it
  was written as (`SourceInt`, `SourceFloat`), so that a field meant as text ('010',
  '1.50') shows what the editor typed.  Dates stay text: the models read them in the
  site's time zone.
- Anchors and aliases (`&a`, `*a`, `<<:`) have no use in a bulletin and let 600 bytes
  stand for millions of values: they are refused before anything is built from them, as
  are two equal keys in one mapping and nesting deeper than any bulletin needs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Optional

import yaml

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 12           # bulletin -> opinion -> concerns -> [i] -> response -> status is 6


class SourceInt(int):
    """An integer that remembers how it was written."""

    source: str


class SourceFloat(float):
    """A number with a fraction that remembers how it was written."""

    source: str


class Loader(_BaseLoader):
    """Safe YAML, resolved by the YAML 1.2 core schema; numbers keep their source text."""


# The core schema of YAML 1.2 (section 10.3), in place of PyYAML's YAML 1.1 resolvers.
Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+.0123456789")),
):
    Loader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


def _construct_int(loader: Loader, node: yaml.ScalarNode) -> SourceInt:
    text = node.value
    sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text.lstrip("+"))
    base = 8 if digits.startswith("0o") else 16 if digits.startswith("0x") else 10
    value = SourceInt(sign * int(digits[2:] if base != 10 else digits, base))
    value.source = text
    return value


def _construct_float(loader: Loader, node: yaml.ScalarNode) -> SourceFloat:
    text = node.value
    value = SourceFloat(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
    value.source = text
    return value


def _construct_bool(loader: Loader, node: yaml.ScalarNode) -> bool:
    return node.value.lower() == "true"


Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)


def source_text(value: Any) -> Any:
    """A number as the editor wrote it; anything else as it is."""
    return getattr(value, "source", value)


# --------------------------------------------------------------- positions

@dataclass
class Located:
    """Parsed YAML plus its node tree, to turn a field path into a line."""

    data: Any
    node: Optional[yaml.Node]
    offset: int  # file line of the YAML text's first line, minus one

    def line(self, loc: Iterable = ()) -> int:
        node = self.node
        if node is None:
            return self.offset + 1
        for part in loc:
            found = child(node, part)
            if found is None:
                break
            key_node, node = found
        return node.start_mark.line + 1 + self.offset

    def key_line(self, key: str) -> Optional[int]:
        """The line of a key of the top mapping, or None when it is not there."""
        found = child(self.node, key) if self.node is not None else None
        return found[0].start_mark.line + 1 + self.offset if found and found[0] is not None else None


def child(node: yaml.Node, part):
    """(key node, value node) of a mapping's key, or (None, item) of a sequence's index; None if absent."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == part:
                return key_node, value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


@dataclass(frozen=True)
class Flaw:
    """Something in the node tree that stops a file from being read: `kind` is 'alias',
    'duplicate', 'depth' or 'key' (a key that is not text); `path` the field path, `line`
    0-based in the YAML text."""

    kind: str
    path: tuple
    line: int


def flaws(root: yaml.Node) -> Iterator[Flaw]:
    """Aliases, equal keys and too deep nesting, each node visited once (a node met twice is an alias)."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, tuple]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            yield Flaw("alias", path, node.start_mark.line)
            continue
        seen.add(id(node))
        if len(path) > MAX_DEPTH:
            yield Flaw("depth", path, node.start_mark.line)
            continue
        if isinstance(node, yaml.MappingNode):
            keys: set = set()
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):      # `? [a, b]: c`: no field is named so
                    yield Flaw("key", path, key_node.start_mark.line)
                    continue
                if key_node.value in keys:
                    yield Flaw("duplicate", path + (key_node.value,), key_node.start_mark.line)
                keys.add(key_node.value)
                stack.append((value_node, path + (key_node.value,)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, path + (i,)) for i, item in reversed(list(enumerate(node.value))))


def compose(text: str) -> Optional[yaml.Node]:
    """The node tree of one YAML document (None when empty); raises yaml.YAMLError."""
    loader = Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def construct(node: Optional[yaml.Node], offset: int = 0) -> Located:
    """The data of a node tree that `flaws` passed."""
    if node is None:
        return Located(None, None, offset)
    loader = Loader("")
    try:
        return Located(loader.construct_document(node), node, offset)
    finally:
        loader.dispose()
