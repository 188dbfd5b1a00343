import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def run_cli(tmp_path):
    """Run ``python -m replylint`` as a user would; returns the CompletedProcess."""

    def run(*args, input=None, cwd=None):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        return subprocess.run(
            [sys.executable, "-m", "replylint", *map(str, args)],
            input=input, capture_output=True, text=True, cwd=cwd or tmp_path, env=env,
            timeout=60,
        )

    return run


@pytest.fixture
def write(tmp_path):
    """Write a file under tmp_path (dedented text), creating folders; returns its path."""
    import textwrap

    def write(name, text, binary=False):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if binary:
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="module")
def linter():
    from replylint.engine import Linter

    return Linter()


def require_program(*argv):
    """Skip when a real program the test drives is not installed; in CI (CI=true, where
    .ci/run installs it) its absence is a failure, never a silent skip."""
    import shutil

    ok = shutil.which(argv[0]) is not None
    if ok and len(argv) > 1:
        ok = subprocess.run(list(argv), capture_output=True).returncode == 0
    if not ok:
        message = f"{' '.join(argv)} is not installed (.ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
