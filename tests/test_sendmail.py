"""``replylint sendmail``: the wrapper hands on the exact bytes it was given, or holds them.

Every case drives the real command in a subprocess, delivering to a recording sendmail
(tests/fixtures/mail/recorder.py). The fault cases check the promise of the send path: the
message is delivered byte for byte, or it is held with a clear reason and a saved copy, and
the exit status says which.
"""

from __future__ import annotations

import base64
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAIL = ROOT / "tests" / "fixtures" / "mail"
RECORDER = MAIL / "recorder.py"
GOOD = (MAIL / "good-draft.eml").read_bytes()
BAD = (MAIL / "bad-draft.eml").read_bytes()
SENDMAIL_ARGS = ["-oem", "-oi", "-f", "ann@support.example.com", "--", "sam@example.org",
                 "boss@support.example.com"]


def split(message: bytes) -> tuple[bytes, bytes]:
    head, _, body = message.partition(b"\n\n")
    return head + b"\n", body


def with_body(message: bytes, body: bytes, *headers: bytes) -> bytes:
    """``message``'s headers (Content-* replaced by ``headers``) over a new body."""
    head, _ = split(message)
    kept = [h for h in head.splitlines(keepends=True) if not h.startswith(b"Content-")]
    return b"".join(kept) + b"".join(h + b"\n" for h in headers) + b"\n" + body


def base64_lines(data: bytes) -> bytes:
    encoded = base64.b64encode(data)
    return b"".join(encoded[i : i + 76] + b"\n" for i in range(0, len(encoded), 76))


def attachments(message: bytes) -> bytes:
    """multipart/mixed: the text, a 300 KB base64 attachment, then raw binary (NUL, lone CR)."""
    rng = random.Random(7)
    blob = bytes(rng.getrandbits(8) for _ in range(300_000))
    raw = bytes(range(256)) * 64 + b"\r\r\n\x00end"
    text = split(message)[1]
    body = (
        b"--b1\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        + text
        + b"\n--b1\nContent-Type: application/pdf; name=receipt.pdf\n"
        b"Content-Disposition: attachment; filename=receipt.pdf\n"
        b"Content-Transfer-Encoding: base64\n\n" + base64_lines(blob)
        + b"--b1\nContent-Type: application/octet-stream\n"
        b"Content-Disposition: attachment; filename=raw.bin\n"
        b"Content-Transfer-Encoding: binary\n\n" + raw + b"\n--b1--\n"
    )
    return with_body(message, body, b"Content-Type: multipart/mixed; boundary=b1")


def eight_bit(message: bytes) -> bytes:
    """Raw UTF-8 in the text, and one latin-1 byte that is not UTF-8 at all."""
    return message.replace(b"Thanks for your patience.",
                           "Thanks for your patience, Zoë — merci.".encode() + b" Caf\xe9.")


def base64_text(message: bytes) -> bytes:
    return with_body(message, base64_lines(split(message)[1]),
                     b"Content-Type: text/plain; charset=utf-8",
                     b"Content-Transfer-Encoding: base64")


def crlf(message: bytes) -> bytes:
    return message.replace(b"\n", b"\r\n")


VARIANTS = {
    "plain": lambda m: m,
    "crlf": crlf,
    "8bit": eight_bit,
    "base64": base64_text,
    "attachments": attachments,
    "attachments-crlf": lambda m: crlf(attachments(m)),
}


@pytest.fixture
def send(tmp_path):
    """Run the wrapper on ``message`` with the recorder as the real sendmail."""
    records = tmp_path / "records"
    records.mkdir()

    def send(message: bytes, *options: str, env: dict[str, str] | None = None,
             real: list[str] | None = None) -> subprocess.CompletedProcess:
        real = real or [sys.executable, str(RECORDER), str(records), *SENDMAIL_ARGS]
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("REPLYLINT_")}
        full_env.update(PYTHONPATH=str(ROOT), XDG_STATE_HOME=str(tmp_path / "state"))
        full_env.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "replylint", "sendmail", *options, *real],
            input=message, capture_output=True, cwd=tmp_path, env=full_env, timeout=60,
        )

    send.records = records
    send.held = tmp_path / "state" / "replylint" / "held"
    return send


def recorded(send) -> list[bytes]:
    return [p.read_bytes() for p in sorted(send.records.glob("*.eml"))]


def held(send) -> list[bytes]:
    return [p.read_bytes() for p in sorted(send.held.glob("*.eml"))] if send.held.exists() else []


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_a_clean_message_goes_out_byte_for_byte(send, variant):
    message = VARIANTS[variant](GOOD)
    p = send(message)
    assert p.returncode == 0, p.stderr.decode()
    assert recorded(send) == [message]
    assert json.loads((send.records / "1.argv.json").read_text()) == SENDMAIL_ARGS
    assert held(send) == []
    assert p.stderr == b""


