"""empathy.missing-acknowledgement on social-care replies: who counts as upset, what counts as
acknowledging it (the classes a blind judge found on held-out Twitter replies)."""

import pytest

from replylint import lint
from replylint.checks.empathy import missing_acknowledgement, upset_cues

# the empathy rules are off by default: selecting the family turns them on
SELECT = {"select": ["empathy"]}
THRESHOLD = next(o.default for o in missing_acknowledgement.options if o.name == "threshold")


@pytest.mark.parametrize("customer", [
    "Desktop app still not working, but I got the easter egg so I'm ecstatic! 😊",  # delighted
    "lmao the app is being ridiculous again",  # joking
    "Shit wrong one https://example.com/pic",  # correcting their own post
    "Isn't it supposed to be out already??",  # puzzled
    "Saved my fucking time, the letter says my package is in",  # casual swearing
    "Resellers are listing masks at outrageous prices!",  # angry at a third party
    # second blind round: mild impatience, hedged or negated words, someone else's feeling,
    # a relieved or thankful customer
    "Error 0x30005001 disconnected why wtf cant log on",
    "still not working",
    "Nothing syncs and still no icon. What else can I try?",
    "My laptop keeps shutting off, which is kind of ridiculous.",
    "It's rather frustrating that my sites forget who I am.",
    "Battery life just got worst.",
    "The attendant was tired of the queue.",
    "I'm not frustrated, just sad. But thanks for the compassion.",
    "Phew, it works now, I was so worried. Thanks so much!",
    "Hi I think my account has been hacked, how to recover it? Thanks",
    "Walked in to see 150 people waiting in line for $3 burritos",
    # third pass: no live problem of ours, hedged or unsure distress, a calm dated report
    "Went to the shop dressed as a pirate and the line was out the door. So disappointed 😔",
    "Getting emotional trying to set up my console, almost crying, I just want a film",
    "I think my account might have been hacked and it's hard to recover on my own.",
    "My account was hacked about 11 days ago, I changed the password. Can you change my name?",
    "My mail got hacked this weekend... sketchy, ok, but why is there a new newsletter?",
])
def test_not_upset(customer):
    assert upset_cues(customer)[0] < THRESHOLD


@pytest.mark.parametrize("customer", [
    "You are the worst! I have to wait three days to get my internet fixed...",
    "Waited 46 minutes and got hung up on.",
    "Fix your fucking towers",
    "Charged for a membership I cancelled 😠",
    "Someone hacked my account and changed my password",
    # second blind round, judged right
    "I've reached out to anyone who would talk to me. #pathetic",
    "The code doesn't work and I was just charged for a movie 😡",
    "WOULD SOMEONE PLEASE HELP ME!! I've never had such difficulty. NOTHING WORKS!!!",
    "It's been 2+ months and still no tech!",
    "3 different people have given 3 different answers and I still don't have my order.",
    "I'm locked out. It is very frustrating as all my documents are in that account. Help.",
    "why does my internet keep going down this is bullshit",
])
def test_upset(customer):
    assert upset_cues(customer)[0] >= THRESHOLD


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
    assert lint("@ana Please DM us your account number. ^JB",   # off by default
                context="@acme Worst service ever, I was hung up on twice").findings == []


def test_opening_question_about_the_problem_is_engagement():
    report = lint("@ana Are all your services cutting out? ^JB",
                  context="@acme Cuts out every 20 minutes this is ridiculous", config=SELECT)
    assert report.findings == []


def test_proposing_a_step_is_not_engagement():
    report = lint("@ana Have you tried the recovery steps? ^JB",
                  context="@acme Someone hacked my account and changed the recovery email",
                  config=SELECT)
    assert [f.code for f in report.findings] == ["EMP001"]


def test_curly_apostrophe_acknowledgement():
    report = lint("@ana Hi there. Check out these tips. We\u2019re here to help. ^JB",
                  context="@acme This is HIGHLY frustrating and you never fix it?!!?",
                  config=SELECT)
    assert report.findings == []


def test_later_part_of_a_thread_is_not_flagged():
    report = lint("@ana ...so the seat was reassigned. 2/2 ^JB",
                  context="@acme This is ridiculous, you moved us AGAIN", config=SELECT)
    assert report.findings == []


@pytest.mark.parametrize("reply", [
    "@ana I don't want you to feel this way. What's going on?",
    "@ana That's troubling to hear. Which branch?",
    "@ana We'd love the chance to turn things around. DM us?",
    "@ana We appreciate you bringing this to our attention. DM us?",
])
def test_engagement_is_acknowledgement(reply):
    assert lint(reply, context="@acme Worst service ever, I'm done!!", config=SELECT).findings == []


@pytest.mark.parametrize("reply", [
    "@ana We have received your DM and will follow up with you there.",
    "@ana It seems a member of our team has reached out to you.",
    "@ana Were you able to install it? Let us know.",
    "@ana Here is the link, according to the information previously provided.",
    "@ana We're still here to help. Can you try a wired test?",
])
def test_follow_up_reply_is_not_flagged(reply):
    assert lint(reply, context="@acme This is ridiculous, down AGAIN!!", config=SELECT).findings == []


def test_customer_continuing_a_thread_needs_more_than_usual():
    calm = "@acme Ok. It's been very frustrating, I have jobs to finish."
    assert lint("@ana Did the install work?", context=calm, config=SELECT).findings == []
    fuming = "@acme No. Still nothing. This is RIDICULOUS, the worst service ever, I'm furious!!"
    report = lint("@ana Please DM us your account number.", context=fuming, config=SELECT)
    assert [f.code for f in report.findings] == ["EMP001"]
