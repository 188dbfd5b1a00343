"""Channels: detected from the text, set by config, --channel, lint() and the service; rules
judge only the channels they declare."""

import json

import pytest

import replylint
from replylint.channel import AGENT_TAG, CHANNELS, signed_with_tag
from replylint.plugins import build_registry

EMAIL = "Hi Dana,\n\nYour refund was issued today.\n\nBest regards,\nSam"
#: an email-shaped reply with no greeting or sign-off: email rules have something to say
BARE = ("Your refund was issued today.\nIt reaches your card within five days.\n"
        "The reference is on the invoice.\nI checked it myself.")


@pytest.mark.parametrize("text, channel", [
    (EMAIL, "email"),
    (BARE, "email"),
    ("@AcmeCare Your order ships on Monday. ^JB", "social"),
    ("@115712 Please send us a DM so we can look into this.", "social"),
    ("1/2 We've found the fault on the line and an engineer is booked.", "social"),
    ("Your order ships on Monday. -Emilia", "social"),
    ("We have passed this to the team. Roopa-HP Social Media Support.", "social"),
    ("Sorry about that! The fix is live now. - The Acme Team", "social"),
    ("Sure, the export is under Settings, then Data.", "chat"),
])
def test_detected(text, channel):
    assert replylint.lint(text).document.channel == channel


def test_a_macro_is_a_macro_whatever_its_shape():
    assert replylint.lint(EMAIL, kind="macro").document.channel == "macro"


@pytest.mark.parametrize("tag", ["^JB", "-Emilia", "- The Acme Team", "Roopa-HP Social Media Support.",
                                 "~Braden", "^QA", "/SO", "_KL"])
def test_agent_tags_are_sign_offs(tag):
    assert signed_with_tag(f"Your order ships on Monday. {tag}")


@pytest.mark.parametrize("text", ["Your order ships on Monday.", "Call us on 0800 123 456.",
                                  "It ships in 3-5 days."])
def test_plain_endings_are_not_tags(text):
    assert not AGENT_TAG.search(text)


def _codes(report):
    return {f.code for f in report.findings}


#: the ceremony rules are off by default (docs/evaluation.md): these tests select them
CEREMONY = {"extend-select": ["STR001", "STR002", "STR003", "STR004"]}


def test_email_ceremony_rules_judge_email_only():
    email = replylint.lint(BARE, config=CEREMONY)
    assert {"STR001", "STR003"} <= _codes(email)
    for channel in ("chat", "social", "macro"):
        found = _codes(replylint.lint(BARE, channel=channel, config=CEREMONY))
        assert not found & {"STR001", "STR002", "STR003", "STR004"}, channel


def test_every_rule_declares_known_channels():
    registry = build_registry(entry_points_group=None)
    for check in registry.sorted_checks():
        assert check.channels and check.channels <= set(CHANNELS), check.id
    by_id = {c.id: c for c in registry.sorted_checks()}
    for rule in ("structure.missing-greeting", "structure.missing-sign-off",
                 "structure.missing-closing-line", "structure.impersonal-greeting"):
        assert by_id[rule].channels == {"email"}


def test_lint_refuses_an_unknown_channel():
    with pytest.raises(ValueError, match="channel must be one of"):
        replylint.lint("Hi", channel="fax")


def test_config_sets_the_channel_and_an_override_sets_it_per_path(tmp_path, run_cli):
    (tmp_path / "replylint.toml").write_text(
        'channel = "chat"\nextend-select = ["STR001", "STR003"]\n[[overrides]]\npaths = ["macros/*"]\nkind = "macro"\nchannel = "email"\n')
    (tmp_path / "macros").mkdir()
    (tmp_path / "draft.txt").write_text(BARE)
    (tmp_path / "macros" / "m.txt").write_text(BARE)
    p = run_cli("check", "-f", "json", "draft.txt", "macros/m.txt")
    docs = {d["source"]: d for d in json.loads(p.stdout)["documents"]}
    assert docs["draft.txt"]["channel"] == "chat"
    assert not {f["code"] for f in docs["draft.txt"]["findings"]} & {"STR001", "STR003"}
    # macros that hold whole emails are judged as emails
    assert docs["macros/m.txt"]["channel"] == "email"
    assert {"STR001", "STR003"} <= {f["code"] for f in docs["macros/m.txt"]["findings"]}


def test_command_line_channel_wins(tmp_path, run_cli):
    (tmp_path / "draft.txt").write_text(BARE)
    as_email = json.loads(run_cli("check", "-f", "json", "--select", "strict", "draft.txt").stdout)
    as_social = json.loads(run_cli("check", "-f", "json", "--select", "strict", "--channel", "social",
                                   "draft.txt").stdout)
    assert as_email["documents"][0]["channel"] == "email"
    assert as_social["documents"][0]["channel"] == "social"
    assert "STR003" in {f["code"] for f in as_email["documents"][0]["findings"]}
    assert "STR003" not in {f["code"] for f in as_social["documents"][0]["findings"]}


def test_bad_channel_in_config_is_a_config_error(tmp_path, run_cli):
    (tmp_path / "replylint.toml").write_text('channel = "fax"\n')
    (tmp_path / "draft.txt").write_text(BARE)
    p = run_cli("check", "draft.txt")
    assert p.returncode == 2
    assert "channel must be one of" in p.stderr


def test_an_eml_is_an_email(tmp_path, run_cli):
    (tmp_path / "m.eml").write_text("From: a@example.com\nSubject: Re: x\n\nSure, it ships Monday.\n")
    doc = json.loads(run_cli("check", "-f", "json", "m.eml").stdout)["documents"][0]
    assert doc["channel"] == "email"


def test_rule_pages_name_the_channels(run_cli):
    assert "Channels: email" in run_cli("rule", "STR003").stdout
