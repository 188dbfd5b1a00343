"""The ``.pre-commit-hooks.yaml`` hooks, run by the real ``pre-commit`` on real ``git commit``s.

pre-commit installs a hook's own virtualenv from the hook's repository, with pip, so the
package's dependencies come from the package index (the index this machine and CI already
use for the test extras); it takes 10-20 s with a warm pip cache. So it happens once per
module, in a PRE_COMMIT_HOME under pytest's temporary folder, from a git repository made of
this working tree's files (not HEAD, so the hooks file being tested is the one on disk).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml")
GOOD_MACRO = """\
---
title: Refund approved
---
Hi {{ticket.requester.first_name | fallback: "there"}},

Thanks for your patience. Your refund was approved today and should reach your card within
five business days.

If anything else comes up, just reply to this email.

Best,
{{current_user.first_name}}
"""
BAD_MACRO = GOOD_MACRO.replace("Thanks for your patience.",
                               "As I already explained, you should have read the FAQ.")
#: every rule, those off by default too (tone.blame is one)
STRICT_CONFIG = 'select = ["strict"]\n'


def git_env(home: Path) -> dict[str, str]:
    (home / "gitconfig").write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REPLYLINT_", "GIT_"))}
    env.update(GIT_CONFIG_GLOBAL=str(home / "gitconfig"), GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="Ops", GIT_AUTHOR_EMAIL="ops@example.com",
               GIT_COMMITTER_NAME="Ops", GIT_COMMITTER_EMAIL="ops@example.com",
               PRE_COMMIT_HOME=str(home / "pre-commit-cache"))
    return env


def run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 60):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    """This working tree as a git repository, with its hook environment already installed."""
    home = tmp_path_factory.mktemp("precommit")
    env = git_env(home)
    src = home / "replylint-src"
    src.mkdir()
    for name in PACKAGE_FILES:
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "replylint", src / "replylint",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    run(["git", "init", "-q"], src, env)
    run(["git", "add", "-A"], src, env)
    run(["git", "commit", "-qm", "replylint under test"], src, env)
    rev = run(["git", "rev-parse", "HEAD"], src, env).stdout.strip()
    config = textwrap.dedent(f"""\
        repos:
          - repo: {src}
            rev: {rev}
            hooks:
              - id: replylint-macros
                exclude: ^drafts/
              - id: replylint
                files: ^drafts/.*\\.(txt|md|eml)$
        """)
    first = new_library(home / "warm-up", config, env)
    p = run([sys.executable, "-m", "pre_commit", "install-hooks"], first, env, timeout=900)
    assert p.returncode == 0, p.stdout + p.stderr
    return config, env


def new_library(path: Path, config: str, env: dict[str, str]) -> Path:
    """A git repository of macros with the hooks installed as its pre-commit hook."""
    path.mkdir()
    run(["git", "init", "-q"], path, env)
    (path / ".pre-commit-config.yaml").write_text(config)
    p = run([sys.executable, "-m", "pre_commit", "install"], path, env)
    assert p.returncode == 0, p.stdout + p.stderr
    return path


@pytest.fixture
def library(hook_repo, tmp_path):
    config, env = hook_repo

    def commit(files: dict[str, str]) -> subprocess.CompletedProcess:
        for name, text in files.items():
            (library.path / name).parent.mkdir(parents=True, exist_ok=True)
            (library.path / name).write_text(text)
        run(["git", "add", "-A"], library.path, env)
        return run(["git", "commit", "-m", "Update macros"], library.path, env, timeout=300)

    library.path = new_library(tmp_path / "macros-repo", config, env)
    library.commit = commit
    library.commits = lambda: run(["git", "rev-list", "--all", "--count"], library.path,
                                  env).stdout.strip()
    return library


def test_a_good_macro_is_committed(library):
    p = library.commit({"macros/refund.md": GOOD_MACRO})
    out = p.stdout + p.stderr
    assert p.returncode == 0, out
    assert "replylint (macro library)" in out and "Passed" in out
    assert library.commits() == "1"


def test_a_bad_macro_blocks_the_commit_with_a_readable_report(library):
    # the library's config selects every rule: tone.blame is off by default
    p = library.commit({"macros/refund.md": BAD_MACRO, "macros/ok.md": GOOD_MACRO,
                        "replylint.toml": STRICT_CONFIG})
    out = p.stdout + p.stderr
    assert p.returncode == 1, out
    assert "replylint (macro library)" in out and "Failed" in out
    assert "macros/refund.md:6:1: TON002 [tone.blame]" in out
    assert "    6 | As I already explained" in out
    assert library.commits() == "0"


def test_placeholders_are_expected_in_macros_and_refused_in_drafts(library):
    draft = "Hi [Customer Name],\n\nYour refund is on its way.\n\nBest,\nAnn\n"
    p = library.commit({"macros/short.txt": draft, "drafts/sam.txt": draft})
    out = p.stdout + p.stderr
    assert p.returncode == 1, out
    assert "drafts/sam.txt:1:4: PLH001 [placeholders.unfilled]" in out
    assert "macros/short.txt:1:4: PLH001" not in out


def test_files_replylint_does_not_read_are_not_passed(library):
    p = library.commit({"macros/build.py": "print('[Customer Name]')\n",
                        "macros/logo.png": "not really a png\n"})
    out = p.stdout + p.stderr
    assert p.returncode == 0, out
    assert re.search(r"replylint \(macro library\)\.+\(no files to check\)Skipped", out), out


# -- the documented GitHub Actions workflow ----------------------------------------------


def documented_workflow() -> dict:
    import yaml

    text = (ROOT / "docs" / "integrations" / "github-actions.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(# \.github/workflows/replylint\.yml\n.*?)```", text, re.S)
    assert block, "the workflow block is gone from docs/integrations/github-actions.md"
    return yaml.safe_load(block.group(1))


def test_the_documented_workflow_annotates_and_uploads_sarif(tmp_path):
    import json

    workflow = documented_workflow()
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["replylint"]["steps"]
    upload = [s for s in steps
              if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload and upload[0]["with"]["sarif_file"] == "replylint.sarif"
    gate, sarif = [s["run"] for s in steps if s.get("run", "").startswith("replylint check")]
    assert "--format github" in gate and "--format sarif" in sarif

    (tmp_path / "macros").mkdir()
    (tmp_path / "macros" / "refund.md").write_text(BAD_MACRO)
    (tmp_path / "macros" / "ok.md").write_text(GOOD_MACRO)
    (tmp_path / "replylint.toml").write_text(STRICT_CONFIG)  # tone.blame is off by default
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}

    def step(script: str) -> subprocess.CompletedProcess:
        return run(["bash", "-e", "-c", script], tmp_path, env)

    annotated = step(gate)
    assert annotated.returncode == 1
    assert "::warning file=macros/refund.md,line=6,col=1," in annotated.stdout
    assert step(sarif).returncode == 0
    log = json.loads((tmp_path / "replylint.sarif").read_text())
    found = json.loads(step("replylint check --format json macros/ || true").stdout)
    assert log["version"] == "2.1.0"
    assert len(log["runs"][0]["results"]) == sum(len(d["findings"]) for d in found["documents"])
    (tmp_path / "replylint.toml").write_text("fail-on = 'sometimes'\n")
    assert step(sarif).returncode != 0  # a bad config fails the SARIF step too
