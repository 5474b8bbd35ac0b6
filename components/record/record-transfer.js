/* Record transfer: 「JSONで書き出す」「テキストで書き出す」「JSONを読み込む」 of the 事故対応記録.
   Mounts on [data-hb-module=record-transfer][data-hb-page] inside the record's section
   (components/record/record.html). Exports exactly what the tab shows (the session's document
   in memory, even when storage failed): the JSON is the stored document (version 3,
   record-format.js), the text export plain text (.txt, the session's snapshot of the 第一報).
   An import never overwrites what it has not shown: when the file's record (or its name)
   is already here, it first lists what would change (entries only here, edits made here
   since the export, entries the file's writer removed, an older export, a name or id
   clash) and offers 「統合する」 (a CRDT merge: nothing added here since is lost),
   「新しい記録として読み込む」 or 「取りやめる」. A write that fails changes nothing and says
   why. Files up to MAX_BYTES are read; entries that cannot be used are left out and counted.
   Talks to the record view through the session (message news, session.snapshot). */
(function (HB) {
  "use strict";

  var MAX_BYTES = 10 * 1024 * 1024;
  /** The kinds of entries a file can hold, in the order they are named. */
  function kinds() {
    return {
      answers: HB.t("record.kind_answers"), notes: HB.t("record.kind_notes"), steps: HB.t("record.kind_steps"),
      events: HB.t("record.kind_events"), conflicts: HB.t("record.kind_conflicts"),
    };
  }
  var SHOWN = 5; // answers named in a review line

  HB.register("record-transfer", function (box) {
    var pageId = box.getAttribute("data-hb-page");
    var session = HB.storage.session(pageId);
    var review = null; // the open review of an import

    function say(text) { session.notify({ type: "message", text: text }); }
    function label(name) { return name || HB.t("store.default_record"); }
    function nameOf(doc) { return HB.crdt.view(doc).name; }

    var download = HB.download;

    function fileName(ext) {
      var name = (session.doc.name || "default").replace(/[\\/:*?"<>|\s\u0000-\u001f]+/g, "_");
      return "incident-" + pageId.split("/").pop() + "-" + name + "." + ext;
    }

    box.querySelector("[data-hb-export-json]").addEventListener("click", function () {
      download(fileName("json"), "application/json", HB.recordFormat.toJson(session.data));
    });
    box.querySelector("[data-hb-export-text]").addEventListener("click", function () {
      var snapshot = session.snapshot && session.snapshot();
      if (snapshot) download(fileName("txt"), "text/plain;charset=utf-8", HB.report.text(snapshot));
    });

    /** "（読み込まなかった項目: メモ 1 件）" for what a file held that could not be used. */
    function leftOut(skipped) {
      var names = kinds();
      var items = Object.keys(names).filter(function (k) { return skipped[k]; }).map(function (k) {
        return HB.t("record.count_item", { kind: names[k], count: skipped[k] });
      }).join(HB.t("record.list_separator"));
      var renumbered = skipped.renumbered;
      if (items && renumbered) return HB.t("record.left_out_both", { items: items, count: renumbered });
      if (items) return HB.t("record.left_out", { items: items });
      return renumbered ? HB.t("record.left_out_renumbered", { count: renumbered }) : "";
    }

    /** Item keys in words: "回答「事実（誰が）」、メモ 2 件". */
    function describe(keys) {
      var answers = [], notes = 0, steps = 0;
      keys.forEach(function (k) {
        if (k === "name") answers.push(HB.t("record.record_name_item"));
        else if (k.slice(0, 2) === "n:") notes++;
        else if (k.slice(0, 2) === "s:") steps++;
        else answers.push(fieldLabel(k.slice(2)));
      });
      var parts = [];
      if (answers.length) {
        var named = {
          count: answers.length,
          labels: answers.slice(0, SHOWN).map(function (a) {
            return HB.t("record.quoted", { text: a });
          }).join(HB.t("record.list_separator")),
        };
        parts.push(answers.length > SHOWN ? HB.t("record.answers_item_more", named) : HB.t("record.answers_item", named));
      }
      if (notes) parts.push(HB.t("record.count_item", { kind: HB.t("record.kind_notes"), count: notes }));
      if (steps) parts.push(HB.t("record.count_item", { kind: HB.t("record.kind_steps"), count: steps }));
      return parts.join(HB.t("record.list_separator"));
    }

    function fieldLabel(name) {
      var section = box.closest("[data-hb-module=record]") || document;
      var control = section.querySelector("[data-hb-record-form] [name=\"" + name + "\"]");
      var field = control && control.closest(".hb-field");
      var caption = field && (field.tagName === "FIELDSET" ? field.querySelector("legend") : field.querySelector("label"));
      return caption ? caption.textContent.trim() : name;
    }

    /** A scenario's title as the record's section knows it (its id when unknown). */
    function scenarioTitle(id) {
      var section = box.closest("[data-hb-module=record]");
      try {
        var titles = JSON.parse((section && section.getAttribute("data-hb-scenario-titles")) || "{}");
        return titles[id] || id || HB.t("record.unknown");
      } catch (ignored) { return id || HB.t("record.unknown"); }
    }

    /** What importing doc would change, line by line (plain text). */
    function findings(doc, local) {
      var lines = [];
      var fileName = nameOf(doc);
      var K = HB.recordFormat.kindOf;
      // a drill's file says so, always: it is read as a drill, never as a real record
      if (K(doc)) lines.push(HB.t("record.drill_file", { scenario: scenarioTitle(doc.scenario) }));
      if (local && K(local) !== K(doc)) {
        lines.push(HB.t("record.kind_mismatch", {
          local: K(local) ? HB.t("record.drill_record") : HB.t("record.real_record"),
          file: K(doc) ? HB.t("record.drill_record") : HB.t("record.real_record"),
        }));
        return lines;
      }
      if (local) {
        var c = HB.recordFormat.compare(local, doc);
        var localName = nameOf(local);
        if (localName !== fileName) {
          lines.push(HB.t("record.name_differs", { local: label(localName), file: label(fileName) }));
        }
        if (c.same) lines.push(HB.t("record.same_content"));
        if (c.older) {
          lines.push(HB.t("record.older_file", { updated: HB.report.time.dateTime(local.updated) }));
        }
        if (c.local.length) lines.push(HB.t("record.only_here", { items: describe(c.local) }));
        if (c.edited.length) lines.push(HB.t("record.edited_here", { items: describe(c.edited) }));
        if (c.dropped.length) lines.push(HB.t("record.dropped_there", { items: describe(c.dropped) }));
        if (c.differs.length) lines.push(HB.t("record.typed_both", { items: describe(c.differs) }));
        if (c.added.length) lines.push(HB.t("record.added_from_file", { items: describe(c.added) }));
      }
      var twins = HB.storage.records(pageId).filter(function (r) { return r.id !== doc.id && r.name === fileName; });
      if (twins.length) lines.push(HB.t("record.same_name", { name: label(fileName) }));
      return lines;
    }

    function closeReview() {
      if (review) review.remove();
      review = null;
    }

    function write(doc, merge, skipped) {
      closeReview();
      session.flush();
      var error = HB.storage.put(doc, merge);
      if (error) {
        say(HB.t("record.write_failed", { why: HB.storage.why(error) }));
        return;
      }
      session.select(doc.id);
      var name = { name: label(nameOf(HB.storage.load(pageId, doc.id) || doc)) };
      var done = HB.recordFormat.kindOf(doc)
        ? merge ? HB.t("record.drill_merged", name) : HB.t("record.drill_imported", name)
        : merge ? HB.t("record.merged", name) : HB.t("record.imported", name);
      say(done + leftOut(skipped) + (skipped && skipped.notice ? skipped.notice : ""));
    }

    function asNew(doc, skipped) {
      var today = HB.report.time.dateTime(HB.report.time.now()).slice(0, 10);
      write(HB.storage.renamed(doc, HB.t("record.imported_name", { name: label(nameOf(doc)), today: today })), false, skipped);
    }

    /** The review of an import: what it would change, and the three ways on. */
    function ask(doc, local, lines, skipped) {
      var crossing = local && HB.recordFormat.kindOf(local) !== HB.recordFormat.kindOf(doc); // never merged
      closeReview();
      review = document.createElement("div");
      review.className = "hb-record__alert";
      review.setAttribute("role", "alert");
      review.setAttribute("data-hb-import-review", "");
      var head = document.createElement("p");
      head.textContent = local
        ? HB.t("record.review_head_overlap", { name: label(nameOf(doc)), local: label(nameOf(local)) })
        : HB.t("record.review_head", { name: label(nameOf(doc)) });
      review.appendChild(head);
      var list = document.createElement("ul");
      lines.forEach(function (line) {
        var item = document.createElement("li");
        item.textContent = line;
        list.appendChild(item);
      });
      review.appendChild(list);
      var buttons = document.createElement("p");
      [
        crossing ? null : [local ? HB.t("record.merge") : HB.recordFormat.kindOf(doc) ? HB.t("record.import_drill")
          : HB.t("record.import_as_is"), function () { write(doc, true, skipped); }],
        [HB.t("record.import_new"), function () { asNew(doc, skipped); }],
        [HB.t("record.cancel_import"), function () {
          closeReview();
          say(HB.t("record.import_cancelled"));
        }],
      ].forEach(function (b) {
        if (!b) return;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "md-button";
        button.textContent = b[0];
        button.addEventListener("click", b[1]);
        buttons.appendChild(button);
        buttons.appendChild(document.createTextNode(" "));
      });
      review.appendChild(buttons);
      box.appendChild(review);
      say(HB.t("record.review_prompt"));
    }

    function load(text) {
      var read = HB.recordFormat.fromJson(text, pageId);
      if (read.error) {
        say(HB.t("record.read_failed", { error: read.error }));
        return;
      }
      var doc = read.doc;
      session.flush();
      var local = session.id === doc.id ? session.data : HB.storage.load(pageId, doc.id);
      if (local && !Object.keys(local.items).length && !Object.keys(local.clock).length) local = null;
      var lines = findings(doc, local);
      if (!local && !lines.length) { // a drill's file always has its line: it is reviewed
        write(doc, false, read.skipped);
        return;
      }
      ask(doc, local, lines, read.skipped);
    }

    box.querySelector("[data-hb-import]").addEventListener("change", function (event) {
      var input = event.target;
      var file = input.files && input.files[0];
      if (!file) return;
      if (file.size > MAX_BYTES) {
        say(HB.t("record.too_big"));
        input.value = "";
        return;
      }
      file.text().then(function (text) {
        input.value = "";
        load(text);
      }, function () {
        input.value = "";
        say(HB.t("record.open_failed"));
      });
    });
  });
})((window.HB = window.HB || {}));
