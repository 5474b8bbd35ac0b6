/* Store-finder: records in this browser that this copy of the handbook does not show, offered
   for import, never silently hidden. Mounts on [data-hb-module=store-finder] (the home page,
   each type page above its record). It finds, on this origin:
     hb:v2:<another scope>|record|…   another copy (/handbook-test/), another storage id, or
                                      the title-based scope of earlier builds
     hb:v1:<another path>|…           format 1 of a copy at another path (format 1 of this
                                      path is migrated by storage.js itself)
   and says how many, from where, by name. 「読み込む」 copies them into this store
   (HB.storage.put; the originals stay where they are, so the other copy keeps them): an id
   free here keeps its id, a name taken is numbered, a 既定の記録 becomes a named record where
   this page already has one. 「表示しない」 hides what is offered now; a record changed
   since is offered again. What was imported or hidden is kept in
   hb:store-finder:<this scope> (clear-all erases it with the records). */
(function (HB) {
  "use strict";

  var LISTED = 8;

  function seenKey() { return "hb:store-finder:" + HB.storage.scope.key; }

  function readSeen() {
    try { return JSON.parse(localStorage.getItem(seenKey()) || "{}") || {}; } catch (e) { return {}; }
  }

  function writeSeen(seen) {
    try { localStorage.setItem(seenKey(), JSON.stringify(seen)); } catch (ignored) { /* shown again */ }
  }

  /** A short fingerprint of a stored text (FNV-1a): a record changed since is offered again. */
  function print(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
    return text.length + ":" + h.toString(16);
  }

  /** A store's key in words. */
  function describe(key) {
    var scope = HB.storage.scope;
    if (key.indexOf("v1:") === 0) return HB.t("store_finder.old_format_store", { path: key.slice(3) });
    if (key === scope.legacy) return HB.t("store_finder.this_handbook_by_title", { title: key });
    if (key.charAt(0) === "/") return HB.t("store_finder.older_handbook_at_path", { path: key });
    if (!/^[a-z0-9]+(-[a-z0-9]+)*(@.*)?$/.test(key)) { // no storage id: an earlier build's title
      return HB.t("store_finder.older_handbook_by_title", { title: key });
    }
    var at = key.lastIndexOf("@");
    var id = at > 0 ? key.slice(0, at) : key, path = at > 0 ? key.slice(at + 1) : "";
    if (id === scope.id && path) return HB.t("store_finder.this_handbook_elsewhere", { path: path });
    if (id === scope.id) return HB.t("store_finder.this_handbook_shared");
    return path ? HB.t("store_finder.other_handbook_at_path", { id: id, path: path }) : HB.t("store_finder.other_handbook", { id: id });
  }

  function titleOf(pageId) { return HB.pageTitle(pageId); } // hb.js

  /** Every record of another store not yet imported or hidden: [{source, print, store,
      doc}] (doc: a record document, its page and id as stored there). */
  function find() {
    var scope = HB.storage.scope;
    var mine = "hb:v2:" + scope.key + "|";
    var seen = readSeen();
    var found = [];
    var v1 = {}; // path -> {key: text}
    var s;
    try { s = window.localStorage; } catch (e) { return found; }
    if (!s) return found;
    for (var i = 0; i < s.length; i++) {
      var key = s.key(i) || "";
      var raw = s.getItem(key);
      if (raw === null) continue;
      if (key.indexOf("hb:v2:") === 0 && key.indexOf(mine) !== 0) {
        var at = key.indexOf("|record|");
        if (at < 0) continue;
        var rest = key.slice(at + 8), bar = rest.lastIndexOf("|");
        var doc = null;
        try { doc = HB.storage.format.read(JSON.parse(raw)); } catch (e) { doc = null; }
        if (!doc || bar < 0) continue;
        doc = doc.doc;
        doc.page = rest.slice(0, bar);
        doc.id = rest.slice(bar + 1);
        found.push({ source: key, print: print(raw), store: key.slice(6, at), doc: doc });
      } else if (key.indexOf("hb:v1:") === 0) {
        var end = key.indexOf("|");
        var path = key.slice(6, end);
        if (end < 0 || path === scope.root) continue;
        (v1[path] = v1[path] || {})[key] = raw;
      }
    }
    Object.keys(v1).forEach(function (path) {
      HB.storage.format.migrate(v1[path], "hb:v1:" + path + "|").forEach(function (doc) {
        var source = "hb:v1:" + path + "|" + doc.page + "~" + doc.id;
        found.push({ source: source, print: print(JSON.stringify(doc)), store: "v1:" + path, doc: doc });
      });
    });
    return found.filter(function (f) {
      var c = HB.storage.format.counts(f.doc);
      return seen[f.source] !== f.print && (f.doc.id || c.answers || c.notes || c.steps);
    });
  }

  /** A found record's name (version 3 keeps it as an entry: HB.crdt.view). */
  function nameOf(doc) { return HB.crdt.view(doc).name || ""; }

  /** Copy one found record into this store: "" done, else why not (a sentence). */
  function importOne(f) {
    var doc = f.doc;
    var here = HB.storage.records(doc.page);
    var ids = {};
    here.forEach(function (r) { ids[r.id] = true; });
    var id = doc.id, name = nameOf(doc);
    if (!id && ids[""]) {
      if (doc.page.indexOf("types/") !== 0) return HB.t("store_finder.page_already_checked");
      name = HB.t("store_finder.default_record_from", { store: describe(f.store) });
    }
    if ((id && ids[id]) || (!id && ids[""])) id = HB.storage.format.newId();
    if (id) name = HB.report.uniqueName(name || HB.t("store_finder.unnamed_record"), here.map(function (r) { return r.name; }));
    // a new name is this tab's entry; the copy keeps every other entry as it was
    var copy = name !== nameOf(doc) ? HB.storage.renamed(doc, name) : HB.storage.format.clone(doc);
    copy.id = id;
    copy.page = doc.page;
    var error = HB.storage.put(copy);
    return error ? HB.storage.why(error) : "";
  }

  HB.register("store-finder", function (box) {
    var section = HB.pageOf(box).querySelector("[data-hb-module=record]");
    var pageId = section ? section.getAttribute("data-hb-page") : "";

    function done(text) {
      box.textContent = "";
      var p = document.createElement("p");
      p.className = "hb-storage-notice";
      p.setAttribute("role", "status");
      p.textContent = text;
      box.appendChild(p);
      box.hidden = false;
    }

    function show() {
      var found = find();
      box.textContent = "";
      box.hidden = !found.length;
      if (!found.length) return;
      var stores = {};
      found.forEach(function (f) { (stores[f.store] = stores[f.store] || []).push(f); });
      var p = document.createElement("p");
      p.className = "hb-storage-notice";
      p.setAttribute("role", "status");
      p.setAttribute("data-hb-store-finder-text", "");
      var lines = [HB.t("store_finder.found", { count: found.length })];
      Object.keys(stores).sort().forEach(function (store) {
        var list = stores[store];
        lines.push(HB.t("store_finder.store_count", { store: describe(store), count: list.length }));
        list.slice(0, LISTED).forEach(function (f) {
          var name = f.doc.id ? HB.t("store.named_record", { name: nameOf(f.doc) || f.doc.id }) :
            HB.t("store.default_record");
          lines.push(HB.t("store.record_item", { name: HB.report.clip(name, 60), page: titleOf(f.doc.page) }));
        });
        if (list.length > LISTED) lines.push(HB.t("store.more_records", { count: list.length - LISTED }));
      });
      lines.push(HB.t("store_finder.copy_note"));
      lines.forEach(function (line, i) {
        if (i) p.appendChild(document.createElement("br"));
        p.appendChild(document.createTextNode(line));
      });
      var take = document.createElement("button");
      take.type = "button";
      take.className = "md-button";
      take.textContent = HB.t("store_finder.import", { count: found.length });
      take.addEventListener("click", function () {
        var seen = readSeen();
        var failed = [];
        found.forEach(function (f) {
          var why = importOne(f);
          var name = HB.report.clip(nameOf(f.doc) || HB.t("store.default_record"), 40);
          if (why) failed.push(HB.t("store_finder.not_imported_item", { name: name, why: why }));
          else seen[f.source] = f.print;
        });
        writeSeen(seen);
        if (pageId) { // the record shown, its list and its ticks read again from storage
          var session = HB.storage.session(pageId);
          session.select(session.id);
        }
        var count = found.length - failed.length;
        done(failed.length ?
          HB.t("store_finder.imported_some", { count: count, failed: failed.join(HB.t("store_finder.list_separator")) }) :
          HB.t("store_finder.imported", { count: count }));
      });
      var hide = document.createElement("button");
      hide.type = "button";
      hide.className = "md-button";
      hide.textContent = HB.t("store_finder.hide");
      hide.addEventListener("click", function () {
        var seen = readSeen();
        found.forEach(function (f) { seen[f.source] = f.print; });
        writeSeen(seen);
        done(HB.t("store_finder.hidden"));
      });
      p.appendChild(document.createTextNode(" "));
      p.appendChild(take);
      p.appendChild(document.createTextNode(" "));
      p.appendChild(hide);
      box.appendChild(p);
    }

    HB.pageOf(box).addEventListener("hb:storage-cleared", show);
    show();
  });
})((window.HB = window.HB || {}));
