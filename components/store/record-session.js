/* Record session: the record a tab shows on one page (HB.storage.session(pageId) makes one
   per page and tab, storage.js). It holds the document in memory (this.data, a version 3
   document; this.doc, what the page shows of it: HB.crdt.view), and is the one channel
   between the page's components (watch/notify, see hb.js).
     set(key, value, delay)   one change: a new entry of the CRDT state (record-crdt.js),
                              written now or after delay ms of quiet, at most MAX_WAIT ms on
     commit()                 read what storage holds, merge it in, write the result
     incoming(cleared)        another tab wrote (merge it in; write back what storage lacks)
                              or deleted the record (this tab stops writing: "orphaned",
                              cause "deleted", or "cleared" when all of localStorage was
                              cleared from outside), or it came back (imported again)
     select, create, remove   the tab's choice of record
   Storage itself (reads and writes that never throw, the tab's choice, the documents of a
   page) is storage.js's, reached through HB.storage.local. */
(function (HB) {
  "use strict";

  var MAX_WAIT = 1000; // ms: typing is written at least this often
  var L = null; // HB.storage.local, met at the first session (scripts load in any order)

  function time() { return HB.report.time; }

  function Session(pageId) {
    L = HB.storage.local;
    this.pageId = pageId;
    this.watchers = [];
    this.steps = {}; // step id -> its words on this page (checklist.js tells)
    var id = L.chosen(pageId);
    // how it was chosen: "tab" (this tab's), "latest" (a new tab: the record updated last),
    // "missing" (this tab's record is gone, deleted elsewhere: the latest instead)
    this.how = "tab";
    if (id === null || (id !== "" && !L.load(pageId, id))) {
      this.how = id === null ? "latest" : "missing";
      // a future time counts as none; a drill is opened only by choosing it
      var latest = HB.report.latest(L.records(pageId).filter(function (r) { return !r.kind; }), Date.now());
      id = latest ? latest.id : "";
      if (!latest && this.how === "latest") this.how = "";
      L.choose(pageId, id);
    }
    this.open(id);
  }

  Session.prototype = {
    /** Show record id: its stored version, or what this visit could not write of it. */
    open: function (id) {
      this.stop();
      this.id = id;
      var key = L.docKey(this.pageId, id);
      var now = L.stored(key);
      this.raw = now.value; // the stored text last seen: unchanged text needs no reading
      var base = L.parse(now.value, this.pageId, id);
      this.known = !!base; // storage held it: its disappearance is a deletion
      var unsaved = L.unsaved(key) ? L.parse(L.unsaved(key), this.pageId, id) : null;
      this.data = unsaved ? (base ? HB.recordFormat.merge(unsaved, base) : unsaved) : base || HB.recordFormat.blank(this.pageId, id, "", L.edition());
      this.doc = L.viewOf(this.data);
      this.dirty = !!unsaved;
      this.state = unsaved ? "unsaved" : "";
      this.cause = "";
      this.error = null;
    },

    stop: function () {
      clearTimeout(this.timer);
      this.timer = null;
      this.since = 0;
    },

    /** watch(element, fn, shows): fn(news) while element is on the page. news.type:
        "switched" (another record shown), "synced" {changed, conflicts} (another tab's
        changes merged in), "changed" {keys} (this tab changed it), "state" (.state: ""
        saved, "unsaved", "orphaned"), "list" (a record of the page added or deleted
        elsewhere), "message" {text} (for the user). shows: element tells the user the
        state (else a page notice does). */
    watch: function (element, fn, shows) {
      this.watchers.push({ element: element, fn: fn, shows: !!shows });
    },

    /** Whether a record view (shows) is on the page. */
    shown: function () {
      return this.watchers.some(function (w) { return w.shows && document.contains(w.element); });
    },

    notify: function (news) {
      this.watchers = this.watchers.filter(function (w) { return document.contains(w.element); });
      this.watchers.forEach(function (w) {
        try { w.fn(news); } catch (error) { console.error("hb: a record view failed:", error); }
      });
      L.orphanNotice();
    },

    setState: function (state, error) {
      this.state = state;
      this.error = error || null;
      this.notify({ type: "state" });
    },

    /** The ticked steps of this page with their words now ({stepId, text, at, was}) and
        every step id the page has (the checklists tell the session their steps). */
    ticked: function () {
      var doc = this.doc, words = this.steps;
      var steps = Object.keys(words).filter(function (id) { return doc.steps[id]; }).map(function (id) {
        var tick = doc.steps[id];
        var step = { stepId: id, text: words[id], at: tick.at };
        if (tick.text && tick.text !== words[id]) step.was = tick.text;
        return step;
      });
      return { steps: steps, known: Object.keys(words) };
    },

    /** Write key (an item of record-format.js) with value (undefined: remove it), now or
        after delay ms of quiet and at most MAX_WAIT ms after the first change unwritten. */
    set: function (key, value, delay) {
      var n = L.next();
      if (value === undefined) HB.crdt.remove(this.data, L.replica, n, key);
      else HB.crdt.write(this.data, L.replica, n, key, value, time().now());
      this.data.updated = time().now();
      if (key.slice(0, 2) === "a:" && value !== undefined) { // typing: the view of one key
        var field = key.slice(2);
        this.doc.answers[field] = value;
        this.doc.conflicts = this.doc.conflicts.filter(function (c) { return c.field !== field; });
        this.doc.updated = this.data.updated;
      } else {
        this.doc = L.viewOf(this.data);
      }
      this.dirty = true;
      this.notify({ type: "changed", keys: [key] });
      this.later(delay);
    },

    later: function (delay) {
      if (!delay) return this.commit();
      var now = Date.now();
      if (!this.since) this.since = now;
      clearTimeout(this.timer);
      this.timer = setTimeout(this.commit.bind(this), Math.max(0, Math.min(delay, this.since + MAX_WAIT - now)));
      return true;
    },

    flush: function () {
      if (this.dirty) this.commit();
    },

    /** Write the document in one step, merged with what storage holds; false if it could
        not be written (kept in memory, state "unsaved") or must not be (state "orphaned"). */
    commit: function () {
      this.stop();
      if (this.state === "orphaned" || !this.dirty) return this.state !== "orphaned";
      var key = L.docKey(this.pageId, this.id);
      var now = L.stored(key);
      if (now.ok && now.value === null && this.known) {
        this.orphan("deleted");
        return false;
      }
      if (now.ok && now.value !== this.raw) {
        var theirs = L.parse(now.value, this.pageId, this.id);
        if (theirs) this.take(theirs, now.value);
      }
      if (!this.data.created) this.data.created = time().now();
      if (!this.data.edition) this.data.edition = L.edition();
      var raw = JSON.stringify(this.data);
      var error = L.set(key, raw, true);
      if (error) {
        this.setState("unsaved", error);
        return false;
      }
      this.dirty = false;
      this.raw = raw;
      this.known = true;
      if (this.state) this.setState("", null);
      return true;
    },

    /** Merge theirs (storage's version) into what this tab shows. */
    take: function (theirs, raw) {
      this.raw = raw;
      var before = this.doc;
      this.data = HB.recordFormat.merge(this.data, theirs);
      if (HB.crdt.ahead(this.data, theirs)) this.dirty = true; // storage lacks some of this tab's
      this.doc = L.viewOf(this.data);
      var changed = Object.keys(this.doc.answers).concat(Object.keys(before.answers)).filter(function (k, i, all) {
        return all.indexOf(k) === i && JSON.stringify(before.answers[k]) !== JSON.stringify(this.doc.answers[k]);
      }, this);
      this.notify({ type: "synced", changed: changed, conflicts: this.doc.conflicts });
    },

    /** Another tab wrote or deleted this record (cleared: all of localStorage was cleared).
        What storage holds now is what counts: an event may tell of an older version. */
    incoming: function (cleared) {
      var now = L.stored(L.docKey(this.pageId, this.id));
      if (!now.ok) return;
      var raw = now.value;
      if (raw === null) {
        if (this.known && this.state !== "orphaned") this.orphan(cleared ? "cleared" : "deleted");
        return;
      }
      if (raw === this.raw && this.state !== "orphaned") return;
      var theirs = L.parse(raw, this.pageId, this.id);
      if (!theirs) return;
      if (this.state === "orphaned") { // the record is back (imported again): shown as it is
        this.open(this.id);
        this.notify({ type: "switched", restored: true });
        return;
      }
      this.take(theirs, raw);
      if (this.dirty) this.commit();
    },

    orphan: function (cause) {
      this.stop();
      L.forget(L.docKey(this.pageId, this.id));
      this.cause = cause;
      this.setState("orphaned", null);
    },

    /** After all storage was cleared by something else: write what this tab shows again. */
    rewrite: function () {
      this.state = "";
      this.known = false;
      this.dirty = true;
      this.commit();
      this.notify({ type: "state" });
    },

    /** Forget everything (all was erased in this tab): show a blank 既定の記録. */
    reset: function () {
      this.dirty = false;
      this.open("");
      this.how = "tab";
      L.choose(this.pageId, "");
      this.notify({ type: "switched" });
    },

    /** Show another record in this tab (the current one written first). */
    select: function (id) {
      this.flush();
      this.open(id);
      this.how = "tab";
      L.choose(this.pageId, id);
      this.notify({ type: "switched" });
    },

    /** A new record, named name, holding a copy of from (a document, or nothing), written
        first and then shown; the error if it could not be written (shown all the same). */
    create: function (name, from, drill) {
      this.flush();
      var doc = from ? HB.recordFormat.clone(from) : HB.recordFormat.blank(this.pageId, "", "", L.edition());
      doc.id = HB.recordFormat.newId();
      doc.page = this.pageId;
      doc.created = doc.updated = time().now();
      if (drill) { // drill: {scenario}, a drill's record (record-format.js), started now
        doc.kind = "drill";
        doc.scenario = drill.scenario;
        doc.started = doc.created;
      }
      doc.edition = doc.edition || L.edition();
      HB.crdt.write(doc, L.replica, L.next(), "name", name, doc.created);
      var error = L.set(L.docKey(this.pageId, doc.id), JSON.stringify(doc), true);
      this.select(doc.id);
      return error;
    },

    /** Delete the record shown (that one document, nothing else), then show 既定の記録. */
    remove: function () {
      this.stop();
      var error = L.remove(L.docKey(this.pageId, this.id));
      if (error) return error;
      L.removeDraft(this.pageId, this.id);
      this.dirty = false;
      this.known = false;
      this.state = "";
      this.select("");
      return null;
    },
  };

  HB.RecordSession = Session;
})((window.HB = window.HB || {}));
