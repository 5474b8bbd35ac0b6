/* Record: the 事故対応記録 of a type page, as shown — the record chosen in this tab, its
   answers, notes and timeline, the 第一報, and what storage says about it (not saved, deleted
   in another tab, a field changed in two tabs). The record itself lives in storage.js
   (HB.storage.session: one document per record, the tab's choice, merging with other tabs);
   its texts in report.js; export and import in record-transfer.js. Everything typed is shown
   with textContent, never as HTML.
   Mounts on section[data-hb-module=record][data-hb-page] (macros/templates/record.html).
   Typing writes after SAVE_DELAY ms of quiet and remakes the 第一報 after RENDER_DELAY ms
   (longer while it is off screen), so that a long answer stays quick to type in.
   Events (see hb.js): answers hb:scope-request (this page's ticks are shown here) and
   hb:report-request {pageId, snapshot} (record-transfer's text export), shows
   hb:record-message {pageId, text}, asks hb:ticked-request (the timeline and 第一報 keep
   ticks of steps this edition removed or reworded), redraws on hb:steps-changed
   and hb:storage-cleared. */
(function (HB) {
  "use strict";

  var SAVE_DELAY = 400;
  var RENDER_DELAY = 250;
  var RENDER_DELAY_UNSEEN = 2000; // the 第一報 off screen: remade after a longer pause
  var SHOWN = 200; // characters of a long value shown in a notice

  function clip(text) { return HB.report.clip(text, SHOWN); } // by grapheme: no half emoji

  HB.register("record", function (section) {
    var page = HB.pageOf(section);
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
    var composing = false; // an input method is composing text in a field
    var warned = ""; // the warning shown for a time (a 発見日時 in the future)

    function say(text) { message.textContent = text; }
    /** name, numbered when another record of this page has it. */
    function uniqueName(name) {
      return HB.report.uniqueName(name, HB.storage.records(pageId).map(function (r) { return r.name; }));
    }
    function label(doc) { return doc.name || "既定の記録"; }

    /* --- the form's fields, read once ---------------------------------------------------- */
    var fields = {};
    form.querySelectorAll(".hb-field").forEach(function (el) {
      var controls = Array.prototype.slice.call(el.querySelectorAll("input, textarea"));
      var caption = el.tagName === "FIELDSET" ? el.querySelector("legend") : el.querySelector("label");
      fields[controls[0].name] = {
        name: controls[0].name,
        label: caption.textContent.trim(),
        controls: controls,
        kind: controls[0].type === "checkbox" ? "choices" : controls[0].type === "datetime-local" ? "time" : "text",
      };
    });
    var sections = Array.prototype.map.call(form.querySelectorAll(":scope > fieldset"), function (fieldset) {
      return {
        title: fieldset.querySelector("legend").textContent.trim(),
        names: Array.prototype.map.call(fieldset.querySelectorAll(":scope > .hb-field"), function (el) {
          return el.querySelector("input, textarea").name;
        }),
      };
    });
    function labelOf(name) { return fields[name] ? fields[name].label : name; }

    function valueOf(field) {
      if (field.kind === "choices") {
        return field.controls.filter(function (c) { return c.checked; }).map(function (c) { return c.value; });
      }
      if (field.kind === "time") return T.fromInput(field.controls[0].value) || "";
      return field.controls[0].value;
    }

    /** A value as words: choices joined, a time in Japan time. */
    function shown(name, value) {
      if (Array.isArray(value)) return value.join("、");
      return fields[name] && fields[name].kind === "time" && value ? T.zoned(value) : String(value);
    }

    function setField(field, value) {
      if (field.kind === "choices") {
        field.controls.forEach(function (c) { c.checked = Array.isArray(value) && value.indexOf(c.value) >= 0; });
        return;
      }
      var control = field.controls[0];
      var want = field.kind === "time" ? T.toInput(value) : typeof value === "string" ? value : "";
      if (control.value === want) return;
      if (field.kind === "time" && control.validity.badInput && document.activeElement === control) return;
      if (document.activeElement === control) {
        if (composing) return; // never under an input method's feet
        var start = control.selectionStart, end = control.selectionEnd;
        control.value = want;
        control.setSelectionRange(Math.min(start, want.length), Math.min(end, want.length));
      } else {
        control.value = want;
      }
    }

    function fillForm() {
      Object.keys(fields).forEach(function (name) { setField(fields[name], session.doc.answers[name]); });
    }

    function same(a, b) {
      return a === b || (Array.isArray(a) && Array.isArray(b) && a.join("\u0000") === b.join("\u0000"));
    }

    function onInput(event) {
      var field = fields[event.target.name];
      if (!field) return;
      if (field.kind === "time" && event.target.validity.badInput) {
        if (event.type === "change") say("「" + field.label + "」は、日付と時刻の両方を入力してください。");
        return;
      }
      var problem = field.kind === "time" ? T.problem(field.controls[0].value) : "";
      if (problem) { // a year of 5 digits: never stored, the stored time stays
        say("「" + field.label + "」は保存していません。" + problem);
        return;
      }
      var value = valueOf(field);
      var warning = T.warning(field.name, value, Date.now());
      if (event.type === "change" && (warning || message.textContent === warned)) say(warning);
      if (event.type === "change") warned = warning; // a corrected time takes its warning away
      session.change(function (doc) {
        if (same(doc.answers[field.name], value)) return false;
        doc.answers[field.name] = value;
      }, field.kind === "text" ? SAVE_DELAY : 0);
      if (event.type === "change") session.flush(); // leaving the field: written now
      later();
    }
    form.addEventListener("input", onInput);
    form.addEventListener("change", onInput);
    form.addEventListener("compositionstart", function () { composing = true; });
    form.addEventListener("compositionend", function () { composing = false; });

    /* --- timeline and 第一報 ------------------------------------------------------------------ */
    /** This page's ticked steps, and the record's ticks of steps this edition removed. */
    function ticks() {
      var asked = HB.emit(section, "hb:ticked-request", { pageId: pageId, steps: [], known: [] });
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
        conflicts: doc.conflicts.map(function (c) {
          return { label: labelOf(c.field), value: shown(c.field, c.value) };
        }),
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
      session.change(function (doc) {
        for (var i = 0; i < doc.notes.length; i++) {
          if (doc.notes[i].id === id) {
            doc.notes.splice(i, 1); // that one note
            return;
          }
        }
        return false;
      });
      render();
    }

    var drawn = { timeline: null, alerts: null }; // what is on screen, to redraw only changes

    function renderTimeline() {
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
          remove.textContent = "削除";
          remove.setAttribute("aria-label", "メモを削除: " + clip(entry.text));
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
      select.appendChild(new Option("既定の記録", ""));
      var named = list.filter(function (r) { return r.id; });
      var labels = HB.report.listLabels(named.map(function (r) { return r.name || r.id; }));
      named.forEach(function (r, i) { select.appendChild(new Option(clip(labels[i]), r.id)); });
      if (session.id && !list.some(function (r) { return r.id === session.id; })) {
        select.appendChild(new Option(label(session.doc) + "（削除済み）", session.id));
      }
      select.value = session.id;
    }

    function alert(text, buttons) {
      var p = document.createElement("p");
      p.className = "hb-record__alert";
      p.setAttribute("role", "alert");
      p.appendChild(document.createTextNode(text));
      (buttons || []).forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "md-button";
        button.textContent = b[0];
        button.addEventListener("click", b[1]);
        p.appendChild(document.createTextNode(" "));
        p.appendChild(button);
      });
      alerts.appendChild(p);
    }

    function resolve(conflict, useTheirs) {
      session.change(function (doc) {
        doc.conflicts = doc.conflicts.filter(function (c) { return c !== conflict; });
        if (useTheirs) doc.answers[conflict.field] = conflict.value;
      });
      if (useTheirs && fields[conflict.field]) setField(fields[conflict.field], conflict.value);
      renderAlerts();
      renderReport();
    }

    function renderAlerts() {
      var signature = JSON.stringify([session.id, session.state, session.error && session.error.name, session.doc.conflicts]);
      if (signature === drawn.alerts) return; // an alert is announced once, not at each sync
      drawn.alerts = signature;
      alerts.textContent = "";
      if (session.state === "unsaved") {
        alert("変更を保存できていません（" + HB.storage.why(session.error) + "）。この画面の内容は、" +
          "このページを開いている間だけ残ります。残すときは「JSONで書き出す」でファイルに保存してください。");
      }
      if (session.state === "orphaned") {
        alert("この記録は別のタブで削除されました。このタブでの変更は保存しません。", [
          ["この内容を新しい記録として保存", function () {
            var name = uniqueName(label(session.doc) + "（コピー）");
            var error = session.create(name, session.doc);
            say(error ? "保存できません（" + HB.storage.why(error) + "）。" : "「" + name + "」として保存しました。");
          }],
        ]);
      }
      session.doc.conflicts.forEach(function (c) {
        alert("「" + labelOf(c.field) + "」は別のタブでも変更されました。別のタブの値:「" +
          clip(shown(c.field, c.value)) + "」", [
          ["別のタブの値にする", function () { resolve(c, true); }],
          ["このままにする", function () { resolve(c, false); }],
        ]);
      });
    }

    function show() {
      renderSelect();
      fillForm();
      renderAlerts();
      render();
    }

    session.watch(section, function (news) {
      if (news.type === "switched") {
        show();
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

    /* --- the checklists of this page, and record-transfer ------------------------------------- */
    page.addEventListener("hb:scope-request", function (event) {
      if (event.detail.pageId === pageId) event.detail.scope = session.id;
    });
    page.addEventListener("hb:steps-changed", function (event) {
      if (event.detail.pageId === pageId) render();
    });
    page.addEventListener("hb:storage-cleared", show);
    page.addEventListener("hb:report-request", function (event) {
      if (event.detail.pageId !== pageId) return;
      renderReport();
      event.detail.snapshot = snapshot();
    });
    page.addEventListener("hb:record-message", function (event) {
      if (event.detail.pageId === pageId) say(event.detail.text);
    });

    /* --- records: switch, new, delete ------------------------------------------------------- */
    select.addEventListener("change", function () {
      session.select(select.value);
      say("「" + label(session.doc) + "」を表示しています。");
    });
    section.querySelector("[data-hb-record-new]").addEventListener("click", function () {
      var today = T.dateTime(T.now()).slice(0, 10);
      var name = window.prompt("新しい記録の名前（例: " + today + " USB紛失 総務課）",
        today + " " + section.getAttribute("data-hb-type-title"));
      if (name === null || !name.trim()) return;
      name = uniqueName(name.trim());
      var error = session.create(name);
      say(error ? "新しい記録「" + name + "」を作りましたが、保存できません（" + HB.storage.why(error) + "）。"
        : "新しい記録「" + name + "」を作りました。");
    });
    section.querySelector("[data-hb-record-delete]").addEventListener("click", function () {
      var name = label(session.doc);
      var c = HB.storage.format.counts(session.doc);
      if (!window.confirm("「" + name + "」を削除します（回答 " + c.answers + " 件、メモ " + c.notes +
        " 件、チェック " + c.steps + " 件）。ほかの記録は残ります。よろしいですか？")) return;
      var error = session.remove();
      say(error ? "削除できませんでした（" + HB.storage.why(error) + "）。" : "「" + name + "」を削除しました。");
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
        say("メモの日時は、日付と時刻の両方を入力してください（空欄なら今の日時）。メモは追加していません。");
        noteAt.focus();
        return;
      }
      if (!text) return;
      session.change(function (doc) { doc.notes.push({ id: HB.storage.format.noteId(doc), at: at, text: text }); });
      noteText.value = "";
      noteAt.value = "";
      render();
      say("メモを追加しました。");
    });

    /* --- copy and print the 第一報 ------------------------------------------------------------ */
    section.querySelector("[data-hb-copy]").addEventListener("click", function () {
      renderReport();
      var text = reportEl.textContent;
      var done = function () { say("第一報をコピーしました。"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { say("コピーできませんでした。文面を選択してコピーしてください。"); });
      } else {
        var range = document.createRange();
        range.selectNodeContents(reportEl);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
        say(document.execCommand("copy") ? "第一報をコピーしました。" : "文面を選択しました。Ctrl+C でコピーしてください。");
      }
    });
    section.querySelector("[data-hb-print-record]").addEventListener("click", function () {
      renderReport();
      document.body.classList.add("hb-print-record");
      window.addEventListener("afterprint", function off() {
        document.body.classList.remove("hb-print-record");
        window.removeEventListener("afterprint", off);
      });
      window.print();
    });

    section.hidden = false;
    show();
    if (session.how === "latest" || session.how === "missing") {
      say((session.how === "missing" ? "このタブで開いていた記録は削除されています。" : "") +
        "最後に更新した記録「" + label(session.doc) + "」を表示しています。");
      session.how = "tab";
    }
  });
})((window.HB = window.HB || {}));
