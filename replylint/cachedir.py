"""Where replylint keeps what it can rebuild: ``REPLYLINT_CACHE_DIR``, else
``$XDG_CACHE_HOME/replylint``, else ``~/.cache/replylint``."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    if os.environ.get("REPLYLINT_CACHE_DIR"):
        return Path(os.environ["REPLYLINT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "replylint"


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``path`` whole or not at all: a concurrent run reads the old file or the new
    one, and an interrupted write leaves no partial file behind. False if it could not be
    written (a cache that cannot be written only costs the next run its time)."""
    import tempfile

    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        tmp = None
        return True
    except OSError:
        return False
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
