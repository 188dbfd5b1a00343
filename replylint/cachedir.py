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
