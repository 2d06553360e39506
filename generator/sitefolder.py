"""The site folder: each build writes a fresh folder beside the old site and swaps it in whole.

So a failed build (bad content, a full disk, a killed process) never leaves a half-built
site: the old one stays until the new one is complete.  A build that was killed leaves
its fresh folder behind; the next build removes such leftovers, knowing them by a lock
that only a running build holds.  The old site, once replaced, is removed in the background
(deleting tens of thousands of folders took a sixth of a rebuild, after the new site was
already in place), by a process that holds a lock on it so that no other build touches it;
one that was stopped leaves it to the next build.  Where the build has a cache, the old site is
kept there instead as the next build's folder (`SPARE`): its folders already exist and most of its
files are already the pages that build keeps, so a rebuild makes no folder and links few files
(making 24,000 folders was a fifth of a rebuild of 10,000 bulletins).  That build first removes
from it everything it will not put there (`sweep`), and never writes into a file in place, since
the file may be the live site's too.  The site gets the permissions files usually have
(a web server running as another user must read it), not those of a private temporary
folder.
"""
from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator, Optional

try:
    import fcntl
except ImportError:      # Windows: leftovers are left for the user to remove
    fcntl = None

LOCK = ".bantin-building"
SPARE = "site-spare"    # in the cache's folder: the site before last, the next build's folder


class FolderError(OSError):
    """The site cannot be written: said plainly (a full disk, a folder without permission)."""

    def __str__(self) -> str:       # the sentence alone, without OSError's "[Errno 13]"
        return self.strerror or super().__str__()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _readable(folder: Path) -> None:
    """Folders rwxr-xr-x and files rw-r--r--, less what the user's umask takes away."""
    mask = _umask()
    os.chmod(folder, 0o777 & ~mask)


def _free(fd: int) -> bool:
    """Whether no other process holds the lock of `fd` (it is then this one's)."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def remove_leftovers(final: Path) -> None:
    """Fresh folders of builds that were killed, and old sites whose removal was stopped (their
    lock is free); a running build's folder, and an old site being removed, stay."""
    for folder in final.parent.glob(final.name + ".tmp-*"):
        if not folder.is_dir() or folder.is_symlink():
            continue
        try:
            with open(folder / LOCK, "a") as handle:
                if not _free(handle.fileno()):
                    continue        # held: another build is writing there now
        except OSError:
            continue
        shutil.rmtree(folder, ignore_errors=True)
    for folder in final.parent.glob(final.name + ".old-*"):
        if folder.is_symlink() or not folder.is_dir():
            continue
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            if _free(fd):           # held: its removal is under way
                shutil.rmtree(folder, ignore_errors=True)
        finally:
            os.close(fd)


def remove_later(folder: Path) -> None:
    """`folder` removed by a process of its own, which this one does not wait for; where
    there is no such locking (Windows), here and now."""
    fd = None
    try:
        if fcntl is None:
            raise OSError("no locks")
        fd = os.open(folder, os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_EX)
        # sh starts rm and ends at once, so no process is left for this one to collect; rm holds
        # the lock (the inherited descriptor) until the folder is gone.
        subprocess.run(["sh", "-c", 'rm -rf -- "$1" &', "sh", str(folder)], pass_fds=(fd,), check=False,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
    finally:
        if fd is not None:
            os.close(fd)


def _take(spare: Optional[Path], final: Path) -> Optional[Path]:
    """The spare folder moved beside `final` for a build to write into, or None: there is none, it
    is not a plain folder, another build took it first, or it lies on another disk (then it goes)."""
    if spare is None or spare.is_symlink() or not spare.is_dir():
        return None
    folder = Path(tempfile.mkdtemp(prefix=final.name + ".tmp-", dir=final.parent))
    os.rmdir(folder)
    try:
        os.rename(spare, folder)
    except OSError as exc:
        if exc.errno == errno.EXDEV:
            remove_later(spare)
        return None
    return folder


@contextlib.contextmanager
def fresh(final: Path, spare: Optional[Path] = None) -> Iterator[Path]:
    """A folder beside `final` for a build to write into: the `spare` one when there is one (then
    to be swept, see `sweep`), else a new one; removed if the build fails."""
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(final)
    folder = _take(spare, final) or Path(tempfile.mkdtemp(prefix=final.name + ".tmp-", dir=final.parent))
    handle = open(folder / LOCK, "w")
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        _readable(folder)
        yield folder
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        handle.close()


def swap(built: Path, final: Path, spare: Optional[Path] = None) -> None:
    """Put a finished build in place of the old one; the old one goes only once the new one is in,
    or becomes the `spare` folder of the next build."""
    (built / LOCK).unlink(missing_ok=True)
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=final.name + ".old-", dir=final.parent))
        os.rmdir(old)
        os.replace(final, old)
    os.replace(built, final)
    if old and not (spare is not None and _keep_as(old, spare)):
        remove_later(old)


def _keep_as(old: Path, spare: Path) -> bool:
    """`old` moved to `spare`, unless a folder is there already (a build at the same time) or the
    cache lies on another disk."""
    if spare.exists() or spare.is_symlink() or old.is_symlink() or not old.is_dir():
        return False
    try:
        spare.parent.mkdir(parents=True, exist_ok=True)
        os.rename(old, spare)
        return True
    except OSError:
        return False


def sweep(folder: Path, keep: set[str]) -> None:
    """Everything in `folder` but the files at the paths in `keep` (relative, with '/') removed:
    what a spare folder holds of the site before last and the build will not put there again.
    Links are removed, never followed."""
    _sweep(str(folder), "", keep)


def _sweep(path: str, prefix: str, keep: set[str]) -> bool:
    """Whether anything is left in `path`."""
    left = False
    with os.scandir(path) as found:
        entries = list(found)
    for entry in entries:
        rel = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            if _sweep(entry.path, rel + "/", keep):
                left = True
            else:
                os.rmdir(entry.path)
        elif rel in keep and entry.is_file(follow_symlinks=False):
            left = True
        else:
            os.unlink(entry.path)
    return left


def clear(path: str) -> None:
    """Makes way for a new file at `path`: the file there may be linked into the live site."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def link_or_copy(source: str, dest: str) -> bool:
    """A file of a finished tree put in another one: a hard link where the disk allows it
    (no bytes written; neither tree is ever written into in place), else a copy.  Whether it linked."""
    try:
        os.link(source, dest)
        return True
    except OSError:
        shutil.copy2(source, dest)
        return False


def plainly(exc: OSError, where: Path) -> FolderError:
    """An OSError as an operator would want to read it."""
    if exc.errno == errno.ENOSPC:
        text = f"Hết chỗ trống trên đĩa khi ghi trang vào {where} (No space left on device)"
    else:
        # The fresh folder beside the site is the build's own: the operator knows its parent.
        named = Path(exc.filename) if exc.filename else where
        if named.name.startswith(where.name + ".tmp-"):
            named = where.parent
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            text = f"Không có quyền ghi vào {named} ({exc.strerror})"
        else:
            text = f"Không ghi được {named}: {exc.strerror or exc}"
    return FolderError(exc.errno, f"{text}; thư mục {where} cũ vẫn giữ nguyên.")
