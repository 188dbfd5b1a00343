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
system cannot start it; 128+N COMMAND was killed by signal N, or replylint was stopped by
SIGTERM, SIGHUP or SIGINT (N) before it handed the message on. Everything but 0 leaves a copy
in the hold folder (but 74 on reading: there is nothing to save).

COMMAND reads the message from a file with no name, not from a pipe, so that replylint being
killed while COMMAND reads does not cut the message short; a stop signal that comes while
COMMAND runs waits until it is done. See docs/integrations/fault-matrix.md.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO

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


class Interrupted(KeyboardInterrupt):
    """SIGTERM, SIGHUP or SIGINT before the message was handed on: it is held, not sent.

    A KeyboardInterrupt, so that the engine (which turns a check's other faults into findings)
    and ``judge`` (which turns them into a verdict) let it through.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


#: signals that ask replylint to stop
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


def _interrupt(signum: int, frame: object) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def on_stop_signals(handler: Any) -> Iterator[None]:
    """``handler`` for the stop signals meanwhile, but those ignored already (``nohup``, a
    client that ignores SIGINT for its children) stay ignored, for the real command too. Only
    in the main thread: elsewhere (an embedding application) signals are left alone."""
    previous: dict[int, Any] = {}
    try:
        for s in STOP_SIGNALS:
            if signal.getsignal(s) is not signal.SIG_IGN:
                previous[s] = signal.signal(s, handler)
    except ValueError:  # not the main thread
        pass
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def _spool(data: bytes) -> BinaryIO | None:
    """``data`` in a file with no name (memory where the system has it), read from its start."""
    try:
        if hasattr(os, "memfd_create"):
            spool: BinaryIO = os.fdopen(os.memfd_create("replylint-message"), "w+b")
        else:
            spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by deliver
        spool.write(data)
        spool.flush()
        spool.seek(0)
    except OSError:
        return None
    return spool


def deliver(argv: Sequence[str], data: bytes) -> tuple[int, str | None]:
    """Run the real command with ``data`` on stdin: its exit status, and what went wrong.

    The command reads the message from a file, not a pipe: if replylint is killed while the
    command reads, the command still reads all of it (from a pipe it would read up to where
    replylint was, and send a truncated message). How far it read tells whether it stopped
    early. Stop signals wait until it is done, so that its outcome is still reported. Only when
    no such file can be made does the message go through a pipe.
    """
    spool = _spool(data)
    deferred: list[int] = []
    try:
        with on_stop_signals(lambda signum, frame: deferred.append(signum)):
            try:
                proc = subprocess.Popen(argv, stdin=spool or subprocess.PIPE)
            except FileNotFoundError:
                return 127, f"not sent: {argv[0]}: command not found"
            except PermissionError:
                return 126, f"not sent: {argv[0]}: permission denied"
            except OSError as e:
                return EX_OSERR, f"not sent: cannot run {argv[0]}: {e.strerror or e}"
            cut_short = False
            if spool is None:
                assert proc.stdin is not None
                try:
                    proc.stdin.write(data)
                    proc.stdin.close()
                except BrokenPipeError:
                    cut_short = True
                    with contextlib.suppress(BrokenPipeError):
                        proc.stdin.close()
            status = proc.wait()
            if spool is not None:
                cut_short = os.lseek(spool.fileno(), 0, os.SEEK_CUR) < len(data)
    finally:
        if spool is not None:
            spool.close()
    if deferred:
        sys.stderr.write(f"replylint: signal {deferred[0]} came while {argv[0]} was sending; "
                         f"replylint waited for it to finish\n")
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
    directory = hold_dir or default_hold_dir()
    data: bytes | None = None
    status: int | None = None
    with on_stop_signals(_interrupt):  # SIGTERM, SIGHUP, SIGINT until the message is handed on
        try:
            try:
                data = sys.stdin.buffer.read()
            except OSError as e:
                err.write(f"replylint: cannot read the message: {e.strerror or e}\n")
                sys.exit(EX_IOERR)
            if not send_anyway(err):
                level = Severity.parse(block_on)
                status = stop_status(judge(data, SOURCE, config_path, level), level, on_error,
                                     err)
        except Interrupted as e:
            for s in STOP_SIGNALS:  # it is being dealt with: once is enough
                signal.signal(s, signal.SIG_IGN)
            if data is None:
                err.write(f"replylint: not sent: stopped by signal {e.signum} while reading "
                          f"the message (nothing to save)\n")
            else:
                err.write(f"replylint: not sent: stopped by signal {e.signum} before it was "
                          f"handed on\n")
                hold(data, directory, argv, err)
            sys.exit(128 + e.signum)
    if status is not None:
        with on_stop_signals(signal.SIG_IGN):  # finish the copy, then stop anyway
            hold(data, directory, argv, err)
        if status == EX_DATAERR:
            err.write(f"replylint: fix the draft and send it again, or send it as it is "
                      f"with {SEND_ANYWAY}=1 in the environment\n")
        sys.exit(status)
    assert data is not None
    status, problem = deliver(argv, data)
    if problem:
        err.write(f"replylint: {problem}\n")
        with on_stop_signals(signal.SIG_IGN):
            hold(data, directory, argv, err)
    sys.exit(status)
