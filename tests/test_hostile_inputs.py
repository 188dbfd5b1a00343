"""Malformed and hostile inputs through ``replylint check``: each bad file gets one line naming
it and the reason (exit code 2), nothing hangs, and the good draft in the same run is still
linted. Where replylint reads a damaged input leniently, as a mail client would, the test
says so."""

import json
import os
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from replylint.cli import main

GOOD = "Hi [NAME],\n\nThanks for writing in.\n\nBest,\nSam\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REPLYLINT_NO_CACHE", "1")
    (tmp_path / "replylint.toml").write_text("")
    (tmp_path / "good.txt").write_text(GOOD)


def check(*paths, seconds=20):
    """``replylint check --format json good.txt PATHS`` in this process."""
    start = time.monotonic()
    result = CliRunner().invoke(main, ["check", "--format", "json", "good.txt", *map(str, paths)],
                                catch_exceptions=False)
    took = time.monotonic() - start
    assert took < seconds, f"took {took:.1f} s"
    out = json.loads(result.stdout)
    by_source = {d["source"]: [f["code"] for f in d["findings"]] for d in out["documents"]}
    assert "PLH001" in by_source["good.txt"], "the good draft was not linted"
    assert "Traceback" not in result.stderr
    return result.exit_code, out, by_source, result.stderr.splitlines()


def refused(name, data, reason, seconds=20):
    """Write ``data`` to ``name``, run, and check the one-line error and exit code 2."""
    path = name if data is None else write(name, data)
    code, out, by_source, err = check(path, seconds=seconds)
    assert code == 2
    assert out["errors"] == [{"source": str(path), "message": out["errors"][0]["message"]}]
    message = out["errors"][0]["message"]
    assert reason in message, message
    assert "\n" not in message
    assert [line for line in err if str(path) in line] == [f"replylint: {path}: {message}"]
    assert str(path) not in by_source
    return message


def linted(name, data, seconds=20):
    """Write ``data`` to ``name``, run, and return its finding codes (read leniently)."""
    path = write(name, data)
    code, out, by_source, err = check(path, seconds=seconds)
    assert out["errors"] == [] and code == 1
    return by_source[str(path)]


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)
    return name


# -- MIME --------------------------------------------------------------------------------------

HEAD = b"From: a@example.com\nTo: b@example.com\nSubject: Re: order\n"


def test_truncated_mime_before_any_text_part():
    data = HEAD + (b'Content-Type: multipart/alternative; boundary="XX"\n\n'
                   b"--XX\nContent-Type: text/pl")
    refused("truncated.eml", data, "no text/plain or text/html part")


def test_truncated_mime_inside_the_text_part_is_read_as_far_as_it_goes():
    data = HEAD + (b'Content-Type: multipart/alternative; boundary="XX"\n\n--XX\n'
                   b"Content-Type: text/plain\n\nHello [NAME], your refu")
    assert "PLH001" in linted("truncated-body.eml", data)


def test_multipart_boundary_never_appears():
    data = HEAD + b'Content-Type: multipart/mixed; boundary="A"\n\nno parts here\n'
    refused("noboundary.eml", data, "malformed MIME: the multipart boundary never appears")


def test_mis_nested_mime_is_read_leniently():
    # the inner multipart is closed by the outer boundary: the text part is still found
    data = HEAD + (b'Content-Type: multipart/mixed; boundary="A"\n\n--A\n'
                   b'Content-Type: multipart/alternative; boundary="B"\n\n--A\n'
                   b"Content-Type: text/plain\n\nHello [NAME]\n--B--\n--A--\n")
    assert "PLH001" in linted("misnested.eml", data)


def test_deeply_nested_mime():
    parts = b"".join(b'--b%d\nContent-Type: multipart/mixed; boundary="b%d"\n\n' % (i, i + 1)
                     for i in range(2000))
    data = HEAD + b'Content-Type: multipart/mixed; boundary="b0"\n\n' + parts + b"--b2000--\n"
    refused("deep.eml", data, "MIME parts nested too deeply")


def test_unknown_charset_falls_back_to_utf8():
    data = HEAD + b'Content-Type: text/plain; charset="x-no-such-charset"\n\nCaf\xc3\xa9 [NAME]\n'
    assert "PLH001" in linted("unknown-charset.eml", data)


