"""The search normaliser: one rule for the index (macros/search.py, at build time) and for
the query (hb-normalise.js, in the search worker), checked against one table of cases
(tests/fixtures/search-normalise.json); and the hidden fields the build writes."""

import json
import re
from pathlib import Path

import pytest

from macros.search import (
    FIELDS,
    VARIANTS,
    changed_words,
    normalise,
    rewrite_index,
    search_fields,
    tails,
)

ROOT = Path(__file__).resolve().parent.parent
CASES = json.loads((ROOT / "tests/fixtures/search-normalise.json").read_text(encoding="utf-8"))
CASES = [(c["in"], c["out"]) for c in CASES["cases"]]
NORMALISER_JS = ROOT / "docs/assets/javascripts/workers/hb-normalise.js"
SEPARATOR = re.compile(
    (ROOT / "mkdocs.yml")
    .read_text(encoding="utf-8")
    .split("separator: '", 1)[1]
    .split("'", 1)[0]
    .replace("''", "'")
)


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_python_normaliser(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_normalising_twice_changes_nothing(text, expected):
    # The build normalises the pages and the worker the query: normalised text must stay
    # as it is when it meets the normaliser again (an indexed word typed as indexed).
    assert normalise(expected) == expected


def test_javascript_normaliser_gives_the_same_output(page):
    """The worker's normaliser, in Chromium, on the same table."""
    page.goto("about:blank")
    page.add_script_tag(path=str(NORMALISER_JS))
    got = page.evaluate("cases => cases.map(c => self.hbNormalise(c))", [c[0] for c in CASES])
    assert list(zip([c[0] for c in CASES], got, strict=True)) == CASES


def test_every_variant_has_a_case():
    inputs = " ".join(text for text, _ in CASES)
    assert [variant for variant, _ in VARIANTS if variant not in inputs] == []


def test_both_normalisers_have_the_same_variants():
    js = NORMALISER_JS.read_text(encoding="utf-8")
    assert re.findall(r'\["([^"]+)", "([^"]+)"\]', js) == list(VARIANTS)


def test_tails_of_compound_words():
    assert tails(normalise("最終的な事故報告書")) == ["終的", "故報告書", "報告書", "告書"]
    assert tails("bittorrent") == [
        "ittorrent",
        "ttorrent",
        "torrent",
        "orrent",
        "rrent",
        "rent",
        "ent",
    ]
    assert tails("ランサムウエア 紛失") == []  # kana words whole, two kanji no tails


def test_changed_words_are_only_what_normalising_changed():
    assert changed_words("ウイルスに感染した", SEPARATOR) == "ニ シタ"
    # Full-width letters are not Latin to the separator: the page's word was ＵＳＢメモリ.
    assert changed_words("ＵＳＢメモリ", SEPARATOR) == "usb メモリ"
    assert changed_words("情報漏洩", SEPARATOR) == "情報漏 エイ"  # kanji | kana, as the pages
    assert changed_words("不正アクセス", SEPARATOR) == ""


def test_search_fields_of_a_type_page():
    fields = search_fields(
        "3-1 紛失・盗難の場合の対応", "", ["紛失", "落とした", "ふんしつ"], SEPARATOR
    )
    # Kanji words are no different normalised: only の and the hiragana keyword are.
    assert fields == {"ntitle": "ノ", "keywords": "紛失 落トシタ フンシツ"}


def test_search_fields_take_the_text_out_of_its_markup():
    fields = search_fields("連絡先", "<ul><li>ｳｲﾙｽ &amp; ﾒｰﾙ</li></ul>", [], SEPARATOR)
    assert fields == {"ntext": "ウイルス メール", "nsub": "絡先"}


def test_rewrite_index_adds_the_hidden_fields_with_their_boosts():
    index = {
        "config": {"separator": SEPARATOR.pattern, "fields": {"title": {"boost": 1000.0}}},
        "docs": [
            {"location": "types/loss-theft/", "title": "紛失・盗難", "text": ""},
            {"location": "types/loss-theft/#cases", "title": "事例", "text": "<p>なくした</p>"},
            {"location": "print/#loss-theft", "title": "紛失・盗難", "text": ""},
        ],
    }
    rewrite_index(index, {"types/loss-theft/": ["紛失", "ふんしつ"]})
    assert index["config"]["fields"] == {
        "title": {"boost": 1000.0},
        **{name: {"boost": boost} for name, boost in FIELDS.items()},
    }
    page, section, printed = index["docs"]
    assert page["keywords"] == "紛失 フンシツ"
    assert section["ntext"] == "ナクシタ"
    assert "keywords" not in section
    assert (
        page["title"] == "紛失・盗難" and section["text"] == "<p>なくした</p>"
    )  # shown as written
