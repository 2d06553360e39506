"""Reading editors' files into validated content objects.

The reader is the only place that sees raw YAML.  It keeps the YAML node tree
beside the parsed data so that every problem pydantic finds can be pinned to
the line an editor has to fix, and it reports all problems of all files at
once.
"""
from __future__ import annotations

import os
import pickle
import time
import typing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Optional
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ValidationError

from ..cache import Store, code_version, digest
from ..parallel import fork_map
from ..vietnamese import nfc, slugify
from .errors import ERROR, WARNING, ContentError, Messages, Problem, messages
from .history import last_changes
from .models import Bulletin, Category, FrontMatter, Topic, Unit

BULLETIN_SUFFIXES = {".md", ".markdown", ".yml", ".yaml"}
TITLE_LIMIT = 150

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):
    """Safe YAML that leaves dates as text: we parse them ourselves, in the site's zone."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


# --------------------------------------------------------------- YAML with positions

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
            child = _child(node, part)
            if child is None:
                break
            key_node, node = child
            if key_node is not None and node is None:
                node = key_node
                break
        return node.start_mark.line + 1 + self.offset


def _child(node: yaml.Node, part):
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == part:
                return key_node, value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


def _duplicate_keys(node: yaml.Node, path: tuple = ()):
    """PyYAML keeps the last of two equal keys without a word; editors need to hear of it."""
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            if key_node.value in seen:
                yield path + (key_node.value,), key_node.start_mark.line
            seen.add(key_node.value)
            yield from _duplicate_keys(value_node, path + (key_node.value,))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _duplicate_keys(item, path + (i,))


def load_yaml(text: str, offset: int = 0) -> Located:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return Located(data, node, offset)


def decode(raw: bytes) -> str:
    """UTF-8 with or without BOM, any line ends, NFC."""
    text = raw.decode("utf-8-sig")
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))


def split_front_matter(text: str) -> Optional[tuple[str, str, int]]:
    """Return (yaml, body, line where the body starts) or None."""
    if not text.startswith("---\n"):
        return None
    end = -1
    for marker in ("\n---\n", "\n...\n"):
        pos = text.find(marker, 3)
        if pos != -1 and (end == -1 or pos < end):
            end = pos
    if end == -1:
        if text.endswith("\n---") or text.endswith("\n..."):
            end = len(text) - 4
        else:
            return None
    head = text[4:end + 1]
    body = text[end + 5:]
    return head, body, head.count("\n") + 3


# --------------------------------------------------------------- problem wording

# Words of PyYAML's problems (C and Python loaders) -> message keys in errors.py.
_YAML_HINTS = (
    ("mapping values are not allowed", "yaml.colon"),
    ("tab character", "yaml.tab"),
    ("flow sequence", "yaml.list"),
    ("flow mapping", "yaml.group"),
    ("quoted scalar", "yaml.quote"),
    ("block mapping", "yaml.indent"),
    ("expected key", "yaml.indent"),
)

_TYPE_KEYS = {
    "missing": "missing",
    "extra_forbidden": "extra",
    "string_type": "string",
    "int_type": "int",
    "int_parsing": "int",
    "int_from_float": "int",
    "greater_than_equal": "int.min",
    "bool_type": "bool",
    "bool_parsing": "bool",
    "list_type": "list",
    "model_type": "dict",
    "model_attributes_type": "dict",
    "dict_type": "dict",
    "literal_error": "choice",
    "string_too_short": "empty",
    "string_pattern_mismatch": "slug",
}


def _model_at(model: type[BaseModel], loc: tuple) -> Optional[type[BaseModel]]:
    """The model class that owns the last part of a pydantic error location."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = _inner_model(current.model_fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _field_name(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def describe(error: dict, model: type[BaseModel], msg: Messages) -> tuple[str, str]:
    """(what is wrong, what was expected) for one pydantic error, in the editor's words."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    key = _TYPE_KEYS.get(kind, kind)
    value = ctx.get("value", error.get("input"))
    if key in ("date", "day", "period"):
        return msg(key, value=value), msg(f"{key}.expected")
    if key == "extra":
        owner = _model_at(model, tuple(error["loc"]))
        allowed = ", ".join(owner.model_fields) if owner else ""
        return msg("extra"), msg("extra.expected", allowed=allowed) if allowed else ""
    if key == "choice":
        choices = str(ctx.get("expected", "")).replace(" or ", ", ")  # pydantic's English 'a, b or c'
        return msg("choice") + f": {value!r}", msg("choice.expected", choices=choices)
    if key in msg.table:
        return msg(key), ""
    return msg("invalid"), error.get("msg", "")


# --------------------------------------------------------------- the reader

@dataclass
class SiteData:
    units: dict[str, Unit] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    topics_declared: bool = False
    digest: str = ""          # of the three files: a bulletin read against other data is read again


@dataclass
class ContentSet:
    """Everything the reader found: what to publish, what was held back, and what is wrong."""

    data: SiteData
    bulletins: list[Bulletin]
    held_back: list[Bulletin]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"-"


RACY_NS = 2_000_000_000      # a file changed this recently may change again within the same clock tick


def _signature(path: Path) -> Optional[tuple]:
    """Size, times and inode of a file, to know it unchanged without reading it; None for a
    file changed in the last two seconds, whose times cannot yet tell two versions apart."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


