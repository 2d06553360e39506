"""What a build keeps for the next one: keys that name every input, and a store of entries.

An entry is only ever found under a key made from everything that went into it
(the source's bytes, the site's data and settings, and the version of the code and
templates that made it), so a changed input gives a new key and the old entry is
simply not asked for.  Nothing is ever checked for staleness; there is none to check.

The store holds data, never code: bytes that the build reads back as text or JSON (no
pickle), each entry with a check made of its key and its bytes, verified when it is read;
a damaged or replaced entry is not used and is made again.  With $BANTIN_CACHE_KEY set (a
secret of the CI, say) the check is keyed, so that whoever can write a shared cache cannot
make entries the build accepts.

`fingerprint` turns what a page shows (its view's context) into text for a key;
an object it does not know raises `Uncacheable`, and that page is always rendered.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sqlite3
import tempfile
import threading
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from pydantic import BaseModel

PACKAGE_DIR = Path(__file__).resolve().parent


class Uncacheable(TypeError):
    """A view's context holds something whose content cannot be named: render it every time."""


def digest(*parts: Any) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


def tree_digest(paths: Iterable[Path], suffixes: Optional[tuple[str, ...]] = None, skip: tuple[str, ...] = ()) -> str:
    """One digest of every file under the given folders (but those named in `skip`): their names and bytes."""
    h = hashlib.blake2b(digest_size=16)
    for root in map(str, paths):
        found = []
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d != "__pycache__"]
            folder = os.path.relpath(dirpath, root).replace(os.sep, "/")
            found += [f if folder == "." else f"{folder}/{f}" for f in filenames
                      if (not suffixes or os.path.splitext(f)[1] in suffixes) and f not in skip]
        for rel in sorted(found):
            try:
                with open(os.path.join(root, rel), "rb") as fh:
                    data = fh.read()
            except OSError:         # not a file (a broken link), or gone meanwhile
                continue
            h.update(rel.encode())
            h.update(data)
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """Bantin's own code: an upgrade or an edit of the generator invalidates every entry."""
    return tree_digest([PACKAGE_DIR], (".py",))


# ------------------------------------------------------------------ fingerprints

def fingerprint(value: Any) -> str:
    """A digest of everything a template can read from `value`.

    The value is serialised whole, as pickle serialises it (lists, dicts, dataclasses,
    pydantic models field by field: a field added to any of them is in the digest without
    anyone listing it), into a hash: nothing is stored or ever read back.  An object with a
    `__fingerprint__()` method (a bulletin) stands for its own digest.  What cannot be
    serialised so (a lambda, an open file, a structure that holds itself) raises Uncacheable.
    """
    sink = _Digest()
    pickler = _Fingerprinter(sink, protocol=5)
    pickler.fast = True       # no memo: equal values give equal bytes whether or not they are one object
    try:
        pickler.dump(value)
    except Uncacheable:
        raise
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError) as exc:
        raise Uncacheable(str(exc)) from None
    return sink.h.hexdigest()


class _Digest:
    """A file that hashes what is written to it."""

    def __init__(self):
        self.h = hashlib.blake2b(digest_size=16)

    def write(self, data) -> int:
        self.h.update(data)
        return len(data)


def unshared(value: Any) -> Any:
    """A text as its UTF-8 bytes, anything else as it is.  Pickling a str makes CPython keep a
    UTF-8 copy inside the string for as long as it lives: every Vietnamese text fingerprinted
    would be held twice, and a forked writer fingerprinting it would copy the page it sits on.
    The bytes made here are dropped at once."""
    return value.encode("utf-8", "surrogatepass") if type(value) is str else value


def _stand_in(kind: str, state) -> None:
    """What a model or an object with its own fingerprint is serialised as (never called)."""


_PLANS: dict[type, tuple] = {}    # how each type is serialised (see _plan)
_DEFAULT, _OWN, _MODEL, _STATE, _TIME = range(5)


def _plan(kind: type) -> tuple:
    """(how, name): as pickle does; by its own digest; a model's fields in order; an object's
    attributes; a datetime as text.  The last two say what pickle would, in one step instead of
    four to eight (its class, its constructor, a time zone's own reduction...): page keys are
    most of a rebuild's work."""
    plan = _PLANS.get(kind)
    if plan is None:
        name = f"{kind.__module__}.{kind.__qualname__}"
        if hasattr(kind, "__fingerprint__"):
            how = _OWN
        elif issubclass(kind, BaseModel):
            how = _MODEL
        elif issubclass(kind, datetime):
            how = _TIME
        elif (getattr(kind, "__reduce_ex__", None) is object.__reduce_ex__
              and getattr(kind, "__reduce__", None) is object.__reduce__
              and getattr(kind, "__getstate__", None) is object.__getstate__
              and "__dict__" in dir(kind) and not hasattr(kind, "__slots__")
              and kind.__new__ is object.__new__):
            how = _STATE
        else:
            how = _DEFAULT
        plan = _PLANS[kind] = (how, name)
    return plan


