"""The jargon family: glossary from config, the customer's own words, acronyms spelled out,
rare words and their inflections, and a lexicon that never touches the network."""

import socket
import textwrap

import pytest

from replylint import lint
from replylint.checks.jargon import explained_acronyms, word_forms

# JAR001-JAR004 are off by default: selecting the family turns them on with JAR005
JARGON = {"select": ["jargon"]}


def codes(report, code=None):
    return [(f.code, f.match) for f in report.findings if code is None or f.code == code]


# -- glossary through config ----------------------------------------------------------------

GLOSSARY = {
    "select": ["jargon"],
    "glossary": {
        "allow": ["Zorblat", "MDM", "proration", "hotfix"],
        "replace": {"provisioning": "setting up", "SKU": "product code", "SLA": "response time"},
    },
}


def test_glossary_replace_reports_the_plain_wording():
    report = lint("Provisioning is done. We sent a provisioning link and the SKU.", config=GLOSSARY)
    found = [f for f in report.findings if f.code == "JAR005"]
    assert [(f.match, f.replacements) for f in found] == [
        ("Provisioning", ("Setting up",)),        # a capital at the start of a sentence
        ("provisioning", ("setting up",)),
        ("SKU", ("product code",)),
    ]
    assert [f.fix_safe for f in found] == [True, False, True]   # "a provisioning" → "a setting up"
    assert found[0].message == "'Provisioning': the team glossary says \"setting up\""


def test_glossary_replace_terms_are_reported_once():
    # SLA and SKU are internal jargon too, but the team's own wording wins: no JAR001 twice
    report = lint("Per our SLA the SKU ships today.", config=GLOSSARY)
    assert codes(report) == [("JAR005", "SLA"), ("JAR005", "SKU")]


def test_glossary_short_capital_terms_match_only_in_capitals():
    assert codes(lint("The sku field is optional.", config=GLOSSARY), "JAR005") == []


def test_glossary_allow_silences_every_jargon_rule():
    text = "I will send a hotfix. Your MDM profile and the Zorblat proration are fine."
    assert codes(lint(text, config=JARGON)) == [
        ("JAR001", "hotfix"), ("JAR003", "MDM"), ("JAR004", "proration")]
    assert codes(lint(text, config=GLOSSARY)) == []


def test_without_config_the_glossary_is_empty():
    assert codes(lint("Provisioning is done.", config=JARGON)) == []


def test_rule_option_replace_adds_to_the_glossary():
    config = {**GLOSSARY, "rules": {"JAR005": {"replace": {"workspace": "team space"}}}}
    report = lint("Your workspace provisioning is done.", config=config)
    assert codes(report) == [("JAR005", "workspace"), ("JAR005", "provisioning")]


# -- the customer's own words ---------------------------------------------------------------

@pytest.mark.parametrize("reply, customer, code", [
    ("The hotfix is out.", "Is the hotfix out yet?", "JAR001"),
    ("The RMA number is on the label.", "Where do I find my RMA?", "JAR001"),
    ("Let's circle back on Monday.", "Can we circle back on Monday?", "JAR002"),
    ("Please check the DNS records.", "my dns settings look wrong", "JAR003"),
    ("Your 2SV codes are in Settings.", "I lost my 2SV codes", "JAR003"),
    ("The prorations were reversed.", "Why is there a proration on my bill?", "JAR004"),
    ("The proration was reversed.", "Why was my bill prorated?", "JAR004"),     # another form
    ("Your SVG export works.", "you can't export SVGs any more", "JAR003"),      # a plural
    ("Your 2SV codes are in Settings.", "I lost my two-step verification codes", "JAR003"),
])
def test_terms_the_customer_used_are_not_flagged(reply, customer, code):
    assert codes(lint(reply, config=JARGON), code) != []
    assert codes(lint(reply, context=customer, config=JARGON), code) == []


def test_quoted_customer_message_counts_as_their_words_and_is_never_linted():
    text = "> My proration and the DNS are broken, send a hotfix!\n\nHi Dana, the DNS and " \
           "proration are fixed, and the hotfix is out."
    assert codes(lint(text, config=JARGON)) == []


# -- acronyms spelled out -------------------------------------------------------------------

