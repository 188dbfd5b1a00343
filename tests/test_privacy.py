"""The privacy family on a labelled set of planted secrets and look-alikes, and the promise
that no output format ever prints a secret (only its last four characters)."""

import json
import re
from pathlib import Path

import pytest
import yaml

from replylint import lint
from replylint.checks import privacy
from replylint.testing import parse_marked

ROOT = Path(__file__).resolve().parents[1]
DATA = yaml.safe_load((ROOT / "tests" / "fixtures" / "privacy" / "labelled.yaml").read_text(
    encoding="utf-8"))
PLANTED = [(p["rule"], *parse_marked(p["text"])) for p in DATA["planted"]]
LOOKALIKES = [(x["text"], x["why"]) for x in DATA["lookalikes"]]
RULES = ("privacy.card-number", "privacy.iban", "privacy.ssn", "privacy.credential",
         "privacy.api-key")
CONFIG = {"select": ["privacy"]}


def privacy_findings(text):
    return [f for f in lint(text, config=CONFIG).findings if f.rule.startswith("privacy.")]


def secret_of(text, spans):
    (start, end), = spans
    return text[start:end]


def _flat(text):
    return re.sub(r"[\s\-\u2022]", "", text)


def leaks(secret, output, context=""):
    """Whether ``output`` shows more of ``secret`` than its last four letters and digits.

    True when the whole secret appears (also without its spaces and dashes), or eight
    characters in a row (all of it, if shorter) from the part before its last four letters
    and digits — unless they also occur in ``context``, the text around the secret, which
    output may quote. A secret of four letters and digits or fewer (a PIN) has nothing
    before them: see test_short_secrets_are_masked_entirely.
    """
    alnum_at = [i for i, c in enumerate(secret) if c.isalnum()]
    if len(alnum_at) <= 4:
        return False
    hidden = _flat(secret[: alnum_at[-4]])
    flat, around = _flat(output), _flat(context)
    n = min(8, len(hidden))
    windows = {hidden[i:i + n] for i in range(len(hidden) - n + 1)} if n >= 5 else set()
    return (secret in output or _flat(secret) in flat
            or any(w in flat and w not in around for w in windows))


def test_the_labelled_set_is_big_enough():
    assert len(PLANTED) >= 30 and len(LOOKALIKES) >= 30
    assert {rule for rule, _, _ in PLANTED} == set(RULES)
    assert all(len(spans) == 1 for _, _, spans in PLANTED)


@pytest.mark.parametrize("rule,text,spans", PLANTED, ids=lambda v: v if v in RULES else "")
def test_every_planted_secret_is_found_exactly(rule, text, spans):
    found = privacy_findings(text)
    assert [(f.rule, f.start, f.end) for f in found] == [(rule, *spans[0])]
    f = found[0]
    assert f.sensitive and f.severity.name == "ERROR"
    secret = secret_of(text, spans)
    for shown in (f.message, *f.replacements, f.match):
        assert not leaks(secret, shown)


@pytest.mark.parametrize("text,why", LOOKALIKES, ids=[w for _, w in LOOKALIKES])
def test_no_lookalike_is_flagged(text, why):
    assert [(f.rule, f.match) for f in privacy_findings(text)] == [], why


def test_counts(record_property, capsys):
    found = sum(
        [(f.rule, f.start, f.end) for f in privacy_findings(text)] == [(rule, *spans[0])]
        for rule, text, spans in PLANTED
    )
    flagged = sum(bool(privacy_findings(text)) for text, _ in LOOKALIKES)
    record_property("planted_found", f"{found}/{len(PLANTED)}")
    record_property("lookalikes_flagged", f"{flagged}/{len(LOOKALIKES)}")
    with capsys.disabled():
        print(f"\nprivacy: planted secrets found {found}/{len(PLANTED)}, "
              f"look-alikes flagged {flagged}/{len(LOOKALIKES)}")
    assert (found, flagged) == (len(PLANTED), 0)


# --- output never shows a secret ---------------------------------------------------------


