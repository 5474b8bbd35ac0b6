/* Checklist storage: one localStorage entry per ticked step, never trusted blindly.
   Key:   hb:v1:<site root path>|<page id>|<step id>     (v1 = format version)
   Value: {"at": "<ISO date-time the step was ticked>"}
   Records (record.js) use names beginning with @ in the step's place, and a record
   other than the default one adds ~<record id> to the page id.
   Every access is wrapped: a disabled, throwing or full storage, or a corrupted value,
   never breaks the page; the checklist then works for this visit only. The first fault
   is announced with hb:storage-fault {error} on document, and every page shown from then
   on carries one notice saying so (.hb-storage-notice, styled in base.css). */
(function (HB) {
  "use strict";

  var VERSION = "v1";
  var here = document.currentScript && document.currentScript.src;
  // The site's root path scopes the keys, so that two sites on one server never mix.
  var root = here ? new URL("../../", here).pathname : "/";
  var prefix = "hb:" + VERSION + ":" + root + "|";
  var memory = {}; // fallback for this visit when localStorage fails
  var failed = false;
  var NOTICE = "このブラウザではチェックの状態を保存できません。" +
    "チェックはこのページを開いている間だけ有効です。";

  function showNotice() {
    var content = document.querySelector("article.md-content__inner") || document.body;
    if (content.querySelector(".hb-storage-notice")) return;
    var notice = document.createElement("p");
    notice.className = "hb-storage-notice";
    notice.setAttribute("role", "status");
    notice.textContent = NOTICE;
    var h1 = content.querySelector("h1");
    if (h1) h1.insertAdjacentElement("afterend", notice); else content.prepend(notice);
  }

  function fail(error) {
    if (failed) return;
    failed = true;
    document.dispatchEvent(new CustomEvent("hb:storage-fault", { detail: { error: error } }));
  }
  document.addEventListener("hb:storage-fault", showNotice);
  document.addEventListener("hb:page-mounted", function () { if (failed) showNotice(); });

  function store() {
    if (failed) return null;
    try {
      var s = window.localStorage;
      if (!s) throw new Error("localStorage is not available");
      return s;
    } catch (error) {
      fail(error);
      return null;
    }
  }

  function key(pageId, stepId) {
    return prefix + pageId + "|" + stepId;
  }

  function parse(raw) {
    try {
      var value = JSON.parse(raw);
      if (value && typeof value.at === "string" && !isNaN(Date.parse(value.at))) return value;
    } catch (ignored) { /* corrupted: treated as not ticked */ }
    return null;
  }

  HB.storage = {
    /** The stored record of a step ({at}) or null. */
    get: function (pageId, stepId) {
      var k = key(pageId, stepId);
      var s = store();
      if (!s) return memory[k] || null;
      try {
        var raw = s.getItem(k);
        return raw === null ? null : parse(raw);
      } catch (error) {
        fail(error);
        return memory[k] || null;
      }
    },

    /** Record a step as done at the given Date; record=null clears it. */
    set: function (pageId, stepId, record) {
      var k = key(pageId, stepId);
      if (record) memory[k] = record; else delete memory[k];
      var s = store();
      if (!s) return;
      try {
        if (record) s.setItem(k, JSON.stringify(record)); else s.removeItem(k);
      } catch (error) {
        fail(error);
      }
    },

    /** Any JSON value stored under page|name (records, answers); null when absent or corrupt. */
    read: function (pageId, name) {
      var k = key(pageId, name);
      var s = store();
      var raw = null;
      if (s) {
        try { raw = s.getItem(k); } catch (error) { fail(error); }
      }
      if (raw === null && k in memory) return memory[k];
      try { return raw === null ? null : JSON.parse(raw); } catch (ignored) { return null; }
    },

    write: function (pageId, name, value) {
      var k = key(pageId, name);
      memory[k] = value;
      var s = store();
      if (!s) return;
      try { s.setItem(k, JSON.stringify(value)); } catch (error) { fail(error); }
    },

    /** Remove every stored entry whose key starts with prefix + start;
        stepsOnly keeps the named entries (records, answers: names begin with @). */
    clear: function (start, stepsOnly) {
      var begin = prefix + (start || "");
      function doomed(k) {
        return k.indexOf(begin) === 0 && !(stepsOnly && /\|@[^|]*$/.test(k));
      }
      Object.keys(memory).forEach(function (k) { if (doomed(k)) delete memory[k]; });
      var s = store();
      if (!s) return;
      try {
        var keys = [];
        for (var i = 0; i < s.length; i++) {
          var k = s.key(i);
          if (k && doomed(k)) keys.push(k);
        }
        keys.forEach(function (k) { s.removeItem(k); });
      } catch (error) {
        fail(error);
      }
    },

    /** Is this storage event about the given page? */
    concerns: function (event, pageId) {
      return event.key === null || event.key.indexOf(prefix + pageId + "|") === 0;
    },
  };

  // Try a write now, so that a storage that cannot keep anything is known at once.
  (function probe() {
    var s = store();
    if (!s) return;
    try {
      s.setItem(prefix + "probe", "1");
      s.removeItem(prefix + "probe");
    } catch (error) {
      fail(error);
    }
  })();
})((window.HB = window.HB || {}));
