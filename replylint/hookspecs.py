"""The hooks a replylint plugin can implement (pluggy, in the llm/datasette "register" style).

The host owns every ``register`` callback, so it knows which plugin registered what and can
refuse a duplicate rule id or code with an error naming both plugins. Built-in checks,
readers and formatters are registered through these same hooks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .formats import Formatter
    from .model import Check
    from .readers import Reader

hookspec = pluggy.HookspecMarker("replylint")
hookimpl = pluggy.HookimplMarker("replylint")


@hookspec
def register_checks(register: Callable[[Check], None], config: Mapping[str, Any]) -> None:
    """Register checks (rules): call ``register(check)`` once per ``replylint.Check``.

    ``config`` is the merged ``[tool.replylint]`` table, for plugins whose set of rules depends
    on configuration. A rule id or code that is already registered is refused with an error
    naming both plugins.
    """


@hookspec
def register_readers(register: Callable[[Reader], None]) -> None:
    """Register readers: call ``register(reader)`` with a ``replylint.readers.Reader``.

    A reader names the file patterns it handles and turns a file's bytes into documents, or
    returns ``None`` when the file is not its kind so that the next reader is tried. Readers
    from plugins are tried before the built-in ones, so a plugin can take over a format.
    """


@hookspec
def register_formatters(register: Callable[[Formatter], None]) -> None:
    """Register output formats: call ``register(formatter)`` with a
    ``replylint.formats.Formatter``; its name becomes a ``--format`` choice."""