class _Fingerprinter(pickle.Pickler):
    def reducer_override(self, obj):
        how, name = _plan(type(obj))
        if how == _DEFAULT:
            return NotImplemented  # (a set's order changes from one process to the next: views pass none)
        if how == _OWN:
            return _stand_in, ("F", obj.__fingerprint__())
        if how == _MODEL:         # its fields in order: not pickle's state, which holds a set
            return _stand_in, (name, tuple(unshared(getattr(obj, f)) for f in type(obj).model_fields))
        if how == _TIME:
            return _stand_in, (name, obj.isoformat(), str(obj.tzinfo))
        return _stand_in, (name, obj.__dict__)


# ------------------------------------------------------------------ the store

INSERT = "INSERT OR REPLACE INTO entries (id, data, checked) VALUES (?, ?, ?)"
BATCH_BYTES = 8 << 20           # a batch is written once it holds this much
TREE_KINDS = ("search",)        # kinds whose entries are folders, kept as folders beside the database
DATABASE = "store.sqlite"
TREE_CHECK = ".bantin-check"    # in a folder entry: the check of its files
KEY_ENV = "BANTIN_CACHE_KEY"
# What older versions kept here, in forms no build reads any more.
_LEGACY = ("entries.sqlite", "entries.sqlite-wal", "entries.sqlite-shm", "html", "pages", "read")
_inherited: list = []           # connections a forked child must neither use nor close


def check(*parts: bytes) -> bytes:
    """The check of an entry: a digest of its parts, keyed by $BANTIN_CACHE_KEY when it is set."""
    h = hashlib.blake2b(digest_size=16, key=os.environ.get(KEY_ENV, "").encode("utf-8")[:64])
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


def tree_check(folder: Path) -> bytes:
    """The check of a folder's files (but the check file itself)."""
    return check(tree_digest([folder], skip=(TREE_CHECK,)).encode())