@pytest.mark.parametrize("text, acronym", [
    ("Return Merchandise Authorization (RMA)", "RMA"),
    ("RMA (return merchandise authorization)", "RMA"),
    ("RMA, or return merchandise authorization,", "RMA"),
    ("the domain name system (DNS)", "DNS"),
    ("DNS (the domain name system)", "DNS"),
    ("two-factor authentication (2FA)", "2FA"),
    ("2FA (two-factor authentication)", "2FA"),
    ("your PlayStation Network (PSN) account", "PSN"),
    ("a JavaScript Object Notation (JSON) file", "JSON"),
    ("Certificate of Deposit (CD)", "CD"),
    ("API, short for application programming interface", "API"),
])
def test_acronym_spelled_out_before_or_after(text, acronym):
    assert acronym in explained_acronyms(text)


@pytest.mark.parametrize("text", [
    "our returns team (RMA)",                 # initials do not match
    "RMA (see the label)",
    "Check the DNS records (domain name system).",  # the brackets follow another word
])
def test_acronym_not_spelled_out(text):
    assert explained_acronyms(text) == frozenset()


def test_acronym_reported_once_at_first_use_unless_spelled_out():
    report = lint("Your DNS is wrong. Fix the DNS, then the MDM (mobile device management) "
                  "profile and the MDM app.", config=JARGON)
    assert [(f.match, f.column) for f in report.findings if f.code == "JAR003"] == [("DNS", 6)]


def test_acronym_option_allow_and_known_zipf():
    text = "Check the DNS and the API."
    assert codes(lint(text, config=JARGON), "JAR003") == [("JAR003", "DNS"), ("JAR003", "API")]
    config = {**JARGON, "rules": {"JAR003": {"allow": ["dns"], "known_zipf": 3.5}}}
    assert codes(lint(text, config=config), "JAR003") == []


# -- rare words -----------------------------------------------------------------------------

@pytest.mark.parametrize("word, lemma", [
    ("resetting", "reset"), ("replies", "reply"), ("browser's", "browser"),
    ("uploader", "upload"), ("redownloaded", "download"), ("stopped", "stop"),
    ("refundable", "refund"), ("greenest", "green"), ("chargebacks", "chargeback"),
])
def test_word_forms_include_the_lemma(word, lemma):
    assert lemma in word_forms(word)


def test_rare_word_judges_inflections_by_their_common_form():
    text = ("Resetting, reinstalling and redownloading fixed it; the uploader's replies were "
            "unmuted, and the re-enabled tickets are non-refundable.")
    assert codes(lint(text, config=JARGON), "JAR004") == []
    report = lint("The prorations were reversed. Proration fees apply to prorations.",
                  config=JARGON)
    assert codes(report, "JAR004") == [("JAR004", "prorations")]   # once per word, lower case
    assert report.metrics["jargon_ratio"] == pytest.approx(2 / 9, abs=1e-4)  # 9 words


@pytest.mark.parametrize("text", [
    "Send us your gamertag; the taskbar icon and the upvote button are back.",   # compounds
    "Value bants, and the cake looks delish.",                                   # slang
    "We're hapy to help.",                                                       # a typo
])
def test_rare_word_flags_only_formal_words(text):
    assert codes(lint(text, config=JARGON), "JAR004") == []


def test_rare_word_and_acronyms_are_off_by_default():
    text = "The prorated MDM fee is on the invoice."
    assert codes(lint(text)) == []
    assert codes(lint(text, config=JARGON)) == [("JAR004", "prorated"), ("JAR003", "MDM")]


def test_rare_word_skips_names_codes_and_unknown_words():
    text = ("Thanks, Kartika! Your Proration is set; see example.com/proration or mail "
            "proration@example.com, and enter the zxqvbn code.")
    assert codes(lint(text, config=JARGON), "JAR004") == []
    config = {**JARGON, "rules": {"JAR004": {"unknown": True}}}
    assert codes(lint(text, config=config), "JAR004") == [("JAR004", "zxqvbn")]


def test_rare_word_threshold_and_metric():
    text = "The amortization table is on the invoice."
    assert codes(lint(text, config=JARGON), "JAR004") == []
    config = {**JARGON, "rules": {"JAR004": {"threshold": 3.0}}}
    assert codes(lint(text, config=config), "JAR004") == [("JAR004", "amortization")]
    assert lint(text, config=JARGON).metrics["jargon_ratio"] == 0.0


