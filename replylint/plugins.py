"""The plugin manager: built-ins, installed packages and drop-in files, in one registry.

Plugins come from three places: replylint's own modules (registered exactly like third-party
ones), packages exposing the entry-point group ``replylint``, and files in plugin directories
(``*.py`` modules, and ``*.yaml``/``*.yml``/``*.toml`` declarative rule files). A plugin that
fails to load is reported by name and the rest still load.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import sys
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from . import hookspecs
from .channel import CHANNELS
from .config import ConfigError
from .distributions import entry_points
from .formats import Formatter
from .model import Check, Option, Severity
from .readers import Reader

BUILTINS = (
    "replylint.readers.exports",
    "replylint.readers.eml",
    "replylint.readers.html",
    "replylint.readers.text",
    "replylint.checks.placeholders",
    "replylint.checks.tone",
    "replylint.checks.empathy",
    "replylint.checks.readability",
    "replylint.checks.jargon",
    "replylint.checks.privacy",
    "replylint.checks.grammar",
    "replylint.checks.nextstep",
    "replylint.checks.structure",
    "replylint.formats.text",
    "replylint.formats.json",
    "replylint.formats.sarif",
    "replylint.formats.github",
)
DECLARATIVE_SUFFIXES = (".yaml", ".yml", ".toml")


class PluginError(Exception):
    """A plugin that cannot be loaded or that registers something invalid."""


@dataclass
class Registry:
    """Everything the plugins registered, each item with the plugin it came from."""

    checks: dict[str, tuple[Check, str]] = field(default_factory=dict)
    readers: list[tuple[Reader, str]] = field(default_factory=list)
    formatters: dict[str, tuple[Formatter, str]] = field(default_factory=dict)
    #: plugin name -> where it was loaded from
    origins: dict[str, str] = field(default_factory=dict)
    errors: list[PluginError] = field(default_factory=list)

    def by_code_or_id(self, key: str) -> tuple[Check, str] | None:
        if key in self.checks:
            return self.checks[key]
        for check, plugin in self.checks.values():
            if check.code.upper() == key.upper():
                return check, plugin
        return None

    def sorted_checks(self) -> list[Check]:
        return sorted((c for c, _ in self.checks.values()), key=lambda c: c.code)


def _load_module_file(path: Path) -> Any:
    """Import a drop-in ``*.py`` plugin, compiled from the bytes on disk now.

    The module is keyed by its content, not by its file's modification time: no ``.pyc`` is
    read or written, and the module name carries a hash of the source, so a plugin edited
    twice within a second, to the same size, still loads as it now reads.
    """
    try:
        source = path.read_bytes()
    except OSError as e:
        raise PluginError(f"{path}: cannot read: {e}") from e
    digest = hashlib.sha256(str(path).encode("utf-8", "surrogateescape") + b"\0" + source)
    name = f"replylint_plugin_{digest.hexdigest()[:16]}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise PluginError(f"{path}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        code = compile(source, str(path), "exec", dont_inherit=True)
        exec(code, module.__dict__)
    except BaseException as e:  # a plugin's import may raise anything, even SystemExit
        sys.modules.pop(name, None)
        raise PluginError(f"{path}: failed to import: {type(e).__name__}: {e}") from e
    return module


def plugin_files(dirs: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        if d.is_dir():
            files += sorted(
                p
                for p in d.iterdir()
                if p.is_file()
                and not p.name.startswith(("_", "."))
                and p.suffix in (".py", *DECLARATIVE_SUFFIXES)
            )
    return files


class _PluginManager(pluggy.PluginManager):
    """pluggy's manager, skipping a module's attributes that are not marked functions with one
    dictionary lookup: pluggy looks at each of them through ``inspect.getattr_static``, and
    the built-in modules have ~800, a few milliseconds of every start-up."""

    def parse_hookimpl_opts(self, plugin: Any, name: str) -> Any:
        if isinstance(plugin, types.ModuleType):
            value = vars(plugin).get(name)
            if not inspect.isroutine(value) or not hasattr(value, f"{self.project_name}_impl"):
                return None
        return super().parse_hookimpl_opts(plugin, name)


def make_plugin_manager(
    plugin_dirs: Iterable[Path] = (), *, entry_points_group: str | None = "replylint"
) -> tuple[pluggy.PluginManager, dict[str, str], list[PluginError]]:
    """A plugin manager with every plugin registered, where each came from, and failures."""
    from .declarative import load_rule_file

    pm = _PluginManager("replylint")
    pm.add_hookspecs(hookspecs)
    origins: dict[str, str] = {}
    errors: list[PluginError] = []

    def add(plugin: Any, name: str, origin: str) -> None:
        try:
            pm.register(plugin, name=name)
        except Exception as e:  # a misspelt hook, a bad signature, an attribute that raises
            errors.append(PluginError(f"plugin {name} ({origin}): {e}"))
            return
        origins[name] = origin

    for modname in BUILTINS:
        add(importlib.import_module(modname), modname, "built-in")
    if entry_points_group:
        for ep in entry_points(entry_points_group):
            try:
                plugin = ep.load()
            except (Exception, SystemExit) as e:  # its import may even call sys.exit()
                errors.append(PluginError(f"plugin {ep.name} (entry point {ep.value}): "
                                          f"failed to import: {type(e).__name__}: {e}"))
                continue
            add(plugin, ep.name, f"package {ep.dist} ({ep.value})")
    for path in plugin_files(plugin_dirs):
        try:
            plugin = _load_module_file(path) if path.suffix == ".py" else load_rule_file(path)
        except PluginError as e:
            errors.append(e)
            continue
        add(plugin, str(path), f"file {path}")
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as e:
        bad = e.plugin_name if hasattr(e, "plugin_name") else "?"
        errors.append(PluginError(f"plugin {bad}: {e}"))
        pm.unregister(name=bad)
    return pm, origins, errors


def _call(
    pm: pluggy.PluginManager, hook: str, make_register: Any, errors: list[PluginError],
    **kwargs: Any,
) -> None:
    """Call ``hook`` on each plugin separately, so one that raises does not stop the others."""
    for impl in getattr(pm.hook, hook).get_hookimpls():  # in registration order
        name = impl.plugin_name
        try:
            impl.function(*[kwargs[a] if a != "register" else make_register(name)
                            for a in impl.argnames])
        except PluginError as e:
            errors.append(e)
        except ConfigError:
            raise  # a plugin's settings are configuration: exit code 2, not a plugin fault
        except (Exception, SystemExit) as e:
            errors.append(PluginError(f"plugin {name}: {hook} raised {type(e).__name__}: {e}"))


def invalid_check(check: Check) -> str | None:
    """What would make a registered Check fail later, when run or configured; None if fine."""
    if not (isinstance(check.id, str) and "." in check.id.strip(".")):
        return "id must be a string such as family.rule-name"
    if not (isinstance(check.code, str) and check.code):
        return "code must be a string such as ABC123"
    if not isinstance(check.severity, Severity):
        return f"severity must be a Severity, not {check.severity!r:.40}"
    if not callable(check.func):
        return "its function is not callable"
    if not (isinstance(check.kinds, frozenset | set | tuple | list)
            and check.kinds and set(check.kinds) <= {"draft", "macro"}):
        return "kinds must name draft, macro or both"
    if not (isinstance(check.channels, frozenset | set | tuple | list)
            and check.channels and set(check.channels) <= set(CHANNELS)):
        return f"channels must name some of {', '.join(CHANNELS)}"
    if not all(isinstance(o, Option) and isinstance(o.name, str) for o in check.options):
        return "options must be a list of Option"
    if not isinstance(check.doc, str):
        return "doc must be a string"
    return None


def build_registry(
    plugin_dirs: Iterable[Path] = (),
    config: Mapping[str, Any] | None = None,
    *,
    entry_points_group: str | None = "replylint",
) -> Registry:
    pm, origins, errors = make_plugin_manager(plugin_dirs, entry_points_group=entry_points_group)
    reg = Registry(origins=origins, errors=errors)
    codes: dict[str, str] = {}

    def check_register(plugin: str):
        def register(check: Check) -> None:
            if not isinstance(check, Check):
                raise PluginError(
                    f"plugin {plugin}: register_checks got {check!r:.100}, not a Check"
                )
            problem = invalid_check(check)
            if problem:
                raise PluginError(f"plugin {plugin}: rule {check.id!r:.60}: {problem}")
            for key, owners in ((check.id, {k: p for k, (_, p) in reg.checks.items()}),
                                (check.code, codes)):
                if key in owners:
                    raise PluginError(
                        f"rule {key} is registered twice: by {owners[key]} and by {plugin}"
                    )
            reg.checks[check.id] = (check, plugin)
            codes[check.code] = plugin
        return register

    def reader_register(plugin: str):
        def register(reader: Reader) -> None:
            if not (
                isinstance(reader, Reader)
                and isinstance(reader.name, str)
                and isinstance(reader.patterns, list | tuple)
                and all(isinstance(p, str) for p in reader.patterns)
                and callable(reader.load)
            ):
                raise PluginError(
                    f"plugin {plugin}: register_readers got {reader!r:.100}, not a Reader with "
                    "a name, a list of file patterns and a load function"
                )
            reg.readers.append((reader, plugin))
        return register

    def formatter_register(plugin: str):
        def register(formatter: Formatter) -> None:
            if not (
                isinstance(formatter, Formatter)
                and isinstance(formatter.name, str)
                and callable(formatter.write)
            ):
                raise PluginError(
                    f"plugin {plugin}: register_formatters got {formatter!r:.100}, not a "
                    "Formatter with a name and a write function"
                )
            if formatter.name in reg.formatters:
                raise PluginError(
                    f"format {formatter.name} is registered twice: by "
                    f"{reg.formatters[formatter.name][1]} and by {plugin}"
                )
            reg.formatters[formatter.name] = (formatter, plugin)
        return register

    _call(pm, "register_checks", check_register, reg.errors, config=dict(config or {}))
    _call(pm, "register_readers", reader_register, reg.errors)
    _call(pm, "register_formatters", formatter_register, reg.errors)
    # Plugins' readers are tried before the built-ins', so a plugin can take over a format.
    builtin = [r for r in reg.readers if origins.get(r[1]) == "built-in"]
    reg.readers = [r for r in reg.readers if origins.get(r[1]) != "built-in"] + builtin
    return reg
