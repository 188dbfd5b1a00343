"""The result cache: an unchanged re-run lints nothing, any change is seen, runs can overlap.

A drop-in plugin logs every document it is run on, so "was this file linted again?" is read
from the log rather than from timings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

COUNTER = '''
import os
from replylint import Hit, check, hookimpl

@check("count.calls", "CNT001")
def calls(doc, options):
    """Logs each document it is run on."""
    with open(os.environ["COUNT_FILE"], "a") as f:
        f.write(doc.source + "\\n")
    if "{{boom}}" in doc.text:
        raise RuntimeError("boom")
    yield Hit(0, 1, "counted")

@hookimpl
def register_checks(register, config):
    register(calls)
'''


@pytest.fixture(scope="session")
def lexicon() -> Path:
    """The word table every run needs, built once (a fresh cache folder would rebuild it)."""
    from replylint import lexicon

    lexicon.zipf(["word"])
    return next(lexicon.cache_dir().glob(f"lexicon-{lexicon._versions()}.sqlite3"))


@pytest.fixture
def library(tmp_path, monkeypatch, lexicon):
    root = tmp_path / "lib"
    (root / "plugins").mkdir(parents=True)
    (root / "plugins" / "counter.py").write_text(COUNTER)
    (root / "replylint.toml").write_text('plugins-dir = ["plugins"]\n')
    for i in range(30):
        (root / f"m{i:02}.txt").write_text(
            f"Hi Dana,\n\nThanks for writing about order {i}. Please reply with a photo.\n\n"
            "Best,\nSam\n")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / lexicon.name).symlink_to(lexicon)
    monkeypatch.setenv("REPLYLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COUNT_FILE", str(tmp_path / "count.log"))
    monkeypatch.delenv("REPLYLINT_NO_CACHE", raising=False)
    return root


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "replylint", "check", *args, "."], cwd=root,
                          capture_output=True, text=True, timeout=120)


def linted(root: Path) -> list[str]:
    log = Path(os.environ["COUNT_FILE"])
    lines = log.read_text().splitlines() if log.exists() else []
    log.unlink(missing_ok=True)
    return sorted(lines)


def test_unchanged_rerun_lints_nothing_and_prints_the_same(library):
    first = run(library)
    assert len(linted(library)) == 30
    second = run(library)
    assert linted(library) == []
    assert (second.returncode, second.stdout) == (first.returncode, first.stdout)
    assert "CNT001" in second.stdout and "| Hi Dana," in second.stdout  # source lines kept
    as_json = run(library, "--format", "json")
    assert linted(library) == []
    fresh = run(library, "--format", "json", "--no-cache")
    assert len(linted(library)) == 30
    assert json.loads(as_json.stdout) == json.loads(fresh.stdout)


def test_a_changed_file_is_linted_again_and_only_it(library):
    run(library)
    linted(library)
    (library / "m07.txt").write_text("Hi Dana,\n\nIt is fixed now.\n")
    run(library)
    assert linted(library) == ["m07.txt"]


@pytest.mark.parametrize("change", ["config", "plugin", "option", "version"])
def test_any_change_of_settings_lints_everything_again(library, change, monkeypatch):
    run(library)
    linted(library)
    args: tuple[str, ...] = ()
    if change == "config":
        (library / "replylint.toml").write_text(
            'plugins-dir = ["plugins"]\n[rules."readability.long-sentence"]\nmax_words = 12\n')
    elif change == "plugin":
        with (library / "plugins" / "counter.py").open("a") as f:
            f.write("\n# edited\n")
    elif change == "option":
        args = ("--fail-on", "error")
    else:
        init = Path(__file__).resolve().parent.parent / "replylint" / "cache.py"
        monkeypatch.setenv("PYTHONPATH", str(init.parent.parent))
        # a new replylint is new code: the fingerprint covers every file of the package
        from replylint import cache

        assert cache.code_fingerprint() == cache.code_fingerprint()
        stat = init.stat()
        os.utime(init, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    run(library, *args)
    assert len(linted(library)) == 30


def test_concurrent_runs_share_the_cache_safely(library):
    procs = [subprocess.Popen([sys.executable, "-m", "replylint", "check", "."], cwd=library,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert {p.returncode for p in procs} == {1}
    assert len({out for out, _ in outs}) == 1
    assert all("cache" not in err for _, err in outs), [err for _, err in outs]
    linted(library)
    again = run(library)
    assert linted(library) == [] and again.stdout == outs[0][0]


def test_a_damaged_cache_is_switched_off_with_a_note(library, tmp_path):
    (tmp_path / "cache" / "results.sqlite3").write_bytes(b"not a database" * 100)
    result = run(library)
    assert result.returncode == 1 and "CNT001" in result.stdout
    assert "note: result cache" in result.stderr
    assert len(linted(library)) == 30


def test_a_report_with_an_internal_error_is_not_kept(library):
    (library / "m00.txt").write_text("Hi {{boom}}\n")
    first = run(library)
    assert "RPL001" in first.stdout
    linted(library)
    run(library)
    assert linted(library) == ["m00.txt"]


def test_no_cache_flag_and_variable(library, monkeypatch):
    run(library, "--no-cache")
    run(library, "--no-cache")
    assert len(linted(library)) == 60
    monkeypatch.setenv("REPLYLINT_NO_CACHE", "1")
    run(library)
    run(library)
    assert len(linted(library)) == 60


def test_a_run_of_a_few_small_files_skips_the_cache(library, tmp_path):
    for _ in range(2):
        subprocess.run([sys.executable, "-m", "replylint", "check", "m01.txt", "m02.txt"],
                       cwd=library, capture_output=True, timeout=120)
    assert linted(library) == ["m01.txt", "m01.txt", "m02.txt", "m02.txt"]
    assert not (tmp_path / "cache" / "results.sqlite3").exists()


def _open_new_cache(path: str, barrier) -> None:
    from replylint.cache import ResultCache

    barrier.wait()  # every process opens the new file at the same moment
    cache = ResultCache(Path(path))
    cache.get_many(["a", "b"])
    cache.put(f"key-{os.getpid()}", b"")
    cache.close()
    if cache.problem:
        raise SystemExit(cache.problem)


def test_runs_opening_a_new_cache_at_once_all_use_it(tmp_path):
    """Switching a new file to WAL fails at once while another process holds a lock: four
    runs starting together used to switch the cache off ("database is locked")."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    for i in range(10):
        path = str(tmp_path / f"results-{i}.sqlite3")
        barrier = ctx.Barrier(4)
        procs = [ctx.Process(target=_open_new_cache, args=(path, barrier)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [p.exitcode for p in procs] == [0, 0, 0, 0], f"round {i}"


# -- file status: an unchanged file is not even read -------------------------------------


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The names of the files each in-process run reads (cleared by ``lint_here``)."""
    from replylint import engine

    seen: list[str] = []
    real = engine.read_input

    def counting(path, limit):
        seen.append(os.path.basename(path))
        return real(path, limit)

    monkeypatch.setattr(engine, "read_input", counting)
    return seen


def lint_here(root: Path, reads: list[str], monkeypatch) -> dict:
    """A run of ``replylint check .`` in this process, as JSON; ``reads`` starts empty."""
    from replylint.cache import ResultCache
    from replylint.engine import Session

    monkeypatch.chdir(root)
    reads.clear()
    result = Session(jobs=1, cache=ResultCache()).run(["."])
    return result.to_json()


@pytest.fixture
def settled_at_once(monkeypatch):
    """Files count as settled as soon as they are written (the real margin is 2 s)."""
    from replylint import cache

    monkeypatch.setattr(cache, "SETTLE_NS", 0)


def test_an_unchanged_file_is_not_read_again(library, reads, monkeypatch, settled_at_once):
    first = lint_here(library, reads, monkeypatch)
    assert len(reads) == 30 and len(linted(library)) == 30
    second = lint_here(library, reads, monkeypatch)
    assert reads == [] and linted(library) == []
    assert second == first


def test_a_file_written_just_before_a_run_is_read_again(library, reads, monkeypatch):
    """Within the margin a later write could keep the file's status: the next run reads it
    (and finds its bytes unchanged, so it is still not linted again)."""
    lint_here(library, reads, monkeypatch)
    linted(library)
    lint_here(library, reads, monkeypatch)
    assert len(reads) == 30 and linted(library) == []


@pytest.mark.parametrize("how", ["in place", "renamed over"])
def test_a_change_that_keeps_size_and_time_is_seen(library, reads, monkeypatch, settled_at_once,
                                                    how):
    """The change time (and a new inode) betray an edit whose size and modification time
    were put back, as an editor or `git checkout` of a same-length text can."""
    lint_here(library, reads, monkeypatch)
    linted(library)
    path = library / "m07.txt"
    before = path.stat()
    text = path.read_text().replace("a photo", "a video")
    if how == "in place":
        path.write_text(text)
    else:
        (library / "m07.new").write_text(text)
        os.replace(library / "m07.new", path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    after = lint_here(library, reads, monkeypatch)
    assert reads == ["m07.txt"] and linted(library) == ["m07.txt"]
    lines = {f["match"] for d in after["documents"] if d["source"] == "m07.txt"
             for f in d["findings"]}
    assert lines and all("photo" not in m for m in lines)


def test_a_recorded_status_whose_reports_are_gone_reads_the_file(library, reads, monkeypatch,
                                                                  settled_at_once):
    import sqlite3

    first = lint_here(library, reads, monkeypatch)
    linted(library)
    with sqlite3.connect(Path(os.environ["REPLYLINT_CACHE_DIR"]) / "results.sqlite3") as db:
        db.execute("DELETE FROM results")
    assert lint_here(library, reads, monkeypatch) == first
    assert len(reads) == 30 and len(linted(library)) == 30


def test_a_change_of_settings_reads_every_file_again(library, reads, monkeypatch,
                                                     settled_at_once):
    lint_here(library, reads, monkeypatch)
    linted(library)
    (library / "replylint.toml").write_text(
        'plugins-dir = ["plugins"]\n[rules."readability.long-sentence"]\nmax_words = 12\n')
    lint_here(library, reads, monkeypatch)
    assert len(reads) == 30 and len(linted(library)) == 30


def test_statuses_are_not_trusted_where_ctime_is_not_a_change_time(library, reads, monkeypatch,
                                                                    settled_at_once):
    from replylint import cache

    monkeypatch.setattr(cache, "STATUS_TRUSTED", False)  # as on Windows
    lint_here(library, reads, monkeypatch)
    linted(library)
    lint_here(library, reads, monkeypatch)
    assert len(reads) == 30 and linted(library) == []


PEEK = '''
import os, sqlite3
from replylint import check, hookimpl

@check("peek.cache", "PEK001")
def peek(doc, options):
    """Logs how many results the cache holds when the last file of the library is linted."""
    if doc.source.endswith("m29.txt"):
        db = sqlite3.connect(os.path.join(os.environ["REPLYLINT_CACHE_DIR"], "results.sqlite3"))
        with open(os.environ["COUNT_FILE"], "a") as f:
            f.write(str(db.execute("SELECT count(*) FROM results").fetchone()[0]))
        db.close()
    return ()

@hookimpl
def register_checks(register, config):
    register(peek)
'''


def test_each_batch_is_written_while_the_next_is_linted(library, reads, monkeypatch):
    """A long run leaves little to write at its end, and a run started meanwhile finds the
    batches already done: when the last batch of 10 files is linted, the 20 before it are in
    the cache."""
    from replylint import engine

    (library / "plugins" / "counter.py").write_text(PEEK)
    monkeypatch.setattr(engine, "FIRST_BATCH", 10)
    monkeypatch.setattr(engine, "BATCH_FILES", 10)
    lint_here(library, reads, monkeypatch)
    assert Path(os.environ["COUNT_FILE"]).read_text() == "20"


def test_cache_files_are_written_whole_or_not_at_all(tmp_path, monkeypatch):
    """``write_atomic`` (the regex, hyphenation and LanguageTool caches): a file appears with
    all its bytes, and a write that fails leaves neither a partial file nor a temporary one."""
    from replylint.cachedir import write_atomic

    target = tmp_path / "sub" / "cache.marshal"
    assert write_atomic(target, b"old") and target.read_bytes() == b"old"
    assert write_atomic(target, b"new") and target.read_bytes() == b"new"

    def refuse(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    assert not write_atomic(target, b"newer")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["cache.marshal"]
    blocked = tmp_path / "file"
    blocked.write_text("x")
    assert not write_atomic(blocked / "cache.marshal", b"x")  # its folder is a file
