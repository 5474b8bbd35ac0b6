/* The component registry (loaded first; every other script comes after it, in any order).

   A component is one name shared by four files:
     macros/templates/<name>.html           the markup, with data-hb-module="<name>"
     docs/assets/javascripts/<name>.js      HB.register("<name>", mount)
     docs/assets/stylesheets/<name>.css     its look
     tests/                                 its tests (see tests/test_components.py)
   On every page Material shows (document$ emits on the first load and after each instant
   navigation; without it, DOMContentLoaded), each [data-hb-module] element is mounted
   once: mount(element) runs and the element gets data-hb-mounted ("error" if mount threw;
   the failure is reported with console.error and the other components carry on).

   Components never call each other: they talk through CustomEvents dispatched on their
   element, bubbling to the page's article (HB.pageOf), where the others listen. Instant
   navigation replaces the article, so listeners on it never outlive their page.
     hb:steps-changed   checklist → (progress, record,  ticks changed    {pageId}
                          changed-steps)
     hb:steps-reset     progress → checklist            untick this page {}
     hb:scope-request   checklist → record              is pageId's record shown here?
                                                        {pageId, scope}: record sets scope
     hb:ticked-request  record, changed-steps           {pageId, steps: [], known?: []}:
                          → checklist                   each list appends its ticked
                                                        {stepId, text, at, was} (was: the
                                                        words when ticked, if others) and
                                                        its step ids to known
     hb:storage-cleared clear-all → (checklist, record, everything was erased {}
                          changed-steps)
     hb:report-request  record-transfer → record        {pageId, snapshot}: record sets
                                                        the 第一報's snapshot (text export)
     hb:record-message  record-transfer → record        {pageId, text}: shown to the user
   Which record a page's ticks belong to is HB.storage.session(pageId): every component
   of that page follows it (session.watch), not an event.
   On document: hb:storage-fault {error} (storage.js), hb:page-mounted {root} (after each
   mount pass). Shared modules that are not components: storage.js (HB.storage) and
   report.js (HB.report, texts of the 事故対応記録). */
(function (HB) {
  "use strict";

  var components = {};
  var started = false;

  function mount(element) {
    var name = element.getAttribute("data-hb-module");
    var component = components[name];
    if (!component || element.hasAttribute("data-hb-mounted")) return;
    element.setAttribute("data-hb-mounted", "");
    try {
      component(element);
    } catch (error) {
      element.setAttribute("data-hb-mounted", "error");
      console.error("hb: the component \"" + name + "\" could not start:", error);
    }
  }

  function mountAll(name) {
    var selector = name ? "[data-hb-module=\"" + name + "\"]" : "[data-hb-module]";
    document.querySelectorAll(selector).forEach(mount);
  }

  function start() {
    started = true;
    mountAll();
    document.dispatchEvent(new CustomEvent("hb:page-mounted", {
      detail: { root: document.querySelector("article") || document.body },
    }));
  }

  /** Register a component: mount(element) is called once for each of its elements. */
  HB.register = function (name, mountFn) {
    if (components[name]) throw new Error("hb: the component \"" + name + "\" is registered twice");
    components[name] = mountFn;
    if (started) mountAll(name); // a script that arrived after the page was mounted
  };

  /** Dispatch a bubbling CustomEvent on element; returns its detail (for requests). */
  HB.emit = function (element, type, detail) {
    detail = detail || {};
    element.dispatchEvent(new CustomEvent(type, { bubbles: true, detail: detail }));
    return detail;
  };

  /** The page an element belongs to: where components listen for each other's events. */
  HB.pageOf = function (element) {
    return element.closest("article") || document.body;
  };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})((window.HB = window.HB || {}));
