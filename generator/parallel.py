"""Work shared between forked processes, one per core.

Forked children inherit the parent's memory (settings, content, the loaded theme),
so only a slice number goes to each child and only its results come back: no
content is pickled on the way in.  Where fork is missing, or the work is small,
it runs in this process, with the same results in the same order.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from typing import Callable, Optional, Sequence, TypeVar

T = TypeVar("T")

MIN_ITEMS = 500      # below this, starting processes costs more than it saves

_WORK: Optional[tuple] = None


def jobs_for(count: int, jobs: int = 0, min_items: int = MIN_ITEMS) -> int:
    """How many processes `count` items are worth: 1 means do them here."""
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or count < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return jobs


def fork_map(work: Callable[[Sequence], list], items: Sequence, jobs: int = 0, min_items: int = MIN_ITEMS,
             state: Optional[Callable[[], object]] = None) -> tuple[list, list]:
    """`work` over strided slices of `items`: (results in the order of `items`, each child's `state()`).

    `state` gives back what a child learnt besides its results (photos it measured...),
    for the parent to merge; work done here (the first slice, or all of it) leaves it in the
    parent already.
    """
    jobs = jobs_for(len(items), jobs, min_items)
    if jobs == 1:
        return list(work(items)), []
    global _WORK
    _WORK = (work, items, jobs, state)
    # What exists now is shared with the children and lives as long as they do: kept out of
    # the collector's walks, which would touch (and so copy) every shared page and cost time.
    gc.freeze()
    try:
        # This process does the first slice itself while jobs - 1 children do the others: one
        # process fewer holding its own copy of the pages it touches, and none left idle.
        with multiprocessing.get_context("fork").Pool(jobs - 1) as pool:
            waiting = pool.map_async(_run, range(1, jobs))
            own = list(work(items[0::jobs]))
            parts = [(own, None), *waiting.get()]
    finally:
        _WORK = None
        gc.unfreeze()      # collectable again here: a preview builds many times in one process
    results: list = [None] * len(items)
    for k, (part, _) in enumerate(parts):
        results[k::jobs] = part
    return results, [learnt for _, learnt in parts[1:]] if state else []


def _run(k: int) -> tuple[list, object]:
    work, items, step, state = _WORK
    results = list(work(items[k::step]))
    return results, (state() if state else None)


class Pending:
    """A result being made in a forked child (see `later`): calling it once waits for the result
    or raises the child's exception; `cancel` ends a child whose result is no longer wanted."""

    def __init__(self, value=None, process=None, receive=None):
        self._value, self._process, self._receive = value, process, receive

    def __call__(self):
        if self._process is None:
            return self._value
        try:
            ok, value = self._receive.recv()
        except EOFError:
            raise RuntimeError("a build process ended without giving its result") from None
        finally:
            self._close()
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._close()

    def _close(self) -> None:
        self._receive.close()
        self._process.join()
        self._process = None


def later(work: Callable[[], T], size: int = MIN_ITEMS, jobs: int = 0) -> Pending:
    """`work()` begun in a forked child while this process goes on.  Without fork or a second
    core, or for work on fewer than MIN_ITEMS things, it is done here and now."""
    if jobs_for(size, jobs) == 1:
        return Pending(work())
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        try:
            outcome = (True, work())
        except BaseException as exc:  # noqa: B036 - handed to the parent, which raises it
            outcome = (False, exc)
        send.send(outcome)

    process = context.Process(target=child, daemon=True)
    process.start()
    send.close()
    return Pending(None, process, receive)
