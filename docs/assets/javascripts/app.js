/* Entry: wires storage, checklist, progress and records on every page Material shows
   (document$ emits on the first load and after each instant navigation). */
(function (HB) {
  "use strict";

  var current = null; // the checklist controller of the page now shown
  var NOTICE = "このブラウザではチェックの状態を保存できません。" +
    "チェックはこのページを開いている間だけ有効です。";

  function showNotice() {
    var content = document.querySelector("article.md-content__inner") || document.body;
    if (content.querySelector(".hb-storage-notice")) return;
    var notice = document.createElement("p");
    notice.className = "hb-storage-notice";
    notice.setAttribute("role", "status");
    notice.textContent = NOTICE;
    var h1 = content.querySelector("h1");
    if (h1) h1.insertAdjacentElement("afterend", notice); else content.prepend(notice);
  }

  function setUpPage() {
    var root = document.querySelector("article.md-content__inner") || document.body;
    var update = function () {};
    var section = root.querySelector("[data-hb-record]");
    var record = section && HB.records.attach(section, {
      ticked: function () { return current ? current.ticked() : []; },
      restore: function () { if (current) current.restore(); },
    });
    current = HB.checklist.bind(root, function () {
      update();
      if (record) record.render();
    }, record && record.scope);
    if (current) {
      update = HB.progress.attach(root, current.boxes);
      update();
      var reset = root.querySelector("[data-hb-reset]");
      if (reset) {
        reset.onclick = function () {
          if (window.confirm("このページのチェックをすべて外します。よろしいですか？")) current.reset();
        };
      }
    }
    var clearAll = root.querySelector("[data-hb-clear-all]");
    if (clearAll) {
      clearAll.hidden = false;
      clearAll.onclick = function () {
        if (window.confirm("このサイトでこのブラウザに保存したチェックと記録をすべて消去します。よろしいですか？")) {
          HB.storage.clear("");
          if (current) current.restore();
        }
      };
    }
    if (record) record.show();
    if (HB.storage.failed()) showNotice();
  }

  HB.storage.onFault(function () { showNotice(); });
  HB.storage.probe();

  // Another tab ticked or reset steps of the page shown here.
  window.addEventListener("storage", function (event) {
    if (current && current.pageIds().some(function (id) { return HB.storage.concerns(event, id); })) {
      current.restore();
    }
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUpPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpPage);
  } else {
    setUpPage();
  }
})((window.HB = window.HB || {}));
