/* Record transfer: 「JSONで書き出す」「テキストで書き出す」「JSONを読み込む」 of the 事故対応記録.
   Mounts on [data-hb-module=record-transfer][data-hb-page] inside the record's section
   (macros/templates/record.html). Exports exactly what the tab shows (the session's document
   in memory, even when storage failed); the text export is plain text (.txt). An import is
   written as one new document first and only then shown; when the write fails nothing
   changes and the message says why. Files up to MAX_BYTES (more than a browser's storage
   holds) are read; the entries of a file that cannot be used are left out and counted.
   Events (see hb.js): asks hb:report-request {pageId, snapshot} of the record (the text
   export) and sends it hb:record-message {pageId, text}. */
(function (HB) {
  "use strict";

  var MAX_BYTES = 10 * 1024 * 1024;
  var KINDS = { answers: "回答", notes: "メモ", steps: "チェック", conflicts: "別のタブの値" };

  HB.register("record-transfer", function (box) {
    var pageId = box.getAttribute("data-hb-page");
    var session = HB.storage.session(pageId);

    function say(text) { HB.emit(box, "hb:record-message", { pageId: pageId, text: text }); }
    function label(doc) { return doc.name || "既定の記録"; }

    function download(name, type, text) {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([text], { type: type }));
      link.download = name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
    }

    function fileName(ext) {
      var name = (session.doc.name || "default").replace(/[\\/:*?"<>|\s\u0000-\u001f]+/g, "_");
      return "incident-" + pageId.split("/").pop() + "-" + name + "." + ext;
    }

    box.querySelector("[data-hb-export-json]").addEventListener("click", function () {
      download(fileName("json"), "application/json", HB.report.toJson(session.doc));
    });
    box.querySelector("[data-hb-export-text]").addEventListener("click", function () {
      var snapshot = HB.emit(box, "hb:report-request", { pageId: pageId, snapshot: null }).snapshot;
      if (snapshot) download(fileName("txt"), "text/plain;charset=utf-8", HB.report.text(snapshot));
    });

    /** "（読み込まなかった項目: メモ 1 件）" for what a file held that could not be used. */
    function leftOut(skipped) {
      var parts = Object.keys(KINDS).filter(function (k) { return skipped[k]; }).map(function (k) {
        return KINDS[k] + " " + skipped[k] + " 件";
      });
      var text = parts.length ? "読み込まなかった項目: " + parts.join("、") : "";
      if (skipped.renumbered) text += (text ? "。" : "") + "番号を付け直したもの: " + skipped.renumbered + " 件";
      return text ? "（" + text + "）" : "";
    }

    function load(text) {
      var read = HB.report.fromJson(text, pageId);
      if (read.error) {
        say("読み込めません: " + read.error + "記録は変更していません。");
        return;
      }
      var doc = read.doc;
      var exists = HB.storage.records(pageId).some(function (r) { return r.id === doc.id; });
      if (exists && !window.confirm("「" + label(doc) + "」はこのブラウザにもあります。読み込んだ内容で置き換えますか？")) {
        say("読み込みを取りやめました。記録は変更していません。");
        return;
      }
      session.flush();
      var error = HB.storage.put(doc);
      if (error) {
        say("読み込めません: " + HB.storage.why(error) + "。記録は変更していません。");
        return;
      }
      session.select(doc.id);
      say("「" + label(doc) + "」を読み込みました。" + leftOut(read.skipped));
    }

    box.querySelector("[data-hb-import]").addEventListener("change", function (event) {
      var input = event.target;
      var file = input.files && input.files[0];
      if (!file) return;
      if (file.size > MAX_BYTES) {
        say("読み込めません: ファイルが大きすぎます（このブラウザに保存できる大きさを超えています）。記録は変更していません。");
        input.value = "";
        return;
      }
      file.text().then(function (text) {
        input.value = "";
        load(text);
      }, function () {
        input.value = "";
        say("読み込めません: ファイルを開けませんでした。記録は変更していません。");
      });
    });
  });
})((window.HB = window.HB || {}));
