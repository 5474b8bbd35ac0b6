/* Record format: the document of one 事故対応記録, as stored and exported (pure).

   {format: "hb-incident-record", version: 3, page, id ("" is 既定の記録), edition (the
    handbook's edition it was started on), created, updated, clock, items}
   clock and items are the record's CRDT state (record-crdt.js). items keys:
     "name"          the record's name            value: text
     "a:<field>"     an answer                    value: text, or [choice]
     "n:<note id>"   a note                       value: {at, text}
     "s:<step id>"   a ticked step                value: {at, text: the step's words then}
     "e:<event>"     a drill's event (drill.js)   value: {at}: "report" (第一報 copied or
                     printed first), "inject-<n>" (状況付与 n shown), "end" (訓練を終える)
   A drill also carries, top level and written once when it is created, kind: "drill",
   scenario (data/scenarios/<id>.yml) and started: what a record is never changes by a
   merge (a CRDT entry could be overwritten or removed; a kind must not), and a drill and
   a real record are never merged (mergeDocs keeps the first unchanged).
   each [{dot: "<replica>:<n>", at: when it was written, value}]; two entries in one
   answer are two tabs' values, both kept until one is chosen. Schema and a description of
   every field: data/schema/record.schema.json. Version 2 ({answers, notes, steps,
   conflicts, ...}, what this site stored and exported before) and the version 1 export
   are read into version 3; times become ISO 8601 with offset (HB.report.time). */
