"""Each document is read in a worker process under a memory and a time limit, so that one hostile or broken file
costs one quarantined document, never the build: a 5 KB workbook declaring a cell at XFD1048576, a .docx whose cell
spans a million columns, a corrupted .et that sends xlrd into a loop, a PDF that takes minutes.

    >>> with Worker(Limits(seconds=20)) as worker:
    ...     worker.call(len, b"abc")
    3

A worker is one forked process kept for many documents (the spaCy pipeline and jieba's dictionary loaded once, in the
parent, are shared with it). Its address space is capped at what it holds when it starts plus ``memory_mb``; a call
that runs past ``seconds`` or dies (out of memory, a crash in a C library) is an ``Unparseable`` saying so, and the
next call gets a fresh worker. The limits: ``REGKB_DOCUMENT_MEMORY_MB`` (default 2048) and
``REGKB_DOCUMENT_SECONDS`` (default 120), or ``Limits(...)``.

A pool sends each worker its next document before it has answered the last (``Pool(ahead=2)``), so that no worker
waits while this process stores a result: the 100× bench archive built in 37.9 s instead of 40.1 s on 2 cores (with
one call each, a third worker on the two cores had cut it to 36.7 s: two workers were waiting that long). The calls
queued behind one that kills its worker go again to a fresh one, neither lost nor blamed.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import resource
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Any

from nlp.records import Unparseable


def _env_number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    memory_mb: float = field(default_factory=lambda: _env_number("REGKB_DOCUMENT_MEMORY_MB", 2048))
    seconds: float = field(default_factory=lambda: _env_number("REGKB_DOCUMENT_SECONDS", 120))


class DocumentTooCostly(Unparseable):
    """Reading the document ran past a limit (time or memory), or killed its reader."""


def _address_space() -> int:
    """The process's virtual memory now, in bytes (Linux: /proc/self/statm)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _serve(connection, memory_mb: float) -> None:
    """The worker: cap its address space, then answer (function, args) until told to stop."""
    allowance = int(memory_mb * 1024 * 1024)
    soft = _address_space() + allowance
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or soft < hard:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))   # the soft limit only: a program it runs may lift it
    calls: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_take_calls, args=(connection, calls), daemon=True, name="regkb-calls").start()
    while True:
        message = calls.get()
        if message is None:
            return
        function, args, kwargs = message
        try:
            connection.send(("ok", function(*args, **kwargs)))
        except MemoryError:
            connection.send(("memory", f"it needed more than {memory_mb:.0f} MB"))
        except Unparseable as error:
            connection.send(("unparseable", error))
        except BaseException as error:   # noqa: BLE001 - everything goes back to the parent, which decides
            connection.send(("error", (type(error).__name__, str(error), traceback.format_exc(limit=6))))


def _take_calls(connection, calls: queue.SimpleQueue) -> None:
    """The calls sent, taken from the pipe as they come, while the worker reads the one before: the parent's
    sending a call ahead never waits for this process to finish one (nor this one's answer for the parent's
    sending: each would wait on the other's full pipe). None at the end, or when a call cannot be read."""
    while True:
        try:
            message = connection.recv()
        except Exception:   # noqa: BLE001 - the pipe closed, or a call that cannot be unpickled: the worker ends
            message = None
        calls.put(message)
        if message is None:
            return


class Worker:
    """One reader process at a time, replaced when a call kills it or runs over its time. Calls may be sent ahead
    (``send`` before the last one's ``receive``): the process reads them in turn, the next one as soon as it has
    answered the last, and ``receive`` gives their outcomes in the order sent."""

    def __init__(self, limits: Limits | None = None):
        self.limits = limits or Limits()
        self._process = None
        self._connection = None
        self.replaced = 0
        self.deadline = 0.0     # when the oldest call sent is past its time
        self.outstanding = 0    # calls sent and not yet received

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def running(self) -> bool:
        """Whether the process is there (False once a call killed it or ran over: the calls sent behind that one
        are lost, and go again)."""
        return self._process is not None

    def _start(self) -> None:
        context = multiprocessing.get_context("fork")
        parent, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, self.limits.memory_mb), daemon=True,
                                        name="regkb-reader")
        self._process.start()
        child.close()
        self._connection = parent

    def _stop(self, kill: bool = False) -> None:
        self.outstanding = 0
        if self._process is None:
            return
        if kill:
            self._process.kill()
        else:
            try:
                self._connection.send(None)
            except (BrokenPipeError, OSError):
                pass
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._connection.close()
        self._process = self._connection = None

    def close(self) -> None:
        self._stop()

    def call(self, function: Callable, *args, **kwargs) -> Any:
        """``function(*args, **kwargs)`` in the worker: its result, its Unparseable, or DocumentTooCostly."""
        self.send(function, *args, **kwargs)
        return self.receive()

    def send(self, function: Callable, *args, **kwargs) -> None:
        """Start ``function(*args, **kwargs)`` in the worker, or queue it behind the calls sent before; ``receive()``
        has its outcome. What cannot be pickled raises here, and nothing is sent."""
        message = (function, args, kwargs)
        if self.outstanding:
            # behind another call: a process that died since is found by receiving that one, which then fails
            # and takes this one with it (Pool.map sends it again)
            try:
                self._connection.send(message)
            except (BrokenPipeError, OSError):
                pass
            self.outstanding += 1
            return
        if self._process is None or not self._process.is_alive():
            self._start()
        try:
            self._connection.send(message)
        except (BrokenPipeError, OSError):
            self._stop(kill=True)
            self._start()
            self._connection.send(message)
        self.outstanding = 1
        self.deadline = time.monotonic() + self.limits.seconds

    @property
    def connection(self):
        return self._connection

    def receive(self) -> Any:
        """The outcome of the oldest call sent: its result, or its Unparseable, or DocumentTooCostly once the time is
        up (the time of a call queued behind another runs from when that one was answered, or later)."""
        if not self._connection.poll(max(0.0, self.deadline - time.monotonic())):
            self._stop(kill=True)
            self.replaced += 1
            raise DocumentTooCostly(f"reading it took more than {self.limits.seconds:.0f} s (stopped; "
                                    "REGKB_DOCUMENT_SECONDS raises the limit)")
        try:
            status, value = self._connection.recv()
        except (EOFError, OSError):
            code = self._process.exitcode if self._process else None
            self._stop(kill=True)
            self.replaced += 1
            raise DocumentTooCostly(f"its reader died (exit code {code}), most likely out of memory beyond "
                                    f"{self.limits.memory_mb:.0f} MB (REGKB_DOCUMENT_MEMORY_MB raises the limit)")
        self.outstanding -= 1
        if self.outstanding:
            self.deadline = time.monotonic() + self.limits.seconds   # the next call started at the latest now
        if status == "ok":
            return value
        if status == "unparseable":
            raise value
        if status == "memory":
            self._stop(kill=True)   # a process that ran out of memory is not trusted with the next document
            self.replaced += 1
            raise DocumentTooCostly(f"{value} (REGKB_DOCUMENT_MEMORY_MB raises the limit)")
        name, message, trace = value
        raise ReaderError(name, message, trace)


