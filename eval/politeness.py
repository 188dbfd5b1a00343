"""Train and evaluate replylint's politeness scorer on the Stanford Politeness Corpus.

    python eval/politeness.py                  # train, write the shipped model, evaluate it
    python eval/politeness.py --evaluate-only  # evaluate the shipped model as it is

The task is the paper's binary one: the top quartile of ``Normalized Score`` is polite, the
bottom quartile impolite, the rest is dropped. Those rows are split once, with a fixed seed and
per class, into a development part (80%) and a held-out test part (20%). Features, word count
and regularisation were chosen on 10-fold cross-validation inside the development part (the
word filters below are a judgement about what carries over to support replies, which this
corpus cannot measure); the final model is trained on the whole development part, its
intercept shifted so that 0.0 is the median development score, and the test part is scored
with that 0.0 threshold.

The features are the presence of each strategy of ``replylint.politeness`` and of ``UNIGRAMS``
words, chosen on each training set by chi-squared among words that are neither Wikipedia's
own (``DOMAIN_WORDS``: "article", "edit", "revert"...), nor a strategy already, nor in more
than 30% of the requests (those mark length, not tone). Both the cross-validated accuracy with
the words and without them are printed. Plain Python, no numpy: the model is small.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import statistics
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from replylint import politeness

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CORPUS = DATA / "politeness" / "wikipedia.annotated.csv"
SUPPORT_REPLIES = DATA / "support_replies" / "ibm_twitter_care_dev.jsonl"

SEED = 2013
TEST_SHARE = 0.2
FOLDS = 10
#: L2 penalties tried by cross-validation (on the sum of the log-losses, not the mean).
PENALTIES = (1.0, 3.0, 10.0)
#: How many word features, chosen on each training set; 50 cross-validated worse, 200 no better.
UNIGRAMS = 100
#: A word is a candidate if at least this many training requests, and at most this share of
#: them, contain it.
MIN_REQUESTS = 10
MAX_SHARE = 0.3
#: Words about Wikipedia and editing it, or about the matter at hand: what they teach the
#: model would not carry over to support replies ("issue", "error", "failed", "spam folder"
#: and "clear the cache" are what support replies are about, however polite).
DOMAIN_WORDS = frozenset("""
    wikipedia wiki wp edit edits edited editing editor editors article articles page pages talk
    template templates admin admins administrator administrators block blocked blocking revert
    reverted reverting reverts removing removed remove vandalism vandal map maps ga nomination
    section sections summary history source sources sourced citation citations cite image
    images category categories list books book website material original account user users
    url deletion delete deleted deleting afd rfc bot project projects infobox stub link links
    wikiproject policy policies consensus username sock notability notable reference
    references content draft evidence issue issues problem problems error errors fail failed
    failure spam complaint clear kind
""".split())

PUBLISHED = (
    ("strategies + bag of words, in-domain Wikipedia (paper)", 83.8),
    ("strategies + bag of words, trained on Wikipedia, tested on Stack Exchange (paper)", 67.5),
    ("agreement between two human annotators, Wikipedia (paper)", 86.7),
)

#: Hand-written support replies for a sanity check: (label, reply), cold first, then warm.
SUPPORT_EXAMPLES = (
    ("cold", "As I already told you, the refund was processed. Read the email we sent."),
    ("cold", "Why didn't you check the FAQ first? It's clearly explained there."),
    ("cold", "You should have updated the app. That's not our problem."),
    ("cold", "So what do you want us to do? The order shipped. Stop emailing."),
    ("warm", "Hi Dana, thanks so much for reaching out! I'm sorry for the delay with your "
             "refund. Could you please send me the order number? I'd be happy to help."),
    ("warm", "Hello, thank you for your patience. We really appreciate you letting us know. "
             "Would you mind trying the link again? Have a great day!"),
    ("warm", "Great question! I'd suggest updating the app first; if that doesn't work, "
             "just reply here and we'll sort it out together."),
    ("warm", "Sorry about the trouble, and thanks for the screenshot. I think we've found "
             "the issue and it should be fixed now."),
)


@dataclass(frozen=True)
class Request:
    text: str
    polite: bool


Row = dict[str, float]  # feature name -> value; absent features are 0


def load_binary_task(path: Path = CORPUS) -> list[Request]:
    """The requests in the top (polite) and bottom (impolite) quartile of Normalized Score."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = [(r["Request"], float(r["Normalized Score"])) for r in csv.DictReader(f)]
    low, _, high = statistics.quantiles([s for _, s in rows], n=4)
    return [Request(text, s >= high) for text, s in rows if s <= low or s >= high]


