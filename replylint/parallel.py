"""Linting many files on every core: worker processes forked from the run's session.

Workers are forked after the session has read its configuration and loaded its plugins, so
each inherits the linters ready to use (no second start-up) and only file bytes go out and
packed reports (``replylint.results``) come back. Where ``fork`` does not exist (Windows,
and macOS where it is unsafe with system frameworks) files are linted in the process. A
worker that dies takes no file with it: its files are linted again in the main process.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .engine import NotRecognised, ReaderFault
from .model import GROUP_DOCS, InputError
from .results import dumps

#: below this many files to lint, starting workers costs more than it saves
MIN_FILES = 24
#: files in one task of a worker (or one step in this process): one group of documents
CHUNK = GROUP_DOCS
WARM_FILES = 8

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
              portable: bool = False) -> list[Outcome]:
    """``lint_one`` of each ``(linter, source, bytes)``, the documents of consecutive files
    with one linter linted together (``Linter.lint_documents``: a macro library is one
    document per file)."""
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
            reports = iter(files[group[0][0]][0].lint_documents(
                [doc for _, docs in group for doc in docs]))
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
        if (self._pool is None and (self.workers <= 1 or len(jobs) < MIN_FILES
                                    or not hasattr(os, "fork") or sys.platform == "darwin")):
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
            for outcome in lint_many(part, self.options):
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
