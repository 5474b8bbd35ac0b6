/* Clear-all: the home page's button (docs/index.md, [data-hb-module=clear-all], hidden
   without JavaScript) that erases every check and record this site saved in this
   browser, after asking; then sends hb:storage-cleared (see hb.js). */
(function (HB) {
  "use strict";

  HB.register("clear-all", function (button) {
    button.addEventListener("click", function () {
      if (window.confirm("このサイトでこのブラウザに保存したチェックと記録をすべて消去します。よろしいですか？")) {
        HB.storage.clear("");
        HB.emit(button, "hb:storage-cleared");
      }
    });
    button.hidden = false;
  });
})((window.HB = window.HB || {}));