def test_wrong_charset_falls_back_to_windows_1252():
    data = HEAD + b'Content-Type: text/plain; charset="utf-8"\n\nCaf\xe9 [NAME] \x93quoted\x94\n'
    assert "PLH001" in linted("wrong-charset.eml", data)


def test_charset_that_cannot_decode_ascii():
    data = HEAD + b'Content-Type: text/plain; charset="utf-16"\n\nHello [NAME]\n'
    assert "PLH001" in linted("utf16-label.eml", data)


def test_wrong_meta_charset_in_html():
    data = b'<meta charset="x-bogus"><p>Caf\xe9 [NAME]</p>'
    refused("meta.html", data, "invalid UTF-8 at byte 30, nor valid x-bogus as its <meta> says")


# -- bytes that are not text -------------------------------------------------------------------


def test_invalid_utf8_text():
    refused("bad.txt", b"Hello \xff\xfe [NAME]\n", "invalid UTF-8 at byte 6")


def test_invalid_utf8_markdown_and_html():
    refused("bad.md", b"# Hi\n\xc3\x28\n", "invalid UTF-8 at byte 5")
    os.remove("bad.md")
    refused("bad.html", b"<p>\xc3\x28</p>", "invalid UTF-8 at byte 3")


def test_nul_bytes():
    refused("nul.txt", b"Hello\x00 [NAME]\n", "binary file (NUL bytes), not text")


def test_nul_byte_late_in_the_file():
    refused("late-nul.txt", b"Hello " + b"a" * 20000 + b"\x00", "binary file (NUL bytes)")


def test_nul_bytes_in_eml():
    refused("nul.eml", HEAD + b"\nHello\x00\n", "binary file (NUL bytes), not an email message")


BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16


def test_binary_file_named_eml():
    refused("image.eml", BINARY, "binary file (NUL bytes), not an email message")


def test_binary_file_named_txt():
    refused("image.txt", BINARY, "binary file (NUL bytes), not text")


def test_binary_without_nul_bytes_named_eml_and_txt():
    data = bytes(range(128, 256)) * 64
    refused("high.eml", data, "not an email message (no headers before the body)")
    refused("high.txt", data, "invalid UTF-8 at byte 0")


def test_empty_files():
    refused("empty.eml", b"", "not an email message (no headers before the body)")
    assert linted("empty.md", b"") == []  # an empty reply: read, nothing to say


# -- size --------------------------------------------------------------------------------------


def test_50_mb_file_is_refused_by_the_default_limit():
    with open("huge.txt", "wb") as f:
        chunk = (GOOD * 100).encode()
        for _ in range(50_000_000 // len(chunk)):
            f.write(chunk)
        f.write(b"x" * (50_000_000 - f.tell()))
    assert os.path.getsize("huge.txt") == 50_000_000
    message = refused("huge.txt", None, "50.0 MB, over the 32 MB limit (max-input-size)",
                      seconds=10)
    assert message in ("file is 50.0 MB, over the 32 MB limit (max-input-size)",
                       "input is 50.0 MB, over the 32 MB limit (max-input-size)")


def test_a_lowered_limit_refuses_a_smaller_file():
    with open("replylint.toml", "w") as f:
        f.write('max-input-size = "100KB"\n')
    refused("medium.html", b"<p>Hi [NAME]</p>" * 10_000, "160.0 KB, over the 100 KB limit")


# -- HTML --------------------------------------------------------------------------------------


def test_100000_nested_divs():
    data = b"<div>" * 100_000 + b"Hi [NAME]" + b"</div>" * 100_000
    assert linted("deep.html", data, seconds=20) == ["PLH001"]


def test_100000_unclosed_tags():
    assert "PLH001" in linted("unclosed.html", b"Hi [NAME] " + b"<a " * 100_000, seconds=20)


def test_millions_of_entities_over_the_limit():
    refused("bomb.html", b"&amp;" * 7_000_000, "35.0 MB, over the 32 MB limit", seconds=10)


def test_many_entities_under_the_limit():
    data = b"<p>Hi [NAME]</p><p>" + b"&amp;&#x1F600;&lt;" * 60_000 + b"</p>"
    assert "PLH001" in linted("entities.html", data, seconds=30)


def test_huge_numeric_entities():
    data = (b"<p>Hi [NAME] &#" + b"9" * 1_000_000 + b"; &#x" + b"F" * 1_000_000
            + b"; &#99999999999;</p>")
    assert "PLH001" in linted("numeric.html", data, seconds=20)


# -- JSON exports ------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "reason"), [
    (b'{"macros": {"a": 1}}', "Zendesk export: the macros must be a list, not an object"),
    (b'{"macros": [1, 2]}', "Zendesk export: the macros: item 1 must be an object, not a number"),
    (b'{"macros": [{"title": "T", "actions": [{"field": "comment_value", "value": 7}]}]}',
     "comment_value must be text or [channel, text], not a number"),
    (b'{"_embedded": {"replies": [{"name": "x", "text": ["a"]}]}}',
     '"text" must be a string, not a list'),
    (b'{"macros": [', "invalid JSON at line 1, column 13: Expecting value"),
    (b'{"macros": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "JSON nested too deeply to read"),
    (b"[1, 2, 3]", "no reader recognises this file"),
    (b'"just a string"', "no reader recognises this file"),
    (b"\xff\xfe{}", "invalid UTF-8 at byte 0"),
])
def test_json_export_with_the_wrong_shape(data, reason):
    refused("export.json", data, reason)


