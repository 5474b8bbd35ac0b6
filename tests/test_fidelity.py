"""The site carries the manual's wording: at least 95% of the seed's text lines appear
in the built pages (whitespace and full-/half-width differences ignored)."""

import re
import unicodedata
from html import unescape
from pathlib import Path

SEED = Path(__file__).resolve().parent / "fixtures" / "seed.txt"
THRESHOLD = 0.95
# Markers the PDF prints before items; the site shows them as list structure instead.
LEADING_MARKS = re.compile(r"^(?:[◆◎※・]|\(\d\)|[a-e]\)|\d(?=\D))+")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text)


def seed_lines() -> list[str]:
    """Each non-empty seed line, split into its chunks where the PDF merged table columns."""
    lines = []
    for raw in SEED.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            lines.append(raw)
    return lines


def carried(line: str, corpus: str) -> bool:
    """A line is carried when each of its chunks (split at spaces), stripped of list
    markers, appears in the pages. Chunks of one character carry no wording."""
    chunks = [LEADING_MARKS.sub("", normalise(c)) for c in line.split()]
    chunks = [c for c in chunks if len(c) > 1]
    return all(c in corpus for c in chunks)


def site_text(site_dir: Path) -> str:
    texts = []
    for html in site_dir.rglob("*.html"):
        body = html.read_text(encoding="utf-8")
        body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S)
        texts.append(unescape(re.sub(r"<[^>]+>", "", body)))
    return normalise("".join(texts))


def test_at_least_95_percent_of_the_seed_lines_are_in_the_site(site_dir):
    corpus = site_text(site_dir)
    lines = seed_lines()
    missing = [line for line in lines if not carried(line, corpus)]
    share = 1 - len(missing) / len(lines)
    print(f"\nseed lines carried: {len(lines) - len(missing)} / {len(lines)} ({share:.1%})")
    for line in missing:
        print("  missing:", line.strip())
    assert share >= THRESHOLD


def test_the_check_notices_missing_wording():
    corpus = normalise("情報セキュリティ事故発生")
    assert carried("情報セキュリティ事故発生", corpus)
    assert not carried("◎外部から通報があった場合", corpus)
