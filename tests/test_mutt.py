"""The sendmail wrapper under a real mutt, in batch mode (``mutt -H draft < /dev/null``).

mutt's ``$sendmail`` is ``tee_pipe.py IN replylint sendmail ... recorder.py RECORDS -oem -oi``:
tee_pipe saves exactly what mutt handed the wrapper (mutt writes its own Date and Message-ID,
so a second send of the same draft would differ), then runs the wrapper on those bytes; the
recorder stands in for the real sendmail. So "byte-identical" compares what mutt gave the
wrapper with what the wrapper gave sendmail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import require_program

ROOT = Path(__file__).resolve().parents[1]
MAIL = ROOT / "tests" / "fixtures" / "mail"


@pytest.fixture
def mutt(tmp_path):
    require_program("mutt")
    if " " in f"{tmp_path}{sys.executable}{ROOT}":
        pytest.skip("mutt splits $sendmail on spaces")
    records, held = tmp_path / "records", tmp_path / "held"
    records.mkdir()
    python = sys.executable
    sendmail = [python, MAIL / "tee_pipe.py", tmp_path / "wrapper-input.eml",
                python, "-m", "replylint", "sendmail", "--hold-dir", held,
                python, MAIL / "recorder.py", records, "-oem", "-oi"]
    (tmp_path / "muttrc").write_text(
        f'set sendmail="{" ".join(map(str, sendmail))}"\n'
        'set from="Ann Agent <ann@support.example.com>"\n'
        "set use_from=yes\nset record=\"\"\nset hostname=support.example.com\n"
        f"set folder={tmp_path}\nset spoolfile={tmp_path}/inbox\nset charset=utf-8\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPLYLINT_")}
    env.update(PYTHONPATH=str(ROOT))

    def run(draft: Path, *extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["mutt", "-n", "-F", str(tmp_path / "muttrc"), "-H", str(draft), *extra],
            stdin=subprocess.DEVNULL, capture_output=True, cwd=tmp_path, timeout=60, env=env,
        )

    run.input = tmp_path / "wrapper-input.eml"
    run.records, run.held = records, held
    return run


def test_mutt_sends_a_good_draft_byte_for_byte(mutt, tmp_path):
    draft = tmp_path / "draft.eml"
    draft.write_bytes((MAIL / "good-draft.eml").read_bytes().replace(
        b"To: Sam Customer <sam@example.org>\n",
        b"To: Sam Customer <sam@example.org>\nBcc: lead@support.example.com\n"))
    receipt = tmp_path / "receipt.bin"
    receipt.write_bytes(bytes(range(256)) * 300)
    p = mutt(draft, "-a", str(receipt), "--")
    assert p.returncode == 0, p.stderr.decode()
    given = mutt.input.read_bytes()
    assert (mutt.records / "1.eml").read_bytes() == given
    assert b"Subject: Re: Where is my refund?" in given and b"receipt.bin" in given
    assert b"Bcc:" not in given  # mutt names Bcc recipients only in the arguments
    argv = json.loads((mutt.records / "1.argv.json").read_text())
    assert argv == ["-oem", "-oi", "--", "sam@example.org", "lead@support.example.com"]
    assert not mutt.held.exists()


def test_mutt_cannot_send_a_draft_with_a_placeholder(mutt):
    p = mutt(MAIL / "bad-draft.eml")
    err = p.stderr.decode()
    assert p.returncode != 0
    assert "child exited 65" in err  # what mutt says, after the report it shows
    assert "PLH001 [placeholders.unfilled]" in err and "Hi {{first_name}}," in err
    assert list(mutt.records.iterdir()) == []
    copies = list(mutt.held.glob("*.eml"))
    assert [c.read_bytes() for c in copies] == [mutt.input.read_bytes()]
    assert str(copies[0]) in err


def test_mutt_sends_it_anyway_when_told(mutt):
    """As the docs say: `:setenv REPLYLINT_SEND_ANYWAY 1` in mutt, here with -e."""
    p = mutt(MAIL / "bad-draft.eml", "-e", "setenv REPLYLINT_SEND_ANYWAY 1")
    assert p.returncode == 0, p.stderr.decode()
    assert (mutt.records / "1.eml").read_bytes() == mutt.input.read_bytes()
    assert b"Hi {{first_name}}," in mutt.input.read_bytes()
