"""``replylint sendmail [OPTIONS] COMMAND [ARGS]...``: a sendmail wrapper for mutt, neomutt, aerc.

The mail client pipes the message to this command as it would to sendmail. The author's part
of it is linted (see ``gate``); then either COMMAND ARGS runs with the very same bytes on its
standard input and its exit status is ours, or the message is not sent: the reason goes to
stderr (mutt shows it), the exit status is non-zero (the client keeps the message), and a copy
is saved in the hold folder, so a message that did not go out is never lost.

Options come before COMMAND; from COMMAND on, the command line is passed on untouched, so the
client's own arguments (``-f``, ``--``, the recipients) reach the real sendmail. Do not put
``--`` in mutt's ``$sendmail``: mutt puts its own arguments at that point.

Exit statuses: COMMAND's own when it ran; 65 findings stopped the message; 70 replylint failed
and ``--on-error hold``; 74 the message could not be read, or COMMAND stopped reading it
before its end; 126 COMMAND is not executable; 127 COMMAND not found; 71 (EX_OSERR) the
system cannot start it; 128+N COMMAND was killed by signal N. Everything but 0 leaves a copy
in the hold folder (but 74 on reading: there is nothing to save).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import click

from ..model import Severity
from .gate import EX_DATAERR, SEND_ANYWAY, gate_options, judge, send_anyway, stop_status

EX_IOERR = 74
EX_OSERR = 71
#: how findings point into the message in the report
SOURCE = "<message>"


def default_hold_dir() -> Path:
    """``$XDG_STATE_HOME/replylint/held``: state the user may want back, not a cache."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "replylint" / "held"


def save_copy(data: bytes, directory: Path) -> Path:
    """Write the message under a new name, readable by its owner only (it is private mail)."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=time.strftime("%Y%m%d-%H%M%S-"), suffix=".eml",
                                dir=directory)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return Path(name)


def hold(data: bytes, directory: Path, argv: Sequence[str], err: TextIO) -> None:
    """Save a copy of a message that did not go out and say where, and how to send it."""
    try:
        path = save_copy(data, directory)
    except OSError as e:
        err.write(f"replylint: could not save a copy in {directory}: {e.strerror or e} "
                  f"(the message is still in your mail client)\n")
        return
    err.write(f"replylint: held: a copy is saved in {path}\n"
              f"replylint: to send that copy as it is: {shlex.join(argv)} "
              f"< {shlex.quote(str(path))}\n")


def deliver(argv: Sequence[str], data: bytes) -> tuple[int, str | None]:
    """Run the real command with ``data`` on stdin: its exit status, and what went wrong."""
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE)
    except FileNotFoundError:
        return 127, f"not sent: {argv[0]}: command not found"
    except PermissionError:
        return 126, f"not sent: {argv[0]}: permission denied"
    except OSError as e:
        return EX_OSERR, f"not sent: cannot run {argv[0]}: {e.strerror or e}"
    assert proc.stdin is not None
    cut_short = False
    try:
        proc.stdin.write(data)
        proc.stdin.close()
    except BrokenPipeError:
        cut_short = True
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
    status = proc.wait()
    if status < 0:
        return 128 - status, f"not sent: {argv[0]} was killed by signal {-status}"
    if status:
        return status, f"not sent: {argv[0]} failed with exit status {status}"
    if cut_short:
        return EX_IOERR, (f"{argv[0]} exited before reading the whole message: "
                          f"it may have gone out truncated, or not at all")
    return 0, None


@click.command("sendmail", context_settings={"allow_interspersed_args": False})
@gate_options
@click.option("--hold-dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="REPLYLINT_HOLD_DIR", show_envvar=True,
              help="Where copies of messages not sent are saved "
                   "[default: $XDG_STATE_HOME/replylint/held, else "
                   "~/.local/state/replylint/held].")
@click.argument("argv", nargs=-1, required=True, metavar="COMMAND [ARGS]...")
def command(config_path: Path | None, block_on: str, on_error: str, hold_dir: Path | None,
            argv: tuple[str, ...]) -> None:
    """Lint the message on stdin, then hand it unchanged to COMMAND, or hold it.

    For mutt: set sendmail="replylint sendmail /usr/sbin/sendmail -oem -oi"
    """
    err = sys.stderr
    try:
        data = sys.stdin.buffer.read()
    except OSError as e:
        err.write(f"replylint: cannot read the message: {e.strerror or e}\n")
        sys.exit(EX_IOERR)
    directory = hold_dir or default_hold_dir()
    if not send_anyway(err):
        level = Severity.parse(block_on)
        status = stop_status(judge(data, SOURCE, config_path, level), level, on_error, err)
        if status is not None:
            hold(data, directory, argv, err)
            if status == EX_DATAERR:
                err.write(f"replylint: fix the draft and send it again, or send it as it is "
                          f"with {SEND_ANYWAY}=1 in the environment\n")
            sys.exit(status)
    status, problem = deliver(argv, data)
    if problem:
        err.write(f"replylint: {problem}\n")
        hold(data, directory, argv, err)
    sys.exit(status)