def test_rare_word_leaves_replies_in_other_languages_alone():
    text = "Hallo! Du kannst die Anzeige auf deinem Konto verwalten. Klicke auf diesem Link."
    report = lint(text, config=JARGON)
    assert codes(report, "JAR004") == [] and "jargon_ratio" not in report.metrics


def test_rare_word_never_touches_the_network(tmp_path, monkeypatch):
    """A fresh cache directory: the lexicon is built from the installed packages only."""
    from replylint import lexicon

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setenv("REPLYLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(lexicon, "_memo", {})  # words other tests looked up: ask the table
    lexicon._connection.cache_clear()
    try:
        report = lint("The proration was reversed yesterday.", config={"select": ["JAR004"]})
        assert codes(report) == [("JAR004", "proration")]
        assert list((tmp_path / "cache").glob("lexicon-*.sqlite3"))
    finally:
        lexicon._connection.cache_clear()


def test_lexicon_memo_full_is_cleared_without_losing_the_words_asked_for(monkeypatch):
    """Past its limit the memo starts again; a word remembered before still gets its value."""
    from replylint import lexicon

    monkeypatch.setattr(lexicon, "_memo", {})
    monkeypatch.setattr(lexicon, "MEMO_LIMIT", 3)
    lexicon.lookup(["reply", "customer", "invoice", "refund"])
    got = lexicon.zipf(["Reply", "chargeback", "xqzzyq"])
    assert got["Reply"] > 4 and 0 < got["chargeback"] < 3 and got["xqzzyq"] == 0.0
    assert set(lexicon.lookup(["reply", "xqzzyq"])) == {"reply"}


# -- the phrase tables ----------------------------------------------------------------------

def test_internal_terms_and_buzzwords_offer_plain_wording():
    report = lint("I've sent it to our L2 team. Going forward, we'll leverage it.",
                  config=JARGON)
    got = {f.match: f.replacements[0] for f in report.findings}
    assert got == {"L2 team": "our specialist team",
                   "Going forward": "From now on", "leverage": "use"}
    assert {f.code for f in report.findings} == {"JAR001", "JAR002"}


def test_everyday_support_words_are_not_jargon():
    text = textwrap.dedent("""\
        Hi Dana,

        Your ticket number is 4411. This is a known issue, and there is a workaround: could
        you reproduce the issue once more and reach out if it comes back? The ETA for the fix
        is Friday, and we'll keep you in the loop. You can revert to the old layout in
        Settings. I've escalated this to our billing team; see the knowledge base article.
        Please send us the PDF and your order ID.

        Thanks,
        Sam
        """)
    assert codes(lint(text, config=JARGON)) == []


def test_pathological_input_is_handled():
    # the rules' patterns have no nested repetition, so long runs do not backtrack
    for text in ("A" * 20000, "a-" * 20000, "(" + "RMA " * 5000 + ")", "x'" * 20000,
                 "Return " * 5000 + "(RMA)"):
        lint(text, config=JARGON)



def test_developer_words_are_fine_on_an_issue_tracker_only():
    text = "The issue has not been triaged yet; the API is deprecated and a hotfix is coming."
    assert [m for _, m in codes(lint(text, config=JARGON), "JAR001")] == [
        "triaged", "deprecated", "hotfix"]
    dev = text + " Please link your pull request on GitHub."
    assert codes(lint(dev, config=JARGON), "JAR001") == []
    assert codes(lint(dev, config=JARGON), "JAR003") == []   # API to a developer


@pytest.mark.parametrize("text", [
    "Please DM us so I can look into this.--JV",
    "Anything else I can help you with?-RM",
    "Please DM us. ^KL",
    "We'd love to assist you. RM",
    "I have responded to your DM. TY - Jayne",
    "Don't let them HIJACK it!",
])
def test_sign_offs_chat_abbreviations_and_capital_words_are_not_acronyms(text):
    assert codes(lint(text, config=JARGON), "JAR003") == []


def test_an_acronym_ending_a_sentence_is_still_an_acronym():
    assert codes(lint("Please check your DNS.", config=JARGON), "JAR003") == [("JAR003", "DNS")]
