"""The ``sendemail-validate`` hook of ``git send-email``, run as ``python -m`` this module.

git runs the hook for every message before it sends any, with MESSAGE_FILE (the message as
given, headers included) and, since git 2.41, SMTP_HEADERS_FILE (the envelope headers git
will add; accepted and not linted: they are addresses, not prose). A non-zero exit makes git
send nothing. The policy is ``gate``'s; the exit status is 65 when findings stop the message,
70 when replylint failed and ``--on-error hold``. Nothing needs holding: the file stays.

A patch (``git format-patch`` output) is linted up to its ``---`` line: what follows is the
diffstat and the diff, code rather than words to a person.

MESSAGE_FILE ``-`` reads standard input: how an editor's send hook (Emacs ``message-send-hook``)
gets the same verdict without a temporary file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from ..model import Severity
from .gate import Verdict, gate_options, judge, send_anyway, stop_status

#: the ``---`` line that ends a patch's message, when a diff follows it
PATCH_BREAK = re.compile(rb"^---[ \t]*\r?$(?=.*^diff --git )", re.M | re.S)


def prose_part(data: bytes) -> bytes:
    """The message without a patch's diffstat and diff (a prefix: findings keep positions)."""
    m = PATCH_BREAK.search(data)
    return data if m is None else data[: m.start()]


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@gate_options
@click.argument("message_file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("smtp_headers_file", required=False)
def main(config_path: Path | None, block_on: str, on_error: str, message_file: Path,
         smtp_headers_file: str | None) -> None:
    """Check MESSAGE_FILE (- for stdin) before it is sent; a non-zero exit stops the send."""
    err = sys.stderr
    if send_anyway(err):
        sys.exit(0)
    stdin = str(message_file) == "-"
    level = Severity.parse(block_on)
    try:
        data = sys.stdin.buffer.read() if stdin else message_file.read_bytes()
    except OSError as e:
        verdict = Verdict(None, failure=f"{message_file}: cannot read: {e.strerror or e}")
    else:
        verdict = judge(prose_part(data), "<message>" if stdin else str(message_file),
                        config_path, level)
    sys.exit(stop_status(verdict, level, on_error, err) or 0)


if __name__ == "__main__":
    main()
