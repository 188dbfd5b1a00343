"""Runs checks on documents: selection, options, fault isolation, suppressions, locations.

Every check's hits become findings of one shape here, so a plugin's output is
indistinguishable from a built-in's. A check that raises or yields garbage becomes an
internal-error finding naming the plugin and the rule; the other checks still run.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .config import DEFAULT_EXCLUDE, Config, ConfigError, find_config, is_enabled, matches
from .limits import (
    SELF_TIMED_FAMILIES,
    TOO_MANY_FINDINGS_CODE,
    TOO_MANY_FINDINGS_RULE,
    CheckTimeout,
    Stopwatch,
    check_size,
    read_input,
    read_stream,
)
from .model import (
    GROUP_DOCS,
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
from .readers import Patterns, Reader

if TYPE_CHECKING:
    from .cache import BatchCache, ResultCache

#: a check's time budget (``check-timeout``) is for this many characters of text, and grows
#: with longer documents: linting is linear, and a 1 MB document is not an attack
BUDGET_CHARS = 100_000
DOCS_URL = "https://github.com/replylint/replylint/blob/main/docs/rules/{family}/{name}.md"
STDIN = "-"


def docs_url(check: Check) -> str:
    family, _, name = check.id.partition(".")
    return DOCS_URL.format(family=family, name=name)


class ActiveCheck(NamedTuple):
    check: Check
    plugin: str
    severity: Severity
    options: Mapping[str, Any]
    url: str
    #: seconds the check may run on one document (None: no budget)
    timeout: float | None = None
    #: the check is off and runs only for the metrics it publishes: its hits are dropped
    metrics_only: bool = False


#: what one check made of one document: its hits, its metrics, its fault findings
Outcome = tuple[list[Hit], dict[str, Any], list[Finding]]

#: the characters a group of documents (``GROUP_DOCS``) may hold between them: a group keeps
#: every one's zones, sentences and word index at once
GROUP_CHARS = 64 << 10


def _groups(docs: Sequence[Document]) -> Iterator[Sequence[Document]]:
    """Consecutive runs of ``docs``, of at most ``GROUP_DOCS`` documents and, unless one
    document alone is longer, ``GROUP_CHARS`` characters."""
    start = size = 0
    for n, doc in enumerate(docs):
        if n > start and (n - start >= GROUP_DOCS or size + len(doc.text) > GROUP_CHARS):
            yield docs[start:n]
            start, size = n, 0
        size += len(doc.text)
    if start < len(docs):
        yield docs[start:]


def _applies(ac: ActiveCheck, doc: Document) -> bool:
    return (doc.kind in ac.check.kinds and doc.channel in ac.check.channels
            and not (doc.ignores and matches(doc.ignores, ac.check)))


def _scale(doc: Document) -> float:
    """How many times its base budget a check has on ``doc``: long documents take longer."""
    return max(1.0, len(doc.text) / BUDGET_CHARS)


def _steps(actives: Sequence[list[ActiveCheck]]) -> Iterator[tuple[ActiveCheck, Sequence[int]]]:
    """Each check with the documents (by index) it runs on, in the order of the checks'
    codes, as each document's own list has them."""
    first = actives[0]
    if all(active is first for active in actives):  # one set of settings: the usual case
        every = range(len(actives))
        for ac in first:
            yield ac, every
        return
    by_code: dict[str, list[tuple[ActiveCheck, int]]] = {}
    for i, active in enumerate(actives):
        for ac in active:
            by_code.setdefault(ac.check.code, []).append((ac, i))
    for code in sorted(by_code):
        runs: dict[int, tuple[ActiveCheck, list[int]]] = {}  # by the settings (one per list)
        for ac, i in by_code[code]:
            runs.setdefault(id(ac), (ac, []))[1].append(i)
        yield from runs.values()


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
                if name in ("severity", "check-timeout"):
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
                metrics_only = False
                if not is_enabled(check, select, ignore):
                    # off only because it is off by default: it still publishes its metrics
                    if not (check.publishes and is_enabled(
                            replace(check, default_enabled=True), select, ignore)):
                        continue
                    metrics_only = True
                settings: dict[str, Any] = {}
                for table in rule_tables:
                    settings.update(table.get(check.id, {}))
                    settings.update(table.get(check.code, {}))
                severity = Severity.parse(settings.pop("severity", check.severity))
                timeout = settings.pop("check-timeout", None)
                if timeout is None and check.family not in SELF_TIMED_FAMILIES:
                    timeout = self.config.check_timeout
                options = {**check.defaults(), **settings}
                active.append(ActiveCheck(check, plugin, severity, options, docs_url(check),
                                          float(timeout) if timeout else None, metrics_only))
            self._active[key] = active
        return self._active[key]

    def forced_kind(self, source: str) -> str | None:
        for o in reversed(self.config.overrides_for(source) if self.config.overrides else []):
            if o.kind:
                return o.kind
        return self.config.kind

    def forced_channel(self, source: str) -> str | None:
        for o in reversed(self.config.overrides_for(source) if self.config.overrides else []):
            if o.channel:
                return o.channel
        return self.config.channel

    # -- reading ---------------------------------------------------------------------------

    def read(self, source: str, data: bytes, syntax: str | None = None) -> list[Document]:
        """Documents in a file's bytes, by the first reader that claims it.

        InputError if the data is over ``max-input-size`` or a reader refuses it; ReaderFault
        (naming the reader and its plugin) if a reader crashes or returns something else than
        a list of Documents.
        """
        check_size(source, data, self.config.max_input_size)
        readers = self.registry.readers
        if syntax:
            readers = [(r, p) for r, p in readers if r.name == syntax]
            if not readers:
                raise InputError(source, f"no reader named {syntax!r}")
        else:
            readers = [(r, p) for r, p in readers if r.matches(source)] or [
                (r, p) for r, p in readers if r.name == "text"
            ]
        for reader, plugin in readers:
            docs = self._load(reader, plugin, source, data)
            if docs is not None:
                kind, channel = self.forced_kind(source), self.forced_channel(source)
                if kind:
                    docs = [replace(d, kind=kind) for d in docs]
                if channel:
                    docs = [replace(d, declared_channel=channel) for d in docs]
                return docs
        raise NotRecognised(source, "no reader recognises this file")

    @staticmethod
    def _load(reader: Reader, plugin: str, source: str, data: bytes) -> list[Document] | None:
        try:
            docs = reader.load(source, data)
        except (InputError, KeyboardInterrupt, CheckTimeout):
            raise
        except BaseException as e:  # a reader's bug (or a plugin's SystemExit) is not input's
            raise ReaderFault(
                f"reader {reader.name} (plugin {plugin}) failed on {source}: "
                f"{type(e).__name__}: {e}"
            ) from e
        if docs is not None and not (
            isinstance(docs, list)
            and all(isinstance(d, Document) and isinstance(d.text, str) for d in docs)
        ):
            raise ReaderFault(
                f"reader {reader.name} (plugin {plugin}) returned {docs!r:.100} for {source}, "
                "not a list of Documents"
            )
        return docs

    # -- linting ---------------------------------------------------------------------------

    def lint_document(self, doc: Document) -> Report:
        """Run every active check on ``doc``; a check's fault or overrun is an internal-error
        finding naming it, and the other checks still run."""
        return self._lint_group([doc])[0]

    def lint_documents(self, docs: Sequence[Document]) -> list[Report]:
        """``lint_document`` of each document, in order, a group of them at a time: each
        check runs over the whole group before the next starts, so that its code and tables
        are still in the processor's caches from one document to the next. On a macro
        library this is 10–20% faster than one document at a time (docs/performance.md)."""
        reports: list[Report] = []
        for group in _groups(docs):
            reports += self._lint_group(group)
        return reports

    def _lint_group(self, docs: Sequence[Document]) -> list[Report]:
        reports = [Report(doc) for doc in docs]
        pending: list[list[tuple[ActiveCheck, Hit]]] = [[] for _ in docs]
        actives = [self.active_checks(doc.source) for doc in docs]
        scales = [_scale(doc) for doc in docs]
        with Stopwatch(any(ac.timeout for active in actives for ac in active)) as clock:
            for ac, which in _steps(actives):
                for i in which:
                    doc, report = docs[i], reports[i]
                    if _applies(ac, doc):
                        self._run(clock, doc, ac, scales[i], pending[i], report.metrics,
                                  report.findings)
        for report, hits in zip(reports, pending, strict=True):
            self._finish(report, hits)
        return reports

    def _run(self, clock: Stopwatch, doc: Document, ac: ActiveCheck, scale: float,
             pending: list[tuple[ActiveCheck, Hit]], metrics: dict[str, Any],
             findings: list[Finding]) -> None:
        """Run one check on one document: its hits into ``pending``, its metrics into
        ``metrics``; a fault or an overrun is a finding naming it."""
        try:
            budget = ac.timeout and ac.timeout * scale
            overran = clock.run(budget, self._collect, doc, ac, pending, metrics)
        except KeyboardInterrupt:
            raise
        except BaseException as e:  # even SystemExit: a plugin must not end the run
            findings.append(internal_error(doc, ac.check.id, ac.plugin, e))
            return
        if overran:
            findings.append(fault_finding(doc, ac.plugin, overran.message(ac.check.id,
                                                                          ac.plugin)))

    # -- one document's checks in several processes (parallel.lint_shared) ----------------

    def checks_for(self, doc: Document) -> list[ActiveCheck]:
        """The checks ``lint_document`` runs on ``doc``, in the order it runs them."""
        return [ac for ac in self.active_checks(doc.source) if _applies(ac, doc)]

    def outcomes(self, doc: Document, checks: Iterable[ActiveCheck]) -> Iterator[Outcome]:
        """What each of ``checks`` (some of ``checks_for(doc)``) makes of ``doc``, run as
        ``lint_document`` runs it."""
        checks, scale = list(checks), _scale(doc)
        with Stopwatch(any(ac.timeout for ac in checks)) as clock:
            for ac in checks:
                pending: list[tuple[ActiveCheck, Hit]] = []
                outcome: Outcome = ([], {}, [])
                self._run(clock, doc, ac, scale, pending, outcome[1], outcome[2])
                outcome[0].extend(hit for _, hit in pending)
                yield outcome

    def assemble(self, doc: Document, outcomes: Iterable[tuple[ActiveCheck, Outcome]]
                 ) -> Report:
        """``doc``'s report from its checks' outcomes, given in ``checks_for`` order: the
        report ``lint_document`` makes."""
        report = Report(doc)
        pending: list[tuple[ActiveCheck, Hit]] = []
        for ac, (hits, metrics, faults) in outcomes:
            pending += [(ac, hit) for hit in hits]
            report.metrics.update(metrics)
            report.findings += faults
        self._finish(report, pending)
        return report

    def _finish(self, report: Report, pending: list[tuple[ActiveCheck, Hit]]) -> None:
        """The findings of a document's hits, in order of position."""
        doc = report.document
        # a secret one rule found is masked wherever any finding would show it
        secrets = sorted({(h.start, h.end) for _, h in pending if h.sensitive and h.end > h.start})
        cap = self.config.max_findings
        dropped: list[tuple[ActiveCheck, Hit]] = []
        if cap and len(pending) > cap:  # the first by position, before making findings of them
            pending.sort(key=lambda p: (p[1].start, p[1].end, p[0].check.code))
            pending, dropped = pending[:cap], pending[cap:]
        report.findings += [self._finding(doc, ac, h, secrets) for ac, h in pending]
        report.findings.sort(key=lambda f: (f.start, f.end, f.code))
        if dropped:
            report.findings.append(self._too_many(doc, dropped, cap))

    def _collect(
        self,
        doc: Document,
        ac: ActiveCheck,
        pending: list[tuple[ActiveCheck, Hit]],
        metrics: dict[str, Any],
    ) -> None:
        """Run one check, validating what it yields (ValueError/TypeError on garbage)."""
        items = ac.check.func(doc, ac.options)
        try:
            iterator = iter(items)
        except TypeError:
            raise TypeError(
                f"returned {type(items).__name__}, not an iterable of Hit and Metric"
            ) from None
        for item in iterator:
            if isinstance(item, Metric):
                if not isinstance(item.name, str) or not isinstance(
                    item.value, int | float | str | type(None)
                ):
                    raise ValueError(f"yielded an invalid metric {item!r:.200}")
                metrics[item.name] = item.value
                continue
            problem = invalid_hit(item, len(doc.text))
            if problem:
                raise ValueError(f"yielded an invalid hit {item!r:.200}: {problem}")
            if not ac.metrics_only and not self._suppressed(doc, item.start, ac.check):
                pending.append((ac, item))

    @staticmethod
    def _too_many(doc: Document, dropped: Sequence[tuple[ActiveCheck, Hit]], cap: int) -> Finding:
        """The note ending a document's findings when ``max-findings`` dropped some."""
        smap = doc.source_map
        assert smap is not None
        first = min(h.start for _, h in dropped)
        start = smap.to_source(first)
        line, column = smap.line_col(start)
        n = len(dropped)
        return Finding(
            rule=TOO_MANY_FINDINGS_RULE,
            code=TOO_MANY_FINDINGS_CODE,
            severity=max(ac.severity for ac, _ in dropped),  # the exit code stays what it was
            message=f"{n} more finding{'s' if n > 1 else ''} not shown, from line {line} on: "
            f"at most {cap} per document (max-findings)",
            source=doc.source,
            line=line,
            column=column,
            end_line=line,
            end_column=column,
            start=start,
            end=start,
            match="",
            url=LIMITS_URL,
            name=doc.name or doc.macro_id,
            plugin="replylint",
        )

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
        return self.lint_documents(self.documents(source, data, context=context, syntax=syntax))

    def documents(
        self, source: str, data: bytes, *, context: str | None = None, syntax: str | None = None
    ) -> list[Document]:
        """``read``, with the customer's message (``context``) given to every document."""
        docs = self.read(source, data, syntax)
        return [replace(d, context=context) for d in docs] if context is not None else docs


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


