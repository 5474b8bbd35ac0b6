/* Record alerts: what the 事故対応記録 says about its record ([data-hb-record-alerts]): not
   saved (and why), deleted in another tab or cleared from outside this tab (with the way
   to keep what is shown), and each field typed in two tabs unaware of each other (every
   value, which tab typed it and when, and a button to keep each; typing again settles it
   too). HB.recordAlerts(container, session, view) → render(); view: {labelOf, shown, say,
   label, chosen(field, value)}. An alert is announced once, not again at each sync. */
(function (HB) {
  "use strict";

  var SHOWN = 200; // characters of a long value shown in an alert

  function clip(text) { return HB.report.clip(text, SHOWN); } // by grapheme: no half emoji

  HB.recordAlerts = function (container, session, view) {
    var drawn = null;
    var T = HB.report.time;

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
      container.appendChild(p);
    }

    function who(v) {
      return (v.mine ? "このタブで入力" : "別のタブで入力") + (v.at ? "、" + T.dateTime(v.at) : "");
    }

    /** One of a conflict's values chosen: written again, it covers all the others. */
    function resolve(conflict, value) {
      session.set("a:" + conflict.field, value);
      view.chosen(conflict.field, value);
      render();
    }

    function orphaned() {
      var copy = ["この内容を新しい記録として保存", function () {
        var name = view.uniqueName(view.label(session.doc) + "（コピー）");
        var error = session.create(name, session.data);
        view.say(error ? "保存できません（" + HB.storage.why(error) + "）。" : "「" + name + "」として保存しました。");
      }];
      if (session.cause !== "cleared") {
        alert("この記録は別のタブで削除されました。このタブでの変更は保存しません。", [copy]);
        return;
      }
      alert("このサイトの保存内容が、このタブの外で（ほかのアプリケーションやブラウザの操作で）" +
        "まとめて消去されました。この画面の内容は残っていますが、保存し直すまで保存しません。", [
        ["この内容を保存し直す", function () {
          session.rewrite();
          view.say(session.state ? "保存できません（" + HB.storage.why(session.error) + "）。"
            : "「" + view.label(session.doc) + "」を保存し直しました。");
        }], copy,
      ]);
    }

    function render() {
      var signature = JSON.stringify([session.id, session.state, session.cause, session.error && session.error.name,
        session.doc.conflicts]);
      if (signature === drawn) return;
      drawn = signature;
      container.textContent = "";
      if (session.state === "unsaved") {
        alert("変更を保存できていません（" + HB.storage.why(session.error) + "）。この画面の内容は、" +
          "このページを開いている間だけ残ります。残すときは「JSONで書き出す」でファイルに保存してください。");
      }
      if (session.state === "orphaned") orphaned();
      session.doc.conflicts.forEach(function (c) {
        var values = c.values.map(function (v) { return "「" + clip(view.shown(c.field, v.value)) + "」"; });
        alert("「" + view.labelOf(c.field) + "」は2つのタブで別々に入力されました。" + c.values.map(function (v, i) {
          return values[i] + "（" + who(v) + "）";
        }).join("、") + "。残す値を選んでください（入力し直しても解決します）。", c.values.map(function (v, i) {
          return [values[i] + "にする", function () { resolve(c, v.value); }];
        }));
      });
    }

    return render;
  };
})((window.HB = window.HB || {}));
