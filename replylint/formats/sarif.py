"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import json
from pathlib import Path

from .. import __version__
from ..hookspecs import hookimpl
from ..model import Severity
from . import Formatter

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.SUGGESTION: "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/replylint/replylint"


def _uri(source: str) -> str:
    if source.startswith("<"):
        return source.strip("<>")
    path = Path(source)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.resolve().as_uri()


def _descriptor(code, rule_id, summary, url, severity):
    out = {
        "id": code,
        "name": rule_id,
        "shortDescription": {"text": summary or rule_id},
        "defaultConfiguration": {"level": LEVELS[severity]},
    }
    if url:
        out["helpUri"] = url
    return out


def sarif_log(result) -> dict:
    rules: list[dict] = []
    index: dict[str, int] = {}
    results = []
    for f in result.findings:
        if f.code not in index:
            check = result.rules.get(f.code)
            summary = check.summary if check else "a check failed while running"
            index[f.code] = len(rules)
            rules.append(_descriptor(f.code, f.rule, summary, f.url, f.severity))
        location = {
            "physicalLocation": {
                "artifactLocation": {"uri": _uri(f.source)},
                "region": {
                    "startLine": f.line,
                    "startColumn": f.column,
                    "endLine": f.end_line,
                    "endColumn": f.end_column,
                    "charOffset": f.start,
                    "charLength": f.end - f.start,
                },
            }
        }
        if f.name:
            location["logicalLocations"] = [{"name": f.name, "kind": "macro"}]
        item = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": LEVELS[f.severity],
            "message": {"text": f.message},
            "locations": [location],
        }
        if f.replacements:
            item["properties"] = {"replacements": list(f.replacements)}
        results.append(item)
    notifications = [
        {
            "level": "error",
            "message": {"text": e.reason},
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": _uri(e.source)}}}
            ],
        }
        for e in result.errors
    ] + [{"level": "error", "message": {"text": m}} for m in result.plugin_errors]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "replylint",
                        "version": __version__,
                        "informationUri": INFO_URI,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "invocations": [
                    {
                        "executionSuccessful": not (result.errors or result.plugin_failed),
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
            }
        ],
    }


def write_sarif(result, out, color):
    json.dump(sarif_log(result), out, ensure_ascii=False, indent=2)
    out.write("\n")


@hookimpl
def register_formatters(register):
    register(Formatter("sarif", write_sarif, "SARIF 2.1.0 for code scanning"))