class ReaderFault(Exception):
    """A reader crashed or returned garbage: a fault of the reader's plugin (exit code 3)."""


LIMITS_URL = "https://github.com/replylint/replylint/blob/main/docs/configuration.md#limits"


def invalid_hit(item: object, length: int) -> str | None:
    """What is wrong with something a check yielded as a hit, or None if it is a valid Hit."""
    if not isinstance(item, Hit):
        return f"a {type(item).__name__}, not a Hit or Metric"
    start, end = item.start, item.end
    if not (type(start) is int and type(end) is int):  # noqa: E721 - not bool, not float
        return "start and end must be integers"
    if not 0 <= start <= end <= length:
        return f"span {start}..{end} is outside the text (0..{length})"
    if item.message is not None and not isinstance(item.message, str):
        return "message must be a string or None"
    if not isinstance(item.replacements, list | tuple) or not all(
        isinstance(r, str) for r in item.replacements
    ):
        return "replacements must be a list or tuple of strings"
    if not (isinstance(item.fix_safe, bool) and isinstance(item.sensitive, bool)):
        return "fix_safe and sensitive must be booleans"
    return None


def internal_error(doc: Document, rule: str, plugin: str, exc: BaseException) -> Finding:
    return fault_finding(
        doc, plugin, f"check {rule} (plugin {plugin}) failed: {type(exc).__name__}: {exc}"
    )


