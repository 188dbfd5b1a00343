"""The result cache: an unchanged file under unchanged settings is not linted again.

Entries are keyed by a hash of the file's bytes, its name and a fingerprint of everything
that could change its findings: replylint's version and code, the configuration, the
plugins' files and the run's options (``--context``, ``--syntax``). Changing any of them
misses the cache; nothing needs to be cleared by hand.

A file is not even read again when its status (size, modification and change times, inode,
device) is the one recorded with its key, as git's index does. Any write sets the change
time, which no program can set back. Only a status recorded at least ``SETTLE_NS`` after the
file's last change is kept: a file changed again within the same clock tick as the reading
would keep its status (git's "racy" files). One SQLite file in the cache
directory (``REPLYLINT_CACHE_DIR``, else ``~/.cache/replylint``) in WAL mode, so concurrent
runs (two pre-commit hooks, CI jobs on one runner) read and write it safely. A cache that
cannot be opened or written is switched off for the run with a note: it never fails a lint.
"""

from __future__ import annotations

import dataclasses
import enum
import os
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import INTERNAL_ERROR_CODE, Report
from .results import dumps, loads

if TYPE_CHECKING:
    import sqlite3

SCHEMA = 3
#: findings that describe this run rather than the file (a check that crashed or timed out,
#: a LanguageTool server that was down): a report with one is never stored
TRANSIENT = frozenset({INTERNAL_ERROR_CODE, "GRM000"})
KEEP_DAYS = 30
TOUCH_AFTER = 86400  # seconds
BATCH = 500
SETTLE_NS = 2_000_000_000
#: where ``st_ctime`` is the time of the last change; on Windows it is the creation time, so
#: there every file is read and hashed
STATUS_TRUSTED = os.name == "posix"


def canonical(value: Any) -> Any:
    """``value`` as JSON-able data whose text is the same in every process (sets sorted)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, {f.name: canonical(getattr(value, f.name))
                                       for f in dataclasses.fields(value)}]
    if isinstance(value, Mapping):
        return sorted([str(k), canonical(v)] for k, v in value.items())
    if isinstance(value, set | frozenset):
        import json

        return sorted(json.dumps(canonical(v), sort_keys=True) for v in value)
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return repr(value) if not isinstance(value, Path) else str(value)


def storable(reports: Iterable[Report]) -> bool:
    return not any(f.code in TRANSIENT for r in reports for f in r.findings)


def _stat(path: str | Path) -> list[Any]:
    try:
        st = os.stat(path)
    except OSError:
        return [str(path), None]
    return [str(path), st.st_size, st.st_mtime_ns]


@cache
def code_fingerprint() -> str:
    """replylint's version and the size and time of every file of its package (so an edit
    in a development checkout counts as a new version)."""
    from . import __version__

    root = Path(__file__).parent
    files = sorted(str(p) for p in root.rglob("*") if p.suffix in {".py", ".json", ".yaml",
                                                                   ".toml"})
    return _digest([__version__, sys.version, [_stat(f) for f in files]])


def linter_fingerprint(linter: Any, **run_options: Any) -> str:
    """What besides the file decides a linter's findings: config, plugins, run options."""
    registry = linter.registry
    plugin_files = sorted(
        {n for n in registry.origins if os.path.isfile(n)}
        | {getattr(sys.modules.get(c.func.__module__), "__file__", None) or c.func.__module__
           for c, _ in registry.checks.values()}
        | {getattr(sys.modules.get(type(r).__module__), "__file__", None) or ""
           for r, _ in registry.readers}
    )
    return _digest([SCHEMA, code_fingerprint(), canonical(linter.config),
                    [_stat(f) for f in plugin_files], canonical(run_options)])


def _digest(value: Any) -> str:
    import hashlib
    import json

    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def status(st: os.stat_result) -> str:
    """What a file's status must still be for its recorded key to hold."""
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{st.st_dev}"


def settled(st: os.stat_result, before_ns: int) -> bool:
    """Whether a file read after ``before_ns`` (a clock reading) was last changed long enough
    before it that a later change must show in its status."""
    return STATUS_TRUSTED and max(st.st_mtime_ns, st.st_ctime_ns) < before_ns - SETTLE_NS


