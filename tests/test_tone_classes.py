"""Tone rules on the classes of error a blind judge found on real replies."""

from replylint import lint

OWED = ("I checked the logs you sent and the sync stops at the same file every time. The file "
        "name has a character the old client cannot read, so renaming it will get the sync going "
        "again. The next release handles these names, and it goes out on Monday, so you will not "
        "need to rename anything after that.")


def codes(text, **kw):
    return [f.code for f in lint(text, **kw).findings if f.code.startswith("TON")]


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


def test_refusal_with_a_way_forward_is_not_negative_language():
    assert "TON001" not in codes("We can’t access your account here, but we’ll pass this on "
                                 "to the right folks.")
    assert "TON001" in codes("We're sorry, we can't help with that.")
