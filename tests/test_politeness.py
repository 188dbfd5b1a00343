"""The politeness scorer: strategy detection, ranking of support replies, the shipped model."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from replylint import politeness

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CORPUS = DATA / "politeness" / "wikipedia.annotated.csv"

#: Measured 85.1% (371/436) on the held-out part when the shipped model was trained.
HELD_OUT_FLOOR = 0.83

_spec = importlib.util.spec_from_file_location("politeness_eval", ROOT / "eval/politeness.py")
assert _spec and _spec.loader
evaluation = importlib.util.module_from_spec(_spec)
sys.modules["politeness_eval"] = evaluation
_spec.loader.exec_module(evaluation)

# (strategy, text where it is found, near miss where it is not)
CASES = [
    ("gratitude", "Thanks for the logs.", "Happy Thanksgiving to the team."),
    ("gratitude", "We appreciate your patience.", "A thankless task."),
    ("deference", "Great work on the migration.", "That was great work on the migration."),
    ("greeting", "Hi Sam,\nthe order shipped.", "Say hi to Sam for me."),
    ("greeting", "Good morning, the order shipped.", "The order shipped this morning."),
    ("positive_lexicon", "I am glad it works now.", "The gladiator film is out."),
    ("negative_lexicon", "That is a ridiculous policy.", "No problem at all."),
    ("apology", "Sorry for the delay.", "The delay was short."),
    ("apology", "Please excuse me for the wait.", "The excuse was weak."),
    ("please", "Could you please check the app?", "Please check the app."),
    ("please_start", "Please check the app.", "Could you please check the app?"),
    ("by_the_way", "By the way, the app updated.", "It fell by the wayside."),
    ("direct_question", "Why did you delete it?", "I know why you deleted it."),
    ("direct_question", "What's the order number?", "Is that the order number?"),
    ("direct_start", "So what now.", "Sorry, what now."),
    ("direct_start", "But the app works.", "The app works, but slowly."),
    ("counterfactual_modal", "Could you send the logs?", "You could send the logs."),
    ("indicative_modal", "Can you send the logs?", "You can send the logs."),
    ("subjunctive", "I was wondering if the logs arrived.", "I was wandering in the park."),
    ("subjunctive", "Would it be possible to resend it?", "It is possible to resend it."),
    ("first_person_start", "I checked the order.", "Then we checked the order."),
    ("first_person", "Then I checked the order.", "I checked the order."),
    ("first_person_plural", "We fixed it.", "Welcome aboard."),
    ("second_person", "Thanks for your patience.", "Youth is wasted on the young."),
    ("second_person_start", "You should update the app.", "Update the app, then restart it."),
    ("hedge", "I think it might work.", "The thinker statue."),
    ("factuality", "In fact, it shipped.", "The facts are in the file."),
    ("factuality", "Actually, it shipped.", "The actual order shipped."),
    ("negated_start", "Don't you read the emails?", "I don't read the emails."),
    ("imperative_start", "Read the FAQ.", "I read the FAQ."),
    ("exclamation", "It works now!", "It works now."),
    ("emphatic_punctuation", "Why did it fail??", "Why did it fail?"),
]


@pytest.mark.parametrize(("strategy", "hit", "miss"), CASES)
def test_strategy_found_and_near_miss_not(strategy: str, hit: str, miss: str) -> None:
    assert politeness.strategies(hit).get(strategy, 0) >= 1, politeness.strategies(hit)
    assert strategy not in politeness.strategies(miss), politeness.strategies(miss)


def test_every_strategy_is_tested() -> None:
    assert {strategy for strategy, _, _ in CASES} == set(politeness.STRATEGIES)


def test_strategies_counts_and_orders() -> None:
    found = politeness.strategies("Thanks! Sorry again. Thanks a lot, and sorry.")
    assert found == {"gratitude": 2, "apology": 2, "exclamation": 1}
    assert list(found) == [s for s in politeness.STRATEGIES if s in found]


def test_a_phrase_hides_the_words_it_spans() -> None:
    assert politeness.strategies("No problem.") == {"positive_lexicon": 1}
    assert politeness.strategies("Would you mind?") == {
        "counterfactual_modal": 1, "subjunctive": 1, "second_person": 1,
    }


def test_links_handles_and_placeholders_are_not_words() -> None:
    assert politeness.strategies("@thanks see https://x.io/thanks and <url> a@thanks.com") == {
        "imperative_start": 1,
    }


def test_curly_apostrophes_and_empty_text() -> None:
    assert politeness.strategies("Don\u2019t you know?") == politeness.strategies("Don't you know?")
    assert politeness.strategies("") == {}
    assert politeness.strategies("... ?! \n") == {}


# (polite, rude): the same situation answered warmly and coldly.
PAIRS = [
    (
        "Hi Maria, thanks for letting us know. I'm sorry the parcel is late; could you send "
        "me the order number so I can chase it?",
        "The parcel is late because of the courier. Send the order number.",
    ),
    (
        "Thank you for your patience! We've refunded the charge, and I hope this helps.",
        "Why didn't you read the refund policy? It's clearly stated on the site.",
    ),
    (
        "Hello, would you mind trying the reset link again? If it still fails, just reply "
        "and we'll sort it out together.",
        "So you didn't click the reset link?? Do it again.",
    ),
    (
        "Great question! I think the export should work if you update the app first.",
        "As I already said, the export works. Actually, the problem is your old app.",
    ),
    (
        "Sorry about the confusion, and thanks for the screenshot. We really appreciate it.",
        "Don't email us again about this. Nobody is going to change the policy for you.",
    ),
]


@pytest.mark.parametrize(("polite", "rude"), PAIRS)
def test_polite_reply_scores_above_rude_one(polite: str, rude: str) -> None:
    assert politeness.score(polite) > 0 > politeness.score(rude)


def test_score_is_deterministic_across_runs_and_hash_seeds() -> None:
    text = PAIRS[0][0] + " " + PAIRS[3][1]
    code = f"from replylint.politeness import score; print(repr(score({text!r})))"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert outputs == {repr(politeness.score(text)) + "\n"}


@pytest.mark.parametrize(
    "text",
    ["please " * 28_572, "?" * 200_000, "a" * 200_000, "'" * 200_000, "a'" * 100_000,
     "could you " * 20_000, "\n" * 200_000, "http://" + "x" * 200_000, "@a." * 66_667,
     "<url>" * 40_000, "no problem " * 18_182],
)
def test_long_adversarial_input_completes(text: str) -> None:
    assert isinstance(politeness.strategies(text), dict)
    assert -3 < politeness.score(text) < 3


def test_shipped_model_has_the_expected_shape() -> None:
    model = json.loads(politeness.MODEL_PATH.read_text(encoding="utf-8"))
    assert {"about", "intercept", "weights", "unigrams", "training"} <= model.keys()
    assert set(model["weights"]) == set(politeness.STRATEGIES)
    assert 0 < len(model["unigrams"]) <= 300
    assert all(isinstance(v, float) for v in [*model["weights"].values(),
                                               *model["unigrams"].values()])
    assert {"seed", "l2_penalty", "cv_accuracy"} <= model["training"].keys()
    assert model["weights"]["gratitude"] > 0 > model["weights"]["negative_lexicon"]


@pytest.mark.skipif(not CORPUS.is_file(), reason=f"politeness corpus not found at {CORPUS}")
def test_held_out_accuracy_of_shipped_model() -> None:
    _, test = evaluation.split(evaluation.load_binary_task(CORPUS))
    assert len(test) == 436
    assert evaluation.held_out_accuracy(test) >= HELD_OUT_FLOOR
