"""Done-when of the engine: a draft .eml, an HTML macro, a Zendesk export and stdin, linted from
the command line, give the same correct locations in all four formats."""

import json
import re
import shutil
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PLUGINS = Path(__file__).resolve().parents[1] / "plugins"
STDIN_TEXT = "Hi Dana,\n\nYour code is XXX.\n\n> From the customer: [NAME]\n"

# (source, line, column, end_column, code, match) — checked by hand against the files
EXPECTED = {
    ("drafts/outlook-reply.eml", 9, 7, 38, "PLH001", "{{ticket.requester.first_name}}"),
    ("macros/password-reset.html", 7, 52, 58, "HOU100", "Github"),
    ("macros/zendesk-macros.json", 8, 181, 213, "HOU001", "https://billing.internal/refunds"),
    ("macros/zendesk-macros.json", 15, 118, 125, "HOU101", "the pod"),
    ("<stdin>", 3, 14, 17, "PLH001", "XXX"),
}


@pytest.fixture
def workdir(tmp_path):
    shutil.copytree(EXAMPLES, tmp_path, dirs_exist_ok=True)
    (tmp_path / "replylint.toml").write_text(
        f"plugins-dir = [{json.dumps(str(PLUGINS))}]\nselect = ['PLH001', 'HOU']\n")
    return tmp_path


ARGS = ["drafts/outlook-reply.eml", "macros/password-reset.html", "macros/zendesk-macros.json", "-"]


def positions(fmt, out):
    if fmt == "json":
        return {(d["source"], f["line"], f["column"], f["end_column"], f["code"], f["match"])
                for d in json.loads(out)["documents"] for f in d["findings"]}
    if fmt == "sarif":
        found = set()
        for r in json.loads(out)["runs"][0]["results"]:
            loc = r["locations"][0]["physicalLocation"]
            reg = loc["region"]
            found.add((loc["artifactLocation"]["uri"], reg["startLine"], reg["startColumn"],
                       reg["endColumn"], r["ruleId"]))
        return found
    if fmt == "github":
        return {(m[1], int(m[2]), int(m[3]), int(m[4]), m[5]) for m in re.finditer(
            r"::\w+ file=([^,]+),line=(\d+),col=(\d+),endLine=\d+,endColumn=(\d+),title=(\w+)", out)}
    return {(m[1], int(m[2]), int(m[3]), m[4])
            for m in re.finditer(r"^(\S+):(\d+):(\d+): (\w+) ", out, re.M)}


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "text"])
def test_four_inputs_four_formats(fmt, workdir, run_cli):
    p = run_cli("check", "--format", fmt, *ARGS, input=STDIN_TEXT, cwd=workdir)
    assert p.returncode == 1, p.stderr
    if fmt == "json":
        want = EXPECTED
    elif fmt == "sarif":
        want = {(s.strip("<>"), line, col, end, code) for s, line, col, end, code, _ in EXPECTED}
    elif fmt == "github":
        want = {(s, line, col, end, code) for s, line, col, end, code, _ in EXPECTED}
    else:
        want = {(s, line, col, code) for s, line, col, _, code, _ in EXPECTED}
    assert positions(fmt, p.stdout) == want


def test_expected_positions_are_where_the_text_is(workdir):
    for source, line, col, end, _, match in EXPECTED:
        if source == "<stdin>":
            text = STDIN_TEXT
        else:
            text = (workdir / source).read_text(encoding="utf-8")
        assert text.splitlines()[line - 1][col - 1 : end - 1] == match, source
