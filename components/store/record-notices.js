/* Record notices: what a page says about storage, above its content (.hb-storage-notice,
   styled in base.css), one per kind: "fault" (writes fail), "orphaned" (the record shown
   was deleted elsewhere and no record view says so), "migrate" (records of the old format
   could not be written in the new one). Also HB.notices.why(error): a failed write in words. */
(function (HB) {
  "use strict";

  var texts = {
    NOTICE: "このブラウザではチェックの状態を保存できません。" +
      "チェックはこのページを開いている間だけ有効です。",
    ORPHANED: "このページの記録は別のタブで削除されたため、このページでの変更は保存しません。",
    UNMIGRATED: "以前の形式で保存された記録を、新しい形式で保存し直せませんでした（保存できないため）。" +
      "記録はこのページを開いている間は表示しますが、以前の形式のまま残しています。",
  };

  function show(kind, text) {
    var content = document.querySelector("article.md-content__inner") || document.body;
    if (content.querySelector(".hb-storage-notice[data-kind=" + kind + "]")) return;
    var notice = document.createElement("p");
    notice.className = "hb-storage-notice";
    notice.setAttribute("data-kind", kind);
    notice.setAttribute("role", "status");
    var h1 = content.querySelector("h1");
    if (h1) h1.insertAdjacentElement("afterend", notice); else content.prepend(notice);
    // Screen readers announce a change in a live region they have seen, not one that
    // arrives with its text: the region comes first, its words a moment later.
    setTimeout(function () { notice.textContent = text; }, 100);
  }

  function hide(kind) {
    document.querySelectorAll(".hb-storage-notice[data-kind=" + kind + "]").forEach(function (n) { n.remove(); });
  }

  var shown = {}; // kind -> text: shown again on every page while it holds
  HB.notices = {
    NOTICE: texts.NOTICE, ORPHANED: texts.ORPHANED, UNMIGRATED: texts.UNMIGRATED,
    show: function (kind, text) {
      if (kind === "migrate") shown[kind] = text;
      show(kind, text);
    },
    hide: hide,
    /** Show again the notices that hold for the whole visit (after a page change). */
    again: function () { Object.keys(shown).forEach(function (k) { show(k, shown[k]); }); },
    /** Why a write failed, in a few words. */
    why: function (error) {
      var name = error && error.name;
      if (name === "QuotaExceededError") return "このブラウザの保存領域が一杯です";
      if (name === "SecurityError") return "このブラウザでは保存が許可されていません";
      return "保存できません: " + (name || "不明な理由");
    },
  };
})((window.HB = window.HB || {}));
