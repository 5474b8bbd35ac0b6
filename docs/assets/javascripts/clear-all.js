/* Clear-all: the home page's button (docs/index.md, [data-hb-module=clear-all], hidden
   without JavaScript) that erases every check and record this site saved in this browser,
   after asking with the count of records it deletes; then sends hb:storage-cleared (see
   hb.js). Other tabs stop writing the records they showed and say so (storage.js). */
(function (HB) {
  "use strict";

  HB.register("clear-all", function (button) {
    button.addEventListener("click", function () {
      var pages = HB.storage.count();
      var records = 0, others = 0;
      Object.keys(pages).forEach(function (p) {
        if (p.indexOf("types/") === 0) records += pages[p]; else others += pages[p];
      });
      var what = "事故対応記録 " + records + " 件（回答・メモ・チェック）" + (others ? "と基本ステップなどのチェック" : "");
      if (!window.confirm("このブラウザに保存した" + what + "をすべて消去します。よろしいですか？")) return;
      HB.storage.clear();
      HB.emit(button, "hb:storage-cleared");
    });
    button.hidden = false;
  });
})((window.HB = window.HB || {}));
