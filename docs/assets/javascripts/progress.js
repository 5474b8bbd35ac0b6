/* Progress: how many steps are ticked, per section (phase) and for the whole page.
   The page-wide figure is shown in div[data-hb-progress] (made by macros/render.py);
   each section's figure goes into the heading the section's checklist stands under. */
(function (HB) {
  "use strict";

  /** The heading (h2–h4) a checklist stands under. */
  function headingOf(list) {
    var el = list.previousElementSibling;
    while (el && !/^H[2-4]$/.test(el.tagName)) el = el.previousElementSibling;
    return el;
  }

  function count(boxes) {
    var done = boxes.filter(function (box) { return box.checked; }).length;
    return { done: done, total: boxes.length };
  }

  function text(c) { return c.done + " / " + c.total; }

  /** Set up the progress displays of a page; returns update(). */
  function attach(root, boxes) {
    var sections = [];
    root.querySelectorAll("ul.hb-checklist").forEach(function (list) {
      var heading = headingOf(list);
      if (!heading) return;
      var section = sections.filter(function (s) { return s.heading === heading; })[0];
      if (!section) {
        var badge = heading.querySelector(".hb-section-progress");
        if (!badge) {
          badge = document.createElement("span");
          badge.className = "hb-section-progress";
          heading.appendChild(badge);
        }
        section = { heading: heading, badge: badge, boxes: [] };
        sections.push(section);
      }
      list.querySelectorAll("input.hb-step__box").forEach(function (box) { section.boxes.push(box); });
    });

    var panel = root.querySelector("[data-hb-progress]");
    var bar = panel && panel.querySelector("progress");
    var label = panel && panel.querySelector("[data-hb-progress-text]");
    if (panel) panel.hidden = false;

    return function update() {
      sections.forEach(function (s) {
        var c = count(s.boxes);
        s.badge.textContent = text(c);
        s.badge.classList.toggle("hb-section-progress--done", c.done === c.total);
      });
      if (panel) {
        var c = count(boxes);
        bar.max = c.total;
        bar.value = c.done;
        label.textContent = text(c) + " 完了";
      }
    };
  }

  HB.progress = { attach: attach };
})((window.HB = window.HB || {}));
