/* Record: the 事故対応記録 of a type page, as shown — the record chosen in this tab, its
   answers, notes and timeline, the 第一報, and what storage says about it (not saved, deleted
   in another tab, a field changed in two tabs). The record itself lives in storage.js
   (HB.storage.session: one document per record, the tab's choice, merging with other tabs);
   its texts in report.js; export and import in record-transfer.js; the form's questions in
   record-fields.js; what it says about the record (unsaved, deleted, two tabs' values) in
   record-alerts.js. Everything typed is shown with textContent, never as HTML.
   Mounts on section[data-hb-module=record][data-hb-page] (components/record/record.html).
   Typing writes after SAVE_DELAY ms of quiet, and at least once a second while it goes on
   (storage.js MAX_WAIT), and remakes the 第一報 after RENDER_DELAY ms (longer while it is
   off screen), so that a long answer stays quick to type in. A note typed but not added is
   kept as a draft (HB.storage.session(...).keepDraft) at least once a second and when the
   page is hidden, and comes back after a reload.
   Talks only through the session: watches it (changes, other tabs, messages), reads the
   page's ticks from it (session.ticked) and gives it the 第一報's snapshot
   (session.snapshot, for record-transfer's text export). */
(function (HB) {
  "use strict";

  var SAVE_DELAY = 400;
  var DRAFT_WAIT = 1000; // a note being typed is kept at least this often
  var RENDER_DELAY = 250;
  var RENDER_DELAY_UNSEEN = 2000; // the 第一報 off screen: remade after a longer pause
  var SHOWN = 200; // characters of a long value shown in a notice

  function clip(text) { return HB.report.clip(text, SHOWN); } // by grapheme: no half emoji

  HB.register("record", function (section) {
    var pageId = section.getAttribute("data-hb-page");
    var form = section.querySelector("[data-hb-record-form]");
    var select = section.querySelector("[data-hb-record-select]");
    var message = section.querySelector("[data-hb-record-message]");
    var alerts = section.querySelector("[data-hb-record-alerts]");
    var noteForm = section.querySelector("[data-hb-note-form]");
    var timelineEl = section.querySelector("[data-hb-timeline]");
    var reportEl = section.querySelector("[data-hb-first-report]");
    var session = HB.storage.session(pageId);
    var T = HB.report.time;
    var renderTimer = null;
    var warned = ""; // the warning shown for a time (a 発見日時 in the future)

    function say(text) { message.textContent = text; }
    /** name, numbered when another record of this page has it. */
    function uniqueName(name) {
      return HB.report.uniqueName(name, HB.storage.records(pageId).map(function (r) { return r.name; }));
    }
    function label(doc) { return doc.name || HB.t("store.default_record"); }

    /* --- the questions (record-fields.js) ------------------------------------------------------ */
    var questions = HB.recordFields(form);
    var fields = questions.fields, sections = questions.sections, labelOf = questions.labelOf;
    var valueOf = questions.valueOf, shown = questions.shown, setField = questions.set;

    function fillForm() { questions.fill(session.doc.answers); }

    function same(a, b) {
      return a === b || (Array.isArray(a) && Array.isArray(b) && a.join("\u0000") === b.join("\u0000"));
    }

    function onInput(event) {
      var field = fields[event.target.name];
      if (!field) return;
      if (field.kind === "time" && event.target.validity.badInput) {
        if (event.type === "change") say(HB.t("record.time_incomplete", { label: field.label }));
        return;
      }
      var problem = field.kind === "time" ? T.problem(field.controls[0].value) : "";
      if (problem) { // a year of 5 digits: never stored, the stored time stays
        say(HB.t("record.time_not_saved", { label: field.label, problem: problem }));
        return;
      }
      var value = valueOf(field);
      var warning = T.warning(field.name, value, Date.now());
      if (event.type === "change" && (warning || message.textContent === warned)) say(warning);
      if (event.type === "change") warned = warning; // a corrected time takes its warning away
      var torn = session.doc.conflicts.some(function (c) { return c.field === field.name; });
      if (same(session.doc.answers[field.name], value) && !torn) {
        if (event.type === "change") session.flush(); // leaving the field: written now
        return;
      }
      // writing a field covers every value it had: a conflict ends when the user types
      session.set("a:" + field.name, value, field.kind === "text" ? SAVE_DELAY : 0);
      if (torn) renderAlerts();
      if (event.type === "change") session.flush(); // leaving the field: written now
      later();
    }
    form.addEventListener("input", onInput);
    form.addEventListener("change", onInput);

    /* --- timeline and 第一報 ------------------------------------------------------------------ */
    /** This page's ticked steps, and the record's ticks of steps this edition removed. */
    function ticks() {
      var asked = session.ticked();
      return {
        steps: asked.steps,
        removed: HB.report.changes(session.doc.steps, asked.steps, asked.known).removed,
      };
    }

    function snapshot() {
      var doc = session.doc;
      var a = doc.answers;
      var t = ticks();
      return {
        to: section.getAttribute("data-hb-to"),
        type: section.getAttribute("data-hb-type-title"),
        // a drill's: the scenario's title (drill.js, data-hb-scenario-titles), or its id
        drill: doc.kind ? scenarioTitle(doc.scenario) : "",
        name: doc.name,
        edition: doc.edition,
        discovered: a.discovered,
        department: a.department,
        reporter: a.reporter,
        sections: sections.map(function (s) {
          return {
            title: s.title,
            fields: s.names.map(function (n) { return { label: labelOf(n), value: a[n] }; }),
          };
        }),
        steps: t.steps,
        removed: t.removed,
        removedAnswers: HB.report.removedAnswers(a, Object.keys(fields)),
        notes: doc.notes,
        conflicts: doc.conflicts.reduce(function (all, c) {
          return all.concat(c.values.slice(1).map(function (v) {
            return { label: labelOf(c.field), value: shown(c.field, v.value) };
          }));
        }, []),
      };
    }

    function renderReport() {
      clearTimeout(renderTimer);
      renderTimer = null;
      reportEl.textContent = HB.report.firstReport(snapshot());
    }

    var reportSeen = true;
    if ("IntersectionObserver" in window) {
      new IntersectionObserver(function (entries) {
        reportSeen = entries[entries.length - 1].isIntersecting;
        if (reportSeen && renderTimer) renderReport();
      }, { rootMargin: "100px" }).observe(reportEl);
    }

    function later() {
      clearTimeout(renderTimer);
      renderTimer = setTimeout(renderReport, reportSeen ? RENDER_DELAY : RENDER_DELAY_UNSEEN);
    }

    function removeNote(id) {
      session.set("n:" + id, undefined); // that one note
    }

    var drawn = { timeline: null }; // what is on screen, to redraw only changes

    function scenarioTitle(id) {
      var titles = {};
      try { titles = JSON.parse(section.getAttribute("data-hb-scenario-titles") || "{}"); } catch (ignored) { /* ids */ }
      return titles[id] || id || HB.t("drill.unknown_scenario");
    }

    function renderTimeline() {
      var heading = section.querySelector("#timeline");
      if (heading) heading.textContent = (session.doc.kind ? HB.report.DRILL : "") + HB.t("record.timeline_heading");
      var t = ticks();
      var snap = { steps: t.steps, removed: t.removed, notes: session.doc.notes };
      var signature = JSON.stringify(snap);
      if (signature === drawn.timeline) return;
      drawn.timeline = signature;
      timelineEl.textContent = "";
      var entries = HB.report.timeline(snap);
      var items = document.createDocumentFragment();
      entries.forEach(function (entry) {
        var item = document.createElement("li");
        var time = document.createElement("time");
        time.dateTime = entry.at || "";
        time.textContent = T.dateTime(entry.at);
        item.appendChild(time);
        item.appendChild(document.createTextNode(" " + HB.report.entryText(entry)));
        if (entry.kind === "note") {
          var remove = document.createElement("button");
          remove.type = "button";
          remove.className = "hb-timeline__remove";
          remove.textContent = HB.t("record.remove_note");
          remove.setAttribute("aria-label", HB.t("record.remove_note_label", { text: clip(entry.text) }));
          remove.addEventListener("click", function () { removeNote(entry.id); });
          item.appendChild(document.createTextNode(" "));
          item.appendChild(remove);
        }
        item.setAttribute("data-kind", entry.kind);
        items.appendChild(item);
      });
      timelineEl.appendChild(items);
    }

    function render() {
      renderTimeline();
      renderReport();
    }

    /* --- the record list, and what storage says ------------------------------------------- */
    function renderSelect() {
      var list = HB.storage.records(pageId);
      select.textContent = "";
      select.appendChild(new Option(HB.t("store.default_record"), ""));
      var named = list.filter(function (r) { return r.id; });
      var labels = HB.report.listLabels(named.map(function (r) { return r.name || r.id; }));
      var drills = null; // drills apart, under 「訓練」, after the real records
      named.forEach(function (r, i) {
        var option = new Option(clip(labels[i]), r.id);
        if (!r.kind) { select.appendChild(option); return; }
        if (!drills) { drills = document.createElement("optgroup"); drills.label = HB.t("record.drills_group"); }
        option.textContent = HB.report.DRILL + option.textContent;
        drills.appendChild(option);
      });
      if (drills) select.appendChild(drills);
      if (session.id && !list.some(function (r) { return r.id === session.id; })) {
        select.appendChild(new Option(HB.t("record.deleted_option", { name: label(session.doc) }), session.id));
      }
      select.value = session.id;
    }

    var renderAlerts = HB.recordAlerts(alerts, session, {
      labelOf: labelOf, shown: shown, say: say, label: label, uniqueName: uniqueName,
      chosen: function (field, value) { // a conflict's value chosen: shown, and in the 第一報
        if (fields[field]) setField(fields[field], value);
        renderReport();
      },
    });

    function show() {
      renderSelect();
      fillForm();
      renderAlerts();
      render();
      restoreDraft();
    }

    session.watch(section, function (news) {
      if (news.type === "switched") {
        show();
        if (news.restored) say(HB.t("record.restored", { name: label(session.doc) }));
      } else if (news.type === "message") {
        say(news.text);
      } else if (news.type === "changed") {
        if (news.keys.some(function (k) { return k.slice(0, 2) !== "a:"; })) render(); else later();
      } else if (news.type === "synced") {
        fillForm();
        renderSelect();
        renderAlerts();
        render();
      } else if (news.type === "state") {
        renderSelect();
        renderAlerts();
      } else if (news.type === "list") {
        renderSelect();
      }
    }, true);

    /* --- record-transfer's text export ----------------------------------------------------- */
    session.snapshot = function () {
      renderReport();
      return snapshot();
    };

    /* --- records: switch, new, delete ------------------------------------------------------- */
    select.addEventListener("change", function () {
      session.select(select.value);
      say(HB.t("record.showing", { name: label(session.doc) }));
    });
    section.querySelector("[data-hb-record-new]").addEventListener("click", function () {
      var today = T.dateTime(T.now()).slice(0, 10);
      var name = window.prompt(HB.t("record.new_record_prompt", { today: today }),
        today + " " + section.getAttribute("data-hb-type-title"));
      if (name === null || !name.trim()) return;
      name = uniqueName(name.trim());
      var error = session.create(name); // always a real record, even from a drill
      say(error ? HB.t("record.created_unsaved", { name: name, why: HB.storage.why(error) })
        : HB.t("record.created", { name: name }));
    });
    section.querySelector("[data-hb-record-delete]").addEventListener("click", function () {
      var name = label(session.doc);
      var c = HB.recordFormat.counts(session.data);
      if (!window.confirm(HB.t("record.confirm_delete", {
        name: name, answers: c.answers, notes: c.notes, steps: c.steps,
      }))) return;
      var error = session.remove();
      say(error ? HB.t("record.delete_failed", { why: HB.storage.why(error) }) : HB.t("record.deleted", { name: name }));
    });

    /* --- notes ---------------------------------------------------------------------------- */
    var noteAt = noteForm.querySelector("[name=note-at]");
    var noteText = noteForm.querySelector("[name=note-text]");
    noteText.addEventListener("focus", function () {
      if (!noteAt.value && !noteAt.validity.badInput) noteAt.value = T.toInput(T.now());
    });
    noteForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = noteText.value.trim();
      var at = noteAt.value ? T.fromInput(noteAt.value) : noteAt.validity.badInput ? null : T.now();
      if (!at) {
        say(HB.t("record.note_time_incomplete"));
        noteAt.focus();
        return;
      }
      if (!text) return;
      session.set("n:" + HB.recordFormat.noteId(session.data), { at: at, text: text });
      noteText.value = "";
      noteAt.value = "";
      keepDraft();
      say(HB.t("record.note_added"));
    });

    /* --- the note being typed: a draft, kept at least once a second --------------------------- */
    var draftTimer = null;
    var draftId = null; // the record the note form's text belongs to
    function keepDraft() {
      clearTimeout(draftTimer);
      draftTimer = null;
      if (draftId === null) return;
      var error = HB.storage.keepDraft(pageId, draftId, noteText.value.trim() ? noteText.value : "", noteAt.value);
      if (error) say(HB.t("record.draft_unsaved", { why: HB.storage.why(error) }));
    }
    function draftLater() {
      if (!draftTimer) draftTimer = setTimeout(keepDraft, DRAFT_WAIT);
    }
    function restoreDraft() {
      if (draftId === session.id) return;
      keepDraft(); // the previous record's draft, before the form shows this one's
      draftId = session.id;
      var d = HB.storage.draft(pageId, draftId);
      noteText.value = d ? d.text : "";
      noteAt.value = d ? d.at : "";
      if (d) say(HB.t("record.draft_restored"));
    }
    noteForm.addEventListener("input", draftLater);
    HB.storage.onHide(function () { if (document.contains(noteForm)) keepDraft(); });

    /* --- copy and print the 第一報 ------------------------------------------------------------ */
    section.querySelector("[data-hb-copy]").addEventListener("click", function () {
      renderReport();
      var text = reportEl.textContent;
      var done = function () { say(HB.t("record.copied")); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { say(HB.t("record.copy_failed")); });
      } else {
        var range = document.createRange();
        range.selectNodeContents(reportEl);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
        say(document.execCommand("copy") ? HB.t("record.copied") : HB.t("record.copy_selected"));
      }
    });
    section.querySelector("[data-hb-print-record]").addEventListener("click", function () {
      renderReport();
      HB.printWith("hb-print-record");
    });

    section.hidden = false;
    show();
    if (session.how === "latest" || session.how === "missing") {
      say(session.how === "missing" ? HB.t("record.missing_showing_latest", { name: label(session.doc) })
        : HB.t("record.showing_latest", { name: label(session.doc) }));
      session.how = "tab";
    }
  });
})((window.HB = window.HB || {}));
