"""Output formats; each is a plugin (``register_formatters``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from ..model import RunResult

#: ``write(result, out, color)`` renders a whole run to ``out``
WriteFunc = Callable[[RunResult, TextIO, bool], None]


@dataclass(frozen=True)
class Formatter:
    name: str
    write: WriteFunc
    help: str = ""
