"""Example drop-in plugin (Python): links in a reply that the customer cannot open.

Drop a file like this into ``plugins/`` beside your config and its rules run with the
built-ins. It uses only the public API: ``check``, ``Hit``, ``Option``, ``hookimpl``.
"""

from __future__ import annotations

import fnmatch
import re
from urllib.parse import urlsplit

from replylint import Hit, Option, Severity, check, hookimpl

URL = re.compile(r"\bhttps?://[^\s<>()\"']{1,2000}")


@check(
    "house.internal-link",
    "HOU001",
    Severity.ERROR,
    options=[
        Option("hosts", list, ["localhost", "127.0.0.1", "*.internal", "*.corp", "*.local"],
               "host globs that only staff can reach"),
        Option("paths", list, ["/agent/*", "/admin/*"], "path globs of staff-only pages"),
    ],
)
def internal_link(doc, options):
    """A link points at a staff-only page the customer cannot open.

    ## What it does
    Flags URLs in the author's text whose host matches `hosts` (an intranet, `localhost`) or
    whose path matches `paths` (the helpdesk's agent view, an admin page).

    ## Why is this bad?
    The customer clicks, gets a login wall or an error, and now has two problems. Agents paste
    these links by accident when they copy from their own browser tab.

    ## Example
    ```text
    You can follow the progress here: https://acme.zendesk.com/agent/tickets/4411
    ```

    ## Use instead
    ```text
    You can follow the progress here: https://acme.zendesk.com/hc/requests/4411
    ```
    """
    for m in URL.finditer(doc.author_text):
        url = m.group().rstrip(".,;:!?")
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if any(fnmatch.fnmatch(host, g) for g in options["hosts"]) or any(
            fnmatch.fnmatch(parts.path, g) for g in options["paths"]
        ):
            yield Hit(m.start(), m.start() + len(url), f"{host}{parts.path} is a staff-only link")


@hookimpl
def register_checks(register, config):
    register(internal_link)
