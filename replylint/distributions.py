"""Installed packages' entry points and versions, read straight from their metadata folders.

``importlib.metadata`` costs ~30 ms to import (it pulls in ``email``, ``zipfile``, ``csv``
and more), a fifth of a pre-send check's start-up, for two questions: which packages declare
a ``replylint`` entry point, and which version of wordfreq is installed. Both answers are
plain files in the ``*.dist-info`` / ``*.egg-info`` folders of ``sys.path``, read here in the
order and with the precedence ``importlib.metadata`` uses (the first distribution of a name on
``sys.path`` wins). A ``sys.path`` entry that is not a folder (a zip or egg file) is left to
``importlib.metadata``.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterator
from functools import cache
from typing import Any, NamedTuple

INFO_SUFFIXES = (".dist-info", ".egg-info")
_FIELD = r"^{}:[ \t]*(.+?)[ \t]*$"


def normalise(name: str) -> str:
    """PEP 503 normalisation, as distribution names are compared."""
    return re.sub(r"[-_.]+", "-", name).lower()


class EntryPoint(NamedTuple):
    name: str
    value: str  # "module" or "module:attr.attr" (extras in brackets ignored)
    dist: str  # the distribution's name, as its metadata spells it

    def load(self) -> Any:
        module, _, attrs = self.value.partition("[")[0].strip().partition(":")
        obj = importlib.import_module(module.strip())
        for attr in filter(None, attrs.strip().split(".")):
            obj = getattr(obj, attr)
        return obj


def _folders() -> tuple[tuple[str, str | None, str], ...] | None:
    """(normalised name, version if the folder's name has it, folder) of each distribution,
    the first of a name only; None when some ``sys.path`` entry is an archive."""
    return _scan(tuple(sys.path))


@cache
def _scan(path: tuple[str, ...]) -> tuple[tuple[str, str | None, str], ...] | None:
    seen: dict[str, tuple[str, str | None, str]] = {}
    for entry in path:
        entry = entry or "."
        if os.path.isfile(entry):
            return None
        try:
            names = sorted(os.listdir(entry))
        except OSError:
            continue
        for name in names:
            if not name.endswith(INFO_SUFFIXES):
                continue
            # name-version[-more].dist-info; an egg-info folder may have no version
            parts = name.rsplit(".", 1)[0].split("-")
            key = normalise(parts[0])
            if key not in seen:
                version = parts[1] if len(parts) > 1 else None
                seen[key] = (key, version, os.path.join(entry, name))
    return tuple(seen.values())


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return ""


def _field(folder: str, field: str) -> str | None:
    """A field of the distribution's core metadata (``Name``, ``Version``)."""
    for meta in ("METADATA", "PKG-INFO"):
        m = re.search(_FIELD.format(field), _read(os.path.join(folder, meta)), re.MULTILINE)
        if m:
            return m[1]
    return None


def entry_points(group: str) -> Iterator[EntryPoint]:
    """Every entry point of ``group`` that installed distributions declare."""
    folders = _folders()
    if folders is None:
        from importlib.metadata import entry_points as metadata_entry_points

        for ep in metadata_entry_points(group=group):
            yield EntryPoint(ep.name, ep.value, ep.dist.name if ep.dist else "?")
        return
    for key, _, folder in folders:
        section = None
        for line in _read(os.path.join(folder, "entry_points.txt")).splitlines():
            line = line.strip()
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1].strip()
            elif section == group and "=" in line and not line.startswith(("#", ";")):
                name, _, value = line.partition("=")
                yield EntryPoint(name.strip(), value.strip(), _field(folder, "Name") or key)


def version(name: str) -> str:
    """The installed version of distribution ``name`` (``LookupError`` if not installed)."""
    folders = _folders()
    if folders is None:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as metadata_version

        try:
            return metadata_version(name)
        except PackageNotFoundError:
            raise LookupError(name) from None
    for key, found, folder in folders:
        if key == normalise(name):
            found = found or _field(folder, "Version")
            if found:
                return found
    raise LookupError(name)
