"""Output formats: text, json (the contract), sarif (validated against the official schema),
github annotations."""

import json
from pathlib import Path

import jsonschema
import pytest

from replylint import lint_paths
from replylint.formats.github import write_github
from replylint.formats.sarif import sarif_log
from replylint.formats.text import write_text

SCHEMA = Path(__file__).parent / "data" / "sarif-2.1.0-rtm.5.json"
FINDING_KEYS = {"rule", "code", "severity", "message", "line", "column", "end_line",
                "end_column", "start", "end", "match", "replacements", "url"}


@pytest.fixture
def result(tmp_path, write):
    write("replylint.toml", "select = ['PLH001']\n")
    write("drafts/a.txt", "Hello,\n\nYour code is XXX and\tthe date is [DATE].\n")
    write("drafts/b.md", "---\ntitle: Welcome\nkind: draft\n---\nHi {{first_name}}!\n")
    write("drafts/clean.txt", "Hi Dana, your refund was issued today.\n")
    write("drafts/bad.txt", b"\xff\xfe\x00garbage", binary=True)
    import os

    os.chdir(tmp_path)
    return lint_paths(["drafts", "missing.txt"])


def test_json_contract(result, run_cli, tmp_path):
    out = result.to_json()
    assert out["version"] == 1
    assert {d["source"] for d in out["documents"]} == {
        "drafts/a.txt", "drafts/b.md", "drafts/clean.txt"}
    doc = next(d for d in out["documents"] if d["source"] == "drafts/a.txt")
    assert set(doc) == {"source", "kind", "channel", "metrics", "findings"}
    assert doc["channel"] in ("email", "chat", "social", "macro")
    assert doc["kind"] == "draft"
    f = doc["findings"][0]
    assert set(f) == FINDING_KEYS
    assert (f["line"], f["column"], f["end_line"], f["end_column"]) == (3, 14, 3, 17)
    assert (f["start"], f["end"], f["match"]) == (21, 24, "XXX")
    macro = next(d for d in out["documents"] if d["source"] == "drafts/b.md")
    assert macro["macro"] == {"title": "Welcome", "id": None}
    assert macro["findings"][0]["line"] == 5 and macro["findings"][0]["column"] == 4
    assert out["summary"]["findings"] == 3 and out["summary"]["exit_code"] == 2
    assert {e["source"] for e in out["errors"]} == {"drafts/bad.txt", "missing.txt"}
    # and the CLI prints the same document
    p = run_cli("check", "--format", "json", "drafts", "missing.txt")
    assert json.loads(p.stdout) == out


def test_sarif_is_valid_against_the_official_schema(result):
    log = sarif_log(result)
    jsonschema.validate(log, json.loads(SCHEMA.read_text()), cls=jsonschema.Draft4Validator)
    run = log["runs"][0]
    r = run["results"][0]
    region = r["locations"][0]["physicalLocation"]["region"]
    assert r["ruleId"] == "PLH001" and r["level"] == "error"
    assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == "PLH001"
    assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "drafts/a.txt"
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (3, 14, 17)
    assert run["invocations"][0]["executionSuccessful"] is False
    assert len(run["invocations"][0]["toolExecutionNotifications"]) == 2


def test_sarif_schema_rejects_a_broken_log(result):
    log = sarif_log(result)
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, json.loads(SCHEMA.read_text()), cls=jsonschema.Draft4Validator)


def test_text_format_points_at_the_span(result):
    import io

    out = io.StringIO()
    write_text(result, out, False)
    lines = out.getvalue().splitlines()
    i = lines.index("drafts/a.txt:3:14: PLH001 [placeholders.unfilled] "
                    "Unfilled fill-in 'XXX': fill it in before sending")
    assert lines[i + 1] == "    3 | Your code is XXX and the date is [DATE]."
    assert lines[i + 2] == "      |              ^^^"
    assert "drafts/b.md:5:4: PLH001" in out.getvalue()
    assert "(macro 'Welcome')" in out.getvalue()
    assert "drafts/bad.txt: error: binary file" in out.getvalue()
    assert lines[-1] == "Found 3 finding(s) (3 error) in 3 document(s)."


def test_text_format_colours_only_when_asked(result):
    import io

    plain, coloured = io.StringIO(), io.StringIO()
    write_text(result, plain, False)
    write_text(result, coloured, True)
    assert "\x1b[" not in plain.getvalue() and "\x1b[" in coloured.getvalue()


def test_github_annotations(result):
    import io

    out = io.StringIO()
    write_github(result, out, False)
    lines = out.getvalue().splitlines()
    assert ("::error file=drafts/a.txt,line=3,col=14,endLine=3,endColumn=17,"
            "title=PLH001 [placeholders.unfilled]::Unfilled fill-in 'XXX': fill it in before sending"
            ) in lines
    assert any(line.startswith("::error file=drafts/b.md,line=5") and "title=PLH001 [placeholders.unfilled] in Welcome" in line for line in lines)
    assert "::error file=missing.txt::no such file or directory" in lines


def test_github_escapes_newlines_and_commas():
    from replylint.formats.github import _escape

    assert _escape("a,b:c\nd%", prop=True) == "a%2Cb%3Ac%0Ad%25"
    assert _escape("a,b\r\n") == "a,b%0D%0A"
