"""Bulk work that allocates millions of objects (a 100,000-row import) and the cyclic garbage collector.

CPython runs its cycle collector every 700 net allocations, and each collection of an older generation walks
every object that generation holds: while an import builds its rows, records and candidates, the collector ran
thousands of times over a heap that only grew and took about 40% of the import's Python time (measured: 5.5 s
-> 2.9 s to read, build and check a 100,000-row file). Those objects form no cycles; reference counting frees
them when the import drops them. So the collector pauses while bulk work runs, and resumes when the last bulk
block ends: callers drop their large structures before leaving the block, so that the first collection after
it does not walk them. Cycles other code creates meanwhile (the API keeps serving) wait until then.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_active = 0
_was_enabled = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector while this block runs (nested and concurrent blocks share one pause)."""
    global _active, _was_enabled
    with _lock:
        if _active == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _was_enabled:
                gc.enable()