def file_key(fingerprint: str, folder: str, source: str) -> str:
    """The key of a file's recorded status: the file as named from ``folder``, under one
    fingerprint (so a change of settings reads every file again)."""
    import hashlib

    h = hashlib.blake2b(digest_size=20)
    for part in (fingerprint, folder, source):
        h.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return h.hexdigest()


def entry_key(fingerprint: str, source: str, data: bytes) -> str:
    import hashlib  # here, not at the top: a one-draft run imports this module, never hashes

    h = hashlib.blake2b(digest_size=20)
    h.update(fingerprint.encode())
    h.update(b"\0" + source.encode("utf-8", "surrogateescape") + b"\0")
    h.update(data)
    return h.hexdigest()


LOCK_TIMEOUT = 10.0  # seconds a run waits for another run's write


def _set_up(db: sqlite3.Connection) -> None:
    """WAL mode and the table. Switching a new file to WAL fails at once ("database is
    locked", no busy wait) while another run opening it at the same moment holds a lock, so
    that step is tried again until the lock timeout."""
    import sqlite3

    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, "
                       "reports BLOB NOT NULL, used REAL NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS files (file TEXT PRIMARY KEY, "
                       "status TEXT NOT NULL, key TEXT NOT NULL)")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def default_path() -> Path:
    from .cachedir import cache_dir

    return cache_dir() / "results.sqlite3"


class ResultCache:
    """Packed reports by entry key, and files' recorded statuses and keys, in one SQLite
    file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self.problem: str | None = None
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, bytes, float]] = []
        self._statuses: list[tuple[str, str, str]] = []
        self._hits: list[str] = []
        self._wrote = False  # by ``flush``, in this run: ``close`` expires old entries

    def _connect(self) -> sqlite3.Connection | None:
        import sqlite3

        if self._db is None and self.problem is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT, isolation_level=None)
                _set_up(db)
                self._db = db
            except (sqlite3.Error, OSError) as e:
                self._fail(e)
        return self._db

    def _fail(self, e: BaseException) -> None:
        self.problem = f"result cache {self.path} switched off: {e}"
        self._db = None

    def _select(self, query: str, keys: list[str]) -> Iterator[tuple[Any, ...]]:
        """Rows of ``query`` (``… IN ({})``) for ``keys``, ``BATCH`` keys per statement."""
        db = self._connect()
        if db is None:
            return
        for i in range(0, len(keys), BATCH):
            chunk = keys[i : i + BATCH]
            yield from db.execute(query.format(",".join("?" * len(chunk))), chunk)

    def get_many(self, keys: Iterable[str]) -> dict[str, list[Report]]:
        """The cached reports of the keys that are in the cache."""
        import sqlite3

        found: dict[str, list[Report]] = {}
        stale = time.time() - TOUCH_AFTER  # a hit marks its entry used, at most once a day
        try:
            for key, reports, used in self._select(
                    "SELECT key, reports, used FROM results WHERE key IN ({})", list(keys)):
                found[key] = loads(reports)
                if used < stale:
                    self._hits.append(key)
        except (sqlite3.Error, ValueError, KeyError, TypeError, EOFError) as e:
            self._fail(e)
            return {}
        return found

    def statuses(self, files: Iterable[str]) -> dict[str, tuple[str, str]]:
        """The recorded ``(status, entry key)`` of the files (``file_key``) that have one."""
        import sqlite3

        try:
            return {file: (st, key) for file, st, key in self._select(
                "SELECT file, status, key FROM files WHERE file IN ({})", list(files))}
        except sqlite3.Error as e:
            self._fail(e)
            return {}

    def record_status(self, file: str, status: str, key: str) -> None:
        """Record, with the batch, that the file with this status has this entry key."""
        self._statuses.append((file, status, key))

    def put(self, key: str, data: bytes) -> None:
        """Store a file's reports (``replylint.results.dumps``) with the batch."""
        self._pending.append((key, data, time.time()))

    def flush(self, expire: bool = False) -> None:
        """Write what the run has added so far: after each batch, while the workers lint the
        next, so that little is left for the run's end. ``expire``: also forget entries
        unused for ``KEEP_DAYS`` days."""
        import sqlite3

        wanted = self._pending or self._hits or self._statuses or (expire and self._wrote)
        db = self._connect() if wanted else None
        if db is None:  # nothing to write (or the cache is off)
            return
        now = time.time()
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?)", self._pending)
            db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?)", self._statuses)
            db.executemany("UPDATE results SET used = ? WHERE key = ?",
                           [(now, key) for key in self._hits])
            if expire and db.execute("DELETE FROM results WHERE used < ?",
                                     (now - KEEP_DAYS * 86400,)).rowcount:
                db.execute("DELETE FROM files WHERE key NOT IN (SELECT key FROM results)")
            db.execute("COMMIT")
            self._wrote = True
        except sqlite3.Error as e:
            self._fail(e)
        finally:
            self._pending.clear()
            self._hits.clear()
            self._statuses.clear()

    def close(self) -> None:
        """Write the rest of what this run added and forget entries unused for ``KEEP_DAYS``
        days (an unchanged re-run writes nothing)."""
        self.flush(expire=True)
        self._wrote = False
        if self._db is not None:
            self._db.close()
            self._db = None


