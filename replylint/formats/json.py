"""``--format json``: the versioned contract integrations rely on (docs/json-output.md)."""

from __future__ import annotations

import json

from ..hookspecs import hookimpl
from . import Formatter


def write_json(result, out, color):
    json.dump(result.to_json(), out, ensure_ascii=False, indent=2)
    out.write("\n")


@hookimpl
def register_formatters(register):
    register(Formatter("json", write_json, "versioned JSON for integrations"))
