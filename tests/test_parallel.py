"""Worker processes: the same findings as one process, no file lost when a worker dies, and
a progress bar only where a person watches."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from replylint.engine import Session
from replylint.results import loads, pack

ROOT = Path(__file__).resolve().parent.parent

KILLER = '''
import os
from replylint import check, hookimpl

@check("kill.worker", "KIL001")
def kill(doc, options):
    """Kills the worker process linting a file that asks for it."""
    if "kill-me" in doc.text and os.getpid() != int(os.environ["PARENT_PID"]):
        os._exit(9)
    return iter(())

@hookimpl
def register_checks(register, config):
    register(kill)
'''


@pytest.fixture
def tree(tmp_path) -> Path:
    """Drafts, macros, an export holding several macros, a file no reader knows, a bad file."""
    root = tmp_path / "tree"
    shutil.copytree(ROOT / "examples", root / "examples",
                    ignore=shutil.ignore_patterns("zendesk-app"))
    shutil.copytree(ROOT / "tests" / "fixtures" / "mail", root / "mail")
    for i in range(40):
        (root / f"d{i:02}.txt").write_text(
            f"hello,\nwe are sorry but its your fault the order {i} failed. we'll look at it soon"
            "\n" if i % 2 else f"Hi Dana,\n\nI've refunded order {i} today; it reaches your card"
            " in 3 to 5 days.\n\nBest,\nSam\n")
    (root / "bad.html").write_bytes(b"\xff\xfe\x00<p>\x00\x00 broken")
    (root / "replylint.toml").write_text("")
    return root


def _findings(result) -> list:
    return [(r.source, pack(r)["findings"], r.metrics) for r in result.reports]


def test_workers_find_what_one_process_finds(tree):
    one = Session(jobs=1).run([tree])
    two = Session(jobs=2).run([tree])
    assert len(one.reports) >= 45 and one.errors
    assert _findings(two) == _findings(one)
    assert [(e.source, e.reason) for e in two.errors] == [(e.source, e.reason) for e in one.errors]
    assert two.exit_code == one.exit_code


def test_a_worker_that_dies_loses_no_file(tree, monkeypatch):
    (tree / "plugins").mkdir()
    (tree / "plugins" / "killer.py").write_text(KILLER)
    (tree / "replylint.toml").write_text('plugins-dir = ["plugins"]\n')
    (tree / "d05.txt").write_text("Hi, kill-me please.\n")
    monkeypatch.setenv("PARENT_PID", str(os.getpid()))
    one = Session(jobs=1).run([tree])
    two = Session(jobs=2).run([tree])
    assert _findings(two) == _findings(one)


@pytest.mark.parametrize("kill", [False, True])
def test_batches_read_while_workers_lint_keep_order_and_lose_nothing(tree, tmp_path,
                                                                      monkeypatch, kill):
    """A batch is read while the workers lint the one before: with small batches (two in
    flight at once), workers that die in both, and the result cache cold then warm, the
    reports are the one-process run's, in its order."""
    from replylint import engine
    from replylint.cache import ResultCache

    if kill:
        (tree / "plugins").mkdir()
        (tree / "plugins" / "killer.py").write_text(KILLER)
        (tree / "replylint.toml").write_text('plugins-dir = ["plugins"]\n')
        for name in ("d20.txt", "d35.txt"):  # in the first batch and in the second
            (tree / name).write_text("Hi, kill-me please.\n")
        monkeypatch.setenv("PARENT_PID", str(os.getpid()))
    one = Session(jobs=1).run([tree])
    monkeypatch.setattr(engine, "BATCH_FILES", 24)  # each batch starts or uses the workers
    for _ in range(2):  # cold, then from the cache
        many = Session(jobs=2, cache=ResultCache(tmp_path / "results.sqlite3")).run([tree])
        assert _findings(many) == _findings(one)
        assert [(e.source, e.reason) for e in many.errors] == [
            (e.source, e.reason) for e in one.errors]


def test_a_batch_handed_to_workers_that_died_is_linted_here(tree, monkeypatch):
    """The next batch can be handed over after a worker died in the one before (the pool is
    broken then, and refuses it): both batches are linted in the main process instead."""
    import time

    from replylint.config import find_config
    from replylint.engine import Linter
    from replylint.parallel import WARM_FILES, Workers, lint_one

    (tree / "plugins").mkdir()
    (tree / "plugins" / "killer.py").write_text(KILLER)
    (tree / "replylint.toml").write_text('plugins-dir = ["plugins"]\n')
    monkeypatch.setenv("PARENT_PID", str(os.getpid()))
    linter = Linter(find_config(tree))
    first = [(0, f"a{i}.txt", b"Hi Dana, thanks.\n") for i in range(30)]
    first[WARM_FILES + 1] = (0, "kill.txt", b"Hi, kill-me please.\n")  # after the warm-up
    second = [(0, f"b{i}.txt", b"Hi Dana, your refund is on its way.\n") for i in range(30)]
    workers = Workers([linter], {}, 2)
    try:
        before = workers.submit(first)
        while not workers._pool._broken:  # the worker dies on kill.txt
            time.sleep(0.01)
        after = workers.submit(second)  # refused by the broken pool
        want = [lint_one(linter, s, d, {}) for _, s, d in first + second]
        got = list(before) + list(after)
        assert [_packed(o) for o in got] == [_packed(o) for o in want]
    finally:
        workers.close()


def _packed(outcome):
    if outcome[0] != "reports":
        return outcome
    reports = loads(outcome[1]) if isinstance(outcome[1], bytes) else outcome[1]
    return [pack(r)["findings"] for r in reports]


def _run_on_pty(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run with standard error on a terminal; what it wrote there, and to the pipe."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "replylint", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    out = proc.stdout.read()  # type: ignore[union-attr]
    proc.wait(timeout=120)
    os.close(leader)
    return proc.returncode, out.decode(), seen.decode(errors="replace")


def test_progress_bar_on_a_terminal_only(tree):
    code, out, terminal = _run_on_pty(["check", "--no-cache", "."], tree)
    assert "Linting" in terminal and "50/50" in terminal
    assert "Linting" not in out  # the report itself stays clean
    piped = subprocess.run([sys.executable, "-m", "replylint", "check", "--no-cache", "."],
                           cwd=tree, capture_output=True, text=True, timeout=120)
    assert "Linting" not in piped.stderr and piped.stdout == out
    small = tree / "examples"
    _, _, terminal = _run_on_pty(["check", "--no-cache", "."], small)
    assert "Linting" not in terminal  # a few files: no bar


def test_batches_start_small_so_workers_start_early():
    """The first batch is small, so the workers start while the next, larger one is read;
    batches then grow to ``BATCH_FILES``."""
    from replylint import engine

    targets = [engine._Target(f"t{i}", None, None, False) for i in range(10_000)]
    assert [len(b) for b in engine._batches(targets)] == [250, 1000, 2000, 2000, 2000, 2000, 750]