def split(requests: Sequence[Request], seed: int = SEED) -> tuple[list[Request], list[Request]]:
    """(development, test): the same fixed, per-class random split every time."""
    rng = random.Random(seed)
    dev: list[Request] = []
    test: list[Request] = []
    for label in (True, False):
        group = [r for r in requests if r.polite is label]
        rng.shuffle(group)
        cut = round(len(group) * TEST_SHARE)
        test += group[:cut]
        dev += group[cut:]
    return dev, test


def strategy_row(text: str) -> Row:
    """Presence of each strategy, as ``politeness.score`` weighs it."""
    return {name: 1.0 for name in politeness.strategies(text)}


def words(text: str) -> set[str]:
    """The words ``politeness.score`` looks its word features up in."""
    return politeness._analyse(text)[1]


# -- logistic regression ---------------------------------------------------------------------


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def train(rows: Sequence[Row], labels: Sequence[bool], penalty: float) -> dict[str, float]:
    """L2-regularised logistic regression by Newton's method with conjugate gradients.

    Returns weights by feature name and the intercept under ``""`` (not penalised). Newton-CG
    needs only products with the data, so sparse rows of a few hundred features stay fast.
    """
    names = sorted({name for row in rows for name in row})
    index = {name: i + 1 for i, name in enumerate(names)}  # 0 is the intercept
    data = [[(0, 1.0)] + [(index[n], v) for n, v in row.items()] for row in rows]
    y = [1.0 if label else 0.0 for label in labels]
    dim = len(names) + 1
    w = [0.0] * dim

    def dot(a: list[float], b: list[float]) -> float:
        return sum(x * z for x, z in zip(a, b))

    def logits(w: list[float]) -> list[float]:
        return [sum(w[j] * v for j, v in row) for row in data]

    def loss(w: list[float]) -> float:
        total = penalty / 2 * dot(w[1:], w[1:])
        for z, t in zip(logits(w), y):
            m = z if t else -z  # log(1 + exp(-m)), computed stably
            total += math.log1p(math.exp(-m)) if m > 0 else -m + math.log1p(math.exp(m))
        return total

    for _ in range(50):
        p = [_sigmoid(z) for z in logits(w)]
        grad = [0.0] + [penalty * x for x in w[1:]]
        for row, pi, t in zip(data, p, y):
            for j, v in row:
                grad[j] += (pi - t) * v
        if math.sqrt(dot(grad, grad)) < 1e-6:
            break
        curvature = [pi * (1 - pi) for pi in p]

        def hessian_times(v: list[float]) -> list[float]:
            out = [0.0] + [penalty * x for x in v[1:]]
            for row, c in zip(data, curvature):
                s = c * sum(v[j] * x for j, x in row)
                for j, x in row:
                    out[j] += s * x
            return out

        step = _conjugate_gradient(hessian_times, [-g for g in grad], min(dim, 50))
        before, t = loss(w), 1.0
        while t > 1e-8:
            candidate = [a + t * b for a, b in zip(w, step)]
            if loss(candidate) <= before + 1e-4 * t * dot(grad, step):
                break
            t /= 2
        w = candidate
    return {"": w[0], **{name: w[index[name]] for name in names}}


def _conjugate_gradient(
    times: Callable[[list[float]], list[float]], b: list[float], iterations: int
) -> list[float]:
    """Solve ``times(x) = b`` for a symmetric positive definite operator."""
    x = [0.0] * len(b)
    r = list(b)
    d = list(r)
    rr = sum(v * v for v in r)
    for _ in range(iterations):
        if rr < 1e-20:
            break
        hd = times(d)
        alpha = rr / sum(a * c for a, c in zip(d, hd))
        x = [a + alpha * c for a, c in zip(x, d)]
        r = [a - alpha * c for a, c in zip(r, hd)]
        new = sum(v * v for v in r)
        d = [a + new / rr * c for a, c in zip(r, d)]
        rr = new
    return x


