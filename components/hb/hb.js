/* The component registry (loaded first; every other script comes after it, in any order).

   A component is one folder, components/<name>/ (components/README.md):
     <name>.html      the markup (a Jinja macro), with data-hb-module="<name>"
     <name>.js        HB.register("<name>", mount)
     <name>.css       its look, on screen and on paper
   On every page Material shows (document$ emits on the first load and after each instant
   navigation; without it, at DOMContentLoaded), each [data-hb-module] element is mounted
   once: mount(element) runs and the element gets data-hb-mounted ("error" if mount threw;
   the failure is reported with console.error and the other components carry on).

   Components never call each other. What concerns a record goes through one channel: the
   session of the page's record (HB.storage.session(pageId), storage.js), which every
   component of that page watches (session.watch: switched, synced, changed {keys}, state,
   list, message {text}); the checklists tell it their steps' words (session.steps, read
   back with session.ticked()), the record view gives it the 第一報's snapshot
   (session.snapshot) and says whether a record view is shown (session.shown()).
   Page-wide notices are CustomEvents dispatched on an element, bubbling to the page's
   article (HB.pageOf), where the others listen (instant navigation replaces the article,
   so listeners on it never outlive their page); none expects an answer:
     hb:steps-changed   checklist → progress            ticks changed    {pageId}
     hb:steps-reset     progress → checklist            untick this page {}
     hb:storage-cleared clear-all → checklist           everything was erased {}
   On document: hb:storage-fault {error} (storage.js), hb:page-mounted {root} (after each
   mount pass). Shared modules that are not components: storage.js (HB.storage),
   record-crdt.js (HB.crdt), record-format.js (HB.recordFormat), record-notices.js
   (HB.notices) and report.js (HB.report, texts of the 事故対応記録). */
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

  /** A word of the site's catalogue (macros/words.py: components/<name>/words.yml, joined
      into this script by the build): HB.t("record.new_record"), or with values
      HB.t("clear_all.done", {count: 3}) for 「{count}件…」. An unknown key or a value not
      given throws: a missing word must fail the tests, never show a key to a reader. */
  HB.t = function (key, values) {
    var dot = key.indexOf(".");
    var group = (window.HB_WORDS || {})[key.slice(0, dot)] || {};
    var text = Object.prototype.hasOwnProperty.call(group, key.slice(dot + 1)) ? group[key.slice(dot + 1)] : undefined;
    if (typeof text !== "string") throw new Error("hb: no word " + key);
    return text.replace(/\{([a-z_]+)\}/g, function (_, name) {
      if (!values || !Object.prototype.hasOwnProperty.call(values, name)) {
        throw new Error("hb: the word " + key + " needs {" + name + "}");
      }
      return String(values[name]);
    });
  };

  /** Register a component: mount(element) is called once for each of its elements. */
  HB.register = function (name, mountFn) {
    if (components[name]) throw new Error("hb: the component \"" + name + "\" is registered twice");
    components[name] = mountFn;
    if (started) mountAll(name); // a script that arrived after the page was mounted
  };

  /** Dispatch a bubbling CustomEvent on element (a notice: nothing is asked back). */
  HB.emit = function (element, type, detail) {
    detail = detail || {};
    element.dispatchEvent(new CustomEvent(type, { bubbles: true, detail: detail }));
    return detail;
  };

  /** The page an element belongs to: where components listen for each other's events. */
  HB.pageOf = function (element) {
    return element.closest("article") || document.body;
  };

  /** The title of page pageId in the site's navigation (a type's number and name), or its id. */
  HB.pageTitle = function (pageId) {
    var links = document.querySelectorAll("a.md-nav__link[href]");
    for (var i = 0; i < links.length; i++) {
      var path = new URL(links[i].href, location.href).pathname.replace(/\/(index\.html)?$/, "");
      if (path.slice(-(pageId.length + 1)) === "/" + pageId) return links[i].textContent.trim();
    }
    return pageId;
  };

  /** Offer text as a file to save (the record's and the drill review's exports). */
  HB.download = function (name, type, text) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: type }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
  };

  /** Print with className on <body> (print.css then prints only that part), removed after. */
  HB.printWith = function (className) {
    document.body.classList.add(className);
    window.addEventListener("afterprint", function off() {
      document.body.classList.remove(className);
      window.removeEventListener("afterprint", off);
    });
    window.print();
  };

  // The site's script runs before Material's bundle (macros/bundle.py), which defines
  // document$ by DOMContentLoaded: only then is it known whether it is there.
  function begin() {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(start);
    } else {
      start();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", begin);
  } else {
    begin();
  }
})((window.HB = window.HB || {}));