@pytest.fixture(scope="module")
def planted_dir(tmp_path_factory):
    """One reply per planted secret, each a file, as an agent's drafts folder would be."""
    folder = tmp_path_factory.mktemp("drafts")
    for i, (_, text, _) in enumerate(PLANTED):
        (folder / f"reply{i:02d}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "github"])
def test_output_never_shows_a_planted_secret(fmt, planted_dir, run_cli):
    result = run_cli("check", "-f", fmt, "--select", "privacy", "--no-color", planted_dir,
                     cwd=planted_dir)
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert out.count("PRV00") >= len(PLANTED)
    # what output may quote: the planted replies without their secrets
    context = "\n".join(text.replace(secret_of(text, spans), " ") for _, text, spans in PLANTED)
    leaked = [secret_of(text, spans) for _, text, spans in PLANTED
              if leaks(secret_of(text, spans), out, context)]
    assert leaked == []
    if fmt == "json":
        matches = [f["match"] for d in json.loads(out)["documents"] for f in d["findings"]]
        assert len(matches) == len(PLANTED)
        # what is shown is the secret's last four letters or digits, the rest masked
        assert all(re.fullmatch(r"[^A-Za-z0-9]*(?:[A-Za-z0-9][^A-Za-z0-9]*){0,4}", m)
                   for m in matches)


MANY_SECRETS = ("Hi Dana,\n\nYour card 4111 1111 1111 1111 and PIN is 6012, obviously. "
                "I HAVE ALSO reset your password to Tulip-4827!!\n\nBest,\nAna\n")


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_no_output_shows_a_secret_even_beside_other_findings(fmt, write, run_cli):
    path = write("reply.txt", MANY_SECRETS)
    out = run_cli("check", "-f", fmt, "--no-color", path).stdout
    assert "PRV001" in out and "PRV004" in out
    for secret in ("4111 1111 1111 1111", "Tulip-4827"):
        assert not leaks(secret, out), secret


@pytest.mark.parametrize("text", ["Your new PIN is 6012.", "The verification code is 482913."])
def test_short_secrets_are_masked_entirely(text):
    (f,) = privacy_findings(text)
    assert sum(c.isalnum() for c in f.match) <= len(f.match) // 4


# --- units ---------------------------------------------------------------------------------


@pytest.mark.parametrize("number,issuer", [
    ("4111111111111111", "Visa"), ("5555555555554444", "Mastercard"),
    ("2223003122003222", "Mastercard"), ("378282246310005", "American Express"),
    ("6011111111111117", "Discover"), ("3530111333300000", "JCB"),
    ("30569309025904", "Diners Club"), ("6200000000000005", "UnionPay"),
    ("6759649826438453", "Maestro"), ("1234567890123452", None), ("378282246310", None),
])
def test_card_issuer(number, issuer):
    assert privacy.card_issuer(number) == issuer


def test_luhn_and_iban_checksums():
    assert privacy.luhn_ok("4111111111111111") and not privacy.luhn_ok("4111111111111112")
    assert privacy.iban_ok("GB82WEST12345698765432")
    assert not privacy.iban_ok("GB82WEST12345698765433")
    assert not privacy.iban_ok("GB82WEST1234569876543")  # one character short for GB
    assert not privacy.iban_ok("US82WEST12345698765432")  # no IBANs in the US


def test_ssn_rules():
    assert privacy.ssn_ok("536", "22", "8741")
    for parts in (("000", "12", "3456"), ("666", "12", "3456"), ("912", "34", "5678"),
                  ("123", "00", "4567"), ("123", "45", "0000")):
        assert not privacy.ssn_ok(*parts)


def test_secrets_in_code_spans_and_links_are_found_but_not_in_quoted_history():
    assert privacy_findings("Noted as `4111 1111 1111 1111` in the ticket.")
    assert privacy_findings("https://x.example.com/export?api_key=q8Fz2LmW7xKp4RtY9bNc")
    quoted = "> card 4111 1111 1111 1111, password: Hunter2024!\n\nHi Sam, please change it."
    assert privacy_findings(quoted) == []


def test_every_rule_is_an_error_and_has_the_privacy_code():
    for c in (privacy.card_number, privacy.iban, privacy.ssn, privacy.credential,
              privacy.api_key):
        assert c.severity.name == "ERROR" and c.code.startswith("PRV")


@pytest.mark.parametrize("text", [
    "1" * 100_000, "4111 " * 20_000, "GB82" + "A" * 100_000, "aB3" * 30_000,
    "-----BEGIN PRIVATE KEY-----\n" + " " * 100_000, "password is " * 8_000,
    "eyJ" + "a" * 50_000 + ".eyJ" + "b" * 50_000, "sk-proj-" + "aT3BlbkFJ" * 10_000,
    # many links and many long tokens: each token was checked against every link
    "https://example.com/p " * 20_000 + "aB3dE5fG7hJ9kL1mN3pQ5x " * 4_000,
])
def test_hostile_input_stays_fast(text):
    """Bounded, unambiguous patterns: 100 kB of worst-case text lints in linear time.

    Not a timing assertion (machines differ): a backtracking blow-up would hang here instead.
    """
    lint(text, config=CONFIG)
