"""Python's cycle collector, tuned for runs that build a large model and keep it.

A build or ``validate`` makes hundreds of thousands of objects that live until it ends
(the events, their updates, the derived state, the views). With the default threshold
(a young collection every 700 new containers), each of them is examined again and
again as it ages, and the collections of all generations took a quarter of loading
10,000 files, and 1.5 s of a build's parent process. Almost none of them is garbage:
nearly everything a run throws away has no cycle and is freed at once by reference
counting. mypy raises the threshold for the same reason.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 100_000
"""New containers between two young collections: cyclic garbage waits at most that long
(a few megabytes), and the long-lived objects are examined far less often."""


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect cycles less often while the block runs (the previous thresholds after)."""
    previous = gc.get_threshold()
    gc.set_threshold(max(previous[0], YOUNG_THRESHOLD), *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)
