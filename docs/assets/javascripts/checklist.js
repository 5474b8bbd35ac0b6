/* Checklist: restores and saves the ticks of one list's steps, with the time of each, and
   shows the count of its section in the heading it stands under (.hb-section-progress).
   Mounts on the markup of macros/templates/checklist.html:
     ul.hb-checklist[data-hb-module=checklist][data-hb-page] > li.hb-step[data-step-id]
       > input.hb-step__box
   A page may have several lists, even of different pages (the print set); each list is
   one component. Its ticks are kept under its data-hb-page, or where the record shown
   says (hb:scope-request, answered by record.js). Events: see hb.js. */
(function (HB) {
  "use strict";

  var mounted = []; // {list, scope, restore} of the lists mounted so far

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /** "11/26 10:42": the local date and time a step was ticked. */
  function formatTime(date) {
    return (date.getMonth() + 1) + "/" + date.getDate() + " " +
      pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  function showTime(item, record) {
    var time = item.querySelector("time.hb-step__time");
    if (!record) {
      if (time) time.remove();
      return;
    }
    if (!time) {
      time = document.createElement("time");
      time.className = "hb-step__time";
      item.appendChild(time);
    }
    var date = new Date(record.at);
    time.dateTime = record.at;
    time.textContent = formatTime(date);
    time.title = "チェックした日時: " + date.toLocaleString("ja-JP");
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

    /** Where this list's ticks are kept now (the record shown may change it). */
    function scope() {
      return HB.emit(list, "hb:scope-request", { pageId: pageId, scope: pageId }).scope;
    }

    function changed() {
      showSectionProgress(page, list);
      HB.emit(list, "hb:steps-changed", { pageId: pageId });
    }

    function restore() {
      var where = scope();
      boxes.forEach(function (box) {
        var record = HB.storage.get(where, box.getAttribute("data-step-id"));
        box.checked = !!record;
        showTime(box.closest("li"), record);
      });
      changed();
    }

    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        var record = box.checked ? { at: new Date().toISOString() } : null;
        HB.storage.set(scope(), box.getAttribute("data-step-id"), record);
        showTime(box.closest("li"), record);
        changed();
      });
    });

    page.addEventListener("hb:steps-reset", function () {
      HB.storage.clear(scope() + "|", true);
      restore();
    });
    page.addEventListener("hb:storage-cleared", restore);
    page.addEventListener("hb:scope-changed", function (event) {
      if (event.detail.pageId === pageId) restore();
    });
    page.addEventListener("hb:ticked-request", function (event) {
      if (event.detail.pageId !== pageId) return;
      var where = scope();
      boxes.forEach(function (box) {
        if (!box.checked) return;
        var record = HB.storage.get(where, box.getAttribute("data-step-id"));
        event.detail.steps.push({
          stepId: box.getAttribute("data-step-id"),
          text: box.closest("li").querySelector(".hb-step__text").textContent,
          at: record && record.at,
        });
      });
    });

    mounted.push({ list: list, scope: scope, restore: restore });
    restore();
  });

  // Another tab ticked or reset steps of a list shown here.
  window.addEventListener("storage", function (event) {
    mounted = mounted.filter(function (m) { return document.contains(m.list); });
    mounted.forEach(function (m) {
      if (HB.storage.concerns(event, m.scope())) m.restore();
    });
  });
})((window.HB = window.HB || {}));
