"""The collector pause around large loads: off inside, restored after, loads frozen once."""

from __future__ import annotations

import gc

import pytest

from studycli import gcpause


@pytest.fixture
def collector():
    """Leave the collector as the test found it (and unfreeze what a test froze)."""
    was = gc.isenabled()
    yield
    gc.unfreeze()
    (gc.enable if was else gc.disable)()


def test_the_collector_is_off_inside_and_back_on_after_with_the_load_frozen(collector) -> None:
    gc.enable()
    gc.unfreeze()
    with gcpause.paused():
        assert not gc.isenabled()
        kept = [[i] for i in range(1000)]  # tracked containers, as a load builds
        assert gc.get_freeze_count() == 0
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(kept)


def test_nesting_and_errors_restore_the_collector_once(collector) -> None:
    gc.enable()
    gc.unfreeze()
    with pytest.raises(RuntimeError), gcpause.paused():
        with gcpause.paused():
            pass
        assert not gc.isenabled()  # the inner block does not turn it back on
        assert gc.get_freeze_count() == 0  # nor freeze
        raise RuntimeError("a failed load")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off_and_nothing_is_frozen(collector) -> None:
    gc.disable()
    gc.unfreeze()
    with gcpause.paused():
        pass
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0
