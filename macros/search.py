"""Forgiving Japanese search: the text normaliser and the hidden fields of the search index.

`normalise` is the one rule for both sides of the search: here it is applied to the index
at build time (on_post_build, through `rewrite_index`), and its JavaScript twin
(docs/assets/javascripts/workers/hb-normalise.js) is applied to each query in the browser.
tests/fixtures/search-normalise.json holds the cases both must pass.

Material shows a result's `title` and `text` and highlights in them the words of the query
it finds there, so those stay as written and keep their boosts. What normalising changes
goes into fields that are indexed but never shown:

    ntitle    the words of the title that normalising changed   (boost as titles)
    ntext     the words of the text that normalising changed    (boost as text)
    keywords  the page's keywords and yomi, normalised           (boost as titles)
    nsub      sub-words: the tails of the compound words of the title, keywords and
              yomi (報告書 of 事故報告書), so a word inside a compound is found too

Only changed words: a word in both `text` and `ntext` would count twice in lunr's idf and
let rare words outweigh common ones. The print set ranks below the pages it repeats
(PAGE_BOOSTS). See notes/search.md.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Spellings folded into one (after hiragana became katakana); the order matters.
VARIANTS = (
    ("ヴァ", "バ"),
    ("ヴィ", "ビ"),
    ("ヴェ", "ベ"),
    ("ヴォ", "ボ"),
    ("ヴ", "ブ"),
    ("ウィ", "ウイ"),
    ("ウェ", "ウエ"),
    ("ウォ", "ウオ"),
    ("メイル", "メール"),
    ("スマートホン", "スマートフォン"),
    ("漏洩", "漏エイ"),
    ("脆弱", "ゼイ弱"),
    ("改竄", "改ザン"),
)

_LOWER = re.compile("[A-Z]+")
# A dash or a wave after kana is a long vowel mark typed with the wrong key (メ-ル).
_DASH = re.compile("(?<=[ぁ-ゖァ-ヺー])[-‐‑‒–—―−〜~]")
# Where hiragana meets katakana, the pages' separator splits words; keep that split once
# both are katakana: ウイルスに -> ウイルス に.
_HIRA_KATA = re.compile("([ぁ-ゖゝゞ]ー*)(?=[ァ-ヺヽヾ])")
_KATA_HIRA = re.compile("([ァ-ヺヽヾ]ー*)(?=[ぁ-ゖゝゞ])")
_HIRAGANA = re.compile("[ぁ-ゖゝゞ]")
# A long vowel mark ending a katakana word of three or more: サーバー -> サーバ.
_LONG_END = re.compile("(?<=[ァ-ヺー]{2}[ァ-ヺ])ー(?![ァ-ヺヽヾー])")


def normalise(text: str) -> str:
    """Text as search compares it: NFKC (half-width katakana, full-width Latin and
    digits), Latin in lower case, long vowel marks, hiragana as katakana, and the
    variant spellings of VARIANTS. Pure; the worker's normalise() does the same."""
    text = unicodedata.normalize("NFKC", text)
    text = _LOWER.sub(lambda m: m.group().lower(), text)
    text = _DASH.sub("ー", text)
    text = _HIRA_KATA.sub(r"\1 ", text)
    text = _KATA_HIRA.sub(r"\1 ", text)
    text = _HIRAGANA.sub(lambda m: chr(ord(m.group()) + 0x60), text)
    for variant, common in VARIANTS:
        text = text.replace(variant, common)
    return _LONG_END.sub("", text)


# --- the search index ---------------------------------------------------------------

FIELDS = {"ntitle": 1000.0, "ntext": 1.0, "keywords": 1000.0, "nsub": 100.0}
# Document boosts by page (its address without "/" or ".html"): the print set repeats
# every checklist and the contacts, so the pages themselves rank above it.
PAGE_BOOSTS = {"print": 0.5}
_TAG = re.compile(r"<[^>]*>")
# Words whose tails are indexed: runs of three or more kanji (tails of two or more:
# 事故報告書 -> 故報告書 報告書 告書) and of four or more Latin letters (tails of three or
# more: bittorrent -> torrent). Kana words are left whole: their tails are mostly not
# words (ランサムウエア -> ムウエア).
_WORDS = ((re.compile(r"[\u3400-\u9fff々〆]{3,}"), 2), (re.compile(r"[a-z]{4,}"), 3))


def plain(fragment: str) -> str:
    """The text of an HTML fragment of the index (Material keeps some markup)."""
    return html.unescape(_TAG.sub(" ", fragment))


def tails(text: str) -> list[str]:
    """The tails of the compound words of normalised text (see _WORDS), each once."""
    out: list[str] = []
    for pattern, least in _WORDS:
        for word in pattern.findall(text):
            out += [word[i:] for i in range(1, len(word) - least + 1)]
    return list(dict.fromkeys(out))


def changed_words(text: str, separator: re.Pattern) -> str:
    """The words (as the separator cuts them, like Material does) of normalise(text) that
    are not words of text: what only the normalised query can find."""
    words = {w.lower() for w in separator.split(text) if w}
    changed = [w for w in separator.split(normalise(text)) if w and w not in words]
    return " ".join(dict.fromkeys(changed))


def search_fields(title: str, text: str, terms: list[str], separator: re.Pattern) -> dict:
    """The hidden fields of one document of Material's index: title and text are its
    HTML fragments; terms its page's keywords and yomi (only the page's own entry)."""
    title, text = plain(title), plain(text)
    keywords = normalise(" ".join(terms))
    fields = {
        "ntitle": changed_words(title, separator),
        "ntext": changed_words(text, separator),
        "keywords": keywords if terms else "",
        "nsub": " ".join(tails(f"{normalise(title)} {keywords}")),
    }
    return {name: value for name, value in fields.items() if value.strip()}


def rewrite_index(index: dict, terms: dict[str, list[str]]) -> dict:
    """Material's search index (search_index.json) with the hidden fields added to every
    document. terms: page URL -> its keywords and yomi."""
    separator = re.compile(index["config"]["separator"])
    index["config"]["fields"].update({name: {"boost": b} for name, b in FIELDS.items()})
    for doc in index["docs"]:
        terms_here = terms.get(doc["location"], [])
        doc.update(search_fields(doc["title"], doc["text"], terms_here, separator))
        page = doc["location"].split("#")[0].removesuffix("/").removesuffix(".html")
        if page in PAGE_BOOSTS:
            doc["boost"] = PAGE_BOOSTS[page]
    return index
