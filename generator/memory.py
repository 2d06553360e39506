"""Memory a build let go of, given back to the system.

glibc's malloc keeps freed memory for this process's later use and the system still counts it
as this process's: what a build has written and dropped (the files, the bulletins' text) would
otherwise sit beside the page-writing processes and Pagefind until the build ends.
"""
from __future__ import annotations

import ctypes
import ctypes.util
from typing import Optional


def _trim() -> Optional[ctypes._CFuncPtr]:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None).malloc_trim
    except (OSError, AttributeError):       # not glibc (macOS, musl, Windows): nothing to do
        return None


_MALLOC_TRIM = _trim()


def give_back() -> None:
    """Whole free pages of the heap returned to the system (malloc_trim)."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)
