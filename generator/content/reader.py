"""Reading editors' files into validated content objects.

The reader is the only place that sees raw files.  It keeps the YAML node tree beside
the parsed data so that every problem pydantic finds can be pinned to the line an editor
has to fix, and it reports all problems of all files at once.  Content is untrusted: a
file too large, a character no text may hold, a YAML alias, a path that leaves the
content folder, a photo that is not there, an old address that another page already
has, each is a problem at its line, found here, before anything is built.
"""
from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable, Optional
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ValidationError

from .. import urls
from ..cache import Store, code_version, digest
from ..parallel import fork_map
from ..vietnamese import nfc, slugify
from . import addresses, references, sitedata, stored
from .errors import ERROR, NOTE, WARNING, ContentError, Problem, describe, field_name, messages, suggest
from .history import last_changes
from .models import Bulletin, ContentPage, FrontMatter, PageMatter, Schedule, ScheduleMatter, Topic
from .paths import PHOTOS, PUBLISHED, ContentFiles, Refusal
from .sitedata import SiteData
from .text import clean, decode, refused
from .yamlfile import Located, compose, construct, flaws

BULLETIN_SUFFIXES = {".md", ".markdown", ".yml", ".yaml"}
SCHEDULES = "schedules"          # the folder of schedule files (YAML), any depth
TITLE_WARNING = 150             # a title past this is hard to read on a phone (an error past TITLE_LIMIT)
FILE_LIMIT = 1 << 20            # a bulletin's or a data file's bytes
BODY_LIMIT = 300_000            # a body's characters
REFUSED_SHOWN = 3               # refused characters reported per file
SOURCE_FILES = set(sitedata.FILES) | {"README.md"}

__all__ = ["Reader", "ContentSet", "SiteData", "decode", "split_front_matter", "load_yaml"]


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


_TOP_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:")


def field_at(text: str, line: int, is_yaml: bool) -> str:
    """The field a line of a file stands in ('body' below the front matter), found without parsing,
    for problems seen before the YAML can be read: the nearest top-level key at or above the line."""
    parts = None if is_yaml else split_front_matter(text)
    if parts is not None and line >= parts[2]:
        return "body"
    for above in reversed(text.split("\n", line)[:line]):
        m = _TOP_KEY.match(above)
        if m:
            return m.group(1)
    return ""


def load_yaml(text: str, offset: int = 0) -> Located:
    """YAML text as the reader reads it (yamlfile.py), for tools that look at one file."""
    return construct(compose(text), offset)


# PyYAML's problems (C and Python loaders) -> message keys in messages.py.
_YAML_HINTS = (
    ("mapping values are not allowed", "yaml.colon"),
    ("tab character", "yaml.tab"),
    ("flow sequence", "yaml.list"),
    ("flow mapping", "yaml.group"),
    ("quoted scalar", "yaml.quote"),
    ("block mapping", "yaml.indent"),
    ("expected key", "yaml.indent"),
    ("undefined alias", "yaml.alias"),
    ("anchor", "yaml.alias"),
)
_NO_SPACE = re.compile(r"^(\s*(?:- )?)([A-Za-z_][\w-]*):(?=[^\s/])(\S.*)$")   # 'unit:quan-son-tra', not 'http://'


