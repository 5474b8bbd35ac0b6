/* Storage: the incident records, one JSON document per record, each written with one
   localStorage write (so a write happens whole or not at all), and the record each tab shows.

     localStorage   hb:v2:<scope>|record|<page id>|<record id>   one record's document
     sessionStorage hb:v2:<scope>|selected|<page id>             the record this tab shows
   <scope> is scope().key below: the storage id of data/organization.yml and, over http, the
   site's path; never its title. Record id "" is
   既定の記録 (the ticks of a page without records, such as basics, live there too).

   The document (HB.storage.format; the JSON export is the same, data/schema/record.schema.json):
     {format: "hb-incident-record", version: 2, page, id, name, edition (the handbook's
      edition it was started on), created, updated, revision (+1 per write), change (a random
      id of this version), parent (the change it was made from),
      answers: {field: text | [choice]}, notes: [{id, at, text}],
      steps: {stepId: {at, text (the step's words when ticked)}},
      conflicts: [{field, value, at}] (a value another tab wrote in a field both changed)}
   Every time is ISO 8601 with its offset (HB.report.time); a note's may be a date alone.

   A tab keeps the record it shows in memory (HB.storage.session): what is on screen is the
   document, whatever storage does. Its writes are merged with what another tab wrote since
   (HB.storage.merge, field by field: a field both changed keeps this tab's value and files the
   other one under conflicts), and what other tabs write arrives through the `storage` event.
   A record deleted elsewhere is never written again by this tab ("orphaned").
   Format 1 (hb:v1:<site root path>|<page>[~<record>]|<step, @records or @data>) is migrated
   on first use (HB.storage.migrate), then removed.

   Every access is wrapped: a disabled, throwing or full storage, or a corrupted value, never
   breaks the page. A write that fails is kept in memory for this visit and tried again with
   the next change; while writes fail, hb:storage-fault {error} has been sent on document and
   every page shown carries one notice (.hb-storage-notice, styled in base.css). Events for
   the components go through HB.storage.session(...).watch (see record.js, checklist.js). */
