"""The ``replylint`` command.

Exit codes: 0 nothing at or above ``fail-on``; 1 findings at or above it; 2 usage, config or
unreadable input (the other files are still linted and reported); 3 a plugin failed to load or
a check failed while running (its internal-error finding says which).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .config import Config, ConfigError, find_config, load_config_file

EXIT_USAGE = 2


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _fail(message: str) -> None:
    click.echo(f"replylint: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _base_config(config_path: Path | None) -> Config:
    if config_path is None:
        return find_config(Path.cwd())
    found = load_config_file(config_path)
    if found is None:
        _fail(f"{config_path}: no [tool.replylint] table")
    return found


def _registry(config_path: Path | None, plugins_dir: tuple[Path, ...]):
    from .plugins import build_registry

    try:
        config = _base_config(config_path).with_cli(plugins_dir=plugins_dir)
    except ConfigError as e:
        _fail(str(e))
    registry = build_registry(config.plugins_dir, config.raw)
    for err in registry.errors:
        click.echo(f"replylint: plugin error: {err}", err=True)
    return registry


config_option = click.option(
    "--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Use this config file instead of the one found above each file.",
)
plugins_option = click.option(
    "--plugins-dir", multiple=True, type=click.Path(file_okay=False, path_type=Path),
    help="Another folder of drop-in plugins (repeatable).",
)


class LazyGroup(click.Group):
    """Commands that live in their own modules, imported only when run (start-up stays fast)."""

    LAZY = {
        "sendmail": "replylint.integrations.sendmail:command",
        "install-hook": "replylint.integrations.hooks:command",
        "serve": "replylint.service:command",
    }

    def list_commands(self, ctx):
        return sorted([*super().list_commands(ctx), *self.LAZY])

    def get_command(self, ctx, name):
        if name in self.LAZY:
            import importlib

            module, _, attr = self.LAZY[name].partition(":")
            try:
                return getattr(importlib.import_module(module), attr)
            except ModuleNotFoundError:
                return None
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="replylint")
def main() -> None:
    """Lint customer-support replies and macro libraries."""
    import atexit

    from . import regexcache

    atexit.register(regexcache.save)  # the next run starts with these patterns compiled
    _settled()


def _settled() -> None:
    """Modules, tables and plugins loaded so far live until the process ends: the cycle
    collector is told not to walk them again (at each full collection, and at exit). This
    was 6% of a one-draft check."""
    import gc

    gc.freeze()


PROGRESS_MIN_FILES = 50


class _ProgressBar:
    """A progress bar on standard error, for runs over many files on a terminal only."""

    current = None

    @classmethod
    def close(cls) -> None:
        if cls.current is not None:
            cls.current.render_finish()
            cls.current = None


def _progress_bar(total: int):
    if total < PROGRESS_MIN_FILES or not sys.stderr.isatty():
        return lambda n: None
    _ProgressBar.close()
    bar = click.progressbar(length=total, label="Linting", file=sys.stderr, show_pos=True)
    bar.render_progress()
    _ProgressBar.current = bar
    return bar.update


@main.command()
@click.argument("paths", nargs=-1, type=str)
@click.option("-f", "--format", "fmt", default="text", show_default=True,
              help="Output format: text, json, sarif, github (or one a plugin adds).")
@config_option
@plugins_option
@click.option("--select", multiple=True, help="Rules to run: ids, codes or prefixes (comma-separated).")
@click.option("--ignore", multiple=True, help="Rules to skip: ids, codes or prefixes.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "suggestion"]),
              help="Lowest severity that makes the exit code 1 [default: warning].")
@click.option("--kind", type=click.Choice(["draft", "macro"]),
              help="Treat every document as a draft about to be sent or as a macro.")
@click.option("--channel", type=click.Choice(["email", "chat", "social", "macro"]),
              help="Judge every document as written for this channel [default: detected].")
@click.option("--context", "context_file", type=click.File("r", encoding="utf-8"),
              help="A file with the customer's message the reply answers.")
@click.option("--stdin-filename", help="Name (and so format and config) for text read from -.")
@click.option("--syntax", help="Force a reader: text, markdown, html, eml, export.")
@click.option("--exclude", multiple=True, help="Glob of files or folders to skip (repeatable).")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write the report to this file.")
@click.option("--color/--no-color", default=None, help="Colour the text format [default: on a terminal].")
@click.option("--fix", is_flag=True, help="Apply safe fixes to the files, then report what is left.")
@click.option("--languagetool", metavar="URL|local|public",
              help="Check grammar and spelling with this LanguageTool server (see docs/grammar.md).")
@click.option("-j", "--jobs", type=click.IntRange(0), default=0, show_default=True,
              help="Worker processes for many files (0: one per CPU, 1: none).")
@click.option("--no-cache", is_flag=True,
              help="Lint every file again instead of reusing results of unchanged files.")
def check(paths, fmt, config_path, plugins_dir, select, ignore, fail_on, kind, channel, context_file,
          stdin_filename, syntax, exclude, output, color, fix, languagetool, jobs, no_cache):
    """Lint replies: files, folders (recursively) or - for standard input."""
    from .engine import Session

    cache = None
    if not (no_cache or fix or os.environ.get("REPLYLINT_NO_CACHE")):
        from .cache import ResultCache

        cache = ResultCache()
    try:
        fixed = None if config_path is None else _base_config(config_path)
        cli = {"select": _split(select), "ignore": _split(ignore), "fail_on": fail_on,
               "plugins_dir": plugins_dir, "kind": kind, "languagetool": languagetool,
               "channel": channel}
        session = Session(fixed, {k: v for k, v in cli.items() if v}, exclude,
                          jobs=1 if fix else jobs, cache=cache, progress=_progress_bar)
        formatters = session.linter_for(session.config_for(Path.cwd())).registry.formatters
        _settled()
        if fmt not in formatters:
            _fail(f"unknown format {fmt!r} (choose from {', '.join(sorted(formatters))})")
        context = context_file.read() if context_file else None
        run = dict(context=context, stdin_filename=stdin_filename, syntax=syntax)
        result = session.run(paths or ["."], **run)
        if fix:
            from .fix import apply_fixes

            fixed = apply_fixes(result)
            if fixed:
                click.echo(f"replylint: fixed {sum(fixed.values())} finding(s) in "
                           f"{len(fixed)} file(s)", err=True)
                if "-" not in paths:
                    result = session.run(paths or ["."], **run)
    except ConfigError as e:
        _fail(str(e))
    finally:
        _ProgressBar.close()
    if cache is not None and cache.problem:
        click.echo(f"replylint: note: {cache.problem}", err=True)
    if color is None:
        color = output.isatty()
    formatters[fmt][0].write(result, output, color)
    if fmt != "text":
        for e in result.errors:
            click.echo(f"replylint: {e.source}: {e.reason}", err=True)
        for msg in result.plugin_errors:
            click.echo(f"replylint: plugin error: {msg}", err=True)
    sys.exit(result.exit_code)


@main.command()
@config_option
@plugins_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules(config_path, plugins_dir, fmt):
    """List every rule: code, id, default severity and summary."""
    registry = _registry(config_path, plugins_dir)
    checks = registry.sorted_checks()
    if fmt == "json":
        import json

        rows = [{"code": c.code, "id": c.id, "severity": str(c.severity), "summary": c.summary,
                 "plugin": registry.checks[c.id][1]} for c in checks]
        click.echo(json.dumps(rows, indent=2))
        return
    for c in checks:
        off = "" if c.default_enabled else " (off by default)"
        click.echo(f"{c.code:<8} {c.id:<36} {str(c.severity):<10} {c.summary}{off}")


@main.command()
@click.argument("key")
@config_option
@plugins_option
def rule(key, config_path, plugins_dir):
    """Print one rule's documentation, by code (PLH001) or id (placeholders.unfilled)."""
    from .docgen import rule_page

    registry = _registry(config_path, plugins_dir)
    found = registry.by_code_or_id(key)
    if found is None:
        _fail(f"no rule {key!r} (see `replylint rules`)")
    click.echo(rule_page(found[0], found[1]))


@main.command()
@config_option
@plugins_option
def plugins(config_path, plugins_dir):
    """List loaded plugins, where each came from and what it registered."""
    registry = _registry(config_path, plugins_dir)
    provided: dict[str, list[str]] = {name: [] for name in registry.origins}
    for c, p in registry.checks.values():
        provided[p].append(c.code)
    for r, p in registry.readers:
        provided[p].append(f"reader:{r.name}")
    for name, (_, p) in registry.formatters.items():
        provided[p].append(f"format:{name}")
    for name, origin in registry.origins.items():
        items = ", ".join(sorted(provided[name])) or "nothing"
        click.echo(f"{name}\n    from: {origin}\n    provides: {items}")
    if registry.errors:
        sys.exit(3)
