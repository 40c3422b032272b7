"""A document's reader runs under a memory and a time limit: one hostile file costs one quarantined document."""

from __future__ import annotations

import os
import time

import pytest

from nlp.records import Unparseable
from pipeline.isolation import DocumentTooCostly, Limits, Pool, ReaderError, Worker


def spin(seconds: float) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    return "done"


def hog(megabytes: int) -> int:
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)


def refuse() -> None:
    raise Unparseable("not a document regkb reads")


def crash() -> None:
    raise KeyError("a bug")


def test_a_reader_past_its_time_is_stopped_and_the_next_call_gets_a_fresh_one():
    with Worker(Limits(memory_mb=512, seconds=1.5)) as worker:
        started = time.monotonic()
        with pytest.raises(DocumentTooCostly, match="more than 2 s"):
            worker.call(spin, 60)
        assert time.monotonic() - started < 10
        assert worker.call(spin, 0) == "done" and worker.replaced == 1


def test_a_reader_past_its_memory_is_stopped():
    with Worker(Limits(memory_mb=300, seconds=60)) as worker:
        with pytest.raises(DocumentTooCostly, match="300 MB"):
            worker.call(hog, 2048)
        assert worker.call(hog, 10) == 10 * 1024 * 1024


def test_an_unreadable_document_and_a_bug_come_back_as_themselves():
    with Worker(Limits(seconds=30)) as worker:
        with pytest.raises(Unparseable, match="not a document regkb reads"):
            worker.call(refuse)
        with pytest.raises(ReaderError, match="KeyError") as raised:
            worker.call(crash)
        assert "crash" in raised.value.trace
        assert worker.call(len, "四个字") == 3 and worker.replaced == 0


def test_a_pool_gives_each_outcome_in_the_order_asked_whatever_finishes_first():
    """Two workers: a slow call, one past its time, one that cannot even be sent (a lambda does not pickle) and a
    refused one come back in place, as what they are; the calls after them are still answered."""
    with Pool(2, Limits(memory_mb=512, seconds=2)) as pool:
        outcomes = list(pool.map(_call, [(spin, 0.5), (spin, 60), (len, lambda: 1), (refuse,), (len, "四个字")]))
    assert [outcome.call[0] for outcome in outcomes] == [spin, spin, len, refuse, len]
    assert outcomes[0].get() == "done" and outcomes[4].get() == 3
    with pytest.raises(DocumentTooCostly):
        outcomes[1].get()
    assert outcomes[2].error is not None and not isinstance(outcomes[2].error, DocumentTooCostly)
    with pytest.raises(Unparseable):
        outcomes[3].get()
    assert pool.replaced == 1


def _call(function, *args):
    return function(*args)


def die() -> None:
    os._exit(3)


@pytest.mark.parametrize("fatal, reason", [((spin, 60), "more than 2 s"), ((die,), "died")])
def test_a_call_sent_behind_one_that_stops_its_worker_is_read_again_by_a_fresh_one(fatal, reason):
    """A worker is sent the next call before it answers the last, so that it never waits: when the call it is
    reading kills it (or runs over its time), the one queued behind is not lost with it, nor blamed for it."""
    with Pool(1, Limits(memory_mb=512, seconds=1.5), ahead=2) as pool:
        outcomes = list(pool.map(_call, [(len, "一"), fatal, (len, "四个字"), (len, "五")]))
    with pytest.raises(DocumentTooCostly, match=reason):
        outcomes[1].get()
    assert [outcomes[i].get() for i in (0, 2, 3)] == [1, 3, 1] and pool.replaced == 1
