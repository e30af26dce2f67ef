"""The FSRS recall model of every card seen, replaying only what changed since the last run.

`report` and `mock` both need each card's FSRS memory as of today. Replaying the whole log costs
tens of thousands of py-fsrs steps on a long history; here the memories are kept between runs
with where the log stood (`Store.log_mark`), the store names the cards graded or ungraded since
(`Store.cards_changed`: the log is append-only), and only those are replayed from their own
attempts (`memory.replay_memories`, itself helped by the step cache for a large replay). With
nothing new, no attempt is read at all. The result is exactly the full replay's, which tests
check.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .. import config, memory
from ..stepcache import Kept, MemoryCache, StepCache

if TYPE_CHECKING:
    from ..store import Store

# Reading a few cards' attempts by id beats reading the whole log only when they are few.
WHOLE_LOG_SHARE = 0.25
# Loading the step table (~2 MB after a year at 20,000 cards) costs more than computing a few
# thousand steps; it pays off only for a large replay (a first report, a new py-fsrs, an import).
STEP_TABLE_FROM = 5_000  # attempts to replay


def recall_model(store: Store, today: date) -> dict[str, memory.Recall] | None:
    """What the estimate reads of each card's FSRS memory after its first attempts up to `today`;
    None when nothing was ever graded (the report then shows no estimate, rather than an
    estimate over no cards)."""
    mark = store.log_mark()  # first: anything graded while this runs is replayed next time
    cache = MemoryCache(config.memory_cache_path(), store.identity())
    kept = cache.read()
    changed = store.cards_changed(kept.mark, kept.until, today) if kept is not None else None
    if kept is not None and changed is not None:
        memories = {cid: m for cid, m in kept.recalls.items() if cid not in changed}
        if changed:
            few = len(changed) <= WHOLE_LOG_SHARE * max(len(kept.recalls), 1)
            memories.update(_replay(store, today, changed if few else None, changed))
    else:
        memories = _replay(store, today, None, None)
    if not memories and not store.has_attempts():
        return None
    if kept is None or changed is None or changed or kept.mark != mark or kept.until != today:
        cache.save(Kept(mark, today, memories))
    return memories


def _replay(
    store: Store, today: date, read: set[str] | None, wanted: set[str] | None
) -> dict[str, memory.Recall]:
    """Replay the first attempts up to `today` of the cards in `wanted` (None: every card),
    reading only those of `read` from the store (None: the whole log, cheaper for many)."""
    attempts = [
        memory.Attempt(*a)
        for a in store.attempts(until=today, cards=read)
        if wanted is None or a[0] in wanted
    ]
    steps = StepCache(config.step_cache_path() if len(attempts) >= STEP_TABLE_FROM else None)
    fresh = memory.replay_memories(attempts, steps.steps)
    steps.save()
    return {cid: remembered.recall for cid, remembered in fresh.items()}
