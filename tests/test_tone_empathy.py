"""Tone and empathy rules beyond their fixtures: context from the CLI, quoted history and
signatures never checked, per-rule options from config."""

import json

from replylint import lint

UPSET = "This is the third time I'm writing. Ridiculous!!\n"


def test_context_file_drives_empathy(run_cli, write):
    write("replylint.toml", "select = ['empathy']\n")
    write("customer.txt", UPSET)
    write("calm.txt", "Hi, where is my parcel? Thanks\n")
    write("draft.txt", "Please clear your cache and try again.\n")
    p = run_cli("check", "-f", "json", "--context", "customer.txt", "draft.txt")
    [f] = json.loads(p.stdout)["documents"][0]["findings"]
    assert f["code"] == "EMP001" and "Ridiculous" in f["message"]
    assert run_cli("check", "--context", "calm.txt", "draft.txt").returncode == 0


def test_quoted_history_is_context_not_text():
    draft = ("Please clear your cache.\n\nOn Mon, 3 Mar 2025 at 10:02, Dana <d@example.com> wrote:\n"
             "> Obviously you can't read!! As I already said, unfortunately it is RIDICULOUS.\n")
    codes = [f.code for f in lint(draft).findings]
    assert codes == ["EMP001"]


def test_signature_and_placeholders_are_not_checked():
    draft = ("Hi {{ticket.requester.first_name | default: 'OBVIOUSLY'}},\n\nYour refund is on its way.\n\n"
             "Best regards,\nSam\n-- \nSam Lee | I just work here | NO PROBLEM LTD\n")
    assert lint(draft, kind="macro", config={"select": ["tone", "empathy"]}).findings == []


def test_rule_options_from_config():
    text = "FedEx is terrible with parcels like this."
    assert lint(text).findings == []
    report = lint(text, config={"rules": {"TON006": {"names": ["FedEx"]}}})
    assert [f.code for f in report.findings] == ["TON006"]
    assert lint("Sadly, no.", config={"rules": {"TON001": {"extra": ["sadly"]}}}).findings[0].match == "Sadly"
