"""Blind judging of replylint's findings on real replies: split, sample, packet, score.

    python eval/judging.py split                      # once: record the dev/test split
    python eval/judging.py sample ROUND [--twitter N] [--macros N] [--seed S] [--config TOML]
    python eval/judging.py score ROUND [ROUND ...]    # precision per rule, Wilson 95%
    python eval/judging.py volume [--split dev|test]  # findings per 100 replies per source
    python eval/judging.py show [RULE ...]            # dev findings with their replies, to read
    python eval/judging.py publish                    # each rule's pool precision -> rule pages
    python eval/judging.py pool [--config TOML]       # every test finding with its verdict

``sample`` lints the *test* split of each source with the default rule set, samples findings
(seeded), and writes ``eval/judgements/ROUND/packet-K.md`` (what a judge sees: the customer's
message, the reply, the finding's message and the matched text; never a rule code, an id or
any source) and ``key.jsonl`` (what the packet item was: rule, source, row). Verdicts go in
``verdicts.jsonl`` (``{"item": N, "verdict": "yes"|"no", "why": "..."}``), written from the
judges' answers; ``score`` joins them with the key.

The judges are people (or helpers) who never saw the rules' code, given only a packet and the
question in ``QUESTION``. Whoever wrote or tuned a rule never judges it.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "shared" / "data"
SPLIT_FILE = HERE / "splits.json"
JUDGEMENTS = HERE / "judgements"
SEED = 19
QUESTION = "Would a support lead agree this is worth changing before sending?"
PACKET_SIZE = 50


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


#: each source: its file, how a row becomes (reply, customer message, kind), and its share of
#: rows held out for test (the IBM replies were read while writing the rules: all dev)
SOURCES = {
    "twcs": ("support_replies/twcs_pairs.jsonl",
             lambda r: (r["reply"], r["customer"], "draft"), 0.5),
    "ibm": ("support_replies/ibm_twitter_care_dev.jsonl",
            lambda r: (r["agent_reply"], r["previous_customer_message"], "draft"), 0.0),
    "oss_macros": ("canned_replies/oss_saved_replies.jsonl",
                   lambda r: (r["text"], None, "macro"), 0.5),
    "fcc_macros": ("canned_replies/freecodecamp_reply_templates.jsonl",
                   lambda r: (r["reply"], None, "macro"), 0.5),
}
#: which sources the "--twitter" and "--macros" quotas draw from
GROUPS = {"twitter": ("twcs",), "macros": ("oss_macros", "fcc_macros")}


def make_split() -> dict[str, dict[str, list[int]]]:
    """Row numbers of each source's dev and test parts, from a fixed seed."""
    split = {}
    for name, (path, _, test_share) in SOURCES.items():
        n = len(_rows(DATA / path))
        order = list(range(n))
        random.Random(f"{SEED}:{name}").shuffle(order)
        k = round(n * test_share)
        split[name] = {"file": path, "rows": n, "test": sorted(order[:k]), "dev": sorted(order[k:])}
    return split


def load_split() -> dict:
    return json.loads(SPLIT_FILE.read_text(encoding="utf-8"))


def items(part: str, sources=None):
    """(source, row, reply, customer, kind) for every row of ``part`` (dev or test)."""
    split = load_split()
    for name, (path, shape, _) in SOURCES.items():
        if sources and name not in sources:
            continue
        rows = _rows(DATA / path)
        for i in split[name][part]:
            reply, customer, kind = shape(rows[i])
            yield name, i, reply, customer, kind


def lint_items(part: str, sources=None, config=None):
    """Each item with its report, linted the way a user would: a Twitter reply as a draft with
    the tweet it answers as context, a saved reply as a macro."""
    from replylint import lint

    for name, i, reply, customer, kind in items(part, sources):
        yield name, i, reply, customer, lint(reply, kind=kind, context=customer, config=config)