def logit(weights: dict[str, float], row: Row) -> float:
    return weights[""] + sum(weights.get(n, 0.0) * v for n, v in row.items())


def calibrate(weights: dict[str, float], rows: Sequence[Row]) -> dict[str, float]:
    """Shift the intercept so that 0.0 is the median score of ``rows``."""
    median = statistics.median(logit(weights, row) for row in rows)
    return {**weights, "": weights[""] - median}


def accuracy(weights: dict[str, float], rows: Sequence[Row], labels: Sequence[bool]) -> float:
    return sum((logit(weights, r) > 0) == t for r, t in zip(rows, labels)) / len(labels)


# -- features chosen per training set ---------------------------------------------------------

Featurizer = Callable[[Sequence[Request]], Callable[[Request], Row]]

#: Words the strategies look up on their own; a word feature would only duplicate them.
STRATEGY_WORDS = frozenset(
    phrase[0]
    for table in (politeness._START, politeness._REST, politeness._ANYWHERE)
    for phrase in table.phrases
    if len(phrase) == 1
)


def strategies_only(_: Sequence[Request]) -> Callable[[Request], Row]:
    """The strategies alone: nothing to learn from the training set."""
    return lambda r: strategy_row(r.text)


def choose_unigrams(train_part: Sequence[Request]) -> frozenset[str]:
    """The ``UNIGRAMS`` candidate words most associated with either class (chi-squared)."""
    polite = Counter(w for r in train_part if r.polite for w in words(r.text))
    rude = Counter(w for r in train_part if not r.polite for w in words(r.text))
    n = len(train_part)
    n_polite = sum(r.polite for r in train_part)
    n_rude = n - n_polite

    def chi2(w: str) -> float:
        a, b = polite[w], rude[w]
        c, d = n_polite - a, n_rude - b
        return n * (a * d - b * c) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))

    candidates = [
        w for w in polite | rude
        if MIN_REQUESTS <= polite[w] + rude[w] <= MAX_SHARE * n and w.isalpha()
        and w not in DOMAIN_WORDS and w not in STRATEGY_WORDS
    ]
    return frozenset(sorted(candidates, key=lambda w: (-chi2(w), w))[:UNIGRAMS])


def with_unigrams(train_part: Sequence[Request]) -> Callable[[Request], Row]:
    """The shipped features: strategies plus the words chosen on ``train_part``."""
    chosen = choose_unigrams(train_part)
    return lambda r: {**strategy_row(r.text), **{"w:" + w: 1.0 for w in words(r.text) & chosen}}


def cross_validate(
    dev: Sequence[Request], featurize: Featurizer, penalty: float, folds: int = FOLDS
) -> float:
    """Mean accuracy over ``folds`` per-class folds of ``dev``, median threshold per fold."""
    order = sorted(range(len(dev)), key=lambda i: not dev[i].polite)  # each class dealt round
    fold_of = {i: k % folds for k, i in enumerate(order)}
    scores = []
    for k in range(folds):
        train_part = [dev[i] for i in range(len(dev)) if fold_of[i] != k]
        held = [dev[i] for i in range(len(dev)) if fold_of[i] == k]
        row_of = featurize(train_part)
        rows = [row_of(r) for r in train_part]
        weights = calibrate(train(rows, [r.polite for r in train_part], penalty), rows)
        scores.append(accuracy(weights, [row_of(r) for r in held], [r.polite for r in held]))
    return statistics.mean(scores)


# -- the shipped model ------------------------------------------------------------------------


