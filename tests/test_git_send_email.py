"""``replylint install-hook git-send-email`` and the hook it writes, under a real git send-email.

git send-email delivers to an aiosmtpd server on 127.0.0.1 (a free port, in a thread, stopped
after each test). git rewrites the headers it sends (it adds Date, Message-Id and X-Mailer,
reformats To) and SMTP carries lines ended by CRLF, so "arrives byte-identical" means: the
body bytes equal the draft's body with LF turned into CRLF, and Subject, From, In-Reply-To and
the envelope recipients are the draft's.
"""

from __future__ import annotations

import os
import shlex
import socket
import stat
import subprocess
import sys
from email import message_from_bytes
from pathlib import Path

import pytest

from conftest import require_program

ROOT = Path(__file__).resolve().parents[1]
MAIL = ROOT / "tests" / "fixtures" / "mail"
GOOD = MAIL / "good-draft.eml"
BAD = MAIL / "bad-draft.eml"
HOOK = Path(".git/hooks/sendemail-validate")


@pytest.fixture
def env(tmp_path):
    """No user or system git config, no virtualenv on PATH: the hook must stand on its own."""
    (tmp_path / "gitconfig").write_text("")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("REPLYLINT_", "GIT_"))
             and k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    clean.update(PATH="/usr/local/bin:/usr/bin:/bin", GIT_CONFIG_NOSYSTEM="1",
                 GIT_CONFIG_GLOBAL=str(tmp_path / "gitconfig"), GIT_AUTHOR_NAME="Ann Agent",
                 GIT_AUTHOR_EMAIL="ann@support.example.com", GIT_COMMITTER_NAME="Ann Agent",
                 GIT_COMMITTER_EMAIL="ann@support.example.com")
    return clean


@pytest.fixture
def repo(tmp_path, env):
    path = tmp_path / "replies"
    path.mkdir()
    git(path, env, "init", "-q")
    (path / "README").write_text("Replies we send.\n")
    git(path, env, "add", "README")
    git(path, env, "commit", "-qm", "Start")
    return path


def git(repo: Path, env: dict[str, str], *args: str, check: bool = True):
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=60, check=check)


def install(repo: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "replylint", "install-hook", "git-send-email", "--repo", str(repo),
         *args],
        capture_output=True, text=True, timeout=60, cwd=cwd or repo,
    )


class Recorder:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              envelope.original_content))
        return "250 OK"


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    recorder.port = port
    try:
        yield recorder
    finally:
        controller.stop()


@pytest.fixture
def send_email(repo, env, smtp):
    require_program("git", "send-email", "--help")
    require_program("perl", "-MMail::Address", "-e", "1")  # git-email's Recommends

    def send(*files: Path, **more_env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["git", "send-email", "--smtp-server=127.0.0.1", f"--smtp-server-port={smtp.port}",
             "--from=Ann Agent <ann@support.example.com>", "--to=sam@example.org",
             "--confirm=never", "--suppress-cc=all", "--no-thread", *map(str, files)],
            cwd=repo, env={**env, **more_env}, capture_output=True, text=True, timeout=60,
            stdin=subprocess.DEVNULL,
        )

    assert install(repo).returncode == 0
    return send


def body(message: bytes) -> bytes:
    return message.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in message else message.split(
        b"\n\n", 1)[1]


def patch(repo: Path, env: dict[str, str], message: str, files: dict[str, str]) -> Path:
    """Commit ``files`` with ``message`` and return the patch ``git format-patch`` writes."""
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
        git(repo, env, "add", name)
    git(repo, env, "commit", "-qm", message)
    out = git(repo, env, "format-patch", "-1", "-o", str(repo.parent / "patches")).stdout
    return Path(repo, out.strip())


# -- install-hook ------------------------------------------------------------------------


def test_install_writes_an_executable_hook_that_uses_this_interpreter(repo):
    p = install(repo)
    assert p.returncode == 0, p.stderr
    hook = repo / HOOK
    assert f"installed {hook}" in p.stdout
    assert hook.stat().st_mode & stat.S_IXUSR
    text = hook.read_text()
    assert text.startswith("#!/bin/sh\n")
    assert f"exec {shlex.quote(os.path.abspath(sys.executable))} -m " \
           f"replylint.integrations.validate \"$@\"" in text


def test_install_follows_core_hooks_path_from_a_subdirectory(repo, env):
    git(repo, env, "config", "core.hooksPath", ".githooks")
    (repo / "drafts").mkdir()
    p = install(repo / "drafts", cwd=repo / "drafts")
    assert p.returncode == 0, p.stderr
    assert (repo / ".githooks" / "sendemail-validate").is_file()
    assert not (repo / HOOK).exists()


def test_install_never_replaces_a_hook_without_force(repo):
    hook = repo / HOOK
    hook.write_text("#!/bin/sh\nexit 0\n")
    p = install(repo)
    assert p.returncode == 1 and "exists; --force replaces it" in p.stderr
    assert hook.read_text() == "#!/bin/sh\nexit 0\n"
    assert install(repo, "--force").returncode == 0
    assert "replylint.integrations.validate" in hook.read_text()
    again = install(repo)
    assert again.returncode == 0 and "already installed" in again.stdout


def test_install_writes_the_chosen_policy_into_the_hook(repo, tmp_path):
    (tmp_path / "team.toml").write_text('fail-on = "error"\n')
    p = install(repo, "--block-on", "warning", "--on-error", "hold",
                "--config", str(tmp_path / "team.toml"))
    assert p.returncode == 0, p.stderr
    text = (repo / HOOK).read_text()
    assert f"--config {tmp_path / 'team.toml'} --block-on warning --on-error hold" in text


