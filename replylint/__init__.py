"""replylint: a linter for the replies support teams send to customers.

The public API: ``lint()`` one reply, ``lint_paths()`` files and folders; the data model
(``Document``, ``Finding``, ``Severity``, ``Check``, ``Hit``, ``Metric``, ``Option``) and
``hookimpl`` / ``check`` for plugin authors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

__version__ = "0.1.0"

from . import regexcache  # noqa: E402

regexcache.load()  # before any module compiles its patterns

from .hookspecs import hookimpl  # noqa: E402
from .model import (  # noqa: E402
    Check,
    Document,
    Finding,
    Hit,
    InputError,
    Metric,
    Option,
    Report,
    RunResult,
    Severity,
    check,
)

__all__ = [
    "Check", "Document", "Finding", "Hit", "InputError", "Metric", "Option", "Report",
    "RunResult", "Severity", "check", "hookimpl", "lint", "lint_paths", "load_config",
]

_linters: dict[Any, Any] = {}


def load_config(config: Any = None) -> Any:
    """A ``Config`` from None (defaults), a mapping like ``[tool.replylint]``, a path, or a
    ``Config``."""
    from .config import Config, load_config_file, parse_config

    if config is None:
        return Config(root=Path.cwd().resolve())
    if isinstance(config, Config):
        return config
    if isinstance(config, Mapping):
        return parse_config(dict(config), None, Path.cwd().resolve())
    path = Path(config)
    return load_config_file(path) or Config(path=path, root=path.resolve().parent)


def _linter(config: Any) -> Any:
    from .engine import Linter

    key = repr(config) if isinstance(config, Mapping) or config is None else id(config)
    if key not in _linters:
        _linters[key] = Linter(load_config(config))
    return _linters[key]


def lint(
    text: str,
    *,
    kind: str = "draft",
    context: str | None = None,
    config: Any = None,
    syntax: str = "text",
    source: str = "<text>",
    channel: str | None = None,
) -> Report:
    """Lint one reply given as a string and return its report (``.findings``, ``.metrics``).

    ``syntax`` names the reader (``text``, ``markdown``, ``html``, ``eml``); ``context`` is the
    customer's message the reply answers; ``channel`` (``email``, ``chat``, ``social``,
    ``macro``) overrides the channel detected from the text.
    """
    from dataclasses import replace

    from .channel import validate

    if kind not in ("draft", "macro"):
        raise ValueError(f"kind must be draft or macro, not {kind!r}")
    validate(channel, "lint()")
    linter = _linter(config)
    docs = linter.read(source, text.encode("utf-8"), syntax)
    doc = replace(docs[0], kind=kind, context=context,
                  declared_channel=channel or docs[0].declared_channel)
    return linter.lint_document(doc)


def lint_paths(
    paths: Iterable[str | Path], *, config: Any = None, context: str | None = None
) -> RunResult:
    """Lint files and folders (recursively); each file uses the config found above it unless
    ``config`` is given."""
    from .engine import Session

    return Session(None if config is None else load_config(config)).run(paths, context=context)