(function (HB) {
  "use strict";

  var FORMAT = "hb-incident-record";
  var VERSION = 3;
  var ID = /^[a-z0-9]*$/; // record ids; "" is 既定の記録
  var ID_SCENARIO = /^[a-z0-9-]{1,100}$/;
  var NAME = /^[A-Za-z0-9_-]{1,100}$/; // field names, step ids, note ids
  var REPLICA = /^[a-z0-9]{1,40}$/;
  var DOT = /^([a-z0-9]{1,40}):([1-9][0-9]{0,15})$/;
  var T = function () { return HB.report.time; };

  function isObject(v) { return !!v && typeof v === "object" && !Array.isArray(v); }
  function text(v) { return typeof v === "string" ? v : ""; }
  function name(k) { return typeof k === "string" && NAME.test(k) && k !== "__proto__"; }
  function newId() { return Date.now().toString(36) + Math.random().toString(36).slice(2, 6); }
  function replicaId() { return Math.random().toString(36).slice(2, 10) || "r0"; }
  function clone(v) { return v && JSON.parse(JSON.stringify(v)); }
  function own(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }

  function blank(pageId, id, recordName, edition) {
    var doc = {
      format: FORMAT, version: VERSION, page: pageId, id: id, edition: edition || "",
      created: "", updated: "", clock: {}, items: {},
    };
    return doc;
  }

  /** A unique note id (among the ids in taken, if given). */
  function noteId(doc, taken) {
    taken = taken || {};
    var id;
    do { id = "n" + newId(); } while (taken[id] || (doc && doc.items && own(doc.items, "n:" + id)));
    return id;
  }

  /** A value for key, checked and normalised; undefined when it cannot be used. */
  function value(key, v) {
    if (key === "name") return typeof v === "string" ? v.trim() : undefined;
    var kind = key.slice(0, 2);
    if (kind === "a:") {
      if (typeof v === "string") {
        if (key === "a:discovered" && v) return T().normal(v) || undefined; // the one time
        return v;
      }
      if (Array.isArray(v) && v.every(function (x) { return typeof x === "string"; })) return v.slice();
      return undefined;
    }
    if (!isObject(v)) return undefined;
    var at = T().normal(v.at);
    if (!at) return undefined;
    if (kind === "e:") return { at: at };
    if (kind === "n:") return typeof v.text === "string" && v.text.trim() ? { at: at, text: v.text } : undefined;
    return typeof v.text === "string" && v.text ? { at: at, text: v.text } : { at: at };
  }

  var KIND = { "a:": "answers", "n:": "notes", "s:": "steps", "e:": "events" };
  function kindOf(key) { return key === "name" ? "answers" : KIND[key.slice(0, 2)] || "answers"; }
  function validKey(key) { return key === "name" || (!!KIND[key.slice(0, 2)] && name(key.slice(2))); }

  function skippedCounts() { return { answers: 0, notes: 0, steps: 0, conflicts: 0, renumbered: 0 }; }
  /** One entry left out (events: a drill's, counted only when there are any). */
  function skip(skipped, kind) { skipped[kind] = (skipped[kind] || 0) + 1; }

  /** "drill" for a drill, "" for a real record. */
  function kindOf(doc) { return doc && doc.kind === "drill" ? "drill" : ""; }

  function meta(v, doc, skipped) {
    var validId = typeof v.id === "string" && ID.test(v.id);
    doc.page = text(v.page);
    doc.id = validId ? v.id : newId();
    doc.edition = text(v.edition);
    doc.created = T().normal(v.created) || "";
    doc.updated = T().normal(v.updated) || "";
    if (v.kind === "drill") { // anything else is a real record
      doc.kind = "drill";
      doc.scenario = typeof v.scenario === "string" && ID_SCENARIO.test(v.scenario) ? v.scenario : "";
      doc.started = T().normal(v.started) || doc.created || "";
    }
    if (!validId) skipped.renumbered++;
  }

  /** Version 3: clock and items checked entry by entry. */
  function read3(v, doc, skipped) {
    if (isObject(v.clock)) {
      Object.keys(v.clock).forEach(function (r) {
        var n = v.clock[r];
        if (REPLICA.test(r) && Number.isSafeInteger(n) && n > 0) doc.clock[r] = n;
      });
    }
    if (!isObject(v.items)) {
      if (v.items !== undefined) skipped.answers++;
      return;
    }
    Object.keys(v.items).forEach(function (key) {
      var list = v.items[key];
      if (!validKey(key) || !Array.isArray(list)) {
        skip(skipped, kindOf(key));
        return;
      }
      var seen = {};
      var kept = [];
      list.forEach(function (e) {
        var m = isObject(e) && typeof e.dot === "string" ? DOT.exec(e.dot) : null;
        var val = isObject(e) ? value(key, e.value) : undefined;
        if (!m || val === undefined || seen[e.dot]) {
          skip(skipped, kindOf(key));
          return;
        }
        seen[e.dot] = true;
        // a dot its clock does not cover would break the merge: the clock is widened
        doc.clock[m[1]] = Math.max(doc.clock[m[1]] || 0, +m[2]);
        kept.push({ dot: e.dot, at: T().normal(e.at) || "", value: val });
      });
      if (kept.length) doc.items[key] = kept;
    });
  }

  /** Version 2 (and a version 1 export made into one): each entry written by replica. */
  function read2(v, doc, skipped, replica) {
    var n = 0;
    function put(key, val, at) {
      var entry = { dot: replica + ":" + (++n), at: T().normal(at) || "", value: val };
      (doc.items[key] = doc.items[key] || []).push(entry);
      doc.clock[replica] = n;
    }
    var when = doc.updated || doc.created;
    // a conflict's other value first, without a time: the answer kept stays the one shown
    (Array.isArray(v.conflicts) ? v.conflicts : []).forEach(function (c) {
      var val = isObject(c) && name(c.field) ? value("a:" + c.field, c.value) : undefined;
      if (val === undefined) skipped.conflicts++; else put("a:" + c.field, val, "");
    });
    var nm = text(v.name).trim();
    if (nm) put("name", nm, when);
    if (isObject(v.answers)) {
      Object.keys(v.answers).forEach(function (k) {
        var val = name(k) ? value("a:" + k, v.answers[k]) : undefined;
        if (Array.isArray(v.answers[k]) && val === undefined) {
          val = v.answers[k].filter(function (x) { return typeof x === "string"; });
          skipped.answers++; // the choices that were not text are left out
        } else if (val === undefined) {
          skipped.answers++;
          return;
        }
        put("a:" + k, val, when);
      });
    } else if (v.answers !== undefined) {
      skipped.answers++;
    }
    if (v.notes !== undefined && !Array.isArray(v.notes)) skipped.notes++;
    var taken = {};
    var notes = Array.isArray(v.notes) ? v.notes : [];
    var first = notes.map(function (note) { // the first note with an id keeps it
      var id = isObject(note) && name(note.id) && !taken[note.id] ? note.id : "";
      if (id) taken[id] = true;
      return id;
    });
    notes.forEach(function (note, i) {
      var val = value("n:x", note);
      if (!val) {
        skipped.notes++;
        return;
      }
      var id = first[i];
      if (!id) {
        id = noteId(null, taken);
        taken[id] = true;
        skipped.renumbered++;
      }
      put("n:" + id, val, val.at);
    });
    if (isObject(v.steps)) {
      Object.keys(v.steps).forEach(function (k) {
        var val = name(k) ? value("s:" + k, v.steps[k]) : undefined;
        if (!val) skipped.steps++; else put("s:" + k, val, val.at);
      });
    } else if (v.steps !== undefined) {
      skipped.steps++;
    }
  }

  /** FNV-1a of a text, in base 36: a name for one version of a version 2 document. */
  function hash(textValue) {
    var h = 0x811c9dc5;
    for (var i = 0; i < textValue.length; i++) {
      h ^= textValue.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return (h >>> 0).toString(36);
  }

  /** Any value as a version 3 document: {doc, skipped: {answers, notes, steps, conflicts,
      renumbered}} (entries left out as unusable, ids given anew), or null when value is no
      record at all. replica: who a version 2 document's entries are written by; by default
      one named after the document's text, so that the same stored document read in two
      tabs gives the same state, and two versions of it never share a dot. */
  function read(v, replica) {
    if (!isObject(v) || v.format !== FORMAT) return null;
    var skipped = skippedCounts();
    var doc = blank("", "");
    meta(v, doc, skipped);
    if (v.version === VERSION) read3(v, doc, skipped);
    else read2(v, doc, skipped, replica || "v" + hash(JSON.stringify(v)));
    return { doc: doc, skipped: skipped };
  }

  /** A version 1 export ({record: {id, name, created}, exported, answers, notes,
      steps: {id: {at}}}) as a version 2 document. */
  function fromVersion1(v) {
    var r = isObject(v.record) ? v.record : {};
    return {
      format: FORMAT, version: 2, page: v.page,
      id: r.id, name: r.name, created: r.created || v.exported, updated: v.exported,
      answers: v.answers, notes: v.notes, steps: v.steps,
    };
  }

  /** An exported file's text, to import on page pageId: {doc, skipped}, or {error}. */
  function fromJson(textValue, pageId) {
    var v;
    try { v = JSON.parse(textValue); } catch (error) { return { error: HB.t("store.not_json") }; }
    if (!isObject(v) || v.format !== FORMAT) return { error: HB.t("store.not_a_record_file") };
    if (v.version !== 1 && v.version !== 2 && v.version !== 3) {
      return { error: HB.t("store.unknown_version", { version: String(v.version) }) };
    }
    if (v.page !== pageId) {
      return { error: HB.t("store.other_page", { page: String(v.page) }) };
    }
    // a file's version 2 entries are its own writer's: a new replica, never "v2"
    var result = read(v.version === 1 ? fromVersion1(v) : v, "f" + replicaId());
    if (!result) return result;
    var assumed = unzoned(v);
    result.skipped.notice = assumed ? HB.t("store.unzoned_times", { count: assumed }) : "";
    return result;
  }

  /** How many times in an exported file state no offset (HB.report.time reads them as
      Japan time; the import says so rather than assume silently). */
  function unzoned(v) {
    var all = [v.created, v.updated, v.exported];
    if (isObject(v.answers)) all.push(v.answers.discovered);
    if (Array.isArray(v.notes)) v.notes.forEach(function (n) { if (isObject(n)) all.push(n.at); });
    if (isObject(v.steps)) Object.keys(v.steps).forEach(function (k) { if (isObject(v.steps[k])) all.push(v.steps[k].at); });
    if (isObject(v.items)) {
      Object.keys(v.items).forEach(function (k) {
        (Array.isArray(v.items[k]) ? v.items[k] : []).forEach(function (e) {
          if (!isObject(e)) return;
          all.push(e.at);
          if (k === "a:discovered") all.push(e.value);
        });
      });
    }
    return all.filter(function (x) { var t = T().parse(x); return t && !t.date && !t.zoned; }).length;
  }

  /** The JSON export: the document as stored, with the time it was exported. */
  function toJson(doc) {
    var out = {
      format: FORMAT, version: VERSION, page: doc.page, id: doc.id, edition: doc.edition,
      created: doc.created, updated: doc.updated, exported: T().now(), clock: doc.clock, items: doc.items,
    };
    if (kindOf(doc)) {
      out = Object.assign({ notice: HB.t("store.drill_notice") }, out, { kind: "drill", scenario: doc.scenario, started: doc.started });
    }
    return JSON.stringify(out, null, 1);
  }

  function later(a, b) {
    var x = T().parse(a), y = T().parse(b);
    if (!x) return b;
    if (!y) return a;
    return x.ms >= y.ms ? a : b;
  }

  /** Two versions of one record joined (pure; see HB.crdt.merge). */
  function mergeDocs(a, b) {
    if (kindOf(a) !== kindOf(b)) return clone(a); // a drill and a real record never mix
    var state = HB.crdt.merge(a, b);
    var doc = clone(a);
    doc.clock = state.clock;
    doc.items = state.items;
    doc.updated = later(a.updated, b.updated) || "";
    var created = [a.created, b.created].filter(Boolean);
    doc.created = created.length === 2 ? (later(created[0], created[1]) === created[0] ? created[1] : created[0]) : created[0] || "";
    doc.edition = a.edition || b.edition;
    return doc;
  }

  /** What a record holds: {answers (filled in), notes, steps}. */
  function counts(doc) {
    var c = { answers: 0, notes: 0, steps: 0 };
    Object.keys(doc.items).forEach(function (k) {
      var kind = KIND[k.slice(0, 2)];
      if (!kind || kind === "events") return;
      if (kind === "answers") {
        var v = doc.items[k][0].value;
        if (!v || (Array.isArray(v) && !v.length)) return;
      }
      c[kind]++;
    });
    return c;
  }

  /** What importing file over local would do, key by key: {same, older (the file holds
      nothing this record lacks and this record holds more), local: keys only here (a merge
      keeps them), edited: keys changed here since the file was written (kept), dropped:
      keys the file's writer removed (a merge removes them here too), added: keys the file
      brings, differs: keys both hold differently (a merge keeps both values to choose)}. */
  function compare(local, file) {
    var out = { same: false, older: false, local: [], edited: [], dropped: [], added: [], differs: [] };
    out.same = HB.crdt.canonical(local) === HB.crdt.canonical(file);
    out.older = !out.same && !HB.crdt.ahead(file, local);
    var keys = {};
    Object.keys(local.items).concat(Object.keys(file.items)).forEach(function (k) { keys[k] = true; });
    Object.keys(keys).sort().forEach(function (k) {
      var l = own(local.items, k) ? local.items[k] : [], f = own(file.items, k) ? file.items[k] : [];
      var inF = {}, inL = {};
      f.forEach(function (e) { inF[e.dot] = true; });
      l.forEach(function (e) { inL[e.dot] = true; });
      var mineNew = l.filter(function (e) { return !inF[e.dot] && !HB.crdt.covers(file.clock, e.dot); });
      var mineGone = l.filter(function (e) { return !inF[e.dot] && HB.crdt.covers(file.clock, e.dot); });
      var theirsNew = f.filter(function (e) { return !inL[e.dot] && !HB.crdt.covers(local.clock, e.dot); });
      if (mineGone.length && !theirsNew.length && mineGone.length === l.length) out.dropped.push(k);
      if (mineNew.length && !f.length) out.local.push(k);
      else if (mineNew.length && theirsNew.length) out.differs.push(k);
      else if (mineNew.length) out.edited.push(k);
      else if (theirsNew.length && !l.length) out.added.push(k);
      else if (theirsNew.length) out.differs.push(k);
    });
    return out;
  }

  /* --- format 1, migrated ----------------------------------------------------------------- */

  /** entries: {key: text} of every key beginning with prefix ("hb:v1:<root>|"); returns the
      version 3 documents they make: 既定の記録 and each named record of a page, with their
      ticks, answers and notes, and records the old 「この記録を削除」 left unreachable (named
      「名前のない記録（id）」). Corrupted values are left out. */
  function migrate(entries, prefix) {
    var records = {};
    function record(pageId, id) {
      var k = pageId + "|" + id;
      return records[k] || (records[k] = {
        format: FORMAT, version: 2, page: pageId, id: id, name: "", answers: {}, notes: [], steps: {},
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
      var where = rest.slice(0, bar), step = rest.slice(bar + 1), tilde = where.indexOf("~");
      var pageId = tilde < 0 ? where : where.slice(0, tilde);
      var id = tilde < 0 ? "" : where.slice(tilde + 1);
      if (!pageId || !ID.test(id)) return;
      var v = json(entries[key]);
      if (step === "@records") {
        (isObject(v) && Array.isArray(v.list) ? v.list : []).forEach(function (r) {
          if (!isObject(r) || typeof r.id !== "string" || !r.id || !ID.test(r.id)) return;
          var rec = record(pageId, r.id);
          rec.name = text(r.name);
          rec.created = r.created;
        });
      } else if (step === "@data") {
        if (!isObject(v)) return;
        var rec = record(pageId, id);
        rec.answers = v.answers;
        rec.notes = v.notes;
      } else if (step.charAt(0) !== "@" && isObject(v)) {
        record(pageId, id).steps[step] = v; // read() leaves out the corrupted ones
      }
    });
    var docs = [];
    Object.keys(records).forEach(function (k) {
      var rec = records[k];
      if (rec.id && !rec.name) rec.name = HB.t("store.unnamed_record", { id: rec.id });
      var times = [T().normal(rec.created)];
      Object.keys(isObject(rec.steps) ? rec.steps : {}).forEach(function (s) {
        if (isObject(rec.steps[s])) times.push(T().normal(rec.steps[s].at));
      });
      (Array.isArray(rec.notes) ? rec.notes : []).forEach(function (n) { if (isObject(n)) times.push(T().normal(n.at)); });
      times = times.filter(Boolean).map(function (at) { return { at: at, t: T().parse(at) }; })
        .sort(function (x, y) { return x.t.ms - y.t.ms; });
      if (times.length) {
        rec.created = rec.created && T().normal(rec.created) ? rec.created : times[0].at;
        rec.updated = times[times.length - 1].at;
      }
      var doc = read(rec, "v1").doc;
      doc.page = rec.page;
      doc.id = rec.id;
      var c = counts(doc);
      if (doc.id || c.answers || c.notes || c.steps) docs.push(doc);
    });
    return docs;
  }

  HB.recordFormat = {
    read: read, blank: blank, noteId: noteId, counts: counts, fromJson: fromJson, toJson: toJson,
    merge: mergeDocs, compare: compare, migrate: migrate, newId: newId, clone: clone,
    kindOf: kindOf,
    /** What a drill's exported file says first (a word: read when used). */
    get DRILL_NOTICE() { return HB.t("store.drill_notice"); },
  };
})((window.HB = window.HB || {}));
