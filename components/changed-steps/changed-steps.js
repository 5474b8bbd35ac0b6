/* Changed steps: 「この版で削除・変更された手順」. A record keeps each tick with the step's
   words when it was ticked (checklist.js); when the handbook's edition since removed a
   ticked step, or reworded it, this section lists those ticks with their words and time,
   so that nothing done disappears from sight (the 第一報, the timeline and both exports
   keep them too: record.js, report.js). Shown only when there are some.
   Mounts on section[data-hb-module=changed-steps][data-hb-page]
   (components/changed-steps/changed-steps.html). Reads the page's steps from the session (after
   every component is mounted: the checklists tell it their steps) and redraws on each of
   the session's changes (HB.storage.session(...).watch). */
(function (HB) {
  "use strict";

  HB.register("changed-steps", function (section) {
    var pageId = section.getAttribute("data-hb-page");
    var intro = section.querySelector("[data-hb-changed-intro]");
    var list = section.querySelector("[data-hb-changed-list]");
    var session = HB.storage.session(pageId);
    var T = HB.report.time;
    var ready = false; // the checklists answer only once they are mounted

    function item(kind, tick, words) {
      var li = document.createElement("li");
      li.setAttribute("data-kind", kind);
      li.setAttribute("data-step-id", tick.stepId);
      var mark = document.createElement("strong");
      mark.textContent = kind === "removed" ? HB.t("changed_steps.removed") : HB.t("changed_steps.reworded");
      li.appendChild(mark);
      li.appendChild(document.createTextNode(" " + words));
      var time = document.createElement("time");
      time.dateTime = tick.at || "";
      time.textContent = HB.t("changed_steps.ticked_at", { time: T.zoned(tick.at) });
      li.appendChild(time);
      return li;
    }

    function render() {
      if (!ready) return;
      var asked = session.ticked();
      var found = HB.report.changes(session.doc.steps, asked.steps, asked.known);
      list.textContent = "";
      found.removed.forEach(function (tick) {
        list.appendChild(item("removed", tick, tick.text));
      });
      found.reworded.forEach(function (tick) {
        list.appendChild(item("reworded", tick, HB.t("changed_steps.reworded_words", { was: tick.was, text: tick.text })));
      });
      var doc = session.doc;
      var edition = HB.storage.edition();
      intro.textContent = HB.t("changed_steps.intro", {
        name: doc.name || HB.t("store.default_record"),
        when: doc.edition && doc.edition !== edition
          ? HB.t("changed_steps.in_edition", { edition: doc.edition })
          : HB.t("changed_steps.in_earlier_edition"),
        edition: edition ? HB.t("changed_steps.current_edition", { edition: edition }) : "",
      });
      section.hidden = !found.removed.length && !found.reworded.length;
    }

    session.watch(section, function (news) {
      if (news.type === "switched" || news.type === "synced") render();
      else if (news.type === "changed" && news.keys.some(function (k) { return k.slice(0, 2) === "s:"; })) render();
    });
    document.addEventListener("hb:page-mounted", function () {
      ready = true;
      render();
    }, { once: true });
  });
})((window.HB = window.HB || {}));
