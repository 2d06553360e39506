"""When each content file was last changed, read from git: the `updated` an editor did not write.

Only changes count: the commit that adds a file is its publication, not an
update, so a bulletin written or imported in one go shows no update date.  One
`git log` pass over the content folder maps every changed file to its newest
change; the log is read as a stream and stopped as soon as every file asked for
has been seen, so ten thousand bulletins cost one process, not ten thousand.
Without git, outside a work tree, or in a shallow clone (whose cut history
would hide older changes) it says nothing, and the build goes on.
"""
from __future__ import annotations

import logging
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Iterable, Optional

log = logging.getLogger(__name__)

_MARK = "\x1e"  # starts the commit-time token in the log stream


def _git(root: Path, *args: str) -> list[str]:
    return ["git", "-c", "core.quotepath=off", "-C", str(root), *args]


def _usable(root: Path) -> bool:
    """Inside a git work tree with full history (one quick `rev-parse`)."""
    try:
        out = subprocess.run(_git(root, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository"),
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    answers = out.stdout.split()
    if out.returncode != 0 or answers[:1] != ["true"]:
        return False
    if answers[1:2] == ["true"]:
        log.info("Bantin: bản sao git nông (shallow), không lấy ngày cập nhật từ lịch sử git.")
        return False
    return True


def last_changes(root: str | Path, wanted: Optional[Iterable[str]] = None) -> dict[str, datetime]:
    """{path relative to `root`, '/'-separated: time of the last commit that modified it}."""
    root = Path(root)
    pending = set(wanted) if wanted is not None else None
    if (pending is not None and not pending) or not root.is_dir() or not _usable(root):
        return {}
    cmd = _git(root, "log", f"--format={_MARK}%cI", "--name-only", "-z", "--relative", "--no-renames",
               "--diff-filter=M", "--", ".")
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        return {}
    found: dict[str, datetime] = {}
    when: Optional[datetime] = None

    def take(token: bytes) -> None:
        nonlocal when
        text = token.decode("utf-8", "surrogateescape").lstrip("\n")
        if text.startswith(_MARK):
            when = datetime.fromisoformat(text[1:])
        elif text and when is not None and text not in found:
            found[text] = when
            if pending is not None:
                pending.discard(text)

    try:
        rest = b""
        for chunk in iter(lambda: proc.stdout.read(1 << 16), b""):
            *tokens, rest = (rest + chunk).split(b"\0")
            for token in tokens:
                take(token)
            if pending is not None and not pending:
                break
        else:
            take(rest)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.wait()
    return found
