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
      if (!v.at) return v.mine ? HB.t("record.typed_here") : HB.t("record.typed_elsewhere");
      var at = T.dateTime(v.at);
      return v.mine ? HB.t("record.typed_here_at", { at: at }) : HB.t("record.typed_elsewhere_at", { at: at });
    }

    /** One of a conflict's values chosen: written again, it covers all the others. */
    function resolve(conflict, value) {
      session.set("a:" + conflict.field, value);
      view.chosen(conflict.field, value);
      render();
    }

    function orphaned() {
      var copy = [HB.t("record.save_as_new"), function () {
        var name = view.uniqueName(HB.t("record.copy_name", { name: view.label(session.doc) }));
        var error = session.create(name, session.data);
        view.say(error ? HB.t("record.save_failed", { why: HB.storage.why(error) }) : HB.t("record.saved_as", { name: name }));
      }];
      if (session.cause !== "cleared") {
        alert(HB.t("record.deleted_elsewhere"), [copy]);
        return;
      }
      alert(HB.t("record.cleared_outside"), [
        [HB.t("record.save_again"), function () {
          session.rewrite();
          view.say(session.state ? HB.t("record.save_failed", { why: HB.storage.why(session.error) })
            : HB.t("record.saved_again", { name: view.label(session.doc) }));
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
        alert(HB.t("record.unsaved", { why: HB.storage.why(session.error) }));
      }
      if (session.state === "orphaned") orphaned();
      session.doc.conflicts.forEach(function (c) {
        var values = c.values.map(function (v) { return HB.t("record.quoted", { text: clip(view.shown(c.field, v.value)) }); });
        alert(HB.t("record.conflict", {
          label: view.labelOf(c.field),
          values: c.values.map(function (v, i) {
            return HB.t("record.conflict_value", { value: values[i], who: who(v) });
          }).join(HB.t("record.list_separator")),
        }), c.values.map(function (v, i) {
          return [HB.t("record.keep_value", { value: values[i] }), function () { resolve(c, v.value); }];
        }));
      });
    }

    return render;
  };
})((window.HB = window.HB || {}));