def test_install_outside_a_repository_says_so(tmp_path):
    p = install(tmp_path)
    assert p.returncode == 1 and "not a git repository" in p.stderr.lower()


# -- the hook, run as git runs it --------------------------------------------------------


@pytest.mark.parametrize("headers", [False, True], ids=["git<2.41", "git>=2.41"])
def test_the_hook_takes_one_or_two_arguments(repo, env, tmp_path, headers):
    install(repo)
    extra = []
    if headers:
        (tmp_path / "smtp-headers").write_text("From: ann@support.example.com\nTo: x@y.z\n")
        extra = [str(tmp_path / "smtp-headers")]
    run = [str(repo / HOOK)]
    bad = subprocess.run([*run, str(BAD), *extra], cwd=repo, env=env, capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 65
    assert f"{BAD}:8:4: PLH001 [placeholders.unfilled]" in bad.stderr
    good = subprocess.run([*run, str(GOOD), *extra], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=60)
    assert good.returncode == 0, good.stderr


def test_a_patch_is_checked_up_to_its_diff(repo, env):
    """A macro added by the patch is full of placeholders; only the message is a reply."""
    install(repo)
    macro = "Hi {{ticket.requester.first_name}},\n\n[Customer Name], your refund is on its way.\n"
    made = patch(repo, env, "Add the refund macro\n\nThanks to Sam for the wording.",
                 {"macros/refund.md": macro})
    p = subprocess.run([str(repo / HOOK), str(made)], cwd=repo, env=env, capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 0, p.stderr


# -- git send-email end to end -----------------------------------------------------------


def test_a_good_draft_arrives_unchanged(send_email, smtp):
    p = send_email(GOOD)
    assert p.returncode == 0, p.stderr
    assert len(smtp.messages) == 1
    sender, recipients, data = smtp.messages[0]
    draft = GOOD.read_bytes()
    assert body(data) == body(draft).replace(b"\n", b"\r\n")
    got, want = message_from_bytes(data), message_from_bytes(draft)
    for name in ("Subject", "From", "In-Reply-To", "Content-Type", "Content-Transfer-Encoding"):
        assert got[name] == want[name]
    assert (sender, recipients) == ("ann@support.example.com", ["sam@example.org"])


def test_a_patch_whose_diff_has_placeholders_arrives_unchanged(send_email, smtp, repo, env):
    made = patch(repo, env, "Add the refund macro\n\nThanks to Sam for the wording.",
                 {"macros/refund.md": "Hi {{first_name}},\n\n[Customer Name]\n"})
    p = send_email(made)
    assert p.returncode == 0, p.stderr
    assert [body(m[2]) for m in smtp.messages] == [
        body(made.read_bytes()).replace(b"\n", b"\r\n")]


@pytest.mark.parametrize("kind", ["draft", "patch"])
def test_a_draft_with_a_placeholder_is_refused_and_nothing_is_sent(send_email, smtp, repo,
                                                                   env, kind):
    if kind == "draft":
        bad = BAD
    else:
        bad = patch(repo, env, "Reply to Sam\n\nHi {{first_name}},\n\nYour refund is on its "
                    "way. If anything else comes up, just reply to this email.\n\nBest,\nAnn",
                    {"sam.txt": "sent\n"})
    p = send_email(GOOD, bad)  # the good one is not sent either: git validates all first
    assert p.returncode != 0
    assert "rejected by sendemail-validate hook" in p.stderr
    assert "PLH001 [placeholders.unfilled]" in p.stderr and "{{first_name}}" in p.stderr
    assert "replylint: not sent:" in p.stderr
    assert smtp.messages == []


def test_send_anyway_lets_one_send_through(send_email, smtp):
    p = send_email(BAD, REPLYLINT_SEND_ANYWAY="1")
    assert p.returncode == 0, p.stderr
    assert "REPLYLINT_SEND_ANYWAY is set" in p.stderr
    assert body(smtp.messages[0][2]) == body(BAD.read_bytes()).replace(b"\n", b"\r\n")


# -- the same validator on standard input (what the Emacs snippet runs) ------------------


def validate(data: bytes, *options: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPLYLINT_")}
    return subprocess.run(
        [sys.executable, "-m", "replylint.integrations.validate", *options, "-"],
        input=data, capture_output=True, cwd=cwd, env=env, timeout=60,
    )


def test_the_validator_reads_a_message_mode_buffer_on_stdin(tmp_path):
    """Headers, a blank line where message mode's separator was, the body: no MIME headers."""
    buffer = ("To: sam@example.org\nSubject: Your refund\n\nHi {{first_name}},\n\n"
              "Your refund is on its way, café included.\n\nBest,\nAnn\n").encode()
    p = validate(buffer, cwd=tmp_path)
    assert p.returncode == 65
    assert b"<message>:4:4: PLH001" in p.stderr
    assert validate(buffer.replace(b"{{first_name}}", b"Sam"), cwd=tmp_path).returncode == 0


def test_the_validator_applies_the_on_error_policy(tmp_path):
    garbage = b"no headers at all\x00"
    p = validate(garbage, cwd=tmp_path)
    assert p.returncode == 0 and b"sending although the check failed" in p.stderr
    assert validate(garbage, "--on-error", "hold", cwd=tmp_path).returncode == 70
