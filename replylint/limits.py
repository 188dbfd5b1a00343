"""Limits that keep one hostile input or one faulty plugin from stalling a run.

- ``max-input-size``: bytes read from a file, standard input or the API (``read_input``,
  ``read_stream``, ``check_size``); a larger input is an ``InputError`` (exit code 2).
- ``max-findings``: findings kept per document, the first by position, then one note saying
  how many more there were (``TOO_MANY_FINDINGS_RULE``).
- ``check-timeout``: seconds each check may run on one document (``Stopwatch``). In the
  main thread of the main interpreter (the command line, the service's warm-up, worker
  processes) a ``SIGALRM`` timer stops an overrunning check; elsewhere (the service's request
  threads, any thread of a host application) signals cannot be used, so the time is measured
  afterwards and the overrun reported without stopping the check.

A check is never stopped inside an import or inside ``unbudgeted()`` (one-time set-up such as
building a word table or loading a model): the timer waits until it is over, then the check
gets a fresh budget. Time spent in ``unbudgeted()`` is not counted either way.
"""

from __future__ import annotations

import math
import os
import re
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from types import FrameType
from typing import IO, Any, NamedTuple

from .model import InputError

try:  # signal.signal without its enum conversions, 6 µs a call (two per lint() of a reply)
    from _signal import signal as _set_handler  # type: ignore[import-not-found]
except ImportError:  # not CPython
    _set_handler = signal.signal

DEFAULT_MAX_INPUT_SIZE = 32_000_000  # 32 MB: a 10,000-macro export is about 11 MB
DEFAULT_MAX_FINDINGS = 100
DEFAULT_CHECK_TIMEOUT = 2.0  # seconds

#: the note that ends a document's findings when ``max-findings`` dropped some
TOO_MANY_FINDINGS_RULE = "replylint.too-many-findings"
TOO_MANY_FINDINGS_CODE = "RPL002"

#: rule families that bound their own waiting (LanguageTool's connect and read timeouts, a
#: JVM start-up): no ``check-timeout`` unless one is set for the rule itself
SELF_TIMED_FAMILIES = frozenset({"grammar"})

# -- sizes -----------------------------------------------------------------------------------

_UNITS = {
    "": 1, "b": 1, "byte": 1, "bytes": 1,
    "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2, "g": 1000**3, "gb": 1000**3,
    "kib": 1024, "mib": 1024**2, "gib": 1024**3,
}
_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([a-zA-Z]*)\s*")


