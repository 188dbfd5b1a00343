"""The command line: inputs, exit codes and the rule documentation commands."""

import json

import pytest


def test_stdin_and_exit_codes(run_cli, write):
    write("replylint.toml", "select = ['PLH']\n")
    p = run_cli("check", "-", input="Hi {{first_name}},\nthanks!\n")
    assert p.returncode == 1
    assert p.stdout.startswith("<stdin>:1:4: PLH001 [placeholders.unfilled]")
    assert run_cli("check", "-", input="Hi Dana, thanks!\n").returncode == 0


def test_stdin_filename_picks_the_reader(run_cli, write):
    write("replylint.toml", "")
    md = "---\ntitle: T\nkind: draft\n---\nHi [NAME]\n"
    p = run_cli("check", "-f", "json", "--stdin-filename", "macro.md", "-", input=md)
    doc = json.loads(p.stdout)["documents"][0]
    assert doc["source"] == "macro.md" and doc["findings"][0]["line"] == 5


def test_unreadable_input_exit_2_and_others_still_linted(run_cli, write):
    write("replylint.toml", "")
    write("good.txt", "Hi [NAME]")
    write("bin.txt", b"\x00\x01\x02", binary=True)
    write("latin.txt", "caf\xe9".encode("latin-1"), binary=True)
    p = run_cli("check", "good.txt", "bin.txt", "latin.txt", "nope.txt")
    assert p.returncode == 2
    assert "good.txt:1:4: PLH001" in p.stdout
    assert "bin.txt: error: binary file (NUL bytes), not text" in p.stdout
    assert "latin.txt: error: invalid UTF-8 at byte 3" in p.stdout
    assert "nope.txt: error: no such file or directory" in p.stdout


def test_errors_go_to_stderr_in_machine_formats(run_cli, write):
    write("replylint.toml", "")
    p = run_cli("check", "-f", "json", "nope.txt")
    assert p.returncode == 2
    assert json.loads(p.stdout)["errors"] == [{"source": "nope.txt", "message": "no such file or directory"}]
    assert "replylint: nope.txt: no such file or directory" in p.stderr


def test_kind_flag_turns_drafts_into_macros(run_cli, write):
    write("replylint.toml", "")
    write("m.txt", "Hi {{first_name}}")
    assert run_cli("check", "--kind", "macro", "m.txt").returncode == 0


def test_directories_are_recursive_and_respect_exclude(run_cli, write):
    write("replylint.toml", "exclude = ['archive']\n")
    write("a/b/one.txt", "Hi [NAME]")
    write("a/two.md", "Hi [NAME]")
    write("a/skip.py", "Hi [NAME]")              # no reader claims .py: not linted
    write("archive/old.txt", "Hi [NAME]")
    p = run_cli("check", "-f", "json", "--exclude", "*.md", ".")
    assert [d["source"] for d in json.loads(p.stdout)["documents"]] == ["a/b/one.txt"]


def test_symlink_loop_does_not_hang(run_cli, write, tmp_path):
    write("replylint.toml", "")
    write("d/one.txt", "ok")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")
    p = run_cli("check", "-f", "json", "d")
    assert [d["source"] for d in json.loads(p.stdout)["documents"]] == ["d/one.txt"]


def test_unknown_format_is_a_usage_error(run_cli, write):
    write("d.txt", "ok")
    p = run_cli("check", "-f", "xml", "d.txt")
    assert p.returncode == 2 and "unknown format 'xml'" in p.stderr


def test_bad_option_is_a_usage_error(run_cli):
    assert run_cli("check", "--fail-on", "fatal").returncode == 2


def test_rules_and_rule(run_cli):
    p = run_cli("rules")
    assert p.returncode == 0
    assert "PLH001   placeholders.unfilled" in p.stdout
    rows = json.loads(run_cli("rules", "--format", "json").stdout)
    assert {"code": "PLH001", "id": "placeholders.unfilled", "severity": "error",
            "summary": "A draft about to be sent still contains a placeholder.",
            "plugin": "replylint.checks.placeholders"} in rows
    for key in ("PLH001", "plh001", "placeholders.unfilled"):
        page = run_cli("rule", key)
        assert page.returncode == 0
        assert page.stdout.startswith("# placeholders.unfilled (PLH001)")
        assert "## Why is this bad?" in page.stdout
    missing = run_cli("rule", "XYZ999")
    assert missing.returncode == 2 and "no rule 'XYZ999'" in missing.stderr


def test_version(run_cli):
    p = run_cli("--version")
    assert p.returncode == 0 and "0.1.0" in p.stdout


@pytest.mark.parametrize("exe", ["replylint"])
def test_console_script_installed(exe):
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    path = shutil.which(exe) or str(Path(sys.executable).parent / exe)
    p = subprocess.run([path, "rules"], capture_output=True, text=True)
    assert p.returncode == 0 and "PLH001" in p.stdout


def test_unrecognised_json_is_skipped_in_folders_but_an_error_when_named(run_cli, write):
    write("replylint.toml", "select = ['PLH']\n")
    write("macros/package.json", '{"name": "x", "version": "1.0.0"}')
    write("macros/a.txt", "Hi Dana")
    assert run_cli("check", "macros").returncode == 0
    p = run_cli("check", "macros/package.json")
    assert p.returncode == 2 and "no reader recognises this file" in p.stdout


def test_an_engine_fault_on_one_file_is_exit_3_and_the_others_are_linted(tmp_path, monkeypatch):
    from replylint.engine import Linter, Session

    real = Linter.lint_documents

    def flaky(self, docs):  # files are linted together: the fault must stay with its own
        if any(doc.source.endswith("boom.txt") for doc in docs):
            raise MemoryError("simulated")
        return real(self, docs)

    monkeypatch.setattr(Linter, "lint_documents", flaky)
    (tmp_path / "replylint.toml").write_text("select = ['PLH']\n")
    (tmp_path / "boom.txt").write_text("Hi")
    (tmp_path / "ok.txt").write_text("Hi [NAME]")
    result = Session().run([tmp_path / "boom.txt", tmp_path / "ok.txt"])
    assert [f.code for f in result.findings] == ["PLH001"]
    assert result.exit_code == 3
    assert "internal error while linting" in result.plugin_errors[0] and "boom.txt" in result.plugin_errors[0]
