/* Search worker: Material's own worker, with each query normalised and segmented exactly
   as the pages were indexed, and forgiving of how people type (see notes/search.md).

   The build (macros/search.py) wrote the pages' normalised text into hidden fields of the
   index; here each query goes through the same normaliser (hb-normalise.js: NFKC, kana,
   variants), then through the separator and TinySegmenter that cut the pages. Material
   then runs its experimental Chinese segmentation on runs of kanji, which never looks at a
   run's last character; a sentinel kanji that the separator removes keeps that character.
   Lone kana (particles, endings) are left out of the query, like stop words.
   A word that no indexed word starts with is forgiven (forgive): it is replaced by the
   indexed words it is made of (ぱそこんをおとした), or by the indexed words one edit away
   (粉失 -> 紛失), or cut back to its longest part that starts an indexed word.
   In the results, the best matching section of each page is shown; the folded ones are
   sent without their text, and only the 10 best pages (shapeResult).

   Loaded instead of Material's worker (overrides/main.html), which it then imports:
   ?material=<file name of Material's worker in this folder>. */
"use strict";

var SETUP = 0;
var QUERY = 2;
var RESULT = 3;
var SENTINEL = "\u9fff"; // also in the separator (mkdocs.yml), so it never reaches lunr
var KANJI = /[\u3400-\u9ffe\uf900-\ufaff々]/;
var EXACT = "^2"; // the boost of a query word looked up as itself (not as a prefix)
var separator = null; // from the index's config, on SETUP
var terms = null; // every indexed word, sorted (from the lunr index, on SETUP)
var inverted = null; // the lunr index's words -> fields -> documents
var documents = 0; // how many documents the index has
var STOP_SHARE = 0.1; // a folded kana word in this share of the documents is an ending

/* --- the index's words ------------------------------------------------------------- */

// Material builds its lunr index on SETUP: keep its words to compare query words with,
// and how many documents have each folded word (ntext: words written in hiragana on the
// pages), to tell endings (シタ, サレタ) from words. Then drop the hidden fields from the
// documents: Material would copy them into every result and highlight them for nothing.
function watchIndex(setup) {
  if (typeof lunr === "undefined") return;
  var hidden = Object.keys(setup.config.fields).filter(function (name) {
    return ["title", "text", "tags"].indexOf(name) < 0;
  });
  var build = lunr.Builder.prototype.hbBuild || lunr.Builder.prototype.build;
  lunr.Builder.prototype.hbBuild = build;
  lunr.Builder.prototype.build = function () {
    var index = build.call(this);
    terms = Object.keys(index.invertedIndex).sort();
    inverted = index.invertedIndex;
    documents = setup.docs.length;
    setup.docs.forEach(function (doc) {
      hidden.forEach(function (name) { delete doc[name]; });
    });
    return index;
  };
}

// Whether a kana word is an ending or a particle: it is one of the folded words of at
// least STOP_SHARE of the documents. (Lone kana always are.)
function isEnding(word) {
  if (!/^[\u30a1-\u30fc]+$/.test(word)) return false;
  if (word.length === 1) return true;
  var posting = inverted && Object.prototype.hasOwnProperty.call(inverted, word) && inverted[word].ntext;
  return Boolean(posting) && Object.keys(posting).length >= STOP_SHARE * documents;
}

// Index of the first word >= word in the sorted list.
function lowerBound(word) {
  var lo = 0, hi = terms.length;
  while (lo < hi) {
    var mid = (lo + hi) >> 1;
    if (terms[mid] < word) lo = mid + 1; else hi = mid;
  }
  return lo;
}

// Whether some indexed word starts with word (lunr matches query words as prefixes).
function starts(word) {
  var i = lowerBound(word);
  return i < terms.length && terms[i].lastIndexOf(word, 0) === 0;
}