@pytest.mark.parametrize("variant", ["plain", "crlf", "base64", "attachments"])
def test_an_unfilled_placeholder_holds_the_message(send, variant):
    message = VARIANTS[variant](BAD)
    p = send(message)
    err = p.stderr.decode()
    assert p.returncode == 65, err
    assert recorded(send) == []
    assert held(send) == [message]
    assert "PLH001" in err and "{{first_name}}" in err
    assert "replylint: not sent: 2 finding(s) at or above error" in err
    assert str(send.held) in err and "REPLYLINT_SEND_ANYWAY=1" in err


def test_the_report_points_into_the_message(send):
    err = send(BAD).stderr.decode()
    assert "<message>:8:4: PLH001 [placeholders.unfilled]" in err
    assert "    8 | Hi {{first_name}}," in err


def test_warnings_go_out_unless_block_on_says_otherwise(send, tmp_path):
    blame = GOOD.replace(b"Thanks for your patience. ",
                         b"Thanks for your patience. As I already explained, you should have "
                         b"read the FAQ. ")
    # every rule, found above the cwd: tone.blame is off by default
    (tmp_path / "replylint.toml").write_text('select = ["strict"]\n')
    assert send(blame).returncode == 0
    assert send(blame, "--block-on", "warning").returncode == 65
    p = send(blame, env={"REPLYLINT_BLOCK_ON": "warning"})
    assert p.returncode == 65 and b"TON002" in p.stderr
    assert recorded(send) == [blame]
    assert held(send) == [blame, blame]


def test_send_anyway_lets_one_message_through_and_says_so(send):
    p = send(BAD, env={"REPLYLINT_SEND_ANYWAY": "1"})
    assert p.returncode == 0
    assert recorded(send) == [BAD]
    assert b"REPLYLINT_SEND_ANYWAY is set: sending without checking" in p.stderr


CRASHING_PLUGIN = '''
from replylint import Severity, check, hookimpl

@check("house.crash", "HOU900", Severity.WARNING)
def crash(doc, options):
    """Always crashes."""
    raise RuntimeError("boom")
    yield

@hookimpl
def register_checks(register, config):
    register(crash)
'''


def replylint_fails(kind: str, tmp_path: Path) -> tuple[bytes, list[str]]:
    """A message and options with which replylint cannot give a verdict, and why."""
    if kind == "bad-config":
        (tmp_path / "broken.toml").write_text("select = [\n")
        return GOOD, ["--config", str(tmp_path / "broken.toml")]
    if kind == "crashing-check":
        (tmp_path / "plugins").mkdir()
        (tmp_path / "plugins" / "crash.py").write_text(CRASHING_PLUGIN)
        (tmp_path / "replylint.toml").write_text('plugins-dir = ["plugins"]\n')
        return GOOD, []
    if kind == "broken-plugin":
        (tmp_path / "plugins").mkdir()
        (tmp_path / "plugins" / "broken.py").write_text("import no_such_module_here\n")
        (tmp_path / "replylint.toml").write_text('plugins-dir = ["plugins"]\n')
        return GOOD, []
    assert kind == "unreadable-message"
    return b"just some words, no headers\x00\x01", []


REASONS = {
    "bad-config": "invalid TOML",
    "crashing-check": "boom",
    "broken-plugin": "no_such_module_here",
    "unreadable-message": "not an email message",
}


@pytest.mark.parametrize("kind", sorted(REASONS))
def test_when_replylint_fails_the_default_delivers_with_a_warning(send, tmp_path, kind):
    message, options = replylint_fails(kind, tmp_path)
    p = send(message, *options)
    err = p.stderr.decode()
    assert p.returncode == 0, err
    assert recorded(send) == [message]
    assert "replylint: warning: sending although the check failed" in err
    assert REASONS[kind] in err


@pytest.mark.parametrize("kind", sorted(REASONS))
def test_when_replylint_fails_on_error_hold_keeps_the_message(send, tmp_path, kind):
    message, options = replylint_fails(kind, tmp_path)
    p = send(message, "--on-error", "hold", *options)
    err = p.stderr.decode()
    assert p.returncode == 70, err
    assert recorded(send) == []
    assert held(send) == [message]
    assert "replylint: not sent: the check failed (--on-error hold)" in err
    assert REASONS[kind] in err
    assert send(message, *options, env={"REPLYLINT_ON_ERROR": "hold"}).returncode == 70


def test_a_crashing_check_does_not_hide_real_findings(send, tmp_path):
    replylint_fails("crashing-check", tmp_path)
    p = send(BAD)
    assert p.returncode == 65 and b"PLH001" in p.stderr
    assert recorded(send) == []


