"""Configuration: ``[tool.replylint]`` in pyproject.toml, or replylint.toml / .replylint.toml.

Found by walking up from the linted file; ``--config`` names one. Rule selection follows ruff:
``select`` and ``ignore`` take rule ids, codes, or prefixes of either ("tone", "TON", "TON0"),
and the most specific selector wins (an exact id or code beats a prefix, a tie goes to
``ignore``).
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .limits import (
    DEFAULT_CHECK_TIMEOUT,
    DEFAULT_MAX_FINDINGS,
    DEFAULT_MAX_INPUT_SIZE,
    parse_size,
)
from . import channel
from .model import Check, Severity

CONFIG_FILES = ("replylint.toml", ".replylint.toml", "pyproject.toml")

#: the file globs linted when a directory is named, unless ``include`` says otherwise
DEFAULT_EXCLUDE = (".git", ".hg", ".venv", "venv", "node_modules", "__pycache__", ".tox")

TOP_KEYS = {
    "select", "ignore", "fail-on", "plugins-dir", "include", "exclude", "rules",
    "overrides", "kind", "channel", "extend-select", "language", "glossary", "languagetool",
    "max-input-size", "max-findings", "check-timeout",
}
GLOSSARY_KEYS = {"allow", "replace"}
OVERRIDE_KEYS = {"paths", "select", "ignore", "rules", "kind", "channel"}


class ConfigError(Exception):
    """A configuration problem: reported with the file and key, exit code 2."""


@dataclass(frozen=True)
class Override:
    paths: tuple[str, ...]
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    kind: str | None = None
    channel: str | None = None


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    fail_on: Severity = Severity.WARNING
    plugins_dir: tuple[Path, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    overrides: tuple[Override, ...] = ()
    kind: str | None = None
    #: every document's channel (replylint.channel); None: detected per document
    channel: str | None = None
    language: str = "en-US"
    #: bytes read from one input (0: no limit)
    max_input_size: int = DEFAULT_MAX_INPUT_SIZE
    #: findings kept per document, then one note saying how many more (0: no limit)
    max_findings: int = DEFAULT_MAX_FINDINGS
    #: seconds each check may take on one document (0: no budget)
    check_timeout: float = DEFAULT_CHECK_TIMEOUT
    raw: dict[str, Any] = field(default_factory=dict)

    def with_cli(
        self,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        fail_on: str | None = None,
        plugins_dir: tuple[Path, ...] = (),
        kind: str | None = None,
        languagetool: str | None = None,
        channel: str | None = None,
    ) -> Config:
        """Command-line options on top: ``--select`` replaces, ``--ignore`` adds."""
        raw = self.raw
        if languagetool:
            raw = {**raw, "languagetool": {**raw.get("languagetool", {}), "server": languagetool}}
        return replace(
            self,
            raw=raw,
            select=tuple(select) or self.select,
            ignore=self.ignore + tuple(ignore),
            fail_on=Severity.parse(fail_on) if fail_on else self.fail_on,
            plugins_dir=self.plugins_dir + tuple(p.resolve() for p in plugins_dir),
            kind=kind or self.kind,
            channel=channel or self.channel,
        )

    def overrides_for(self, source: str) -> list[Override]:
        try:
            rel = Path(source).resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError, RuntimeError):  # elsewhere, or a symlink loop
            rel = Path(source).as_posix()
        return [
            o for o in self.overrides if any(fnmatch.fnmatch(rel, g) for g in o.paths)
        ]

    def is_excluded(self, path: Path) -> bool:
        parts = set(path.parts)
        if parts & set(DEFAULT_EXCLUDE):
            return True
        if not self.exclude:
            return False
        try:
            rel = path.resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError, RuntimeError):  # elsewhere, or a symlink loop
            rel = path.as_posix()
        return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(path.name, g) for g in self.exclude)


#: the preset that selects every rule, those off by default too
STRICT = "strict"


def _specificity(selector: str, check: Check) -> int:
    """How specifically ``selector`` names ``check``; -1 when it does not name it at all."""
    if selector == "ALL":  # every rule on by default
        return 0
    if selector == STRICT:  # every rule, including those off by default
        return 1000
    if selector in (check.id, check.code):
        return 1000
    if check.code.startswith(selector):
        return len(selector)
    if check.id.startswith(selector + "."):  # a family ranks like the code's letters ("TON")
        return len(check.code.rstrip("0123456789"))
    return -1


def matches(selectors: tuple[str, ...] | frozenset[str], check: Check) -> bool:
    return any(_specificity(s, check) >= 0 for s in selectors)


def is_enabled(check: Check, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    """Whether ``check`` runs. ``ALL`` is the default set; a rule off by default runs when
    something names it: its code or id, its family, a prefix of its code, or ``strict``."""
    chosen = max((_specificity(s, check) for s in select), default=-1)
    dropped = max((_specificity(s, check) for s in ignore), default=-1)
    if not check.default_enabled and chosen <= 0:
        return False
    return chosen >= 0 and chosen > dropped


def _str_list(where: str, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings, got {value!r}")
    return tuple(value)


def _rules_table(where: str, value: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise ConfigError(f"{where}: rules must be a table of per-rule tables")
    for rule, opts in value.items():
        if "severity" in opts:
            try:
                Severity.parse(opts["severity"])
            except ValueError as e:
                raise ConfigError(f"{where}: rule {rule}: {e}") from None
        if "check-timeout" in opts:
            _seconds(f"{where}: rule {rule}", "check-timeout", opts["check-timeout"])
    return value


def _seconds(where: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise ConfigError(f"{where}: {key} must be a number of seconds (0: none), got {value!r}")
    return float(value)


def _limits(where: str, table: dict[str, Any]) -> dict[str, Any]:
    """``max-input-size``, ``max-findings`` and ``check-timeout`` as Config fields."""
    try:
        size = parse_size(table.get("max-input-size", DEFAULT_MAX_INPUT_SIZE))
    except ValueError as e:
        raise ConfigError(f"{where}: max-input-size: {e}") from None
    findings = table.get("max-findings", DEFAULT_MAX_FINDINGS)
    if isinstance(findings, bool) or not isinstance(findings, int) or findings < 0:
        raise ConfigError(
            f"{where}: max-findings must be a whole number (0: no limit), got {findings!r}"
        )
    timeout = _seconds(where, "check-timeout", table.get("check-timeout", DEFAULT_CHECK_TIMEOUT))
    return {"max_input_size": size, "max_findings": findings, "check_timeout": timeout}


def _channel(where: str, value: Any) -> str | None:
    try:
        return channel.validate(value, where)
    except ValueError as e:
        raise ConfigError(str(e)) from None


def _kind(where: str, value: Any) -> str | None:
    if value not in (None, "draft", "macro"):
        raise ConfigError(f"{where}: kind must be draft or macro, got {value!r}")
    return value


@dataclass(frozen=True)
class Glossary:
    """The team's vocabulary: terms that are fine (product names) and terms to replace."""

    allow: frozenset[str] = frozenset()  # lower-cased
    replace: dict[str, str] = field(default_factory=dict)

    def allows(self, term: str) -> bool:
        return term.lower() in self.allow