class Store:
    """Entries grouped by kind ('pages', 'read'...), in one SQLite database under `root`.

    One database rather than a file per entry: creating tens of thousands of small
    files cost a cold build of 10,000 bulletins more time than making the entries.
    Each write is a transaction, so a build that stops half-way, or two builds at
    once, never leave half an entry; inside `batch()` writes are grouped, a transaction
    per few megabytes, as one commit each cost more than the entries.  Folder entries
    (a search index) stay folders.
    `root=None` stores nothing, for builds that must not keep anything.
    """

    def __init__(self, root: Optional[Path]):
        self.root = Path(root) if root else None
        self.used: dict[str, set[str]] = {}
        self._db: Optional[sqlite3.Connection] = None
        self._pid = 0
        self._lock = threading.Lock()
        self._pending: dict[str, bytes] = {}      # written at the end of the batch
        self._pending_bytes = 0
        self._batch_pid = 0                       # the process whose batch is open; 0: none

    def path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / key

    def _connect(self) -> Optional[sqlite3.Connection]:
        """This process's connection; a forked child opens its own, as SQLite requires."""
        if self.root is None:
            return None
        if self._db is not None and self._pid == os.getpid():
            return self._db
        if self._db is not None:
            _inherited.append(self._db)
        self._db, self._pid = None, os.getpid()
        for attempt in (1, 2):
            try:
                self.root.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.root / DATABASE, timeout=60, isolation_level=None,
                                     check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS entries "
                           "(id TEXT PRIMARY KEY, data BLOB NOT NULL, checked BLOB NOT NULL)")
                self._db = db
                self._forget_legacy()
                return db
            except sqlite3.DatabaseError:
                if attempt == 1:   # a damaged database is a cache lost, never a build lost
                    for suffix in ("", "-wal", "-shm"):
                        (self.root / (DATABASE + suffix)).unlink(missing_ok=True)
            except (sqlite3.Error, OSError):
                break
        self.root = None           # a read-only checkout: build without keeping anything
        return None

    def _forget_legacy(self) -> None:
        """Remove what older versions kept here: nothing reads it any more, and it would never go."""
        for name in _LEGACY:
            old = self.root / name
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old, ignore_errors=True)
            elif old.exists() or old.is_symlink():
                old.unlink(missing_ok=True)

    def _sql(self, statement: str, rows: Sequence[tuple] = ((),)) -> Optional[list]:
        """Runs `statement` once per row of parameters, in one transaction; None when the
        database cannot be used (a full disk, a lock held too long): that costs speed, never the build."""
        with self._lock:
            db = self._connect()
            if db is None:
                return None
            try:
                if len(rows) == 1 and statement.startswith("SELECT"):
                    return db.execute(statement, rows[0]).fetchall()    # a read needs no transaction of its own
                with db:
                    if len(rows) == 1:
                        return db.execute(statement, rows[0]).fetchall()
                    db.execute("BEGIN")
                    db.executemany(statement, rows)
                    return []
            except sqlite3.Error:
                return None

    def get(self, kind: str, key: Optional[str]) -> Optional[bytes]:
        if not key:
            return None
        ident = f"{kind}:{key}"
        found = self._pending.get(ident) if self._batching() else None
        if found is None:
            rows = self._sql("SELECT data, checked FROM entries WHERE id = ?", [(ident,)])
            if not rows or bytes(rows[0][1]) != check(ident.encode(), bytes(rows[0][0])):
                return None        # none, or damaged or made elsewhere: made again, and put over it
            found = bytes(rows[0][0])
        self.used.setdefault(kind, set()).add(key)
        return found

    def put(self, kind: str, key: Optional[str], data: bytes) -> None:
        if not key or self.root is None:
            return
        ident = f"{kind}:{key}"
        if self._batching():
            self._pending[ident] = data
            self._pending_bytes += len(data)
            self.used.setdefault(kind, set()).add(key)
            if self._pending_bytes > BATCH_BYTES:
                self._flush()
        elif self._sql(INSERT, [(ident, data, check(ident.encode(), data))]) is not None:
            self.used.setdefault(kind, set()).add(key)

    def _batching(self) -> bool:
        """A batch is open in this process (a forked child does not write its parent's)."""
        return self._batch_pid == os.getpid()

    @contextmanager
    def batch(self):
        """Writes inside are kept and written together; nested batches join the outer one."""
        if self._batching():
            yield self
            return
        self._batch_pid, self._pending, self._pending_bytes = os.getpid(), {}, 0
        try:
            yield self
        finally:
            self._flush()
            self._batch_pid = 0

    def _flush(self) -> None:
        pending, self._pending, self._pending_bytes = self._pending, {}, 0
        if pending:
            self._sql(INSERT, [(ident, data, check(ident.encode(), data)) for ident, data in pending.items()])

    def _ids(self, kind: str = "") -> list[str]:
        prefix = f"{kind}:" if kind else ""
        rows = self._sql("SELECT id FROM entries WHERE id >= ? AND id < ?", [(prefix, prefix + "\uffff")])
        return [row[0] for row in rows or []]

    def entries(self) -> set[str]:
        """Every entry as 'kind:key', folders included: what the cache holds."""
        found = set(self._ids())
        for kind in TREE_KINDS:
            if self.root is not None and (self.root / kind).is_dir():
                found.update(f"{kind}:{entry.name}" for entry in (self.root / kind).glob("*/*"))
        return found

    def keep_only(self, kind: str, keys: set[str]) -> int:
        """Remove the entries of `kind` that this build did not use; returns how many went."""
        if self.root is None:
            return 0
        if kind in TREE_KINDS:
            return self._keep_trees(kind, keys)
        gone = [(i,) for i in self._ids(kind) if i.partition(":")[2] not in keys]
        if not gone or self._sql("DELETE FROM entries WHERE id = ?", gone) is None:
            return 0
        return len(gone)

    def _keep_trees(self, kind: str, keys: set[str]) -> int:
        if not (self.root / kind).is_dir():
            return 0
        removed = 0
        for folder in (self.root / kind).iterdir():
            for entry in folder.iterdir() if folder.is_dir() else []:
                if entry.name not in keys:
                    try:
                        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
                        removed += 1
                    except OSError:
                        pass
        return removed

    def close(self) -> None:
        """Ends this process's connection, folding the write-ahead log into the database."""
        with self._lock:
            if self._db is not None and self._pid == os.getpid():
                self._db.close()
            self._db = None

    def put_tree(self, kind: str, key: str, source: Path) -> None:
        """A folder entry (a search index), under the same naming as files, with its check."""
        if self.root is None:
            return
        dest = self.path(kind, key)
        if self.tree(kind, key) is not None:
            return
        tmp = Path(tempfile.mkdtemp(dir=self.root, prefix=".tmp-tree-"))
        try:
            shutil.copytree(source, tmp / "t", symlinks=True)
            (tmp / "t" / TREE_CHECK).write_bytes(check(key.encode(), tree_check(tmp / "t")))
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.exists():
                shutil.rmtree(dest, ignore_errors=True)
            os.replace(tmp / "t", dest)
        except OSError:
            pass
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def tree(self, kind: str, key: str) -> Optional[Path]:
        """A folder entry whose files are as they were put there; None otherwise."""
        if self.root is None:
            return None
        folder = self.path(kind, key)
        try:
            if folder.is_symlink() or not folder.is_dir() or any(p.is_symlink() for p in folder.rglob("*")):
                return None
            if (folder / TREE_CHECK).read_bytes() != check(key.encode(), tree_check(folder)):
                return None
        except OSError:
            return None
        return folder