def fault_finding(doc: Document, plugin: str, message: str) -> Finding:
    """An internal-error finding (exit code 3) at the top of the document."""
    return Finding(
        rule=INTERNAL_ERROR_RULE,
        code=INTERNAL_ERROR_CODE,
        severity=Severity.ERROR,
        message=message,
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
    """Lints many paths, each with the configuration found above it (cached per directory).

    ``jobs`` worker processes share the files (0: one per CPU); ``cache`` skips files whose
    bytes and settings are unchanged since a run that stored them (``replylint.cache``);
    ``progress(total)`` returns a callback told how many files each step finished.
    """

    def __init__(
        self,
        config: Config | None = None,
        cli: Mapping[str, Any] | None = None,
        exclude: Iterable[str] = (),
        *,
        jobs: int = 1,
        cache: ResultCache | None = None,
        progress: Callable[[int], Callable[[int], None]] | None = None,
    ) -> None:
        self.fixed = config
        self.cli = dict(cli or {})
        self.exclude = tuple(exclude)
        self.jobs = jobs
        self.cache = cache
        self.progress = progress
        self._configs: dict[Path, Config] = {}
        self._effective: dict[Path, Config] = {}
        self._linters: dict[Path | None, Linter] = {}

    def config_for(self, path: Path) -> Config:
        """The configuration for a file or folder (one lookup per folder of a walk)."""
        return self._folder_config(path if path.is_dir() else path.parent)

    def _folder_config(self, folder: Path) -> Config:
        if folder not in self._effective:
            if self.fixed is not None:
                base = self.fixed
            else:
                directory = folder.resolve()
                if directory not in self._configs:
                    self._configs[directory] = find_config(directory)
                base = self._configs[directory]
            cfg = base.with_cli(**self.cli) if self.cli else base
            self._effective[folder] = (replace(cfg, exclude=cfg.exclude + self.exclude)
                                       if self.exclude else cfg)
        return self._effective[folder]

    def linter_for(self, config: Config) -> Linter:
        key = config.path
        if key not in self._linters:
            self._linters[key] = Linter(config)
        return self._linters[key]

    def files(self, root: Path) -> Iterator[tuple[str, Linter]]:
        """Lintable files under a directory (named as ``str(root / …)`` names them), each with
        its folder's linter: readers' patterns, include/exclude, no loops (one config lookup
        per folder, not per file; no Path per file)."""
        config = self.config_for(root)
        readable = Patterns([p for r, _ in self.linter_for(config).registry.readers
                             for p in r.patterns])
        if config.is_excluded(root):  # folders below are tested as the walk meets them
            return
        import fnmatch

        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            here = Path(dirpath)
            dirnames[:] = sorted(d for d in dirnames if not config.is_excluded(here / d))
            linter = self.linter_for(self._folder_config(here))
            prefix = "" if str(here) == "." else str(here) + os.sep
            for name in sorted(filenames):
                if name in DEFAULT_EXCLUDE:
                    continue
                if config.include:
                    if not any(fnmatch.fnmatch(name, g) for g in config.include):
                        continue
                elif not readable.matches(name):
                    continue
                if config.exclude and config.is_excluded(here / name):
                    continue
                yield prefix + name, linter

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
        targets: list[_Target] = []
        for raw in paths:
            if str(raw) == STDIN:
                name = stdin_filename or "<stdin>"
                config = self.config_for(Path(stdin_filename or "."))
                targets.append(_Target(name, None, self.linter_for(config), False))
            else:
                path = Path(raw)
                if path.is_dir():
                    config = self.config_for(path)
                    targets += [_Target(p, p, linter, True) for p, linter in self.files(path)]
                elif path.exists():
                    config = self.config_for(path)
                    targets.append(_Target(str(path), str(path), self.linter_for(config), False))
                else:
                    result.errors.append(InputError(str(path), "no such file or directory"))
                    continue
            fail_on = fail_on or config.fail_on
        options = {"context": context, "syntax": syntax}
        for target, outcome in zip(targets, self._outcomes(targets, options), strict=True):
            kind = outcome[0]
            if kind == "reports":
                result.reports += outcome[1]
            elif kind == "error":
                if not (outcome[2] and target.walked):  # a package.json in a macro folder
                    result.errors.append(InputError(target.source, outcome[1]))
            else:
                result.plugin_errors.append(outcome[1])
        for linter in self._linters.values():
            result.plugin_errors += [str(e) for e in linter.registry.errors]
            result.rules.update((c.code, c) for c, _ in linter.registry.checks.values())
        result.fail_on = fail_on or (self.fixed.fail_on if self.fixed else Severity.WARNING)
        if self.cli.get("fail_on"):
            result.fail_on = Severity.parse(self.cli["fail_on"])
        return result

    def _outcomes(
        self, targets: Sequence[_Target], options: dict[str, Any]
    ) -> Iterator[tuple[Any, ...]]:
        """Each target's outcome, in order: read, looked up in the cache, else linted (on
        worker processes when there are many), in batches that bound the bytes held."""
        from . import parallel

        linters = list({id(t.linter): t.linter for t in targets}.values())
        pool = parallel.Workers(linters, options, self.jobs or parallel.available_cpus())
        done = self.progress(len(targets)) if self.progress else (lambda n: None)
        try:
            yield from self._linted(targets, options, linters, pool, done)
        finally:
            pool.close()
            if self.cache is not None:
                self.cache.close()

    def _linted(
        self, targets: Sequence[_Target], options: dict[str, Any], linters: list[Linter],
        pool: Any, done: Callable[[int], None],
    ) -> Iterator[tuple[Any, ...]]:
        """The outcomes, batch by batch: reports the cache recalls by file status (the file is
        not read) or by content, else reports from ``pool``. Each batch is read and looked up
        while the workers lint the one before it."""
        index = {id(linter): i for i, linter in enumerate(linters)}
        run_cache = None
        if self.cache is not None:
            from .cache import RunCache

            run_cache = RunCache(self.cache, options)
        pending: tuple[Any, ...] | None = None
        for batch in _batches(targets):
            cache = run_cache.batch(batch) if run_cache and run_cache.worth(batch) else None
            outcomes, jobs = _read(batch, cache, done)
            work = [(index[id(batch[n][0].linter)], source, data) for n, source, data in jobs]
            linted = pool.submit(work, done)
            if pending is not None:
                yield from _finished(*pending)
                if self.cache is not None:
                    self.cache.flush()  # while the workers lint this batch
            pending = (outcomes, jobs, cache, linted)
        if pending is not None:
            yield from _finished(*pending)


def _read(batch: Sequence[tuple[_Target, os.stat_result | None]], cache: BatchCache | None,
          done: Callable[[int], None]
          ) -> tuple[list[tuple[Any, ...] | None], list[tuple[int, str, bytes]]]:
    """A batch's outcomes so far (reports from the cache, files that could not be read) and
    its jobs ``(index in the batch, source, bytes)`` for the rest."""
    outcomes: list[tuple[Any, ...] | None] = [None] * len(batch)
    for n, reports in (cache.recall() if cache else {}).items():
        outcomes[n] = ("reports", reports)
        done(1)
    jobs = []
    for n, (t, _) in enumerate(batch):
        if outcomes[n] is None:
            limit = t.linter.config.max_input_size
            try:
                data = (read_stream(sys.stdin.buffer, limit, t.source) if t.path is None
                        else read_input(t.path, limit))
            except InputError as e:
                outcomes[n] = ("error", e.reason, False)
                done(1)
            else:
                jobs.append((n, t.source, data))
    if cache:
        for n, reports in cache.look_up(jobs).items():
            outcomes[n] = ("reports", reports)
            done(1)
        jobs = [job for job in jobs if outcomes[job[0]] is None]
    return outcomes, jobs


def _finished(outcomes: list[tuple[Any, ...] | None], jobs: list[tuple[int, str, bytes]],
              cache: BatchCache | None, linted: Iterator[tuple[Any, ...]]
              ) -> Iterator[tuple[Any, ...]]:
    """A batch's outcomes in order, once its linted files are in (and stored in the cache)."""
    from .results import loads

    for (n, _, _), outcome in zip(jobs, linted, strict=True):
        if outcome[0] == "reports":
            data = outcome[1] if isinstance(outcome[1], bytes) else None
            reports = outcome[1] if data is None else loads(data)
            if cache:
                cache.store(n, reports, data)
            outcome = ("reports", reports)
        outcomes[n] = outcome
    yield from outcomes  # type: ignore[misc]


class _Target(NamedTuple):
    source: str
    path: str | None  # None: standard input
    linter: Linter
    walked: bool  # met in a folder walk (a file no reader knows is skipped, not an error)


BATCH_FILES = 2000
BATCH_BYTES = 64 << 20
#: the first batch's files, each next batch four times as many up to ``BATCH_FILES``: the
#: workers start on the first while the next is read
FIRST_BATCH = 250


def _batches(targets: Sequence[_Target]) -> Iterator[list[tuple[_Target, os.stat_result | None]]]:
    """Consecutive runs of targets, each with its file's status (None: standard input, or
    no status to be had, which reading the file will report); a run ends at ``BATCH_FILES``
    files (fewer in the first runs) or ``BATCH_BYTES`` bytes, so a huge library is never held
    whole (two batches at most: one being linted, the next being read)."""
    batch: list[tuple[_Target, os.stat_result | None]] = []
    size = 0
    files = min(FIRST_BATCH, BATCH_FILES)
    for t in targets:
        st = None
        if t.path is not None:
            try:
                st = os.stat(t.path)
                size += st.st_size
            except OSError:
                pass
        batch.append((t, st))
        if len(batch) >= files or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
            files = min(files * 4, BATCH_FILES)
    if batch:
        yield batch
