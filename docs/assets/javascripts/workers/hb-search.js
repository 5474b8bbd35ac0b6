/* Search worker: Material's own worker, with each query segmented exactly as the pages
   were indexed (see notes/search.md).

   Material indexes a page by splitting its text with the configured separator (spaces,
   punctuation, script changes) and each Japanese piece with TinySegmenter. It does not
   segment queries the same way, so here, before Material sees a query, the query is put
   through that same separator and TinySegmenter. Material then runs its experimental
   Chinese segmentation on runs of kanji, which never looks at a run's last character;
   a sentinel kanji that the separator removes keeps that character in the query.
   Lone hiragana (particles, endings) are left out of the query, like stop words.
   In the results, the best matching section of each page is shown (showBestSection).

   Loaded instead of Material's worker (overrides/main.html), which it then imports:
   ?material=<file name of Material's worker in this folder>. */
"use strict";

var SETUP = 0;
var QUERY = 2;
var RESULT = 3;
var SENTINEL = "\u9fff"; // also in the separator (mkdocs.yml), so it never reaches lunr
var separator = null; // from the index's config, on SETUP

function segmentQuery(query) {
  if (!separator) return query;
  var segmenter = typeof lunr !== "undefined" && lunr.segmenter;
  var out = [];
  query.split(/\s+/).forEach(function (term) {
    term.split(separator).forEach(function (piece) {
      if (!piece) return;
      var parts = segmenter && /^[MHIK]$/.test(segmenter.ctype_(piece))
        ? segmenter.segment(piece) : [piece];
      parts.forEach(function (part) {
        out.push(/[\u3400-\u9ffe\uf900-\ufaff々]/.test(part) ? part + SENTINEL : part);
      });
    });
  });
  // A lone hiragana (a particle or an ending: に, を, た) matches almost every page
  // as a prefix; leave it out unless nothing else is left.
  var meaningful = out.filter(function (part) { return !/^[\u3041-\u309f]$/.test(part); });
  return (meaningful.length ? meaningful : out).join(" ");
}

// Material registers one message listener; wrap it to rewrite queries first.
var addListener = self.addEventListener.bind(self);
self.addEventListener = function (type, listener, options) {
  if (type !== "message") return addListener(type, listener, options);
  return addListener(type, function (event) {
    var message = event.data;
    if (message && message.type === SETUP) {
      separator = new RegExp(message.data.config.separator);
    }
    if (message && message.type === QUERY) {
      message = { type: QUERY, data: segmentQuery(message.data) };
    }
    return listener({ data: message });
  }, options);
};

/* Material unfolds only the sections that score as high as a result's first entry.
   A type page found through its keywords outscores its sections, so its best section
   (the phase that matched) would stay folded: lift that one to the page's score. */
function showBestSection(result) {
  (result.items || []).forEach(function (group) {
    var page = group[0];
    var best = group[1];
    if (page && best && page.location.indexOf("#") < 0 && best.score < page.score) {
      best.score = page.score;
    }
  });
  return result;
}

var post = self.postMessage.bind(self);
self.postMessage = function (message, transfer) {
  if (message && message.type === RESULT) message.data = showBestSection(message.data);
  return transfer ? post(message, transfer) : post(message);
};

// Material's worker lies beside this file. In the offline edition this runs in an iframe
// (iframe-worker), whose location is the page's: take our own script's address then.
var here = (self.document && document.currentScript && document.currentScript.src) || location.href;
var material = new URL(here).searchParams.get("material").split("?")[0];
importScripts(new URL(material, here).href);