@dataclass
class Outcome:
    """What one call in a pool gave: its arguments, and its value or the exception it raised (``get()`` returns or
    raises it)."""

    call: tuple
    value: Any = None
    error: BaseException | None = None

    def get(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.value


class Pool:
    """``jobs`` workers reading at once, each under the same limits as a lone Worker; results in the order asked.

        >>> with Pool(2, Limits(seconds=20)) as pool:
        ...     [outcome.get() for outcome in pool.map(len, ([b"a"], [b"abc"], [b""]))]
        [1, 3, 0]

    ``map`` takes the calls' arguments lazily (the archive is read as the workers need the next document) and keeps
    at most ``window`` calls ahead of the one it yields next, so memory stays bounded however long the build."""

    def __init__(self, jobs: int | None = None, limits: Limits | None = None, window: int | None = None,
                 ahead: int = 2):
        """``jobs``: workers, by default one per core; ``ahead``: the calls each is sent at once (the next waits in
        its pipe, so that it never waits for this process, busy with the last one's outcome)."""
        self.workers = [Worker(limits) for _ in range(max(1, jobs or os.cpu_count() or 1))]
        self.window = window or 32 * len(self.workers)
        self.ahead = max(1, ahead)

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for worker in self.workers:
            worker.close()

    @property
    def replaced(self) -> int:
        return sum(worker.replaced for worker in self.workers)

    def map(self, function: Callable, calls: Iterable[tuple]) -> Iterator[Outcome]:
        calls = iter(calls)
        sent: dict[Worker, deque] = {worker: deque() for worker in self.workers}   # the number and arguments of each
        again: deque = deque()      # calls sent to a worker that was then stopped, before it read them
        done: dict[int, Outcome] = {}
        numbered = following = 0
        exhausted = False
        while True:
            for depth in range(self.ahead):   # every worker one call, then a second behind it …
                for worker in self.workers:
                    if len(sent[worker]) > depth:
                        continue
                    if not again:
                        if exhausted or numbered - following >= self.window:
                            break
                        try:
                            again.append((numbered, next(calls)))
                        except StopIteration:
                            exhausted = True
                            break
                        numbered += 1
                    number, args = again.popleft()
                    try:
                        worker.send(function, *args)
                    except BaseException as error:   # noqa: BLE001 - what cannot be sent is that call's outcome
                        done[number] = Outcome(args, error=error)
                    else:
                        sent[worker].append((number, args))
            while following in done:
                yield done.pop(following)
                following += 1
            busy = [worker for worker in self.workers if sent[worker]]
            if not busy:
                if exhausted and not again and following == numbered:
                    return
                continue
            wait([worker.connection for worker in busy],
                 timeout=max(0.0, min(worker.deadline for worker in busy) - time.monotonic()))
            now = time.monotonic()
            for worker in busy:
                while sent[worker] and (worker.connection.poll() or now >= worker.deadline):
                    number, args = sent[worker].popleft()
                    try:
                        done[number] = Outcome(args, value=worker.receive())
                    except BaseException as error:   # noqa: BLE001 - the call's outcome, for the caller to judge
                        done[number] = Outcome(args, error=error)
                        if not worker.running:   # stopped: the calls behind this one were never read
                            again.extendleft(reversed(sent[worker]))
                            sent[worker].clear()


def run_here(function: Callable, calls: Iterable[tuple]) -> Iterator[Outcome]:
    """Pool.map in this process, without limits (to debug or profile a reader)."""
    for args in calls:
        try:
            yield Outcome(args, value=function(*args))
        except Exception as error:   # noqa: BLE001 - the call's outcome, for the caller to judge
            yield Outcome(args, error=error)


class ReaderError(Exception):
    """A bug in a reader, raised in the worker: its type, message and the end of its traceback."""

    def __init__(self, name: str, message: str, trace: str):
        super().__init__(f"{name}: {message}")
        self.name, self.message, self.trace = name, message, trace