# -- YAML front matter -------------------------------------------------------------------------


@pytest.mark.parametrize("tag", [
    '!!python/object/apply:os.system ["touch PWNED"]',
    '!!python/object/new:os.system ["touch PWNED"]',
    "!!python/name:os.system",
    '!!python/module:os',
])
def test_yaml_front_matter_cannot_construct_python_objects(tag):
    data = f"---\ntitle: {tag}\n---\nHi [NAME]\n".encode()
    message = refused("macro.md", data, "invalid YAML front matter (line 2): could not "
                      "determine a constructor for the tag 'tag:yaml.org,2002:python/")
    assert not os.path.exists("PWNED"), message


def test_yaml_alias_bomb_in_front_matter():
    laughs = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, name in zip("abcdefgh", "bcdefghi"):
        laughs.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    data = ("---\n" + "\n".join(laughs) + "\ntitle: lol\n---\nHi [NAME]\n").encode()
    linted("lol.md", data, seconds=20)  # aliases are shared, never expanded: read quickly


def test_front_matter_of_the_wrong_shape():
    refused("list.md", b"---\n- a\n- b\n---\nHi\n", "front matter must be a mapping")
    refused("kind.md", b"---\nkind: tweet\n---\nHi\n", "front matter kind must be draft or macro")


# -- folders -----------------------------------------------------------------------------------


def test_symlink_loops_in_a_folder_are_not_followed(tmp_path):
    (tmp_path / "macros" / "a").mkdir(parents=True)
    (tmp_path / "macros" / "a" / "draft.txt").write_text("Hello [NAME]")
    (tmp_path / "macros" / "a" / "up").symlink_to("..")  # a directory loop
    (tmp_path / "macros" / "self").symlink_to("self")  # a link to itself, no reader's suffix
    (tmp_path / "macros" / "b").symlink_to("a")  # a second way to the same folder
    code, out, by_source, err = check("macros", seconds=20)
    assert code == 1 and out["errors"] == []
    assert by_source[os.path.join("macros", "a", "draft.txt")] == ["PLH001"]
    assert len(by_source) == 2  # good.txt and the draft, once


def test_looping_link_with_a_readers_suffix_in_a_folder(tmp_path):
    (tmp_path / "macros").mkdir()
    (tmp_path / "macros" / "a.txt").write_text("Hello [NAME]")
    (tmp_path / "macros" / "loop.txt").symlink_to("loop.txt")
    code, out, by_source, err = check("macros", seconds=20)
    assert code == 2
    assert by_source[os.path.join("macros", "a.txt")] == ["PLH001"]
    [error] = out["errors"]
    assert error["source"] == os.path.join("macros", "loop.txt")


def test_looping_link_named_on_the_command_line(tmp_path):
    os.symlink("loop.txt", "loop.txt")
    refused("loop.txt", None, "")  # today "no such file or directory": one line, exit code 2


def test_named_pipe_does_not_hang(tmp_path):
    os.mkfifo("pipe.txt")
    env = {**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(__file__))}
    p = subprocess.run([sys.executable, "-m", "replylint", "check", "--format", "json",
                        "good.txt", "pipe.txt"], capture_output=True, text=True, env=env,
                       timeout=5)
    assert p.returncode in (1, 2)
    sources = [r["source"] for r in json.loads(p.stdout)["documents"]]
    assert "good.txt" in sources  # the pipe (no writer: empty) did not stop the run