def glossary(table: dict[str, Any], where: str = "config") -> Glossary:
    """The ``glossary`` table of a config: ``allow = [...]``, ``replace = {term = "plain"}``."""
    raw = table.get("glossary", {})
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: glossary must be a table with allow and replace")
    bad = sorted(set(raw) - GLOSSARY_KEYS)
    if bad:
        raise ConfigError(f"{where}: glossary: unknown key(s) {', '.join(bad)}")
    replace = raw.get("replace", {})
    if not isinstance(replace, dict) or not all(isinstance(v, str) for v in replace.values()):
        raise ConfigError(f"{where}: glossary.replace must map terms to plain wordings")
    allow = _str_list(where, "glossary.allow", raw.get("allow", []))
    return Glossary(frozenset(t.lower() for t in allow), replace)


def parse_config(table: dict[str, Any], path: Path | None, root: Path) -> Config:
    """Build a Config from a ``[tool.replylint]`` table, refusing unknown keys and types."""
    where = str(path) if path else "config"
    unknown = sorted(set(table) - TOP_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}")
    try:
        fail_on = Severity.parse(table.get("fail-on", "warning"))
    except ValueError as e:
        raise ConfigError(f"{where}: fail-on: {e}") from None
    overrides = []
    raw_overrides = table.get("overrides", [])
    if not isinstance(raw_overrides, list):
        raise ConfigError(f"{where}: overrides must be an array of tables")
    for i, o in enumerate(raw_overrides):
        ow = f"{where}: overrides[{i}]"
        if not isinstance(o, dict) or "paths" not in o:
            raise ConfigError(f"{ow}: each override needs paths = [globs]")
        bad = sorted(set(o) - OVERRIDE_KEYS)
        if bad:
            raise ConfigError(f"{ow}: unknown key(s) {', '.join(bad)}")
        overrides.append(
            Override(
                paths=_str_list(ow, "paths", o["paths"]),
                select=_str_list(ow, "select", o.get("select", [])),
                ignore=_str_list(ow, "ignore", o.get("ignore", [])),
                rules=_rules_table(ow, o.get("rules", {})),
                kind=_kind(ow, o.get("kind")),
                channel=_channel(ow, o.get("channel")),
            )
        )
    glossary(table, where)  # validated here; plugins read it from the raw table
    language = table.get("language", "en-US")
    if not isinstance(language, str):
        raise ConfigError(f"{where}: language must be a string such as en-US")
    return Config(
        path=path,
        root=root,
        select=_str_list(where, "select", table.get("select", ["ALL"]))
        + _str_list(where, "extend-select", table.get("extend-select", [])),
        ignore=_str_list(where, "ignore", table.get("ignore", [])),
        fail_on=fail_on,
        plugins_dir=tuple(
            (root / p).resolve()
            for p in _str_list(where, "plugins-dir", table.get("plugins-dir", ["plugins"]))
        ),
        include=_str_list(where, "include", table.get("include", [])),
        exclude=_str_list(where, "exclude", table.get("exclude", [])),
        rules=_rules_table(where, table.get("rules", {})),
        overrides=tuple(overrides),
        kind=_kind(where, table.get("kind")),
        channel=_channel(where, table.get("channel")),
        language=language,
        **_limits(where, table),
        raw=table,
    )


def load_config_file(path: Path) -> Config | None:
    """The Config in ``path``; None for a pyproject.toml without ``[tool.replylint]``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read: {e}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("replylint")
        if table is None:
            return None
    else:
        table = data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.replylint] must be a table")
    return parse_config(table, path.resolve(), path.resolve().parent)


def find_config(start: Path) -> Config:
    """The nearest config above ``start`` (a file or directory), or the defaults."""
    directory = start.resolve()
    if not directory.is_dir():
        directory = directory.parent
    for d in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = d / name
            if candidate.is_file():
                found = load_config_file(candidate)
                if found is not None:
                    return found
    return Config(root=Path.cwd().resolve())
