"""A short coverage-guided fuzz run of every target in fuzz/ (atheris), as CI runs it.

Each target runs as a subprocess for a fixed number of executions, seeded from the test
fixtures; a crash (an exception other than InputError, a broken invariant, a hang) fails the
test with the fuzzer's report. The longer run is ``fuzz/campaign.sh`` (docs/fuzzing.md).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FUZZ = ROOT / "fuzz"
#: executions per target: a few seconds each, enough to mutate every seed a few times
RUNS = 2000
TARGETS = ["text", "markdown", "html", "eml", "export", "zendesk", "helpscout", "gorgias",
           "intercom", "zoning", "lint"]

sys.path.insert(0, str(FUZZ))
import seeds


def require_atheris() -> None:
    """Skip without atheris (it has wheels for Linux and macOS only); in CI, fail."""
    if importlib.util.find_spec("atheris") is None:
        message = "atheris is not installed (pip install -e '.[test]' installs it on Linux)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def test_every_target_has_seeds():
    for target in TARGETS:
        assert seeds.seeds(target), target


def test_seeds_of_zoning_fixtures_are_the_replies():
    text = "# a comment\ng | Hi Dana,\n  |\nb | Thanks.\n"
    assert seeds.unlabel(text) == "Hi Dana,\n\nThanks.\n"


@pytest.mark.parametrize("target", TARGETS)
def test_fuzz_target_finds_no_crash(target, tmp_path):
    require_atheris()
    corpus = tmp_path / "corpus"
    seeds.write_seeds(target, corpus)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [
            sys.executable, str(FUZZ / "fuzz_readers.py"), target, str(corpus),
            f"-atheris_runs={RUNS}", "-seed=1", "-max_len=8192", "-timeout=60",
            "-rss_limit_mb=2048", f"-artifact_prefix={tmp_path}/",
        ],
        capture_output=True, text=True, errors="replace", cwd=tmp_path, env=env, timeout=600,
        check=False,
    )
    crashes = sorted(p.name for p in tmp_path.glob("crash-*")) + sorted(
        p.name for p in tmp_path.glob("timeout-*")
    )
    report = proc.stderr[-6000:]
    assert proc.returncode == 0 and not crashes, f"{target}: {crashes}\n{report}"
    assert f"Done {RUNS} " in proc.stderr or "Done " in proc.stderr, report