@pytest.mark.parametrize("fault", ["exception", "import"])
def test_a_crash_inside_replylint_follows_the_policy(tmp_path, monkeypatch, fault):
    """A bug (any exception) or an engine that cannot import, forced in-process; stdin and
    the real sendmail stay real."""
    from click.testing import CliRunner

    from replylint.engine import Linter
    from replylint.integrations.sendmail import command

    def explode(self, *args, **kwargs):
        raise MemoryError("forced")

    if fault == "exception":
        monkeypatch.setattr(Linter, "lint_bytes", explode)
        reason = "internal error: MemoryError: forced"
    else:
        monkeypatch.setitem(sys.modules, "replylint.engine", None)
        reason = "internal error: ModuleNotFoundError"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("REPLYLINT_SEND_ANYWAY", raising=False)
    records = tmp_path / "records"
    records.mkdir()
    real = [sys.executable, str(RECORDER), str(records), "-oi"]
    runner = CliRunner()
    sent = runner.invoke(command, real, input=BAD)
    assert sent.exit_code == 0
    assert reason in sent.stderr
    assert (records / "1.eml").read_bytes() == BAD
    kept = runner.invoke(command, ["--on-error", "hold", *real], input=BAD)
    assert kept.exit_code == 70
    assert [p.read_bytes() for p in (tmp_path / "state/replylint/held").glob("*.eml")] == [BAD]
    assert not (records / "2.eml").exists()


@pytest.mark.parametrize("status", [1, 75])
def test_a_failing_sendmail_keeps_its_status_and_a_copy(send, status):
    message = attachments(GOOD)
    p = send(message, env={"RECORDER_EXIT": str(status)})
    err = p.stderr.decode()
    assert p.returncode == status
    assert f"failed with exit status {status}" in err
    assert held(send) == [message] and str(send.held) in err


def test_a_missing_sendmail_is_127_with_a_copy(send, tmp_path):
    p = send(GOOD, real=[str(tmp_path / "no-such-sendmail"), "-oi"])
    assert p.returncode == 127
    assert b"no-such-sendmail: command not found" in p.stderr
    assert held(send) == [GOOD]


def test_a_sendmail_that_cannot_run_is_126_with_a_copy(send, tmp_path):
    (tmp_path / "sendmail").write_text("#!/bin/sh\n")  # not executable
    p = send(GOOD, real=[str(tmp_path / "sendmail")])
    assert p.returncode == 126 and b"permission denied" in p.stderr
    assert held(send) == [GOOD]


def test_a_sendmail_the_system_cannot_start_is_71_with_a_copy(send, tmp_path):
    (tmp_path / "sendmail").write_bytes(b"\x7fELF-not-really")
    (tmp_path / "sendmail").chmod(0o755)
    p = send(GOOD, real=[str(tmp_path / "sendmail")])
    assert p.returncode == 71 and b"Exec format error" in p.stderr
    assert held(send) == [GOOD]


def test_a_killed_sendmail_is_128_plus_the_signal(send):
    p = send(GOOD, env={"RECORDER_KILL": "1"})
    assert p.returncode == 128 + 9
    assert b"killed by signal 9" in p.stderr
    assert held(send) == [GOOD]


@pytest.mark.parametrize("status", [0, 1])
def test_a_sendmail_that_stops_reading_is_a_broken_pipe_not_a_success(send, status):
    message = attachments(GOOD)  # larger than a pipe's buffer, so the pipe does break
    p = send(message, env={"RECORDER_READ": "100", "RECORDER_EXIT": str(status)})
    err = p.stderr.decode()
    if status:
        assert p.returncode == status and "failed with exit status 1" in err
    else:
        assert p.returncode == 74
        assert "exited before reading the whole message" in err
    assert held(send) == [message]


def test_an_unwritable_hold_folder_is_reported_and_the_status_stays_non_zero(send, tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("")
    p = send(BAD, "--hold-dir", str(blocker / "held"))
    assert p.returncode == 65
    assert b"could not save a copy" in p.stderr
    assert b"still in your mail client" in p.stderr


def test_hold_dir_option_and_environment(send, tmp_path):
    assert send(BAD, "--hold-dir", str(tmp_path / "a")).returncode == 65
    assert send(BAD, env={"REPLYLINT_HOLD_DIR": str(tmp_path / "b")}).returncode == 65
    assert [p.read_bytes() for p in (tmp_path / "a").glob("*.eml")] == [BAD]
    assert [p.read_bytes() for p in (tmp_path / "b").glob("*.eml")] == [BAD]
    copy = next((tmp_path / "a").glob("*.eml"))
    assert copy.stat().st_mode & 0o077 == 0  # private mail: owner only


def test_the_printed_command_sends_the_held_copy(send, tmp_path):
    """The 'send that copy as it is' line is a working shell command."""
    err = send(BAD).stderr.decode()
    line = next(x for x in err.splitlines() if "to send that copy as it is:" in x)
    shell = line.split("to send that copy as it is: ", 1)[1]
    subprocess.run(shell, shell=True, check=True, timeout=60, cwd=tmp_path)
    assert recorded(send) == [BAD]
    assert json.loads((send.records / "1.argv.json").read_text()) == SENDMAIL_ARGS


def test_options_after_the_command_belong_to_the_command(send):
    p = send(GOOD, "--block-on", "error",
             real=[sys.executable, str(RECORDER), str(send.records), "--block-on", "-h", "--"])
    assert p.returncode == 0, p.stderr.decode()
    assert json.loads((send.records / "1.argv.json").read_text()) == ["--block-on", "-h", "--"]


def test_a_command_is_required(send):
    p = send(GOOD, real=["--on-error", "hold"])
    assert p.returncode == 2 and b"Missing argument" in p.stderr