def parse_size(value: Any) -> int:
    """Bytes from an integer or a string such as ``"10MB"``, ``"1.5 MB"``, ``"512KiB"``.

    KB, MB and GB are powers of 1000, KiB, MiB and GiB powers of 1024. ValueError if invalid.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a number of bytes or a size such as \"10MB\", got {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"must not be negative, got {value}")
        return value
    if isinstance(value, str):
        m = _SIZE.fullmatch(value)
        if m and m.group(2).lower() in _UNITS:
            return int(float(m.group(1)) * _UNITS[m.group(2).lower()])
    raise ValueError(
        f"expected a number of bytes or a size such as \"10MB\" or \"512KiB\", got {value!r}"
    )


def _unit(limit: int) -> tuple[int, str]:
    """The unit to write sizes in: KiB, MiB, GiB for a whole number of them (not also a
    whole number of KB, MB, GB), else KB, MB, GB; bytes below 1 KB."""
    for k, binary, decimal in ((3, "GiB", "GB"), (2, "MiB", "MB"), (1, "KiB", "KB")):
        if limit >= 1024**k and limit % 1024**k == 0 and limit % 1000**k != 0:
            return 1024**k, binary
        if limit >= 1000**k:
            return 1000**k, decimal
    return 1, "bytes"


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def over_limit(what: str, size: int | None, limit: int) -> str:
    """``file is 50.0 MB, over the 10 MB limit (max-input-size)``; size None when unknown."""
    unit, name = _unit(limit)
    limit_text = f"{_number(limit / unit)} {name}" if unit > 1 else f"{limit:,} bytes"
    if size is None:
        return f"{what} is over the {limit_text} limit (max-input-size)"
    size_text = f"{size / unit:.1f} {name}" if unit > 1 else f"{size:,} bytes"
    if unit > 1 and round(size / unit, 1) <= limit / unit:  # 10.0 MB over a 10 MB limit
        size_text, limit_text = f"{size:,} bytes", f"{limit_text} = {limit:,} bytes"
    return f"{what} is {size_text}, over the {limit_text} limit (max-input-size)"


def check_size(source: str, data: bytes, max_bytes: int | None) -> None:
    """InputError when ``data`` is longer than ``max_bytes`` (None or 0: no limit)."""
    if max_bytes and len(data) > max_bytes:
        raise InputError(source, over_limit("input", len(data), max_bytes))


def read_input(path: str | os.PathLike[str], max_bytes: int | None) -> bytes:
    """The bytes of the file at ``path``, refusing one over ``max_bytes`` before reading it.

    The size comes from ``fstat`` of the opened file; at most ``max_bytes + 1`` bytes are
    ever read, so a file that grows, a pipe or a device such as ``/dev/zero`` is refused too.
    A named pipe is opened without waiting for a writer (no writer: empty input). Every
    failure is an ``InputError`` naming the file: too large, a directory, a symlink loop,
    permission denied … ``max_bytes`` None or 0 means no limit.
    """
    source = os.fspath(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as e:
        raise InputError(source, _os_reason(e)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(source, "is a directory")
        if not stat.S_ISREG(info.st_mode) and hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # opened without waiting (a pipe): now read normally
        regular = stat.S_ISREG(info.st_mode)
        if max_bytes and regular and info.st_size > max_bytes:
            raise InputError(source, over_limit("file", info.st_size, max_bytes))
        data = _read_at_most(partial(os.read, fd), max_bytes, info.st_size if regular else None)
    except OSError as e:
        raise InputError(source, _os_reason(e)) from None
    finally:
        os.close(fd)
    if max_bytes and len(data) > max_bytes:
        raise InputError(source, over_limit("file", None, max_bytes))
    return data


def read_stream(stream: IO[bytes], max_bytes: int | None, source: str = "<stdin>") -> bytes:
    """All of a binary stream (standard input), refused once it passes ``max_bytes``."""
    data = _read_at_most(stream.read, max_bytes)
    if max_bytes and len(data) > max_bytes:
        raise InputError(source, over_limit("input", None, max_bytes))
    return data


_CHUNK = 1 << 16


def _read_at_most(read: Callable[[int], bytes], max_bytes: int | None,
                  size: int | None = None) -> bytes:
    """All that ``read(n)`` gives until it gives nothing, or one byte past ``max_bytes``.

    ``size``, a regular file's ``fstat`` size, makes the first read ask for that plus one: a
    short read is the file's end, and a file that grew since is read on. (A buffered reader
    asked for a megabyte at a time, allocating and freeing a megabyte twice per file: most
    of the main process's time reading a macro library.)
    """
    limit = max_bytes + 1 if max_bytes else None
    want = _CHUNK if size is None else size + 1
    chunks, total = [], 0
    while limit is None or total < limit:
        chunk = read(want if limit is None else min(want, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if size is not None and len(chunk) < want:
            break
        want = _CHUNK
    return b"".join(chunks)


def _os_reason(e: OSError) -> str:
    reason = e.strerror or str(e)
    return reason[:1].lower() + reason[1:]


# -- time ------------------------------------------------------------------------------------

POLL = 0.05  # seconds between looks while a check is in set-up, or ignores being stopped


class CheckTimeout(BaseException):
    """Raised inside a check that ran past its budget (a BaseException, so that a check's
    ``except Exception`` does not swallow it)."""


class Timing(NamedTuple):
    """How one check's run went against its budget."""

    budget: float | None
    elapsed: float  # seconds, not counting unbudgeted set-up
    stopped: bool  # the timer stopped it
    timed: bool  # a timer watched the run (else it could only be measured afterwards)

    @property
    def overran(self) -> bool:
        if self.budget is None:
            return False
        return self.stopped or (not self.timed and self.elapsed > self.budget)

    def message(self, rule: str, plugin: str) -> str:
        if self.stopped:
            return (f"check {rule} (plugin {plugin}) stopped after {self.elapsed:.1f} s: over "
                    f"its {_number(self.budget or 0)} s time budget (check-timeout)")
        return (f"check {rule} (plugin {plugin}) took {self.elapsed:.1f} s, over its "
                f"{_number(self.budget or 0)} s time budget (check-timeout); not stopped: "
                "only the main thread can stop a check (with SIGALRM)")


