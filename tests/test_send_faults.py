"""The send path under faults (issue 9): delivered byte for byte, or held with a reason.

Fills the gaps tests/test_sendmail.py and tests/test_git_send_email.py leave in the fault
matrix (docs/integrations/fault-matrix.md): replylint killed while it lints or while the real
sendmail reads, an unwritable hold folder when the real sendmail fails, empty, huge and
non-UTF-8 messages, and the git send-email hook under a crash, a bad config, a kill, an
empty, huge or non-UTF-8 message. The last test checks that every test the matrix names
exists, so the page cannot promise what nothing proves.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_git_send_email import BAD as BAD_FILE
from test_git_send_email import GOOD as GOOD_FILE
from test_git_send_email import (  # noqa: F401 - ``env``, ``repo``, ``smtp`` are fixtures
    HOOK,
    body,
    env,
    install,
    repo,
    send_email,
    smtp,
)
from test_sendmail import (  # noqa: F401 - ``send`` is a fixture
    BAD,
    CRASHING_PLUGIN,
    GOOD,
    attachments,
    base64_lines,
    held,
    recorded,
    send,
    split,
    with_body,
)

ROOT = Path(__file__).resolve().parents[1]
MATRIX = ROOT / "docs" / "integrations" / "fault-matrix.md"

KILLER_PLUGIN = '''
import os, signal, time
from replylint import Severity, check, hookimpl

@check("house.killer", "HOU902", Severity.WARNING)
def killer(doc, options):
    """Kills replylint while it lints, as an out-of-memory killer or a closed terminal would."""
    os.kill(os.getpid(), signal.{signal})
    time.sleep(10)  # the signal arrives at once; this only waits for it
    yield

@hookimpl
def register_checks(register, config):
    register(killer)
'''

#: a real sendmail that kills replylint (its parent) after reading 1,000 bytes, then reads
#: the rest and records what it read: what a message in flight looks like when replylint dies
PARENT_KILLER = '''
import os, signal, sys, time
from pathlib import Path

first = os.read(0, 1000)
os.kill(os.getppid(), int(sys.argv[2]))
time.sleep(0.5)
Path(sys.argv[1]).write_bytes(first + sys.stdin.buffer.read())
'''


def with_plugin(directory: Path, source: str) -> None:
    """A drop-in plugin and the ``replylint.toml`` that loads it, in ``directory``."""
    (directory / "plugins").mkdir(exist_ok=True)
    (directory / "plugins" / "fault.py").write_text(source)
    (directory / "replylint.toml").write_text('plugins-dir = ["plugins"]\n')


def huge(message: bytes) -> bytes:
    """``message`` with a 9 MB base64 attachment: a 12 MB message, over the default
    max-input-size before it was raised to 32 MB; the send path allows at least 100 MB."""
    blob = random.Random(9).randbytes(9_000_000)
    text = split(message)[1]
    return with_body(message, b"--b1\nContent-Type: text/plain; charset=utf-8\n\n" + text
                     + b"\n--b1\nContent-Type: application/zip; name=logs.zip\n"
                     b"Content-Transfer-Encoding: base64\n\n" + base64_lines(blob) + b"--b1--\n",
                     b"Content-Type: multipart/mixed; boundary=b1")


def latin1(message: bytes) -> bytes:
    """Raw latin-1 bytes (not UTF-8) in a header and in the text, no charset declared."""
    return message.replace(b"Subject: ", b"Subject: Caf\xe9 ").replace(
        b"Thanks for your patience.", b"Thanks for your patience, Ren\xe9e.")


# -- the sendmail wrapper ------------------------------------------------------------------


@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGTERM"])
def test_sendmail_killed_while_it_lints_sends_nothing_and_fails(send, tmp_path, signal_name):
    """SIGKILL: nothing can be saved, but the client sees a failure and keeps the message.
    SIGTERM: held with a copy, 128 + 15."""
    with_plugin(tmp_path, KILLER_PLUGIN.format(signal=signal_name))
    p = send(GOOD)
    assert recorded(send) == []
    if signal_name == "SIGKILL":
        assert p.returncode == -9 and held(send) == []
    else:
        assert p.returncode == 128 + 15, p.stderr.decode()
        assert b"not sent: stopped by signal 15 before it was handed on" in p.stderr
        assert held(send) == [GOOD] and str(send.held).encode() in p.stderr


@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGTERM"])
def test_sendmail_killed_while_the_real_sendmail_reads_never_truncates(send, tmp_path,
                                                                       signal_name):
    """The real sendmail reads the message from a file: replylint dying after 1,000 bytes
    does not end its input early (from a pipe it got the first 64 KB, and sent them)."""
    message = attachments(GOOD)  # over 400 KB: far more than a pipe holds
    (tmp_path / "killer.py").write_text(PARENT_KILLER)
    got = tmp_path / "got.eml"
    number = {"SIGKILL": 9, "SIGTERM": 15}[signal_name]
    p = send(message, real=[sys.executable, str(tmp_path / "killer.py"), str(got), str(number)])
    # capture_output waits for the real sendmail too: it holds the same stderr
    assert got.read_bytes() == message
    if signal_name == "SIGKILL":
        assert p.returncode == -9  # the client sees a failure: see the matrix on duplicates
    else:
        assert p.returncode == 0, p.stderr.decode()  # it went out, and replylint says so
        assert b"signal 15 came while" in p.stderr and b"waited for it to finish" in p.stderr
        assert held(send) == []


def test_sendmail_unwritable_hold_folder_and_a_failing_sendmail(send, tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("")
    options = ["--hold-dir", str(blocker / "held")]
    p = send(GOOD, *options, env={"RECORDER_EXIT": "75"})
    assert p.returncode == 75
    assert b"failed with exit status 75" in p.stderr
    assert b"could not save a copy" in p.stderr and b"still in your mail client" in p.stderr
    clean = send(GOOD, *options)  # no copy is needed: it goes out
    assert clean.returncode == 0 and clean.stderr == b""
    assert recorded(send) == [GOOD, GOOD]  # the recorder keeps what it got, then exits 75


def test_sendmail_empty_message(send):
    p = send(b"")
    assert p.returncode == 0
    assert b"sending although the check failed" in p.stderr
    assert b"not an email message" in p.stderr
    assert recorded(send) == [b""]
    kept = send(b"", "--on-error", "hold")
    assert kept.returncode == 70 and held(send) == [b""]
    assert recorded(send) == [b""]


def test_sendmail_huge_message(send):
    """12 MB (a 9 MB attachment), over max-input-size: the send path still checks it."""
    good, bad = huge(GOOD), huge(BAD)
    p = send(good)
    assert p.returncode == 0 and recorded(send) == [good], p.stderr.decode()
    assert b"sending although the check failed" not in p.stderr
    q = send(bad)
    assert q.returncode == 65 and held(send) == [bad] and recorded(send) == [good]
    assert b"PLH001" in q.stderr


def test_sendmail_non_utf8_headers_and_text(send):
    good, bad = latin1(GOOD), latin1(BAD)
    p = send(good)
    assert p.returncode == 0, p.stderr.decode()
    assert recorded(send) == [good]
    q = send(bad)
    assert q.returncode == 65 and b"PLH001" in q.stderr
    assert held(send) == [bad] and recorded(send) == [good]


# -- the git send-email hook ---------------------------------------------------------------


def run_hook(repo: Path, env: dict[str, str], message: Path) -> subprocess.CompletedProcess:
    """The installed hook, run as git runs it (from the top of the repository)."""
    return subprocess.run([str(repo / HOOK), str(message)], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=120)


def faulty(kind: str, repo: Path) -> str:
    """Make replylint fail in ``repo`` in one way; the reason it gives."""
    if kind == "bad-config":
        (repo / "replylint.toml").write_text("select = [\n")
        return "invalid TOML"
    if kind == "broken-plugin":
        with_plugin(repo, "import no_such_module_here\n")
        return "no_such_module_here"
    with_plugin(repo, CRASHING_PLUGIN)
    return "boom"


@pytest.mark.parametrize("kind", ["crashing-check", "broken-plugin", "bad-config"])
def test_hook_when_replylint_fails_follows_the_policy(repo, env, kind):
    reason = faulty(kind, repo)
    assert install(repo).returncode == 0
    p = run_hook(repo, env, GOOD_FILE)
    assert p.returncode == 0, p.stderr
    assert "sending although the check failed" in p.stderr and reason in p.stderr
    assert install(repo, "--on-error", "hold", "--force").returncode == 0
    q = run_hook(repo, env, GOOD_FILE)
    assert q.returncode == 70
    assert "not sent: the check failed (--on-error hold)" in q.stderr and reason in q.stderr


@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGTERM"])
def test_hook_killed_while_it_lints_fails(repo, env, signal_name):
    with_plugin(repo, KILLER_PLUGIN.format(signal=signal_name))
    install(repo)
    p = run_hook(repo, env, GOOD_FILE)
    assert p.returncode == {"SIGKILL": -9, "SIGTERM": -15}[signal_name]


def test_hook_killed_git_send_email_sends_nothing(send_email, smtp, repo):
    with_plugin(repo, KILLER_PLUGIN.format(signal="SIGKILL"))
    p = send_email(GOOD_FILE)
    assert p.returncode != 0
    assert "rejected by sendemail-validate hook" in p.stderr
    assert smtp.messages == []


def test_hook_crash_git_send_email_delivers_with_a_warning(send_email, smtp, repo):
    with_plugin(repo, CRASHING_PLUGIN)
    p = send_email(GOOD_FILE)
    assert p.returncode == 0, p.stderr
    assert "sending although the check failed" in p.stderr
    assert [body(m[2]) for m in smtp.messages] == [
        body(GOOD_FILE.read_bytes()).replace(b"\n", b"\r\n")]


def test_hook_empty_message(repo, env, tmp_path):
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    install(repo)
    p = run_hook(repo, env, empty)
    assert p.returncode == 0 and "not an email message" in p.stderr
    install(repo, "--on-error", "hold", "--force")
    assert run_hook(repo, env, empty).returncode == 70


def test_hook_huge_message(repo, env, tmp_path):
    """12 MB (a 9 MB attachment), over max-input-size: the hook still checks it."""
    good, bad = tmp_path / "good.eml", tmp_path / "bad.eml"
    good.write_bytes(huge(GOOD))
    bad.write_bytes(huge(BAD))
    install(repo)
    p = run_hook(repo, env, good)
    assert p.returncode == 0 and "sending although" not in p.stderr, p.stderr
    q = run_hook(repo, env, bad)
    assert q.returncode == 65 and "PLH001" in q.stderr


def test_hook_non_utf8_message(repo, env, tmp_path):
    good, bad = tmp_path / "good.eml", tmp_path / "bad.eml"
    good.write_bytes(latin1(GOOD_FILE.read_bytes()))
    bad.write_bytes(latin1(BAD_FILE.read_bytes()))
    install(repo)
    assert run_hook(repo, env, good).returncode == 0
    q = run_hook(repo, env, bad)
    assert q.returncode == 65 and "PLH001" in q.stderr


# -- the matrix page -----------------------------------------------------------------------


def test_every_test_the_fault_matrix_names_exists():
    """docs/integrations/fault-matrix.md names the test proving each outcome as
    ``file.py::test_name`` or ``file.py::test_name[case]``; pytest must collect each."""
    named = re.findall(r"`(test_\w+\.py::test_\w+(?:\[[^\]`]*\])?)`", MATRIX.read_text())
    assert len(named) >= 20, named
    files = sorted({f"tests/{n.split('::')[0]}" for n in named})
    p = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                        "-p", "no:cacheprovider", *files],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    collected = {line.strip().removeprefix("tests/") for line in p.stdout.splitlines()}
    functions = {c.split("[")[0] for c in collected}
    missing = [n for n in named if n not in (collected if "[" in n else functions)]
    assert not missing, f"the fault matrix names tests pytest does not collect: {missing}"
