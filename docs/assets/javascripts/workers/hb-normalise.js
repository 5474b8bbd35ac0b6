/* The search normaliser: the JavaScript twin of normalise() in macros/search.py, which
   the build applies to the search index; hb-search.js applies this one to each query.
   Both must give the same output for the cases of tests/fixtures/search-normalise.json
   (tests/test_search_normalise.py runs them through both). Pure: text in, text out.

   NFKC (half-width katakana, full-width Latin and digits), Latin in lower case, a dash
   after kana as a long vowel mark (メ-ル), a space where hiragana meets katakana (the
   pages' separator splits there), hiragana as katakana, the variant spellings below,
   and no long vowel mark at the end of a katakana word of three or more (サーバー). */
(function (root) {
  "use strict";

  // Spellings folded into one (after hiragana became katakana); the order matters.
  var VARIANTS = [
    ["ヴァ", "バ"],
    ["ヴィ", "ビ"],
    ["ヴェ", "ベ"],
    ["ヴォ", "ボ"],
    ["ヴ", "ブ"],
    ["ウィ", "ウイ"],
    ["ウェ", "ウエ"],
    ["ウォ", "ウオ"],
    ["メイル", "メール"],
    ["スマートホン", "スマートフォン"],
    ["漏洩", "漏エイ"],
    ["脆弱", "ゼイ弱"],
    ["改竄", "改ザン"]
  ];

  var LOWER = /[A-Z]+/g;
  var DASH = /(?<=[ぁ-ゖァ-ヺー])[-‐‑‒–—―−〜~]/g;
  var HIRA_KATA = /([ぁ-ゖゝゞ]ー*)(?=[ァ-ヺヽヾ])/g;
  var KATA_HIRA = /([ァ-ヺヽヾ]ー*)(?=[ぁ-ゖゝゞ])/g;
  var HIRAGANA = /[ぁ-ゖゝゞ]/g;
  var LONG_END = /(?<=[ァ-ヺー]{2}[ァ-ヺ])ー(?![ァ-ヺヽヾー])/g;

  function normalise(text) {
    text = text.normalize("NFKC")
      .replace(LOWER, function (s) { return s.toLowerCase(); })
      .replace(DASH, "ー")
      .replace(HIRA_KATA, "$1 ")
      .replace(KATA_HIRA, "$1 ")
      .replace(HIRAGANA, function (c) { return String.fromCharCode(c.charCodeAt(0) + 0x60); });
    for (var i = 0; i < VARIANTS.length; i++) {
      text = text.split(VARIANTS[i][0]).join(VARIANTS[i][1]);
    }
    return text.replace(LONG_END, "");
  }

  root.hbNormalise = normalise;
})(self);
