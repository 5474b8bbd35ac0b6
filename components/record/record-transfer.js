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
  var KINDS = { answers: "回答", notes: "メモ", steps: "チェック", events: "訓練の出来事", conflicts: "別々に入力された値" };
  var SHOWN = 5; // answers named in a review line

  HB.register("record-transfer", function (box) {
    var pageId = box.getAttribute("data-hb-page");
    var session = HB.storage.session(pageId);
    var review = null; // the open review of an import

    function say(text) { session.notify({ type: "message", text: text }); }
    function label(name) { return name || "既定の記録"; }
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
      var parts = Object.keys(KINDS).filter(function (k) { return skipped[k]; }).map(function (k) {
        return KINDS[k] + " " + skipped[k] + " 件";
      });
      var text = parts.length ? "読み込まなかった項目: " + parts.join("、") : "";
      if (skipped.renumbered) text += (text ? "。" : "") + "番号を付け直したもの: " + skipped.renumbered + " 件";
      return text ? "（" + text + "）" : "";
    }

    /** Item keys in words: "回答「事実（誰が）」、メモ 2 件". */
    function describe(keys) {
      var answers = [], notes = 0, steps = 0;
      keys.forEach(function (k) {
        if (k === "name") answers.push("記録の名前");
        else if (k.slice(0, 2) === "n:") notes++;
        else if (k.slice(0, 2) === "s:") steps++;
        else answers.push(fieldLabel(k.slice(2)));
      });
      var parts = [];
      if (answers.length) {
        parts.push("回答 " + answers.length + " 件（" + answers.slice(0, SHOWN).map(function (a) {
          return "「" + a + "」";
        }).join("、") + (answers.length > SHOWN ? " ほか" : "") + "）");
      }
      if (notes) parts.push("メモ " + notes + " 件");
      if (steps) parts.push("チェック " + steps + " 件");
      return parts.join("、");
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
        return titles[id] || id || "不明";
      } catch (ignored) { return id || "不明"; }
    }

    /** What importing doc would change, line by line (plain text). */
    function findings(doc, local) {
      var lines = [];
      var fileName = nameOf(doc);
      var K = HB.recordFormat.kindOf;
      // a drill's file says so, always: it is read as a drill, never as a real record
      if (K(doc)) lines.push("【訓練】このファイルは訓練の記録です（シナリオ: " + scenarioTitle(doc.scenario) + "）。訓練の記録として読み込みます（実際の事故の記録にはなりません）。");
      if (local && K(local) !== K(doc)) {
        lines.push("このブラウザの同じIDの記録は" + (K(local) ? "訓練の記録" : "実際の記録") + "です。訓練の記録と実際の記録は統合できません。" +
          "読み込むときは「新しい記録として読み込む」を選んでください（ファイルのとおり" + (K(doc) ? "訓練の記録" : "実際の記録") + "になります）。");
        return lines;
      }
      if (local) {
        var c = HB.recordFormat.compare(local, doc);
        var localName = nameOf(local);
        if (localName !== fileName) {
          lines.push("同じIDの記録がこのブラウザにありますが、名前が違います（このブラウザ: 「" + label(localName) +
            "」、ファイル: 「" + label(fileName) + "」）。");
        }
        if (c.same) lines.push("ファイルの内容は、このブラウザの記録と同じです。");
        if (c.older) {
          lines.push("このファイルは、このブラウザの記録より古い書き出しです（このブラウザの記録の最終更新: " +
            HB.report.time.dateTime(local.updated) + "）。ファイルから加わる内容はありません。");
        }
        if (c.local.length) lines.push("このブラウザにだけある内容: " + describe(c.local) + "。統合すると残ります。");
        if (c.edited.length) lines.push("書き出しの後にこのブラウザで変更した内容: " + describe(c.edited) + "。統合すると残ります。");
        if (c.dropped.length) lines.push("ファイルを書き出したタブで削除された内容: " + describe(c.dropped) + "。統合すると、このブラウザからも消えます。");
        if (c.differs.length) lines.push("両方で別々に入力された内容: " + describe(c.differs) + "。統合すると両方の値を残し、どちらにするか選べます。");
        if (c.added.length) lines.push("ファイルから加わる内容: " + describe(c.added) + "。");
      }
      var twins = HB.storage.records(pageId).filter(function (r) { return r.id !== doc.id && r.name === fileName; });
      if (twins.length) lines.push("同じ名前の別の記録「" + label(fileName) + "」が、このブラウザにあります。");
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
        say("読み込めません: " + HB.storage.why(error) + "。記録は変更していません。");
        return;
      }
      session.select(doc.id);
      say((HB.recordFormat.kindOf(doc) ? "【訓練】訓練の記録として" : "") + "「" + label(nameOf(HB.storage.load(pageId, doc.id) || doc)) + "」を" + (merge ? "統合しました。" : "読み込みました。") + leftOut(skipped) +
        (skipped && skipped.notice ? skipped.notice : ""));
    }

    function asNew(doc, skipped) {
      var today = HB.report.time.dateTime(HB.report.time.now()).slice(0, 10);
      write(HB.storage.renamed(doc, label(nameOf(doc)) + "（読み込み " + today + "）"), false, skipped);
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
      head.textContent = "「" + label(nameOf(doc)) + "」を読み込む前に確認してください" +
        (local ? "（このブラウザの記録「" + label(nameOf(local)) + "」に重なります）" : "") + "。";
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
        crossing ? null : [local ? "統合する" : (HB.recordFormat.kindOf(doc) ? "訓練の記録として読み込む" : "このまま読み込む"), function () { write(doc, true, skipped); }],
        ["新しい記録として読み込む", function () { asNew(doc, skipped); }],
        ["取りやめる", function () {
          closeReview();
          say("読み込みを取りやめました。記録は変更していません。");
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
      say("読み込む前に、変わる内容を確認してください。");
    }

    function load(text) {
      var read = HB.recordFormat.fromJson(text, pageId);
      if (read.error) {
        say("読み込めません: " + read.error + "記録は変更していません。");
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
