"""Runs checks on documents: selection, options, fault isolation, suppressions, locations.

Every check's hits become findings of one shape here, so a plugin's output is
indistinguishable from a built-in's. A check that raises or yields garbage becomes an
internal-error finding naming the plugin and the rule; the other checks still run.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .config import Config, ConfigError, find_config, is_enabled, matches
from .model import (
    INTERNAL_ERROR_CODE,
    INTERNAL_ERROR_RULE,
    Check,
    Document,
    Finding,
    Hit,
    InputError,
    Metric,
    Report,
    RunResult,
    Severity,
    mask,
)
from .plugins import Registry, build_registry

DOCS_URL = "https://github.com/replylint/replylint/blob/main/docs/rules/{family}/{name}.md"
STDIN = "-"


def docs_url(check: Check) -> str:
    family, _, name = check.id.partition(".")
    return DOCS_URL.format(family=family, name=name)


@dataclass(frozen=True)
class ActiveCheck:
    check: Check
    plugin: str
    severity: Severity
    options: Mapping[str, Any]
    url: str


class Linter:
    """Lints documents with one configuration and the registry of plugins it names."""

    def __init__(self, config: Config | None = None, registry: Registry | None = None) -> None:
        self.config = config or Config(root=Path.cwd())
        self.registry = registry or build_registry(self.config.plugins_dir, self.config.raw)
        self._rule_settings(self.config.rules, str(self.config.path or "config"))
        for o in self.config.overrides:
            self._rule_settings(o.rules, f"{self.config.path or 'config'}: overrides")
        self._active: dict[tuple[int, ...], list[ActiveCheck]] = {}

    def _rule_settings(self, rules: Mapping[str, Mapping[str, Any]], where: str) -> None:
        """Refuse settings for unknown rules and options that the rule does not declare."""
        for key, settings in rules.items():
            found = self.registry.by_code_or_id(key)
            if found is None:
                raise ConfigError(f"{where}: rules.{key}: no such rule (see `replylint rules`)")
            check = found[0]
            declared = {o.name: o for o in check.options}
            for name, value in settings.items():
                if name == "severity":
                    continue
                if name not in declared:
                    known = ", ".join(sorted(declared)) or "none"
                    raise ConfigError(
                        f"{where}: rule {check.id}: unknown option {name!r} (options: {known})"
                    )
                try:
                    declared[name].validate(check.id, value)
                except ValueError as e:
                    raise ConfigError(f"{where}: {e}") from None

    def active_checks(self, source: str = "") -> list[ActiveCheck]:
        """The checks that run on ``source``, with severities and options from config."""
        overrides = self.config.overrides_for(source) if self.config.overrides else []
        key = tuple(id(o) for o in overrides)
        if key not in self._active:
            select = self.config.select + tuple(s for o in overrides for s in o.select)
            ignore = self.config.ignore + tuple(s for o in overrides for s in o.ignore)
            rule_tables = [self.config.rules, *(o.rules for o in overrides)]
            active = []
            for check, plugin in sorted(self.registry.checks.values(), key=lambda c: c[0].code):
                if not is_enabled(check, select, ignore):
                    continue
                settings: dict[str, Any] = {}
                for table in rule_tables:
                    settings.update(table.get(check.id, {}))
                    settings.update(table.get(check.code, {}))
                severity = Severity.parse(settings.pop("severity", check.severity))
                options = {**check.defaults(), **settings}
                active.append(ActiveCheck(check, plugin, severity, options, docs_url(check)))
            self._active[key] = active
        return self._active[key]

    def forced_kind(self, source: str) -> str | None:
        for o in reversed(self.config.overrides_for(source) if self.config.overrides else []):
            if o.kind:
                return o.kind
        return self.config.kind

    # -- reading ---------------------------------------------------------------------------

    def read(self, source: str, data: bytes, syntax: str | None = None) -> list[Document]:
        """Documents in a file's bytes, by the first reader that claims it (InputError if bad)."""
        readers = [r for r, _ in self.registry.readers]
        if syntax:
            readers = [r for r in readers if r.name == syntax]
            if not readers:
                raise InputError(source, f"no reader named {syntax!r}")
        else:
            readers = self.registry.reader_for(source) or [
                r for r in readers if r.name == "text"
            ]
        for reader in readers:
            docs = reader.load(source, data)
            if docs is not None:
                kind = self.forced_kind(source)
                return [replace(d, kind=kind) for d in docs] if kind else docs
        raise NotRecognised(source, "no reader recognises this file")

    # -- linting ---------------------------------------------------------------------------

    def lint_document(self, doc: Document) -> Report:
        report = Report(doc)
        pending: list[tuple[ActiveCheck, Hit]] = []
        for ac in self.active_checks(doc.source):
            if doc.kind not in ac.check.kinds or matches(doc.ignores, ac.check):
                continue
            try:
                for item in ac.check.func(doc, ac.options):
                    if isinstance(item, Metric):
                        report.metrics[item.name] = item.value
                        continue
                    if not (
                        isinstance(item, Hit)
                        and isinstance(item.start, int)
                        and isinstance(item.end, int)
                        and 0 <= item.start <= item.end <= len(doc.text)
                    ):
                        raise ValueError(f"yielded an invalid hit {item!r:.200}")
                    if not self._suppressed(doc, item.start, ac.check):
                        pending.append((ac, item))
            except Exception as e:
                report.findings.append(internal_error(doc, ac.check.id, ac.plugin, e))
        # a secret one rule found is masked wherever any finding would show it
        secrets = sorted({(h.start, h.end) for _, h in pending if h.sensitive and h.end > h.start})
        report.findings += [self._finding(doc, ac, h, secrets) for ac, h in pending]
        report.findings.sort(key=lambda f: (f.start, f.end, f.code))
        return report

    @staticmethod
    def _suppressed(doc: Document, offset: int, check: Check) -> bool:
        return any(
            s.start <= offset < s.end and (not s.rules or matches(s.rules, check))
            for s in doc.suppressions
        )

    @staticmethod
    def _finding(
        doc: Document, ac: ActiveCheck, hit: Hit, secrets: Sequence[tuple[int, int]] = ()
    ) -> Finding:
        smap = doc.source_map
        assert smap is not None
        start = smap.to_source(hit.start)
        end = smap.source_end(hit.start, hit.end)
        line, column = smap.line_col(start)
        end_line, end_column = smap.line_col(end)
        return Finding(
            rule=ac.check.id,
            code=ac.check.code,
            severity=ac.severity,
            message=redact_strings(hit.message or ac.check.summary, doc.text, secrets),
            source=doc.source,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            start=start,
            end=end,
            match=mask(doc.text[hit.start : hit.end]) if hit.sensitive
            else redact_span(doc.text, hit.start, hit.end, secrets),
            replacements=tuple(redact_strings(r, doc.text, secrets) for r in hit.replacements),
            url=ac.url,
            name=doc.name or doc.macro_id,
            plugin=ac.plugin,
            fix_safe=hit.fix_safe,
            sensitive=hit.sensitive,
        )

    def lint_bytes(
        self, source: str, data: bytes, *, context: str | None = None, syntax: str | None = None
    ) -> list[Report]:
        docs = self.read(source, data, syntax)
        if context is not None:
            docs = [replace(d, context=context) for d in docs]
        return [self.lint_document(d) for d in docs]


