"""Tone and empathy rules beyond their fixtures: context from the CLI, quoted history and
signatures never checked, per-rule options from config."""

import json

from replylint import lint

UPSET = "This is the third time I'm writing. Ridiculous!!\n"


def test_context_file_drives_empathy(run_cli, write):
    write("replylint.toml", "select = ['EMP001', 'EMP002']\n")  # off by default: by code
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
    # every rule, off by default or not: none may fire on the quoted history
    codes = [f.code for f in lint(draft, config={"select": ["strict"]}).findings]
    assert codes == ["EMP001"]


def test_signature_and_placeholders_are_not_checked():
    draft = ("Hi {{ticket.requester.first_name | default: 'OBVIOUSLY'}},\n\nYour refund is on its way.\n\n"
             "Best regards,\nSam\n-- \nSam Lee | I just work here | NO PROBLEM LTD\n")
    # the families select only their default-on rules now (TON006): the rest by code
    every = ["tone", "empathy", "TON001", "TON002", "TON003", "TON004", "TON005", "TON007",
             "TON008", "EMP001", "EMP002"]
    assert lint(draft, kind="macro", config={"select": every}).findings == []


def test_rule_options_from_config():
    text = "FedEx is terrible with parcels like this."
    assert lint(text).findings == []
    report = lint(text, config={"rules": {"TON006": {"names": ["FedEx"]}}})
    assert [f.code for f in report.findings] == ["TON006"]
    # TON001 is off by default: selected by code
    assert lint("Sadly, no.", config={"extend-select": ["TON001"],
                                      "rules": {"TON001": {"extra": ["sadly"]}}}
                ).findings[0].match == "Sadly"
