/* Storage: the incident records in localStorage, one JSON document per record written with
   one localStorage write (whole or not at all), and the record each tab shows.

     localStorage   hb:v2:<scope>|record|<page id>|<record id>   one record's document
     localStorage   hb:v2:<scope>|draft|<page id>|<record id>    a note typed, not yet added
     sessionStorage hb:v2:<scope>|selected|<page id>             the record this tab shows
   <scope> is scope().key below: the storage id of data/organization.yml and, over http, the
   site's path; never its title. Record id "" is 既定の記録 (the ticks of a page without records, such as basics, live there too).
   The document: record-format.js (version 3, a CRDT state: record-crdt.js).

   A tab keeps the record it shows in memory (HB.storage.session: record-session.js): what
   is on screen is the document, whatever storage does. Each change is one new entry of the
   state; writing reads what storage holds, merges it in (HB.crdt.merge: nothing another
   tab added is lost, nothing deleted comes back) and writes the result. A `storage` event
   merges in what another tab wrote, and writes back when this tab holds something storage
   lacks: tabs converge even when two writes overwrite each other. Format 1
   (hb:v1:<site root path>|...) is migrated on first use, then removed; version 2 documents
   are read as version 3 and written as such with the next change.

   Every access is wrapped: a disabled, throwing or full storage, or a corrupted value, never
   breaks the page. A write that fails is kept in memory for this visit and tried again with
   the next change; while writes fail, hb:storage-fault {error} has been sent on document and
   every page shown carries one notice (.hb-storage-notice, record-notices.js). */