def redact_span(text: str, start: int, end: int, secrets: Sequence[tuple[int, int]]) -> str:
    """``text[start:end]`` with every part that lies in a secret masked as the secret is."""
    chars = list(text[start:end])
    for s, e in secrets:
        if s < end and start < e:
            masked = mask(text[s:e])
            for i in range(max(s, start), min(e, end)):
                chars[i - start] = masked[i - s]
    return "".join(chars)


def redact_strings(value: str, text: str, secrets: Sequence[tuple[int, int]]) -> str:
    """``value`` (a message, a replacement) with any secret it repeats masked."""
    for s, e in secrets:
        if text[s:e] in value:
            value = value.replace(text[s:e], mask(text[s:e]))
    return value


class NotRecognised(InputError):
    """No reader claims the file: an error when named, skipped when met in a folder walk."""


def internal_error(doc: Document, rule: str, plugin: str, exc: BaseException) -> Finding:
    return Finding(
        rule=INTERNAL_ERROR_RULE,
        code=INTERNAL_ERROR_CODE,
        severity=Severity.ERROR,
        message=f"check {rule} (plugin {plugin}) failed: {type(exc).__name__}: {exc}",
        source=doc.source,
        line=1,
        column=1,
        end_line=1,
        end_column=1,
        start=0,
        end=0,
        match="",
        name=doc.name or doc.macro_id,
        plugin=plugin,
    )