class _Local(threading.local):
    def __init__(self) -> None:
        self.depth = 0  # nesting of unbudgeted()
        self.setup = 0.0  # seconds spent in unbudgeted() since the current check began


_local = _Local()


@contextmanager
def unbudgeted() -> Iterator[None]:
    """One-time set-up (loading a model, building a table) that no check's budget pays for.

    Inside it a check is never stopped, and its time is not counted: wrap the first load of
    something a check then caches, not the check's work on a document.
    """
    state = _local
    state.depth += 1
    start = time.monotonic()
    try:
        yield
    finally:
        state.depth -= 1
        if state.depth == 0:
            state.setup += time.monotonic() - start


def _in_setup(frame: FrameType | None) -> bool:
    """Whether the interrupted code is set-up: ``unbudgeted()``, or an import in progress."""
    if _local.depth:
        return True
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


class Stopwatch:
    """Times the checks run on one document; stops overrunning ones when signals allow.

    Use as a context manager around all of a document's checks (the ``SIGALRM`` handler is
    installed once, then restored), and ``run`` each check in it. One one-shot timer serves
    every check: each sets its deadline, and the timer, when it fires early, is set again for
    the current deadline, so a fast check costs no system call.
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled  # False: no check has a budget, so no timer is needed
        self.signals = False
        self._previous: Any = None
        self._active = False  # a check is running under a budget
        self._deadline = math.inf  # monotonic time the running check must end by
        self._budget = 0.0
        self._alarm_at = math.inf  # monotonic time the timer fires (inf: not set)
        self._deferred = False  # the timer came during set-up
        self._fired = False  # CheckTimeout was raised in the running check

    def __enter__(self) -> Stopwatch:
        if (
            self.enabled
            and hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0  # nobody else's timer running
        ):
            try:
                self._previous = _set_handler(signal.SIGALRM, self._alarm)
                self.signals = True
            except ValueError:  # the main thread of a sub-interpreter
                pass
        return self

    def __exit__(self, *exc: object) -> None:
        if self.signals:
            self._active = False
            if self._alarm_at != math.inf:
                signal.setitimer(signal.ITIMER_REAL, 0)
                self._alarm_at = math.inf
            previous = signal.SIG_DFL if self._previous is None else self._previous
            _set_handler(signal.SIGALRM, previous)
            self.signals = False

    def run(self, budget: float | None, fn: Callable[..., None], *args: Any) -> Timing | None:
        """Call ``fn(*args)`` (a check's whole run) within ``budget`` seconds (None: no
        budget); how it went when it overran its budget, else None (the common case costs no
        record).

        Exceptions from ``fn`` propagate; being stopped does not: ``Timing.stopped`` says so.
        """
        _local.setup = 0.0
        timed = self.signals and bool(budget)
        start = time.monotonic()
        stopped = self._fired = self._deferred = False
        if timed:
            self._budget = budget or 0.0
            self._deadline = start + self._budget
            if self._deadline < self._alarm_at:
                self._set(self._budget)
        try:
            self._active = timed
            fn(*args)
        except CheckTimeout:
            stopped = True
        finally:
            self._active = False
        stopped = stopped or self._fired  # a check that swallowed the exception still overran
        if not budget or (timed and not stopped):
            return None
        elapsed = max(time.monotonic() - start - _local.setup, 0.0)
        timing = Timing(budget, elapsed, stopped, timed)
        return timing if timing.overran else None

    def _set(self, seconds: float) -> None:
        self._alarm_at = time.monotonic() + seconds
        signal.setitimer(signal.ITIMER_REAL, seconds)

    def _alarm(self, signum: int, frame: FrameType | None) -> None:
        self._alarm_at = math.inf  # a one-shot timer: nothing is set any more
        if not self._active:
            return  # between checks: the next one sets the timer again if it needs to
        now = time.monotonic()
        if frame is not None and frame.f_globals is globals():
            self._set(POLL)  # in this module's own code (run's bookkeeping): never here
            return
        if _in_setup(frame):
            self._deferred = True
            self._set(POLL)
            return
        if self._deferred:  # set-up is over: the check's own work gets a fresh budget
            self._deferred = False
            self._deadline = now + self._budget
        if now < self._deadline:
            self._set(self._deadline - now)
            return
        self._fired = True
        self._set(POLL)  # again, if the check swallows this one
        raise CheckTimeout
