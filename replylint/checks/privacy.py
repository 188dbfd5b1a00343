"""The ``privacy`` family: secrets and personal data the author is about to send by email.

Every rule reads ``Document.author_text``, not ``Document.prose``: prose blanks URLs and
`code` spans because they are not wording, but a card number pasted in backticks or an API key
in a link's query string leaves the building just the same. Quoted history, the signature and
template placeholders stay out of scope (the customer's own message is theirs to send).

Every hit is ``sensitive=True``, so output shows only the last four characters of the match,
and no message ever repeats any part of the secret. The regular expressions use bounded
repetitions only, and never repeat a group that could match the same text in two ways, so a
hostile draft cannot make them backtrack for long (tests/test_privacy.py feeds them 100 kB of
worst cases).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator

from ..hookspecs import hookimpl
from ..model import Document, Hit, Option, Severity, check, mask
from ..phrasescan import Prefiltered

# --------------------------------------------------------------------------------------------
# shared helpers

#: Words that, just before a number, say what kind of number it is.
_LABEL = re.compile(
    r"\b(?:(?P<card>(?:credit|debit|payment|bank|visa|master ?card|amex|american express|"
    r"discover|jcb|diners(?: club)?|union ?pay|maestro|mir)(?: card)?|cards?|cc|pan|paid|"
    r"charged|billed|refund(?:ed)?|ending)"
    r"|(?P<ssn>ssn|ss#|social security|social)"
    r"|(?P<id>orders?|order ?(?:no|id)|tracking|track|trace|invoices?|inv|tickets?|cases?|"
    r"references?|ref|confirmation|booking|reservation|receipts?|transactions?|txn|"
    r"shipments?|parcels?|packages?|waybill|awb|consignment|phone|call|tel|telephone|fax|"
    r"mobile|cell|whatsapp|sms|imei|serial|s/n|model|sku|part number|product (?:id|number)|"
    r"customer (?:id|number)|member(?:ship)?|loyalty|claim|rma|po|purchase order|"
    r"incident|ups|usps|fedex|dhl|royal mail|canada post|isbn|ean|upc|barcode))\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


def _label_before(text: str, start: int, window: int = 48) -> str | None:
    """The kind (card, ssn, id) of the last label word shortly before ``start``, same sentence."""
    lo = max(0, start - window)
    before = text[lo:start]
    ends = [m.end() for m in _SENTENCE_END.finditer(before)]
    if ends:
        before = before[ends[-1]:]
    kind = None
    for m in _LABEL.finditer(before):
        kind = m.lastgroup
    if kind is None and before.rstrip().endswith("#"):
        return "id"  # "#12345…": a number sign marks an identifier ("order #…", "ticket #…")
    return kind


def _compact(value: str) -> str:
    return re.sub(r"[\s-]", "", value).upper()


def _allowed(value: str, allow: list[str]) -> bool:
    return _compact(value) in {_compact(a) for a in allow}


ALLOW = Option("allow", list, [], "values that are fine to send (compared without spaces or "
               "dashes), e.g. your company's own account for bank transfers")

# --------------------------------------------------------------------------------------------
# PRV001 payment card numbers

#: 13-19 digits, plain or in the groupings printed on cards (4-4-4-4[-3], Amex 4-6-5,
#: Diners 4-6-4), one separator throughout; not part of a longer number, word or URL path.
CARD = Prefiltered(re.compile(
    r"(?<![\w+/.,-])"
    r"(?:(?P<grouped>\d{4}(?P<s1>[ -])\d{4}(?P=s1)\d{4}(?P=s1)\d{1,4}(?:(?P=s1)\d{1,3})?"
    r"(?!(?P=s1)\d{3})|\d{4}(?P<s2>[ -])\d{6}(?P=s2)\d{4,5}(?!(?P=s2)\d{3}))"
    r"|(?P<plain>\d{13,19}))"
    r"(?![\w/]|[.,-]\d)"
))

#: (name, prefix ranges as (low, high) over the same number of leading digits, lengths)
ISSUERS: tuple[tuple[str, tuple[tuple[str, str], ...], frozenset[int]], ...] = (
    ("Visa", (("4", "4"),), frozenset({13, 16, 19})),
    ("Mastercard", (("51", "55"), ("2221", "2720")), frozenset({16})),
    ("American Express", (("34", "34"), ("37", "37")), frozenset({15})),
    ("Discover", (("6011", "6011"), ("644", "649"), ("65", "65")), frozenset(range(16, 20))),
    ("JCB", (("3528", "3589"),), frozenset(range(16, 20))),
    ("Diners Club", (("300", "305"), ("3095", "3095"), ("36", "36"), ("38", "39")),
     frozenset(range(14, 20))),
    ("UnionPay", (("62", "62"),), frozenset(range(16, 20))),
    ("Maestro", (("5018", "5018"), ("5020", "5020"), ("5038", "5038"), ("5893", "5893"),
                 ("6304", "6304"), ("6759", "6759"), ("6761", "6763")),
     frozenset(range(13, 20))),
    ("Mir", (("2200", "2204"),), frozenset(range(16, 20))),
)


def card_issuer(digits: str) -> str | None:
    """The card scheme whose prefix and length fit ``digits``, or None."""
    for name, ranges, lengths in ISSUERS:
        if len(digits) not in lengths:
            continue
        for low, high in ranges:
            if low <= digits[: len(low)] <= high:
                return name
    return None


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


@check("privacy.card-number", "PRV001", Severity.ERROR, options=[ALLOW])
def card_number(doc: Document, options) -> Iterator[Hit]:
    """Payment card number: a full card number written in the reply.

    ## What it does
    Flags 13 to 19 digits, written plainly or in the groupings printed on cards (`4-4-4-4`,
    Amex `4-6-5`, Diners `4-6-4`, with spaces or dashes), that pass the Luhn checksum and
    start with a real issuer prefix of the right length: Visa, Mastercard (51–55,
    2221–2720), American Express, Discover, JCB, Diners Club, UnionPay, Maestro and Mir.

    A plain run of digits right after a word that names another kind of number — "order",
    "tracking", "invoice", "ticket", "reference", "phone", "call", "#" … — is taken as that
    identifier. A number in card groupings, or nearer to "card", "Visa", "paid", "charged"
    than to any such word, is flagged whatever else the sentence mentions: a card number
    next to the word "order" is still a card number. Digits inside a URL path are ids, not
    cards, and are skipped; a number in a query string (`?card=…`) is not.

    ## Why is this bad?
    Email is stored in plain text on many servers and forwarded freely. PCI DSS forbids
    sending a card number unencrypted over end-user messaging such as email or chat, and the
    customer's money is at risk for as long as the message exists. Refer to a card by its
    last four digits.

    ## Example
    ```text
    The refund went back to your card 4111 1111 1111 1111 this morning.
    ```

    ## Use instead
    ```text
    The refund went back to your Visa ending in 1111 this morning.
    ```
    """
    text = doc.author_text
    for m in CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        issuer = card_issuer(digits)
        if issuer is None or not luhn_ok(digits) or len(set(digits)) < 2:
            continue
        if m.group("grouped") and re.search(r"\d[ -]$", text[max(0, m.start() - 2):m.start()]):
            continue  # the tail of a longer grouped number (a USPS or DHL tracking number)
        if m.group("plain") and _label_before(text, m.start()) in ("id", "ssn"):
            continue
        if _allowed(m.group(), options["allow"]):
            continue
        yield Hit(m.start(), m.end(),
                  f"A full {issuer} card number: never send it by email; refer to the card "
                  "by its last four digits", replacements=(mask(m.group()),), sensitive=True)


# --------------------------------------------------------------------------------------------
# PRV002 IBANs

#: IBAN length per country (ISO 13616 registry).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22,
    "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
    "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}
#: Country code, two check digits, then 11-30 letters and digits with optional single spaces.
IBAN = Prefiltered(re.compile(
    r"(?<![\w/])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])"))


def iban_ok(compact: str) -> bool:
    """ISO 13616 / ISO 7064 mod-97-10: the rearranged IBAN as a number is 1 mod 97."""
    if IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact.isalnum():
        return False
    moved = compact[4:] + compact[:4]
    total = 0
    for ch in moved:
        total = (total * (100 if ch.isalpha() else 10) + int(ch, 36)) % 97
    return total == 1


def _iban_span(text: str, m: re.Match[str]) -> tuple[int, int] | None:
    """The span of the IBAN in a candidate that may run into the next capitalised word."""
    length = IBAN_LENGTHS.get(m.group()[:2])
    if length is None:
        return None
    seen = 0
    for i in range(m.start(), m.end()):
        if text[i] != " ":
            seen += 1
            if seen == length:
                end = i + 1
                if end < len(text) and text[end].isalnum():
                    return None
                return m.start(), end
    return None


@check("privacy.iban", "PRV002", Severity.ERROR, options=[ALLOW])
def iban(doc: Document, options) -> Iterator[Hit]:
    """IBAN: an international bank account number written in the reply.

    ## What it does
    Flags IBANs — a country code, two check digits and the national account number, with or
    without spaces — that have the right length for their country and pass the ISO 13616
    mod-97 checksum, so that reference numbers that merely look like one are left alone.

    If your team sends its *own* IBAN for bank transfers on purpose, list it in `allow`.

    ## Why is this bad?
    A customer's bank account number is personal financial data (GDPR, PSD2): repeating it in
    an email copies it to every mailbox and backup the thread reaches, and together with a
    name it is enough to set up fraudulent direct debits.

    ## Example
    ```text
    We will refund the deposit to GB82 WEST 1234 5698 7654 32 within five days.
    ```

    ## Use instead
    ```text
    We will refund the deposit to your account ending in 5432 within five days.
    ```
    """
    text = doc.author_text
    pos = 0
    while m := IBAN.search(text, pos):
        span = _iban_span(text, m)
        # the candidate may have run on into the next capitalised word or IBAN: go on from
        # the end of the IBAN it starts with, not from the end of the candidate
        pos = span[1] if span else m.start() + 1
        if span is None:
            continue
        value = text[span[0]:span[1]]
        compact = value.replace(" ", "")
        if not iban_ok(compact):
            pos = m.start() + 1
            continue
        if _allowed(value, options["allow"]):
            continue
        yield Hit(span[0], span[1],
                  f"A bank account number (IBAN, {compact[:2]}): refer to it by its last four "
                  "characters instead", replacements=(mask(value),), sensitive=True)


# --------------------------------------------------------------------------------------------
# PRV003 US social security numbers

SSN = Prefiltered(re.compile(
    r"(?<![\w+/.,-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w/]|[.,-]\d)"))
#: "SSN 123456789", "social security number: 123 45 6789" (any separator after a label)
SSN_LABELLED = Prefiltered(re.compile(
    r"\b(?:ssn|ss#|social security(?: (?:number|no\.?|#))?)(?: (?:number|is|was|of))?"
    r"[\s:#=]{0,3}(?P<v>\d{9}|\d{3}([- ])\d{2}\2\d{4})(?![\w/]|[.,-]\d)",
    re.IGNORECASE,
))


#: numbers printed in adverts and examples, voided by the SSA or never issued
EXAMPLE_SSNS = frozenset({"078051120", "219099999", "457555462", "123456789"})


def ssn_ok(area: str, group: str, serial: str) -> bool:
    """SSA rules: no area 000, 666 or 900-999, no group 00, no serial 0000; no example."""
    return (area not in ("000", "666") and area[0] != "9" and group != "00"
            and serial != "0000" and area + group + serial not in EXAMPLE_SSNS)


_SSN_MESSAGE = ("A US Social Security number: never send it by email; refer to it by its "
                "last four digits")


@check("privacy.ssn", "PRV003", Severity.ERROR, options=[ALLOW])
def ssn(doc: Document, options) -> Iterator[Hit]:
    """US Social Security number written in the reply.

    ## What it does
    Flags `AAA-GG-SSSS` written with dashes or spaces, and nine digits right after "SSN" or
    "social security number", when the parts are ones the Social Security Administration
    issues (no area 000, 666 or 900–999 — the last are ITINs and test numbers — no group 00,
    no serial 0000). A bare nine-digit number is not flagged, nor one right after a word
    such as "order", "ticket" or "phone" that says it is something else.

    ## Why is this bad?
    An SSN is the key to a person's credit and tax records in the US; with a name it is enough
    for identity theft, and email keeps it forever. Many states require breach notification
    when one is exposed.

    ## Example
    ```text
    I have updated the record for SSN 219-09-9998 as you asked.
    ```

    ## Use instead
    ```text
    I have updated the record for the SSN ending in 9998 as you asked.
    ```
    """
    text = doc.author_text
    seen: set[int] = set()
    for m in SSN_LABELLED.finditer(text):
        v = m.group("v")
        digits = re.sub(r"\D", "", v)
        if ssn_ok(digits[:3], digits[3:5], digits[5:]) and not _allowed(v, options["allow"]):
            seen.add(m.start("v"))
            yield Hit(m.start("v"), m.end("v"), _SSN_MESSAGE, replacements=(mask(v),),
                      sensitive=True)
    for m in SSN.finditer(text):
        if m.start() in seen or not ssn_ok(m.group(1), m.group(3), m.group(4)):
            continue
        if m.group(2) == " " and (re.search(r"\d[ -]?$", text[max(0, m.start() - 2):m.start()])
                                  or re.match(r"[ -]\d", text[m.end():m.end() + 2])):
            continue  # one group of a longer spaced number (a phone number, a card)
        if _label_before(text, m.start()) == "id" or _allowed(m.group(), options["allow"]):
            continue
        yield Hit(m.start(), m.end(), _SSN_MESSAGE, replacements=(mask(m.group()),),
                  sensitive=True)


# --------------------------------------------------------------------------------------------
# PRV004 credentials (passwords, PINs, one-time codes)

_KEY_PASSWORD = (r"(?:(?:temporary|temp|new|default|initial|one[- ]time|current|your|the|"
                 r"account|login|admin|wi-?fi|router|app|portal)\s{1,3})?"
                 r"(?:pass ?words?|passphrase|pwd|pw)")
_KEY_PIN = r"(?:pin(?: ?(?:code|number|no\.?))?|passcode|pass code)"
_KEY_CODE = (r"(?:(?:verification|security|one[- ]time|otp|2fa|two[- ]factor|mfa|login|"
             r"log-in|sign[- ]in|access|auth|authentication|authori[sz]ation|backup|recovery|"
             r"unlock|puk)(?: ?code)|otp|puk|cvv2?|cvc2?|cvn|csc)")
_CONNECT = (r"(?:\s{0,3}(?:is|was|will be|=|:|(?<=\s)[-\u2013\u2014](?=\s)|"
            r"has been (?:re)?set to|(?:was |is )?"
            r"(?:re)?set to|changed to)\s{0,3}(?:(?:now|still|currently|just)\s{1,3})?"
            r"|\s{1,3}(?=\d))")  # "PIN 4821", "CVV 123": digits straight after the keyword
CREDENTIAL = Prefiltered(re.compile(
    # "I've reset your password to …": a verb before the keyword, then "to"
    r"\b(?P<verb>(?:re)?set|changed?|updated?|made)?(?(verb)\s{1,3}(?:[\w-]{1,12}\s{1,3}){0,2})"
    rf"(?:(?P<pw>{_KEY_PASSWORD})|(?P<pin>{_KEY_PIN})|(?P<code>{_KEY_CODE}))"
    rf"(?(verb)\s{{1,3}}to\s{{1,3}}|(?: (?:for|to|of) (?:your |the )?[\w-]{{1,20}}"
    rf"(?: [\w-]{{1,20}})?)?(?P<connect>{_CONNECT}))"
    r"(?:(?P<q>[\"'`\u201c\u2018\u00ab])(?P<qv>[^\s\"'`\u201d\u2019\u00bb]{3,64})"
    r"(?:[\"'`\u201d\u2019\u00bb])|(?P<v>[^\s\"'`]{3,64}))",
    re.IGNORECASE,
))
#: https://user:secret@host — the password part of a URL's user information
URL_USERINFO = Prefiltered(re.compile(r"\b[a-z][a-z0-9+.-]{1,15}://[^\s:/@<>\"']{1,64}:"
                          r"(?P<v>[^\s@/<>\"']{1,128})@[\w-]", re.IGNORECASE))
#: web addresses and paths, where "password" is a word of a help article's slug
_ADDRESS_SPAN = re.compile(
    r"\b[a-z][a-z0-9+.-]{1,15}://[^\s<>\"']{1,2000}|\bwww\.[^\s<>\"']{1,2000}"
    r"|\b[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[a-z]{2,24}/[^\s<>\"']{0,2000}"
    r"|(?<![^\s(\[<\"'])/[\w.~%-]{1,200}/[^\s<>\"']{0,2000}", re.IGNORECASE)
_TRAILING = ".,;:!?)]}>"
_HYPHENATED_WORDS = re.compile(r"[A-Za-z]{1,30}(?:[-'][A-Za-z]{1,30}){1,8}")
_MASKED = re.compile(r"[*\u2022xX#.\-_]+")


def _looks_like_password(value: str, quoted: bool) -> bool:
    """A value after "password is" is a password, not a word ("reset", "case-sensitive")."""
    if _MASKED.fullmatch(value) or value[0] in "[<{(" or "://" in value or "@" in value:
        return False
    if quoted:
        return len(value) >= 4
    if len(value) < 6 or _HYPHENATED_WORDS.fullmatch(value):
        return False
    has_digit = any(c.isdigit() for c in value)
    has_symbol = any(not c.isalnum() for c in value)
    inner_upper = any(c.isupper() for c in value[1:]) and any(c.islower() for c in value)
    return has_digit or has_symbol or inner_upper


def _code_value(value: str, kind: str) -> bool:
    if kind == "pin":
        return value.isdigit() and 4 <= len(value) <= 8
    if value.isdigit():
        return 3 <= len(value) <= 10
    # alphanumeric one-time and backup codes: "7GQ2-KX9P", "a8f3kd"
    core = value.replace("-", "")
    return (6 <= len(core) <= 16 and core.isalnum()
            and any(c.isdigit() for c in core) and any(c.isalpha() for c in core))


@check("privacy.credential", "PRV004", Severity.ERROR, options=[ALLOW])
def credential(doc: Document, options) -> Iterator[Hit]:
    """Credential: a password, PIN or one-time code given in the reply.

    ## What it does
    Flags the value in "your temporary password is …", "password: …", "login: dana /
    password: …", "I've reset your password to …", "your PIN is 4821", "PIN 4821",
    "verification code: 482913", "CVV 123", and the password in a link such as
    `https://dana:…@example.com`. Only the value is reported.

    A value counts when it is quoted, or when it looks like a secret rather than a word:
    digits, symbols or mixed case for passwords (so "your password is case-sensitive" and
    "the password is reset" are fine), 4–8 digits for a PIN, digits or a letter-and-digit
    code for one-time, verification, backup and security codes. Masked values (`••••••`)
    and fill-ins (`[PASSWORD]`) are skipped, and so are tokens with a known key format,
    which `privacy.api-key` reports.

    Only a value counts, never the word: "password" or "PIN" inside a link or path
    (`https://help.example.com/articles/password-reset2`, `example.com/account/pin-4821`) or
    inside a slug or identifier (`reset-your-password-form`, `user_pin`) names a topic, not a
    secret, and prose about passwords ("reset your password", "the password you chose") has
    no value. A dash between the word and a value counts only with spaces around it
    ("password – Harbor-2291x"). In a link, only a query parameter (`?password=…`) is a
    value.

    One-time codes are flagged too: an agent never needs to know a customer's code, and
    reading one out is what an impostor asks for — send the customer to the sign-in page,
    which sends the code itself.

    ## Why is this bad?
    Whoever reads the mail — a shared inbox, a forwarded thread, a compromised account — can
    sign in as the customer. Passwords in email also teach customers that sending them is
    normal, which is exactly what phishing relies on.

    ## Example
    ```text
    I've reset your account: your temporary password is Tulip-4827! and your PIN is 6012.
    ```

    ## Use instead
    ```text
    I've sent a password reset link to the address on your account; it expires in an hour.
    ```
    """
    text = doc.author_text
    addresses: tuple[list[int], list[int]] | None = None  # found when a match first needs it

    def in_address(at: int) -> bool:
        nonlocal addresses
        if addresses is None:
            spans = [a.span() for a in _ADDRESS_SPAN.finditer(text)]
            addresses = [s for s, _ in spans], [e for _, e in spans]
        return _inside(addresses, at)

    for m in CREDENTIAL.finditer(text):
        key = next(k for k in ("pw", "pin", "code") if m.group(k) is not None)
        at = m.start(key)
        if (at > 0 and (text[at - 1] in "/\\_.=" or (text[at - 1] == "-" and at > 1
                                                       and text[at - 2].isalnum()))):
            continue  # a word of a slug or an identifier: "reset-your-password", "user_pin"
        if in_address(at) and not (text[at - 1] in "?&" and (m.group("connect") or "")
                                   .strip() == "="):
            continue  # "…/articles/password-reset": a link names the topic, not a secret
        quoted = m.group("qv") is not None
        start, end = m.span("qv") if quoted else m.span("v")
        value = text[start:end]
        if not quoted:
            stripped = value.rstrip(_TRAILING)
            if value[-1] in "!?" and re.match(r" [a-z]", text[end:end + 2]):
                stripped = value  # "is Tulip-4827! and …": the "!" is part of the password
            end -= len(value) - len(stripped)
            value = stripped
            if not value:
                continue
        kind = "pw" if m.group("pw") else "pin" if m.group("pin") else "code"
        if kind == "pw":
            # "password Xk9…" with nothing between is too loose: ask for "is", ":" or "to"
            ok = (m.group("verb") or m.group("connect").strip()) and _looks_like_password(
                value, quoted)
        else:
            ok = _code_value(value, kind)
        if not ok or _known_key(value) or _allowed(value, options["allow"]):
            continue
        what = {"pw": "password", "pin": "PIN", "code": "security or one-time code"}[kind]
        yield Hit(start, end, f"A {what} written in the reply: send a reset link or let the "
                  "customer set it themselves; never send credentials by email", sensitive=True)
    for m in URL_USERINFO.finditer(text):
        value = m.group("v")
        if _MASKED.fullmatch(value) or value[0] in "[<{" or _allowed(value, options["allow"]):
            continue
        yield Hit(m.start("v"), m.end("v"), "A password inside a link: anyone who sees the "
                  "link can sign in; remove it and share access another way", sensitive=True)


# --------------------------------------------------------------------------------------------
# PRV005 API keys and tokens

#: (what it is, pattern) — formats published by each provider; the whole match is the secret.
KEY_FORMATS: tuple[tuple[str, Prefiltered], ...] = tuple(
    (what, Prefiltered(re.compile(pattern))) for what, pattern in (
        ("an AWS access key ID",
         r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)"
         r"[A-Z0-9]{16}(?![A-Za-z0-9])"),
        ("a GitHub token", r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])"),
        ("a GitHub token", r"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,255}(?![A-Za-z0-9_])"),
        ("a GitLab token", r"(?<![A-Za-z0-9_])glpat-[A-Za-z0-9_-]{20,64}(?![A-Za-z0-9_-])"),
        ("a Slack token", r"(?<![A-Za-z0-9])xox[abposre]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9-])"),
        ("a Slack webhook URL",
         r"https://hooks\.slack\.com/services/T[A-Z0-9]{6,12}/B[A-Z0-9]{6,12}/[A-Za-z0-9]{20,40}"),
        ("a Stripe secret key",
         r"(?<![A-Za-z0-9_])(?:sk|rk)_live_[A-Za-z0-9]{16,247}(?![A-Za-z0-9_])"),
        ("a Stripe test-mode secret key",
         r"(?<![A-Za-z0-9_])(?:sk|rk)_test_[A-Za-z0-9]{16,247}(?![A-Za-z0-9_])"),
        ("a Stripe webhook secret", r"(?<![A-Za-z0-9_])whsec_[A-Za-z0-9]{24,64}(?![A-Za-z0-9_])"),
        ("a Google API key", r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])"),
        ("an Anthropic API key",
         r"(?<![A-Za-z0-9_-])sk-ant-[a-z]{2,8}\d{2}-[A-Za-z0-9_-]{40,120}(?![A-Za-z0-9_-])"),
        ("an OpenAI API key",
         r"(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,160}T3BlbkFJ"
         r"[A-Za-z0-9_-]{20,160}(?![A-Za-z0-9_-])"),
        ("an OpenAI API key",
         r"(?<![A-Za-z0-9_-])sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,200}(?![A-Za-z0-9_-])"),
        ("an OpenAI API key", r"(?<![A-Za-z0-9_-])sk-[A-Za-z0-9]{48}(?![A-Za-z0-9_-])"),
        ("a Twilio API key", r"(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![A-Za-z0-9])"),
        ("a SendGrid API key",
         r"(?<![A-Za-z0-9])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])"),
        ("a Mailchimp API key", r"(?<![A-Za-z0-9])[0-9a-f]{32}-us\d{1,2}(?![A-Za-z0-9])"),
        ("an npm token", r"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])"),
        ("a PyPI token", r"(?<![A-Za-z0-9_-])pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,250}"),
        ("a Shopify access token",
         r"(?<![A-Za-z0-9_])shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9_])"),
        ("a DigitalOcean token", r"(?<![A-Za-z0-9_])do[opr]_v1_[a-f0-9]{64}(?![A-Za-z0-9_])"),
        ("a Square access token",
         r"(?<![A-Za-z0-9_-])(?:sq0atp|sq0csp|EAAA)[A-Za-z0-9_-]{22,60}(?![A-Za-z0-9_-])"),
        ("a Telegram bot token",
         r"(?<![\w:/])\d{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])"),
        ("a JSON Web Token",
         r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,4000}\."
         r"[A-Za-z0-9_-]{0,1000}(?![A-Za-z0-9_-])"),
    )
)
PRIVATE_KEY = Prefiltered(re.compile(
    r"-----BEGIN (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?-----"))
PRIVATE_KEY_END = re.compile(r"-----END (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?-----")
#: ?access_token=…, &api_key=… — query parameters whose value is a credential
QUERY_SECRET = Prefiltered(re.compile(
    r"[?&](?:access_token|refresh_token|id_token|auth_token|api_key|apikey|api-key|"
    r"client_secret|private_token|secret|secret_key|password|passwd|pwd)="
    r"(?P<v>[^\s&#\"'<>]{8,512})", re.IGNORECASE))
#: "API key: …", "secret = …", "Bearer …": a value given as a key or token by name
NAMED_SECRET = Prefiltered(re.compile(
    r"\b(?:(?:api|access|secret|private|client|app|auth|signing|webhook|master)[ _-]?"
    r"(?:key|token|secret)|(?:(?:refresh|bearer|personal access|session) ?)?token|secret|"
    r"bearer)(?: (?:is|was))?[\s:=]{0,3}[\"'`]?"
    r"(?P<v>[A-Za-z0-9+/_.=-]{16,512})", re.IGNORECASE))
#: a stand-alone token that could be random: base64/base62 characters, 20 or more
TOKEN = re.compile(r"(?<![A-Za-z0-9+/_=.@-])[A-Za-z0-9+/_-]{20,512}={0,2}(?![A-Za-z0-9+/_=@-])")
#: stretches that carry opaque ids but no entropy-checked secret: URLs of any scheme
#: (``upload://…``, ``s3://…`` name files), emails, data URIs
_OPAQUE = re.compile(
    r"\b(?:[a-z][a-z0-9+.-]{1,15}://|www\.)[^\s<>\"']{1,2000}"
    r"|data:[\w/+.-]{1,60};base64,[A-Za-z0-9+/=]{1,100000}"
    r"|[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}", re.IGNORECASE)
#: keys that are public by design (Stripe publishable keys go in web pages)
PUBLIC_KEY = re.compile(r"pk_(?:live|test)_[A-Za-z0-9]{16,247}")
STRIPE_TEST = re.compile(r"(?:sk|rk)_test_[A-Za-z0-9]{16,247}")
_WORDY = re.compile(r"[A-Z]?[a-z]{3,}|[A-Z]{4,}")
_PREFIXED_HEX = re.compile(r"[A-Za-z]{1,4}[_-]?(?:[0-9a-f]{16,512}|[0-9A-F]{16,512})")


def _known_key(value: str) -> bool:
    return any(p.fullmatch(value) for _, p in KEY_FORMATS)


def shannon_entropy(value: str) -> float:
    """Bits per character of the character distribution of ``value``."""
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def _random_looking(value: str, threshold: float) -> bool:
    """Mixed letters and digits, high entropy and not made of words (base62/base64 secrets)."""
    core = value.rstrip("=")
    if _PREFIXED_HEX.fullmatch(core):
        return False  # an id in hex with a type prefix (Twilio "AC…" account SIDs)
    if not (sum(c.isupper() for c in core) >= 3 and sum(c.islower() for c in core) >= 3
            and sum(c.isdigit() for c in core) >= 2):
        return False
    if shannon_entropy(core) < threshold:
        return False
    words = sum(len(w) for w in _WORDY.findall(core) if re.search(r"[aeiouyAEIOUY]", w))
    return words < len(core) * 0.4


def _labelled_value(value: str) -> bool:
    """A value given as a key or token by name: long, not a word, not a URL."""
    core = value.rstrip(_TRAILING + "=")
    if len(core) < 16 or "://" in core or "@" in core:
        return False
    if not (any(c.isdigit() for c in core) and any(c.isalpha() for c in core)):
        return False
    if _HYPHENATED_WORDS.fullmatch(core) or core.lower().startswith("www."):
        return False
    return shannon_entropy(core) >= 3.0


def _inside(spans: tuple[list[int], list[int]], at: int) -> bool:
    """Whether ``at`` lies in one of the spans (starts and ends of ``finditer`` matches: in
    order and apart, so only the last starting at or before ``at`` can hold it)."""
    starts, ends = spans
    i = bisect_right(starts, at) - 1
    return i >= 0 and at < ends[i]


@check("privacy.api-key", "PRV005", Severity.ERROR, options=[
    ALLOW,
    Option("entropy_threshold", float, 3.7, "bits per character a stand-alone token of 20 or "
           "more characters needs to be taken as a secret"),
    Option("test_keys", bool, True, "also flag test-mode keys (Stripe `sk_test_`)"),
])
def api_key(doc: Document, options) -> Iterator[Hit]:
    """API key or token: a machine credential pasted into the reply.

    ## What it does
    Flags, in order of confidence:

    - keys in a format their provider publishes: AWS access key IDs (`AKIA…`, `ASIA…`),
      GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), GitLab `glpat-`, Slack
      tokens (`xoxb-`, `xoxp-` …) and webhook URLs, Stripe secret and restricted keys
      (`sk_live_`, `rk_live_`; test-mode `sk_test_` too unless `test_keys` is off —
      publishable `pk_` keys are public by design), Google `AIza…`, OpenAI `sk-…`, Anthropic
      `sk-ant-…`, Twilio `SK…`, SendGrid `SG.…`, Mailchimp, npm, PyPI, Shopify, DigitalOcean,
      Square, Telegram bot tokens, JSON Web Tokens (`eyJ….eyJ….…`) and private key blocks
      (`-----BEGIN … PRIVATE KEY-----`);
    - a credential in a link's query string (`?access_token=…`, `&api_key=…`,
      `client_secret=…`);
    - a value given by name: "API key: …", "secret = …", "Bearer …";
    - a stand-alone token of 20 or more characters that mixes upper case, lower case and
      digits, has a character entropy of at least `entropy_threshold` bits and is not made of
      words.

    Left alone: tokens inside URLs of any scheme (`https://`, `upload://`, `s3://`) other
    than the credential parameters above (video ids,
    short links and tracking parameters look random but are not secrets), email addresses,
    `data:` images, and identifiers written in one case — order numbers, tracking numbers
    (UPS `1Z…`, USPS, FedEx, DHL), product keys, UUIDs and git commit hashes — unless they are
    given by name as a key or token.

    ## Why is this bad?
    A key in an email works for anyone who reads it, for as long as it is valid, and email is
    archived, forwarded and searched. A leaked key has to be revoked and replaced, and
    everything done with it in the meantime investigated.

    ## Example
    ```text
    Use this key for the import: AKIAIOSFODNN7EXAMPLE, and let me know how it goes.
    ```

    ## Use instead
    ```text
    Create a key of your own under Settings → API keys and paste it into the import tool.
    ```
    """
    text = doc.author_text
    allow = options["allow"]
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    def hit(start: int, end: int, what: str) -> Hit:
        taken.append((start, end))
        return Hit(start, end, f"{what[0].upper()}{what[1:]} in the reply: remove it, and "
                   "revoke it if it was ever sent", sensitive=True)

    for m in PRIVATE_KEY.finditer(text):
        end_m = PRIVATE_KEY_END.search(text, m.end(), m.end() + 20000)
        if end_m:
            end = end_m.end()
        else:  # no END line: the key runs over the following base64 lines
            end = m.end()
            for line in re.finditer(r"\n([A-Za-z0-9+/=:,\t -]{1,200})(?=\n|$)",
                                    text[m.end():m.end() + 20000]):
                if line.start() != end - m.end():
                    break
                end = m.end() + line.end()
        if free(m.start(), end):
            yield hit(m.start(), end, "a private key")
    for what, pattern in KEY_FORMATS:
        if "test-mode" in what and not options["test_keys"]:
            continue
        for m in pattern.finditer(text):
            if free(m.start(), m.end()) and not _allowed(m.group(), allow):
                yield hit(m.start(), m.end(), what)
    for regex, what, test in ((QUERY_SECRET, "a credential in a link", _labelled_value),
                              (NAMED_SECRET, "a key or token", _labelled_value)):
        for m in regex.finditer(text):
            start, end = m.span("v")
            value = m.group("v").rstrip(_TRAILING)
            end = start + len(value)
            if regex is NAMED_SECRET and "=" in value.rstrip("="):
                continue
            if test(value) and free(start, end) and not _allowed(value, allow):
                yield hit(start, end, what)
    opaque: tuple[list[int], list[int]] | None = None  # found when a token first needs it
    for m in TOKEN.finditer(text):
        if opaque is None:
            spans = [o.span() for o in _OPAQUE.finditer(text)]
            opaque = [s for s, _ in spans], [e for _, e in spans]
        if (_inside(opaque, m.start()) or not free(m.start(), m.end())
                or PUBLIC_KEY.fullmatch(m.group())
                or (not options["test_keys"] and STRIPE_TEST.fullmatch(m.group()))):
            continue
        if _random_looking(m.group(), options["entropy_threshold"]) and not _allowed(
                m.group(), allow):
            yield hit(m.start(), m.end(), "a key or token (a long random string)")


@hookimpl
def register_checks(register, config):
    for c in (card_number, iban, ssn, credential, api_key):
        register(c)
