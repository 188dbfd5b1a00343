"""Error-level rules are sure: no error-level finding on any real reply, unless confirmed.

An ``error`` blocks sending, so a false alarm there costs a team a reply. This lints every
real reply in ``../shared/data`` (outside the repository; the test skips where it is absent)
with the default rules that report at error level, and fails on any error-level finding not
listed, with a person's reason, in ``tests/fixtures/real_data_errors.yaml``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from replylint import Severity
from replylint.config import Config
from replylint.engine import Linter
from replylint.plugins import build_registry

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
ALLOW_FILE = Path(__file__).parent / "fixtures" / "real_data_errors.yaml"

#: file under DATA -> how a row becomes (reply, customer message, kind)
SOURCES = {
    "support_replies/twcs_pairs.jsonl": lambda r: (r["reply"], r.get("customer"), "draft"),
    "support_replies/ibm_twitter_care_dev.jsonl":
        lambda r: (r["agent_reply"], r.get("previous_customer_message"), "draft"),
    "canned_replies/oss_saved_replies.jsonl":
        lambda r: (r.get("text") or r.get("reply") or "", None, "macro"),
    "canned_replies/freecodecamp_reply_templates.jsonl":
        lambda r: (r.get("text") or r.get("reply") or "", None, "macro"),
}

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"no real data at {DATA}")


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def _error_linter() -> Linter:
    """One linter for every reply: the built-in rules on by default at error level."""
    registry = build_registry(entry_points_group=None)
    codes = tuple(c.code for c in registry.sorted_checks()
                  if c.severity is Severity.ERROR and c.default_enabled)
    assert codes, "no error-level rules are on by default"
    return Linter(Config(root=ROOT, select=codes), registry)


def _allowed() -> set[tuple[str, int, str, str]]:
    entries = (yaml.safe_load(ALLOW_FILE.read_text(encoding="utf-8")) or {}).get("allowed") or []
    out = set()
    for e in entries:
        assert str(e.get("reason") or "").strip(), f"allow-list entry without a reason: {e}"
        out.add((e["source"], int(e["row"]), e["code"], e["match"]))
    return out


def test_no_error_finding_on_real_replies():
    linter = _error_linter()
    allowed = _allowed()
    seen: set[tuple[str, int, str, str]] = set()
    unexpected = []
    linted = 0
    for name, shape in SOURCES.items():
        path = DATA / name
        if not path.is_file():
            continue
        for row, record in enumerate(_rows(path)):
            reply, customer, kind = shape(record)
            if not reply:
                continue
            [doc] = linter.read(f"{name}:{row}", reply.encode("utf-8"), "text")[:1]
            report = linter.lint_document(replace(doc, kind=kind, context=customer))
            linted += 1
            for f in report.findings:
                if f.severity is not Severity.ERROR:
                    continue
                key = (name, row, f.code, f.match)
                if key in allowed:
                    seen.add(key)
                    continue
                unexpected.append(f"{name} row {row} ({kind}): {f.code} {f.rule} {f.match!r}: "
                                  f"{f.message}\n    reply: {reply[:300]!r}")
    assert linted > 0, f"no replies found under {DATA}"
    assert not unexpected, (f"{len(unexpected)} error-level finding(s) on real replies:\n"
                            + "\n".join(unexpected))
    stale = allowed - seen
    assert not stale, f"allow-list entries that no longer fire (remove them): {sorted(stale)}"
