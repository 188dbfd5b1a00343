"""Compiled patterns saved by one run and loaded by the next behave as freshly compiled ones."""

from __future__ import annotations

import marshal
import re
import subprocess
import sys

import pytest

from replylint import regexcache

pytestmark = pytest.mark.skipif(not regexcache.SUPPORTED, reason="CPython 3.11-3.13 only")

#: every rule runs (strict: those off by default too), so their patterns are compiled and saved
STRICT = "config={'select': ['strict']}"
PROBE = ("import re, replylint; from replylint import regexcache; "
         "print(len(regexcache._loaded)); import replylint.engine, replylint.plugins; "
         "replylint.plugins.build_registry(); "
         "replylint.lint('Hi Dana, due to the fact that it broke I will call you by Friday.', "
         f"{STRICT}); "
         "print(sum(1 for k in list(re._cache) if (k[1], k[2]) not in regexcache._loaded))")


def _python(code: str, env: dict[str, str]) -> list[int]:
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, timeout=120).stdout
    return [int(n) for n in out.split()]


def test_a_second_process_compiles_nothing(tmp_path, monkeypatch):
    import os

    env = {**os.environ, "REPLYLINT_CACHE_DIR": str(tmp_path)}
    save = PROBE + "; regexcache.save()"
    loaded, compiled = _python(save, env)
    assert (loaded, compiled > 100) == (0, True)
    loaded, compiled = _python(PROBE, env)
    # the standard library's own patterns may differ run to run (what imports what)
    assert loaded > 100 and compiled < loaded // 10


def test_loaded_patterns_match_like_compiled_ones(tmp_path, monkeypatch):
    import os

    env = {**os.environ, "REPLYLINT_CACHE_DIR": str(tmp_path)}
    _python(PROBE + "; regexcache.save()", env)
    entries, derived = marshal.loads(next(tmp_path.glob("regex*.marshal")).read_bytes())
    from replylint.phrasescan import MIN_NEEDLE

    kinds = {kind for kind, _, _ in derived}
    assert {"prefixes", f"needles{MIN_NEEDLE}", "start"} <= kinds <= {
        "prefixes", f"needles{MIN_NEEDLE}", "reach", "start"}
    text = ("Hi Dana, I'm SO sorry: we'll refund order #123 by Friday 3pm. Call +1 555 0100, "
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc, https://x.example/a?b=c. {{ticket.id}} ") * 3
    for entry in entries:
        pattern, flags = entry[:2]
        loaded = regexcache.compile_entry(entry)
        fresh = re.compile(pattern, flags)
        assert (loaded.flags, loaded.groups, loaded.groupindex) == (
            fresh.flags, fresh.groups, fresh.groupindex)
        sample = text.encode() if isinstance(pattern, bytes) else text
        assert [m.span() for m in loaded.finditer(sample)] == [
            m.span() for m in fresh.finditer(sample)], pattern


@pytest.mark.parametrize("content", [b"", b"garbage", marshal.dumps([("x", 0, 0, [1, 2, 3], 0,
                                                                       {}, ())])])
def test_a_damaged_file_is_ignored(tmp_path, monkeypatch, content):
    import os

    (tmp_path / regexcache.path().name).write_bytes(content)
    env = {**os.environ, "REPLYLINT_CACHE_DIR": str(tmp_path)}
    loaded, compiled = _python(PROBE, env)
    assert compiled > 100  # compiled as usual, and nothing broke


def test_a_damaged_entry_is_compiled_as_usual(tmp_path):
    """Entries are built only when a pattern is first used: a bad one must not surface then."""
    import os

    env = {**os.environ, "REPLYLINT_CACHE_DIR": str(tmp_path)}
    _python(PROBE + "; regexcache.save()", env)
    file = next(tmp_path.glob("regex*.marshal"))
    entries, derived = marshal.loads(file.read_bytes())
    damaged = [(*e[:3], b"\xff\xff\xff\xff" * 3, *e[4:]) for e in entries]
    file.write_bytes(marshal.dumps((damaged, derived)))
    probe = ("import re, replylint; from replylint import regexcache; "
             "print(len(regexcache._pending)); "
             "r = replylint.lint('Hi Dana, due to the fact that it broke I will call you by Friday.', "
             f"{STRICT}); "
             "print(len(r.findings)); print(len(regexcache._pending))")
    pending, findings, left = _python(probe, env)
    plain, expected, _ = _python(probe, {**env, "REPLYLINT_NO_REGEX_CACHE": "1"})
    assert (findings, plain) == (expected, 0) and expected > 0
    assert len(entries) - 20 < pending <= len(entries)  # loaded, not compiled yet
    assert left < pending - 50  # the damaged entries were tried, and compiled as usual


def test_a_derived_value_is_computed_again_when_its_code_changes(tmp_path, monkeypatch):
    """A start class or needle set read from an older run's file is used only while the file
    that computed it is unchanged: an upgrade that fixes a derivation is not undone by the
    cache."""
    monkeypatch.setattr(regexcache, "_derived", {})
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert regexcache.derived("probe", "x+", 0, compute) == 1
    assert regexcache.derived("probe", "x+", 0, compute) == 1  # remembered
    monkeypatch.setattr(regexcache, "_stamp", lambda filename: "edited")
    assert regexcache.derived("probe", "x+", 0, compute) == 2
