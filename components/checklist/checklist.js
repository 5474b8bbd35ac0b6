/* Checklist: restores and saves the ticks of one list's steps, with the time of each (shown
   in Japan time), and shows the count of its section in the heading it stands under
   (.hb-section-progress). Mounts on the markup of components/checklist/checklist.html:
     ul.hb-checklist[data-hb-module=checklist][data-hb-page] > li.hb-step[data-step-id]
       > input.hb-step__box
   A page may have several lists, even of different pages (the print set); each list is one
   component. Its ticks belong to the record this tab shows for its data-hb-page
   (HB.storage.session: 既定の記録 or the one chosen in this tab's 事故対応記録), each kept
   with its time and the step's words; a step reworded since shows the words it was ticked
   with (.hb-step__was). Where no 事故対応記録 of that page is shown (the print set: no
   record view watches the session), a named record is named above the page's first list.
   Each list tells the session its steps' words (session.steps, for the timeline and
   changed-steps.js). Events: see hb.js. */
(function (HB) {
  "use strict";

  function showTime(item, tick) {
    var time = item.querySelector("time.hb-step__time");
    if (!tick) {
      if (time) time.remove();
      return;
    }
    if (!time) {
      time = document.createElement("time");
      time.className = "hb-step__time";
      item.appendChild(time);
    }
    time.dateTime = tick.at;
    time.textContent = HB.report.time.short(tick.at);
    time.title = HB.t("checklist.ticked_at", { time: HB.report.time.zoned(tick.at) });
  }

  /** Under a step reworded since it was ticked: the words it had then (tick.text). */
  function showWas(item, tick, words) {
    var was = item.querySelector(".hb-step__was");
    if (!tick || !tick.text || tick.text === words) {
      if (was) was.remove();
      return;
    }
    if (!was) {
      was = document.createElement("span");
      was.className = "hb-step__was";
      item.querySelector(".hb-step__label").appendChild(was);
    }
    was.textContent = HB.t("checklist.ticked_words", { text: tick.text });
  }

  /** The heading (h2–h4) a checklist stands under. */
  function headingOf(list) {
    var el = list.previousElementSibling;
    while (el && !/^H[2-4]$/.test(el.tagName)) el = el.previousElementSibling;
    return el;
  }

  /** "done / total" of every checklist under the list's heading, in that heading. */
  function showSectionProgress(page, list) {
    var heading = headingOf(list);
    if (!heading) return;
    var boxes = [];
    page.querySelectorAll("ul.hb-checklist").forEach(function (other) {
      if (headingOf(other) === heading) {
        boxes.push.apply(boxes, other.querySelectorAll("input.hb-step__box"));
      }
    });
    var done = boxes.filter(function (box) { return box.checked; }).length;
    var badge = heading.querySelector(".hb-section-progress");
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "hb-section-progress";
      heading.appendChild(badge);
    }
    badge.textContent = done + " / " + boxes.length;
    badge.classList.toggle("hb-section-progress--done", done === boxes.length);
  }

  HB.register("checklist", function (list) {
    var page = HB.pageOf(list);
    var pageId = list.getAttribute("data-hb-page");
    var boxes = Array.prototype.slice.call(list.querySelectorAll("input.hb-step__box"));
    var session = HB.storage.session(pageId);
    var first = page.querySelector("ul.hb-checklist[data-hb-page=\"" + pageId + "\"]") === list;
    var named = false; // this list names the record (known once the page is mounted)

    function stepId(box) { return box.getAttribute("data-step-id"); }
    function words(box) { return box.closest("li").querySelector(".hb-step__text").textContent; }

    function changed() {
      showSectionProgress(page, list);
      HB.emit(list, "hb:steps-changed", { pageId: pageId });
    }

    /** Above the page's first list, where no record view says it: which record this is. */
    function nameRecord() {
      var caption = list.previousElementSibling;
      if (!caption || !caption.hasAttribute("data-hb-record-caption")) caption = null;
      if (!session.doc.name) {
        if (caption) caption.remove();
        return;
      }
      if (!caption) {
        caption = document.createElement("p");
        caption.className = "hb-checklist__record";
        caption.setAttribute("data-hb-record-caption", "");
        list.insertAdjacentElement("beforebegin", caption);
      }
      caption.textContent = HB.t("checklist.record_caption", { name: session.doc.name });
    }

    boxes.forEach(function (box) { session.steps[stepId(box)] = words(box); });
    var byStep = {};
    boxes.forEach(function (box) { byStep["s:" + stepId(box)] = box; });

    /** Whether a changed key is a box of this list that shows otherwise (another list or
        component changed it; this list's own ticks are shown already). */
    function stale(key) {
      var box = Object.prototype.hasOwnProperty.call(byStep, key) ? byStep[key] : null;
      return !!box && box.checked !== !!session.doc.steps[stepId(box)];
    }

    function restore() {
      var steps = session.doc.steps;
      boxes.forEach(function (box) {
        var tick = steps[stepId(box)];
        if (tick && !tick.text) tick.text = words(box); // ticked before the words were kept
        box.checked = !!tick;
        showTime(box.closest("li"), tick);
        showWas(box.closest("li"), tick, words(box));
      });
      if (named) nameRecord();
      changed();
    }

    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        var tick = box.checked ? { at: HB.report.time.now(), text: words(box) } : undefined;
        session.set("s:" + stepId(box), tick);
        showTime(box.closest("li"), tick);
        showWas(box.closest("li"), tick, words(box));
        changed();
      });
    });

    page.addEventListener("hb:steps-reset", function () {
      Object.keys(session.doc.steps).forEach(function (id) { session.set("s:" + id, undefined, 1); });
      session.flush();
      restore();
    });
    page.addEventListener("hb:storage-cleared", restore);
    session.watch(list, function (news) {
      if (news.type === "switched" || news.type === "synced") restore();
      else if (news.type === "changed" && news.keys.some(stale)) restore();
    });
    if (first) {
      document.addEventListener("hb:page-mounted", function () {
        named = !session.shown();
        if (named) nameRecord();
      }, { once: true });
    }
    restore();
  });
})((window.HB = window.HB || {}));