class Session:
    """Lints many paths, each with the configuration found above it (cached per directory)."""

    def __init__(
        self,
        config: Config | None = None,
        cli: Mapping[str, Any] | None = None,
        exclude: Iterable[str] = (),
    ) -> None:
        self.fixed = config
        self.cli = dict(cli or {})
        self.exclude = tuple(exclude)
        self._configs: dict[Path, Config] = {}
        self._linters: dict[Path | None, Linter] = {}

    def config_for(self, path: Path) -> Config:
        if self.fixed is not None:
            base = self.fixed
        else:
            directory = path.resolve().parent if not path.is_dir() else path.resolve()
            if directory not in self._configs:
                self._configs[directory] = find_config(directory)
            base = self._configs[directory]
        cfg = base.with_cli(**self.cli) if self.cli else base
        return replace(cfg, exclude=cfg.exclude + self.exclude) if self.exclude else cfg

    def linter_for(self, config: Config) -> Linter:
        key = config.path
        if key not in self._linters:
            self._linters[key] = Linter(config)
        return self._linters[key]

    def files(self, root: Path) -> Iterator[Path]:
        """Lintable files under a directory: readers' patterns, include/exclude, no loops."""
        config = self.config_for(root)
        linter = self.linter_for(config)
        import fnmatch

        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            here = Path(dirpath)
            dirnames[:] = sorted(d for d in dirnames if not config.is_excluded(here / d))
            for name in sorted(filenames):
                path = here / name
                if config.is_excluded(path):
                    continue
                if config.include:
                    if not any(fnmatch.fnmatch(name, g) for g in config.include):
                        continue
                elif not linter.registry.reader_for(name):
                    continue
                yield path

    def run(
        self,
        paths: Iterable[str | Path],
        *,
        context: str | None = None,
        stdin_filename: str | None = None,
        syntax: str | None = None,
    ) -> RunResult:
        result = RunResult()
        fail_on: Severity | None = None
        for raw in paths:
            if str(raw) == STDIN:
                name = stdin_filename or "<stdin>"
                config = self.config_for(Path(stdin_filename or "."))
                targets: list[tuple[str, Path | None]] = [(name, None)]
                walked = False
            else:
                path = Path(raw)
                if path.is_dir():
                    config = self.config_for(path)
                    targets = [(str(p), p) for p in self.files(path)]
                    walked = True
                elif path.exists():
                    config = self.config_for(path)
                    targets = [(str(path), path)]
                    walked = False
                else:
                    result.errors.append(InputError(str(path), "no such file or directory"))
                    continue
            fail_on = fail_on or config.fail_on
            for source, path in targets:
                linter = self.linter_for(self.config_for(path) if path else config)
                try:
                    data = sys.stdin.buffer.read() if path is None else path.read_bytes()
                    result.reports += linter.lint_bytes(
                        source, data, context=context, syntax=syntax
                    )
                except NotRecognised as e:
                    if not walked:  # a package.json in a macro folder is not an error
                        result.errors.append(e)
                except InputError as e:
                    result.errors.append(e)
                except OSError as e:
                    result.errors.append(InputError(source, e.strerror or str(e)))
                except Exception as e:  # a fault in replylint itself: report it, go on
                    result.plugin_errors.append(
                        f"internal error while linting {source}: {type(e).__name__}: {e}"
                    )
        for linter in self._linters.values():
            result.plugin_errors += [str(e) for e in linter.registry.errors]
            result.rules.update((c.code, c) for c, _ in linter.registry.checks.values())
        result.fail_on = fail_on or (self.fixed.fail_on if self.fixed else Severity.WARNING)
        if self.cli.get("fail_on"):
            result.fail_on = Severity.parse(self.cli["fail_on"])
        return result
