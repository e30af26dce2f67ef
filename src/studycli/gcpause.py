"""Pause Python's cyclic garbage collector while a command builds the data it keeps.

A daily command reads a large collection into long-lived objects (20,000 cards' ids and decks,
14,600 card states, a recall model) and frees almost nothing until it exits. With the collector
running, every allocation threshold triggers a pass over everything allocated so far (young passes
promote it, old passes walk it again): at 20,000 cards that cost as much as decoding the deck
cache, and about a tenth of `study report`, growing faster than the collection. Nothing these
loads build holds a reference cycle that needs collecting (Mercurial pauses its collector around
large loads for the same reason).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Run the block with the collector off, then `gc.freeze()` what exists and turn it back on.

    Freezing moves the loaded objects out of the collector's view for the rest of the process
    (reference counting still frees them), so later passes, during an interactive session, do not
    walk them again. Nested use is free: only the outermost block freezes and re-enables, and a
    collector that was off before stays off.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()
