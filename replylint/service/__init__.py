"""``replylint serve``: a local HTTP JSON API and a web page for helpdesk apps and add-ons.

Imported only when ``replylint serve`` runs (``replylint.cli.LazyGroup``), so ``replylint
check`` never pays for ``http.server``. The server itself is in ``replylint.service.server``;
docs/integrations/service.md describes the API.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

TOKEN_ENV = "REPLYLINT_SERVICE_TOKEN"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs a token.")
@click.option("--port", default=7337, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0 picks a free one; the URL is printed).")
@click.option("--token", envvar=TOKEN_ENV, show_envvar=True, metavar="TOKEN",
              help="Require 'Authorization: Bearer TOKEN' (at least 16 characters). "
                   f"Prefer the {TOKEN_ENV} variable: a command line is visible to other users.")
@click.option("--allow-origin", "allow_origins", multiple=True, metavar="ORIGIN",
              help="A web origin (scheme://host[:port]) whose pages may call the API, "
                   "e.g. a helpdesk app's iframe. Repeatable; '*' is refused.")
@click.option("--max-body", default=256 * 1024, show_default=True, type=click.IntRange(1),
              help="Largest request body in bytes; larger ones get 413.")
@click.option("--config", "config_path",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The config file the service lints with [default: the one found above the "
                   "current folder].")
@click.option("--plugins-dir", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Another folder of drop-in plugins (repeatable).")
@click.option("--languagetool", metavar="URL|local|public",
              help="Check grammar with this LanguageTool server (see docs/grammar.md).")
@click.option("--log-requests", is_flag=True,
              help="Log method, path, status and latency of each request (never the text).")
@click.option("--log-bodies", is_flag=True,
              help="Also log request and response bodies: customer text ends up in the log.")
def command(host, port, token, allow_origins, max_body, config_path, plugins_dir, languagetool,
            log_requests, log_bodies):
    """Serve the JSON API (POST /v1/lint) and a page to check a draft by hand (GET /)."""
    import logging
    import signal
    import threading

    from ..cli import EXIT_USAGE, _base_config
    from ..config import ConfigError
    from .server import Settings, SettingsError, make_server

    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="replylint serve: %(levelname)s: %(message)s")
    logging.getLogger("replylint.service").setLevel(logging.INFO)
    settings = Settings(host=host, port=port, token=token or None,
                        allow_origins=tuple(allow_origins), max_body=max_body,
                        log_requests=log_requests, log_bodies=log_bodies)
    try:
        config = _base_config(config_path).with_cli(plugins_dir=plugins_dir,
                                                    languagetool=languagetool)
        server = make_server(settings, config)
    except (SettingsError, ConfigError) as e:
        click.echo(f"replylint: error: {e}", err=True)
        sys.exit(EXIT_USAGE)
    except OSError as e:
        click.echo(f"replylint: error: cannot listen on {host}:{port}: {e.strerror or e}",
                   err=True)
        sys.exit(EXIT_USAGE)
    for message in server.service.plugin_errors:
        click.echo(f"replylint: plugin error: {message}", err=True)
    if log_bodies:
        click.echo("replylint: warning: --log-bodies writes customer text to the log", err=True)
    click.echo(f"replylint: serving on {server.url} (POST {server.url}v1/lint; "
               "Ctrl-C stops)", err=True)

    def stop(signum, frame):  # shutdown() waits for serve_forever: call it from elsewhere
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    click.echo("replylint: stopped", err=True)
