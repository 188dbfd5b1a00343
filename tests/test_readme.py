"""The README's two commands stay true: CI runs the test one, the main one works."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
COMMANDS = re.findall(r"```sh\n(python3 -m venv[^\n]*)\n```", README)


def test_ci_runs_the_readme_test_command():
    assert len(COMMANDS) == 2
    assert COMMANDS[1] in (ROOT / ".ci" / "run").read_text()


def test_main_command_lints_the_bundled_examples():
    """The main command's replylint step, on the examples, with the installed package."""
    assert COMMANDS[0].endswith("replylint check examples/")
    p = subprocess.run([sys.executable, "-m", "replylint", "check", "examples/"],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert p.returncode == 1, p.stderr
    assert "examples/drafts/refund-delay.txt:1:4: PLH001" in p.stdout
    assert "error:" not in p.stdout
