/* Record: the incident record of a type page — answers to its questions, free notes,
   and which record (incident) the checklist shows. One person may handle several
   incidents: each record keeps its own ticks, answers and notes.
   Kept with storage.js:  <page>|@records  {active, list: [{id, name, created}]}
                          <page>[~<record>]|@data  {answers: {field: value}, notes: [{id, at, text}]}
   The default record (id "") uses the page's own keys, so ticks saved before records
   existed belong to it. Everything typed is shown with textContent, never as HTML.
   Mounts on section[data-hb-module=record][data-hb-page] (macros/templates/record.html).
   With the checklists of its page it talks through events (see hb.js): it answers
   hb:scope-request, asks hb:ticked-request, sends hb:scope-changed, and redraws on
   hb:steps-changed and hb:storage-cleared. */
(function (HB) {
  "use strict";

  var FORMAT = "hb-incident-record";
  var VERSION = 1;
  var MAX_BYTES = 1000000;

  function newId() { return Date.now().toString(36) + Math.random().toString(36).slice(2, 6); }

  HB.register("record", function (section) {
    var page = HB.pageOf(section);
    var pageId = section.getAttribute("data-hb-page");
    var form = section.querySelector("[data-hb-record-form]");
    var select = section.querySelector("[data-hb-record-select]");
    var message = section.querySelector("[data-hb-record-message]");
    var noteForm = section.querySelector("[data-hb-note-form]");

    function index() {
      var value = HB.storage.read(pageId, "@records");
      if (!value || !Array.isArray(value.list)) value = { active: "", list: [] };
      return value;
    }
    function active() {
      var i = index();
      return i.list.some(function (r) { return r.id === i.active; }) ? i.active : "";
    }
    function scope(page) { return active() ? page + "~" + active() : page; }
    function data() {
      var value = HB.storage.read(scope(pageId), "@data");
      if (!value || typeof value !== "object") value = {};
      if (!value.answers || typeof value.answers !== "object") value.answers = {};
      if (!Array.isArray(value.notes)) value.notes = [];
      return value;
    }
    function save(value) { HB.storage.write(scope(pageId), "@data", value); }
    function say(text) { message.textContent = text; }

    /* --- the checklists of this page --------------------------------------------------- */
    var hooks = {
      ticked: function () { return HB.emit(section, "hb:ticked-request", { pageId: pageId, steps: [] }).steps; },
      restore: function () { HB.emit(section, "hb:scope-changed", { pageId: pageId }); },
    };
    page.addEventListener("hb:scope-request", function (event) {
      if (event.detail.pageId === pageId) event.detail.scope = scope(pageId);
    });
    page.addEventListener("hb:steps-changed", function (event) {
      if (event.detail.pageId === pageId) render();
    });
    page.addEventListener("hb:storage-cleared", function () { show(); });

    /* --- the form ------------------------------------------------------------------ */
    function readForm() {
      var answers = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name) return;
        if (el.type === "checkbox") {
          answers[el.name] = answers[el.name] || [];
          if (el.checked) answers[el.name].push(el.value);
        } else {
          answers[el.name] = el.value;
        }
      });
      return answers;
    }
    function fillForm(answers) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name) return;
        var value = answers[el.name];
        if (el.type === "checkbox") el.checked = Array.isArray(value) && value.indexOf(el.value) >= 0;
        else el.value = typeof value === "string" ? value : "";
      });
    }
    function onInput() {
      var value = data();
      value.answers = readForm();
      save(value);
      render();
    }
    form.addEventListener("input", onInput);
    form.addEventListener("change", onInput);

    /* --- what the form says, as sections of labelled answers ---------------------------- */
    function snapshot() {
      var value = data();
      var sections = [];
      form.querySelectorAll(":scope > fieldset").forEach(function (fieldset) {
        var fields = [];
        fieldset.querySelectorAll(":scope > .hb-field").forEach(function (field) {
          var labelEl = field.tagName === "FIELDSET" ? field.querySelector("legend") : field.querySelector("label");
          var control = field.querySelector("input, textarea");
          fields.push({ label: labelEl.textContent, value: value.answers[control.name] });
        });
        sections.push({ title: fieldset.querySelector("legend").textContent, fields: fields });
      });
      var current = index().list.filter(function (r) { return r.id === active(); })[0];
      return {
        to: section.getAttribute("data-hb-to"),
        type: section.getAttribute("data-hb-type-title"),
        name: current ? current.name : "",
        discovered: value.answers.discovered,
        department: value.answers.department,
        reporter: value.answers.reporter,
        sections: sections,
        steps: hooks.ticked(),
        notes: value.notes,
      };
    }

    /* --- timeline, 第一報 and the record list --------------------------------------------- */
    function renderTimeline(snap) {
      var list = section.querySelector("[data-hb-timeline]");
      list.textContent = "";
      HB.report.timeline(snap).forEach(function (entry) {
        var item = document.createElement("li");
        var time = document.createElement("time");
        time.dateTime = entry.at || "";
        time.textContent = HB.report.dateTime(entry.at);
        item.appendChild(time);
        item.appendChild(document.createTextNode(" " + (entry.kind === "note" ? "（メモ）" : "") + entry.text));
        if (entry.kind === "note") {
          var remove = document.createElement("button");
          remove.type = "button";
          remove.className = "hb-timeline__remove";
          remove.textContent = "削除";
          remove.setAttribute("aria-label", "メモを削除: " + entry.text);
          remove.addEventListener("click", function () {
            var value = data();
            value.notes = value.notes.filter(function (n) { return n.id !== entry.id; });
            save(value);
            render();
          });
          item.appendChild(document.createTextNode(" "));
          item.appendChild(remove);
        }
        item.setAttribute("data-kind", entry.kind);
        list.appendChild(item);
      });
    }
    function renderSelect() {
      var i = index();
      select.textContent = "";
      select.appendChild(new Option("既定の記録", ""));
      i.list.forEach(function (r) { select.appendChild(new Option(r.name, r.id)); });
      select.value = active();
    }
    function render() {
      var snap = snapshot();
      renderTimeline(snap);
      section.querySelector("[data-hb-first-report]").textContent = HB.report.firstReport(snap);
    }
    function show() {
      renderSelect();
      fillForm(data().answers);
      hooks.restore();
      render();
    }

    /* --- records: new, switch, delete ---------------------------------------------------- */
    select.addEventListener("change", function () {
      var i = index();
      i.active = select.value;
      HB.storage.write(pageId, "@records", i);
      show();
      say("「" + select.options[select.selectedIndex].text + "」を表示しています。");
    });
    section.querySelector("[data-hb-record-new]").addEventListener("click", function () {
      var today = HB.report.dateTime(new Date().toISOString()).slice(0, 10);
      var name = window.prompt("新しい記録の名前（例: " + today + " USB紛失 総務課）", today + " " + section.getAttribute("data-hb-type-title"));
      if (name === null || !name.trim()) return;
      var i = index();
      var record = { id: newId(), name: name.trim(), created: new Date().toISOString() };
      i.list.push(record);
      i.active = record.id;
      HB.storage.write(pageId, "@records", i);
      show();
      say("新しい記録「" + record.name + "」を作りました。");
    });
    section.querySelector("[data-hb-record-delete]").addEventListener("click", function () {
      var id = active();
      var label = id ? select.options[select.selectedIndex].text : "既定の記録";
      if (!window.confirm("「" + label + "」の回答・メモ・チェックをすべて削除します。よろしいですか？")) return;
      HB.storage.clear(scope(pageId) + "|");
      var i = index();
      i.list = i.list.filter(function (r) { return r.id !== id; });
      i.active = "";
      HB.storage.write(pageId, "@records", i);
      show();
      say("「" + label + "」を削除しました。");
    });

    /* --- notes -------------------------------------------------------------------------- */
    var noteAt = noteForm.querySelector("[name=note-at]");
    var noteText = noteForm.querySelector("[name=note-text]");
    function localNow() {
      var d = new Date();
      return HB.report.dateTime(d.toISOString()).replace(" ", "T");
    }
    noteText.addEventListener("focus", function () { if (!noteAt.value) noteAt.value = localNow(); });
    noteForm.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!noteText.value.trim()) return;
      var at = noteAt.value ? new Date(noteAt.value) : new Date();
      var value = data();
      value.notes.push({ id: newId(), at: at.toISOString(), text: noteText.value.trim() });
      save(value);
      noteText.value = "";
      noteAt.value = "";
      render();
      say("メモを追加しました。");
    });

    /* --- export and import ---------------------------------------------------------------- */
    function download(name, type, text) {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([text], { type: type }));
      link.download = name;
      document.body.appendChild(link);
      link.click();
      link.remove();
    }
    function fileName(ext) {
      var snap = snapshot();
      return "incident-" + pageId.split("/").pop() + "-" + (snap.name || "default").replace(/[\\/:*?"<>|\s]+/g, "_") + "." + ext;
    }
    function exported() {
      var steps = {};
      hooks.ticked().forEach(function (s) { steps[s.stepId] = { at: s.at }; });
      var current = index().list.filter(function (r) { return r.id === active(); })[0];
      var value = data();
      return {
        format: FORMAT, version: VERSION, page: pageId,
        record: current ? { id: current.id, name: current.name, created: current.created } : { id: "", name: "" },
        exported: new Date().toISOString(),
        answers: value.answers, notes: value.notes, steps: steps,
      };
    }
    section.querySelector("[data-hb-export-json]").addEventListener("click", function () {
      download(fileName("json"), "application/json", JSON.stringify(exported(), null, 2));
    });
    section.querySelector("[data-hb-export-text]").addEventListener("click", function () {
      download(fileName("md"), "text/markdown", HB.report.markdown(snapshot()));
    });

    function problem(value) {
      if (!value || typeof value !== "object" || value.format !== FORMAT) return "事故対応記録のJSONファイルではありません。";
      if (value.version !== VERSION) return "この版のハンドブックでは読めない形式です（version " + String(value.version) + "）。";
      if (value.page !== pageId) return "このファイルは別のページ（" + String(value.page) + "）の記録です。そのページで読み込んでください。";
      var r = value.record;
      if (!r || typeof r.id !== "string" || typeof r.name !== "string" || !/^[a-z0-9]*$/.test(r.id)) return "記録の名前またはIDが正しくありません。";
      if (!value.answers || typeof value.answers !== "object" || Array.isArray(value.answers)) return "回答の形式が正しくありません。";
      for (var k in value.answers) {
        var a = value.answers[k];
        var ok = typeof a === "string" || (Array.isArray(a) && a.every(function (x) { return typeof x === "string"; }));
        if (!ok) return "回答「" + k + "」の形式が正しくありません。";
      }
      if (!Array.isArray(value.notes) || !value.notes.every(function (n) {
        return n && typeof n.text === "string" && typeof n.at === "string" && !isNaN(Date.parse(n.at)) && typeof n.id === "string";
      })) return "メモの形式が正しくありません。";
      if (!value.steps || typeof value.steps !== "object") return "チェックの形式が正しくありません。";
      for (var s in value.steps) {
        if (!value.steps[s] || typeof value.steps[s].at !== "string" || isNaN(Date.parse(value.steps[s].at))) return "チェック「" + s + "」の形式が正しくありません。";
      }
      return null;
    }
    function importRecord(value) {
      var i = index();
      var id = value.record.id;
      var target = id ? pageId + "~" + id : pageId;
      HB.storage.clear(target + "|");
      HB.storage.write(target, "@data", { answers: value.answers, notes: value.notes });
      Object.keys(value.steps).forEach(function (s) { HB.storage.set(target, s, { at: value.steps[s].at }); });
      if (id) {
        i.list = i.list.filter(function (r) { return r.id !== id; });
        i.list.push({ id: id, name: value.record.name, created: value.record.created || value.exported });
      }
      i.active = id;
      HB.storage.write(pageId, "@records", i);
      show();
    }
    section.querySelector("[data-hb-import]").addEventListener("change", function (event) {
      var input = event.target;
      var file = input.files && input.files[0];
      if (!file) return;
      if (file.size > MAX_BYTES) {
        say("読み込めません: ファイルが大きすぎます（1MBまで）。記録は変更していません。");
        input.value = "";
        return;
      }
      file.text().then(function (text) {
        var value;
        try { value = JSON.parse(text); } catch (error) { value = null; }
        var why = value === null ? "JSONとして読めません。" : problem(value);
        if (why) {
          say("読み込めません: " + why + "記録は変更していません。");
        } else {
          var exists = value.record.id === "" || index().list.some(function (r) { return r.id === value.record.id; });
          if (!exists || window.confirm("同じ記録がこのブラウザにあります。読み込んだ内容で置き換えますか？")) {
            importRecord(value);
            say("「" + (value.record.name || "既定の記録") + "」を読み込みました。");
          }
        }
        input.value = "";
      });
    });

    /* --- copy and print the 第一報 ------------------------------------------------------------ */
    section.querySelector("[data-hb-copy]").addEventListener("click", function () {
      var text = section.querySelector("[data-hb-first-report]").textContent;
      var done = function () { say("第一報をコピーしました。"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { say("コピーできませんでした。文面を選択してコピーしてください。"); });
      } else {
        var range = document.createRange();
        range.selectNodeContents(section.querySelector("[data-hb-first-report]"));
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
        say(document.execCommand("copy") ? "第一報をコピーしました。" : "文面を選択しました。Ctrl+C でコピーしてください。");
      }
    });
    section.querySelector("[data-hb-print-record]").addEventListener("click", function () {
      document.body.classList.add("hb-print-record");
      window.addEventListener("afterprint", function off() {
        document.body.classList.remove("hb-print-record");
        window.removeEventListener("afterprint", off);
      });
      window.print();
    });

    section.hidden = false;
    show();
  });
})((window.HB = window.HB || {}));