#: a run this small is linted faster than the cache is opened (a pre-send check of one draft)
MIN_FILES = 8
MIN_BYTES = 64 << 10


class RunCache:
    """One run's use of the cache (a batch is a list of ``(target, status)``, a target having
    ``source``, ``path`` and ``linter``): what it learns is written after each batch."""

    def __init__(self, cache: ResultCache, options: Mapping[str, Any]) -> None:
        self.cache, self.options = cache, options
        self.before = time.time_ns()  # every status of the run is taken after this
        self.folder = os.getcwd()  # the files' names are relative to it
        self._fingerprints: dict[int, str] = {}

    def worth(self, batch: Sequence[tuple[Any, os.stat_result | None]]) -> bool:
        files = [st for t, st in batch if t.path is not None]
        return len(files) >= MIN_FILES or sum(st.st_size for st in files if st) >= MIN_BYTES

    def fingerprint(self, linter: Any) -> str:
        if id(linter) not in self._fingerprints:
            self._fingerprints[id(linter)] = linter_fingerprint(linter, **self.options)
        return self._fingerprints[id(linter)]

    def batch(self, batch: Sequence[tuple[Any, os.stat_result | None]]) -> BatchCache:
        return BatchCache(self, batch)


class BatchCache:
    """One batch's files (by index): reports recalled by file status, else by content, and
    the reports and statuses to keep."""

    def __init__(self, run: RunCache, batch: Sequence[tuple[Any, os.stat_result | None]]
                 ) -> None:
        self.run, self.batch = run, batch
        self._files = {n: (file_key(run.fingerprint(t.linter), run.folder, t.source), st)
                       for n, (t, st) in enumerate(batch) if t.path is not None}
        self._keys: dict[int, str] = {}

    def recall(self) -> dict[int, list[Report]]:
        """Reports of the files whose status is the one recorded: not read again."""
        if not STATUS_TRUSTED:
            return {}
        cache = self.run.cache
        recorded = cache.statuses(file for file, _ in self._files.values())
        for n, (file, st) in self._files.items():
            if st is not None and file in recorded and recorded[file][0] == status(st):
                self._keys[n] = recorded[file][1]
        found = cache.get_many(self._keys.values())
        return {n: found[key] for n, key in self._keys.items() if key in found}

    def look_up(self, jobs: Sequence[tuple[int, str, bytes]]) -> dict[int, list[Report]]:
        """Reports of files read (``(index, source, bytes)``) whose bytes the cache knows."""
        for n, source, data in jobs:
            if n in self._files:
                linter = self.batch[n][0].linter
                self._keys[n] = entry_key(self.run.fingerprint(linter), source, data)
        found = self.run.cache.get_many(self._keys[n] for n, _, _ in jobs if n in self._keys)
        hits = {n: found[self._keys[n]] for n, _, _ in jobs
                if n in self._keys and self._keys[n] in found}
        for n in hits:
            self._record(n)
        return hits

    def store(self, n: int, reports: list[Report], data: bytes | None = None) -> None:
        """Keep a freshly linted file's reports (``data``: the same, packed by a worker)."""
        if n in self._keys and storable(reports):
            self.run.cache.put(self._keys[n], dumps(reports) if data is None else data)
            self._record(n)

    def _record(self, n: int) -> None:
        file, st = self._files[n]
        if st is not None and settled(st, self.run.before):
            self.run.cache.record_status(file, status(st), self._keys[n])