(function (HB) {
  "use strict";

  var here = document.currentScript && document.currentScript.src;
  var root = here ? new URL("../../", here).pathname : "/"; // format 1 keyed by the site's path
  var SCOPE = scope();
  var PREFIX = "hb:v2:" + SCOPE.key + "|";
  var RECORDS = PREFIX + "record|";
  var SELECTED = PREFIX + "selected|";
  var V1 = "hb:v1:" + root + "|";
  var DRAFTS = PREFIX + "draft|";
  var MINE = PREFIX + "replicas"; // sessionStorage: the replicas this tab has been
  // record-crdt.js, record-format.js, record-notices.js: met at call time (any load order)

  function time() { return HB.report.time; } // report.js; scripts meet at mount time

  /** Which store this copy uses: {key, id, root, legacy}. Never a display name: the
      storage_id of data/organization.yml (<meta name=hb-scope>, macros/hooks.py), so a new
      title keeps every record. Over http(s) "<id>@<the site's path>": two copies on one server
      (/handbook/, /handbook-test/) are two stores, unless storage_shared_across_paths makes
      it "<id>"; from a file "<id>": the offline edition finds its records from any folder.
      legacy: the title-based scope of earlier builds (store-finder.js offers its records). */
  function scope() {
    var meta = document.querySelector("meta[name=hb-scope]");
    var id = meta && meta.content ? meta.content : "";
    var file = here ? /^file:/.test(here) : location.protocol === "file:";
    var path = root.replace(/\|/g, "%7C"); // "|" ends a scope in keys; URLs keep it as is
    var shared = file || (!!meta && meta.getAttribute("data-paths") === "shared");
    return {
      key: !id ? path : shared ? id : id + "@" + path,
      id: id,
      root: root,
      legacy: meta ? meta.getAttribute("data-legacy") || "" : "",
    };
  }

  /* --- localStorage, never trusted ----------------------------------------------------- */

  var memory = {}; // key -> text this visit wrote but storage did not take (null: removed)
  var failing = false;

  function local() {
    var s = window.localStorage;
    if (!s) throw new Error("localStorage is not available");
    return s;
  }

  function fail(error) {
    if (failing) return;
    failing = true;
    document.dispatchEvent(new CustomEvent("hb:storage-fault", { detail: { error: error } }));
  }
  document.addEventListener("hb:storage-fault", function () { HB.notices.show("fault", HB.notices.NOTICE); });
  document.addEventListener("hb:page-mounted", function () {
    if (failing) HB.notices.show("fault", HB.notices.NOTICE);
    HB.notices.again();
    orphanNotice();
  });

  /** What storage holds under key: {ok, value (text or null)}; ok false when it cannot be read. */
  function stored(key) {
    try {
      return { ok: true, value: local().getItem(key) };
    } catch (error) {
      fail(error);
      return { ok: false, value: null };
    }
  }

  /** What this visit knows under key: its unsaved writes first, then storage. */
  function get(key) {
    return key in memory ? memory[key] : stored(key).value;
  }

  /** Write text under key in one step; the error, or null. keep: on failure, keep it in
      memory (it is on screen); without keep a failed write leaves no trace. */
  function set(key, text, keep) {
    try {
      local().setItem(key, text);
      delete memory[key];
      if (failing && !Object.keys(memory).some(function (k) { return memory[k] !== null; })) {
        failing = false;
        HB.notices.hide("fault");
      }
      return null;
    } catch (error) {
      if (keep) memory[key] = text;
      fail(error);
      return error;
    }
  }

  function remove(key) {
    try {
      local().removeItem(key);
      delete memory[key];
      return null;
    } catch (error) {
      memory[key] = null;
      fail(error);
      return error;
    }
  }

  /** Keys beginning with start, in storage or this visit's memory. */
  function keys(start) {
    var found = {};
    try {
      var s = local();
      for (var i = 0; i < s.length; i++) {
        var k = s.key(i);
        if (k && k.indexOf(start) === 0) found[k] = true;
      }
    } catch (error) {
      fail(error);
    }
    Object.keys(memory).forEach(function (k) {
      if (k.indexOf(start) !== 0) return;
      if (memory[k] === null) delete found[k]; else found[k] = true;
    });
    return Object.keys(found);
  }

  /* --- this tab: its choice and who it is (sessionStorage: each tab its own) -------------- */

  var tabMemory = {};

  function chosen(pageId) {
    try {
      var value = window.sessionStorage.getItem(SELECTED + pageId);
      if (value !== null) return value;
    } catch (ignored) { /* kept in memory below */ }
    return pageId in tabMemory ? tabMemory[pageId] : null;
  }

  function choose(pageId, id) {
    tabMemory[pageId] = id;
    try { window.sessionStorage.setItem(SELECTED + pageId, id); } catch (ignored) { /* memory */ }
  }

  // This visit's replica: random per JS context (a duplicated tab copies sessionStorage, so
  // an id kept there would be two tabs' at once). The replicas of this tab's earlier visits
  // are remembered only to say 「このタブで入力」 of what they typed; a visit is added to
  // them when it ends (pagehide), so a tab duplicated meanwhile never claims a live one.
  var REPLICA = Math.random().toString(36).slice(2, 10) || "r0";
  var counter = 0;
  var mine = {};
  try {
    (window.sessionStorage.getItem(MINE) || "").split(",").forEach(function (r) { if (r) mine[r] = true; });
  } catch (ignored) { /* this visit's only */ }
  mine[REPLICA] = true;
  window.addEventListener("pagehide", function () {
    try { window.sessionStorage.setItem(MINE, Object.keys(mine).slice(-50).join(",")); } catch (ignored) { /* only */ }
  });
  function isMine(r) { return mine[r] === true; }

  /* --- documents in storage ---------------------------------------------------------------- */

  function docKey(pageId, id) { return RECORDS + pageId + "|" + id; }
  function edition() {
    var own = document.querySelector("meta[name=hb-edition]");
    return own ? own.content : "";
  }

  /** The document in text (as stored), or null; its page and id are those of its key. */
  function parse(raw, pageId, id) {
    if (raw === null || raw === undefined) return null;
    var value;
    try { value = JSON.parse(raw); } catch (ignored) { return null; }
    var r = HB.recordFormat.read(value);
    if (!r) return null;
    r.doc.page = pageId;
    r.doc.id = id;
    return r.doc;
  }

  function load(pageId, id) { return parse(get(docKey(pageId, id)), pageId, id); }

  /** What a page shows of a document: its view, with page, id, edition, times. */
  function viewOf(doc) {
    var v = HB.crdt.view(doc, isMine);
    v.format = doc.format; v.version = doc.version; v.page = doc.page; v.id = doc.id;
    v.edition = doc.edition; v.created = doc.created; v.updated = doc.updated;
    v.kind = HB.recordFormat.kindOf(doc); v.scenario = doc.scenario || ""; v.started = doc.started || "";
    return v;
  }

  var migrated = false;

  /** Format 1, once per visit: each page's documents merged into what is stored, then its
      old keys removed (which frees room for the next page). What cannot be written stays
      in format 1 and is tried again on the next visit. */
  function ensureMigrated() {
    if (migrated) return;
    migrated = true;
    var entries = {};
    try {
      var s = local();
      for (var i = 0; i < s.length; i++) {
        var k = s.key(i);
        if (k && k.indexOf(V1) === 0) entries[k] = s.getItem(k);
      }
    } catch (error) {
      return;
    }
    if (!Object.keys(entries).length) return;
    var docs = HB.recordFormat.migrate(entries, V1);
    var pages = {};
    function pageOf(key) {
      var rest = key.slice(V1.length);
      var where = rest.slice(0, Math.max(rest.lastIndexOf("|"), 0));
      return where.split("~")[0];
    }
    Object.keys(entries).forEach(function (key) {
      (pages[pageOf(key)] = pages[pageOf(key)] || { docs: [], keys: [] }).keys.push(key);
    });
    docs.forEach(function (doc) { (pages[doc.page] = pages[doc.page] || { docs: [], keys: [] }).docs.push(doc); });
    var all = true;
    Object.keys(pages).sort().reverse().forEach(function (pageId) { // "" (the probe) last
      var ok = pages[pageId].docs.reduce(function (ok, doc) {
        var key = docKey(pageId, doc.id);
        var now = stored(key);
        var existing = now.ok ? parse(now.value, pageId, doc.id) : null;
        var next = existing ? HB.recordFormat.merge(existing, doc) : doc;
        if (existing && HB.crdt.canonical(next) === HB.crdt.canonical(existing)) return ok;
        // kept for this visit when it cannot be written: the list shows it all the same
        return set(key, JSON.stringify(next), true) === null && now.ok && ok;
      }, true);
      if (!ok) HB.notices.show("migrate", HB.notices.UNMIGRATED);
      if (ok && (pageId || all)) pages[pageId].keys.forEach(remove);
      all = all && ok;
    });
  }

  var summaries = {}; // key -> {raw, summary}: documents are read once per change

  /** The records of a page: [{id, name, created, updated, counts}], 既定の記録 first if
      stored, then by creation. */
  function records(pageId) {
    ensureMigrated();
    var start = RECORDS + pageId + "|";
    var list = [];
    keys(start).forEach(function (key) {
      var raw = get(key);
      var cached = summaries[key];
      if (!cached || cached.raw !== raw) {
        var doc = parse(raw, pageId, key.slice(start.length));
        cached = summaries[key] = {
          raw: raw,
          summary: doc && {
            id: doc.id, name: HB.crdt.view(doc).name, created: doc.created, updated: doc.updated, counts: HB.recordFormat.counts(doc),
            kind: HB.recordFormat.kindOf(doc), scenario: doc.scenario || "",
          },
        };
      }
      if (cached.summary) list.push(cached.summary);
    });
    function order(at) { var t = time().parse(at); return t ? t.ms : -Infinity; }
    return list.sort(function (a, b) {
      return (a.id ? 1 : 0) - (b.id ? 1 : 0) || order(a.created) - order(b.created) || (a.id < b.id ? -1 : 1);
    });
  }

  /* --- the record a tab shows: one session per page ------------------------------------------ */

  var sessions = {};

  /** The page notice for a record deleted elsewhere, where no record view says so. */
  function orphanNotice() {
    function alive(w) { return document.contains(w.element); }
    var unseen = Object.keys(sessions).some(function (p) {
      var s = sessions[p];
      return s.state === "orphaned" && s.watchers.some(alive) &&
        !s.watchers.some(function (w) { return w.shows && alive(w); });
    });
    if (unseen) HB.notices.show("orphaned", HB.notices.ORPHANED); else HB.notices.hide("orphaned");
  }

  /** The note typed but not added yet in record id of pageId: {text, at} or null. A draft
      lives in localStorage (a killed browser keeps it), apart from the record: it is no
      entry of the record, so no other tab, export or 第一報 shows it. */
  function draft(pageId, id) {
    var raw = get(DRAFTS + pageId + "|" + id);
    try {
      var d = raw && JSON.parse(raw);
      return d && typeof d.text === "string" ? { text: d.text, at: typeof d.at === "string" ? d.at : "" } : null;
    } catch (ignored) { return null; }
  }

  /** Keep (or, empty, forget) the note being typed; the error, or null. */
  function keepDraft(pageId, id, text, at) {
    if (!text) return removeDraft(pageId, id);
    return set(DRAFTS + pageId + "|" + id, JSON.stringify({ text: text, at: at || "" }), true);
  }

  function removeDraft(pageId, id) {
    delete summaries[docKey(pageId, id)];
    return remove(DRAFTS + pageId + "|" + id);
  }

  var hiding = []; // called before the page is hidden (drafts typed)
  function flushAll() {
    hiding.forEach(function (fn) { try { fn(); } catch (error) { console.error(error); } });
    Object.keys(sessions).forEach(function (p) { sessions[p].flush(); });
  }
  window.addEventListener("pagehide", flushAll);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flushAll();
  });

  // Another tab wrote or deleted a record (key null: something cleared all of localStorage).
  window.addEventListener("storage", function (event) {
    var key = event.key;
    if (key === null) {
      Object.keys(sessions).forEach(function (p) {
        sessions[p].incoming(true);
        sessions[p].notify({ type: "list" });
      });
      return;
    }
    if (key.indexOf(RECORDS) !== 0) return;
    var rest = key.slice(RECORDS.length);
    var bar = rest.lastIndexOf("|");
    var s = sessions[rest.slice(0, bar)];
    if (!s) return;
    if (s.id === rest.slice(bar + 1)) s.incoming(false);
    if (event.oldValue === null || event.newValue === null) s.notify({ type: "list" });
  });

  HB.storage = {
    /** What record-session.js uses of storage (not for components). */
    local: {
      stored: stored, set: set, remove: remove, docKey: docKey, parse: parse, load: load,
      chosen: chosen, choose: choose, records: records, viewOf: viewOf, edition: edition,
      removeDraft: removeDraft, orphanNotice: orphanNotice, replica: REPLICA,
      unsaved: function (key) { return memory[key] || null; },
      forget: function (key) { delete memory[key]; },
      next: function () { return ++counter; },
    },
    /** The document format (pure): read(value) → {doc, skipped} or null; counts(doc);
        noteId(doc); blank(pageId, id); fromJson(text, pageId); toJson(doc); compare. */
    get format() { return HB.recordFormat; },
    /** The handbook's edition shown on this page (new records are started on it). */
    edition: edition,
    onHide: function (fn) { hiding.push(fn); },
    draft: draft,
    keepDraft: keepDraft,

    /** The record this tab shows on page pageId (one per page and tab, kept across pages). */
    session: function (pageId) {
      ensureMigrated();
      return sessions[pageId] || (sessions[pageId] = new HB.RecordSession(pageId));
    },

    records: records,
    /** This copy's store: {key, id, root, legacy} (see scope above; store-finder, clear-all). */
    scope: SCOPE,
    why: function (error) { return HB.notices.why(error); },

    /** The stored document of record id of page pageId, or null. */
    load: load,

    /** Write doc (an import) in one step: merged into the record with its id (merge), or
        replacing it; nothing is kept when it fails. Returns the error, or null. */
    put: function (doc, merge) {
      var key = docKey(doc.page, doc.id);
      var existing = merge ? parse(get(key), doc.page, doc.id) : null;
      var next = existing ? HB.recordFormat.merge(existing, doc) : HB.recordFormat.clone(doc);
      next.updated = next.updated || time().now();
      var error = set(key, JSON.stringify(next), false);
      if (!error) delete memory[key];
      return error;
    },

    /** A copy of doc with a new id and name (written by this tab), for put. */
    renamed: function (doc, name) {
      var copy = HB.recordFormat.clone(doc);
      copy.id = HB.recordFormat.newId();
      HB.crdt.write(copy, REPLICA, ++counter, "name", name, time().now());
      return copy;
    },

    /** How many records each page has: {pageId: n}. */
    count: function () {
      ensureMigrated();
      var pages = {};
      keys(RECORDS).forEach(function (key) {
        var rest = key.slice(RECORDS.length);
        var pageId = rest.slice(0, rest.lastIndexOf("|"));
        pages[pageId] = (pages[pageId] || 0) + 1;
      });
      return pages;
    },

    /** Erase every record of this handbook in this browser (and format 1 leftovers);
        every tab then shows 既定の記録. Returns the first error, or null. */
    clear: function () {
      var error = null;
      keys(PREFIX).concat(keys(V1)).forEach(function (key) { error = remove(key) || error; });
      memory = {};
      summaries = {};
      tabMemory = {};
      try {
        var s = window.sessionStorage;
        var gone = [];
        for (var i = 0; i < s.length; i++) if (s.key(i).indexOf(PREFIX) === 0 && s.key(i) !== MINE) gone.push(s.key(i));
        gone.forEach(function (k) { s.removeItem(k); });
      } catch (ignored) { /* nothing kept there */ }
      Object.keys(sessions).forEach(function (p) { sessions[p].reset(); });
      return error;
    },
  };

  // Try a write now, so that a storage that cannot keep anything is known at once.
  (function probe() {
    if (set(PREFIX + "probe", "1", false) === null) remove(PREFIX + "probe");
  })();
})((window.HB = window.HB || {}));
