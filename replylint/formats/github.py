"""``--format github``: GitHub Actions workflow commands, shown inline on pull requests."""

from __future__ import annotations

from ..hookspecs import hookimpl
from ..model import Severity
from . import Formatter

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.SUGGESTION: "notice"}


def _escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def write_github(result, out, color):
    for f in result.findings:
        title = f"{f.code} [{f.rule}]" + (f" in {f.name}" if f.name else "")
        props = (
            f"file={_escape(f.source, True)},line={f.line},col={f.column},"
            f"endLine={f.end_line},endColumn={f.end_column},title={_escape(title, True)}"
        )
        out.write(f"::{LEVELS[f.severity]} {props}::{_escape(f.message)}\n")
    for e in result.errors:
        out.write(f"::error file={_escape(e.source, True)}::{_escape(e.reason)}\n")
    for msg in result.plugin_errors:
        out.write(f"::error title=replylint plugin::{_escape(msg)}\n")


@hookimpl
def register_formatters(register):
    register(Formatter("github", write_github, "GitHub Actions annotations"))
