"""``replylint install-hook git-send-email``: write the ``sendemail-validate`` hook.

The hook goes where git looks for it (``git rev-parse --git-path hooks``, which follows
``core.hooksPath`` and worktrees), and runs replylint with the interpreter that installed it
(an absolute path, not ``replylint`` on PATH), so it works from a shell where the virtualenv
is not active. An existing hook is never replaced without ``--force``.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import click

HOOK_NAME = "sendemail-validate"
TEMPLATE = """\
#!/bin/sh
# Written by `replylint install-hook git-send-email`: git send-email runs this hook for every
# message before sending any, and sends nothing when it exits non-zero.
# Arguments: MESSAGE_FILE, and since git 2.41 SMTP_HEADERS_FILE.
# Send anyway: REPLYLINT_SEND_ANYWAY=1 git send-email ...   (or git send-email --no-validate)
exec {command} "$@"
"""


def hooks_dir(repo: Path) -> Path:
    """The directory git runs hooks from, for the repository that contains ``repo``."""
    try:
        out = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--git-path", "hooks"],
            capture_output=True, text=True, check=True, timeout=30,
        ).stdout.strip()
    except FileNotFoundError:
        raise click.ClickException("git is not installed") from None
    except subprocess.CalledProcessError as e:
        reason = e.stderr.strip() or "not a git repository"
        raise click.ClickException(f"{repo}: {reason}") from None
    return (repo / out).resolve()  # relative answers are relative to -C's directory


def hook_text(options: list[str]) -> str:
    python = os.path.abspath(sys.executable)  # not resolved: a venv's python is a symlink
    argv = [python, "-m", "replylint.integrations.validate", *options]
    return TEMPLATE.format(command=shlex.join(argv))


@click.group("install-hook")
def command() -> None:
    """Install replylint as a pre-send hook."""


@command.command("git-send-email")
@click.option("--repo", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=".", show_default=True, help="A directory in the git repository.")
@click.option("--force", is_flag=True, help="Replace an existing sendemail-validate hook.")
@click.option("--block-on", type=click.Choice(["error", "warning", "suggestion"]),
              help="Write this --block-on into the hook [default: error].")
@click.option("--on-error", type=click.Choice(["deliver", "hold"]),
              help="Write this --on-error into the hook [default: deliver].")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="Write this config file into the hook.")
def git_send_email(repo: Path, force: bool, block_on: str | None, on_error: str | None,
                   config_path: Path | None) -> None:
    """Lint every message `git send-email` sends from this repository."""
    options = []
    if config_path:
        options += ["--config", str(config_path.resolve())]
    if block_on:
        options += ["--block-on", block_on]
    if on_error:
        options += ["--on-error", on_error]
    text = hook_text(options)
    path = hooks_dir(repo) / HOOK_NAME
    if path.exists() and not force:
        if path.read_text(encoding="utf-8", errors="replace") == text:
            click.echo(f"replylint: {path} is already installed")
            return
        raise click.ClickException(f"{path} exists; --force replaces it")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # --force: replace a symbolic link, not what it points to
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    click.echo(f"replylint: installed {path}")
