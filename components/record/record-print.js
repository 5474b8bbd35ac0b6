/* Record-print: on paper, whose ticks these are. A type page printed (Ctrl+P, or the
   record's own print button) shows, above its steps, the record this tab shows — its name
   and the edition it was started on — wherever the record has a name or ticks (a blank
   既定の記録 prints as a blank form). Mounts on p.hb-record-print[data-hb-page]
   (macros/pages/type-page.md, under the title); hidden on screen (print.css), where
   the record's own list names it. */
(function (HB) {
  "use strict";

  HB.register("record-print", function (el) {
    var pageId = el.getAttribute("data-hb-page");
    var page = HB.pageOf(el);
    var session = HB.storage.session(pageId);

    function draw() {
      var doc = session.doc;
      var ticks = Object.keys(doc.steps).length;
      el.hidden = !doc.name && !ticks;
      if (el.hidden) { el.textContent = ""; return; }
      var values = {
        name: doc.name ? HB.t("record.quoted", { text: HB.report.clip(doc.name.replace(/\s+/g, " "), 100) })
          : HB.t("store.default_record"),
        edition: doc.edition ? HB.t("record.print_edition", { edition: doc.edition.replace(/\s+/g, " ") }) : "",
        ticks: ticks,
      };
      el.textContent = doc.kind ? HB.t("record.print_drill", values) : HB.t("record.print_real", values);
    }

    session.watch(el, draw);
    page.addEventListener("hb:steps-changed", function (event) {
      if (event.detail.pageId === pageId) draw();
    });
    page.addEventListener("hb:storage-cleared", draw);
    draw();
  });
})((window.HB = window.HB || {}));
