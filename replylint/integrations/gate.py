"""Whether a message about to be sent may go: the policy every pre-send integration shares.

The message is linted as a draft (the ``.eml`` reader and zoning keep the customer's quoted
history out). Findings at or above ``--block-on`` (default ``error``: an unfilled placeholder,
a card number) stop it: a warning about tone should not keep a reply from a customer, and
``check``'s ``fail-on`` (default ``warning``) is for CI, where stopping costs nothing.

When replylint itself cannot give a verdict (a bad config, a message it cannot read, a plugin
or check that crashed), ``--on-error`` decides: ``deliver`` (default: a bug in the linter
must not stop the mail) with a warning, or ``hold``. ``REPLYLINT_SEND_ANYWAY=1`` lets one
message through unchecked. None of this has a config key: it is the sender's choice, so it
is an option or an environment variable (``REPLYLINT_BLOCK_ON``, ``REPLYLINT_ON_ERROR``,
``REPLYLINT_CONFIG``).

Exit statuses follow sysexits(3), so mail clients name them: 65 (EX_DATAERR, "data format
error") when findings stop the message, 70 (EX_SOFTWARE) when it is held because replylint
failed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

import click

from ..config import ConfigError, find_config, load_config_file
from ..formats.text import write_text
from ..model import INTERNAL_ERROR_RULE, InputError, RunResult, Severity

#: ``max-input-size`` in the send path: the message is the sender's own draft, and its
#: attachments (which count in its size but are never read) may be large; mail servers refuse
#: far smaller messages than this anyway
SEND_PATH_MAX = 100_000_000

SEND_ANYWAY = "REPLYLINT_SEND_ANYWAY"
EX_DATAERR = 65
EX_SOFTWARE = 70


def gate_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--config``, ``--block-on`` and ``--on-error``, each also read from the environment."""
    func = click.option(
        "--on-error", type=click.Choice(["deliver", "hold"]), default="deliver",
        envvar="REPLYLINT_ON_ERROR", show_default=True, show_envvar=True,
        help="When replylint itself fails: send with a warning, or hold the message.",
    )(func)
    func = click.option(
        "--block-on", type=click.Choice(["error", "warning", "suggestion"]), default="error",
        envvar="REPLYLINT_BLOCK_ON", show_default=True, show_envvar=True,
        help="Lowest severity of finding that stops the message.",
    )(func)
    return click.option(
        "--config", "config_path", envvar="REPLYLINT_CONFIG", show_envvar=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Config file [default: the one found above the current directory].",
    )(func)


@dataclass(frozen=True)
class Verdict:
    """What linting found: the run, how many findings block, and why it failed if it did."""

    result: RunResult | None
    blocking: int = 0
    failure: str | None = None


def judge(data: bytes, source: str, config_path: Path | None, block_on: Severity) -> Verdict:
    """Lint ``data`` as an email draft; every failure of replylint becomes ``failure``.

    The engine (and with it every plugin) is imported inside the ``try``: a replylint that
    cannot import (a broken install, a missing dependency) is a failure the policy decides on.
    """
    try:
        from ..engine import Linter

        base = find_config(Path.cwd()) if config_path is None else load_config_file(config_path)
        if base is None:
            raise ConfigError(f"{config_path}: no [tool.replylint] table")
        config = base.with_cli(kind="draft")
        if config.max_input_size:  # the sender's own draft: attachments count, are not read
            config = replace(config, max_input_size=max(config.max_input_size, SEND_PATH_MAX))
        linter = Linter(config)
        reports = linter.lint_bytes(source, data, syntax="eml")
    except (ConfigError, InputError) as e:
        return Verdict(None, failure=str(e))
    except Exception as e:  # noqa: BLE001 - a crash is a verdict the on-error policy handles
        return Verdict(None, failure=f"internal error: {type(e).__name__}: {e}")
    result = RunResult(reports=reports, plugin_errors=[str(e) for e in linter.registry.errors],
                       fail_on=block_on)
    crashed = [f.message for f in result.findings if f.rule == INTERNAL_ERROR_RULE]
    blocking = sum(f.severity >= block_on and f.rule != INTERNAL_ERROR_RULE
                   for f in result.findings)
    return Verdict(result, blocking, "; ".join(result.plugin_errors + crashed) or None)


def send_anyway(err: TextIO) -> bool:
    """The one-message override; says so, so nobody wonders later why it went unchecked."""
    if os.environ.get(SEND_ANYWAY, "").strip().lower() not in ("1", "true", "yes"):
        return False
    err.write(f"replylint: {SEND_ANYWAY} is set: sending without checking\n")
    return True


def stop_status(
    verdict: Verdict, block_on: Severity, on_error: str, err: TextIO
) -> int | None:
    """None when the message may go; else the exit status that stops it, the reason on ``err``."""
    if verdict.blocking:
        assert verdict.result is not None
        write_text(verdict.result, err, err.isatty())
        err.write(f"replylint: not sent: {verdict.blocking} finding(s) at or above "
                  f"{block_on}\n")
        return EX_DATAERR
    if verdict.failure is None:
        return None
    if on_error == "hold":
        err.write(f"replylint: not sent: the check failed (--on-error hold): "
                  f"{verdict.failure}\n")
        return EX_SOFTWARE
    err.write(f"replylint: warning: sending although the check failed (--on-error deliver): "
              f"{verdict.failure}\n")
    return None