def fit_and_write(dev: Sequence[Request]) -> tuple[float, float]:
    """Choose the penalty by cross-validation, train on all of ``dev``, write the model file.

    Returns the cross-validated accuracy of the shipped setting and, for comparison, of the
    strategies alone at the same penalty.
    """
    shipped: dict[float, float] = {}
    alone: dict[float, float] = {}
    for penalty in PENALTIES:
        alone[penalty] = cross_validate(dev, strategies_only, penalty)
        shipped[penalty] = cross_validate(dev, with_unigrams, penalty)
        print(f"  L2 {penalty:4}: CV strategies {alone[penalty]:.1%}, "
              f"strategies + {UNIGRAMS} words {shipped[penalty]:.1%}")
    penalty = max(PENALTIES, key=lambda p: (shipped[p], p))
    featurize = with_unigrams(dev)
    rows = [featurize(r) for r in dev]
    weights = calibrate(train(rows, [r.polite for r in dev], penalty), rows)
    model = {
        "about": "replylint politeness scorer: logistic regression on the presence of "
        "politeness strategies and of a few words, trained by eval/politeness.py on the "
        "Stanford Politeness Corpus (Wikipedia requests), intercept shifted so that 0.0 is "
        "the median development score",
        "intercept": round(weights[""], 6),
        "weights": {n: round(weights.get(n, 0.0), 6) for n in politeness.STRATEGIES},
        "unigrams": {
            n[2:]: round(v, 6) for n, v in sorted(weights.items()) if n.startswith("w:")
        },
        "training": {
            "corpus": "wikipedia.annotated.csv, top vs bottom quartile of Normalized Score",
            "seed": SEED, "test_share": TEST_SHARE, "development_requests": len(dev),
            "l2_penalty": penalty, "cv_folds": FOLDS, "cv_accuracy": round(shipped[penalty], 4),
        },
    }
    politeness.MODEL_PATH.parent.mkdir(exist_ok=True)
    politeness.MODEL_PATH.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
    politeness._model.cache_clear()
    print(f"wrote {politeness.MODEL_PATH.relative_to(ROOT)} (L2 penalty {penalty})")
    return shipped[penalty], alone[penalty]


def held_out_accuracy(test: Sequence[Request]) -> float:
    """Accuracy of the shipped ``politeness.score`` on ``test`` at its 0.0 threshold."""
    return sum((politeness.score(r.text) > 0) == r.polite for r in test) / len(test)


def sanity_check() -> None:
    """How the shipped model reads support replies, which it was not trained on."""
    print("\nhand-written support replies (score > 0 reads as polite):")
    for label, text in SUPPORT_EXAMPLES:
        print(f"  {label} {politeness.score(text):+.2f}  {text[:80]}")
    if not SUPPORT_REPLIES.is_file():
        return
    with SUPPORT_REPLIES.open(encoding="utf-8") as f:
        replies = [json.loads(line)["agent_reply"] for line in f if line.strip()]
    scored = sorted((politeness.score(t), t) for t in replies)
    above = sum(s > 0 for s, _ in scored) / len(scored)
    print(f"\nreal customer-care replies ({SUPPORT_REPLIES.name}): {above:.0%} of "
          f"{len(scored)} score above 0; median {statistics.median(s for s, _ in scored):+.2f}")
    for s, text in scored[:3] + scored[-3:]:
        print(f"  {s:+.2f}  {' '.join(text.split())[:100]}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evaluate-only", action="store_true",
                        help="evaluate the shipped model, do not retrain it")
    args = parser.parse_args(argv)
    if not CORPUS.is_file():
        print(f"corpus not found: {CORPUS}", file=sys.stderr)
        return 2
    dev, test = split(load_binary_task())
    print(f"binary task: {len(dev)} development, {len(test)} held-out requests (seed {SEED})")
    if args.evaluate_only:
        model = json.loads(politeness.MODEL_PATH.read_text(encoding="utf-8"))
        penalty = model["training"]["l2_penalty"]
        cv = cross_validate(dev, with_unigrams, penalty)
        alone = cross_validate(dev, strategies_only, penalty)
    else:
        cv, alone = fit_and_write(dev)
    print(f"10-fold CV accuracy on development: {cv:.1%} "
          f"(strategies alone: {alone:.1%})")
    print(f"held-out test accuracy (shipped model): {held_out_accuracy(test):.1%}")
    for name, value in PUBLISHED:
        print(f"  published: {value}% {name}")
    model = politeness._model()
    print(f"\nweights (logit when present), intercept {model.intercept:+.2f}:")
    print("  " + ", ".join(f"{n} {v:+.2f}" for n, v in
                           sorted(model.weights.items(), key=lambda kv: kv[1])))
    words_by_weight = sorted(model.unigrams.items(), key=lambda kv: kv[1])
    print("  words, most impolite: " + ", ".join(f"{w} {v:+.2f}" for w, v in words_by_weight[:12]))
    print("  words, most polite: " + ", ".join(f"{w} {v:+.2f}" for w, v in words_by_weight[-12:]))
    sanity_check()
    return 0


if __name__ == "__main__":
    sys.exit(main())
