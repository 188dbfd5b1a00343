"""The ``placeholders`` family: merge fields and fill-ins left in a reply."""

from __future__ import annotations

from ..hookspecs import hookimpl
from ..model import AUTHOR_ZONES, Hit, Severity, check

SYNTAX_NAMES = {
    "liquid": "merge field",
    "helpscout": "Help Scout merge field",
    "merge-tag": "merge tag",
    "fill-in": "fill-in",
}


@check("placeholders.unfilled", "PLH001", Severity.ERROR, kinds=("draft",))
def unfilled(doc, options):
    """A draft about to be sent still contains a placeholder.

    ## What it does
    Flags merge fields (`{{ticket.requester.first_name}}`, `{%customer.firstName%}`,
    `{{first_name | fallback: "there"}}`, `*|FNAME|*`) and human fill-ins (`[Customer Name]`,
    `[NAME]`, `<name>`, `XXX`, `FILLIN`, `TODO`, "lorem ipsum") in a draft, outside the
    customer's quoted message and the signature.

    ## Why is this bad?
    A reply that greets "Hi {{first_name}}" or promises a refund "by [DATE]" tells the customer
    they got a form letter nobody read. In a macro these are expected (the helpdesk fills them
    in), so this rule only looks at drafts.

    ## Example
    ```text
    Hi [Customer Name],

    Your refund of XXX was issued today.
    ```

    ## Use instead
    ```text
    Hi Dana,

    Your refund of $42.50 was issued today.
    ```
    """
    for p in doc.placeholders:
        if doc.zone_at(p.start) in AUTHOR_ZONES:
            text = doc.text[p.start : p.end]
            kind = SYNTAX_NAMES.get(p.syntax, "placeholder")
            yield Hit(p.start, p.end, f"Unfilled {kind} {text!r}: fill it in before sending")


@hookimpl
def register_checks(register, config):
    register(unfilled)