// Whether a and b are at most one edit apart (change, insert, delete, swap).
function oneEdit(a, b) {
  if (a === b) return true;
  var la = a.length, lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  var i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

// Indexed words one edit away from word; two-character words only by one change.
function nearWords(word) {
  var out = [];
  for (var i = 0; i < terms.length; i++) {
    var t = terms[i];
    if (word.length === 2 ? t.length === 2 : Math.abs(t.length - word.length) <= 1) {
      if (t.length >= 2 && oneEdit(word, t)) out.push(t);
    }
  }
  return out;
}

/* A query word no indexed word starts with: the indexed words it is made of (longest
   first: each part is the longest that starts an indexed word; single characters only
   if kanji), else those one edit away, else the longest head that starts a word. */
function forgive(word) {
  if (!terms || word.length < 2 || starts(word)) return [word];
  var parts = [];
  var covered = 0;
  for (var i = 0; i < word.length;) {
    var j = i + 1;
    while (j < word.length && starts(word.slice(i, j + 1))) j++;
    var part = word.slice(i, j);
    if ((part.length >= 2 || KANJI.test(part)) && starts(part)) {
      parts.push(part);
      covered += part.length;
      i = j;
    } else {
      i++;
    }
  }
  if (covered === word.length) return parts;
  var near = nearWords(word);
  return near.length ? near.concat(parts) : parts.length ? parts : [word];
}

/* --- the query --------------------------------------------------------------------- */

function segmentQuery(query) {
  if (!separator) return query;
  var segmenter = typeof lunr !== "undefined" && lunr.segmenter;
  var out = [];
  self.hbNormalise(query).split(/\s+/).forEach(function (term) {
    term.split(separator).forEach(function (piece) {
      if (!piece) return;
      var parts = segmenter && /^[MHIK]$/.test(segmenter.ctype_(piece))
        ? segmenter.segment(piece) : [piece];
      parts.forEach(function (part) {
        forgive(part).forEach(function (word) {
          if (KANJI.test(word)) word += SENTINEL;
          // Two kana are mostly an ending (ナイ, シタ): the word itself, not every word
          // it begins (ナイブフセイ); a boost of 1 keeps Material from adding "*".
          else if (/^[\u30a1-\u30fc]{2}$/.test(word)) word += "^1";
          out.push(word);
        });
      });
    });
  });
  // An ending or a particle (ニ, ヲ, シタ, サレタ) matches almost every page; leave it
  // out unless nothing else is left.
  var meaningful = out.filter(function (part) { return !isEnding(part.replace(/\^1$/, "")); });
  var seen = {};
  var words = (meaningful.length ? meaningful : out).filter(function (part) {
    return seen[part] ? false : (seen[part] = true);
  });
  // Material looks each word up as a prefix (盗 finds 盗難 too); the word itself, once
  // more with a boost (which Material leaves without "*"), counts more than the longer
  // words it begins, so a rare longer word does not outweigh the word asked for.
  var exact = words.filter(function (w) { return !/\^1$/.test(w); })
    .map(function (w) { return w + EXACT; });
  return words.concat(exact).join(" ");
}

// Material registers one message listener; wrap it to rewrite queries first.
var addListener = self.addEventListener.bind(self);
self.addEventListener = function (type, listener, options) {
  if (type !== "message") return addListener(type, listener, options);
  return addListener(type, function (event) {
    var message = event.data;
    if (message && message.type === SETUP) {
      separator = new RegExp(message.data.config.separator);
      watchIndex(message.data);
    }
    if (message && message.type === QUERY) {
      message = { type: QUERY, data: segmentQuery(message.data) };
    }
    return listener({ data: message });
  }, options);
};

/* Material unfolds only the sections that score as high as a result's first entry and
   folds the others under "N more on this page".
   A type page found through its keywords outscores its sections, so its best section
   (the phase that matched) would stay folded: lift that one to the page's score.
   What Material is sent is what made results slow as the handbook grew (with 36 types a
   common word such as 情報 matched ~700 sections, 300-400 KB an answer, all drawn):
   - folded sections go without their text (their titles are the links), at most
     MAX_FOLDED of them (a type page has fewer; the print set has every type's);
   - only the best PAGES pages: Material draws 10 at once and, when there are more, measures
     the whole list to know when to draw the rest (a forced layout, +6 ms median). */
var PAGES = 10;
var MAX_FOLDED = 20;

function shapeResult(result) {
  result.items = (result.items || []).slice(0, PAGES);
  result.items.forEach(function (group) {
    var page = group[0];
    var best = group[1];
    if (page && best && page.location.indexOf("#") < 0 && best.score < page.score) {
      best.score = page.score;
    }
    var threshold = group[0].score;
    var folded = 0;
    var kept = group.filter(function (doc) {
      if (doc.location.indexOf("#") < 0 || doc.score >= threshold) return true;
      doc.text = "";
      return ++folded <= MAX_FOLDED;
    });
    group.length = 0;
    Array.prototype.push.apply(group, kept);
  });
  return result;
}

var post = self.postMessage.bind(self);
self.postMessage = function (message, transfer) {
  if (message && message.type === RESULT) message.data = shapeResult(message.data);
  return transfer ? post(message, transfer) : post(message);
};

// Material's worker and the normaliser lie beside this file. In the offline edition this
// runs in an iframe (iframe-worker), whose location is the page's: take our own script's
// address then.
var here = (self.document && document.currentScript && document.currentScript.src) || location.href;
var material = new URL(here).searchParams.get("material").split("?")[0];
importScripts(new URL("hb-normalise.js", here).href, new URL(material, here).href);
