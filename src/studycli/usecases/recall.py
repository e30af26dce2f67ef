"""The FSRS recall model of every card seen, replaying only what changed since the last run.

`report` and `mock` both need each card's FSRS memory as of today. Replaying the whole log costs
tens of thousands of py-fsrs steps on a long history; here the store fingerprints each card's
first attempts (`Store.attempt_marks`), the cards whose fingerprint matches the cache keep their
cached memory, and only the rest are replayed from their own attempts (`memory.replay_memories`,
itself helped by the step cache). The result is exactly the full replay's, which tests check.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .. import config, memory
from ..stepcache import MemoryCache, StepCache

if TYPE_CHECKING:
    import fsrs

    from ..store import Store

# Reading a few cards' attempts by id beats reading the whole log only when they are few.
WHOLE_LOG_SHARE = 0.25
# Loading the step table (~2 MB after a year at 20,000 cards) costs more than computing a few
# thousand steps; it pays off only for a large replay (a first report, a new py-fsrs, an import).
STEP_TABLE_FROM = 5_000  # attempts to replay


def recall_model(store: Store, today: date) -> dict[str, fsrs.Card] | None:
    """Each card's FSRS memory after its first attempts up to `today`; None when nothing was ever
    graded (the report then shows no estimate, rather than an estimate over no cards)."""
    marks = store.attempt_marks(today)
    if not marks and not store.has_attempts():
        return None
    cache = MemoryCache(config.memory_cache_path(), store.identity())
    kept = cache.kept(marks)
    changed = marks.keys() - kept.keys()
    fresh: dict[str, memory.Remembered] = {}
    if changed:
        replaying = sum(marks[cid][0] for cid in changed)
        steps = StepCache(config.step_cache_path() if replaying >= STEP_TABLE_FROM else None)
        few = len(changed) <= WHOLE_LOG_SHARE * len(marks)
        attempts = store.attempts(until=today, cards=changed if few else None)
        fresh = memory.replay_memories((memory.Attempt(*a) for a in attempts if a[0] in changed), steps.steps)
        steps.save()
    memories = {cid: fresh[cid] if cid in fresh else kept[cid] for cid in marks}
    cache.save(marks, memories, len(changed))
    return memory.to_cards(memories)