def _packet_item(n: int, reply: str, customer: str | None, finding) -> str:
    customer_part = (customer.strip() if customer else
                     "(none: this is a saved reply, a template agents reuse)")
    return (f"### Item {n}\n\n**Customer's message:**\n\n{_quote(customer_part)}\n\n"
            f"**Reply:**\n\n{_quote(reply.strip())}\n\n**Finding:** {finding.message}\n\n"
            f"**Matched text:** `{finding.match.strip() or '(whole reply)'}`\n")


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines())


def _judged_before() -> set[tuple[str, int, str]]:
    """(source, row, rule) of every finding an earlier round judged: a new round is fresh."""
    return {(k["source"], k["row"], k["rule"]) for d in JUDGEMENTS.glob("*/key.jsonl")
            for k in _rows(d)}


def sample(round_name: str, quotas: dict[str, int], seed: int, config,
           per_rule: int = 0) -> Path:
    """``quotas`` findings drawn uniformly from each group's pool (the overall figure), then
    more findings of any rule with fewer than ``per_rule`` in the sample (its own figure)."""
    out = JUDGEMENTS / round_name
    if out.exists():
        sys.exit(f"{out} exists: a round is sampled once")
    seen = _judged_before()
    pools: dict[str, list] = defaultdict(list)
    replies: Counter[str] = Counter()
    for name, i, reply, customer, report in lint_items("test", config=config):
        group = next(g for g, members in GROUPS.items() if name in members) \
            if any(name in m for m in GROUPS.values()) else None
        if group is None:
            continue
        replies[group] += 1
        for f in report.findings:
            if (name, i, f.rule) not in seen:
                pools[group].append((name, i, reply, customer, f))
    rng = random.Random(f"{seed}:{round_name}")
    chosen = []
    for group, n in quotas.items():
        pool = pools[group]
        chosen += [(*x, "uniform") for x in rng.sample(pool, min(n, len(pool)))]
    if per_rule:
        have = Counter(x[4].rule for x in chosen)
        taken = {id(x[4]) for x in chosen}
        rest = [x for pool in pools.values() for x in pool if id(x[4]) not in taken]
        rng.shuffle(rest)
        for x in rest:
            if have[x[4].rule] < per_rule:
                have[x[4].rule] += 1
                chosen.append((*x, "top-up"))
    rng.shuffle(chosen)
    out.mkdir(parents=True)
    keys = []
    for n, (name, i, reply, customer, f, drawn) in enumerate(chosen, 1):
        keys.append({"item": n, "source": name, "row": i, "rule": f.rule, "code": f.code,
                     "severity": str(f.severity), "match": f.match, "message": f.message,
                     "drawn": drawn})
    (out / "key.jsonl").write_text("".join(json.dumps(k) + "\n" for k in keys), encoding="utf-8")
    for k in range(0, len(chosen), PACKET_SIZE):
        part = chosen[k:k + PACKET_SIZE]
        body = "\n".join(_packet_item(k + j + 1, reply, customer, f)
                         for j, (_, _, reply, customer, f, _) in enumerate(part))
        (out / f"packet-{k // PACKET_SIZE + 1}.md").write_text(
            f"# Judging packet {round_name}/{k // PACKET_SIZE + 1}\n\n"
            f"For each item: {QUESTION}\n\n{body}", encoding="utf-8")
    import datetime

    meta = {"round": round_name, "seed": seed, "quotas": quotas, "per_rule": per_rule,
            "date": datetime.date.today().isoformat(),
            "test_replies_linted": dict(replies),
            "findings_in_pool": {g: len(p) for g, p in pools.items()},
            "question": QUESTION}
    (out / "round.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"{len(chosen)} findings sampled into {out}: {meta['findings_in_pool']}")
    return out


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval for k successes in n trials."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def judged(round_name: str) -> list[dict]:
    """The key of a round joined with its verdicts (items without a verdict are left out)."""
    out = JUDGEMENTS / round_name
    verdicts = {v["item"]: v for v in _rows(out / "verdicts.jsonl")}
    return [{**k, "round": round_name, "verdict": verdicts[k["item"]]["verdict"]}
            for k in _rows(out / "key.jsonl") if k["item"] in verdicts]


def precision_table(rows: list[dict], by: str = "rule") -> list[tuple[str, int, int, float, float]]:
    agg: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        agg[r[by]][0] += r["verdict"] == "yes"
        agg[r[by]][1] += 1
    table = []
    for key, (k, n) in sorted(agg.items(), key=lambda kv: -kv[1][1]):
        lo, hi = wilson(k, n)
        table.append((key, k, n, lo, hi))
    return table


def score(rounds: list[str], only_default: bool = False) -> None:
    rows = [r for name in rounds for r in judged(name)]
    if only_default:
        from replylint.plugins import build_registry

        registry = build_registry(entry_points_group=None)
        on = {c.id for c in registry.sorted_checks() if c.default_enabled}
        rows = [r for r in rows if r["rule"] in on]
    uniform = [r for r in rows if r.get("drawn", "uniform") == "uniform"]
    for label, part in (("uniform sample", uniform), ("with per-rule top-ups", rows)):
        k = sum(r["verdict"] == "yes" for r in part)
        lo, hi = wilson(k, len(part))
        print(f"rounds {', '.join(rounds)}, {label}: {k}/{len(part)} judged worth changing = "
              f"{k / max(len(part), 1):.0%} (95% {lo:.0%}–{hi:.0%})")
    _tables((("by source (uniform sample)", "source", uniform),
             ("by rule (all judged)", "rule", rows)))


def _tables(parts) -> None:
    """Print a precision table for each (title, key, rows)."""
    for title, by, rows in parts:
        print(f"\n{title}:")
        for key, k, n, lo, hi in precision_table(rows, by):
            print(f"  {key:38s} {k:4d}/{n:<4d} {k / n:5.0%}  ({lo:.0%}–{hi:.0%})")


def verdicts_by_finding() -> dict[tuple[str, int, str], dict]:
    """The latest verdict for each (source, row, rule) judged in any round."""
    out: dict[tuple[str, int, str], dict] = {}
    for d in sorted(JUDGEMENTS.iterdir(), key=lambda p: json.loads(
            (p / "round.json").read_text())["date"] + p.name):
        if (d / "verdicts.jsonl").exists():
            for r in judged(d.name):
                out[(r["source"], r["row"], r["rule"])] = r
    return out


def pool(config, quiet: bool = False) -> list[dict]:
    """Every finding ``config`` makes on the test split, with its verdict where a round judged
    it: the precision of a rule set over its whole test pool, not a sample."""
    verdicts = verdicts_by_finding()
    rows = []
    for name, i, _, _, report in lint_items("test", config=config):
        for f in report.findings:
            v = verdicts.get((name, i, f.rule))
            rows.append({"source": name, "row": i, "rule": f.rule, "match": f.match,
                         "verdict": v["verdict"] if v else None,
                         "round": v["round"] if v else None})
    judged_rows = [r for r in rows if r["verdict"]]
    if quiet:
        return rows
    k = sum(r["verdict"] == "yes" for r in judged_rows)
    lo, hi = wilson(k, len(judged_rows))
    print(f"test pool: {len(rows)} findings, {len(judged_rows)} judged, {k} agreed = "
          f"{k / max(len(judged_rows), 1):.0%} (95% {lo:.0%}–{hi:.0%})")
    _tables((("by source", "source", judged_rows), ("by rule", "rule", judged_rows)))
    unjudged = [r for r in rows if not r["verdict"]]
    if unjudged:
        print(f"\n{len(unjudged)} not judged yet: sample them in a new round")
    return rows


def publish(config) -> None:
    """Write each rule's precision over its whole test pool (``pool`` with ``config``, every
    rule by default) to replylint/data/precision.json, which the rule pages and the
    default-set test read."""
    rows = pool(config or str(HERE / "strict.toml"), quiet=True)
    dates = {d.name: json.loads((d / "round.json").read_text())["date"]
             for d in JUDGEMENTS.iterdir()}
    by_rule: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_rule[r["rule"]].append(r)
    out = {}
    for rule, rs in sorted(by_rule.items()):
        done = [r for r in rs if r["verdict"]]
        k = sum(r["verdict"] == "yes" for r in done)
        lo, hi = wilson(k, len(done))
        rounds = sorted({r["round"] for r in done})
        out[rule] = {"findings": len(rs), "judged": len(done), "agreed": k,
                     "low": round(lo, 3), "high": round(hi, 3),
                     "sources": sorted({r["source"] for r in done}), "rounds": rounds,
                     "date": max((dates[n] for n in rounds), default="")}
    path = HERE.parent / "replylint" / "data" / "precision.json"
    path.write_text(json.dumps({"rules": out}, indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    print(f"wrote {path}: {len(out)} rules")


def show(part: str, select: list[str]) -> None:
    """Every finding of the selected rules on ``part``, with the reply and the customer's
    message: for reading while tuning (dev only: test findings are for judges)."""
    if part != "dev":
        sys.exit("only the dev split is read while tuning; test findings go to judges")
    config = {"select": select} if select else None
    for name, i, reply, customer, report in lint_items(part, config=config):
        for f in report.findings:
            print(f"[{name}:{i}] {f.code} {f.rule} ({report.document.channel}): "
                  f"{f.match[:120]!r}\n    says: {f.message}\n    reply: {reply!r}")
            if customer:
                print(f"    customer: {customer!r}")


def volume(part: str) -> None:
    """Findings per 100 replies, per source and rule, with the default rule set."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    replies: Counter[str] = Counter()
    for name, _, _, _, report in lint_items(part):
        replies[name] += 1
        for f in report.findings:
            counts[name][f.rule] += 1
    for name in replies:
        total = sum(counts[name].values())
        print(f"{name} ({part}, {replies[name]} replies): "
              f"{100 * total / replies[name]:.1f} findings per 100 replies")
        for rule, c in counts[name].most_common():
            print(f"  {100 * c / replies[name]:6.1f}  {rule}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("split")
    s = sub.add_parser("sample")
    s.add_argument("round")
    s.add_argument("--twitter", type=int, default=130)
    s.add_argument("--macros", type=int, default=70)
    s.add_argument("--seed", type=int, default=SEED)
    s.add_argument("--per-rule", type=int, default=0,
                   help="top up each rule to this many judged findings where the pool allows")
    s.add_argument("--config", help="a TOML file with [tool.replylint] (default: defaults)")
    c = sub.add_parser("score")
    c.add_argument("rounds", nargs="+")
    c.add_argument("--default-only", action="store_true",
                   help="only the rules on by default in this checkout")
    o = sub.add_parser("pool")
    o.add_argument("--config", help="a TOML file (default: the default rule set)")
    p = sub.add_parser("publish")
    p.add_argument("--config", help="a TOML file (default: eval/strict.toml, every rule)")
    w = sub.add_parser("show")
    w.add_argument("select", nargs="*", help="rule ids, codes or prefixes (default: defaults)")
    w.add_argument("--split", default="dev")
    v = sub.add_parser("volume")
    v.add_argument("--split", default="dev", choices=("dev", "test"))
    a = ap.parse_args()
    if a.cmd == "split":
        if SPLIT_FILE.exists():
            sys.exit(f"{SPLIT_FILE} exists: the split is made once")
        SPLIT_FILE.write_text(json.dumps(make_split(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {SPLIT_FILE}")
    elif a.cmd == "sample":
        sample(a.round, {"twitter": a.twitter, "macros": a.macros}, a.seed, a.config,
               a.per_rule)
    elif a.cmd == "score":
        score(a.rounds, a.default_only)
    elif a.cmd == "pool":
        pool(a.config)
    elif a.cmd == "publish":
        publish(a.config)
    elif a.cmd == "show":
        show(a.split, a.select)
    else:
        volume(a.split)


if __name__ == "__main__":
    main()
