"""empathy.missing-acknowledgement on social-care replies: who counts as upset, what counts as
acknowledging it (the classes a blind judge found on held-out Twitter replies)."""

import pytest

from replylint import lint
from replylint.checks.empathy import upset_cues

SELECT = {"select": ["empathy"]}


@pytest.mark.parametrize("customer", [
    "Desktop app still not working, but I got the easter egg so I'm ecstatic! 😊",  # delighted
    "lmao the app is being ridiculous again",  # joking
    "Shit wrong one https://example.com/pic",  # correcting their own post
    "Isn't it supposed to be out already??",  # puzzled
    "Saved my fucking time, the letter says my package is in",  # casual swearing
    "Resellers are listing masks at outrageous prices!",  # angry at a third party
])
def test_not_upset(customer):
    assert upset_cues(customer)[0] < 2


@pytest.mark.parametrize("customer", [
    "You are the worst! I have to wait three days to get my internet fixed...",
    "Waited 46 minutes and got hung up on.",
    "Fix your fucking towers",
    "Charged for a membership I cancelled 😠",
    "Someone hacked my account and changed my password",
])
def test_upset(customer):
    assert upset_cues(customer)[0] >= 2


@pytest.mark.parametrize("reply", [
    "@ana That's definitely a crazy situation. DM us?",
    "@ana I can hear how worrying this is. DM us?",
    "@ana That's awful. DM us?",
    "@ana What a nightmare. DM us?",
    "@ana I'd be fed up too. DM us?",
    "@ana Oh no! DM us?",
    "@ana Uhhh that's insane. DM us?",
    "@ana We don't like to hear this. DM us?",
])
def test_informal_acknowledgement(reply):
    assert lint(reply, context="@acme This is unacceptable!!", config=SELECT).findings == []


def test_bare_handoff_to_an_angry_customer_still_fires():
    report = lint("@ana Please DM us your account number. ^JB",
                  context="@acme Worst service ever, I was hung up on twice", config=SELECT)
    assert [f.code for f in report.findings] == ["EMP001"]


def test_later_part_of_a_thread_is_not_flagged():
    report = lint("@ana ...so the seat was reassigned. 2/2 ^JB",
                  context="@acme This is ridiculous, you moved us AGAIN", config=SELECT)
    assert report.findings == []
