"""Linting on every core: worker processes forked from the run's session, and a long
document's checks shared with a forked process.

Workers are forked after the session has read its configuration and loaded its plugins, so
each inherits the linters ready to use (no second start-up) and only file bytes go out and
packed reports (``replylint.results``) come back. Where ``fork`` does not exist (Windows,
and macOS where it is unsafe with system frameworks) files are linted in the process. A
worker that dies takes no file with it: its files are linted again in the main process.

A run of a few files lints them in the process, and there a document of over
``SHARE_CHARS`` has its checks shared with a forked process (``lint_shared``): a megabyte
document takes a second or two of checks, and the other core would be idle.
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .engine import NotRecognised, ReaderFault
from .engine import Outcome as CheckOutcome
from .model import GROUP_DOCS, Document, InputError, Report
from .results import dumps

#: below this many files to lint, starting workers costs more than it saves
MIN_FILES = 24
#: files in one task of a worker (or one step in this process): one group of documents
CHUNK = GROUP_DOCS
WARM_FILES = 8
#: a document this long has its checks shared with a forked process when there is a core free
SHARE_CHARS = 256 << 10
#: checks that keep a connection (LanguageTool's), which must not be used from both sides of
#: a fork: they run in this process, as plugins' checks do
_HERE_ONLY = ("replylint.checks.grammar",)
#: checks a queue can hold: two bytes each, written whole into a pipe, which holds at least
#: a page (4 KiB) even for a user over the pipe-size limit
MAX_QUEUE = 2048

#: ``fork`` exists here and is safe (on macOS it is not, with system frameworks loaded)
FORK_SAFE = hasattr(os, "fork") and sys.platform != "darwin"

#: (index of the file's linter, file name, bytes)
Job = tuple[int, str, bytes]
#: ("reports", [Report, …], or their bytes from a worker) | ("error", reason, not_recognised)
#: | ("internal", message)
Outcome = tuple[Any, ...]

_linters: Sequence[Any] = ()
_options: dict[str, Any] = {}


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def lint_one(
    linter: Any, source: str, data: bytes, options: dict[str, Any], portable: bool = False
) -> Outcome:
    """Lint one file's bytes into an outcome (never raises); ``portable`` packs the reports
    for another process."""
    return lint_many([(linter, source, data)], options, portable)[0]


def lint_many(files: Sequence[tuple[Any, str, bytes]], options: dict[str, Any],
              portable: bool = False, share: bool = False) -> list[Outcome]:
    """``lint_one`` of each ``(linter, source, bytes)``, the documents of consecutive files
    with one linter linted together (``Linter.lint_documents``: a macro library is one
    document per file). ``share``: a core is free for long documents (``lint_shared``)."""
    outcomes: dict[int, Outcome] = {}
    read: list[tuple[int, list[Any]]] = []
    for n, (linter, source, data) in enumerate(files):
        try:
            read.append((n, linter.documents(source, data, **options)))
        except Exception as e:
            outcomes[n] = _failure(source, e)
    for _, run in itertools.groupby(read, key=lambda r: id(files[r[0]][0])):
        group = list(run)
        try:
            reports = iter(_lint_documents(files[group[0][0]][0],
                                           [doc for _, docs in group for doc in docs], share))
            for n, docs in group:
                found = [next(reports) for _ in docs]
                outcomes[n] = ("reports", dumps(found) if portable else found)
        except Exception as e:  # a fault in replylint itself: only its own file reports it
            if len(group) == 1:
                outcomes[group[0][0]] = _failure(files[group[0][0]][1], e)
            else:
                for n, _ in group:
                    outcomes[n] = lint_one(*files[n], options, portable)
    return [outcomes[n] for n in range(len(files))]


def _lint_documents(linter: Any, docs: list[Document], share: bool) -> list[Report]:
    if not share or all(len(doc.text) < SHARE_CHARS for doc in docs):
        return linter.lint_documents(docs)  # type: ignore[no-any-return]
    reports: list[Report] = []
    for long, run in itertools.groupby(docs, key=lambda doc: len(doc.text) >= SHARE_CHARS):
        run_docs = list(run)
        if long:
            reports += [lint_shared(linter, doc) for doc in run_docs]
        else:
            reports += linter.lint_documents(run_docs)
    return reports


def lint_shared(linter: Any, doc: Document) -> Report:
    """``linter.lint_document(doc)``, its checks shared between this process and a forked
    one: each takes the next check from a queue (a pipe) until none is left.

    What most checks read (zones, prose, sentences, word index) is worked out first, so both
    processes have it. The fork runs only replylint's own checks, which read nothing but the
    document; plugins' checks and ``_HERE_ONLY`` run here. The report is the one
    ``lint_document`` makes, assembled in the checks' order; if the fork cannot be made or
    dies, the checks it took are run here.
    """
    checks = linter.checks_for(doc)
    shared = [k for k, ac in enumerate(checks) if ac.plugin.startswith("replylint.checks.")
              and ac.plugin not in _HERE_ONLY]
    done: dict[int, CheckOutcome] = {}
    if 1 < len(shared) <= MAX_QUEUE and _can_fork():
        _read_ahead(doc)
        done = _share(linter, doc, checks, shared)
    missing = [k for k in range(len(checks)) if k not in done]
    done.update(zip(missing, linter.outcomes(doc, [checks[k] for k in missing]), strict=True))
    return linter.assemble(doc, [(ac, done[k]) for k, ac in enumerate(checks)])


def _can_fork() -> bool:
    """Whether forking is safe now: no other thread (which could hold a lock the fork would
    inherit held), and a second core to run the fork."""
    return FORK_SAFE and threading.active_count() == 1 and available_cpus() > 1


def _read_ahead(doc: Document) -> None:
    from .phrasescan import word_index
    from .readability import sentences, word_count

    for name in ("zones", "prose", "customer_text", "placeholders"):  # cached on the document
        getattr(doc, name)
    for reading in (sentences, word_index, word_count):  # cached by text
        reading(doc.prose)


def _share(linter: Any, doc: Document, checks: list[Any], shared: list[int]
           ) -> dict[int, CheckOutcome]:
    """The outcomes of the checks this process ran, and of those the fork ran and sent back.
    The queue is written whole and closed before the fork: a read of two bytes takes one
    check, and the end of the pipe says that none is left."""
    import pickle  # not at import: a pre-send check never needs it

    from . import lexicon

    queue, queue_in = os.pipe()
    os.write(queue_in, array("H", shared).tobytes())  # fits: nobody reads before the fork
    os.close(queue_in)
    back, back_in = os.pipe()
    lexicon.close()  # its SQLite connection must not be used on both sides of the fork
    try:
        pid = os.fork()
    except OSError:
        for fd in (queue, back, back_in):
            os.close(fd)
        return {}
    if pid == 0:  # the fork: run checks from the queue, send their outcomes, leave
        status = 1
        try:
            os.close(back)
            data = pickle.dumps(_run_queue(linter, doc, checks, queue))
            with os.fdopen(back_in, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(back_in)
    done: dict[int, CheckOutcome] = {}
    reaped = False
    try:
        own = set(shared)
        here = [k for k in range(len(checks)) if k not in own]
        done.update(zip(here, linter.outcomes(doc, [checks[k] for k in here]), strict=True))
        done.update(_run_queue(linter, doc, checks, queue))
        with os.fdopen(back, "rb", closefd=False) as answer:
            data = answer.read()
        status = os.waitpid(pid, 0)[1]
        reaped = True
        if status == 0:  # exited normally: its answer is whole
            done.update(pickle.loads(data))
    finally:
        os.close(queue)
        os.close(back)
        if not reaped:  # stopped early (Ctrl-C, a fault here): the fork goes too
            os.kill(pid, 9)
            os.waitpid(pid, 0)
    return done


def _run_queue(linter: Any, doc: Document, checks: list[Any], queue: int
               ) -> list[tuple[int, CheckOutcome]]:
    done = []
    while len(taken := os.read(queue, 2)) == 2:
        k = array("H", taken)[0]
        [outcome] = linter.outcomes(doc, [checks[k]])
        done.append((k, outcome))
    return done


def _failure(source: str, e: Exception) -> Outcome:
    if isinstance(e, InputError):
        return ("error", e.reason, isinstance(e, NotRecognised))
    if isinstance(e, ReaderFault):  # names the reader and its plugin
        return ("internal", f"{source}: {e}")
    return ("internal", f"internal error while linting {source}: {type(e).__name__}: {e}")


def _work(jobs: list[Job]) -> list[Outcome]:
    return lint_many([(_linters[i], source, data) for i, source, data in jobs], _options, True)


class Workers:
    """The worker processes of one run, started when a batch first has enough files and kept
    for the run's later batches (a fresh worker spends its first files building tables).

    Before forking, the first ``WARM_FILES`` files of that batch are linted here, so the
    workers inherit the tables and imports those files needed instead of each building its
    own; the lexicon's database connection is closed first (SQLite connections must not
    cross a fork).
    """

    def __init__(self, linters: Sequence[Any], options: dict[str, Any], workers: int) -> None:
        self.linters, self.options, self.workers = linters, options, workers
        self._pool: Any = None

    def submit(self, jobs: Sequence[Job], done: Callable[[int], None] = lambda n: None
               ) -> Iterator[Outcome]:
        """The outcomes of ``jobs``, in order. With worker processes the work starts now, so
        the caller can read the next batch while they lint this one; in this process (too few
        files, or no ``fork``) ``CHUNK`` files at a time are linted as their outcomes are
        read."""
        linters, options = self.linters, self.options
        if self._pool is None and (self.workers <= 1 or len(jobs) < MIN_FILES or not FORK_SAFE):
            return self._here(jobs, done)
        warm: list[Outcome] = []
        if self._pool is None:
            for i, source, data in jobs[:WARM_FILES]:
                warm.append(lint_one(linters[i], source, data, options))
                done(1)
            jobs = jobs[WARM_FILES:]
            self._start()
        from concurrent.futures.process import BrokenProcessPool

        chunks = [list(jobs[i : i + CHUNK]) for i in range(0, len(jobs), CHUNK)]
        try:
            futures = [self._pool.submit(_work, chunk) for chunk in chunks]
        except BrokenProcessPool:  # a worker died in the batch before: this one is linted here
            self.close()
            return itertools.chain(warm, self._here(jobs, done))
        return self._collect(warm, chunks, futures, done)

    def _here(self, jobs: Sequence[Job], done: Callable[[int], None]) -> Iterator[Outcome]:
        for k in range(0, len(jobs), CHUNK):
            part = [(self.linters[i], source, data) for i, source, data in jobs[k : k + CHUNK]]
            for outcome in lint_many(part, self.options, share=self.workers > 1):
                yield outcome
                done(1)

    def _collect(self, warm: list[Outcome], chunks: list[list[Job]], futures: list[Any],
                 done: Callable[[int], None]) -> Iterator[Outcome]:
        from concurrent.futures.process import BrokenProcessPool

        yield from warm
        broken = False
        for chunk, future in zip(chunks, futures, strict=True):
            try:
                outcomes = future.result()
            except BrokenProcessPool:  # a worker died: its files are linted here
                broken = True
                outcomes = lint_many([(self.linters[i], s, d) for i, s, d in chunk],
                                     self.options)
            yield from outcomes
            done(len(chunk))
        if broken:
            self.close()  # the next batch starts new workers

    def _start(self) -> None:
        global _linters, _options
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from . import lexicon

        lexicon.close()
        _linters, _options = self.linters, self.options
        self._pool = ProcessPoolExecutor(max_workers=self.workers,
                                         mp_context=multiprocessing.get_context("fork"))

    def close(self) -> None:
        global _linters, _options
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)  # a run that stops early waits for no batch
            self._pool = None
        _linters, _options = (), {}