(function (HB) {
  "use strict";

  var FORMAT = "hb-incident-record";
  var VERSION = 2;
  var here = document.currentScript && document.currentScript.src;
  var root = here ? new URL("../../", here).pathname : "/"; // format 1 keyed by the site's path
  var SCOPE = scope();
  var PREFIX = "hb:v2:" + SCOPE.key + "|";
  var RECORDS = PREFIX + "record|";
  var SELECTED = PREFIX + "selected|";
  var V1 = "hb:v1:" + root + "|";
  var ID = /^[a-z0-9]*$/; // record ids; "" is 既定の記録
  var NAME = /^[A-Za-z0-9_-]{1,100}$/; // field names, step ids, note ids
  var KNOWN = 8; // versions a tab remembers, to find what another tab's write was made from
  var NOTICE = "このブラウザではチェックの状態を保存できません。" +
    "チェックはこのページを開いている間だけ有効です。";
  var ORPHANED = "このページの記録は別のタブで削除されたため、このページでの変更は保存しません。";

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

  /* --- page notices ------------------------------------------------------------------- */

  function showNotice(kind, text) {
    var content = document.querySelector("article.md-content__inner") || document.body;
    if (content.querySelector(".hb-storage-notice[data-kind=" + kind + "]")) return;
    var notice = document.createElement("p");
    notice.className = "hb-storage-notice";
    notice.setAttribute("data-kind", kind);
    notice.setAttribute("role", "status");
    notice.textContent = text;
    var h1 = content.querySelector("h1");
    if (h1) h1.insertAdjacentElement("afterend", notice); else content.prepend(notice);
  }

  function hideNotice(kind) {
    document.querySelectorAll(".hb-storage-notice[data-kind=" + kind + "]").forEach(function (n) { n.remove(); });
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
  document.addEventListener("hb:storage-fault", function () { showNotice("fault", NOTICE); });
  document.addEventListener("hb:page-mounted", function () {
    if (failing) showNotice("fault", NOTICE);
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
        hideNotice("fault");
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

  /* --- the tab's choice (sessionStorage: each tab its own) -------------------------------- */

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

  /* --- the document (pure) ------------------------------------------------------------- */

  function isObject(v) { return !!v && typeof v === "object" && !Array.isArray(v); }
  function text(v) { return typeof v === "string" ? v : ""; }
  function newId() { return Date.now().toString(36) + Math.random().toString(36).slice(2, 6); }
  function clone(doc) { return doc && JSON.parse(JSON.stringify(doc)); }

  /** The handbook's edition of this page (<meta name=hb-edition>: 「第1版（2026-11-26）」). */
  function edition() {
    var own = document.querySelector("meta[name=hb-edition]");
    return own ? own.content : "";
  }

  function blank(pageId, id, name) {
    var now = time().now();
    return {
      format: FORMAT, version: VERSION, page: pageId, id: id, name: name || "", edition: edition(),
      created: now, updated: now, revision: 0, change: "", parent: "",
      answers: {}, notes: [], steps: {}, conflicts: [],
    };
  }

  /** A unique note id for doc (or among the ids in taken). */
  function noteId(doc, taken) {
    taken = taken || {};
    (doc ? doc.notes : []).forEach(function (n) { taken[n.id] = true; });
    var id;
    do { id = "n" + newId(); } while (taken[id]);
    return id;
  }

  /** Any value as a document: {doc, skipped: {answers, notes, steps, conflicts, renumbered}}
      (entries left out: null, unknown or malformed; note ids given anew: missing or
      duplicate), or null when value is no record at all. Times become ISO 8601 with offset. */
  function read(value) {
    if (!isObject(value) || value.format !== FORMAT) return null;
    var T = time();
    var skipped = { answers: 0, notes: 0, steps: 0, conflicts: 0, renumbered: 0 };
    var validId = typeof value.id === "string" && ID.test(value.id);
    var doc = {
      format: FORMAT, version: VERSION, page: text(value.page),
      id: validId ? value.id : newId(), name: text(value.name).trim(), edition: text(value.edition),
      created: T.normal(value.created) || "", updated: T.normal(value.updated) || "",
      revision: Number.isInteger(value.revision) && value.revision >= 0 ? value.revision : 0,
      change: text(value.change), parent: text(value.parent),
      answers: {}, notes: [], steps: {}, conflicts: [],
    };
    if (!validId) skipped.renumbered++;

    if (isObject(value.answers)) {
      Object.keys(value.answers).forEach(function (k) {
        var a = value.answers[k];
        if (!NAME.test(k)) {
          skipped.answers++;
        } else if (typeof a === "string") {
          var at = k === "discovered" && a ? T.normal(a) : a; // the one time among the answers
          if (at === null) skipped.answers++; else doc.answers[k] = at;
        } else if (Array.isArray(a)) {
          doc.answers[k] = a.filter(function (x) { return typeof x === "string"; });
          if (doc.answers[k].length !== a.length) skipped.answers++;
        } else {
          skipped.answers++;
        }
      });
    } else if (value.answers !== undefined) {
      skipped.answers++;
    }

    var notes = Array.isArray(value.notes) ? value.notes : [];
    if (value.notes !== undefined && !Array.isArray(value.notes)) skipped.notes++;
    var taken = {};
    var first = notes.map(function (n) { // the first note with an id keeps it
      var id = isObject(n) && typeof n.id === "string" && NAME.test(n.id) && !taken[n.id] ? n.id : "";
      if (id) taken[id] = true;
      return id;
    });
    notes.forEach(function (n, i) {
      var at = isObject(n) ? T.normal(n.at) : null;
      if (!at || typeof n.text !== "string" || !n.text.trim()) {
        skipped.notes++;
        return;
      }
      var id = first[i];
      if (!id) {
        id = noteId(null, taken);
        taken[id] = true;
        skipped.renumbered++;
      }
      doc.notes.push({ id: id, at: at, text: n.text });
    });

    if (isObject(value.steps)) {
      Object.keys(value.steps).forEach(function (k) {
        var s = value.steps[k];
        var at = isObject(s) ? T.normal(s.at) : null;
        if (!NAME.test(k) || !at) {
          skipped.steps++;
          return;
        }
        doc.steps[k] = typeof s.text === "string" && s.text ? { at: at, text: s.text } : { at: at };
      });
    } else if (value.steps !== undefined) {
      skipped.steps++;
    }

    (Array.isArray(value.conflicts) ? value.conflicts : []).forEach(function (c) {
      var ok = isObject(c) && typeof c.field === "string" && NAME.test(c.field) &&
        (typeof c.value === "string" || (Array.isArray(c.value) && c.value.every(function (x) { return typeof x === "string"; })));
      if (ok) doc.conflicts.push({ field: c.field, value: c.value, at: T.normal(c.at) || "" });
      else skipped.conflicts++;
    });
    return { doc: doc, skipped: skipped };
  }

  /** What a record holds: {answers (filled in), notes, steps}. */
  function counts(doc) {
    return {
      answers: Object.keys(doc.answers).filter(function (k) { return !empty(doc.answers[k]); }).length,
      notes: doc.notes.length,
      steps: Object.keys(doc.steps).length,
    };
  }

  /* --- two tabs' changes, merged (pure) ------------------------------------------------ */

  function empty(v) { return v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length); }

  function same(a, b) {
    if (a === b || (empty(a) && empty(b))) return true;
    if (typeof a !== "object" || typeof b !== "object" || !a || !b) return false;
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function byId(notes) {
    var map = {};
    notes.forEach(function (n) { map[n.id] = n; });
    return map;
  }

  function conflictKey(c) { return c.field + "\u0000" + JSON.stringify(c.value); }

  /** Three versions of one record in, one out: base (what both started from), mine (this
      tab's), theirs (what storage holds now). Field by field: changed on one side only →
      that side; changed on both → choices (lists) united, texts keep mine and theirs goes
      to conflicts. Notes: both sides' additions and deletions. Ticks: a tick wins over none.
      Returns {doc, changed: [fields now differing from mine], conflicts: [new conflicts],
      ahead: whether doc holds anything theirs does not (then it must be written)}. */
  function merge(base, mine, theirs) {
    var doc = {};
    Object.keys(theirs).forEach(function (k) { doc[k] = theirs[k]; });
    var changed = [];
    var conflicts = [];
    var now = time().now();
    var BOTH = {}; // changed on both sides, differently
    function pick(b, m, t) { return same(m, t) || same(t, b) ? m : same(m, b) ? t : BOTH; }

    doc.name = pick(base.name, mine.name, theirs.name);
    if (doc.name === BOTH) doc.name = mine.name;
    var ahead = doc.name !== theirs.name;

    doc.answers = {};
    var fields = {};
    [base, mine, theirs].forEach(function (d) { Object.keys(d.answers).forEach(function (k) { fields[k] = true; }); });
    Object.keys(fields).forEach(function (k) {
      var b = base.answers[k], m = mine.answers[k], t = theirs.answers[k];
      var v = pick(b, m, t);
      if (v === BOTH && (Array.isArray(m) || Array.isArray(t))) {
        var was = Array.isArray(b) ? b : [];
        m = Array.isArray(m) ? m : [];
        v = (Array.isArray(t) ? t : []).filter(function (x) { return was.indexOf(x) < 0 || m.indexOf(x) >= 0; });
        m.forEach(function (x) { if (was.indexOf(x) < 0 && v.indexOf(x) < 0) v.push(x); });
      } else if (v === BOTH) {
        v = m;
        conflicts.push({ field: k, value: t === undefined ? "" : t, at: now });
      }
      if (v !== undefined) doc.answers[k] = v;
      if (!same(v, mine.answers[k])) changed.push(k);
      if (!same(v, t)) ahead = true;
    });

    var b = byId(base.notes), m = byId(mine.notes), t = byId(theirs.notes);
    doc.notes = theirs.notes.filter(function (n) { return !(b[n.id] && !m[n.id]); });
    if (doc.notes.length !== theirs.notes.length) ahead = true;
    var taken = {};
    doc.notes.forEach(function (n) { taken[n.id] = true; });
    mine.notes.forEach(function (n) {
      if (b[n.id] || (t[n.id] && same(t[n.id], n))) return; // not mine, or both added it
      var note = n;
      if (taken[n.id]) note = { id: noteId(null, taken), at: n.at, text: n.text };
      taken[note.id] = true;
      doc.notes.push(note);
      ahead = true;
    });

    doc.steps = {};
    var steps = {};
    [base, mine, theirs].forEach(function (d) { Object.keys(d.steps).forEach(function (k) { steps[k] = true; }); });
    Object.keys(steps).forEach(function (k) {
      var v = pick(base.steps[k], mine.steps[k], theirs.steps[k]);
      if (v === BOTH) v = mine.steps[k] || theirs.steps[k];
      if (v) doc.steps[k] = v;
      if (!same(v, theirs.steps[k])) ahead = true;
    });

    var resolved = {};
    base.conflicts.forEach(function (c) {
      var key = conflictKey(c);
      var inMine = mine.conflicts.some(function (x) { return conflictKey(x) === key; });
      var inTheirs = theirs.conflicts.some(function (x) { return conflictKey(x) === key; });
      if (!inMine || !inTheirs) resolved[key] = true;
    });
    var seen = {};
    doc.conflicts = [];
    mine.conflicts.concat(theirs.conflicts, conflicts).forEach(function (c) {
      var key = conflictKey(c);
      if (seen[key] || resolved[key] || same(c.value, doc.answers[c.field])) return;
      seen[key] = true;
      doc.conflicts.push(c);
    });
    conflicts = conflicts.filter(function (c) { return doc.conflicts.indexOf(c) >= 0; });
    if (doc.conflicts.map(conflictKey).join("\u0001") !== theirs.conflicts.map(conflictKey).join("\u0001")) ahead = true;
    return { doc: doc, changed: changed, conflicts: conflicts, ahead: ahead };
  }

  /* --- format 1, migrated (pure) ---------------------------------------------------------- */

  /** entries: {key: text} of every key beginning with prefix ("hb:v1:<root>|"); returns the
      documents they make: 既定の記録 and each named record of a page, with their ticks,
      answers and notes, and records the old 「この記録を削除」 left unreachable (named
      「名前のない記録（id）」). Corrupted values are left out. */
  function migrate(entries, prefix) {
    var records = {};
    function record(pageId, id) {
      var k = pageId + "|" + id;
      return records[k] || (records[k] = {
        format: FORMAT, version: VERSION, page: pageId, id: id, name: "", answers: {}, notes: [], steps: {},
      });
    }
    function json(raw) {
      try { return JSON.parse(raw); } catch (ignored) { return null; }
    }
    Object.keys(entries).forEach(function (key) {
      if (key.indexOf(prefix) !== 0) return;
      var rest = key.slice(prefix.length);
      var bar = rest.lastIndexOf("|");
      if (bar < 0) return; // the probe
      var where = rest.slice(0, bar), name = rest.slice(bar + 1), tilde = where.indexOf("~");
      var pageId = tilde < 0 ? where : where.slice(0, tilde);
      var id = tilde < 0 ? "" : where.slice(tilde + 1);
      if (!pageId || !ID.test(id)) return;
      var value = json(entries[key]);
      if (name === "@records") {
        (isObject(value) && Array.isArray(value.list) ? value.list : []).forEach(function (r) {
          if (!isObject(r) || typeof r.id !== "string" || !r.id || !ID.test(r.id)) return;
          var rec = record(pageId, r.id);
          rec.name = text(r.name);
          rec.created = r.created;
        });
      } else if (name === "@data") {
        if (!isObject(value)) return;
        var rec = record(pageId, id);
        rec.answers = value.answers;
        rec.notes = value.notes;
      } else if (name.charAt(0) !== "@" && isObject(value)) {
        record(pageId, id).steps[name] = value; // read() leaves out the corrupted ones
      }
    });
    var docs = [];
    Object.keys(records).forEach(function (k) {
      var rec = records[k];
      if (rec.id && !rec.name) rec.name = "名前のない記録（" + rec.id + "）";
      var doc = read(rec).doc;
      var times = [doc.created].concat(
        Object.keys(doc.steps).map(function (s) { return doc.steps[s].at; }),
        doc.notes.map(function (n) { return n.at; })
      ).map(function (at) { return { at: at, t: time().parse(at) }; })
        .filter(function (x) { return x.t; })
        .sort(function (x, y) { return x.t.ms - y.t.ms; });
      if (times.length) {
        doc.created = doc.created || times[0].at;
        doc.updated = times[times.length - 1].at;
      }
      var c = counts(doc);
      if (doc.id || c.answers || c.notes || c.steps) docs.push(doc);
    });
    return docs;
  }

  /** doc with what old adds (answers it lacks, notes and ticks it does not have): a new
      object, or doc itself when old adds nothing. */
  function absorb(doc, old) {
    var out = clone(doc);
    var added = false;
    Object.keys(old.answers).forEach(function (k) {
      if (empty(out.answers[k]) && !empty(old.answers[k])) { out.answers[k] = old.answers[k]; added = true; }
    });
    Object.keys(old.steps).forEach(function (k) {
      if (!out.steps[k]) { out.steps[k] = old.steps[k]; added = true; }
    });
    var ids = byId(out.notes);
    old.notes.forEach(function (n) {
      if (ids[n.id] && ids[n.id].text === n.text) return;
      out.notes.push(ids[n.id] ? { id: noteId(out), at: n.at, text: n.text } : n);
      added = true;
    });
    if (!out.name && old.name) { out.name = old.name; added = true; }
    return added ? out : doc;
  }

  /* --- documents in storage ---------------------------------------------------------------- */

  function docKey(pageId, id) { return RECORDS + pageId + "|" + id; }

  /** The document in text (as stored), or null; its page and id are those of its key. */
  function parse(raw, pageId, id) {
    if (raw === null || raw === undefined) return null;
    var value;
    try { value = JSON.parse(raw); } catch (ignored) { return null; }
    var r = read(value);
    if (!r) return null;
    r.doc.page = pageId;
    r.doc.id = id;
    return r.doc;
  }

  function load(pageId, id) { return parse(get(docKey(pageId, id)), pageId, id); }

  var migrated = false;

  /** Format 1, once per visit: each page's documents written, then its old keys removed
      (which frees room for the next page). What cannot be written stays in format 1 and is
      tried again on the next visit; a document already there keeps its answers. */
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
    var docs = HB.storage.migrate(entries, V1);
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
      var ok = pages[pageId].docs.every(function (doc) {
        var key = docKey(pageId, doc.id);
        var now = stored(key);
        if (!now.ok) return false;
        var existing = parse(now.value, pageId, doc.id);
        var next = existing ? absorb(existing, doc) : doc;
        if (next === existing) return true;
        next.revision = (existing ? existing.revision : 0) + 1;
        next.parent = existing ? existing.change : "";
        next.change = newId();
        return set(key, JSON.stringify(next), false) === null;
      });
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
          summary: doc && { id: doc.id, name: doc.name, created: doc.created, updated: doc.updated, counts: counts(doc) },
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
    if (unseen) showNotice("orphaned", ORPHANED); else hideNotice("orphaned");
  }

  function Session(pageId) {
    this.pageId = pageId;
    this.watchers = [];
    var id = chosen(pageId);
    // how it was chosen: "tab" (this tab's), "latest" (a new tab: the record updated last),
    // "missing" (this tab's record is gone, deleted elsewhere: the latest instead)
    this.how = "tab";
    if (id === null || (id !== "" && !load(pageId, id))) {
      this.how = id === null ? "latest" : "missing";
      var latest = HB.report.latest(records(pageId), Date.now()); // a future time counts as none
      id = latest ? latest.id : "";
      if (!latest && this.how === "latest") this.how = "";
      choose(pageId, id);
    }
    this.open(id);
  }

  Session.prototype = {
    /** Show record id: its stored version, or what this visit could not write of it. */
    open: function (id) {
      clearTimeout(this.timer);
      this.timer = null;
      this.id = id;
      var key = docKey(this.pageId, id);
      var now = stored(key);
      this.raw = now.value; // the stored text of base: unchanged text needs no reading
      this.base = parse(now.value, this.pageId, id);
      this.known = {};
      this.remember(this.base);
      var unsaved = memory[key] ? parse(memory[key], this.pageId, id) : null;
      this.doc = unsaved || clone(this.base) || blank(this.pageId, id, "");
      this.dirty = !!unsaved;
      this.state = unsaved ? "unsaved" : "";
      this.error = null;
    },

    remember: function (doc) {
      if (!doc || !doc.change) return;
      this.known[doc.change] = doc;
      var all = Object.keys(this.known);
      if (all.length > KNOWN) delete this.known[all[0]];
    },

    /** watch(element, fn, shows): fn(news) while element is on the page. news.type:
        "switched" (another record shown), "synced" {changed, conflicts} (another tab's
        changes merged in), "state" (.state: "" saved, "unsaved", "orphaned"), "list" (a
        record of the page added or deleted elsewhere). shows: element tells the user the
        state (else a page notice does). */
    watch: function (element, fn, shows) {
      this.watchers.push({ element: element, fn: fn, shows: !!shows });
    },

    notify: function (news) {
      this.watchers = this.watchers.filter(function (w) { return document.contains(w.element); });
      this.watchers.forEach(function (w) {
        try { w.fn(news); } catch (error) { console.error("hb: a record view failed:", error); }
      });
      orphanNotice();
    },

    setState: function (state, error) {
      this.state = state;
      this.error = error || null;
      this.notify({ type: "state" });
    },

    /** Change the document (fn(doc); fn returning false: nothing changed) and write it,
        now or after delay ms of quiet (typing). */
    change: function (fn, delay) {
      if (fn(this.doc) === false) return;
      this.dirty = true;
      clearTimeout(this.timer);
      this.timer = delay ? setTimeout(this.commit.bind(this), delay) : null;
      if (!delay) this.commit();
    },

    flush: function () {
      if (this.dirty) this.commit();
    },

    /** Write the document in one step, after merging what storage holds; false if it could
        not be written (kept in memory, state "unsaved") or must not be (state "orphaned"). */
    commit: function () {
      clearTimeout(this.timer);
      this.timer = null;
      if (this.state === "orphaned") return false;
      if (!this.dirty) return true;
      var key = docKey(this.pageId, this.id);
      var now = stored(key);
      if (now.ok && now.value === null && this.base) {
        this.orphan();
        return false;
      }
      var theirs = now.ok && now.value !== this.raw ? parse(now.value, this.pageId, this.id) : null;
      if (theirs && (!this.base || theirs.change !== this.base.change)) this.take(theirs, now.value);
      var doc = this.doc;
      doc.revision = (this.base ? this.base.revision : 0) + 1;
      doc.updated = time().now();
      doc.parent = this.base ? this.base.change : "";
      doc.change = newId();
      var raw = JSON.stringify(doc);
      var error = set(key, raw, true);
      if (error) {
        this.setState("unsaved", error);
        return false;
      }
      this.dirty = false;
      this.raw = raw;
      this.base = JSON.parse(raw);
      this.remember(this.base);
      if (this.state) this.setState("", null);
      return true;
    },

    /** Merge theirs (storage's version, written by another tab) into what this tab shows. */
    take: function (theirs, raw) {
      this.raw = raw;
      // What both versions were made from: the version theirs names, if this tab saw it;
      // nothing, if theirs made the record anew (both tabs wrote it first at once); else
      // the version this tab saw last (theirs was made from a later one).
      var ancestor = this.known[theirs.parent] ||
        (!theirs.parent || !this.base ? blank(this.pageId, this.id, "") : this.base);
      var result = HB.storage.merge(ancestor, this.doc, theirs);
      this.doc = result.doc;
      this.base = clone(theirs);
      this.remember(this.base);
      if (result.ahead) this.dirty = true; // this tab holds what storage lacks: write it
      this.notify({ type: "synced", changed: result.changed, conflicts: result.conflicts });
    },

    /** Another tab wrote (raw) or deleted (null) this record. What storage holds now is
        what counts: an event may tell of a version this tab has since written over. */
    incoming: function (raw) {
      if (this.state === "orphaned") return;
      var now = stored(docKey(this.pageId, this.id));
      if (now.ok) raw = now.value;
      if (raw === null) {
        if (this.base) this.orphan();
        return;
      }
      if (raw === this.raw) return;
      var theirs = parse(raw, this.pageId, this.id);
      if (!theirs || (this.base && theirs.change === this.base.change)) return;
      this.take(theirs, raw);
      if (this.dirty) this.commit();
    },

    orphan: function () {
      clearTimeout(this.timer);
      this.timer = null;
      delete memory[docKey(this.pageId, this.id)];
      this.setState("orphaned", null);
    },

    /** Forget everything (all was erased in this tab): show a blank 既定の記録. */
    reset: function () {
      this.dirty = false;
      this.open("");
      this.how = "tab";
      choose(this.pageId, "");
      this.notify({ type: "switched" });
    },

    /** Show another record in this tab (the current one written first). */
    select: function (id) {
      this.flush();
      this.open(id);
      this.how = "tab";
      choose(this.pageId, id);
      this.notify({ type: "switched" });
    },

    /** A new record, named name, holding a copy of from (or nothing), written first and
        then shown; the error if it could not be written (it is shown all the same, unsaved). */
    create: function (name, from) {
      this.flush();
      var doc = from ? clone(from) : blank(this.pageId, "", name);
      var now = time().now();
      doc.id = newId();
      doc.name = name;
      doc.created = doc.updated = now;
      doc.edition = doc.edition || edition();
      doc.revision = 1;
      doc.parent = "";
      doc.change = newId();
      var error = set(docKey(this.pageId, doc.id), JSON.stringify(doc), true);
      this.select(doc.id);
      return error;
    },

    /** Delete the record shown (that one document, nothing else), then show 既定の記録. */
    remove: function () {
      clearTimeout(this.timer);
      this.timer = null;
      var error = remove(docKey(this.pageId, this.id));
      if (error) return error;
      delete summaries[docKey(this.pageId, this.id)];
      this.dirty = false;
      this.base = null;
      this.state = "";
      this.select("");
      return null;
    },
  };

  function flushAll() {
    Object.keys(sessions).forEach(function (p) { sessions[p].flush(); });
  }
  window.addEventListener("pagehide", flushAll);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flushAll();
  });

  // Another tab wrote or deleted a record (key null: it cleared all of localStorage).
  window.addEventListener("storage", function (event) {
    var key = event.key;
    if (key === null) {
      Object.keys(sessions).forEach(function (p) {
        var s = sessions[p];
        s.incoming(stored(docKey(p, s.id)).value);
        s.notify({ type: "list" });
      });
      return;
    }
    if (key.indexOf(RECORDS) !== 0) return;
    var rest = key.slice(RECORDS.length);
    var bar = rest.lastIndexOf("|");
    var s = sessions[rest.slice(0, bar)];
    if (!s) return;
    if (s.id === rest.slice(bar + 1)) s.incoming(event.newValue);
    if (event.oldValue === null || event.newValue === null) s.notify({ type: "list" });
  });

  HB.storage = {
    /** The document format (pure): read(value) → {doc, skipped} or null; counts(doc);
        noteId(doc); blank(pageId, id, name). */
    format: { read: read, counts: counts, noteId: noteId, blank: blank },
    /** Format 1 entries → documents (pure). */
    migrate: migrate,
    /** Two tabs' versions of a record → one (pure). */
    merge: merge,
    /** The handbook's edition shown on this page (new records are started on it). */
    edition: edition,

    /** The record this tab shows on page pageId (one per page and tab, kept across pages). */
    session: function (pageId) {
      ensureMigrated();
      return sessions[pageId] || (sessions[pageId] = new Session(pageId));
    },

    records: records,
    /** This copy's store: {key, id, root, legacy} (see scope above; store-finder, clear-all). */
    scope: SCOPE,

    /** Why a write failed, in a few words. */
    why: function (error) {
      var name = error && error.name;
      if (name === "QuotaExceededError") return "このブラウザの保存領域が一杯です";
      if (name === "SecurityError") return "このブラウザでは保存が許可されていません";
      return "保存できません: " + (name || "不明な理由");
    },

    /** Write doc (an import) in one step, replacing a record with its id; nothing is kept
        when it fails. Returns the error, or null. */
    put: function (doc) {
      var key = docKey(doc.page, doc.id);
      var existing = parse(get(key), doc.page, doc.id);
      var next = clone(doc);
      next.revision = (existing ? existing.revision : 0) + 1;
      next.parent = existing ? existing.change : "";
      next.change = newId();
      next.updated = next.updated || time().now();
      var error = set(key, JSON.stringify(next), false);
      if (!error) delete memory[key];
      return error;
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
        var mine = [];
        for (var i = 0; i < s.length; i++) if (s.key(i).indexOf(PREFIX) === 0) mine.push(s.key(i));
        mine.forEach(function (k) { s.removeItem(k); });
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