class Reader:
    """Reads `content/`: site data first, then every bulletin file under `bulletins/`."""

    def __init__(self, content_dir: str | os.PathLike, *, timezone: str = "Asia/Ho_Chi_Minh",
                 language: str = "vi", now: Optional[datetime] = None,
                 drafts: bool = False, future: bool = False, history: bool = True,
                 store: Optional[Store] = None, memo: Optional[dict] = None, jobs: int = 0):
        self.root = Path(content_dir)
        self.tz = ZoneInfo(timezone)
        self.language = language
        self.msg = messages(language)
        self.now = now or datetime.now(self.tz)
        self.drafts = drafts
        self.future = future
        self.history = history      # `updated` from git when a bulletin does not say
        self.problems: list[Problem] = []
        self._url_lines: dict[str, int] = {}  # source path -> line of its slug (or title)
        # Bulletins read before: on disk between builds (`store`), in memory while serving (`memo`,
        # source path -> (key, result)); a key names the file's bytes and all else the result depends on.
        self.store = store or Store(None)
        self.memo = memo if memo is not None else {}
        self.jobs = jobs             # processes for files not read before; 0: one per core
        self._prefix = os.path.join(str(self.root.parent), "")

    # -- public

    def read(self) -> ContentSet:
        self.problems = []
        data = self.read_site_data()
        published, held_back, undated = [], [], {}
        for path, (bulletin, problems, url_line) in self._read_all(data):
            self.problems.extend(problems)
            if url_line is not None:
                self._url_lines[self._rel(path)] = url_line
            if bulletin is None:
                continue
            bulletin.category = data.categories[bulletin.category.key]
            bulletin.unit = data.units[bulletin.unit.key]
            bulletin.topics = [data.topics.get(t.key, t) for t in bulletin.topics]
            bulletin.updated = bulletin.meta.updated
            bulletin.scheduled = bulletin.meta.date > self.now
            if bulletin.updated is None:
                undated[path] = bulletin
            visible = (self.drafts or not bulletin.draft) and (self.future or not bulletin.scheduled)
            (published if visible else held_back).append(bulletin)
        self._check_unique_urls(published + held_back)
        if self.history:
            self._updated_from_git(undated)
        published.sort(key=lambda b: b.sort_key, reverse=True)
        return ContentSet(data, published, held_back, sorted(self.problems))

    def _read_all(self, data: SiteData) -> list[tuple[Path, tuple]]:
        """(path, (bulletin or None, its problems, line of its address)) for every bulletin file.

        Unchanged files come from memory or the store; the rest are read, in forked
        processes when there are many (a child's result comes back pickled, as it is stored).
        """
        context = digest(code_version(), data.digest, self.tz.key, self.language, self.root.resolve())
        results: dict[Path, tuple] = {}
        missing: list[tuple[Path, str]] = []
        signatures: dict[Path, Optional[tuple]] = {}
        for path in self.bulletin_paths():
            known = self.memo.get(path)
            signature = signatures[path] = _signature(path)
            if known is not None and signature is not None and known[2:] == (signature, context):
                results[path] = known[1]      # the same file as last time, by its size and times
                continue
            try:
                key = digest(context, self._rel(path), path.read_bytes())
            except OSError:
                key = ""
            if known is not None and key and known[0] == key:
                results[path] = known[1]
                self.memo[path] = (key, known[1], signature, context)
                continue
            cached = self.store.get_object("read", key)
            if cached is not None:
                results[path] = cached
                self.memo[path] = (key, cached, signature, context)
                continue
            missing.append((path, key))
        fresh, _ = fork_map(lambda paths: [self._read_pickled(path, data) for path in paths],
                            [path for path, _ in missing], self.jobs)
        with self.store.batch():
            for (path, key), blob in zip(missing, fresh):
                self.store.put("read", key, blob)
                results[path] = pickle.loads(blob)
                if key:
                    self.memo[path] = (key, results[path], signatures[path], context)
        return sorted(results.items())

    def _read_pickled(self, path: Path, data: SiteData) -> bytes:
        before = len(self.problems)
        bulletin = self.read_bulletin(path, data)
        problems = self.problems[before:]
        del self.problems[before:]
        url_line = self._url_lines.pop(self._rel(path), None)
        return pickle.dumps((bulletin, problems, url_line), protocol=pickle.HIGHEST_PROTOCOL)

    def read_or_raise(self) -> ContentSet:
        result = self.read()
        if result.errors:
            raise ContentError(result.errors, self.language)
        return result

    def bulletin_paths(self) -> list[Path]:
        base = self.root / "bulletins"
        if not base.is_dir():
            return []
        found = []
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            folder = Path(dirpath)
            found.extend(folder / f for f in sorted(filenames)
                         if os.path.splitext(f)[1].lower() in BULLETIN_SUFFIXES and not f.startswith("."))
        return found

    # -- problems

    def _rel(self, path: Path) -> str:
        text, prefix = str(path), self._prefix
        if text.startswith(prefix):     # a string cut: pathlib's relative_to costs seconds at 10,000 files
            return text[len(prefix):].replace(os.sep, "/")
        return path.as_posix()

    def add(self, path: Path, line: int, field_name: str, message: str, expected: str = "",
            severity: str = ERROR) -> None:
        self.problems.append(Problem(self._rel(path), line, field_name, message, expected, severity))

    def _validate(self, path: Path, model: type[BaseModel], located: Located, prefix: tuple = ()):
        try:
            return model.model_validate(located.data, context={"tz": self.tz})
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(error["loc"])
                if error["type"] == "end_before_start":  # a model-level check: point at `end`
                    loc += ("end",)
                message, expected = describe(error, model, self.msg)
                self.add(path, located.line(prefix + loc), _field_name(loc), message, expected)
            return None

    def _parse(self, path: Path) -> Optional[tuple[Located, str, int]]:
        """(front matter, body, body line) of a bulletin or site-data file, or None after a problem."""
        try:
            raw = path.read_bytes()
            text = decode(raw)
        except UnicodeDecodeError as exc:
            line = raw[:exc.start].count(b"\n") + 1  # the line of the first byte that is not UTF-8
            self.add(path, line, "", self.msg("encoding"), self.msg("encoding.expected"))
            return None
        except OSError as exc:
            self.add(path, 1, "", str(exc))
            return None
        is_yaml = path.suffix.lower() in (".yml", ".yaml")
        if is_yaml:
            head, body, body_line, offset = text, "", 0, 0
        else:
            parts = split_front_matter(text)
            if parts is None:
                self.add(path, 1, "", self.msg("front_matter"), self.msg("front_matter.expected"))
                return None
            head, body, body_line = parts
            offset = 1
        try:
            located = load_yaml(head, offset)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            if exc.context_mark and mark.line >= head.count("\n"):
                mark = exc.context_mark  # ran off the end: the unclosed '[', '{' or quote is where to look
            line = (mark.line + 1 + offset) if mark else 1
            detail = " ".join(filter(None, [exc.context, exc.problem]))
            hint = next((key for words, key in _YAML_HINTS if words in detail), None)
            lines = head.split("\n")
            if mark and mark.line < len(lines) and "\t" in lines[mark.line]:
                hint = "yaml.tab"  # the C loader does not name the character
            if hint:  # PyYAML's English, said as an editor would understand it
                self.add(path, line, "", self.msg("yaml", detail=self.msg(hint)), self.msg(f"{hint}.expected"))
            else:
                self.add(path, line, "", self.msg("yaml", detail=detail), self.msg("yaml.expected"))
            return None
        except yaml.YAMLError as exc:
            self.add(path, 1, "", self.msg("yaml", detail=str(exc)), self.msg("yaml.expected"))
            return None
        if located.node is not None:
            for dup_loc, line0 in _duplicate_keys(located.node):
                self.add(path, line0 + 1 + offset, _field_name(dup_loc), self.msg("duplicate_key", value=dup_loc[-1]))
        return located, body, body_line

    # -- site data

    def read_site_data(self) -> SiteData:
        data = SiteData()
        data.units = self._read_entries("units.yml", Unit, required=True)
        data.categories = self._read_entries("categories.yml", Category, required=True)
        data.topics = self._read_entries("topics.yml", Topic, required=False)
        data.topics_declared = (self.root / "topics.yml").exists()
        data.digest = digest(*(_bytes(self.root / name) for name in ("units.yml", "categories.yml", "topics.yml")))
        path = self.root / "units.yml"
        for unit in data.units.values():
            if unit.parent and unit.parent not in data.units:
                self.add(path, 1, "parent", self.msg("unknown_parent", value=unit.parent))
        return data

    def _read_entries(self, name: str, model: type[BaseModel], required: bool) -> dict:
        path = self.root / name
        if not path.exists():
            if required:
                self.add(path, 1, "", self.msg("missing_file", file=name))
            return {}
        parsed = self._parse(path)
        if parsed is None:
            return {}
        located = parsed[0]
        items = located.data or []
        if not isinstance(items, list):
            self.add(path, located.line(), "", self.msg("list"))
            return {}
        entries: dict = {}
        for i, item in enumerate(items):
            entry = self._validate(path, model, Located(item, _child(located.node, i)[1], located.offset), ())
            if entry is None:
                continue
            if entry.key in entries:
                self.add(path, located.line((i, "key")), f"[{i}].key", self.msg("duplicate_key", value=entry.key))
            entries[entry.key] = entry
        return entries

    # -- bulletins

    def read_bulletin(self, path: Path, data: SiteData) -> Optional[Bulletin]:
        parsed = self._parse(path)
        if parsed is None:
            return None
        located, body, _ = parsed
        if not isinstance(located.data, dict):
            self.add(path, located.line(), "", self.msg("not_mapping"), self.msg("front_matter.expected"))
            return None
        before = len(self.problems)
        meta: Optional[FrontMatter] = self._validate(path, FrontMatter, located)
        # Unknown keys are reported even when other fields are wrong: every problem in one pass.
        raw = located.data
        category = self._resolve(path, located, raw, "category", "unknown_category", "categories.yml", data.categories)
        unit = self._resolve(path, located, raw, "unit", "unknown_unit", "units.yml", data.units)
        if meta is None:
            return None
        topics = []
        for i, key in enumerate(meta.topics):
            topic = data.topics.get(key)
            if topic is None:
                if data.topics_declared:
                    self._unknown(path, located, ("topics", i), "unknown_topic", key, "topics.yml", data.topics, WARNING)
                topic = Topic(key=key, name=key.replace("-", " ").capitalize())
            topics.append(topic)
        self._warn(path, located, meta)
        if len([p for p in self.problems[before:] if p.severity == ERROR]) or category is None or unit is None:
            return None
        if meta.body is not None:
            body = meta.body
        slug = meta.slug or slugify(meta.title) or "bai-viet"
        date = meta.date.astimezone(self.tz)
        self._url_lines[self._rel(path)] = located.line(("slug",) if meta.slug else ("title",))
        return Bulletin(
            meta=meta,
            source_path=self._rel(path),
            slug=slug,
            url=f"{date.year:04d}/{date.month:02d}/{slug}/",
            body=nfc(body),
            category=category,
            unit=unit,
            topics=topics,
            updated=meta.updated,
            scheduled=meta.date > self.now,
        )

    def _resolve(self, path, located, raw, name, message, file, known):
        value = raw.get(name)
        if not isinstance(value, str) or not value:
            return None
        found = known.get(value.strip())
        if found is None and known:
            self._unknown(path, located, (name,), message, value, file, known)
        return found

    def _unknown(self, path, located, loc, key, value, file, known, severity=ERROR):
        choices = ", ".join(sorted(known)) or "-"
        self.add(path, located.line(loc), _field_name(loc), self.msg(key, value=value),
                 self.msg("known.expected", file=file, choices=choices), severity)

    def _warn(self, path: Path, located: Located, meta: FrontMatter) -> None:
        if not meta.summary:
            where = ("summary",) if "summary" in located.data else ("title",)  # an empty field, or none
            self.add(path, located.line(where), "summary", self.msg("warn.summary"), severity=WARNING)
        if meta.image and not meta.caption:
            self.add(path, located.line(("image",)), "caption", self.msg("warn.caption"), severity=WARNING)
        if len(meta.title) > TITLE_LIMIT:
            self.add(path, located.line(("title",)), "title", self.msg("warn.title", n=len(meta.title)),
                     self.msg("warn.title.expected", limit=TITLE_LIMIT), WARNING)

    def _check_unique_urls(self, bulletins: list[Bulletin]) -> None:
        seen: dict[str, Bulletin] = {}
        for b in sorted(bulletins, key=lambda b: b.source_path):
            other = seen.get(b.url)
            if other is not None:
                line = self._url_lines.get(b.source_path, 1)
                self.problems.append(Problem(b.source_path, line, "slug", self.msg("duplicate_url", url="/" + b.url,
                                             other=other.source_path), self.msg("duplicate_url.expected")))
            else:
                seen[b.url] = b

    def _updated_from_git(self, undated_paths: dict[Path, Bulletin]) -> None:
        """The last commit of a file, when later than its publication, is its `updated`."""
        base = self.root / "bulletins"
        cut = len(os.path.join(str(base), ""))
        undated = {str(path)[cut:].replace(os.sep, "/"): b for path, b in undated_paths.items()}
        for rel, when in last_changes(base, undated).items():
            bulletin = undated.get(rel)
            if bulletin is not None and when > bulletin.date:
                bulletin.updated = when.astimezone(self.tz)
