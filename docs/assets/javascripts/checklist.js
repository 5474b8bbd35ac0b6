/* Checklist: restores and saves the ticks of one page's steps, with the time of each.
   Works on the markup made by macros/render.py:
     ul.hb-checklist[data-hb-page] > li.hb-step[data-step-id] > input.hb-step__box */
(function (HB) {
  "use strict";

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

  /** Bind every checklist inside root; returns the page's controller (or null).
      Each list names the page its ticks belong to (the print set shows several);
      scope(pageId) gives where they are kept (records.js: the incident record shown). */
  function bind(root, onChange, scope) {
    scope = scope || function (pageId) { return pageId; };
    function pageOf(box) {
      return scope(box.closest("ul.hb-checklist").getAttribute("data-hb-page"));
    }
    var boxes = Array.prototype.slice.call(root.querySelectorAll("ul.hb-checklist input.hb-step__box"));
    if (!boxes.length) return null;
    function pageIds() {
      return boxes.map(pageOf).filter(function (id, i, all) { return all.indexOf(id) === i; });
    }

    function restore() {
      boxes.forEach(function (box) {
        var record = HB.storage.get(pageOf(box), box.getAttribute("data-step-id"));
        box.checked = !!record;
        showTime(box.closest("li"), record);
      });
      onChange();
    }

    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        var record = box.checked ? { at: new Date().toISOString() } : null;
        HB.storage.set(pageOf(box), box.getAttribute("data-step-id"), record);
        showTime(box.closest("li"), record);
        onChange();
      });
    });
    restore();

    return {
      pageIds: pageIds,
      boxes: boxes,
      restore: restore,
      reset: function () {
        pageIds().forEach(function (id) { HB.storage.clear(id + "|", true); });
        restore();
      },
      /** Ticked steps: [{stepId, text, at}] in page order. */
      ticked: function () {
        return boxes.filter(function (box) { return box.checked; }).map(function (box) {
          var record = HB.storage.get(pageOf(box), box.getAttribute("data-step-id"));
          var text = box.closest("li").querySelector(".hb-step__text").textContent;
          return { stepId: box.getAttribute("data-step-id"), text: text, at: record && record.at };
        });
      },
    };
  }

  HB.checklist = { bind: bind, formatTime: formatTime };
})((window.HB = window.HB || {}));
