/* Report: plain texts made from an incident record — the 第一報 and the text export.
   Pure functions (snapshot in, string out); unanswered items read 「未確認」. */
(function (HB) {
  "use strict";

  var UNKNOWN = "未確認";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /** "2026-11-26 10:42" in local time, or 未確認. */
  function dateTime(value) {
    if (!value) return UNKNOWN;
    var date = new Date(value);
    if (isNaN(date)) return UNKNOWN;
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      " " + pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  function answer(value) {
    if (Array.isArray(value)) return value.length ? value.join("、") : UNKNOWN;
    return value && String(value).trim() ? String(value).trim() : UNKNOWN;
  }

  /** Ticked steps and notes, oldest first: [{at, text, kind}]. */
  function timeline(snapshot) {
    var entries = snapshot.steps.map(function (s) { return { at: s.at, text: s.text, kind: "step" }; })
      .concat(snapshot.notes.map(function (n) { return { at: n.at, text: n.text, kind: "note", id: n.id }; }));
    return entries.sort(function (a, b) { return String(a.at).localeCompare(String(b.at)); });
  }

  /** snapshot: {to, type, name, discovered, department, reporter,
                 sections: [{title, fields: [{label, value}]}], steps: [{at, text}], notes: [{at, text}]} */
  function firstReport(snapshot) {
    var lines = [
      "宛先: " + snapshot.to,
      "",
      "【第一報】情報セキュリティ事故の発生について",
      "事故のタイプ: " + snapshot.type,
      "発見日時: " + dateTime(snapshot.discovered),
      "所属: " + answer(snapshot.department),
      "報告者: " + answer(snapshot.reporter),
    ];
    snapshot.sections.forEach(function (section) {
      lines.push("", "■" + section.title);
      section.fields.forEach(function (f) { lines.push(f.label + " " + answer(f.value)); });
    });
    lines.push("", "■これまでの対応と経過");
    var entries = timeline(snapshot);
    if (!entries.length) lines.push(UNKNOWN);
    entries.forEach(function (e) {
      lines.push(dateTime(e.at) + " " + (e.kind === "note" ? "（メモ）" : "") + e.text);
    });
    return lines.join("\n");
  }

  /** The whole record as Markdown text (the text export). */
  function markdown(snapshot) {
    return "# 事故対応記録: " + (snapshot.name || "既定の記録") + "\n\n" +
      firstReport(snapshot).split("\n").map(function (line) {
        return line.indexOf("■") === 0 ? "## " + line.slice(1) : line;
      }).join("\n") + "\n";
  }

  HB.report = { firstReport: firstReport, markdown: markdown, timeline: timeline, dateTime: dateTime };
})((window.HB = window.HB || {}));
