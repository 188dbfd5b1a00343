"""The blind-judging harness (eval/judging.py): a recorded split, packets without rule codes,
Wilson intervals."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("judging", ROOT / "eval" / "judging.py")
judging = importlib.util.module_from_spec(spec)
spec.loader.exec_module(judging)


def test_wilson_interval():
    assert judging.wilson(0, 0) == (0.0, 1.0)
    lo, hi = judging.wilson(32, 200)
    assert round(lo, 3) == 0.116 and round(hi, 3) == 0.217
    lo, hi = judging.wilson(20, 20)
    assert hi == 1.0 and 0.83 < lo < 0.84


@pytest.mark.skipif(not judging.DATA.is_dir(), reason="../shared/data is not beside the repo")
def test_the_recorded_split_is_the_seeded_one_and_parts_are_disjoint():
    recorded = judging.load_split()
    assert recorded == json.loads(json.dumps(judging.make_split()))
    for name, part in recorded.items():
        assert not set(part["dev"]) & set(part["test"]), name
        assert sorted(part["dev"] + part["test"]) == list(range(part["rows"])), name
    assert recorded["ibm"]["test"] == []  # read while the rules were written: dev only


def test_packets_show_no_rule_and_keys_match_verdicts():
    for d in sorted((ROOT / "eval" / "judgements").iterdir()):
        keys = [json.loads(x) for x in (d / "key.jsonl").read_text().splitlines() if x]
        packets = "".join(p.read_text() for p in sorted(d.glob("packet-*.md")))
        assert packets.count("### Item ") == len(keys), d.name
        for k in keys:
            assert k["code"] not in packets and k["rule"] not in packets, (d.name, k["item"])
