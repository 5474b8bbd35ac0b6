/* Progress: how many steps of the page are ticked, and the button that unticks them all.
   Mounts on the panel of components/progress/progress.html ([data-hb-module=progress]),
   hidden until then and left hidden on a page without checklists. Listens for
   hb:steps-changed on its page; the button sends hb:steps-reset (see hb.js). */
(function (HB) {
  "use strict";

  HB.register("progress", function (panel) {
    var page = HB.pageOf(panel);
    var bar = panel.querySelector("progress");
    var label = panel.querySelector("[data-hb-progress-text]");

    function boxes() {
      return Array.prototype.slice.call(page.querySelectorAll("ul.hb-checklist input.hb-step__box"));
    }

    function update() {
      var all = boxes();
      var done = all.filter(function (box) { return box.checked; }).length;
      bar.max = all.length;
      bar.value = done;
      label.textContent = HB.t("progress.done", { done: done, all: all.length });
    }

    if (!boxes().length) return;
    page.addEventListener("hb:steps-changed", update);
    panel.querySelector("[data-hb-reset]").addEventListener("click", function () {
      if (window.confirm(HB.t("progress.confirm_reset"))) {
        HB.emit(panel, "hb:steps-reset");
      }
    });
    update();
    panel.hidden = false;
  });
})((window.HB = window.HB || {}));
