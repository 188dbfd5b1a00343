"""Tone rules on the classes of error a blind judge found on real replies."""

from replylint import lint

OWED = ("I checked the logs you sent and the sync stops at the same file every time. The file "
        "name has a character the old client cannot read, so renaming it will get the sync going "
        "again. The next release handles these names, and it goes out on Monday, so you will not "
        "need to rename anything after that.")


# the tone rules are off by default now; select by code the ones these tests are about
# (TON007 stays out unless a test selects it)
TONE = {"extend-select": ["TON001", "TON002", "TON003", "TON004", "TON005", "TON008"]}


def codes(text, config=TONE, **kw):
    return [f.code for f in lint(text, config=config, **kw).findings if f.code.startswith("TON")]


def test_missing_appreciation_is_off_by_default_and_available_by_code():
    assert "TON007" not in codes(OWED)
    assert codes(OWED, config={"select": ["TON007"]}) == ["TON007"]


def test_agent_tag_initials_are_not_shouting_on_a_social_reply():
    assert codes("@116932 Did the information get sent to our specialists? ^DO",
                 context="@AmazonHelp Still not working.") == []


def test_exclamations_are_shouting_only_in_a_tense_exchange():
    reply = "We have already told you the refund is processing!!"
    assert "TON005" in codes(reply, context="Third time asking. Ridiculous.")
    assert "TON005" not in codes(reply, context="Hi, any news on my refund?")
    assert codes(reply, config=None, context="Third time asking. Ridiculous.") == []  # off by default


def test_refusal_with_a_way_forward_is_not_negative_language():
    assert "TON001" not in codes("We can’t access your account here, but we’ll pass this on "
                                 "to the right folks.")
    assert "TON001" in codes("We're sorry, we can't help with that.")


# second judge round


def test_refusal_in_banter_or_explained_or_with_an_action_taken_is_not_negative_language():
    assert "TON001" not in codes("Ha, I can't make any promises! ^JB",
                                 context="Can you save me the last slice of cake? lol")
    assert "TON001" not in codes("Sorry, we're unable to change the name on a ticket because the "
                                 "airline ties it to the passport.",
                                 context="My friend is going instead. This is ridiculous.")
    assert "TON001" not in codes("We can't change the menu for one location, but we've shared "
                                 "your feedback with the team.")
    assert "TON001" not in codes("@dana We can't hold seats without a payment on file. 2/2 ^JB",
                                 context="@Air Why was my seat released?? Unacceptable.")
    # a bare refusal to a frustrated customer still is
    assert "TON001" in codes("Sorry, we can't change that booking.",
                             context="You cancelled my flight and nobody will rebook me. Disgraceful.")


def test_interrobang_is_banter_in_a_playful_exchange():
    assert "TON005" not in codes("Wait, pizza for breakfast?!? We approve. ^JB",
                                 context="Pizza for breakfast is the best, thanks guys!")
    assert "TON005" in codes("Did you even read my reply?!",
                             context="Still broken. This is ridiculous, third time I am asking.")


def test_later_thread_part_and_link_only_reply_are_not_low_politeness():
    assert "TON008" not in codes("2/2 Read the FAQ. Why didn't you check it?")
    assert "TON008" in codes("1/2 Read the FAQ. Why didn't you check it?")


def test_simply_in_a_template_step_is_not_condescending():
    text = "To add your board, simply change the number 123 in the placeholder to your board's ID."
    assert "TON003" not in codes(text, kind="macro")