@dataclass
class ContentSet:
    """Everything the reader found: what to publish, what was held back, and what is wrong."""

    data: SiteData
    bulletins: list[Bulletin]
    held_back: list[Bulletin]
    problems: list[Problem]
    pages: list[ContentPage] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == NOTE]


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
    """Reads `content/`: site data first, then every bulletin under `bulletins/`, then the other pages."""

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
        # Bulletins read before: on disk between builds (`store`), in memory while serving (`memo`,
        # source path -> (key, result)); a key names the file's bytes and all else the result depends on.
        self.store = store or Store(None)
        self.memo = memo if memo is not None else {}
        self.jobs = jobs             # processes for files not read before; 0: one per core
        self._found: list = []       # what the bulletin being read refers to, even if it has errors
        self.files = ContentFiles(self.root)
        self._prefix = os.path.join(str(self.root.parent), "")

    # -- public

    def read(self) -> ContentSet:
        self.problems = []
        self.files = ContentFiles(self.root)      # files change between reads: each read resolves anew
        data = self.read_site_data()
        published, held_back, undated = [], [], {}
        for path, (bulletin, problems, found) in self._read_all(data):
            self.problems.extend(problems)
            files_ok = self._files_are_there(path, found)
            if bulletin is None:
                continue
            bulletin.category = data.categories[bulletin.category.key]
            bulletin.unit = data.units[bulletin.unit.key]
            bulletin.topics = [data.topics.get(t.key, t) for t in bulletin.topics]
            bulletin.updated = bulletin.meta.updated
            bulletin.scheduled = bulletin.meta.date > self.now
            if not files_ok:
                continue
            if bulletin.updated is None:
                undated[path] = bulletin
            visible = (self.drafts or not bulletin.draft) and (self.future or not bulletin.scheduled)
            (published if visible else held_back).append(bulletin)
        pages = self._read_pages()
        schedules = self.read_schedules(data)
        self._check_addresses(published + held_back, pages)
        self._note_held_back(held_back)
        if self.history:
            self._updated_from_git(undated)
        published.sort(key=lambda b: b.sort_key, reverse=True)
        return ContentSet(data, published, held_back, sorted(self.problems), pages, schedules)

    def read_or_raise(self) -> ContentSet:
        result = self.read()
        if result.errors:
            raise ContentError(result.errors, self.language)
        return result

    def read_site_data(self) -> SiteData:
        return sitedata.read(self)

    def bulletin_paths(self) -> list[Path]:
        return [self.root / rel for rel in self._files("bulletins", BULLETIN_SUFFIXES)]

    def _files(self, folder: str, suffixes: tuple[str, ...], skip: tuple[str, ...] = ()) -> list[str]:
        """The content files under `folder` with these endings; a file that may not be read (a link
        out of content/, a device...) is reported at its path and left out, whatever kind it is."""
        found = []
        for rel, refusal in self.files.walk(folder, skip=skip):
            if os.path.splitext(rel)[1].lower() not in suffixes:
                continue
            if refusal is not None:
                self.refusal(self.root / rel, 1, "", refusal)
                continue
            found.append(rel)
        return found

    # -- problems

    def rel(self, path: Path) -> str:
        text, prefix = str(path), self._prefix
        if text.startswith(prefix):     # a string cut: pathlib's relative_to costs seconds at 10,000 files
            return text[len(prefix):].replace(os.sep, "/")
        return path.as_posix()

    def add(self, path: Path, line: int, field_name: str, message: str, expected: str = "",
            severity: str = ERROR) -> None:
        self.problems.append(Problem(self.rel(path), line, field_name, message, expected, severity))

    def problem(self, path: Path, line: int, field_name: str, key: str, severity: str = ERROR,
                expected_key: Optional[str] = None, **kw) -> None:
        """A problem in the words of messages.py: `key` says what is wrong, `expected_key` (default
        the same key) what was expected."""
        expected = self.msg(expected_key, **kw) if expected_key else self.msg.expected(key, **kw)
        self.add(path, line, field_name, self.msg(key, **kw), expected, severity)

    def refusal(self, path: Path, line: int, field_name: str, refusal: Refusal) -> None:
        """A refused path; a file of the content folder is named as the editor sees it (content/...)."""
        value = self.rel(self.root / refusal.value) if refusal.key.startswith("file.") else refusal.value
        self.problem(path, line, field_name, refusal.key, value=value)

    def validate(self, path: Path, model: type[BaseModel], located: Located, prefix: tuple = ()):
        try:
            return model.model_validate(located.data, context={"tz": self.tz})
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(error["loc"])
                if error["type"] == "end_before_start":  # a model-level check: point at `end`
                    loc += ("end",)
                message, expected = describe(error, model, self.msg)
                line = located.key_line(loc[0]) if error["type"] == "extra_forbidden" and len(loc) == 1 \
                    else located.line(prefix + loc)
                self.add(path, line or located.line(prefix + loc), field_name(loc), message, expected)
            return None

    # -- files

    def parse(self, path: Path) -> Optional[tuple[Located, str, int]]:
        """(front matter, body, body line) of a bulletin, a page or a site-data file, or None after a problem."""
        try:
            real = self.files.resolve(os.path.relpath(path, self.root).replace(os.sep, "/"))
            size = real.stat().st_size
            if size > FILE_LIMIT:
                self.problem(path, 1, "", "file.too_big", size=size, limit=FILE_LIMIT)
                return None
            raw = real.read_bytes()
            text = decode(raw)
        except Refusal as refusal:
            self.refusal(path, 1, "", refusal)
            return None
        except UnicodeDecodeError as exc:
            line = raw[:exc.start].count(b"\n") + 1  # the line of the first byte that is not UTF-8
            self.problem(path, line, "", "encoding")
            return None
        except OSError as exc:
            self.add(path, 1, "", str(exc))
            return None
        bad = refused(text)
        for found in bad[:REFUSED_SHOWN]:
            self.problem(path, found.line, field_at(text, found.line, path.suffix.lower() in (".yml", ".yaml")),
                         "char", code=found.code)
        if bad:
            return None
        is_yaml = path.suffix.lower() in (".yml", ".yaml")
        if is_yaml:
            head, body, body_line, offset = text, "", 0, 0
        else:
            parts = split_front_matter(text)
            if parts is None:
                self.problem(path, 1, "", "front_matter")
                return None
            head, body, body_line = parts
            offset = 1
        located = self._yaml(path, clean(head), offset)
        if located is None:
            return None
        return located, body, body_line

    def _yaml(self, path: Path, head: str, offset: int) -> Optional[Located]:
        try:
            node = compose(head)
        except yaml.MarkedYAMLError as exc:
            self._yaml_problem(path, head, offset, exc)
            return None
        except yaml.YAMLError as exc:
            self.problem(path, 1, "", "yaml", detail=str(exc), expected_key="yaml.expected")
            return None
        if node is None:
            return Located(None, None, offset)
        problems = False
        for flaw in flaws(node):
            problems = True
            key = {"alias": "yaml.alias", "depth": "yaml.depth", "key": "yaml.key"}.get(flaw.kind, "duplicate_key")
            self.problem(path, flaw.line + 1 + offset, field_name(flaw.path), key,
                         value=flaw.path[-1] if flaw.path else "")
            if flaw.kind == "alias":
                break           # one is enough: the rest is the same alias, again and again
        return None if problems else construct(node, offset)

    def _yaml_problem(self, path: Path, head: str, offset: int, exc: yaml.MarkedYAMLError) -> None:
        lines = head.split("\n")
        mark = exc.problem_mark or exc.context_mark
        for number, text in enumerate(lines[:(mark.line + 1) if mark else len(lines)]):
            m = _NO_SPACE.match(text)
            if m and not text.lstrip().startswith("#"):    # 'unit:quan-son-tra': the cause, lines before the symptom
                fixed = f"{m.group(2)}: {m.group(3)}"
                self.problem(path, number + 1 + offset, m.group(2), "yaml.space", text=text.strip(), fixed=fixed)
                return
        if exc.context_mark and mark.line >= head.count("\n"):
            mark = exc.context_mark  # ran off the end: the unclosed '[', '{' or quote is where to look
        line = (mark.line + 1 + offset) if mark else 1
        detail = " ".join(filter(None, [exc.context, exc.problem]))
        hint = next((key for words, key in _YAML_HINTS if words in detail), None)
        if mark and mark.line < len(lines) and "\t" in lines[mark.line]:
            hint = "yaml.tab"  # the C loader does not name the character
        if hint:  # PyYAML's English, said as an editor would understand it
            self.problem(path, line, "", "yaml", detail=self.msg(hint), expected_key=f"{hint}.expected")
        else:
            self.problem(path, line, "", "yaml", detail=detail, expected_key="yaml.expected")

    def _files_are_there(self, path: Path, found: Iterable[references.Reference]) -> bool:
        """Every photo and attachment a bulletin names is a file of the content folder that may be
        published; checked at every read, since files change without the bulletin changing."""
        ok = True
        for ref in found:
            if not ref.path:
                continue
            suffix = os.path.splitext(ref.path)[1].lower()
            try:
                if ref.kind != "link" and suffix not in PHOTOS:
                    raise Refusal("file.kind", ref.path)
                if ref.kind != "link" or suffix in PUBLISHED or os.path.lexists(self.root / ref.path):
                    self.files.publishable(ref.path)    # a photo, or a file to download (not a page)
            except Refusal as refusal:
                self.refusal(path, ref.line, ref.field, refusal)
                ok = False
        return ok

    # -- bulletins

    def _read_all(self, data: SiteData) -> list[tuple[Path, tuple]]:
        """(path, (bulletin or None, its problems, what it refers to)) for every bulletin file.

        Unchanged files come from memory or the store; the rest are read, in forked
        processes when there are many (a child's result comes back as the store keeps it).
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
                key = digest(context, self.rel(path), path.read_bytes())
            except OSError:
                key = ""
            if known is not None and key and known[0] == key:
                results[path] = known[1]
                self.memo[path] = (key, known[1], signature, context)
                continue
            blob = self.store.get("read", key)
            cached = stored.load(blob, {"tz": self.tz}) if blob is not None else None
            if cached is not None:
                results[path] = cached
                self.memo[path] = (key, cached, signature, context)
                continue
            missing.append((path, key))
        fresh, _ = fork_map(lambda paths: [self._read_stored(path, data) for path in paths],
                            [path for path, _ in missing], self.jobs)
        with self.store.batch():
            for (path, key), (result, blob) in zip(missing, fresh):
                self.store.put("read", key, blob)
                results[path] = result
                if key:
                    self.memo[path] = (key, result, signatures[path], context)
        return sorted(results.items())

    def _read_stored(self, path: Path, data: SiteData) -> tuple[tuple, bytes]:
        """(bulletin or None, its problems, what it refers to), and the same as the store keeps it."""
        before = len(self.problems)
        self._found = []
        bulletin = self.read_bulletin(path, data)
        problems = self.problems[before:]
        del self.problems[before:]
        return (bulletin, problems, self._found), stored.dump(bulletin, problems, self._found)

    def read_bulletin(self, path: Path, data: SiteData) -> Optional[Bulletin]:
        parsed = self.parse(path)
        if parsed is None:
            return None
        located, body, body_line = parsed
        if not isinstance(located.data, dict):
            self.problem(path, located.line(), "", "not_mapping", expected_key="front_matter.expected")
            return None
        before = len(self.problems)
        meta: Optional[FrontMatter] = self.validate(path, FrontMatter, located)
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
        if meta.body is not None:
            body, body_line = meta.body, located.line(("body",)) + 1
        files = [(located.line(("meeting", "documents", i, "file")), f"meeting.documents[{i}].file", d.file)
                 for i, d in enumerate(meta.meeting.documents if meta.meeting else []) if d.file]
        found = self._found = self._references(path, body, body_line,
                                               (located.line(("image",)), meta.image) if meta.image else None,
                                               files)
        if len(body) > BODY_LIMIT:
            self.problem(path, body_line, "body", "body.too_long", n=len(body), limit=BODY_LIMIT)
        self._warn(path, located, meta)
        if len([p for p in self.problems[before:] if p.severity == ERROR]) or category is None or unit is None:
            return None
        slug = meta.slug or slugify(meta.title) or "bai-viet"
        date = meta.date
        url = urls.bulletin(date.year, date.month, slug)
        self._check_aliases(path, located, meta, url)
        if len([p for p in self.problems[before:] if p.severity == ERROR]):
            return None
        return Bulletin(
            meta=meta,
            source_path=self.rel(path),
            slug=slug,
            url=url,
            body=nfc(clean(body, breaks="\n")),
            category=category,
            unit=unit,
            topics=topics,
            references=found,
            updated=meta.updated,
            scheduled=meta.date > self.now,
            lines={"slug": located.line(("slug",) if meta.slug else ("title",)), "draft": located.line(("draft",)),
                   "date": located.line(("date",)), "meeting": located.line(("meeting",)),
                   "aliases": [located.line(("aliases", i)) for i in range(len(meta.aliases))]},
        )

    def _references(self, path: Path, body: str, body_line: int, cover: Optional[tuple] = None,
                    attachments: Iterable[tuple[int, str, str]] = ()) -> list:
        """The cover (line, target), every image and file link of the body, and the files of the
        meeting's documents ((line, field, target)), each checked for its shape here (what depends
        on other files is checked at every read: `_files_are_there`)."""
        raw = [(cover[0], "image", "cover", cover[1])] if cover else []
        raw += [(line, "body", kind, target) for line, kind, target in references.in_body(body, body_line)]
        out = []
        for line, where, kind, target in raw:
            try:
                out.append(references.check(line, where, kind, target))
            except Refusal as refusal:
                self.refusal(path, line, where, refusal)
        for line, where, target in attachments:
            try:
                out.append(references.attachment(line, where, target))
            except Refusal as refusal:
                self.refusal(path, line, where, refusal)
        return out

    def _check_aliases(self, path: Path, located: Located, meta: FrontMatter, url: str) -> None:
        for i, alias in enumerate(meta.aliases):
            line = located.line(("aliases", i))
            try:
                target = addresses.alias_path(alias)
            except Refusal as refusal:
                self.problem(path, line, f"aliases[{i}]", refusal.key, value=refusal.value)
                continue
            if urls.file_of(target) == urls.file_of(url):
                self.problem(path, line, f"aliases[{i}]", "alias.own", value=alias)
            elif urls.owner(target):
                self.problem(path, line, f"aliases[{i}]", "alias.claimed", value=alias, owner=urls.owner(target))

    def _check_addresses(self, bulletins: list[Bulletin], pages: list[ContentPage]) -> None:
        """No two bulletins, pages or old addresses at one address; the first claim keeps it."""
        claims = [addresses.Claim(urls.file_of(b.url), "bulletin", b.source_path, b.lines["slug"], "slug")
                  for b in bulletins]
        claims += [addresses.Claim(urls.file_of(p.url), "page", p.source_path, 1) for p in pages]
        for b in bulletins:
            for i, alias in enumerate(b.meta.aliases):
                claims.append(addresses.Claim(urls.file_of(addresses.alias_path(alias)), "alias", b.source_path,
                                              b.lines["aliases"][i], f"aliases[{i}]"))
        for claim, taken in addresses.collisions(claims):
            if claim.what == "bulletin" and taken.what == "bulletin":
                self.problems.append(Problem(claim.source, claim.line, "slug", self.msg(
                    "duplicate_url", url="/" + claim.path.removesuffix("index.html"), other=taken.source),
                    self.msg.expected("duplicate_url")))
                continue
            what = self.msg(f"alias.{taken.what}")
            self.problems.append(Problem(claim.source, claim.line, claim.field, self.msg(
                "alias.taken", value="/" + claim.path.removesuffix("index.html"), what=what,
                other=taken.source, line=taken.line), self.msg.expected("alias.taken")))

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
        close = suggest(value, known)
        self.problem(path, located.line(loc), field_name(loc), key, severity,
                     expected_key="known.suggest" if close else "known.expected",
                     value=value, suggestion=close, file=file, choices=choices)

    def _warn(self, path: Path, located: Located, meta: FrontMatter) -> None:
        if meta.image and not meta.caption:
            self.problem(path, located.line(("image",)), "caption", "warn.caption", WARNING)
        if len(meta.title) > TITLE_WARNING:
            self.problem(path, located.line(("title",)), "title", "warn.title", WARNING, n=len(meta.title),
                         limit=TITLE_WARNING)

    def _note_held_back(self, held_back: list[Bulletin]) -> None:
        """A draft left in a file is not missing without a word: each is named."""
        for b in held_back:
            if b.draft and not self.drafts:
                self.problems.append(Problem(b.source_path, b.lines["draft"], "draft", self.msg("draft"),
                                             self.msg.expected("draft"), NOTE))
            elif b.scheduled and not self.future:
                self.problems.append(Problem(b.source_path, b.lines["date"], "date", self.msg(
                    "scheduled", when=b.date.strftime("%d/%m/%Y %H:%M")), "", NOTE))

    # -- schedules

    def read_schedules(self, data: SiteData) -> list[Schedule]:
        """Every schedule file under schedules/ (lịch công tác, lịch tiếp công dân), each problem at its line."""
        out = []
        for rel in self._files(SCHEDULES, (".yml", ".yaml")):
            schedule = self._read_schedule(self.root / rel, data)
            if schedule is not None:
                out.append(schedule)
        return out

    def _read_schedule(self, path: Path, data: SiteData) -> Optional[Schedule]:
        parsed = self.parse(path)
        if parsed is None:
            return None
        located = parsed[0]
        if not isinstance(located.data, dict):
            self.problem(path, located.line(), "", "data.mapping")
            return None
        meta = self.validate(path, ScheduleMatter, located)
        unit = self._resolve(path, located, located.data, "unit", "unknown_unit", "units.yml", data.units)
        if meta is None or unit is None:
            return None
        return Schedule(meta, self.rel(path), unit, [located.line(("entries", i)) for i in range(len(meta.entries))])

    # -- pages outside bulletins/

    def _read_pages(self) -> list[ContentPage]:
        """Markdown pages of the content folder ('gioi-thieu.md' -> /gioi-thieu/), sanitised as bulletins are."""
        pages = []
        for rel in self._files("", (".md",), skip=("bulletins",)):
            if rel in SOURCE_FILES:
                continue
            page = self._read_page(self.root / rel, rel)
            if page is not None and (self.drafts or not page.meta.draft):
                pages.append(page)
        return pages

    def _read_page(self, path: Path, rel: str) -> Optional[ContentPage]:
        parsed = self.parse(path)
        if parsed is None:
            return None
        located, body, body_line = parsed
        if not isinstance(located.data, dict):
            self.problem(path, 1, "", "page.title")
            return None
        meta = self.validate(path, PageMatter, located)
        if meta is None:
            return None
        stem = rel[:-len(".md")]
        url = stem[:-len("index")] if stem == "index" or stem.endswith("/index") else stem + "/"
        if url == urls.HOME or urls.owner(url):
            self.problem(path, 1, "", "page.claimed", value="/" + url, owner=urls.owner(url) or "trang chủ")
            return None
        before = len(self.problems)
        found = self._references(path, body, body_line)
        if len(self.problems) > before or not self._files_are_there(path, found):
            return None
        return ContentPage(meta, self.rel(path), url, nfc(clean(body, breaks="\n")), found)

    def _updated_from_git(self, undated_paths: dict[Path, Bulletin]) -> None:
        """The last commit of a file, when later than its publication, is its `updated`."""
        base = self.root / "bulletins"
        cut = len(os.path.join(str(base), ""))
        undated = {str(path)[cut:].replace(os.sep, "/"): b for path, b in undated_paths.items()}
        for rel, when in last_changes(base, undated).items():
            bulletin = undated.get(rel)
            if bulletin is not None and when > bulletin.date:
                bulletin.updated = when.astimezone(self.tz)
