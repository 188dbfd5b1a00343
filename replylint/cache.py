"""The result cache: an unchanged file under unchanged settings is not linted again.

Entries are keyed by a hash of the file's bytes, its name and a fingerprint of everything
that could change its findings: replylint's version and code, the configuration, the
plugins' files and the run's options (``--context``, ``--syntax``). Changing any of them
misses the cache; nothing needs to be cleared by hand. One SQLite file in the cache
directory (``REPLYLINT_CACHE_DIR``, else ``~/.cache/replylint``) in WAL mode, so concurrent
runs (two pre-commit hooks, CI jobs on one runner) read and write it safely. A cache that
cannot be opened or written is switched off for the run with a note: it never fails a lint.
"""

from __future__ import annotations

import dataclasses
import enum
import marshal
import os
import sys
import time
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import INTERNAL_ERROR_CODE, Report
from .results import unpack

if TYPE_CHECKING:
    import sqlite3

SCHEMA = 2
#: findings that describe this run rather than the file (a check that crashed or timed out,
#: a LanguageTool server that was down): a report with one is never stored
TRANSIENT = frozenset({INTERNAL_ERROR_CODE, "GRM000"})
KEEP_DAYS = 30
TOUCH_AFTER = 86400  # seconds
BATCH = 500


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
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def default_path() -> Path:
    from .cachedir import cache_dir

    return cache_dir() / "results.sqlite3"


class ResultCache:
    """Packed reports by entry key, in one SQLite file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self.problem: str | None = None
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, bytes, float]] = []
        self._hits: list[str] = []

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

    def get_many(self, keys: Iterable[str]) -> dict[str, list[Report]]:
        """The cached reports of the keys that are in the cache."""
        import sqlite3

        db = self._connect()
        keys = list(keys)
        found: dict[str, list[Report]] = {}
        if db is None:
            return found
        stale = time.time() - TOUCH_AFTER  # a hit marks its entry used, at most once a day
        try:
            for i in range(0, len(keys), BATCH):
                chunk = keys[i : i + BATCH]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT key, reports, used FROM results WHERE key IN ({marks})", chunk
                ).fetchall()
                for key, reports, used in rows:
                    found[key] = [unpack(r) for r in marshal.loads(reports)]
                    if used < stale:
                        self._hits.append(key)
        except (sqlite3.Error, ValueError, KeyError, TypeError, EOFError) as e:
            self._fail(e)
            return {}
        return found

    def put(self, key: str, packed: list[dict[str, Any]]) -> None:
        """Store packed reports (``replylint.results.pack``) when the run ends."""
        self._pending.append((key, marshal.dumps(packed), time.time()))

    def close(self) -> None:
        """Write what this run added and forget entries unused for ``KEEP_DAYS`` days."""
        import sqlite3

        db = self._connect() if self._pending or self._hits else None
        if db is None:  # an unchanged re-run writes nothing (or the cache is off)
            if self._db is not None:
                self._db.close()
                self._db = None
            return
        now = time.time()
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?)", self._pending)
            db.executemany("UPDATE results SET used = ? WHERE key = ?",
                           [(now, key) for key in self._hits])
            db.execute("DELETE FROM results WHERE used < ?", (now - KEEP_DAYS * 86400,))
            db.execute("COMMIT")
        except sqlite3.Error as e:
            self._fail(e)
        finally:
            self._pending.clear()
            self._hits.clear()
            if self._db is not None:
                self._db.close()
                self._db = None
