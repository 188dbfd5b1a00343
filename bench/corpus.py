"""Build the benchmark corpus, deterministically, from real customer-care replies.

Source: the 586 agent replies in ../shared/data/support_replies/ibm_twitter_care_dev.jsonl
(IBM Twitter customer care, Apache-2.0; see /work/shared/data/README.md). Output, in
bench/.corpus/ (gitignored; rebuilt from scratch on every run):

  replylint.toml        empty: replylint's default rules for everything below (otherwise the
                        repository's own pyproject.toml, which loads the example plugins, applies)
  draft.txt             the short draft used for cold start (the one in bench/cold_start.py)
  replies/NNNN.txt      the 586 replies, one per file, as written (HTML entities decoded)
  macros/GG/mNNNNN.md   10,000 macros in replylint's macro format (YAML front matter: title, id,
                        tags), 100 folders of 100; each body is a greeting with a Zendesk
                        placeholder, maybe an opener, 1-3 real replies of one company (leading
                        @handles dropped) and a sign-off
  macros.json           the same 10,000 macros as one Zendesk export ({"macros": [...]}, the
                        body in a comment_value action)
  big.txt, big.md       one ~1 MB document: a greeting, real replies as paragraphs, a sign-off

Usage: python bench/corpus.py [--data PATH] [--out DIR] [--macros N] [--seed N]
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "shared" / "data" / "support_replies" / "ibm_twitter_care_dev.jsonl"
if not DATA.is_file():  # the repository may live elsewhere than /work/main
    DATA = Path("/work/shared/data/support_replies/ibm_twitter_care_dev.jsonl")

sys.path.insert(0, str(HERE))
from cold_start import DRAFT  # noqa: E402  (the same short draft as the existing benchmark)

GREETINGS = [
    "Hi {{ticket.requester.first_name}},",
    "Hello {{ticket.requester.first_name}},",
    "Hi {{ticket.requester.first_name | fallback: \"there\"}},",
    "Dear {{ticket.requester.name}},",
    "Hey {{ticket.requester.first_name}},",
]
OPENERS = [
    "",
    "Thanks for reaching out to us.",
    "Thank you for getting in touch.",
    "Thanks for your message about ticket #{{ticket.id}}.",
    "Thanks for your patience while we looked into this.",
]
SIGN_OFFS = [
    "Best regards,\n{{current_user.first_name}}",
    "Thanks,\n{{current_user.first_name}}",
    "Kind regards,\n{{current_user.name}}\n{{ticket.brand.name}} Support",
    "Cheers,\n{{current_user.first_name}}",
    "All the best,\nThe {{ticket.brand.name}} team",
]
TOPICS = ["billing", "account", "shipping", "technical", "returns", "login", "orders", "general"]
HANDLES = re.compile(r"^(?:\s*@\w+)+\s*")


def load_replies(path: Path) -> list[tuple[str, str]]:
    """(company, reply text) for each row, in file order; HTML entities decoded."""
    rows = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                rows.append((row["company"], html.unescape(row["agent_reply"]).strip()))
    return rows


def paragraph(text: str) -> str:
    """A reply as an email paragraph: leading @handles dropped, first letter capitalised."""
    text = HANDLES.sub("", text).strip()
    return text[:1].upper() + text[1:] if text else text


def slug(text: str, n: int = 6) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())[:n]
    return "-".join(words) or "macro"


def build(out: Path, data: Path, n_macros: int, seed: int, big_bytes: int) -> dict[str, object]:
    rows = load_replies(data)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / "replylint.toml").write_text("# replylint's defaults for the benchmark corpus\n")
    (out / "draft.txt").write_text(DRAFT, encoding="utf-8")

    replies = out / "replies"
    replies.mkdir()
    for i, (_, text) in enumerate(rows):
        (replies / f"{i:04d}.txt").write_text(text + "\n", encoding="utf-8")

    rng = random.Random(seed)
    paras = [(company, paragraph(text)) for company, text in rows]
    paras = [(c, p) for c, p in paras if p]
    by_company: dict[str, list[str]] = {}
    for c, p in paras:
        by_company.setdefault(c, []).append(p)
    companies = sorted(by_company)
    macros_dir = out / "macros"
    export = []
    for i in range(n_macros):
        company = rng.choice(companies)  # 1-3 replies of the same company in one macro
        pool = by_company[company]
        picks = [(company, p) for p in rng.sample(pool, min(len(pool), rng.randint(1, 3)))]
        opener = rng.choice(OPENERS)
        body_parts = [rng.choice(GREETINGS)]
        if opener:
            body_parts.append(opener)
        body_parts += [p for _, p in picks]
        body_parts.append(rng.choice(SIGN_OFFS))
        body = "\n\n".join(body_parts) + "\n"
        topic = rng.choice(TOPICS)
        title = f"{company}: {topic} - {' '.join(picks[0][1].split()[:6])}"
        macro_id = f"{slug(company, 2)}-{topic}-{i:05d}"
        tags = [topic, slug(company, 2)]
        front = (
            "---\n"
            f"title: {json.dumps(title, ensure_ascii=False)}\n"
            f"id: {macro_id}\n"
            f"tags: [{', '.join(tags)}]\n"
            "---\n"
        )
        folder = macros_dir / f"{i // 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"m{i:05d}.md").write_text(front + body, encoding="utf-8")
        export.append({
            "id": 360000000000 + i,
            "title": title,
            "active": True,
            "restriction": None,
            "actions": [
                {"field": "subject", "value": title},
                {"field": "comment_value", "value": body},
                {"field": "set_tags", "value": " ".join(tags)},
            ],
        })
    (out / "macros.json").write_text(
        json.dumps({"macros": export, "next_page": None, "count": len(export)},
                   ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )

    # ~1 MB single document: the replies as paragraphs, cycled in a seeded order.
    order = list(range(len(paras)))
    big_parts = ["Hi Dana,"]
    size = len(big_parts[0])
    k = 0
    while size < big_bytes - 40:
        if k % len(order) == 0:
            rng.shuffle(order)
        p = paras[order[k % len(order)]][1]
        big_parts.append(p)
        size += len(p.encode("utf-8")) + 2
        k += 1
    big_parts.append("Best regards,\nSam")
    big = "\n\n".join(big_parts) + "\n"
    (out / "big.txt").write_text(big, encoding="utf-8")
    (out / "big.md").write_text(big, encoding="utf-8")

    lib_bytes = sum(p.stat().st_size for p in macros_dir.rglob("*.md"))
    return {
        "replies": len(rows),
        "reply_bytes_mean": round(sum(len(t.encode()) for _, t in rows) / len(rows)),
        "macros": n_macros,
        "macro_bytes_total": lib_bytes,
        "export_bytes": (out / "macros.json").stat().st_size,
        "big_bytes": (out / "big.txt").stat().st_size,
        "big_paragraphs": k,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--out", type=Path, default=HERE / ".corpus")
    ap.add_argument("--macros", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--big-bytes", type=int, default=1_000_000)
    args = ap.parse_args()
    stats = build(args.out, args.data, args.macros, args.seed, args.big_bytes)
    print(f"corpus in {args.out} (seed {args.seed}, from {args.data}):")
    print(f"  replies/       {stats['replies']} .txt files, mean {stats['reply_bytes_mean']} bytes")
    print(f"  macros/        {stats['macros']} .md macros, {stats['macro_bytes_total']:,} bytes")
    print(f"  macros.json    Zendesk export of the same {stats['macros']} macros, "
          f"{stats['export_bytes']:,} bytes")
    print(f"  big.txt/.md    {stats['big_bytes']:,} bytes, {stats['big_paragraphs']} paragraphs")


if __name__ == "__main__":
    main()
